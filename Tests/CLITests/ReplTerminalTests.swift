import Foundation
import Testing

/// A terminal for one test: a detached tmux session on a private server socket, killed when
/// the test ends.
final class TmuxTerminal {
    static let executable = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var isAvailable: Bool { executable != nil }

    let socket = "lanyard-test-\(UUID().uuidString)"

    /// Starts `command` (words, quoted for the shell here) in a 120x40 terminal in `folder`.
    init(_ command: [String], in folder: String, environment: [String: String]) throws {
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let words = ["env"] + assignments + command
        let line = words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        // The server outlives this call, so it must not hold a pipe of ours open.
        try tmux(["-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "-c", folder, line], readingOutput: false)
    }

    deinit {
        _ = try? tmux(["kill-server"], readingOutput: false)
        // The server leaves its socket file behind when killed.
        let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        try? FileManager.default.removeItem(atPath: "\(folder)/tmux-\(getuid())/\(socket)")
    }

    /// Sends tmux key names, such as `Enter`, `Tab`, `Up` or `C-c`.
    func press(_ keys: String...) throws {
        try tmux(["send-keys"] + keys, readingOutput: false)
    }

    /// Types `text` as it is, without reading words as key names (`end` is a key name).
    func type(_ text: String) throws {
        try tmux(["send-keys", "-l", text], readingOutput: false)
    }

    /// Returns the text on the screen now.
    func screen() throws -> String {
        try tmux(["capture-pane", "-p"])
    }

    /// Polls the screen until `condition` holds, for at most `seconds`; returns the last screen.
    @discardableResult
    func waitFor(seconds: Double = 15, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var text = try screen()
        while !condition(text), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            text = try screen()
        }
        return text
    }

    /// Polls until the screen contains `text`, for at most `seconds`.
    func waitFor(_ text: String, seconds: Double = 15) throws -> Bool {
        try waitFor(seconds: seconds) { $0.contains(text) }.contains(text)
    }

    /// Runs the tmux client with `arguments` on this terminal's server and waits for it.
    ///
    /// It uses posix_spawn rather than Foundation's Process to reset the signal mask, which
    /// Process passes on as it is.
    @discardableResult
    private func tmux(_ arguments: [String], readingOutput: Bool = true) throws -> String {
        let words = [Self.executable!, "-L", socket] + arguments
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }

        var pipeEnds: [Int32] = [-1, -1]
        guard !readingOutput || pipe(&pipeEnds) == 0 else { throw TmuxError.failed(arguments, errno) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        if readingOutput {
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
            posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
            posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }

        // Test functions run on threads that block most signals, and a child inherits the
        // mask: a tmux server that never receives SIGCHLD or SIGTERM never exits.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signal in [SIGHUP, SIGINT, SIGTERM, SIGCHLD, SIGPIPE] { sigaddset(&defaultSignals, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var environment: [UnsafeMutablePointer<CChar>?] =
            ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { environment.forEach { free($0) } }

        var pid: pid_t = 0
        let status = posix_spawn(&pid, Self.executable!, &actions, &attributes, argv, environment)
        guard status == 0 else { throw TmuxError.failed(arguments, status) }
        var output = Data()
        if readingOutput {
            close(pipeEnds[1])
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(pipeEnds[0], &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                output.append(contentsOf: buffer[0..<count])
            }
            close(pipeEnds[0])
        }
        var exitStatus: Int32 = 0
        while waitpid(pid, &exitStatus, 0) < 0, errno == EINTR {}
        return String(decoding: output, as: UTF8.self)
    }
}

enum TmuxError: Error, CustomStringConvertible {
    case failed([String], Int32)

    var description: String {
        if case .failed(let arguments, let code) = self {
            return "cannot run tmux \(arguments.joined(separator: " ")): \(String(cString: strerror(code)))"
        }
        return ""
    }
}

/// `lanyard repl` on a real terminal, driven through tmux: completion, history and
/// multi-line input.
@Suite(
    "lanyard repl on a terminal",
    .enabled(if: TmuxTerminal.isAvailable, "tmux is not installed: install it (apt-get install tmux, or make deps) to run the terminal tests")
)
struct ReplTerminalTests {
    /// Starts the REPL in `folder` with its own history file, and waits for the prompt.
    static func start(_ folder: WorkFolder, arguments: [String] = []) throws -> TmuxTerminal {
        let terminal = try TmuxTerminal(
            [LanyardProcess.executable, "repl"] + arguments, in: folder.path,
            environment: ["LANYARD_HISTORY": folder.path + "/history", "TERM": "xterm", "NO_COLOR": "1", "LANG": "C.UTF-8"])
        #expect(try terminal.waitFor("Castle Mead>"), "no prompt: \((try? terminal.screen()) ?? "")")
        return terminal
    }

    static func school() throws -> WorkFolder {
        try ReplPipeTests.school()
    }

    @Test("TAB completes a module function")
    func completion() throws {
        let folder = try Self.school()
        let terminal = try Self.start(folder)
        try terminal.type("users.se")
        try terminal.press("Tab")
        #expect(try terminal.waitFor("Castle Mead> users.select"))
        try terminal.type("('year:7'):count()")
        try terminal.press("Enter")
        let screen = try terminal.waitFor { $0.contains("count()\n2\n") }
        #expect(screen.contains("Castle Mead> users.select('year:7'):count()\n2\n"), "screen: \(screen)")
    }

    @Test("TAB lists a User's fields")
    func fieldCompletion() throws {
        let folder = try Self.school()
        let terminal = try Self.start(folder)
        try terminal.type("u = users.get('\(ReplPipeTests.zoe)')")
        try terminal.press("Enter")
        // Completion reads the live global, so wait until the statement has run.
        #expect(try terminal.waitFor("')\nCastle Mead>"))
        try terminal.type("u.leg")
        try terminal.press("Tab")
        #expect(try terminal.waitFor("u.legal_"))
        try terminal.press("Tab")
        #expect(try terminal.waitFor("legal_forename  legal_surname"))
    }

    @Test("the up arrow recalls the previous line, in the session and the next")
    func history() throws {
        let folder = try Self.school()
        do {
            let terminal = try Self.start(folder)
            try terminal.type("print('first' .. 'line')")
            try terminal.press("Enter")
            #expect(try terminal.waitFor("firstline"))
            try terminal.type("x = 41")
            try terminal.press("Enter")
            #expect(try terminal.waitFor("Castle Mead> x = 41\nCastle Mead>"))
            try terminal.press("Up")
            #expect(try terminal.waitFor("Castle Mead> x = 41\nCastle Mead> x = 41"))
            try terminal.press("C-u")
            try terminal.type(":quit")
            try terminal.press("Enter")
            // Wait for the REPL to save its history before its terminal is closed.
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline,
                (try? String(contentsOfFile: folder.path + "/history", encoding: .utf8))?.contains("quit") != true
            {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.path + "/history")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        // The history ends with print(...), x = 41, :quit.
        let terminal = try Self.start(folder)
        try terminal.press("Up", "Up", "Up")
        #expect(try terminal.waitFor("Castle Mead> print('first' .. 'line')"), "screen: \((try? terminal.screen()) ?? "")")
    }

    @Test("an unfinished chunk continues on the next line")
    func multiLine() throws {
        let folder = try Self.school()
        let terminal = try Self.start(folder)
        try terminal.type("function double(n)")
        try terminal.press("Enter")
        #expect(try terminal.waitFor("\n>>"))
        // Wait for each prompt before typing on, so that a slow machine cannot show typed-ahead
        // text before the prompt it belongs after.
        try terminal.type("return n * 2")
        try terminal.press("Enter")
        #expect(try terminal.waitFor(">> return n * 2\n>>"))
        try terminal.type("end")
        try terminal.press("Enter")
        #expect(try terminal.waitFor(">> end\nCastle Mead>"))
        try terminal.type("double(21)")
        try terminal.press("Enter")
        let screen = try terminal.waitFor { $0.contains("double(21)\n42") }
        #expect(screen.contains(">> return n * 2\n>> end\nCastle Mead> double(21)\n42\n"), "screen: \(screen)")
    }

    @Test("Ctrl-C stops a running statement and clears a typed line")
    func interrupt() throws {
        let folder = try Self.school()
        let terminal = try Self.start(folder)
        try terminal.type("while true do end")
        try terminal.press("Enter")
        Thread.sleep(forTimeInterval: 0.3)
        try terminal.press("C-c")
        #expect(try terminal.waitFor("error: repl:1: the statement was interrupted\nCastle Mead>"))
        try terminal.type("half typed")
        try terminal.press("C-c")
        try terminal.type("1 + 1")
        try terminal.press("Enter")
        let screen = try terminal.waitFor { $0.contains("1 + 1\n2") }
        #expect(screen.contains("Castle Mead> half typed^C\nCastle Mead> 1 + 1\n2\n"), "screen: \(screen)")
    }

    @Test("the prompt shows a dry run and an open transaction")
    func prompts() throws {
        let folder = try Self.school()
        do {
            let terminal = try TmuxTerminal(
                [LanyardProcess.executable, "repl", "--dry-run"], in: folder.path,
                environment: ["LANYARD_HISTORY": folder.path + "/history", "TERM": "xterm", "NO_COLOR": "1"])
            #expect(try terminal.waitFor("Castle Mead [dry-run]>"))
        }
        let terminal = try Self.start(folder)
        try terminal.type("begin()")
        try terminal.press("Enter")
        #expect(try terminal.waitFor("Castle Mead [txn]>"))
    }
}
