import Storage

/// Filling in students' and staff's email addresses from a CSV file keyed by UPN or staff code.
extension Directory {
    /// Reads a CSV file with a UPN or staff code column and an email column, and sets each
    /// person's address, all or nothing like an import.
    ///
    /// Columns are found by the header names MIS reports use (`UPN`, `Staff Code`, `Email`,
    /// `Primary Email`...). A row is invalid when its key is missing or matches nobody, its
    /// address is invalid, its key appeared earlier with another address, or its address
    /// belongs to another student or member of staff (in the file or the directory). A row with
    /// an empty address is ignored with a warning.
    ///
    /// ```swift
    /// let summary = try directory.updateEmails(fromCSV: "emails.csv")
    /// summary.stillMissing  // ["student": 12, "teacher": 0, "staff": 3]
    /// ```
    ///
    /// - Throws: ``ImportFailure`` listing every invalid row (nothing is written), unless
    ///   `options.skipInvalid`; ``ImportInputError`` when the key or email column is missing;
    ///   ``CSVReadError`` and ``DatabaseError``.
    public func updateEmails(fromCSV path: String, options: EmailUpdateOptions = EmailUpdateOptions()) throws -> EmailUpdateSummary {
        var reader = try CSVReader(path: path, options: CSVReadOptions(encoding: options.encoding, delimiter: options.delimiter))
        let table = try CSVTable(reader: &reader)
        let upnColumn = table.column(MISField.upn.headerNames)
        let staffColumn = table.column(MISField.staffCode.headerNames)
        guard upnColumn != nil || staffColumn != nil, let emailColumn = table.column(MISField.email.headerNames) else {
            throw ImportInputError(
                at: SourceLocation(file: path),
                "the file needs a UPN or staff code column and an email column (such as 'UPN' and 'Email'), but its header is \(CSVTable.describe(table.header, quoted: true)); rename the columns")
        }

        // Check every row before writing anything
        var planner = EmailUpdatePlanner(directory: self, table: table, upnColumn: upnColumn, staffColumn: staffColumn, emailColumn: emailColumn)
        for record in table.records {
            try planner.check(record)
        }
        let errors = planner.problems.filter { $0.severity == .error }
        if !errors.isEmpty && !options.skipInvalid {
            throw ImportFailure(source: path, problems: planner.problems)
        }

        // Apply in one transaction, rolled back for a dry run
        func work() throws -> EmailUpdateSummary {
            try database.transaction {
                var updated = 0
                var unchanged = 0
                let updatedAt = timestamp()
                for change in planner.changes {
                    if change.current == change.address {
                        unchanged += 1
                        continue
                    }
                    try database.execute("UPDATE users SET email = ?2, updated_at = ?3 WHERE id = ?1", [change.userId, change.address, updatedAt])
                    updated += 1
                }
                try audit(action: "users.update-emails", via: options.origin, userId: nil, detail: "\(updated) updated from \(path)")
                return EmailUpdateSummary(
                    source: path, dryRun: options.dryRun, rows: table.records.count, updated: updated, unchanged: unchanged,
                    invalid: Set(errors.compactMap(\.location.line)).count, problems: planner.problems, stillMissing: try usersWithoutEmail())
            }
        }
        return options.dryRun ? try database.rollingBack(work) : try work()
    }

    /// Counts the students, teachers and staff on roll without an email address, by role.
    public func usersWithoutEmail() throws -> [String: Int] {
        var counts: [String: Int] = ["student": 0, "teacher": 0, "staff": 0]
        for row in try database.query(
            """
            SELECT role, count(*) AS count FROM users
            WHERE status = 'on-roll' AND role IN ('student', 'teacher', 'staff') AND (email IS NULL OR email = '')
            GROUP BY role
            """)
        {
            if let role = row.string("role") { counts[role] = row.int("count") ?? 0 }
        }
        return counts
    }
}

/// Checks the rows of an email update and collects the changes and problems.
struct EmailUpdatePlanner {
    struct Change {
        var userId: Int
        var address: String
        var current: String?
        var line: Int
    }

    let directory: Directory
    let table: CSVTable
    let upnColumn: Int?
    let staffColumn: Int?
    let emailColumn: Int

    private(set) var changes: [Change] = []
    private(set) var problems: [ImportProblem] = []
    /// The first row for each user, by user id.
    private var rowByUser: [Int: (line: Int, address: String)] = [:]
    /// The first user for each address, lower-cased.
    private var userByAddress: [String: (userId: Int, key: String, line: Int)] = [:]

    init(directory: Directory, table: CSVTable, upnColumn: Int?, staffColumn: Int?, emailColumn: Int) {
        self.directory = directory
        self.table = table
        self.upnColumn = upnColumn
        self.staffColumn = staffColumn
        self.emailColumn = emailColumn
    }

    mutating func check(_ record: CSVRecord) throws {
        // The key and the person it names
        let upn = table.value(record, upnColumn)
        let staffCode = table.value(record, staffColumn)
        guard let key = upn ?? staffCode else {
            problems.append(ImportProblem(at: table.location(record), "the row has no UPN or staff code; fill one in or remove the row"))
            return
        }
        let keyColumn = upn != nil ? upnColumn : staffColumn
        guard let user = try findUser(upn: upn, staffCode: staffCode) else {
            problems.append(
                ImportProblem(
                    at: table.location(record, keyColumn),
                    "no student or member of staff has the key '\(key)'; check it with 'lanyard users list --where upn:\(key)' or 'staff:\(key)'"))
            return
        }

        // The address
        guard let text = table.value(record, emailColumn) else {
            problems.append(ImportProblem(.warning, at: table.location(record, emailColumn), "the email of '\(key)' is empty, so the row was ignored"))
            return
        }
        let address: EmailAddress
        do {
            address = try EmailAddress(text)
        } catch {
            problems.append(ImportProblem(at: table.location(record, emailColumn), "\(error.description)"))
            return
        }

        // Conflicts within the file and with the directory
        if let earlier = rowByUser[user.id] {
            if earlier.address.lowercased() != address.value.lowercased() {
                problems.append(
                    ImportProblem(
                        at: table.location(record, emailColumn),
                        "'\(key)' is given '\(address.value)' here but '\(earlier.address)' on line \(earlier.line); keep one of the rows"))
            }
            return
        }
        let folded = address.value.lowercased()
        if let other = userByAddress[folded], other.userId != user.id {
            problems.append(
                ImportProblem(
                    at: table.location(record, emailColumn),
                    "'\(address.value)' is given to both '\(other.key)' (line \(other.line)) and '\(key)'; give each person their own address"))
            return
        }
        if let holder = try directoryHolder(of: address.value, except: user.id) {
            problems.append(
                ImportProblem(
                    at: table.location(record, emailColumn),
                    "'\(address.value)' already belongs to '\(holder)' in the directory; give '\(key)' another address, or change \(holder)'s first"))
            return
        }

        rowByUser[user.id] = (record.line, address.value)
        userByAddress[folded] = (user.id, key, record.line)
        changes.append(Change(userId: user.id, address: address.value, current: user.email, line: record.line))
    }

    private func findUser(upn: String?, staffCode: String?) throws -> User? {
        var found: User?
        if let upn {
            try directory.database.forEachRow(
                "SELECT \(Directory.userColumns) FROM users WHERE role = 'student' AND (upn = upper(?1) OR former_upn = upper(?1)) ORDER BY upn = upper(?1) DESC LIMIT 1",
                [upn.trimmingSpaces()]
            ) { found = User(statement: $0) }
        } else if let staffCode {
            try directory.database.forEachRow(
                "SELECT \(Directory.userColumns) FROM users WHERE role IN ('teacher', 'staff') AND staff_code = ?1 LIMIT 1", [staffCode]
            ) { found = User(statement: $0) }
        }
        return found
    }

    /// The key of another student or member of staff who holds `address` and whose address this
    /// file does not change, or nil.
    private func directoryHolder(of address: String, except userId: Int) throws -> String? {
        var holders: [User] = []
        try directory.database.forEachRow(
            """
            SELECT \(Directory.userColumns) FROM users
            WHERE email = ?1 COLLATE NOCASE AND id != ?2 AND role IN ('student', 'teacher', 'staff')
            """, [address, userId]
        ) { holders.append(User(statement: $0)) }
        // NOTE: a holder whose own row comes later in the file still counts here, even when that
        // row moves them to another address. Put that row first, or run the update twice.
        return holders.first { rowByUser[$0.id] == nil }?.key
    }
}
