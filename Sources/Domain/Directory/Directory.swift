import Foundation
import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// The school directory: one SQLite database holding schools, people, parent links,
/// login codes and the audit log.
///
/// ```swift
/// let directory = try Directory(path: "lanyard.db")
/// let students = try directory.users(matching: Selection(parsing: "role:student year:7"))
/// ```
public final class Directory {
    public let database: Database
    /// Who is acting, for the audit log: the operating-system user by default.
    public var actor: String
    /// The clock, injectable so that tests can fix "now".
    public var now: @Sendable () -> Date
    /// Called with the number of people handled so far during an import, for progress displays.
    public var importProgress: ((Int) -> Void)?
    /// Runs on every message before it enters the outbox: the plugins' `before_send` hooks.
    public var outgoingCheck: OutgoingMessageCheck?
    /// Runs at the end of every import, inside its transaction, before it commits: the
    /// plugins' `after_import` hooks. Throwing rolls the import back.
    public var afterImport: ((ImportSummary) throws -> Void)?

    /// Opens the directory at `path`, creating it and bringing its schema up to date.
    ///
    /// - Throws: ``DatabaseError`` when the file cannot be opened or is from a newer Lanyard.
    public init(path: String, actor: String? = nil, now: @escaping @Sendable () -> Date = { Date() }) throws {
        try Self.checkIsDirectory(path)
        self.database = try Database(path: path)
        self.actor = actor ?? Self.operatingSystemUser()
        self.now = now
        try Schema.migrator.migrate(database)
        // Written only once: a write on every open would wait for the lock of a running script.
        if try database.scalar("PRAGMA application_id")?.intValue != Self.applicationID {
            try database.execute("PRAGMA application_id = \(Self.applicationID)")
        }
    }

    /// Lanyard's mark in the SQLite header (`PRAGMA application_id`), "LNYD" in ASCII.
    static let applicationID = 0x4C4E_5944

    /// Refuses, before changing anything, a file that is not SQLite or is another program's
    /// SQLite database, so that Lanyard never converts someone else's file to its own.
    static func checkIsDirectory(_ path: String) throws {
        guard path != ":memory:", let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            (attributes[.size] as? Int ?? 0) > 0
        else { return }
        let probe: Database
        do {
            probe = try Database(path: path, readOnly: true)
        } catch {
            throw DirectoryError.unreadable(path: path, reason: error.message)
        }
        let identifier: Int
        let tables: Int
        do {
            identifier = try probe.scalar("PRAGMA application_id")?.intValue ?? 0
            tables = try probe.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'")?.intValue ?? 0
        } catch {
            throw DirectoryError.notADirectory(path: path, reason: error.message)
        }
        if identifier != applicationID && tables > 0 && (try? probe.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'users'")?.intValue) != 1 {
            throw DirectoryError.notADirectory(path: path, reason: "it is another program's SQLite database")
        }
    }

    /// The path an admin meant: `--db`, else `$LANYARD_DB`, else `./lanyard.db`.
    public static func resolvePath(option: String?, environment: [String: String]) -> String {
        if let option, !option.isEmpty { return option }
        if let variable = environment["LANYARD_DB"], !variable.isEmpty { return variable }
        return "lanyard.db"
    }

    /// The account running Lanyard, from the process's user id rather than environment
    /// variables, which anyone can set; under sudo, the invoking user is added, as sudo
    /// reports it in SUDO_USER.
    static func operatingSystemUser() -> String {
        let userId = geteuid()
        var name = "uid \(userId)"
        if let entry = getpwuid(userId), let login = entry.pointee.pw_name {
            name = String(cString: login)
        }
        if let invoker = ProcessInfo.processInfo.environment["SUDO_USER"], !invoker.isEmpty, invoker != name {
            name += " (via sudo from \(invoker))"
        }
        return name
    }

    /// Now as stored in the database: ISO 8601 in UTC, to the second.
    func timestamp(_ date: Date? = nil) -> String {
        Timestamp.format(date ?? now())
    }

    // MARK: - Schools

    public func schools() throws -> [School] {
        try database.query("SELECT id, source_id, name, dfe_number, sso_provider FROM schools ORDER BY id")
            .map(School.init(row:))
    }

    /// The one school this directory serves.
    ///
    /// - Throws: ``DirectoryError/noSchool`` before the first import, and
    ///   ``DirectoryError/severalSchools(_:)`` when a trust keeps several and none was named.
    public func onlySchool() throws -> School {
        let all = try schools()
        guard let first = all.first else { throw DirectoryError.noSchool(path: database.path) }
        guard all.count == 1 else { throw DirectoryError.severalSchools(all.map(\.name)) }
        return first
    }

    /// Adds a school, or updates the one with the same DfE number.
    @discardableResult
    public func addSchool(name: String, dfeNumber: String?, ssoProvider: SSOProvider) throws -> Int {
        if let dfeNumber, let existing = try database.scalar("SELECT id FROM schools WHERE dfe_number = ?1", [dfeNumber])?.intValue {
            try database.execute(
                "UPDATE schools SET name = ?1, sso_provider = ?2 WHERE id = ?3", [name, ssoProvider.rawValue, existing])
            return existing
        }
        try database.execute(
            "INSERT INTO schools (name, dfe_number, sso_provider, created_at) VALUES (?1, ?2, ?3, ?4)",
            [name, dfeNumber, ssoProvider.rawValue, timestamp()])
        return database.lastInsertRowID
    }

    public func setSSOProvider(_ provider: SSOProvider, schoolId: Int) throws {
        try database.execute("UPDATE schools SET sso_provider = ?1 WHERE id = ?2", [provider.rawValue, schoolId])
    }

    // MARK: - Users

    /// The columns read into a ``User``, in the order ``User/init(statement:)`` expects.
    public static let userColumns = """
        users.id, users.school_id, users.role, users.source_id, users.upn, users.former_upn,
        users.staff_code, users.admission_number, users.legal_forename, users.legal_surname,
        users.preferred_forename, users.preferred_surname, users.email, users.year_group,
        users.registration_group, users.status, users.start_date, users.date_of_birth,
        users.registered, users.last_login
        """

    public func user(id: Int) throws -> User? {
        var found: User?
        try database.forEachRow("SELECT \(Self.userColumns) FROM users WHERE id = ?1", [id]) { statement in
            found = User(statement: statement)
        }
        return found
    }

    /// The user whose UPN, staff code, source id or former UPN is `key`, tried in that order.
    public func user(key: String) throws -> User? {
        let normalised = key.trimmingSpaces()
        // One query per column, so that each uses its index.
        let lookups = [
            ("upn = ?1", normalised.uppercased()), ("staff_code = ?1", normalised), ("source_id = ?1", normalised),
            ("former_upn = ?1", normalised.uppercased()),
        ]
        for (condition, value) in lookups {
            let statement = try database.cachedStatement("SELECT \(Self.userColumns) FROM users WHERE \(condition) ORDER BY id LIMIT 1")
            try statement.bind([value])
            defer { statement.reset() }
            if try statement.step() { return User(statement: statement) }
        }
        return nil
    }

    /// The parents and guardians linked to a student, in priority order.
    public func parents(ofStudent studentId: Int) throws -> [User] {
        var result: [User] = []
        try database.forEachRow(
            """
            SELECT \(Self.userColumns) FROM users JOIN parent_links ON parent_links.parent_id = users.id
            WHERE parent_links.student_id = ?1
            ORDER BY coalesce(parent_links.priority, 99), users.legal_surname, users.legal_forename
            """, [studentId]
        ) { statement in
            result.append(User(statement: statement))
        }
        return result
    }

    /// The students a parent is linked to.
    public func children(ofParent parentId: Int) throws -> [User] {
        var result: [User] = []
        try database.forEachRow(
            """
            SELECT \(Self.userColumns) FROM users JOIN parent_links ON parent_links.student_id = users.id
            WHERE parent_links.parent_id = ?1 ORDER BY users.legal_surname, users.legal_forename
            """, [parentId]
        ) { statement in
            result.append(User(statement: statement))
        }
        return result
    }
}

/// Failures of directory operations that an admin can fix.
public enum DirectoryError: Error, Equatable, CustomStringConvertible {
    case noSchool(path: String)
    case severalSchools([String])
    case userNotFound(String)
    case notADirectory(path: String, reason: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .noSchool(let path):
            return "the directory '\(path)' has no school yet; import a OneRoster bundle or MIS export first (lanyard import --help)"
        case .severalSchools(let names):
            return "the directory holds several schools (\(names.joined(separator: ", "))); name one with a selection such as school:801/2000"
        case .notADirectory(let path, let reason):
            return "'\(path)' is not a Lanyard directory (\(reason)); give --db the path of a directory made by 'lanyard init', or a new file name"
        case .unreadable(let path, let reason):
            return "cannot read the directory '\(path)': \(reason); check that it is a file you may read, or give another --db"
        case .userNotFound(let key):
            return "no user with UPN, staff code or id '\(key)'; check it with 'lanyard users list --where name:...'"
        }
    }
}

/// Formats and parses the timestamps the directory stores.
public enum Timestamp {
    /// `2026-09-01T07:30:00Z`. Uses the C library's calendar arithmetic, because imports format
    /// a timestamp per row and Foundation's `Calendar` is slow at that rate.
    public static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// The date part (`YYYY-MM-DD`) of a stored timestamp.
    public static func datePart(_ timestamp: String) -> String {
        String(timestamp.prefix(10))
    }

    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}

extension School {
    init(row: Row) {
        self.init(
            id: row.int("id") ?? 0,
            sourceId: row.string("source_id"),
            name: row.string("name") ?? "",
            dfeNumber: row.string("dfe_number"),
            ssoProvider: SSOProvider(rawValue: row.string("sso_provider") ?? "none") ?? .none)
    }
}

extension User {
    /// Reads a user from a statement whose columns are ``Directory/userColumns``.
    public init(statement: Statement) {
        self.init(
            id: statement.int(0),
            schoolId: statement.int(1),
            role: Role(rawValue: statement.string(2)) ?? .student,
            sourceId: statement.optionalString(3),
            upn: statement.optionalString(4),
            formerUPN: statement.optionalString(5),
            staffCode: statement.optionalString(6),
            admissionNumber: statement.optionalString(7),
            legalForename: statement.string(8),
            legalSurname: statement.string(9),
            preferredForename: statement.optionalString(10),
            preferredSurname: statement.optionalString(11),
            email: statement.optionalString(12),
            yearGroup: statement.optionalInt(13).flatMap(YearGroup.init(number:)),
            registrationGroup: statement.optionalString(14),
            status: EnrolmentStatus(rawValue: statement.string(15)) ?? .onRoll,
            startDate: statement.optionalString(16),
            dateOfBirth: statement.optionalString(17),
            registered: statement.int(18) != 0,
            lastLogin: statement.optionalString(19))
    }
}
