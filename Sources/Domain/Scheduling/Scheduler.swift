import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the directory's schedules: each due run as a child process with its own log file,
/// claimed in the database before it starts so that no scheduled time ever runs twice.
///
/// ``run()`` keeps going until SIGTERM or SIGINT: it sleeps until the earliest next run of
/// any enabled schedule, or until a child ends or a signal arrives. It also wakes at least
/// every ``Configuration/safetyInterval`` seconds to read the schedules again, because
/// `lanyard schedule add` does not wake it. ``tick()`` runs what is due once and waits for it.
///
/// ```swift
/// let scheduler = Scheduler(directory: directory, configuration: .init(
///     databasePath: "/srv/lanyard/lanyard.db", logFolder: "/srv/lanyard/logs",
///     command: { schedule in ["/usr/local/bin/lanyard", "--db", "/srv/lanyard/lanyard.db", "run", schedule.script] }))
/// try scheduler.run()
/// ```
public final class Scheduler {
    /// The settings the scheduler runs jobs with.
    public struct Configuration: Sendable {
        /// The directory's file, whose lock file keeps a second scheduler out.
        public var databasePath: String
        /// The folder of run logs, relative to the working folder unless absolute.
        public var logFolder: String
        /// Seconds a running job may take to finish after SIGTERM or SIGINT before it is stopped.
        public var graceSeconds: Int
        /// The email to queue when a run fails; nil sends none.
        public var notice: ScheduleFailureNotice?
        /// The child's command line for a schedule, executable first.
        public var command: @Sendable (Schedule) -> [String]
        /// The maximum sleep, in seconds, between two readings of the schedules.
        public var safetyInterval: Double

        public init(
            databasePath: String, logFolder: String, graceSeconds: Int = 30, notice: ScheduleFailureNotice? = nil,
            safetyInterval: Double = 60, command: @escaping @Sendable (Schedule) -> [String]
        ) {
            self.databasePath = databasePath
            self.logFolder = logFolder
            self.graceSeconds = graceSeconds
            self.notice = notice
            self.safetyInterval = safetyInterval
            self.command = command
        }
    }

    /// A run whose child process is going.
    private final class ActiveRun {
        let run: ScheduleRun
        let schedule: Schedule
        let child: ChildProcess
        let logPath: String
        /// Set when the scheduler stops the run, and recorded as its summary.
        var interruptReason: String?
        /// When SIGTERM was sent, so that SIGKILL can follow.
        var terminatedAt: Date?

        init(run: ScheduleRun, schedule: Schedule, child: ChildProcess, logPath: String) {
            self.run = run
            self.schedule = schedule
            self.child = child
            self.logPath = logPath
        }
    }

    public let directory: Directory
    public let configuration: Configuration
    private let events = SchedulerEvents()
    private let log = Log(label: "scheduler")
    private var active: [Int: ActiveRun] = [:]
    private var stopRequested = false
    /// Runs that ended (or were recorded as skipped or missed) since the last ``tick()`` began.
    private var recorded: [ScheduleRun] = []

    public init(directory: Directory, configuration: Configuration) {
        self.directory = directory
        self.configuration = configuration
    }

    // MARK: - Entry points

    /// Runs schedules until SIGTERM or SIGINT, then lets running jobs finish within the grace
    /// period, stops the rest and marks them interrupted.
    ///
    /// - Throws: ``SchedulerError/alreadyRunning(lockFile:processId:)`` when another scheduler
    ///   holds the directory's lock, and database errors from the first reading of the schedules.
    public func run() throws {
        let lock = try SchedulerLock(databasePath: configuration.databasePath)
        let signals = SchedulerSignals(posting: events)
        defer { withExtendedLifetime((lock, signals)) {} }
        log.info("scheduler started", ["pid": String(getpid()), "database": configuration.databasePath])
        try prepare()

        while !stopRequested {
            do {
                try startDueRuns(at: directory.now())
            } catch {
                log.error("could not start the due runs; trying again shortly", ["error": "\(error)"])
            }
            var wake = (try? nextWake(after: directory.now())) ?? configuration.safetyInterval
            if active.values.contains(where: { $0.terminatedAt != nil }) { wake = min(wake, 1) }
            handle(events.take(waitingAtMost: wake))
        }
        shutDown()
        log.info("scheduler stopped", ["pid": String(getpid())])
    }

    /// Runs what is due now once, waits for it to finish, and returns what was recorded.
    ///
    /// - Throws: ``SchedulerError/alreadyRunning(lockFile:processId:)`` when another scheduler or
    ///   tick holds the lock.
    @discardableResult
    public func tick() throws -> [ScheduleRun] {
        let lock = try SchedulerLock(databasePath: configuration.databasePath)
        let signals = SchedulerSignals(posting: events)
        defer { withExtendedLifetime((lock, signals)) {} }
        recorded = []
        try prepare()
        try startDueRuns(at: directory.now())
        waitForActiveRuns()
        return recorded
    }

    /// Runs a schedule now, outside its timing, and waits for it. The run is recorded with
    /// now as its scheduled time; the overlap policy and the lock do not apply.
    ///
    /// - Throws: ``ScheduleError/notFound(name:)``, and
    ///   ``SchedulerError/alreadyClaimed(schedule:scheduledAt:)`` when a run of it was started
    ///   this same second.
    public func runNow(named name: String) throws -> ScheduleRun {
        let schedule = try directory.schedule(named: name)
        let signals = SchedulerSignals(posting: events)
        defer { withExtendedLifetime(signals) {} }
        recorded = []
        let scheduledAt = Date(timeIntervalSince1970: directory.now().timeIntervalSince1970.rounded(.down))
        guard try start(schedule, scheduledAt: scheduledAt, advancing: false) else {
            throw SchedulerError.alreadyClaimed(schedule: name, scheduledAt: Timestamp.format(scheduledAt))
        }
        waitForActiveRuns()
        guard let run = recorded.last else {
            preconditionFailure("a started run is recorded when its child ends, and waitForActiveRuns waits for every child")
        }
        return run
    }

    /// Asks a running ``run()`` or ``tick()`` to stop, as SIGTERM does.
    public func requestStop() {
        events.post(.stop(signal: SIGTERM))
    }

    // MARK: - Planning

    /// Marks runs left by a scheduler that died as interrupted. Runs only under the lock.
    private func prepare() throws {
        for run in try directory.interruptAbandonedRuns(except: Set(active.keys), notice: configuration.notice) {
            log.warning("marked a run left by a stopped scheduler as interrupted", ["schedule": run.scheduleName, "run": String(run.id)])
        }
    }

    /// Starts the latest due run of each enabled schedule that is within its catch-up deadline,
    /// records older or later ones as missed, and moves each schedule's checked instant to `now`.
    func startDueRuns(at now: Date) throws {
        for schedule in try directory.schedules() where schedule.enabled {
            let checkedUntil = try directory.checkedUntil(scheduleId: schedule.id)
            guard checkedUntil < now else { continue }
            let due = schedule.runs(after: checkedUntil, through: now)

            if let latest = due.last {
                let isWithinDeadline = now.timeIntervalSince(latest) <= Double(schedule.catchUpSeconds)
                let missed = isWithinDeadline ? Array(due.dropLast()) : due
                if let lastMissed = missed.last {
                    try directory.recordNotRun(
                        schedule: schedule, scheduledAt: lastMissed, status: .missed,
                        summary: Self.missedSummary(missed, limitReached: due.count >= 10_000, catchUpSeconds: schedule.catchUpSeconds))
                    log.warning("missed scheduled runs", ["schedule": schedule.name, "count": String(missed.count), "last": Timestamp.format(lastMissed)])
                }
                if isWithinDeadline {
                    try start(schedule, scheduledAt: latest, advancing: true)
                }
            }
            try directory.advanceCheckedUntil(scheduleId: schedule.id, to: now)
        }
    }

    /// Seconds until the earliest next run of an enabled schedule, at most the safety interval.
    func nextWake(after now: Date) throws -> Double {
        var earliest = now.addingTimeInterval(configuration.safetyInterval)
        for schedule in try directory.schedules() where schedule.enabled {
            if let next = schedule.nextRun(after: max(now, try directory.checkedUntil(scheduleId: schedule.id))), next < earliest {
                earliest = next
            }
        }
        return earliest.timeIntervalSince(now)
    }

    static func missedSummary(_ missed: [Date], limitReached: Bool, catchUpSeconds: Int) -> String {
        let deadline = ScheduleDuration.format(catchUpSeconds)
        if missed.count == 1 {
            return "missed: no scheduler ran it within its catch-up deadline of \(deadline)"
        }
        let count = limitReached ? "at least \(missed.count)" : String(missed.count)
        return "missed \(count) scheduled times from \(Timestamp.format(missed[0])) to \(Timestamp.format(missed[missed.count - 1])): no scheduler ran them within the catch-up deadline of \(deadline)"
    }

    // MARK: - Starting runs

    /// Applies the overlap policy, claims the time and starts the child.
    ///
    /// - Returns: false when the time was already claimed or the overlap policy skipped it.
    @discardableResult
    private func start(_ schedule: Schedule, scheduledAt: Date, advancing: Bool) throws -> Bool {
        let running = active.values.filter { $0.schedule.id == schedule.id }
        if !running.isEmpty, advancing {
            switch schedule.overlap {
            case .forbid:
                let since = running.map(\.run.scheduledAt).min() ?? ""
                try directory.recordNotRun(
                    schedule: schedule, scheduledAt: scheduledAt, status: .skipped,
                    summary: "skipped: the run scheduled at \(since) was still running and the overlap policy is forbid")
                log.info("skipped a run because the previous one is still running", ["schedule": schedule.name])
                return false
            case .allow:
                break
            case .replace:
                for previous in running {
                    terminate(previous, reason: "replaced by the run scheduled at \(Timestamp.format(scheduledAt))")
                }
            }
        }

        guard let run = try directory.claimRun(schedule: schedule, scheduledAt: scheduledAt, advancing: advancing) else {
            log.info("the scheduled time was already claimed", ["schedule": schedule.name, "scheduled": Timestamp.format(scheduledAt)])
            return false
        }
        let logPath = ScheduleLog.path(folder: configuration.logFolder, scheduleName: schedule.name, scheduledAt: scheduledAt, runId: run.id)
        do {
            let descriptor = try ScheduleLog.open(logPath)
            defer { close(descriptor) }
            let events = self.events
            let runId = run.id
            let child = try ChildProcess(arguments: configuration.command(schedule), outputDescriptor: descriptor) { exit in
                events.post(.childExited(runId: runId, exit))
            }
            try directory.setRunStarted(runId: run.id, logPath: logPath, processId: child.processId)
            active[run.id] = ActiveRun(run: run, schedule: schedule, child: child, logPath: logPath)
            log.info("started a run", ["schedule": schedule.name, "run": String(run.id), "pid": String(child.processId), "log": logPath])
        } catch let error as SchedulerError {
            try directory.setRunStarted(runId: run.id, logPath: logPath, processId: nil)
            recorded.append(try directory.finishRun(id: run.id, status: .failed, exitCode: nil, summary: error.description, notice: configuration.notice))
            log.error("could not start a run", ["schedule": schedule.name, "error": error.description])
        }
        return true
    }

    // MARK: - Events

    private func handle(_ events: [SchedulerEvent]) {
        defer { killUnresponsiveRuns() }
        for event in events {
            switch event {
            case .childExited(let runId, let exit):
                finish(runId: runId, exit: exit)
            case .stop(let signal):
                if !stopRequested {
                    log.info("stopping: running jobs have the grace period to finish", ["signal": String(signal), "grace": "\(configuration.graceSeconds)s"])
                }
                stopRequested = true
            case .reload:
                log.info("reading the schedules again")
            }
        }
    }

    /// Records how a run ended.
    private func finish(runId: Int, exit: ChildExit) {
        guard let finished = active.removeValue(forKey: runId) else { return }
        let status: ScheduleRunStatus
        if finished.interruptReason != nil {
            status = .interrupted
        } else {
            status = exit.exitCode == 0 ? .succeeded : .failed
        }
        let lastLine = ScheduleLog.lastLines(of: finished.logPath, count: 1).first
        let summary = finished.interruptReason ?? lastLine ?? "exited with status \(exit.shellStatus.map(String.init) ?? "unknown")"
        do {
            let run = try directory.finishRun(
                id: runId, status: status, exitCode: exit.shellStatus, summary: summary, notice: configuration.notice)
            recorded.append(run)
            // The plugins' after_run hooks ran inside the child's `lanyard run`, before it committed.
            log.info("finished a run", ["schedule": run.scheduleName, "run": String(runId), "status": status.rawValue])
        } catch {
            // NOTE: the row stays 'running' and the next scheduler start marks it interrupted.
            log.error("could not record the end of a run", ["schedule": finished.schedule.name, "run": String(runId), "error": "\(error)"])
        }
    }

    // MARK: - Stopping

    /// Waits for every running child; a stop request starts the grace period.
    func waitForActiveRuns() {
        while !active.isEmpty {
            if stopRequested {
                shutDown()
                return
            }
            let hasTerminations = active.values.contains { $0.terminatedAt != nil }
            handle(events.take(waitingAtMost: hasTerminations ? 1 : configuration.safetyInterval))
        }
    }

    /// Gives running jobs the grace period, then SIGTERM and 5 more seconds, then SIGKILL.
    private func shutDown() {
        waitForChildren(seconds: Double(configuration.graceSeconds))
        guard !active.isEmpty else { return }

        for running in active.values {
            terminate(running, reason: "interrupted: the scheduler was stopped and the run did not finish within the grace period of \(configuration.graceSeconds)s")
        }
        while !active.isEmpty {
            handle(events.take(waitingAtMost: 1))
        }
    }

    /// Seconds a run may take to end after SIGTERM before it gets SIGKILL.
    static let terminationSeconds = 5.0

    /// Sends SIGTERM to a run's process group and records why.
    private func terminate(_ running: ActiveRun, reason: String) {
        guard running.terminatedAt == nil else { return }
        running.interruptReason = reason
        running.terminatedAt = Date()
        running.child.send(SIGTERM)
    }

    /// Sends SIGKILL to runs that outlived their SIGTERM. A SIGTERM that reaches a child before
    /// it has set its signal actions can be lost, because the scheduler itself ignores SIGTERM.
    private func killUnresponsiveRuns() {
        for running in active.values {
            if let terminatedAt = running.terminatedAt, Date().timeIntervalSince(terminatedAt) > Self.terminationSeconds {
                running.child.send(SIGKILL)
            }
        }
    }

    private func waitForChildren(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while !active.isEmpty {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return }
            handle(events.take(waitingAtMost: left))
        }
    }
}
