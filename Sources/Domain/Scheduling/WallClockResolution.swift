import Foundation

/// Where a wall-clock time falls in a time zone: once, twice (the repeated hour when clocks go
/// back), or never (the hour skipped when clocks go forward).
public enum WallClockResolution: Sendable, Equatable {
    /// The usual case: the wall-clock time names one instant.
    case single(Date)
    /// Clocks went back, so the time occurs twice; `first` is in summer time.
    case repeated(first: Date, second: Date)
    /// Clocks went forward over the time; `transition` is the first instant after the gap.
    case skipped(transition: Date)

    /// Resolves `local` in `timeZone`, reading no clock.
    ///
    /// Offsets are probed a day either side, which assumes a zone changes its offset at most once
    /// in two days; every zone in the IANA database does.
    public init(_ local: LocalDateTime, in timeZone: TimeZone) {
        let civil = local.secondsSinceEpochAsUTC
        let offsetBefore = Self.offset(timeZone, civil - 86_400)
        let offsetAfter = Self.offset(timeZone, civil + 86_400)
        guard offsetBefore != offsetAfter else {
            self = .single(Date(timeIntervalSince1970: TimeInterval(civil - offsetBefore)))
            return
        }

        // Near a change of offset: keep each offset under which the wall clock reads `local`.
        let instants = [offsetBefore, offsetAfter]
            .map { civil - $0 }
            .filter { instant in Self.offset(timeZone, instant) == civil - instant }
            .sorted()
        switch instants.count {
        case 0:
            self = .skipped(transition: Self.transition(timeZone, between: civil - max(offsetBefore, offsetAfter), and: civil - min(offsetBefore, offsetAfter)))
        case 1:
            self = .single(Date(timeIntervalSince1970: TimeInterval(instants[0])))
        default:
            self = .repeated(
                first: Date(timeIntervalSince1970: TimeInterval(instants[0])),
                second: Date(timeIntervalSince1970: TimeInterval(instants[instants.count - 1])))
        }
    }

    /// Whether the zone's offset changes within a day either side of `instant`.
    static func isNearTransition(_ instant: Date, in timeZone: TimeZone) -> Bool {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        return offset(timeZone, seconds - 86_400) != offset(timeZone, seconds + 86_400)
    }

    private static func offset(_ timeZone: TimeZone, _ seconds: Int) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The first second in `low...high` whose offset differs from the offset at `low`, found by
    /// halving the interval (a gap is at most a few hours, so about 14 steps).
    private static func transition(_ timeZone: TimeZone, between low: Int, and high: Int) -> Date {
        let offsetAtStart = offset(timeZone, low)
        var low = low
        var high = high
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(timeZone, middle) == offsetAtStart { low = middle } else { high = middle }
        }
        return Date(timeIntervalSince1970: TimeInterval(high))
    }
}
