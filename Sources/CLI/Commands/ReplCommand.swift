import Automation
import Foundation
import LuaRuntime

/// `lanyard repl`: an interactive Lua prompt on the directory, with the API of scripts.
enum ReplCommand: Command {
    static let dryRun = Flag("dry-run", short: "n", help: "Rolls back every statement and lists what it would have changed.")
    static let workspace = Option<String?>("workspace", valueName: "FOLDER", help: "The only folder statements may read and write (default from scripts.workspace: ./out).")
    static let instructionLimit = Option<Int?>("instruction-limit", valueName: "N", range: 1_000...1_000_000_000_000, help: "Lua instructions each statement may execute (default from scripts.instruction_limit: 1,000,000,000).")
    static let memoryLimit = Option<Int?>("memory-limit", valueName: "MB", range: 8...65_536, help: "Memory the session's Lua state may use, in MiB (default from scripts.memory_limit_mb: 512).")

    static let configuration = CommandConfiguration(
        name: "repl", abstract: "Starts an interactive Lua prompt with the scripting API.",
        discussion: """
            Each statement is saved when it finishes; begin(), commit() and rollback() group \
            statements in one transaction. An expression's value is shown: a selection as its \
            count and first people. On a terminal, lines are edited with emacs keys, TAB \
            completes names, history is kept in $LANYARD_HISTORY or ~/.lanyard_history, and \
            Ctrl-C stops a running statement. With standard input from a pipe, such as \
            echo 'users.select("year:7"):count()' | lanyard repl, only the results are written, \
            and the exit status is 1 when any statement failed.
            """,
        examples: [
            Example("Explore the directory without saving anything.", "lanyard repl --dry-run"),
            Example("Let statements read and write files in ./exports.", "lanyard repl --workspace ./exports"),
        ],
        arguments: [dryRun, workspace, instructionLimit, memoryLimit])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        var options = InteractiveSession.Options()
        options.dryRun = invocation[dryRun]
        options.limits = LuaLimits(
            instructions: invocation[instructionLimit] ?? context.configuration.integer("scripts.instruction_limit"),
            memoryBytes: (invocation[memoryLimit] ?? context.configuration.integer("scripts.memory_limit_mb")) << 20)
        options.moduleSearchPaths = ScriptLocator.moduleSearchPaths(for: "./repl.lua", environment: invocation.environment)

        let isTerminal = Terminal.isTerminal(STDIN_FILENO)
        if isTerminal {
            options.selectionPreviewRows = max(3, min(10, ReplTerminalSize.height(of: STDOUT_FILENO) - 8))
        }
        let repl = try InteractiveSession(
            directory: context.directory, settings: context.settings,
            workspace: try Workspace(path: invocation[workspace] ?? context.configuration.string("scripts.workspace")),
            options: options, plugins: context.plugins)
        let loop = ReplLoop(repl: repl, console: invocation.console, databasePath: invocation.databasePath)

        guard isTerminal else { return loop.runPiped() }
        let editor = try LineEditor(historyPath: historyPath(environment: invocation.environment)) { text in
            repl.completions(for: text)
        }
        return loop.runInteractive(editor: editor)
    }

    /// `$LANYARD_HISTORY`, else `~/.lanyard_history`, else no history file.
    static func historyPath(environment: [String: String]) -> String? {
        if let path = environment["LANYARD_HISTORY"], !path.isEmpty { return path }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return (home as NSString).appendingPathComponent(".lanyard_history")
    }
}
