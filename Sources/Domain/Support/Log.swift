import Synchronization

/// Lanyard's small logging facade: libraries log through it, and the executable decides where
/// the records go (stderr, a file, a test's recorder). Libraries never print.
///
/// Messages are built only when the level is enabled. Never put a secret (a token, a password,
/// a PIN or parent code) in a message or in metadata.
///
/// ```swift
/// let log = Log(label: "import")
/// log.info("imported", ["file": path, "new": "\(summary.new)"])
/// ```
public struct Log: Sendable {
    public enum Level: Int, Comparable, Sendable, CaseIterable {
        case debug, info, warning, error

        public var name: String {
            switch self {
            case .debug: return "debug"
            case .info: return "info"
            case .warning: return "warning"
            case .error: return "error"
            }
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// One log record as a handler receives it.
    public struct Record: Sendable {
        public var label: String
        public var level: Level
        public var message: String
        public var metadata: [String: String]
    }

    public typealias Handler = @Sendable (Record) -> Void

    private static let state = Mutex<(level: Level, handler: Handler?)>((.info, nil))

    /// Installs where records go and the lowest level that is kept. Records are dropped until
    /// a handler is installed.
    public static func bootstrap(level: Level, handler: @escaping Handler) {
        state.withLock { $0 = (level, handler) }
    }

    public let label: String

    public init(label: String) {
        self.label = label
    }

    public func log(_ level: Level, _ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: String] = [:]) {
        let (minimum, handler) = Self.state.withLock { ($0.level, $0.handler) }
        guard level >= minimum, let handler else { return }
        handler(Record(label: label, level: level, message: message(), metadata: metadata()))
    }

    public func debug(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: String] = [:]) {
        log(.debug, message(), metadata())
    }

    public func info(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: String] = [:]) {
        log(.info, message(), metadata())
    }

    public func warning(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: String] = [:]) {
        log(.warning, message(), metadata())
    }

    public func error(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: String] = [:]) {
        log(.error, message(), metadata())
    }
}
