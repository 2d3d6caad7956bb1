import Automation
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The read-evaluate-print loop of `lanyard repl` around an ``InteractiveSession``.
///
/// On a terminal it reads with ``LineEditor``, shows prompts, a banner and colour, fits long
/// values to the screen, and makes Ctrl-C stop the running statement. On a pipe it reads
/// plain lines and writes only what the statements print and the values of expressions, so
/// that `echo 'users.select("year:7"):count()' | lanyard repl` writes `2` alone.
final class ReplLoop {
    let repl: InteractiveSession
    let console: Console
    /// The directory file, for the banner.
    let databasePath: String
    /// Statements that failed, which make a piped session exit 1.
    private(set) var failures = 0
    private var shouldQuit = false

    init(repl: InteractiveSession, console: Console, databasePath: String) {
        self.repl = repl
        self.console = console
        self.databasePath = databasePath
        repl.output = { line in console.write(line + "\n") }
    }

    // MARK: - Prompts

    /// `Castle Mead [dry-run]> `, `Castle Mead [txn]> `, or `>> ` for the next line of a chunk.
    var prompt: String {
        if repl.hasPendingInput { return ">> " }
        var prompt = repl.schoolName ?? "lanyard"
        if repl.options.dryRun { prompt += " [dry-run]" }
        if repl.isTransactionOpen { prompt += " [txn]" }
        return prompt + "> "
    }

    // MARK: - On a terminal

    /// Reads lines with `editor` until `:quit` or Ctrl-D, then settles an open transaction by
    /// asking. Returns success: errors were shown as they happened.
    func runInteractive(editor: LineEditor) -> ExitCode {
        let styler = console.outputStyler
        var banner = "Lanyard \(Lanyard.version) REPL on \(databasePath)"
        if let school = repl.schoolName { banner += " (\(school))" }
        console.write(styler(banner, .bold) + "\n")
        if repl.options.dryRun { console.write("Dry run: every statement is rolled back, and what it would change is listed.\n") }
        console.write("Type :help for the API and commands, :quit or Ctrl-D to leave.\n")

        // Ctrl-C while a statement runs: the terminal raises SIGINT (line editing turns that
        // off while a line is typed), and this handler thread stops the Lua state.
        signal(SIGINT, SIG_IGN)
        let interrupter = repl.interrupter
        let signalSource = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        signalSource.setEventHandler { interrupter.interrupt() }
        signalSource.resume()
        defer {
            signalSource.cancel()
            signal(SIGINT, SIG_DFL)
        }

        var historyWarningShown = false
        while !shouldQuit {
            switch editor.readLine(prompt: prompt) {
            case .endOfInput:
                console.write("\n")
                shouldQuit = true
            case .interrupted:
                repl.discardPendingInput()
                console.write("\n")
            case .line(let line):
                do {
                    try editor.addToHistory(line)
                } catch {
                    if !historyWarningShown { console.warning(error.message) }
                    historyWarningShown = true
                }
                handle(line, interactive: true)
            }
        }
        finishInput(interactive: true)
        settleTransaction(askingOnTerminal: true)
        return .success
    }

    // MARK: - On a pipe

    /// Reads standard input to its end; exits 1 when any statement failed.
    func runPiped() -> ExitCode {
        while !shouldQuit, let line = Swift.readLine(strippingNewline: true) {
            handle(line, interactive: false)
        }
        finishInput(interactive: false)
        settleTransaction(askingOnTerminal: false)
        return failures > 0 ? .failure : .success
    }

    // MARK: - Lines

    private func handle(_ line: String, interactive: Bool) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if !repl.hasPendingInput, trimmed.hasPrefix(":") {
            runCommand(trimmed, interactive: interactive)
            return
        }
        if case .evaluated(let evaluation) = repl.enter(line) {
            show(evaluation, interactive: interactive)
        }
    }

    private func finishInput(interactive: Bool) {
        if let evaluation = repl.finishInput() { show(evaluation, interactive: interactive) }
    }

    /// `:help`, `:help NAME`, `:quit`.
    private func runCommand(_ text: String, interactive: Bool) {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch words[0] {
        case ":quit", ":q", ":exit":
            shouldQuit = true
        case ":help", ":h", ":?":
            guard words.count > 1 else {
                console.write(InteractiveHelp.overview() + "\n")
                return
            }
            guard let help = InteractiveHelp.help(for: words[1]) else {
                fail("no help for '\(words[1])'; type :help to list the modules, types and commands")
                return
            }
            console.write(help.trimmingCharacters(in: .newlines) + "\n")
        default:
            fail("unknown command '\(words[0])'; type :help for the commands, or drop the ':' to run Lua")
        }
    }

    // MARK: - Showing results

    private func show(_ evaluation: InteractiveEvaluation, interactive: Bool) {
        if let failure = evaluation.failure {
            // The terminal echoed ^C without a line break.
            if interactive, evaluation.wasInterrupted { console.write("\n") }
            fail(failure)
            if interactive, repl.isTransactionOpen {
                console.note("The statement was undone; the transaction begun with begin() is still open.")
            }
            return
        }

        var formatter = ReplValueFormatter(width: console.tableWidth)
        if !interactive { formatter.width = nil }
        var lines = formatter.lines(for: evaluation.values)
        if interactive, console.standardOutput.isTerminal {
            lines = ReplValueFormatter.fitted(lines, height: ReplTerminalSize.height(of: STDOUT_FILENO), width: console.width)
        }
        for line in lines { console.write(line + "\n") }

        switch evaluation.transactionChange {
        case .began: console.note("Transaction open: the next statements are saved together by commit(), or undone by rollback().")
        case .committed: console.note("Committed.")
        case .rolledBack: console.note("Rolled back: nothing since begin() was saved.")
        case nil: break
        }
        if let changes = evaluation.dryRunChanges, !changes.isEmpty {
            console.note(Self.dryRunSummary(changes))
        }
    }

    private func fail(_ message: String) {
        failures += 1
        console.error(message)
    }

    /// `Dry run: rolled back; it would have changed 9 rows (credentials rows +4).` and the
    /// audit actions it would have recorded.
    static func dryRunSummary(_ changes: InteractiveChanges) -> String {
        var line = "Dry run: rolled back; it would have changed \(changes.total) \(changes.total == 1 ? "row" : "rows")"
        let tables = changes.rowsByTable.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value > 0 ? "+" : "")\($0.value)" }
        if !tables.isEmpty { line += " (" + tables.joined(separator: ", ") + ")" }
        var lines = [line + "."]
        lines += changes.actions.map { "  would record: \($0)" }
        return lines.joined(separator: "\n")
    }

    // MARK: - Leaving

    /// Commits or rolls back a transaction left open. On a terminal the user is prompted, and
    /// anything but yes rolls back. Input from a pipe always rolls back.
    private func settleTransaction(askingOnTerminal: Bool) {
        guard repl.isTransactionOpen else { return }
        var commit = false
        if askingOnTerminal {
            console.write("A transaction begun with begin() is still open. Commit it? [y/N] ")
            let answer = Swift.readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            commit = answer == "y" || answer == "yes"
        }
        do {
            if commit {
                try repl.commitTransaction()
                console.note("Committed.")
            } else {
                try repl.rollBackTransaction()
                console.warning(
                    askingOnTerminal
                        ? "rolled back the open transaction: nothing since begin() was saved"
                        : "the input ended before commit(), so the open transaction was rolled back; end the input with commit() to save it")
            }
        } catch {
            fail("cannot close the open transaction: \(error); nothing since begin() was saved")
        }
    }
}

/// The height of the terminal, for fitting long values to the screen.
enum ReplTerminalSize {
    /// Returns the rows of the terminal on `descriptor`, else a positive `$LINES`, else 24.
    static func height(of descriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        var size = winsize()
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 {
            return Int(size.ws_row)
        }
        if let lines = environment["LINES"].flatMap({ Int($0) }), lines > 0 { return lines }
        return 24
    }
}
