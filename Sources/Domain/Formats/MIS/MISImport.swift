/// A plugin's rewrite of one MIS row: `(fields, cells) -> fields`, or nil to leave the row out.
public typealias MISRowTransform = (_ fields: [String: String], _ cells: [String: String]) throws -> [String: String]?

/// Options for reading an MIS CSV report.
public struct MISImportOptions: Sendable, Equatable {
    public var kind: MISReportKind
    /// `COLUMN=field` overrides of the header detection, as typed after `--map`.
    public var mappings: [String] = []
    public var encoding: CSVEncoding?
    public var delimiter: CSVDelimiter?

    public init(kind: MISReportKind, mappings: [String] = [], encoding: CSVEncoding? = nil, delimiter: CSVDelimiter? = nil) {
        self.kind = kind
        self.mappings = mappings
        self.encoding = encoding
        self.delimiter = delimiter
    }
}

extension Directory {
    /// Imports an MIS CSV report of students, staff or contacts.
    ///
    /// Columns are found by the header names MIS reports use (see ``MISField``), or named with
    /// `--map`. Students and staff are matched on UPN or staff code; a full import
    /// (``ImportOptions/isFull``) marks those absent as left. Contacts become parents linked to
    /// the student with the row's UPN; a contact listed against several children is one parent,
    /// matched on their email or contact id.
    ///
    /// - Parameter rowTransform: rewrites each row after its columns are matched: a plugin's
    ///   import layout. It receives the row's fields by ``MISField`` name and its cells by header
    ///   name, and returns the fields to import, or nil to leave the row out.
    public func importMISReport(
        path: String, report: MISImportOptions, options: ImportOptions, settings: Settings, rowTransform: MISRowTransform? = nil
    ) throws -> ImportSummary {
        var reader = try CSVReader(path: path, options: CSVReadOptions(encoding: report.encoding, delimiter: report.delimiter))
        let table = try CSVTable(reader: &reader, readingRecords: false)
        let columns = try MISColumns(table: table, kind: report.kind, mappings: report.mappings)

        return try importRecords(kind: report.kind.importKind, source: path, options: options, settings: settings) { session in
            switch report.kind {
            case .students: session.coversRoles([.student])
            case .staff: session.coversRoles([.teacher, .staff])
            case .contacts: break
            }
            // Records are streamed from the reader, so a large report is never held twice.
            while let record = try reader.next() {
                if record.isBlank { continue }
                var row = MISRow(table: table, record: record, columns: columns)
                if let transform = rowTransform {
                    guard let fields = try row.transformed(by: transform, kind: report.kind) else { continue }
                    row.transformedFields = fields
                }
                if let ragged = table.raggedProblem(record) {
                    try session.report(ragged, protecting: row.key)
                    continue
                }
                switch report.kind {
                case .students: try row.feedStudent(into: session)
                case .staff: try row.feedStaff(into: session)
                case .contacts: try row.feedContact(into: session)
                }
            }
        }
    }
}

/// Which column holds each field.
struct MISColumns {
    private(set) var indexes: [MISField: Int] = [:]

    init(table: CSVTable, kind: MISReportKind, mappings: [String]) throws {
        // Explicit mappings first, so that they win over detection.
        for mapping in mappings {
            guard let equals = mapping.lastIndex(of: "=") else { throw MISImportError.invalidMapping(mapping) }
            let columnName = String(mapping[..<equals]).trimmingSpaces()
            let fieldName = String(mapping[mapping.index(after: equals)...]).trimmingSpaces().lowercased()
            guard let field = MISField(rawValue: fieldName) else { throw MISImportError.unknownField(fieldName, mapping: mapping) }
            guard let column = table.column(columnName) else {
                throw MISImportError.unknownColumn(columnName, mapping: mapping, header: table.header)
            }
            if indexes[field] != nil || indexes.values.contains(column) {
                throw MISImportError.duplicateMapping(mapping)
            }
            indexes[field] = column
        }

        let claimed = Set(indexes.values)
        for field in kind.fields where indexes[field] == nil {
            let names = kind == .contacts && field == .email
                ? ["Contact Email", "Contact Email Address", "Parent Email", "Contact 1 Email", "Email", "Primary Email"]
                : field.headerNames
            if let column = table.column(names), !claimed.contains(column) {
                indexes[field] = column
            }
        }

        let missing = kind.requiredFields.filter { indexes[$0] == nil }
        guard missing.isEmpty else {
            throw MISImportError.missingColumns(file: table.source, fields: missing.map(\.rawValue), header: table.header)
        }
    }

    subscript(field: MISField) -> Int? { indexes[field] }
}

/// One row of an MIS report, read field by field.
struct MISRow {
    let table: CSVTable
    let record: CSVRecord
    let columns: MISColumns

    /// The fields a row transform returned, which replace the file's cells.
    var transformedFields: [MISField: String]?

    func value(_ field: MISField) -> String? {
        guard let transformedFields else { return table.value(record, columns[field]) }
        let value = transformedFields[field]?.trimmingSpaces()
        return value?.isEmpty == false ? value : nil
    }

    /// Runs a plugin's row transform; nil when it leaves the row out.
    ///
    /// - Throws: ``MISImportError/rowTransformFailed(at:reason:)`` naming the row, when the
    ///   transform fails or returns a field Lanyard does not know.
    func transformed(by transform: MISRowTransform, kind: MISReportKind) throws -> [MISField: String]? {
        var fields: [String: String] = [:]
        for field in kind.fields {
            if let value = value(field) { fields[field.rawValue] = value }
        }
        var cells: [String: String] = [:]
        for (index, name) in table.header.enumerated() where !name.isEmpty && cells[name] == nil {
            cells[name] = table.value(record, index) ?? ""
        }
        let result: [String: String]?
        do {
            result = try transform(fields, cells)
        } catch {
            throw MISImportError.rowTransformFailed(at: location(), reason: "\(error)")
        }
        guard let result else { return nil }
        var checked: [MISField: String] = [:]
        for (name, value) in result {
            guard let field = MISField(rawValue: name) else {
                throw MISImportError.rowTransformFailed(
                    at: location(), reason: "it returned field '\(name)', which is not one of \(MISField.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            checked[field] = value
        }
        return checked
    }
    func location(_ field: MISField? = nil) -> SourceLocation { table.location(record, field.flatMap { columns[$0] }) }

    /// The key an invalid row protects from being marked left.
    var key: String? { value(.upn)?.uppercased() ?? value(.staffCode) }

    /// The fields checked for length and control characters, and those checked for control
    /// characters only.
    static let nameFields: [MISField] = [.legalForename, .legalSurname, .preferredForename, .preferredSurname, .contactForename, .contactSurname]
    static let plainTextFields: [MISField] = [.email, .registrationGroup]

    /// Reports each name that is too long and each name, email or registration group with a
    /// control character. Returns false when there was one, so the row is skipped.
    func reportTextProblems(into session: ImportSession, protecting key: String?) throws -> Bool {
        let problems = FieldChecks.textProblems(
            in: table, record, names: Self.nameFields.map { columns[$0] }, plainText: Self.plainTextFields.map { columns[$0] })
        for problem in problems {
            try session.report(problem, protecting: key)
        }
        return problems.isEmpty
    }

    // MARK: - Students

    func feedStudent(into session: ImportSession) throws {
        guard try reportTextProblems(into: session, protecting: key) else { return }
        var problems: [ImportProblem] = []
        guard let upnText = value(.upn) else {
            try session.report(ImportProblem(at: location(.upn), "the row has no UPN; every student needs one"))
            return
        }
        let upn: String
        switch FieldChecks.upn(upnText, at: location(.upn)) {
        case .success(let valid): upn = valid
        case .failure(let problem):
            try session.report(problem, protecting: upnText.uppercased())
            return
        }
        guard let forename = value(.legalForename), let surname = value(.legalSurname) else {
            try session.report(ImportProblem(at: location(.legalSurname), "student '\(upn)' has no forename or surname; both are required"), protecting: upn)
            return
        }

        var student = IncomingUser(role: .student, legalForename: forename, legalSurname: surname, location: location())
        student.upn = upn
        student.admissionNumber = value(.admissionNumber)
        student.preferredForename = value(.preferredForename).flatMap { $0 == forename ? nil : $0 }
        student.preferredSurname = value(.preferredSurname).flatMap { $0 == surname ? nil : $0 }
        student.registrationGroup = value(.registrationGroup)
        student.startDate = value(.startDate).flatMap(FieldChecks.date)
        student.dateOfBirth = value(.dateOfBirth).flatMap(FieldChecks.date)
        if let former = value(.formerUPN) {
            switch FieldChecks.upn(former, at: location(.formerUPN)) {
            case .success(let valid): student.formerUPN = valid
            case .failure(let problem): problems.append(problem)
            }
        }
        if let year = value(.year) {
            switch FieldChecks.yearGroup(year, at: location(.year)) {
            case .success(let group): student.yearGroup = group
            case .failure(let problem): problems.append(problem)
            }
        }
        if let email = value(.email) {
            switch FieldChecks.email(email, at: location(.email)) {
            case .success(let valid): student.email = valid
            case .failure(let problem): problems.append(problem)
            }
        }
        guard problems.isEmpty else {
            for problem in problems { try session.report(problem, protecting: upn) }
            return
        }
        try session.add(user: student)
    }

    // MARK: - Staff

    func feedStaff(into session: ImportSession) throws {
        guard try reportTextProblems(into: session, protecting: key) else { return }
        guard let forename = value(.legalForename), let surname = value(.legalSurname) else {
            try session.report(ImportProblem(at: location(.legalSurname), "the row has no forename or surname; both are required"), protecting: key)
            return
        }
        let code = value(.staffCode)
        guard code != nil || value(.email) != nil else {
            try session.report(ImportProblem(at: location(.staffCode), "staff member '\(forename) \(surname)' has no staff code or email, so they cannot be matched on the next import; add one"))
            return
        }
        let roleText = value(.staffRole)?.lowercased() ?? "teacher"
        let role: Role = roleText.contains("teach") || roleText == "teacher" ? .teacher : .staff

        var member = IncomingUser(role: role, legalForename: forename, legalSurname: surname, location: location())
        member.staffCode = code
        member.preferredForename = value(.preferredForename).flatMap { $0 == forename ? nil : $0 }
        member.preferredSurname = value(.preferredSurname).flatMap { $0 == surname ? nil : $0 }
        member.startDate = value(.startDate).flatMap(FieldChecks.date)
        if let email = value(.email) {
            switch FieldChecks.email(email, at: location(.email)) {
            case .success(let valid): member.email = valid
            case .failure(let problem):
                try session.report(problem, protecting: code)
                return
            }
        }
        if code == nil { member.sourceId = "staff:\(member.email!)" }
        try session.add(user: member)
    }

    // MARK: - Contacts

    func feedContact(into session: ImportSession) throws {
        // Contact reports do not mark anyone left, so no key needs protecting.
        guard try reportTextProblems(into: session, protecting: nil) else { return }
        guard let upnText = value(.upn) else {
            try session.report(ImportProblem(at: location(.upn), "the contact row has no pupil UPN, so it cannot be linked to a student"))
            return
        }
        let upn: String
        switch FieldChecks.upn(upnText, at: location(.upn)) {
        case .success(let valid): upn = valid
        case .failure(let problem):
            try session.report(problem)
            return
        }
        let forename = value(.contactForename) ?? ""
        guard let surname = value(.contactSurname) else {
            try session.report(ImportProblem(at: location(.contactSurname), "the contact of pupil '\(upn)' has no surname"))
            return
        }

        var email: String?
        if let text = value(.email) {
            switch FieldChecks.email(text, at: location(.email)) {
            case .success(let valid): email = valid
            case .failure(let problem):
                try session.report(problem)
                return
            }
        }
        var priority: Int?
        if let text = value(.priority) {
            guard let number = Int(text), number >= 1 else {
                try session.report(ImportProblem(at: location(.priority), "invalid priority '\(text)': use a whole number from 1, where 1 is contacted first"))
                return
            }
            priority = number
        }
        var responsibility: Bool?
        if let text = value(.parentalResponsibility) {
            switch text.lowercased() {
            case "yes", "y", "true", "1", "t": responsibility = true
            case "no", "n", "false", "0", "f": responsibility = false
            default:
                try session.report(ImportProblem(at: location(.parentalResponsibility), "invalid parental responsibility '\(text)': use Yes or No"))
                return
            }
        }

        let sourceId = value(.contactId).map { "contact-id:\($0)" }
            ?? FieldChecks.contactSourceId(email: email, forename: forename, surname: surname, studentUPN: upn)
        var parent = IncomingUser(role: .parent, legalForename: forename, legalSurname: surname, location: location())
        parent.sourceId = sourceId
        parent.email = email
        parent.contactOfUPN = upn
        try session.add(user: parent)
        session.add(
            link: IncomingLink(
                parentSourceId: sourceId, student: .upn(upn), relationship: value(.relationship), priority: priority,
                parentalResponsibility: responsibility, location: location(.upn)))
    }
}
