import Automation
import Domain
import Foundation

/// `lanyard schedule ...`: adding, listing and inspecting the schedules the scheduler runs.
enum ScheduleCommands {
    static let group = CommandSpec.group(
        "schedule", abstract: "Adds, lists and inspects scheduled script runs.",
        discussion: """
            A schedule runs a Lua workflow script on a cron expression or once at a local time, \
            in its time zone (Europe/London unless given). 'lanyard scheduler' runs the \
            schedules; see docs/scheduling.md for clock changes, missed runs and a systemd unit.
            """,
        examples: [
            Example("Send first-login links every weekday at 07:30.", "lanyard schedule add links --cron '30 7 * * MON-FRI' --script scripts/send-links.lua --arg where=year:7"),
            Example("See when it runs next.", "lanyard schedule next links --count 5"),
        ],
        subcommands: [
            ScheduleAddCommand.spec, ScheduleListCommand.spec, ScheduleShowCommand.spec, ScheduleRemoveCommand.spec,
            ScheduleEnableCommand.spec, ScheduleDisableCommand.spec, ScheduleRunNowCommand.spec, ScheduleNextCommand.spec,
            ScheduleHistoryCommand.spec,
        ])

    static let name = Argument<String>("NAME", help: "The schedule's name, as 'lanyard schedule list' shows it.")

    /// Writes `instant` as `2027-03-28 02:00 +01:00` on the schedule's wall clock.
    static func localText(_ instant: Date, in timeZone: TimeZone) -> String {
        let offset = timeZone.secondsFromGMT(for: instant)
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        let hours = String(minutes / 60)
        let rest = String(minutes % 60)
        return "\(LocalDateTime(instant, in: timeZone)) \(sign)\(hours.count < 2 ? "0" : "")\(hours):\(rest.count < 2 ? "0" : "")\(rest)"
    }
}

/// A schedule as the commands print it in JSON.
struct ScheduleOutput: Encodable {
    var name: String
    var cron: String?
    var at: String?
    var timeZone: String
    var from: String?
    var until: String?
    var script: String
    var arguments: [String: String]
    var overlap: String
    var catchUp: String
    var enabled: Bool
    var nextRun: String?
    var nextRunLocal: String?

    init(_ schedule: Schedule, now: Date) {
        name = schedule.name
        switch schedule.timing {
        case .cron(let expression): cron = expression.source
        case .once(let local): at = local.description
        }
        timeZone = schedule.timeZone.identifier
        from = schedule.firstDate?.description
        until = schedule.lastDate?.description
        script = schedule.script
        arguments = Dictionary(schedule.arguments.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        overlap = schedule.overlap.rawValue
        catchUp = ScheduleDuration.format(schedule.catchUpSeconds)
        enabled = schedule.enabled
        let next = schedule.enabled ? schedule.nextRun(after: now) : nil
        nextRun = next.map(Timestamp.format)
        nextRunLocal = next.map { ScheduleCommands.localText($0, in: schedule.timeZone) }
    }
}

// MARK: - Adding and removing

enum ScheduleAddCommand: Command {
    static let cron = Option<String?>("cron", valueName: "EXPRESSION", help: "Runs on a five-field cron expression or a shortcut such as @daily.")
    static let at = Option<String?>("at", valueName: "'YYYY-MM-DD HH:MM'", help: "Runs once at this local time instead.")
    static let script = Option<String>("script", valueName: "PATH", help: "The Lua script to run, as 'lanyard run' takes it.")
    static let arguments = Option<[KeyValuePair]>("arg", help: "Passes a value to the script as args.KEY. Repeatable.")
    static let timeZone = Option<String>("time-zone", valueName: "ZONE", default: "Europe/London", help: "The IANA time zone whose wall clock the times follow.")
    static let from = Option<String?>("from", valueName: "DATE", help: "The first day (YYYY-MM-DD) on which the schedule may run.")
    static let until = Option<String?>("until", valueName: "DATE", help: "The last day (YYYY-MM-DD) on which the schedule may run.")
    static let overlap = Option<OverlapPolicy>("overlap", default: .forbid, help: "What happens when a run is due while the previous one still runs: skip it, run both, or stop the old one.")
    static let catchUp = Option<String>("catch-up", valueName: "DURATION", default: "1m", help: "How late a run may still start, such as after the scheduler was down (90s, 30m, 2h, 1d); later runs are recorded as missed.")
    static let disabled = Flag("disabled", help: "Stores the schedule without running it until 'lanyard schedule enable'.")

    static let configuration = CommandConfiguration(
        name: "add", abstract: "Adds a schedule that runs a script on a cron expression or once.",
        discussion: """
            Give exactly one of --cron and --at. Cron fields are minute, hour, day-of-month, month \
            and day-of-week, with lists (1,15), ranges (1-5), steps (*/15), and the names JAN-DEC \
            and SUN-SAT. When clocks go forward or back, a job with a fixed hour runs once, and a \
            job whose hour field is * follows the wall clock (docs/scheduling.md).
            """,
        examples: [
            Example("Send links on weekday mornings during the autumn term.", "lanyard schedule add links --cron '30 7 * * MON-FRI' --script send-links.lua --from 2027-09-01 --until 2027-12-17"),
            Example("Regenerate codes once before term starts.", "lanyard schedule add term-start --at '2027-09-01 06:00' --script scripts/regenerate-codes.lua --arg where=year:7"),
            Example("Check emails every 30 minutes, catching up a run missed within 2 hours.", "lanyard schedule add check --cron '*/30 * * * *' --script missing-emails.lua --catch-up 2h"),
        ],
        arguments: [ScheduleCommands.name, cron, at, script, arguments, timeZone, from, until, overlap, catchUp, disabled])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)

        // Timing
        let timing: ScheduleTiming
        switch (invocation[cron], invocation[at]) {
        case (let expression?, nil): timing = .cron(try CronExpression(parsing: expression))
        case (nil, let local?): timing = .once(try LocalDateTime(parsing: local))
        default:
            throw CommandError.message("give exactly one of --cron EXPRESSION and --at 'YYYY-MM-DD HH:MM'", .usage)
        }

        // Window and policies
        func date(_ option: Option<String?>, _ name: String) throws -> LocalDate? {
            guard let text = invocation[option] else { return nil }
            guard let date = LocalDate(exactly: text) else { throw ScheduleError.invalidDate(text, option: name) }
            return date
        }
        // The child runs from the scheduler's working folder, so the script is stored by its full path.
        let scriptPath = try ScriptLocator.locate(invocation[script], environment: invocation.environment)
        let schedule = Schedule(
            name: invocation[ScheduleCommands.name], timing: timing, timeZone: try Schedule.timeZone(named: invocation[timeZone]),
            firstDate: try date(from, "--from"), lastDate: try date(until, "--until"),
            script: URL(fileURLWithPath: scriptPath).standardizedFileURL.path,
            arguments: invocation[arguments].map { ScheduleArgument(key: $0.key, value: $0.value) },
            overlap: invocation[overlap], catchUpSeconds: try ScheduleDuration.seconds(parsing: invocation[catchUp]),
            enabled: !invocation[disabled])
        let stored = try context.directory.addSchedule(schedule)

        let output = ScheduleOutput(stored, now: context.directory.now())
        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(output))
        } else {
            let next = output.nextRunLocal.map { "; next run \($0)" } ?? "; disabled"
            invocation.console.write("Added schedule '\(stored.name)' (\(stored.timing))\(next).\n")
        }
        return .success
    }
}

enum ScheduleRemoveCommand: Command {
    static let configuration = CommandConfiguration(
        name: "remove", abstract: "Removes a schedule and its run history.",
        examples: [Example("Remove the links schedule.", "lanyard schedule remove links")],
        arguments: [ScheduleCommands.name])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        try context.directory.removeSchedule(named: invocation[ScheduleCommands.name])
        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(["removed": invocation[ScheduleCommands.name]]))
        } else {
            invocation.console.write("Removed schedule '\(invocation[ScheduleCommands.name])'.\n")
        }
        return .success
    }
}

enum ScheduleEnableCommand: Command {
    static let configuration = CommandConfiguration(
        name: "enable", abstract: "Lets the scheduler run a schedule again, from now on.",
        examples: [Example("Start the links schedule again.", "lanyard schedule enable links")],
        arguments: [ScheduleCommands.name])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        try ScheduleToggle.set(true, invocation)
    }
}

enum ScheduleDisableCommand: Command {
    static let configuration = CommandConfiguration(
        name: "disable", abstract: "Stops the scheduler running a schedule, keeping it and its history.",
        examples: [Example("Pause the links schedule over the holidays.", "lanyard schedule disable links")],
        arguments: [ScheduleCommands.name])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        try ScheduleToggle.set(false, invocation)
    }
}

/// The shared body of `enable` and `disable`.
enum ScheduleToggle {
    static func set(_ enabled: Bool, _ invocation: Invocation) throws -> ExitCode {
        let context = try CommandContext(invocation)
        let name = invocation[ScheduleCommands.name]
        try context.directory.setScheduleEnabled(enabled, named: name)
        let schedule = try context.directory.schedule(named: name)
        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(ScheduleOutput(schedule, now: context.directory.now())))
        } else {
            invocation.console.write("Schedule '\(name)' is \(enabled ? "enabled" : "disabled").\n")
        }
        return .success
    }
}
