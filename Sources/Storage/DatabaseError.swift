/// A failed SQLite call: its result code, SQLite's message and the statement involved.
///
/// Bound values are never part of the error, because they may be private (codes, emails).
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// The SQLite result code, extended where SQLite gave one.
    public let code: Int32
    public let message: String
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// True when another connection held a lock for longer than the busy timeout.
    public var isBusy: Bool { code & 0xff == 5 || code & 0xff == 6 }

    /// True when a UNIQUE, FOREIGN KEY, NOT NULL or CHECK constraint rejected a write.
    public var isConstraintViolation: Bool { code & 0xff == 19 }

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " (in: \(sql))" }
        return text
    }
}
