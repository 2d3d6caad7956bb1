import Foundation

/// When a schedule runs: on a cron expression, or once at a wall-clock time.
public enum ScheduleTiming: Sendable, Hashable, CustomStringConvertible {
    case cron(CronExpression)
    case once(LocalDateTime)

    public var description: String {
        switch self {
        case .cron(let expression): return expression.source
        case .once(let time): return "once at \(time)"
        }
    }
}

/// What the scheduler does when a run is due while the previous run of the same schedule is
/// still going.
public enum OverlapPolicy: String, Sendable, CaseIterable, Codable {
    /// Skips the new run and records it as skipped.
    case forbid
    /// Starts the new run alongside the old one.
    case allow
    /// Stops the old run (recorded as interrupted) and starts the new one.
    case replace
}

/// One `key=value` passed to the script as `--arg key=value`.
public struct ScheduleArgument: Sendable, Hashable, Codable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A named, stored plan to run a workflow script: when, in which time zone, between which
/// dates, and what to do about overlapping and missed runs.
///
/// ```swift
/// let schedule = Schedule(
///     name: "nightly-links", timing: .cron(try CronExpression(parsing: "30 1 * * *")),
///     script: "/srv/lanyard/scripts/send-links.lua")
/// let next = schedule.nextRun(after: Date())
/// ```
public struct Schedule: Sendable, Hashable {
    /// The row id, 0 before the schedule is stored.
    public var id: Int
    /// Unique within the directory: letters, digits, `-`, `_` and `.`.
    public var name: String
    public var timing: ScheduleTiming
    /// The zone whose wall clock the timing reads; Europe/London unless given.
    public var timeZone: TimeZone
    /// The first day on which the schedule may run, in its time zone.
    public var firstDate: LocalDate?
    /// The last day on which the schedule may run, in its time zone.
    public var lastDate: LocalDate?
    /// The script's path, as `lanyard run` takes it.
    public var script: String
    public var arguments: [ScheduleArgument]
    public var overlap: OverlapPolicy
    /// How late, in seconds, a due run may still start, such as after the scheduler was down;
    /// a run later than this is skipped and recorded as missed.
    public var catchUpSeconds: Int
    public var enabled: Bool

    /// The zone a schedule uses unless told otherwise.
    public static let defaultTimeZone = TimeZone(identifier: "Europe/London")!
    /// One minute: a scheduler that wakes a little late still runs the job.
    public static let defaultCatchUpSeconds = 60

    public init(
        id: Int = 0, name: String, timing: ScheduleTiming, timeZone: TimeZone = Schedule.defaultTimeZone,
        firstDate: LocalDate? = nil, lastDate: LocalDate? = nil, script: String, arguments: [ScheduleArgument] = [],
        overlap: OverlapPolicy = .forbid, catchUpSeconds: Int = Schedule.defaultCatchUpSeconds, enabled: Bool = true
    ) {
        self.id = id
        self.name = name
        self.timing = timing
        self.timeZone = timeZone
        self.firstDate = firstDate
        self.lastDate = lastDate
        self.script = script
        self.arguments = arguments
        self.overlap = overlap
        self.catchUpSeconds = catchUpSeconds
        self.enabled = enabled
    }

    // MARK: - Checks

    /// Checks the name and the date window.
    ///
    /// - Throws: ``ScheduleError/invalidName(_:)`` or ``ScheduleError/windowEndsBeforeStart(first:last:)``.
    public func validate() throws(ScheduleError) {
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar))
        }
        guard !name.isEmpty, name.count <= 64, allowed, !name.hasPrefix("-"), !name.hasPrefix(".") else {
            throw .invalidName(name)
        }
        if let firstDate, let lastDate, lastDate < firstDate {
            throw .windowEndsBeforeStart(first: firstDate, last: lastDate)
        }
    }

    /// Parses an IANA time zone name.
    ///
    /// - Throws: ``ScheduleError/unknownTimeZone(_:)`` when `TimeZone(identifier:)` does not know it.
    public static func timeZone(named name: String) throws(ScheduleError) -> TimeZone {
        guard name.contains("/") || name == "UTC", let zone = TimeZone(identifier: name) else {
            throw .unknownTimeZone(name)
        }
        return zone
    }
}
