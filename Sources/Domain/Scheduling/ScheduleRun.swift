import Foundation
import Storage

/// What became of one scheduled time.
public enum ScheduleRunStatus: String, Sendable, CaseIterable, Codable {
    /// The child process was started and has not finished.
    case running
    /// The script exited with status 0.
    case succeeded
    /// The script exited with another status, or could not be started.
    case failed
    /// The scheduler stopped the run: on SIGTERM or SIGINT after the grace period, when a newer
    /// run replaced it, or because the scheduler itself stopped while it ran.
    case interrupted
    /// Not started, because the previous run was still going and the overlap policy is `forbid`.
    case skipped
    /// Not started, because no scheduler was running within the catch-up deadline.
    case missed

    /// Whether an admin should hear about it.
    public var isFailure: Bool { self == .failed || self == .interrupted }
}

/// One row of a schedule's history.
public struct ScheduleRun: Sendable, Equatable, Codable {
    public var id: Int
    public var scheduleId: Int
    public var scheduleName: String
    /// The time the run was due, as ISO 8601 in UTC.
    public var scheduledAt: String
    public var startedAt: String?
    public var finishedAt: String?
    public var status: ScheduleRunStatus
    /// The child's exit status; 128 plus the signal number when a signal ended it.
    public var exitCode: Int?
    /// The last line the script wrote, or why the run did not happen.
    public var summary: String?
    public var logPath: String?

    static let columns = """
        schedule_runs.id, schedule_runs.schedule_id, schedules.name, schedule_runs.scheduled_at,
        schedule_runs.started_at, schedule_runs.finished_at, schedule_runs.status, schedule_runs.exit_code,
        schedule_runs.summary, schedule_runs.log_path
        """

    init(row: Row) {
        id = row.int("id") ?? 0
        scheduleId = row.int("schedule_id") ?? 0
        scheduleName = row.string("name") ?? ""
        scheduledAt = row.string("scheduled_at") ?? ""
        startedAt = row.string("started_at")
        finishedAt = row.string("finished_at")
        status = ScheduleRunStatus(rawValue: row.string("status") ?? "") ?? .failed
        exitCode = row.int("exit_code")
        summary = row.string("summary")
        logPath = row.string("log_path")
    }
}
