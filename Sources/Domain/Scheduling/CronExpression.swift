/// A five-field cron expression: minute, hour, day of month, month, day of week.
///
/// Fields take `*`, numbers, lists (`1,15`), ranges (`1-5`), steps (`*/15`, `10-50/10`), month
/// names `JAN`-`DEC` and weekday names `SUN`-`SAT` in any case. Day of week 0 and 7 are both
/// Sunday. The shortcuts `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight` and
/// `@hourly` stand for their usual five fields.
///
/// As in Vixie cron, when both day fields are restricted (neither starts with `*`) a day matches
/// when either field matches: `0 9 1 * MON` runs on the 1st and on every Monday.
///
/// ```swift
/// let expression = try CronExpression(parsing: "*/15 7-17 * * MON-FRI")
/// expression.matches(minute: 30, hour: 8)   // true
/// ```
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// One of the five fields, named as messages name it.
    public enum Field: String, Sendable, CaseIterable {
        case minute
        case hour
        case dayOfMonth = "day-of-month"
        case month
        case dayOfWeek = "day-of-week"

        var bounds: ClosedRange<Int> {
            switch self {
            case .minute: return 0...59
            case .hour: return 0...23
            case .dayOfMonth: return 1...31
            case .month: return 1...12
            case .dayOfWeek: return 0...7
            }
        }

        var names: [String] {
            switch self {
            case .month: return ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            case .dayOfWeek: return ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            default: return []
            }
        }

        /// The value of the first name: months count from 1, weekdays from 0.
        var firstNameValue: Int { self == .month ? 1 : 0 }
    }

    /// The text as the admin wrote it, trimmed.
    public let source: String
    /// Bit `n` is set when value `n` matches.
    let minutes: UInt64
    let hours: UInt64
    let daysOfMonth: UInt64
    let months: UInt64
    /// Bits 0 to 6, Sunday first; a 7 in the source sets bit 0.
    let daysOfWeek: UInt64
    /// Whether the hour field starts with `*`. Such jobs follow the wall clock through clock
    /// changes, while fixed-hour jobs run once (see ``ScheduleCalendar``).
    public let followsWallClock: Bool
    let dayOfMonthIsStar: Bool
    let dayOfWeekIsStar: Bool

    static let shortcuts: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    // MARK: - Parsing

    /// Parses a cron expression or shortcut.
    ///
    /// - Throws: ``CronError`` naming the field and quoting the value that is wrong, such as
    ///   "invalid cron expression '61 * * * *': minute '61' is outside 0-59".
    public init(parsing text: String) throws(CronError) {
        let source = text.trimmingSpaces()
        var expanded = source
        if source.hasPrefix("@") {
            guard let fields = Self.shortcuts[source.lowercased()] else { throw .unknownShortcut(expression: source) }
            expanded = fields
        }
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else { throw .wrongFieldCount(expression: source, count: fields.count) }

        self.source = source
        minutes = try Self.parseField(fields[0], .minute, expression: source)
        hours = try Self.parseField(fields[1], .hour, expression: source)
        daysOfMonth = try Self.parseField(fields[2], .dayOfMonth, expression: source)
        months = try Self.parseField(fields[3], .month, expression: source)
        let weekdays = try Self.parseField(fields[4], .dayOfWeek, expression: source)
        // Fold 7 (Sunday) onto 0.
        daysOfWeek = (weekdays & 0x7F) | ((weekdays >> 7) & 1)
        followsWallClock = fields[1].hasPrefix("*")
        dayOfMonthIsStar = fields[2].hasPrefix("*")
        dayOfWeekIsStar = fields[4].hasPrefix("*")
    }

    /// Parses one field into a bit set of the values it matches.
    private static func parseField(_ text: String, _ field: Field, expression: String) throws(CronError) -> UInt64 {
        var bits: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard !item.isEmpty else { throw .invalidValue(expression: expression, field: field, value: text) }

            // Split off a step.
            var rangeText = item
            var step = 1
            if let slash = item.firstIndex(of: "/") {
                rangeText = String(item[..<slash])
                let stepText = String(item[item.index(after: slash)...])
                guard let parsed = Int(stepText), parsed > 0 else {
                    throw .invalidStep(expression: expression, field: field, value: item)
                }
                step = parsed
            }

            // The range the step walks.
            let lower: Int
            var upper: Int
            if rangeText == "*" {
                lower = field.bounds.lowerBound
                upper = field == .dayOfWeek ? 6 : field.bounds.upperBound
            } else if let dash = rangeText.firstIndex(of: "-") {
                lower = try value(String(rangeText[..<dash]), field, expression: expression)
                upper = try value(String(rangeText[rangeText.index(after: dash)...]), field, expression: expression)
                guard lower <= upper else { throw .backwardsRange(expression: expression, field: field, value: item) }
            } else {
                lower = try value(rangeText, field, expression: expression)
                // `5/10` means from 5 to the end of the field, as in Vixie cron.
                upper = item.contains("/") ? field.bounds.upperBound : lower
            }

            for number in stride(from: lower, through: upper, by: step) {
                bits |= 1 << UInt64(number)
            }
        }
        return bits
    }

    /// One number or name of a field, checked against the field's bounds.
    private static func value(_ text: String, _ field: Field, expression: String) throws(CronError) -> Int {
        if let index = field.names.firstIndex(of: text.uppercased()) {
            return index + field.firstNameValue
        }
        guard !text.isEmpty, text.allSatisfy(\.isASCII), let number = Int(text) else {
            throw .invalidValue(expression: expression, field: field, value: text)
        }
        guard field.bounds.contains(number) else {
            throw .outOfRange(expression: expression, field: field, value: text)
        }
        return number
    }

    // MARK: - Matching

    /// Whether the day matches, with the rule that two restricted day fields match either way.
    public func matches(date: LocalDate) -> Bool {
        guard months & (1 << UInt64(date.month)) != 0 else { return false }
        let dayOfMonthMatches = daysOfMonth & (1 << UInt64(date.day)) != 0
        let dayOfWeekMatches = daysOfWeek & (1 << UInt64(date.weekday)) != 0
        if dayOfMonthIsStar || dayOfWeekIsStar {
            return dayOfMonthMatches && dayOfWeekMatches
        }
        return dayOfMonthMatches || dayOfWeekMatches
    }

    /// Whether the time of day matches.
    public func matches(minute: Int, hour: Int) -> Bool {
        minutes & (1 << UInt64(minute)) != 0 && hours & (1 << UInt64(hour)) != 0
    }

    /// The hours that match, in order.
    var matchingHours: [Int] { (0...23).filter { hours & (1 << UInt64($0)) != 0 } }
    /// The minutes that match, in order.
    var matchingMinutes: [Int] { (0...59).filter { minutes & (1 << UInt64($0)) != 0 } }

    public var description: String { source }
}

/// A cron expression that cannot be parsed. Each case carries the whole expression, and the
/// field and value at fault.
public enum CronError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongFieldCount(expression: String, count: Int)
    case unknownShortcut(expression: String)
    case invalidValue(expression: String, field: CronExpression.Field, value: String)
    case outOfRange(expression: String, field: CronExpression.Field, value: String)
    case invalidStep(expression: String, field: CronExpression.Field, value: String)
    case backwardsRange(expression: String, field: CronExpression.Field, value: String)

    public var description: String {
        switch self {
        case .wrongFieldCount(let expression, let count):
            return "invalid cron expression '\(expression)': expected 5 fields (minute hour day-of-month month day-of-week) but found \(count); write for example '30 7 * * MON-FRI'"
        case .unknownShortcut(let expression):
            return "invalid cron expression '\(expression)': unknown shortcut; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly"
        case .invalidValue(let expression, let field, let value):
            let names = field.names.isEmpty ? "" : " or a name \(field.names.first!)-\(field.names.last!)"
            return "invalid cron expression '\(expression)': \(field.rawValue) '\(value)' is not a number\(names); use a number in \(field.bounds.lowerBound)-\(field.bounds.upperBound)\(names)"
        case .outOfRange(let expression, let field, let value):
            return "invalid cron expression '\(expression)': \(field.rawValue) '\(value)' is outside \(field.bounds.lowerBound)-\(field.bounds.upperBound)"
        case .invalidStep(let expression, let field, let value):
            return "invalid cron expression '\(expression)': \(field.rawValue) '\(value)' has an invalid step; write the step as a whole number of 1 or more, as in */15"
        case .backwardsRange(let expression, let field, let value):
            return "invalid cron expression '\(expression)': \(field.rawValue) range '\(value)' runs backwards; write the smaller value first, as in 1-5"
        }
    }
}
