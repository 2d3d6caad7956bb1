import Foundation

// MARK: - Next run

/// The next-run computation: a pure function of the schedule and an instant, reading no clock.
///
/// Clock changes follow Vixie cron and systemd:
/// - A fixed-hour job (an hour field that does not start with `*`, such as `30 1 * * *`) runs once
///   a day whatever the clocks do. A time skipped when clocks go forward (01:30 on 2027-03-28 in
///   Europe/London) runs at the first instant after the gap (02:00 BST, 01:00 UTC). A time that
///   occurs twice when clocks go back (01:30 on 2027-10-31) runs at its first occurrence (BST).
/// - A wildcard-hour job (`0 * * * *`, `*/30 * * * *`) follows the wall clock: it runs at every
///   real occurrence of a matching time, so twice in the repeated hour and not at all in the
///   skipped one.
///
/// Several skipped times of one fixed-hour job map to the same instant and so run once.
extension Schedule {
    /// Returns the earliest instant after `after` at which the schedule runs, or nil when it never runs
    /// again (a one-off time that has passed, a window that has closed, or a cron expression whose
    /// days never occur, such as `0 0 30 2 *`).
    public func nextRun(after: Date) -> Date? {
        switch timing {
        case .once(let local):
            guard isInWindow(local.date) else { return nil }
            return Self.instants(of: local, in: timeZone, followsWallClock: false).first { $0 > after }
        case .cron(let expression):
            return nextCronRun(expression, after: after)
        }
    }

    /// Returns the instants in `after` (exclusive) to `through` (inclusive) at which the schedule runs,
    /// oldest first, at most `limit` of them.
    public func runs(after: Date, through: Date, limit: Int = 10_000) -> [Date] {
        var result: [Date] = []
        var cursor = after
        while result.count < limit, let next = nextRun(after: cursor), next <= through {
            result.append(next)
            cursor = next
        }
        return result
    }

    /// Whether `date` falls within the schedule's window.
    func isInWindow(_ date: LocalDate) -> Bool {
        if let firstDate, date < firstDate { return false }
        if let lastDate, lastDate < date { return false }
        return true
    }

    /// Returns the instants a matching wall-clock time runs at, under the rules above.
    static func instants(of local: LocalDateTime, in timeZone: TimeZone, followsWallClock: Bool) -> [Date] {
        switch WallClockResolution(local, in: timeZone) {
        case .single(let instant): return [instant]
        case .repeated(let first, let second): return followsWallClock ? [first, second] : [first]
        case .skipped(let transition): return followsWallClock ? [] : [transition]
        }
    }

    // MARK: - Cron search

    /// Days searched before giving up: 28 years, the cycle after which weekdays and leap years
    /// repeat, so that `0 0 29 2 MON` is still found.
    private static let searchDays = 28 * 366

    /// Seconds a wall clock can move at one change: 3 hours covers every zone in use.
    private static let maximumShift = 3 * 3_600

    private func nextCronRun(_ expression: CronExpression, after: Date) -> Date? {
        // Near a clock change, a wall-clock time earlier than the one at `after` can still be
        // ahead (the repeated hour), so the search starts a little earlier there.
        var start = LocalDateTime(after, in: timeZone)
        if WallClockResolution.isNearTransition(after, in: timeZone) {
            start = LocalDateTime(secondsSinceEpochAsUTC: start.secondsSinceEpochAsUTC - Self.maximumShift)
        }
        let startSeconds = start.secondsSinceEpochAsUTC
        let hours = expression.matchingHours
        let minutes = expression.matchingMinutes

        var best: Date?
        var bestLocalSeconds = 0
        let firstDay = max(start.date.daysSinceEpoch, firstDate?.daysSinceEpoch ?? Int.min)
        for day in firstDay...(firstDay + Self.searchDays) {
            let date = LocalDate(daysSinceEpoch: day)
            if let lastDate, lastDate < date { break }
            if best != nil, day * 86_400 > bestLocalSeconds + Self.maximumShift { break }
            guard expression.matches(date: date) else { continue }

            for hour in hours {
                for minute in minutes {
                    let local = LocalDateTime(date: date, hour: hour, minute: minute)
                    let localSeconds = local.secondsSinceEpochAsUTC
                    guard localSeconds >= startSeconds else { continue }
                    if best != nil, localSeconds > bestLocalSeconds + Self.maximumShift { return best }

                    for instant in Self.instants(of: local, in: timeZone, followsWallClock: expression.followsWallClock)
                    where instant > after && instant < (best ?? .distantFuture) {
                        // Away from a clock change wall-clock order is instant order, so the
                        // first match is the result.
                        guard WallClockResolution.isNearTransition(instant, in: timeZone) else { return instant }
                        if best == nil { bestLocalSeconds = localSeconds }
                        best = instant
                    }
                }
            }
        }
        return best
    }
}
