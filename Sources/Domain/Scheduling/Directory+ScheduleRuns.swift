import Foundation
import Storage

/// The run history of schedules: claims, outcomes and failure notices.
extension Directory {
    // MARK: - Claims

    /// Claims a scheduled time and records the run as `running`. With `advancing`, the same
    /// transaction moves the schedule's checked instant to `scheduledAt`; a run started by hand
    /// leaves it alone.
    ///
    /// - Returns: the new run, or nil when the time was already claimed, so it never runs twice.
    func claimRun(schedule: Schedule, scheduledAt: Date, advancing: Bool) throws -> ScheduleRun? {
        return try database.transaction {
            try database.execute(
                """
                INSERT OR IGNORE INTO schedule_runs (schedule_id, scheduled_at, started_at, status)
                VALUES (?1, ?2, ?3, 'running')
                """, [schedule.id, timestamp(scheduledAt), timestamp()])
            guard database.changes == 1 else { return nil }
            let id = database.lastInsertRowID
            if advancing { try advanceCheckedUntil(scheduleId: schedule.id, to: scheduledAt) }
            return try scheduleRun(id: id)
        }
    }

    /// Records a scheduled time that was not run (skipped or missed), claiming it so it never
    /// runs later. Does nothing when the time is already claimed.
    func recordNotRun(schedule: Schedule, scheduledAt: Date, status: ScheduleRunStatus, summary: String) throws {
        try database.transaction {
            try database.execute(
                """
                INSERT OR IGNORE INTO schedule_runs (schedule_id, scheduled_at, finished_at, status, summary)
                VALUES (?1, ?2, ?3, ?4, ?5)
                """, [schedule.id, timestamp(scheduledAt), timestamp(), status.rawValue, summary])
            try advanceCheckedUntil(scheduleId: schedule.id, to: scheduledAt)
        }
    }

    /// Stores where a claimed run logs to and, once it has started, its child's process id.
    func setRunStarted(runId: Int, logPath: String, processId: Int32?) throws {
        try database.execute(
            "UPDATE schedule_runs SET log_path = ?2, process_id = ?3 WHERE id = ?1", [runId, logPath, processId.map { Int($0) }])
    }

    // MARK: - Outcomes

    /// Records how a run ended and, for a failure with a `notice`, queues the email in the same
    /// transaction.
    ///
    /// - Returns: the finished run.
    @discardableResult
    func finishRun(id: Int, status: ScheduleRunStatus, exitCode: Int?, summary: String?, notice: ScheduleFailureNotice?) throws -> ScheduleRun {
        try database.transaction {
            try database.execute(
                "UPDATE schedule_runs SET status = ?2, exit_code = ?3, summary = ?4, finished_at = ?5 WHERE id = ?1",
                [id, status.rawValue, exitCode, summary, timestamp()])
            guard let run = try scheduleRun(id: id) else {
                preconditionFailure("run \(id) was claimed by this scheduler and cannot vanish while its lock is held")
            }
            if status.isFailure, let notice {
                try queue(try notice.message(for: run), purpose: ScheduleFailureNotice.purpose, userId: nil)
            }
            return run
        }
    }

    /// Marks runs left `running` by a scheduler that stopped without finishing them, other than
    /// the caller's own runs in `except`. Call it only while holding the scheduler lock.
    ///
    /// - Returns: the runs marked interrupted.
    func interruptAbandonedRuns(except: Set<Int>, notice: ScheduleFailureNotice?) throws -> [ScheduleRun] {
        let abandoned = try database.query("SELECT id FROM schedule_runs WHERE status = 'running'").compactMap { $0.int("id") }
            .filter { !except.contains($0) }
        return try abandoned.map { id in
            try finishRun(
                id: id, status: .interrupted, exitCode: nil,
                summary: "the scheduler stopped before this run finished; check the log for how far it got", notice: notice)
        }
    }

    // MARK: - Reading

    /// Returns one run, or nil.
    func scheduleRun(id: Int) throws -> ScheduleRun? {
        try database.queryRow(
            "SELECT \(ScheduleRun.columns) FROM schedule_runs JOIN schedules ON schedules.id = schedule_runs.schedule_id WHERE schedule_runs.id = ?1",
            [id]
        ).map(ScheduleRun.init(row:))
    }

    /// Returns a schedule's runs, newest scheduled time first, at most `limit`.
    ///
    /// - Throws: ``ScheduleError/notFound(name:)``.
    public func scheduleRuns(named name: String, limit: Int = 50) throws -> [ScheduleRun] {
        let schedule = try schedule(named: name)
        return try database.query(
            """
            SELECT \(ScheduleRun.columns) FROM schedule_runs JOIN schedules ON schedules.id = schedule_runs.schedule_id
            WHERE schedule_runs.schedule_id = ?1 ORDER BY schedule_runs.scheduled_at DESC, schedule_runs.id DESC LIMIT ?2
            """, [schedule.id, limit]
        ).map(ScheduleRun.init(row:))
    }
}

/// The email sent to the admin when a scheduled run fails or is interrupted.
public struct ScheduleFailureNotice: Sendable {
    public static let purpose = OutboxPurpose("schedule-failure")
    /// Lines of the log quoted in the message.
    public static let logLines = 20

    public var from: Mailbox
    public var to: Mailbox

    public init(from: Mailbox, to: Mailbox) {
        self.from = from
        self.to = to
    }

    /// Builds the message: the schedule's name, its times, the exit code and the log's tail.
    func message(for run: ScheduleRun) throws -> MailMessage {
        let tail = run.logPath.map { ScheduleLog.lastLines(of: $0, count: Self.logLines) } ?? []
        var lines = [
            "The scheduled run of '\(run.scheduleName)' \(run.status == .interrupted ? "was interrupted" : "failed").",
            "",
            "Scheduled: \(run.scheduledAt)",
            "Started:   \(run.startedAt ?? "not started")",
            "Finished:  \(run.finishedAt ?? "not finished")",
            "Exit code: \(run.exitCode.map(String.init) ?? "none")",
            "Summary:   \(run.summary ?? "")",
            "Log:       \(run.logPath ?? "none")",
        ]
        if !tail.isEmpty {
            lines += ["", "The last \(tail.count) lines of the log:", ""] + tail.map { "    " + $0 }
        }
        lines += ["", "See the whole history with: lanyard schedule history \(run.scheduleName)"]
        return MailMessage(
            from: from, to: to, subject: "Lanyard: scheduled run of '\(run.scheduleName)' \(run.status.rawValue)",
            textBody: lines.joined(separator: "\n") + "\n")
    }
}
