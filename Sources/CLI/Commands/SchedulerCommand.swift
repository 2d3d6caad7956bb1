import Automation
import Domain
import Foundation

/// `lanyard scheduler [tick]`: runs the directory's schedules.
enum SchedulerCommand: Command {
    static let action = Argument<String?>("ACTION", help: "tick: runs what is due now once, waits for it and exits, for cron or a systemd timer.")

    static let configuration = CommandConfiguration(
        name: "scheduler", abstract: "Runs the schedules until stopped, or once with 'tick'.",
        discussion: """
            Sleeps until the next run is due, runs each due script as a child process \
            'lanyard --db DB run SCRIPT --arg ...' with its output in scheduler.log_folder, and \
            records every run (see 'lanyard schedule history'). It reads the schedules again at \
            least once a minute, and at once on SIGHUP. On SIGTERM or SIGINT it lets running jobs \
            finish within scheduler.grace_seconds, stops the rest and marks them interrupted, then \
            exits 0. Only one scheduler (or tick) works on a directory at a time: another exits 75. \
            When scheduler.admin_email is set, a failed run queues an email in the outbox.
            """,
        examples: [
            Example("Run the schedules in the foreground.", "lanyard scheduler --db /srv/lanyard/lanyard.db"),
            Example("Run what is due, from a crontab line every minute.", "lanyard scheduler tick --db /srv/lanyard/lanyard.db"),
        ],
        arguments: [action])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let isTick: Bool
        switch invocation[action] {
        case nil: isTick = false
        case "tick": isTick = true
        case let other?: throw CommandError.message("unknown scheduler action '\(other)'; use 'lanyard scheduler' or 'lanyard scheduler tick'", .usage)
        }
        let context = try CommandContext(invocation)
        let scheduler = Scheduler(directory: context.directory, configuration: try SchedulerSetup.configuration(context))

        guard isTick else {
            try scheduler.run()
            return .success
        }
        let runs = try scheduler.tick()
        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(runs))
        } else if runs.isEmpty {
            invocation.console.note("no schedule was due")
        } else {
            ScheduleRunReport.write(runs, console: invocation.console)
        }
        return runs.contains { $0.status.isFailure } ? .partial : .success
    }
}

/// Builds the scheduler's configuration from the settings, for `scheduler` and `run-now`.
enum SchedulerSetup {
    /// - Throws: ``CommandError`` when scheduler.admin_email or mail.from_address is not a valid address.
    static func configuration(_ context: CommandContext) throws -> Scheduler.Configuration {
        let databasePath = URL(fileURLWithPath: context.invocation.databasePath).standardizedFileURL.path
        let executable = currentExecutable()
        let settings = context.configuration

        var notice: ScheduleFailureNotice?
        let adminEmail = settings.string("scheduler.admin_email")
        if !adminEmail.isEmpty {
            let fromAddress = settings.string("mail.from_address").isEmpty ? adminEmail : settings.string("mail.from_address")
            let fromName = settings.string("mail.from_name").isEmpty ? "Lanyard scheduler" : settings.string("mail.from_name")
            do {
                notice = ScheduleFailureNotice(from: try Mailbox(name: fromName, address: fromAddress), to: try Mailbox(address: adminEmail))
            } catch {
                throw CommandError.message(
                    "invalid address in scheduler.admin_email or mail.from_address: \(error); fix it in lanyard.config.lua", .configurationError)
            }
        }

        return Scheduler.Configuration(
            databasePath: databasePath, logFolder: URL(fileURLWithPath: settings.string("scheduler.log_folder")).standardizedFileURL.path,
            graceSeconds: settings.integer("scheduler.grace_seconds"), notice: notice
        ) { schedule in
            var arguments = [executable, "--db", databasePath, "run", schedule.script]
            for argument in schedule.arguments {
                arguments += ["--arg", "\(argument.key)=\(argument.value)"]
            }
            return arguments
        }
    }

    /// Returns the running executable's full path, so that children run the same build.
    static func currentExecutable() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}

// MARK: - Exit statuses of scheduler errors

extension SchedulerError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode {
        switch self {
        case .alreadyRunning, .alreadyClaimed: return .temporaryFailure
        case .lockFailed, .logNotWritable: return .cannotCreateOutput
        case .spawnFailed: return .unavailable
        }
    }
}
