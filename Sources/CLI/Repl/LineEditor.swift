import Automation
import CEdit
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Line editing for the REPL on a terminal, through BSD libedit: emacs keys, history kept in a
/// file, TAB completion, and Ctrl-C clearing the line.
///
/// The one owner of libedit's `EditLine` and `History` handles; `deinit` frees both. Use it
/// only when standard input is a terminal, and from one thread.
///
/// ```swift
/// let editor = try LineEditor(historyPath: "/home/admin/.lanyard_history") { text in
///     repl.completions(for: text)
/// }
/// while case .line(let text) = editor.readLine(prompt: "Castle Mead> ") { ... }
/// ```
final class LineEditor {
    /// The result of one call of ``readLine(prompt:)``.
    enum Input: Equatable {
        case line(String)
        /// Ctrl-C: the line was dropped.
        case interrupted
        /// Ctrl-D on an empty line, or standard input closed.
        case endOfInput
    }

    /// Lines kept in the history file.
    static let historySize: Int32 = 1_000

    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyPath: String?
    private let completer: (String) -> InteractiveCompletion
    /// The prompt as a C string that libedit reads back through ``promptFunction``.
    private var promptBuffer: UnsafeMutablePointer<CChar>?
    private var wasInterrupted = false

    /// Starts libedit on the process's standard streams and loads the history file.
    ///
    /// - Parameters:
    ///   - historyPath: the history file, created with mode 0600 on the first save; nil keeps
    ///     history for this session only.
    ///   - completer: returns the names that complete the line up to the cursor.
    /// - Throws: ``ReplError/lineEditingUnavailable(reason:)`` when libedit cannot start.
    init(historyPath: String?, completer: @escaping (String) -> InteractiveCompletion) throws(ReplError) {
        // libedit decodes UTF-8 keystrokes only under a UTF-8 LC_CTYPE.
        setlocale(LC_CTYPE, "")
        guard let history = history_init() else {
            throw .lineEditingUnavailable(reason: "history_init failed")
        }
        guard let editLine = lanyard_el_init("lanyard") else {
            history_end(history)
            throw .lineEditingUnavailable(reason: "el_init failed; check that TERM names a known terminal")
        }
        self.editLine = editLine
        self.history = history
        self.historyPath = historyPath
        self.completer = completer

        var event = HistEvent()
        _ = lanyard_history_set_size(history, &event, Self.historySize)
        _ = lanyard_history_set_unique(history, &event, 1)
        if let historyPath, FileManager.default.fileExists(atPath: historyPath) {
            // A file libedit cannot parse only means no earlier lines.
            _ = lanyard_history_load(history, &event, historyPath)
        }

        _ = lanyard_el_set_client_data(editLine, Unmanaged.passUnretained(self).toOpaque())
        _ = lanyard_el_set_editor(editLine, "emacs")
        _ = lanyard_el_set_history(editLine, history)
        _ = lanyard_el_set_prompt(editLine, Self.promptFunction)
        _ = lanyard_el_keep_interrupt_key(editLine)
        // NOTE: EL_SIGNAL stays off, so that libedit installs no SIGINT handler of its own; the
        // cost is that a terminal resized while a line is typed redraws at the old width.
        _ = lanyard_el_add_function(editLine, "lanyard-complete", "Complete the name before the cursor", Self.completeFunction)
        _ = lanyard_el_add_function(editLine, "lanyard-interrupt", "Drop the line being typed", Self.interruptFunction)
        _ = lanyard_el_bind(editLine, "^I", "lanyard-complete")
        _ = lanyard_el_bind(editLine, "^C", "lanyard-interrupt")
    }

    deinit {
        el_end(editLine)
        history_end(history)
        free(promptBuffer)
    }

    // MARK: - Reading

    /// Shows `prompt` and reads one edited line, without its line break.
    func readLine(prompt: String) -> Input {
        free(promptBuffer)
        promptBuffer = strdup(prompt)
        wasInterrupted = false

        var count: Int32 = 0
        let text = el_gets(editLine, &count)
        if wasInterrupted { return .interrupted }
        guard let text, count > 0 else { return .endOfInput }
        var line = String(cString: text)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    // MARK: - History

    /// Adds `line` to the history and saves the history file, so that a later session (or
    /// one that crashes) keeps it. Each line of a multi-line chunk is its own entry.
    /// - Throws: ``ReplError/historyNotSaved(path:reason:)`` when the file cannot be written.
    func addToHistory(_ line: String) throws(ReplError) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        var event = HistEvent()
        _ = lanyard_history_enter(history, &event, line)
        guard let historyPath else { return }

        // Create the file private before libedit opens it, and keep it private if it existed.
        let descriptor = open(historyPath, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .historyNotSaved(path: historyPath, reason: String(cString: strerror(errno)))
        }
        close(descriptor)
        guard chmod(historyPath, 0o600) == 0 else {
            throw .historyNotSaved(path: historyPath, reason: String(cString: strerror(errno)))
        }
        guard lanyard_history_save(history, &event, historyPath) >= 0 else {
            throw .historyNotSaved(path: historyPath, reason: event.str.map { String(cString: $0) } ?? "libedit could not write it")
        }
    }

    // MARK: - Callbacks from libedit

    /// Returns the editor that owns `editLine`, stored as libedit's client data.
    private static func owner(of editLine: OpaquePointer?) -> LineEditor? {
        guard let editLine, let data = lanyard_el_client_data(editLine) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
    }

    private static let promptFunction: @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>? = { editLine in
        owner(of: editLine)?.promptBuffer
    }

    /// Ctrl-C: ends the read at once; ``readLine(prompt:)`` then drops what was typed.
    private static let interruptFunction: @convention(c) (OpaquePointer?, Int32) -> UInt8 = { editLine, _ in
        guard let editor = owner(of: editLine) else { return UInt8(CC_ERROR) }
        editor.wasInterrupted = true
        fflush(nil)
        FileDescriptorSink.standardOutput.write("^C")
        return UInt8(CC_NEWLINE)
    }

    /// TAB: inserts what every candidate shares, or lists the candidates when that is nothing.
    private static let completeFunction: @convention(c) (OpaquePointer?, Int32) -> UInt8 = { editLine, _ in
        guard let editLine, let editor = owner(of: editLine), let info = el_line(editLine)?.pointee else {
            return UInt8(CC_ERROR)
        }
        let length = info.cursor - info.buffer
        let text = String(decoding: UnsafeRawBufferPointer(start: info.buffer, count: length), as: UTF8.self)
        let completion = editor.completer(text)
        guard !completion.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }

        let addition = String(completion.commonPrefix.dropFirst(completion.prefix.count))
        if !addition.isEmpty {
            _ = el_insertstr(editLine, addition)
            return UInt8(CC_REFRESH)
        }
        guard completion.candidates.count > 1 else { return UInt8(CC_REFRESH) }
        let listing = ReplValueFormatter.columns(completion.candidates, width: Terminal.width(of: STDOUT_FILENO, environment: [:]))
        fflush(nil)
        FileDescriptorSink.standardOutput.write("\n" + listing.joined(separator: "\n") + "\n")
        return UInt8(CC_REDISPLAY)
    }
}
