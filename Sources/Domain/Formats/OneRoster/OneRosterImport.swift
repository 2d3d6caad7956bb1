/// Imports a OneRoster 1.0, 1.1 or 1.2 CSV bundle. The rules for messy real bundles are in
/// docs/imports.md; each rule that rejects or warns is marked `Rule` below.
extension Directory {
    public func importOneRoster(path: String, options: ImportOptions, settings: Settings) throws -> ImportSummary {
        let bundle = try OneRosterBundle(path: path)
        var reader = OneRosterReader(bundle: bundle)
        let content = try reader.read()

        var options = options
        options.isFull = !options.isDelta && (options.isFull || content.usersAreBulk)

        return try importRecords(kind: .oneRoster, source: path, options: options, settings: settings) { session in
            for problem in reader.problems {
                try session.report(problem.problem, protecting: problem.protecting)
            }
            for school in content.schools {
                try session.add(school: school)
            }
            session.coversRoles([.student, .teacher, .staff])
            for user in content.users {
                try session.add(user: user)
            }
            for link in content.links {
                session.add(link: link)
            }
        }
    }
}

/// What a bundle holds, in the directory's terms.
struct OneRosterContent {
    var schools: [IncomingSchool] = []
    var users: [IncomingUser] = []
    var links: [IncomingLink] = []
    /// Whether the manifest marks users.csv as a full list (`bulk`), so those absent have left.
    var usersAreBulk = false
}

/// Reads a bundle's manifest, orgs, users, roles, classes and enrolments.
struct OneRosterReader {
    let bundle: OneRosterBundle
    private(set) var problems: [(problem: ImportProblem, protecting: String?)] = []

    init(bundle: OneRosterBundle) {
        self.bundle = bundle
    }

    private mutating func error(_ location: SourceLocation, _ message: String, protecting key: String? = nil) {
        problems.append((ImportProblem(at: location, message), key))
    }

    private mutating func warn(_ location: SourceLocation, _ message: String) {
        problems.append((ImportProblem(.warning, at: location, message), nil))
    }

    mutating func read() throws -> OneRosterContent {
        var content = OneRosterContent()
        content.usersAreBulk = try readManifest()

        // Rule: users.csv is required and must be OneRoster's (sourcedId, givenName, familyName).
        guard let users = try bundle.table("users.csv") else {
            throw ImportInputError(
                at: SourceLocation(file: bundle.displayName("users.csv")),
                "the bundle has no users.csv (files found: \(bundle.fileNames.joined(separator: ", "))); give the folder or .zip that holds the OneRoster CSV files")
        }
        for required in ["sourcedId", "givenName", "familyName"] where users.column(required) == nil {
            throw ImportInputError(
                at: SourceLocation(file: users.source, line: 1),
                "the header has no '\(required)' column, so this is not a OneRoster users file (Microsoft SDS and other layouts are not OneRoster); export the bundle as OneRoster 1.1 or 1.2 CSV")
        }

        let schools = try readSchools(users: users)
        content.schools = schools.list
        let roles = try readRoles()
        let registrationGroups = try readRegistrationGroups(users: users)
        content.users = readUsers(users, schools: schools, roles: roles, registrationGroups: registrationGroups)
        content.links = readAgents(users, content.users)
        return content
    }

    // MARK: - Manifest

    /// Returns whether users.csv is `bulk`. Rule: no manifest, or `delta`, means a partial import.
    private mutating func readManifest() throws -> Bool {
        guard let manifest = try bundle.table("manifest.csv") else {
            warn(
                SourceLocation(file: bundle.displayName("manifest.csv")),
                "the bundle has no manifest.csv, so it is imported as a partial (delta) update: nobody is marked left")
            return false
        }
        let nameColumn = manifest.column("propertyName") ?? 0
        let valueColumn = manifest.column("value") ?? 1
        var usersMode: String?
        for record in manifest.records {
            let name = manifest.value(record, nameColumn) ?? ""
            let value = manifest.value(record, valueColumn)?.lowercased()
            if name.lowercased() == "file.users" { usersMode = value }
            let known = ["manifest.", "oneroster.", "file.", "source."]
            if !known.contains(where: { name.lowercased().hasPrefix($0) }) {
                warn(manifest.location(record, nameColumn), "unknown manifest property '\(name)' ignored; check its spelling")
            }
        }
        return usersMode == "bulk"
    }

    // MARK: - Schools

    struct Schools {
        var list: [IncomingSchool] = []
        var sourceIds: Set<String> = []
        /// The school a user goes to when their own org is missing, if the bundle has only one.
        var only: String? { list.count == 1 ? list[0].sourceId : nil }
    }

    /// Rule: schools are orgs of type `school`. A bundle with none, whose users all name one
    /// org that orgs.csv lists, uses that org as the school, with a warning.
    private mutating func readSchools(users: CSVTable) throws -> Schools {
        var schools = Schools()
        guard let orgs = try bundle.table("orgs.csv") else {
            throw ImportInputError(
                at: SourceLocation(file: bundle.displayName("orgs.csv")),
                "the bundle has no orgs.csv, so there is no school to import into; export the bundle with its orgs file")
        }
        let idColumn = orgs.column("sourcedId")
        let typeColumn = orgs.column("type")
        let nameColumn = orgs.column("name")
        let identifierColumn = orgs.column("identifier")
        var allOrgs: [String: IncomingSchool] = [:]
        for record in orgs.records {
            guard let id = orgs.value(record, idColumn) else { continue }
            let name = orgs.value(record, nameColumn) ?? id
            let identifier = orgs.value(record, identifierColumn)
            let dfe = identifier.flatMap { Self.looksLikeDfENumber($0) ? $0 : nil }
            let school = IncomingSchool(sourceId: id, name: name, dfeNumber: dfe)
            allOrgs[id] = school
            if orgs.value(record, typeColumn)?.lowercased() == "school" {
                schools.list.append(school)
                schools.sourceIds.insert(id)
            }
        }
        if schools.list.isEmpty, !users.records.isEmpty {
            let orgColumn = users.column("orgSourcedIds", "primaryOrgSourcedId", "orgSourcedId")
            let referenced = Set(users.records.compactMap { users.value($0, orgColumn)?.split(separator: ",").first.map { String($0).trimmingSpaces() } })
            guard referenced.count == 1, let only = referenced.first, let org = allOrgs[only] else {
                throw ImportInputError(
                    at: SourceLocation(file: orgs.source),
                    "no org has type 'school', and the users do not all belong to one org; add the school's row to orgs.csv with type school")
            }
            warn(
                SourceLocation(file: orgs.source),
                "no org has type 'school'; '\(org.name)' (\(only)), the org every user belongs to, is used as the school")
            schools.list = [org]
            schools.sourceIds = [only]
        }
        return schools
    }

    /// `801/2000` or `8012000`: an LA code and establishment number.
    static func looksLikeDfENumber(_ text: String) -> Bool {
        let digits = text.filter(\.isASCIIDigit)
        return digits.count == 7 && text.allSatisfy { $0.isASCIIDigit || $0 == "/" }
    }

    // MARK: - Roles (OneRoster 1.2)

    /// Each user's role from roles.csv: the `primary` role first, else the first listed.
    private mutating func readRoles() throws -> [String: (role: String, org: String?)] {
        guard let roles = try bundle.table("roles.csv") else { return [:] }
        let userColumn = roles.column("userSourcedId")
        let roleColumn = roles.column("role")
        let typeColumn = roles.column("roleType")
        let orgColumn = roles.column("orgSourcedId")
        var result: [String: (role: String, org: String?, primary: Bool)] = [:]
        for record in roles.records {
            guard let user = roles.value(record, userColumn), let role = roles.value(record, roleColumn) else { continue }
            let primary = roles.value(record, typeColumn)?.lowercased() == "primary"
            if let existing = result[user], existing.primary || !primary { continue }
            result[user] = (role, roles.value(record, orgColumn), primary)
        }
        return result.mapValues { ($0.role, $0.org) }
    }

    // MARK: - Registration groups

    /// Rule: a student's registration group is the class code (else the title) of the `homeroom` class they are
    /// enrolled in as a student. Enrolments that disagree with users.csv roles are warned about
    /// and users.csv wins; classes and enrolments marked `tobedeleted` are skipped. Rule: a
    /// homeroom whose code or title contains a control character is an error, and its students
    /// get no registration group.
    private mutating func readRegistrationGroups(users: CSVTable) throws -> [String: String] {
        guard let classes = try bundle.table("classes.csv"), let enrolments = try bundle.table("enrollments.csv") else { return [:] }
        var homerooms: [String: String] = [:]
        let classId = classes.column("sourcedId")
        let classType = classes.column("classType")
        let classTitle = classes.column("title")
        let classCode = classes.column("classCode")
        let classStatus = classes.column("status")
        for record in classes.records {
            guard classes.value(record, classType)?.lowercased() == "homeroom",
                classes.value(record, classStatus)?.lowercased() != "tobedeleted",
                let id = classes.value(record, classId)
            else { continue }
            let titleColumn = classes.value(record, classCode) != nil ? classCode : classTitle
            guard let title = classes.value(record, titleColumn) else { continue }
            if let problem = FieldChecks.controlCharacterProblem(title, at: classes.location(record, titleColumn)) {
                problems.append((problem, nil))
                continue
            }
            homerooms[id] = title
        }

        let userRoles = Dictionary(
            users.records.compactMap { record -> (String, String)? in
                guard let id = users.value(record, users.column("sourcedId")) else { return nil }
                return (id, users.value(record, users.column("role"))?.lowercased() ?? "")
            }, uniquingKeysWith: { first, _ in first })

        var groups: [String: String] = [:]
        let userColumn = enrolments.column("userSourcedId")
        let classColumn = enrolments.column("classSourcedId")
        let roleColumn = enrolments.column("role")
        let statusColumn = enrolments.column("status")
        for record in enrolments.records {
            guard enrolments.value(record, statusColumn)?.lowercased() != "tobedeleted",
                let user = enrolments.value(record, userColumn), let classId = enrolments.value(record, classColumn)
            else { continue }
            let role = enrolments.value(record, roleColumn)?.lowercased()
            if let listed = userRoles[user], !listed.isEmpty, let role, role != listed {
                warn(
                    enrolments.location(record, roleColumn),
                    "user '\(user)' is enrolled as \(role) but users.csv says \(listed); users.csv is followed")
                continue
            }
            if role == "student", let title = homerooms[classId] { groups[user] = title }
        }
        return groups
    }

    // MARK: - Users

    private mutating func readUsers(
        _ users: CSVTable, schools: Schools, roles: [String: (role: String, org: String?)], registrationGroups: [String: String]
    ) -> [IncomingUser] {
        let column = (
            id: users.column("sourcedId"), status: users.column("status"), role: users.column("role"),
            orgs: users.column("orgSourcedIds", "primaryOrgSourcedId", "orgSourcedId"),
            userIds: users.column("userIds", "userId"), given: users.column("givenName"),
            family: users.column("familyName"), identifier: users.column("identifier"), email: users.column("email"),
            grades: users.column("grades", "grade"), password: users.column("password"),
            preferredGiven: users.column("preferredGivenName", "prefferedGivenName", "preferredFirstName"),
            preferredFamily: users.column("preferredFamilyName", "prefferedFamilyName", "preferredLastName")
        )

        if let passwordColumn = column.password, users.records.contains(where: { users.value($0, passwordColumn) != nil }) {
            warn(
                SourceLocation(file: users.source, column: users.name(of: passwordColumn)),
                "the file contains passwords in clear text; Lanyard ignores them, and the export should leave the column empty")
        }

        var result: [IncomingUser] = []
        for record in users.records {
            guard let sourceId = users.value(record, column.id) else {
                error(users.location(record, column.id), "the row has no sourcedId; every OneRoster user needs one")
                continue
            }
            if let ragged = users.raggedProblem(record) {
                problems.append((ragged, sourceId))
                continue
            }

            // Rule: the role comes from users.csv (1.0, 1.1) or roles.csv (1.2).
            let roleText = users.value(record, column.role) ?? roles[sourceId]?.role
            guard let roleText else {
                error(users.location(record, column.role), "user '\(sourceId)' has no role in users.csv or roles.csv; give one such as student", protecting: sourceId)
                continue
            }
            guard let role = Self.role(roleText) else {
                error(
                    users.location(record, column.role),
                    "unknown role '\(roleText)' for user '\(sourceId)'; use student, teacher, administrator, aide, parent or guardian",
                    protecting: sourceId)
                continue
            }
            guard let given = users.value(record, column.given), let family = users.value(record, column.family) else {
                error(users.location(record, column.given), "user '\(sourceId)' has no givenName or familyName; both are required", protecting: sourceId)
                continue
            }

            let textProblems = FieldChecks.textProblems(
                in: users, record, names: [column.given, column.family, column.preferredGiven, column.preferredFamily],
                plainText: [column.email])
            guard textProblems.isEmpty else {
                problems.append(contentsOf: textProblems.map { ($0, sourceId) })
                continue
            }

            var user = IncomingUser(role: role, legalForename: given, legalSurname: family, location: users.location(record))
            user.sourceId = sourceId
            user.preferredForename = users.value(record, column.preferredGiven)
            user.preferredSurname = users.value(record, column.preferredFamily)
            if users.value(record, column.status)?.lowercased() == "tobedeleted" { user.status = .left }

            // Rule: a user's school is their first org that is a school; a missing org falls
            // back to the bundle's only school with a warning.
            let orgs = (users.value(record, column.orgs) ?? roles[sourceId]?.org ?? "").split(separator: ",").map { String($0).trimmingSpaces() }
            if let school = orgs.first(where: schools.sourceIds.contains) {
                user.schoolSourceId = school
            } else if let only = schools.only {
                if !orgs.isEmpty {
                    warn(
                        users.location(record, column.orgs),
                        "user '\(sourceId)' belongs to org '\(orgs.joined(separator: ","))', which is not a school in orgs.csv; the bundle's only school is used")
                }
                user.schoolSourceId = only
            } else {
                error(users.location(record, column.orgs), "user '\(sourceId)' belongs to no school listed in orgs.csv; fix orgSourcedIds", protecting: sourceId)
                continue
            }

            if let email = users.value(record, column.email) {
                switch FieldChecks.email(email, at: users.location(record, column.email)) {
                case .success(let valid): user.email = valid
                case .failure(let problem):
                    problems.append((problem, sourceId))
                    continue
                }
            }

            if role == .student {
                guard readStudentDetails(&user, record: record, table: users, userIds: column.userIds, identifier: column.identifier, grades: column.grades) else { continue }
                user.registrationGroup = registrationGroups[sourceId]
            }
            result.append(user)
        }
        return result
    }

    /// Reads a student's UPN and year group; returns false when the row is invalid.
    ///
    /// Rule: the UPN is a `{UPN:...}` entry of userIds, or the identifier when it has a UPN's
    /// shape (13 characters, a letter first); it must pass the check letter. Rule: the first
    /// grade gives the year group (`07` is Year 7, `R` Reception); a grade that is not an
    /// English year group (`KG`, `PK`, `UG`...) leaves the year empty, with a warning.
    private mutating func readStudentDetails(
        _ user: inout IncomingUser, record: CSVRecord, table: CSVTable, userIds: Int?, identifier: Int?, grades: Int?
    ) -> Bool {
        let sourceId = user.sourceId ?? ""
        for entry in Self.userIds(table.value(record, userIds)) {
            switch entry.type.lowercased() {
            case "upn": user.upn = entry.value
            case "mis", "adno", "admissionnumber": user.admissionNumber = entry.value
            default: break
            }
        }
        if user.upn == nil, let candidate = table.value(record, identifier), Self.hasUPNShape(candidate) {
            user.upn = candidate
        }
        if let upn = user.upn {
            switch FieldChecks.upn(upn, at: table.location(record, user.upn == table.value(record, identifier) ? identifier : userIds)) {
            case .success(let valid): user.upn = valid
            case .failure(let problem):
                problems.append((problem, sourceId))
                return false
            }
        }
        if let grade = table.value(record, grades)?.split(separator: ",").first.map({ String($0).trimmingSpaces() }) {
            if let year = YearGroup(parsing: grade) {
                user.yearGroup = year
            } else {
                warn(table.location(record, grades), "grade '\(grade)' of student '\(sourceId)' is not an English year group (R or 1 to 13); imported without a year group")
            }
        }
        return true
    }

    // MARK: - Agents

    /// Rule: agents of a student are their parents or guardians, and agents of a parent are
    /// their children. Other agents (a teacher listed on a student) are skipped with a warning.
    private mutating func readAgents(_ users: CSVTable, _ incoming: [IncomingUser]) -> [IncomingLink] {
        let agentColumn = users.column("agentSourcedIds", "agents", "agentSourcedId")
        let roles = Dictionary(incoming.compactMap { user in user.sourceId.map { ($0, user.role) } }, uniquingKeysWith: { first, _ in first })
        let recordsByLine = Dictionary(users.records.map { ($0.line, $0) }, uniquingKeysWith: { first, _ in first })
        var links: [IncomingLink] = []
        var seen: Set<String> = []
        for user in incoming {
            guard let sourceId = user.sourceId, let line = user.location.line,
                let record = recordsByLine[line],
                let agents = users.value(record, agentColumn)
            else { continue }
            let location = users.location(record, agentColumn)
            for agent in agents.split(separator: ",").map({ String($0).trimmingSpaces() }) where !agent.isEmpty {
                let pair: (parent: String, student: String)?
                switch (user.role, roles[agent]) {
                case (.student, .parent): pair = (agent, sourceId)
                case (.parent, .student): pair = (sourceId, agent)
                case (_, nil):
                    warn(location, "agent '\(agent)' of '\(sourceId)' is not a user in users.csv; the link is skipped")
                    pair = nil
                case (.student, let other?), (.parent, let other?):
                    warn(location, "agent '\(agent)' of \(user.role.rawValue) '\(sourceId)' is a \(other.rawValue), not a parent or student; the link is skipped")
                    pair = nil
                default:
                    pair = nil
                }
                guard let pair, seen.insert("\(pair.parent)>\(pair.student)").inserted else { continue }
                links.append(IncomingLink(parentSourceId: pair.parent, student: .sourceId(pair.student), location: location))
            }
        }
        return links
    }

    // MARK: - Values

    /// OneRoster roles mapped to the directory's: staff roles to staff, carers to parent.
    static func role(_ text: String) -> Role? {
        switch text.lowercased() {
        case "student": return .student
        case "teacher": return .teacher
        case "administrator", "aide", "siteadministrator", "districtadministrator", "systemadministrator", "proctor", "staff",
            "principal", "counselor":
            return .staff
        case "parent", "guardian", "relative": return .parent
        default: return nil
        }
    }

    /// `{LDAP:12},{UPN:B801200005001}` as (type, value) pairs.
    static func userIds(_ text: String?) -> [(type: String, value: String)] {
        guard let text else { return [] }
        var entries: [(type: String, value: String)] = []
        for part in text.split(separator: "}") {
            let entry = String(part.drop(while: { $0 == "," || $0 == "{" || $0 == " " }))
            guard let colon = entry.firstIndex(of: ":") else { continue }
            let type = String(entry[..<colon])
            let value = String(entry[colon...].dropFirst()).trimmingSpaces()
            entries.append((type, value))
        }
        return entries
    }

    static func hasUPNShape(_ text: String) -> Bool {
        let characters = Array(text.uppercased())
        return characters.count == 13 && characters[0].isLetter && characters[1...11].allSatisfy(\.isASCIIDigit)
    }
}
