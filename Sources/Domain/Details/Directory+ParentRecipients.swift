import Foundation

extension Directory {
    /// One contact of one student, from the contacts file or the directory's parent links.
    struct StudentContact {
        var name: String
        var email: String?
        var relationship: String?
        var priority: Int?
        var hasResponsibility: Bool?
    }

    /// Joins parent contacts with the students of a selection by UPN and groups siblings, so a
    /// parent with three children is one recipient listing three children.
    ///
    /// Contacts come from an MIS contacts export when `contactsCSV` (a file path) is given. Its
    /// columns are found as for `lanyard import csv --kind contacts`. Without a file, contacts
    /// come from the directory's own parent links. See ``ParentRecipientOptions`` for which contacts are picked. Every
    /// student in the selection without a picked contact is listed in
    /// ``ParentRecipients/unreached`` with the reason.
    ///
    /// ```swift
    /// let list = try directory.parentRecipients(
    ///     contactsCSV: "contacts.csv", selection: try Selection(parsing: "year:7"), options: ParentRecipientOptions())
    /// for recipient in list.recipients { print(recipient.email, recipient.children.map(\.name)) }
    /// ```
    ///
    /// - Throws: ``CSVReadError`` or ``MISImportError`` when the contacts file cannot be read
    ///   or lacks the UPN and contact surname columns.
    public func parentRecipients(
        contactsCSV: String?, selection: Selection, options: ParentRecipientOptions
    ) throws -> ParentRecipients {
        let scope = detailsScope(selection, neverLoggedInOnly: false)
        var students: [(id: Int, row: MailMergeRow, hasParentCode: Bool)] = []
        try forEachMailMergeRow(scope: scope, kinds: [.parentCode], settings: Settings()) { id, row in
            var row = row
            let hasParentCode = !row.parentCode.isEmpty
            if !options.includesCodes {
                row.parentCode = ""
                row.parentCodeExpires = ""
            }
            students.append((id, row, hasParentCode))
        }

        // Contacts per student UPN.
        var problems: [String] = []
        var unmatchedRows = 0
        var contacts: [String: [StudentContact]] = [:]
        if let contactsCSV {
            let inScope = Set(students.map(\.row.upn))
            let file = try readContactsFile(contactsCSV)
            problems = file.problems
            for (upn, contact) in file.contacts {
                guard inScope.contains(upn) else {
                    unmatchedRows += 1
                    continue
                }
                contacts[upn, default: []].append(contact)
            }
        } else {
            for student in students {
                contacts[student.row.upn] = try linkedContacts(ofStudent: student.id)
            }
        }

        return try database.transaction {
            var recipients: [ParentRecipients.Recipient] = []
            var recipientIndex: [String: Int] = [:]
            var unreached: [ParentRecipients.Unreached] = []

            for (studentId, row, hasParentCode) in students {
                let picked = pickContacts(contacts[row.upn] ?? [], options: options)
                guard case .success(let chosen) = picked else {
                    if case .failure(let reason) = picked {
                        unreached.append(
                            .init(upn: row.upn, name: row.displayName, registrationGroup: row.registrationGroup, reason: reason.reason))
                    }
                    continue
                }
                if options.includesCodes, !row.parentCode.isEmpty {
                    try audit(action: "code.read", via: options.origin.via, userId: studentId, detail: "parent-code for parent recipients")
                }
                for contact in chosen {
                    let email = contact.email!
                    let child = ParentRecipients.Child(
                        upn: row.upn, name: row.displayName, registrationGroup: row.registrationGroup,
                        relationship: contact.relationship, priority: contact.priority, hasParentCode: hasParentCode,
                        parentCode: row.parentCode.isEmpty ? nil : row.parentCode,
                        parentCodeExpires: row.parentCodeExpires.isEmpty ? nil : row.parentCodeExpires)
                    let key = email.lowercased()
                    if let index = recipientIndex[key] {
                        recipients[index].children.append(child)
                    } else {
                        recipientIndex[key] = recipients.count
                        recipients.append(.init(email: email, name: contact.name, children: [child]))
                    }
                }
            }
            return ParentRecipients(recipients: recipients, unreached: unreached, problems: problems, unmatchedRows: unmatchedRows)
        }
    }

    // MARK: - Picking

    private struct Unusable: Error {
        var reason: ParentRecipients.Reason
    }

    /// Picks the contacts to send to, in priority order, or returns the reason there are none.
    private func pickContacts(_ all: [StudentContact], options: ParentRecipientOptions) -> Result<[StudentContact], Unusable> {
        guard !all.isEmpty else { return .failure(Unusable(reason: .noContacts)) }
        let ordered = all.enumerated().sorted {
            ($0.element.priority ?? Int.max, $0.offset) < ($1.element.priority ?? Int.max, $1.offset)
        }.map(\.element)

        let responsible = ordered.filter { options.includeWithoutResponsibility || $0.hasResponsibility == true }
        guard !responsible.isEmpty else { return .failure(Unusable(reason: .noneWithResponsibility)) }
        let reachable = responsible.filter { !($0.email ?? "").isEmpty }
        guard !reachable.isEmpty else { return .failure(Unusable(reason: .noneWithEmail)) }

        if options.allPriorities { return .success(reachable) }
        if let maxPriority = options.maxPriority {
            let within = reachable.filter { ($0.priority ?? Int.max) <= maxPriority }
            return within.isEmpty ? .failure(Unusable(reason: .noneWithinPriority)) : .success(within)
        }
        return .success([reachable[0]])
    }

    // MARK: - Sources

    /// Reads a student's contacts from the directory's parent links.
    private func linkedContacts(ofStudent studentId: Int) throws -> [StudentContact] {
        try database.query(
            """
            SELECT users.legal_forename, users.legal_surname, users.preferred_forename, users.email,
                parent_links.relationship, parent_links.priority, parent_links.parental_responsibility
            FROM parent_links JOIN users ON users.id = parent_links.parent_id
            WHERE parent_links.student_id = ?1
            """, [studentId]
        ).map { row in
            let forename = row.string("preferred_forename") ?? row.string("legal_forename") ?? ""
            return StudentContact(
                name: "\(forename) \(row.string("legal_surname") ?? "")".trimmingSpaces(), email: row.string("email"),
                relationship: row.string("relationship"), priority: row.int("priority"),
                hasResponsibility: row.int("parental_responsibility").map { $0 != 0 })
        }
    }

    /// Reads an MIS contacts export: `(UPN, contact)` pairs, and problems with rows it skipped.
    private func readContactsFile(_ path: String) throws -> (contacts: [(String, StudentContact)], problems: [String]) {
        var reader = try CSVReader(path: path)
        let table = try CSVTable(reader: &reader)
        let columns = try MISColumns(table: table, kind: .contacts, mappings: [])
        var contacts: [(String, StudentContact)] = []
        var problems: [String] = []

        for record in table.records {
            let row = MISRow(table: table, record: record, columns: columns)
            guard let upnText = row.value(.upn) else {
                problems.append("\(row.location(.upn)): the contact row has no pupil UPN; it was skipped")
                continue
            }
            guard case .success(let upn) = FieldChecks.upn(upnText, at: row.location(.upn)) else {
                if case .failure(let problem) = FieldChecks.upn(upnText, at: row.location(.upn)) { problems.append(problem.description) }
                continue
            }
            var email: String?
            if let text = row.value(.email) {
                switch FieldChecks.email(text, at: row.location(.email)) {
                case .success(let valid): email = valid
                case .failure(let problem): problems.append(problem.description)
                }
            }
            let responsibility = row.value(.parentalResponsibility).flatMap { text -> Bool? in
                switch text.lowercased() {
                case "yes", "y", "true", "1", "t": return true
                case "no", "n", "false", "0", "f": return false
                default:
                    problems.append("\(row.location(.parentalResponsibility)): invalid parental responsibility '\(text)': use Yes or No; counted as not recorded")
                    return nil
                }
            }
            let name = [row.value(.contactForename), row.value(.contactSurname)].compactMap { $0 }.joined(separator: " ")
            contacts.append(
                (upn, StudentContact(
                    name: name, email: email, relationship: row.value(.relationship), priority: row.value(.priority).flatMap { Int($0) },
                    hasResponsibility: responsibility)))
        }
        return (contacts, problems)
    }
}
