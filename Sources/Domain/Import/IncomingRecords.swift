/// A school as an import file describes it.
public struct IncomingSchool: Sendable, Equatable {
    public var sourceId: String?
    public var name: String
    public var dfeNumber: String?

    public init(sourceId: String?, name: String, dfeNumber: String?) {
        self.sourceId = sourceId
        self.name = name
        self.dfeNumber = dfeNumber
    }
}

/// A person as an import file describes them, already validated by the file's reader.
public struct IncomingUser: Sendable, Equatable {
    public var role: Role
    public var sourceId: String?
    /// The school by its source id in the same import; nil for the directory's only school.
    public var schoolSourceId: String?
    public var upn: String?
    public var formerUPN: String?
    public var staffCode: String?
    public var admissionNumber: String?
    public var legalForename: String
    public var legalSurname: String
    public var preferredForename: String?
    public var preferredSurname: String?
    public var email: String?
    public var yearGroup: YearGroup?
    public var registrationGroup: String?
    public var status: EnrolmentStatus = .onRoll
    public var startDate: String?
    public var dateOfBirth: String?
    /// For a contact without an id of their own: the UPN of the child the row is about, so that
    /// a contact without email is matched to the parent already linked to that child by name.
    public var contactOfUPN: String?
    public var location: SourceLocation

    public init(role: Role, legalForename: String, legalSurname: String, location: SourceLocation) {
        self.role = role
        self.legalForename = legalForename
        self.legalSurname = legalSurname
        self.location = location
    }

    /// The key quoted in messages about this row.
    var key: String { upn ?? staffCode ?? sourceId ?? "\(legalForename) \(legalSurname)" }
}

/// A parent or guardian linked to a student, by the keys the import file uses.
public struct IncomingLink: Sendable, Equatable {
    /// The parent's source id in this import.
    public var parentSourceId: String
    /// The student: a source id in this import, or a UPN.
    public var student: StudentReference
    public var relationship: String?
    public var priority: Int?
    public var parentalResponsibility: Bool?
    public var location: SourceLocation

    public enum StudentReference: Sendable, Equatable, CustomStringConvertible {
        case sourceId(String)
        case upn(String)

        public var description: String {
            switch self {
            case .sourceId(let id): return "sourcedId '\(id)'"
            case .upn(let upn): return "UPN '\(upn)'"
            }
        }
    }

    public init(
        parentSourceId: String, student: StudentReference, relationship: String? = nil, priority: Int? = nil,
        parentalResponsibility: Bool? = nil, location: SourceLocation
    ) {
        self.parentSourceId = parentSourceId
        self.student = student
        self.relationship = relationship
        self.priority = priority
        self.parentalResponsibility = parentalResponsibility
        self.location = location
    }
}

/// The kinds of import, recorded in the import history.
public enum ImportKind: String, Sendable, Codable {
    case oneRoster = "oneroster"
    case csvStudents = "csv-students"
    case csvStaff = "csv-staff"
    case csvContacts = "csv-contacts"
    case ctf
}

/// How an import should behave.
public struct ImportOptions: Sendable, Equatable {
    /// Import the valid rows and report the rest, instead of rejecting the whole file.
    public var skipInvalid = false
    /// Work out every change, then roll it all back.
    public var dryRun = false
    /// The input lists everyone of its roles, so those absent are marked left.
    public var isFull = false
    /// Treat the input as a partial update even when it says it is full (a OneRoster bulk).
    public var isDelta = false

    public init(skipInvalid: Bool = false, dryRun: Bool = false, isFull: Bool = false, isDelta: Bool = false) {
        self.skipInvalid = skipInvalid
        self.dryRun = dryRun
        self.isFull = isFull
        self.isDelta = isDelta
    }
}

/// What an import did (or, in a dry run, would do).
public struct ImportSummary: Sendable, Equatable, Codable {
    public var source: String
    public var kind: String
    public var dryRun: Bool
    public var new = 0
    public var updated = 0
    public var unchanged = 0
    public var left = 0
    public var invalid = 0
    public var links = 0
    public var schools = 0
    /// New and updated people by role.
    public var byRole: [String: Int] = [:]
    public var problems: [ImportProblem] = []
}
