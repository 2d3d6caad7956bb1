import Foundation

/// Shows the progress of long work (imports, sends, exports) on one line of standard error,
/// redrawn in place:
///
/// ```
/// Importing students  1,204/5,000  24%  410/s  ETA 0:09
/// ```
///
/// It writes only when standard error is a terminal and `--quiet` was not given, so pipes, log
/// files and scripts see nothing. It redraws at most 10 times a second, timed by a monotonic
/// clock, so a fast loop can call ``advance(by:)`` for every row at little cost. ``finish()``
/// clears the line, so the next output starts on a clean line.
///
/// ```swift
/// let progress = ProgressReporter(label: "Importing students", total: rows.count, console: console)
/// for row in rows {
///     try importRow(row)
///     progress.advance()
/// }
/// progress.finish()
/// ```
///
/// It is `Sendable`, so concurrent tasks can share one reporter. It is `@unchecked` because all
/// mutable state is read and written only while holding `lock`; that includes writing the line,
/// so redraws never interleave.
public final class ProgressReporter: @unchecked Sendable {
    /// A monotonic clock: the time elapsed since a fixed moment. Tests pass a manual one.
    public typealias Clock = @Sendable () -> Duration

    /// The shortest time between two redraws.
    public static let redrawInterval = Duration.milliseconds(100)

    public let label: String
    public let total: Int?
    /// Whether anything is written at all: standard error is a terminal and `--quiet` is off.
    public let isEnabled: Bool

    private let sink: any OutputSink
    private let width: Int
    private let clock: Clock
    private let lock = NSLock()

    private let startedAt: Duration
    private var completed = 0
    private var lastDrawnAt: Duration?
    private var isFinished = false
    private var hasDrawn = false

    /// Creates a reporter for `total` items, or an unknown number when `total` is `nil`.
    public init(label: String, total: Int?, console: Console, clock: Clock? = nil) {
        self.label = label
        self.total = total
        self.isEnabled = console.standardError.isTerminal && !console.isQuiet
        self.sink = console.standardError
        self.width = console.width
        self.clock = clock ?? Self.monotonicClock()
        self.startedAt = self.clock()
    }

    /// Returns a clock based on `ContinuousClock`, which never goes backwards.
    public static func monotonicClock() -> Clock {
        let origin = ContinuousClock.now
        return { origin.duration(to: ContinuousClock.now) }
    }

    // MARK: - Reporting

    /// Counts `count` more items as done and redraws if the last redraw is old enough.
    public func advance(by count: Int = 1) {
        lock.withLock {
            completed += count
            redrawIfDue()
        }
    }

    /// Sets the number of items done and redraws if the last redraw is old enough.
    public func update(completed newValue: Int) {
        lock.withLock {
            completed = newValue
            redrawIfDue()
        }
    }

    /// Clears the progress line. Later calls to `advance` or `update` draw nothing.
    public func finish() {
        lock.withLock {
            guard !isFinished else { return }
            isFinished = true
            if isEnabled, hasDrawn {
                sink.write("\r\u{1B}[K")
            }
        }
    }

    private func redrawIfDue() {
        guard isEnabled, !isFinished else { return }
        let now = clock()
        if let lastDrawnAt, now - lastDrawnAt < Self.redrawInterval { return }
        lastDrawnAt = now
        hasDrawn = true
        let line = ProgressLine(label: label, completed: completed, total: total, elapsed: now - startedAt)
        // `\r` returns to the start of the line and `ESC [K` erases what a longer line left.
        sink.write("\r" + line.render(width: width - 1) + "\u{1B}[K")
    }
}

// MARK: - Line

/// The text of one progress line, apart from drawing, so it can be tested on its own.
struct ProgressLine {
    var label: String
    var completed: Int
    var total: Int?
    var elapsed: Duration

    /// Returns the line cut to `width` columns by shortening the label.
    func render(width: Int) -> String {
        var parts: [String] = []
        if let total {
            parts.append("\(Self.grouped(completed))/\(Self.grouped(total))")
            let percent = total > 0 ? min(100, completed * 100 / total) : 100
            parts.append("\(percent)%")
        } else {
            parts.append(Self.grouped(completed))
        }

        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(completed) / seconds : 0
        if rate > 0 {
            parts.append(rate < 10 ? "\(Double(Int(rate * 10)) / 10)/s" : "\(Self.grouped(Int(rate)))/s")
        }
        if let total, rate > 0, completed < total {
            parts.append("ETA " + Self.clockTime(seconds: Int((Double(total - completed) / rate).rounded(.up))))
        }

        let figures = parts.joined(separator: "  ")
        let labelRoom = width - DisplayWidth.columns(of: figures) - 2
        guard labelRoom > 0 else { return DisplayWidth.truncate(figures, toColumns: max(0, width)) }
        return DisplayWidth.truncate(label, toColumns: labelRoom) + "  " + figures
    }

    /// Returns `n` with a comma between groups of three digits, as in `12,345`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var result = ""
        for (position, digit) in digits.enumerated() {
            if position > 0, (digits.count - position) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return n < 0 ? "-" + result : result
    }

    /// Returns a duration as `m:ss`, or `h:mm:ss` from one hour.
    static func clockTime(seconds: Int) -> String {
        let hours = seconds / 3600
        let minutes = seconds / 60 % 60
        let secondsPart = seconds % 60
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        if hours > 0 { return "\(hours):\(twoDigits(minutes)):\(twoDigits(secondsPart))" }
        return "\(minutes):\(twoDigits(secondsPart))"
    }
}
