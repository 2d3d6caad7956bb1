import CSQLite

#if canImport(Glibc)
    import Glibc
#endif

/// One connection to a SQLite database file.
///
/// Opening sets the connection up the way Lanyard relies on: write-ahead logging (readers never
/// block the writer), foreign keys enforced, and a busy timeout so that a second process waits
/// for a lock instead of failing at once. A new file is created with mode 0600 because the
/// directory holds pupils' details and codes; SQLite gives its `-wal` and `-shm` files the same
/// mode.
///
/// A connection is used from one thread at a time; it is not `Sendable`.
///
/// ```swift
/// let database = try Database(path: "lanyard.db")
/// try database.transaction {
///     try database.execute("UPDATE users SET email = ?1 WHERE id = ?2", ["a@example.org", 7])
/// }
/// ```
public final class Database {
    let handle: OpaquePointer
    public let path: String
    private var savepointDepth = 0
    private var statementCache: [String: Statement] = [:]
    /// The SQL of cached statements that a ``forEachRow(_:_:_:)`` is stepping through, which
    /// must not be reset under it by a nested use of the same SQL.
    private var statementsInUse: Set<String> = []

    /// Opens (and creates if missing) the database at `path`.
    ///
    /// - Parameters:
    ///   - path: a file path, or `":memory:"` for a private in-memory database.
    ///   - busyTimeout: how long to wait for another connection's lock, in milliseconds.
    ///   - readOnly: open without write access; the file must exist.
    /// - Throws: ``DatabaseError`` when the file cannot be created or opened.
    public init(path: String, busyTimeout: Int32 = 10_000, readOnly: Bool = false) throws(DatabaseError) {
        if !readOnly, path != ":memory:" {
            try Self.createPrivateFile(at: path)
        }

        var connection: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let result = sqlite3_open_v2(path, &connection, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard result == SQLITE_OK, let connection else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(connection)
            throw DatabaseError(code: result, message: "cannot open database '\(path)': \(message)")
        }
        self.handle = connection
        self.path = path
        sqlite3_extended_result_codes(connection, 1)
        sqlite3_busy_timeout(connection, busyTimeout)

        if !readOnly {
            try execute("PRAGMA journal_mode = WAL")
            try execute("PRAGMA synchronous = NORMAL")
            // 32 MiB of page cache (the default is 2 MiB), so that a 100,000-row import keeps its
            // indexes in memory instead of spilling pages to the WAL mid-transaction.
            try execute("PRAGMA cache_size = -32768")
        }
        try execute("PRAGMA foreign_keys = ON")
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Creates an empty file with mode 0600 unless one exists, so SQLite never creates it with
    /// the process umask.
    private static func createPrivateFile(at path: String) throws(DatabaseError) {
        if access(path, F_OK) == 0 { return }
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if descriptor < 0, errno == EEXIST { return }
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw DatabaseError(code: SQLITE_CANTOPEN, message: "cannot create database '\(path)': \(reason)")
        }
        close(descriptor)
    }

    func error(code: Int32, sql: String?) -> DatabaseError {
        DatabaseError(code: code, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    // MARK: - Running SQL

    /// Runs one or more statements separated by semicolons, with no parameters.
    public func execute(_ sql: String) throws(DatabaseError) {
        let result = sqlite3_exec(handle, sql, nil, nil, nil)
        guard result == SQLITE_OK else { throw error(code: result, sql: sql) }
    }

    /// Runs one statement with positional parameters `?1`, `?2`, ...
    public func execute(_ sql: String, _ values: [any SQLBindable]) throws(DatabaseError) {
        try cachedStatement(sql).execute(values)
    }

    /// Runs one statement with already converted parameters; the fast path for bulk writes.
    public func execute(_ sql: String, values: [SQLValue]) throws(DatabaseError) {
        try cachedStatement(sql).execute(values: values)
    }

    /// Prepares a statement that the caller owns.
    public func prepare(_ sql: String) throws(DatabaseError) -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// A prepared statement kept for reuse by this connection, reset and ready to bind. While a
    /// ``forEachRow(_:_:_:)`` steps through the cached one, a fresh statement is returned.
    public func cachedStatement(_ sql: String) throws(DatabaseError) -> Statement {
        if statementsInUse.contains(sql) { return try prepare(sql) }
        if let statement = statementCache[sql] {
            statement.reset()
            return statement
        }
        let statement = try Statement(database: self, sql: sql)
        statementCache[sql] = statement
        return statement
    }

    /// All rows of a query, copied.
    public func query(_ sql: String, _ values: [any SQLBindable] = []) throws(DatabaseError) -> [Row] {
        let statement = try cachedStatement(sql)
        try statement.bind(values)
        var rows: [Row] = []
        while try statement.step() {
            rows.append(statement.row())
        }
        statement.reset()
        return rows
    }

    /// The first row of a query, or nil.
    public func queryRow(_ sql: String, _ values: [any SQLBindable] = []) throws(DatabaseError) -> Row? {
        try query(sql, values).first
    }

    /// The first column of the first row, or nil when there is no row.
    public func scalar(_ sql: String, _ values: [any SQLBindable] = []) throws(DatabaseError) -> SQLValue? {
        let statement = try cachedStatement(sql)
        try statement.bind(values)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return statement.value(0)
    }

    /// Streams rows to `body` without copying them; the statement is only valid inside `body`.
    public func forEachRow(
        _ sql: String,
        _ values: [any SQLBindable] = [],
        _ body: (Statement) throws -> Void
    ) throws {
        // The cached statement, unless an outer forEachRow is stepping through it already.
        let isCached = !statementsInUse.contains(sql)
        let statement = try cachedStatement(sql)
        if isCached { statementsInUse.insert(sql) }
        defer {
            if isCached {
                statementsInUse.remove(sql)
                statement.reset()
            }
        }
        try statement.bind(values)
        while try statement.step() {
            try body(statement)
        }
    }

    /// The rowid of the last successful INSERT on this connection.
    public var lastInsertRowID: Int { Int(sqlite3_last_insert_rowid(handle)) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Rows changed by INSERT, UPDATE and DELETE since the connection opened.
    public var totalChanges: Int { Int(sqlite3_total_changes(handle)) }

    /// True between BEGIN and COMMIT or ROLLBACK.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    // MARK: - Transactions

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// Nested calls become savepoints, so an inner failure undoes only the inner work when the
    /// outer caller catches it. The outer transaction starts with `BEGIN IMMEDIATE`, taking the
    /// write lock at once, so two writers queue on the busy timeout instead of deadlocking.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if savepointDepth > 0 || isInTransaction {
            return try savepoint(body)
        }
        try execute("BEGIN IMMEDIATE")
        savepointDepth += 1
        do {
            let result = try body()
            savepointDepth -= 1
            try execute("COMMIT")
            return result
        } catch {
            savepointDepth -= 1
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Runs `body` and always rolls back, returning what it produced. For dry runs.
    ///
    /// Inside a transaction it works on a savepoint, so only `body`'s changes are undone.
    public func rollingBack<T>(_ body: () throws -> T) throws -> T {
        if savepointDepth > 0 || isInTransaction {
            savepointDepth += 1
            let name = "lanyard_dry_\(savepointDepth)"
            defer {
                savepointDepth -= 1
                try? execute("ROLLBACK TO \(name)")
                try? execute("RELEASE \(name)")
            }
            try execute("SAVEPOINT \(name)")
            return try body()
        }
        try execute("BEGIN IMMEDIATE")
        savepointDepth += 1
        defer {
            savepointDepth -= 1
            if isInTransaction { try? execute("ROLLBACK") }
        }
        return try body()
    }

    private func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepointDepth += 1
        let name = "lanyard_\(savepointDepth)"
        defer { savepointDepth -= 1 }
        try execute("SAVEPOINT \(name)")
        do {
            let result = try body()
            try execute("RELEASE \(name)")
            return result
        } catch {
            try? execute("ROLLBACK TO \(name)")
            try? execute("RELEASE \(name)")
            throw error
        }
    }
}
