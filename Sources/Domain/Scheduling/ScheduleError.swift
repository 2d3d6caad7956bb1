/// A schedule that cannot be stored, found or run as given. Each case carries the value at fault.
public enum ScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidName(String)
    case invalidLocalTime(String)
    case invalidDate(String, option: String)
    case invalidDuration(String)
    case unknownTimeZone(String)
    case windowEndsBeforeStart(first: LocalDate, last: LocalDate)
    case neverRuns(name: String, timing: String)
    case notFound(name: String)
    case alreadyExists(name: String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            return "invalid schedule name '\(name)'; use up to 64 letters, digits, '-', '_' or '.', starting with a letter or digit"
        case .invalidLocalTime(let text):
            return "invalid local time '\(text)'; write it as YYYY-MM-DD HH:MM, such as '2027-09-01 07:30'"
        case .invalidDate(let text, let option):
            return "invalid date '\(text)' for \(option); write it as YYYY-MM-DD, such as 2027-09-01"
        case .invalidDuration(let text):
            return "invalid duration '\(text)'; write a whole number followed by s, m, h or d, such as 90s, 30m, 2h or 1d"
        case .unknownTimeZone(let name):
            return "unknown time zone '\(name)'; use an IANA name such as Europe/London or Australia/Sydney"
        case .windowEndsBeforeStart(let first, let last):
            return "the date window ends on \(last), before it starts on \(first); swap --from and --until"
        case .neverRuns(let name, let timing):
            return "schedule '\(name)' would never run: '\(timing)' has no time after now within its date window; check the time, the dates and the day fields"
        case .notFound(let name):
            return "no schedule named '\(name)'; list the schedules with 'lanyard schedule list'"
        case .alreadyExists(let name):
            return "a schedule named '\(name)' already exists; choose another name, or remove it first with 'lanyard schedule remove \(name)'"
        }
    }
}

/// Durations as admins write them for `--catch-up`: `90s`, `30m`, `2h`, `1d`.
public enum ScheduleDuration {
    /// Parses a duration into seconds.
    ///
    /// - Throws: ``ScheduleError/invalidDuration(_:)``.
    public static func seconds(parsing text: String) throws(ScheduleError) -> Int {
        let trimmed = text.trimmingSpaces().lowercased()
        guard let unit = trimmed.last, let number = Int(trimmed.dropLast()), number >= 0 else {
            throw .invalidDuration(text)
        }
        let factor: Int
        switch unit {
        case "s": factor = 1
        case "m": factor = 60
        case "h": factor = 3_600
        case "d": factor = 86_400
        default: throw .invalidDuration(text)
        }
        guard number <= 366 * 86_400 / factor else { throw .invalidDuration(text) }
        return number * factor
    }

    /// Writes seconds back in the largest unit that divides them: 7200 is `2h`.
    public static func format(_ seconds: Int) -> String {
        if seconds > 0, seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds > 0, seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
        if seconds > 0, seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
