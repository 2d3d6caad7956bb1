import Automation
import Domain
import Foundation
import LuaRuntime

/// `lanyard run SCRIPT`: runs a workflow script as one transaction.
enum RunCommand: Command {
    static let script = Argument<String>("SCRIPT", help: "The Lua script: a path, or the name of a shipped script such as missing-emails.lua.")
    static let dryRun = Flag("dry-run", short: "n", help: "Runs the script, shows what it would change, then rolls everything back.")
    static let arguments = Option<[KeyValuePair]>("arg", help: "Passes a value to the script as args.KEY. Repeatable.")
    static let instructionLimit = Option<Int?>("instruction-limit", valueName: "N", range: 1_000...1_000_000_000_000, help: "Lua instructions the script may execute (default from scripts.instruction_limit: 1,000,000,000).")
    static let memoryLimit = Option<Int?>("memory-limit", valueName: "MB", range: 8...65_536, help: "Memory the script may use, in MiB (default from scripts.memory_limit_mb: 512).")
    static let workspace = Option<String?>("workspace", valueName: "FOLDER", help: "The only folder the script may read and write (default from scripts.workspace: ./out).")
    static let timeLimit = Option<Int?>("time-limit", valueName: "SECONDS", range: 1...86_400, help: "Wall-clock seconds the script may run (default from scripts.time_limit_seconds: 1,800).")
    static let noDeliver = Flag("no-deliver", help: "Leaves the messages the script queued in the outbox; 'lanyard outbox send' delivers them later.")

    static let configuration = CommandConfiguration(
        name: "run", abstract: "Runs a Lua workflow script as one transaction.",
        discussion: """
            Everything the script changes is saved when it returns and undone when it raises an \
            error. With --dry-run nothing is ever saved, and the run lists what would have \
            changed. The script sees the API described in docs/lua-api.md, its arguments as the \
            table args, and only the files of its workspace. With --json the result (and what \
            the script printed) is one JSON object on standard output.
            """,
        examples: [
            Example("Try a script without saving anything.", "lanyard run scripts/regenerate-codes.lua --dry-run --arg where='reg:7B'"),
            Example("List students without email by year and form.", "lanyard run missing-emails.lua"),
        ],
        arguments: [script, dryRun, arguments, instructionLimit, memoryLimit, timeLimit, workspace, noDeliver])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let path = try ScriptLocator.locate(invocation[script], environment: invocation.environment)
        let runner = ScriptRunner(
            directory: context.directory, settings: context.settings,
            workspace: try Workspace(path: invocation[workspace] ?? context.configuration.string("scripts.workspace")), plugins: context.plugins)

        var options = ScriptRunner.Options()
        options.dryRun = invocation[dryRun]
        options.arguments = Dictionary(invocation[arguments].map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        options.limits = LuaLimits(
            instructions: invocation[instructionLimit] ?? context.configuration.integer("scripts.instruction_limit"),
            memoryBytes: (invocation[memoryLimit] ?? context.configuration.integer("scripts.memory_limit_mb")) << 20)
        options.moduleSearchPaths = ScriptLocator.moduleSearchPaths(for: path, environment: invocation.environment)
        options.timeLimit = Double(invocation[timeLimit] ?? context.configuration.integer("scripts.time_limit_seconds"))

        let json = context.wantsJSON
        let console = invocation.console
        do {
            let outcome = try runner.run(path: path, options: options) { line in
                if !json { console.write(line + "\n") }
            }
            // Deliver after the commit, so that a message never leaves before its token is stored.
            var delivery: (summary: DeliverySummary, status: ExitCode, destination: String)?
            if outcome.queuedMessages > 0, !invocation[noDeliver] {
                delivery = try MailDelivery.deliver(context)
            }
            if json {
                struct Output: Encodable {
                    var run: ScriptRunner.Outcome
                    var delivery: MailDelivery.Output?
                }
                console.write(try JSONOutput.encode(Output(run: outcome, delivery: delivery.map { MailDelivery.Output($0.summary, destination: $0.destination) })))
            } else {
                if outcome.dryRun { console.writeError(dryRunSummary(outcome)) }
                if let delivery { MailDelivery.report(delivery.summary, destination: delivery.destination, console: console) }
            }
            return delivery?.status ?? .success
        } catch let failure as ScriptFailure {
            if json {
                struct Failed: Encodable {
                    var script: String
                    var error: String
                    var traceback: String?
                    var committed = false
                }
                console.write(try JSONOutput.encode(Failed(script: path, error: failure.description, traceback: failure.traceback)))
            } else {
                console.error(failure.description)
                if let traceback = failure.traceback { console.writeError(traceback + "\n") }
                console.note("nothing the script changed was saved")
            }
            return .failure
        }
    }

    static func dryRunSummary(_ outcome: ScriptRunner.Outcome) -> String {
        var lines = ["Dry run: nothing was saved."]
        let changed = outcome.changes.filter { $0.key != "total" }.sorted { $0.key < $1.key }
        if outcome.changes["total", default: 0] == 0 {
            lines.append("The script would have changed nothing in the directory.")
        } else {
            lines.append("The script would have changed \(outcome.changes["total", default: 0]) rows:")
            for (table, delta) in changed {
                lines.append("  \(table): \(delta > 0 ? "+" : "")\(delta)")
            }
        }
        // Repeated actions (a code read per student) are counted, not listed one by one.
        var grouped: [(action: String, count: Int)] = []
        for action in outcome.actions {
            if let last = grouped.last, last.action == action {
                grouped[grouped.count - 1].count += 1
            } else {
                grouped.append((action, 1))
            }
        }
        for (action, count) in grouped {
            lines.append("  would record: \(action)\(count > 1 ? " (×\(count))" : "")")
        }
        if !outcome.files.isEmpty {
            lines.append("Files written to the workspace (files are not rolled back): \(outcome.files.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Finds scripts: a path as given, else a script shipped in the repository's scripts/ folder.
enum ScriptLocator {
    /// The shipped scripts/ folder: `$LANYARD_HOME/scripts`, else next to the build folder the
    /// executable runs from (`.build/debug/lanyard` -> `scripts/`).
    static func shippedScriptsFolder(environment: [String: String]) -> String? {
        if let home = environment["LANYARD_HOME"] {
            return (home as NSString).appendingPathComponent("scripts")
        }
        // The running binary, not argv[0], which is a bare "lanyard" when run through PATH.
        let executable = URL(fileURLWithPath: SchedulerSetup.currentExecutable()).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("scripts")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("missing-emails.lua").path) {
                return candidate.path
            }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    static func locate(_ name: String, environment: [String: String]) throws -> String {
        if FileManager.default.fileExists(atPath: name) { return name }
        if !name.contains("/"), let folder = shippedScriptsFolder(environment: environment) {
            let shipped = (folder as NSString).appendingPathComponent(name.hasSuffix(".lua") ? name : name + ".lua")
            if FileManager.default.fileExists(atPath: shipped) { return shipped }
        }
        throw CommandError.message("script '\(name)' not found; give a path to a .lua file, or the name of a shipped script in scripts/", .inputMissing)
    }

    static func moduleSearchPaths(for script: String, environment: [String: String]) -> [String] {
        var paths = [(script as NSString).deletingLastPathComponent.isEmpty ? "." : (script as NSString).deletingLastPathComponent]
        if let shipped = shippedScriptsFolder(environment: environment), !paths.contains(shipped) { paths.append(shipped) }
        return paths
    }
}
