import Storage

extension Directory {
    /// Imports records in one transaction: all or nothing.
    ///
    /// `feed` reads the input and hands each school, person, link and problem to the session.
    /// When it returns, the session links parents to students, marks people absent from a full
    /// import as left, and then:
    /// - rejects the whole import (rolling back, throwing ``ImportFailure``) if any row was
    ///   invalid, unless ``ImportOptions/skipInvalid`` is set;
    /// - rolls back in a dry run, returning the counts it would have written;
    /// - otherwise commits.
    public func importRecords(
        kind: ImportKind, source: String, options: ImportOptions, settings: Settings,
        feed: (ImportSession) throws -> Void
    ) throws -> ImportSummary {
        let session = ImportSession(directory: self, kind: kind, source: source, options: options, settings: settings)
        let work = {
            try session.begin()
            try feed(session)
            let summary = try session.finish()
            try self.afterImport?(summary)
            return summary
        }
        return options.dryRun ? try database.rollingBack(work) : try database.transaction(work)
    }
}

/// Receives an import's records one by one and writes them, inside the transaction that
/// ``Directory/importRecords(kind:source:options:settings:feed:)`` holds.
public final class ImportSession {
    let directory: Directory
    let kind: ImportKind
    let source: String
    let options: ImportOptions
    let settings: Settings

    private var summary: ImportSummary
    private var errorCount = 0
    private var schoolIdsBySourceId: [String: Int] = [:]
    private var defaultSchoolId: Int?
    private var userIdsBySourceId: [String: Int] = [:]
    private var seenUserIds: Set<Int> = []
    private var keysInBatch: Set<String> = []
    private var pendingLinks: [IncomingLink] = []
    private var fullRoles: Set<Role> = []
    /// Valid student and staff rows, which a full import needs at least one of.
    private var studentsAndStaffListed = 0
    private var peopleHandled = 0
    /// The time every row of this import is stamped with, and the codes it issues.
    private lazy var now = directory.timestamp()
    private lazy var firstCodes = directory.firstCodes(settings: settings)

    init(directory: Directory, kind: ImportKind, source: String, options: ImportOptions, settings: Settings) {
        self.directory = directory
        self.kind = kind
        self.source = source
        self.options = options
        self.settings = settings
        self.summary = ImportSummary(source: source, kind: kind.rawValue, dryRun: options.dryRun)
    }

    private var database: Database { directory.database }

    /// True when the directory held nobody at the start, so that a row can only match a row
    /// of this same import: a first import of 100,000 students then skips the lookups.
    private var startedEmpty = false

    func begin() throws {
        try database.execute("CREATE TEMP TABLE IF NOT EXISTS import_seen (id INTEGER PRIMARY KEY)")
        try database.execute("DELETE FROM import_seen")
        startedEmpty = try database.scalar("SELECT NOT EXISTS (SELECT 1 FROM users)")?.intValue == 1
    }

    // MARK: - Feeding records

    /// Records a problem. An error means the row is not imported; `protecting` names the
    /// row's key (UPN, staff code or source id) so that a full import does not mark that
    /// person left merely because their row was invalid.
    public func report(_ problem: ImportProblem, protecting key: String? = nil) throws {
        summary.problems.append(problem)
        guard problem.severity == .error else { return }
        errorCount += 1
        summary.invalid += 1
        if let key, let existing = try directory.user(key: key) {
            try markSeen(existing.id)
        }
    }

    /// Declares that the input lists everyone with these roles, so that, when the import is
    /// full, people of these roles who are absent are marked left.
    public func coversRoles(_ roles: Set<Role>) {
        fullRoles.formUnion(roles)
    }

    /// Adds or updates a school, matched on source id, then DfE number.
    public func add(school: IncomingSchool) throws {
        let existing = try database.queryRow(
            "SELECT id FROM schools WHERE (source_id = ?1 AND ?1 IS NOT NULL) OR (dfe_number = ?2 AND ?2 IS NOT NULL) ORDER BY id LIMIT 1",
            [school.sourceId, school.dfeNumber])
        let id: Int
        if let existingId = existing?.int("id") {
            try database.execute(
                "UPDATE schools SET name = ?1, source_id = coalesce(?2, source_id), dfe_number = coalesce(?3, dfe_number) WHERE id = ?4",
                [school.name, school.sourceId, school.dfeNumber, existingId])
            id = existingId
        } else {
            try database.execute(
                "INSERT INTO schools (source_id, name, dfe_number, created_at) VALUES (?1, ?2, ?3, ?4)",
                [school.sourceId, school.name, school.dfeNumber, directory.timestamp()])
            id = database.lastInsertRowID
        }
        summary.schools += 1
        if let sourceId = school.sourceId { schoolIdsBySourceId[sourceId] = id }
        if defaultSchoolId == nil { defaultSchoolId = id }
    }

    /// Adds a person, or updates the one it matches (source id, then UPN or former UPN, then
    /// staff code, then a parent's email).
    public func add(user incoming: IncomingUser) throws {
        // Duplicates within one file are errors, because the MIS exports one row per person.
        if incoming.role != .parent {
            for key in [incoming.sourceId.map { "s:\($0)" }, incoming.upn.map { "u:\($0)" }, incoming.staffCode.map { "c:\($0)" }]
            .compactMap({ $0 }) {
                guard keysInBatch.insert(key).inserted else {
                    try report(
                        ImportProblem(
                            at: incoming.location,
                            "duplicate \(Self.describeKey(key)) in this file; each person must appear once, so remove or correct the second row"))
                    return
                }
            }
        }

        let schoolId = try resolveSchool(for: incoming)
        // Students and staff repeated within the file were rejected above, so in a directory
        // that started empty they cannot match anyone; parents can (one per child row).
        let existing = startedEmpty && incoming.role != .parent ? nil : try findExisting(incoming, schoolId: schoolId)
        let userId: Int
        if let existing {
            if seenUserIds.contains(existing.id) {
                // The same parent on several contact rows (one per child): already handled.
                userId = existing.id
            } else {
                userId = existing.id
                try update(existing, with: incoming)
            }
        } else {
            userId = try insert(incoming, schoolId: schoolId)
        }
        if let sourceId = incoming.sourceId { userIdsBySourceId[sourceId] = userId }
        try markSeen(userId)
        if incoming.role != .parent { studentsAndStaffListed += 1 }
        peopleHandled += 1
        directory.importProgress?(peopleHandled)
    }

    /// Links a parent to a student once all people are in. References are resolved at the end,
    /// because files list parents and students in any order.
    public func add(link: IncomingLink) {
        pendingLinks.append(link)
    }

    // MARK: - Finishing

    func finish() throws -> ImportSummary {
        try resolveLinks()
        if options.isFull, !fullRoles.isEmpty {
            try markAbsentAsLeft()
        }
        if errorCount > 0, !options.skipInvalid {
            throw ImportFailure(source: source, problems: summary.problems)
        }
        // A full file with no valid students or staff is far more often a failed export than an
        // empty school, and importing it would mark everyone left.
        if options.isFull, studentsAndStaffListed == 0, summary.left > 0 {
            throw ImportInputError(
                at: SourceLocation(file: source),
                "the import lists no students or staff, so as a full import it would mark all \(summary.left) people on roll as left; check that the export is complete, or import it as a partial update (OneRoster: --delta; CSV: without --full)"
            )
        }
        try database.execute(
            """
            INSERT INTO imports (at, kind, source, new_count, updated_count, unchanged_count, left_count, invalid_count)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """,
            [directory.timestamp(), kind.rawValue, source, summary.new, summary.updated, summary.unchanged, summary.left, summary.invalid])
        try directory.audit(
            action: "import", via: "import \(kind.rawValue)", userId: nil,
            detail: "\(source): \(summary.new) new, \(summary.updated) updated, \(summary.left) left, \(summary.invalid) invalid")
        return summary
    }

    // MARK: - Matching and writing

    private func resolveSchool(for incoming: IncomingUser) throws -> Int {
        if let sourceId = incoming.schoolSourceId, let id = schoolIdsBySourceId[sourceId] { return id }
        if let id = defaultSchoolId { return id }
        let school = try directory.onlySchool()
        defaultSchoolId = school.id
        return school.id
    }

    private func markSeen(_ id: Int) throws {
        guard seenUserIds.insert(id).inserted, options.isFull else { return }
        try database.execute("INSERT OR IGNORE INTO import_seen (id) VALUES (?1)", values: [.integer(Int64(id))])
    }

    private func findExisting(_ incoming: IncomingUser, schoolId: Int) throws -> User? {
        let lookups: [(String, [any SQLBindable])] = [
            ("source_id = ?2", [incoming.sourceId]),
            ("upn = ?2", [incoming.upn]),
            ("former_upn = ?2", [incoming.upn]),
            ("upn = ?2", [incoming.formerUPN]),
            ("staff_code = ?2", [incoming.staffCode]),
            (
                "role = 'parent' AND email = ?2 COLLATE NOCASE AND legal_forename = ?3 COLLATE NOCASE AND legal_surname = ?4 COLLATE NOCASE",
                [Self.isContactWithoutId(incoming) ? incoming.email : nil, incoming.legalForename, incoming.legalSurname]
            ),
            (
                """
                role = 'parent' AND legal_forename = ?3 COLLATE NOCASE AND legal_surname = ?4 COLLATE NOCASE
                AND id IN (SELECT parent_id FROM parent_links JOIN users AS child ON child.id = parent_links.student_id WHERE child.upn = ?2)
                """,
                [Self.isContactWithoutId(incoming) ? incoming.contactOfUPN : nil, incoming.legalForename, incoming.legalSurname]
            ),
        ]
        // Each lookup is a separate query, so that each uses its index.
        for (condition, values) in lookups where !values[0].sqlValue.isNull {
            let statement = try database.cachedStatement(
                "SELECT \(Directory.userColumns) FROM users WHERE school_id = ?1 AND (\(condition)) LIMIT 1")
            try statement.bind(values: [.integer(Int64(schoolId))] + values.map(\.sqlValue))
            defer { statement.reset() }
            if try statement.step() { return User(statement: statement) }
        }
        return nil
    }

    /// A parent whose file gave no id of its own (MIS contacts, CTF): matched on email and name
    /// too, so that the same parent from a OneRoster bundle and an MIS export is one person.
    /// The name is part of the match because two parents often share one family address.
    private static func isContactWithoutId(_ incoming: IncomingUser) -> Bool {
        incoming.role == .parent && (incoming.sourceId.map { $0.hasPrefix("contact:") } ?? true)
    }

    private func insert(_ incoming: IncomingUser, schoolId: Int) throws -> Int {
        try database.execute(
            """
            INSERT INTO users (school_id, role, source_id, upn, former_upn, staff_code, admission_number,
                legal_forename, legal_surname, preferred_forename, preferred_surname, email, year_group,
                registration_group, status, start_date, date_of_birth, created_at, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18)
            """,
            values: [
                .integer(Int64(schoolId)), .text(incoming.role.rawValue), incoming.sourceId.sqlValue, incoming.upn.sqlValue,
                incoming.formerUPN.sqlValue, incoming.staffCode.sqlValue, incoming.admissionNumber.sqlValue,
                .text(incoming.legalForename), .text(incoming.legalSurname), incoming.preferredForename.sqlValue,
                incoming.preferredSurname.sqlValue, incoming.email.sqlValue, incoming.yearGroup?.number.sqlValue ?? .null,
                incoming.registrationGroup.sqlValue, .text(incoming.status.rawValue), incoming.startDate.sqlValue,
                incoming.dateOfBirth.sqlValue, .text(now),
            ])
        let id = database.lastInsertRowID
        summary.new += 1
        summary.byRole[incoming.role.rawValue, default: 0] += 1
        if incoming.role == .student, incoming.status == .onRoll {
            try directory.issueFirstCodes(studentId: id, schoolId: schoolId, codes: firstCodes)
        }
        return id
    }

    /// Applies the fields the input gave; a field the input left empty keeps its stored value.
    private func update(_ existing: User, with incoming: IncomingUser) throws {
        var formerUPN = incoming.formerUPN ?? existing.formerUPN
        if let oldUPN = existing.upn, let newUPN = incoming.upn, oldUPN != newUPN {
            // A temporary UPN replaced by the permanent one: keep the person, remember the old UPN.
            formerUPN = oldUPN
        }

        var merged = existing
        merged.role = incoming.role
        // A contact's made-up id never replaces the id a OneRoster bundle gave the same parent.
        merged.sourceId = Self.isContactWithoutId(incoming) ? (existing.sourceId ?? incoming.sourceId) : (incoming.sourceId ?? existing.sourceId)
        merged.upn = incoming.upn ?? existing.upn
        merged.formerUPN = formerUPN
        merged.staffCode = incoming.staffCode ?? existing.staffCode
        merged.admissionNumber = incoming.admissionNumber ?? existing.admissionNumber
        merged.legalForename = incoming.legalForename
        merged.legalSurname = incoming.legalSurname
        merged.preferredForename = incoming.preferredForename ?? existing.preferredForename
        merged.preferredSurname = incoming.preferredSurname ?? existing.preferredSurname
        merged.email = incoming.email ?? existing.email
        merged.yearGroup = incoming.yearGroup ?? existing.yearGroup
        merged.registrationGroup = incoming.registrationGroup ?? existing.registrationGroup
        merged.status = incoming.status
        merged.startDate = incoming.startDate ?? existing.startDate
        merged.dateOfBirth = incoming.dateOfBirth ?? existing.dateOfBirth

        guard merged != existing else {
            summary.unchanged += 1
            return
        }
        try database.execute(
            """
            UPDATE users SET role = ?2, source_id = ?3, upn = ?4, former_upn = ?5, staff_code = ?6,
                admission_number = ?7, legal_forename = ?8, legal_surname = ?9, preferred_forename = ?10,
                preferred_surname = ?11, email = ?12, year_group = ?13, registration_group = ?14, status = ?15,
                start_date = ?16, date_of_birth = ?17, updated_at = ?18
            WHERE id = ?1
            """,
            [
                existing.id, merged.role.rawValue, merged.sourceId, merged.upn, merged.formerUPN, merged.staffCode,
                merged.admissionNumber, merged.legalForename, merged.legalSurname, merged.preferredForename,
                merged.preferredSurname, merged.email, merged.yearGroup?.number, merged.registrationGroup,
                merged.status.rawValue, merged.startDate, merged.dateOfBirth, now,
            ])
        summary.updated += 1
        summary.byRole[incoming.role.rawValue, default: 0] += 1
    }

    private func resolveLinks() throws {
        for link in pendingLinks {
            guard let parentId = try userId(sourceId: link.parentSourceId) else {
                try report(ImportProblem(at: link.location, "parent or guardian '\(link.parentSourceId)' is not in the import; add their row or remove the reference"))
                continue
            }
            let studentId: Int?
            switch link.student {
            case .sourceId(let id): studentId = try userId(sourceId: id)
            case .upn(let upn): studentId = try directory.user(key: upn)?.id
            }
            guard let studentId else {
                try report(ImportProblem(at: link.location, "student \(link.student) is not in the directory; import the students first"))
                continue
            }
            guard let parent = try directory.user(id: parentId), parent.role == .parent,
                let student = try directory.user(id: studentId), student.role == .student
            else {
                try report(
                    ImportProblem(
                        .warning, at: link.location,
                        "link from '\(link.parentSourceId)' to \(link.student) skipped: it must join a parent or guardian to a student"))
                continue
            }
            try database.execute(
                """
                INSERT INTO parent_links (parent_id, student_id, relationship, priority, parental_responsibility)
                VALUES (?1, ?2, ?3, ?4, ?5)
                ON CONFLICT (parent_id, student_id) DO UPDATE SET
                    relationship = coalesce(excluded.relationship, relationship),
                    priority = coalesce(excluded.priority, priority),
                    parental_responsibility = coalesce(excluded.parental_responsibility, parental_responsibility)
                """, [parent.id, student.id, link.relationship, link.priority, link.parentalResponsibility])
            summary.links += 1
        }
    }

    private func userId(sourceId: String) throws -> Int? {
        if let id = userIdsBySourceId[sourceId] { return id }
        return try database.scalar("SELECT id FROM users WHERE source_id = ?1 ORDER BY id LIMIT 1", [sourceId])?.intValue
    }

    private func markAbsentAsLeft() throws {
        let schoolIds = Set(schoolIdsBySourceId.values).union(defaultSchoolId.map { [$0] } ?? [])
        for schoolId in schoolIds {
            for role in fullRoles {
                try database.execute(
                    """
                    UPDATE users SET status = 'left', updated_at = ?3
                    WHERE school_id = ?1 AND role = ?2 AND status = 'on-roll' AND id NOT IN (SELECT id FROM import_seen)
                    """, [schoolId, role.rawValue, directory.timestamp()])
                summary.left += database.changes
            }
        }
    }

    private static func describeKey(_ key: String) -> String {
        let value = key.dropFirst(2)
        switch key.prefix(2) {
        case "u:": return "UPN '\(value)'"
        case "c:": return "staff code '\(value)'"
        default: return "sourcedId '\(value)'"
        }
    }
}
