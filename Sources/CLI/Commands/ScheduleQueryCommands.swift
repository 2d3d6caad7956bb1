import Automation
import Domain
import Foundation

// MARK: - Reading schedules

enum ScheduleListCommand: Command {
    static let configuration = CommandConfiguration(
        name: "list", abstract: "Lists the schedules with their timing and next run.",
        examples: [Example("List every schedule.", "lanyard schedule list")],
        arguments: [])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let now = context.directory.now()
        let outputs = try context.directory.schedules().map { ScheduleOutput($0, now: now) }
        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(outputs))
            return .success
        }
        var table = TextTable(columns: [.init("name"), .init("when"), .init("time zone"), .init("script"), .init("next run")])
        for output in outputs {
            table.append([
                output.name, output.cron ?? "once at \(output.at ?? "")", output.timeZone, output.script,
                output.enabled ? (output.nextRunLocal ?? "none") : "disabled",
            ])
        }
        invocation.console.write(table.render(maxWidth: invocation.console.tableWidth, styler: invocation.console.outputStyler))
        invocation.console.write("\(outputs.count) schedule\(outputs.count == 1 ? "" : "s")\n")
        return .success
    }
}

enum ScheduleShowCommand: Command {
    static let configuration = CommandConfiguration(
        name: "show", abstract: "Shows one schedule's settings and next run.",
        examples: [Example("Show the links schedule.", "lanyard schedule show links")],
        arguments: [ScheduleCommands.name])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let schedule = try context.directory.schedule(named: invocation[ScheduleCommands.name])
        let output = ScheduleOutput(schedule, now: context.directory.now())
        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(output))
            return .success
        }
        var table = TextTable(columns: [.init("field"), .init("value")])
        table.append(["name", output.name])
        table.append(["when", output.cron ?? "once at \(output.at ?? "")"])
        table.append(["time zone", output.timeZone])
        table.append(["window", "\(output.from ?? "any day") to \(output.until ?? "any day")"])
        table.append(["script", output.script])
        table.append(["arguments", output.arguments.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")])
        table.append(["overlap", output.overlap])
        table.append(["catch-up", output.catchUp])
        table.append(["enabled", output.enabled ? "yes" : "no"])
        table.append(["next run", output.nextRunLocal.map { "\($0) (\(output.nextRun ?? ""))" } ?? "none"])
        invocation.console.write(table.render(maxWidth: invocation.console.tableWidth, styler: invocation.console.outputStyler))
        return .success
    }
}

enum ScheduleNextCommand: Command {
    static let count = Option<Int>("count", range: 1...1_000, default: 5, help: "How many upcoming times to list.")

    static let configuration = CommandConfiguration(
        name: "next", abstract: "Lists a schedule's upcoming run times in local time and UTC.",
        examples: [Example("See the next ten runs, across the clock change.", "lanyard schedule next links --count 10")],
        arguments: [ScheduleCommands.name, count])

    struct Output: Encodable {
        var local: String
        var utc: String
    }

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let schedule = try context.directory.schedule(named: invocation[ScheduleCommands.name])
        var times: [Date] = []
        var cursor = context.directory.now()
        while times.count < invocation[count], let next = schedule.nextRun(after: cursor) {
            times.append(next)
            cursor = next
        }
        let outputs = times.map { Output(local: ScheduleCommands.localText($0, in: schedule.timeZone), utc: Timestamp.format($0)) }
        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(outputs))
            return .success
        }
        var table = TextTable(columns: [.init("local time (\(schedule.timeZone.identifier))"), .init("UTC")])
        for output in outputs { table.append([output.local, output.utc]) }
        invocation.console.write(table.render(maxWidth: invocation.console.tableWidth, styler: invocation.console.outputStyler))
        if outputs.isEmpty { invocation.console.note("schedule '\(schedule.name)' has no run after now") }
        if !schedule.enabled { invocation.console.note("schedule '\(schedule.name)' is disabled, so the scheduler will not run these until it is enabled") }
        return .success
    }
}

enum ScheduleHistoryCommand: Command {
    static let limit = Option<Int>("limit", range: 1...10_000, default: 20, help: "How many runs to list, newest first.")

    static let configuration = CommandConfiguration(
        name: "history", abstract: "Lists a schedule's runs: times, status, exit code, summary and log.",
        examples: [Example("See how the links schedule went.", "lanyard schedule history links")],
        arguments: [ScheduleCommands.name, limit])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let runs = try context.directory.scheduleRuns(named: invocation[ScheduleCommands.name], limit: invocation[limit])
        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(runs))
            return .success
        }
        ScheduleRunReport.write(runs, console: invocation.console)
        return .success
    }
}

/// Writes runs as a table, for `history`, `run-now` and `scheduler tick`.
enum ScheduleRunReport {
    static func write(_ runs: [ScheduleRun], console: Console) {
        var table = TextTable(columns: [
            .init("schedule"), .init("scheduled"), .init("started"), .init("finished"), .init("status"), .init("exit", alignment: .right),
            .init("summary"), .init("log"),
        ])
        for run in runs {
            table.append([
                run.scheduleName, run.scheduledAt, run.startedAt ?? "", run.finishedAt ?? "", run.status.rawValue,
                run.exitCode.map(String.init) ?? "", run.summary ?? "", run.logPath ?? "",
            ])
        }
        console.write(table.render(maxWidth: console.tableWidth, styler: console.outputStyler))
    }
}

// MARK: - Running by hand

enum ScheduleRunNowCommand: Command {
    static let configuration = CommandConfiguration(
        name: "run-now", abstract: "Runs a schedule's script now, logged and recorded like a scheduled run.",
        discussion: """
            Waits for the script to finish and exits 0 when it succeeded, 1 when it failed. The \
            run does not take the scheduler's lock and ignores the overlap policy.
            """,
        examples: [Example("Try the links schedule now.", "lanyard schedule run-now links")],
        arguments: [ScheduleCommands.name])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let scheduler = Scheduler(directory: context.directory, configuration: try SchedulerSetup.configuration(context))
        let run = try scheduler.runNow(named: invocation[ScheduleCommands.name])
        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(run))
        } else {
            ScheduleRunReport.write([run], console: invocation.console)
        }
        return run.status == .succeeded ? .success : .failure
    }
}

// MARK: - Exit statuses of scheduling errors

extension ScheduleError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode {
        switch self {
        case .notFound: return .inputMissing
        case .alreadyExists, .neverRuns: return .failure
        default: return .usage
        }
    }
}

extension CronError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode { .usage }
}
