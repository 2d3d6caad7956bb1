/// A person's role in the directory.
///
/// OneRoster's `administrator` and `aide` map to ``staff``; `guardian` and `relative` to ``parent``.
public enum Role: String, CaseIterable, Sendable, Codable {
    case student
    case teacher
    case staff
    case parent
}

/// Whether a person is on the school's roll.
public enum EnrolmentStatus: String, CaseIterable, Sendable, Codable {
    case onRoll = "on-roll"
    case left
}

/// The single sign-on a school uses, if any. Users of an SSO school sign in with their school
/// account, so they get no password links (parents excepted: they never use the school's SSO).
public enum SSOProvider: String, CaseIterable, Sendable, Codable {
    case none
    case google
    case microsoft
    case ldap
    case rmUnify = "rm-unify"

    /// The name an admin or a parent recognises.
    public var displayName: String {
        switch self {
        case .none: return "none"
        case .google: return "Google"
        case .microsoft: return "Microsoft 365"
        case .ldap: return "LDAP/Active Directory"
        case .rmUnify: return "RM Unify"
        }
    }
}

/// A year group: 0 is Reception, 1 to 13 the National Curriculum years.
public struct YearGroup: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let number: Int

    public static let range = 0...13

    public init?(number: Int) {
        guard Self.range.contains(number) else { return nil }
        self.number = number
    }

    /// Parses what MIS exports and OneRoster bundles write: `7`, `07`, `Year 7`, `Y7`, `R`,
    /// `Reception`, `YR`, `KG`/`PK` are not English year groups and are rejected.
    public init?(parsing text: String) {
        var value = text.trimmingSpaces().lowercased()
        if value == "r" || value == "reception" || value == "yr" || value == "year r" {
            self.init(number: 0)
            return
        }
        for prefix in ["year ", "year", "y"] where value.hasPrefix(prefix) {
            value.removeFirst(prefix.count)
            break
        }
        guard !value.isEmpty, value.allSatisfy(\.isASCIIDigit), let number = Int(value) else { return nil }
        self.init(number: number)
    }

    public var description: String { number == 0 ? "R" : String(number) }

    public static func < (lhs: YearGroup, rhs: YearGroup) -> Bool { lhs.number < rhs.number }
}

/// A school in the directory. A multi-academy trust keeps several in one database.
public struct School: Sendable, Equatable, Codable {
    public var id: Int
    public var sourceId: String?
    public var name: String
    /// LA code and establishment number, e.g. `801/2000`.
    public var dfeNumber: String?
    public var ssoProvider: SSOProvider
}

/// A person in the directory: a student, teacher, staff member or parent.
public struct User: Sendable, Equatable, Codable {
    public var id: Int
    public var schoolId: Int
    public var role: Role
    /// The person's id in the system that exported them (OneRoster `sourcedId`, MIS id).
    public var sourceId: String?
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
    public var status: EnrolmentStatus
    public var startDate: String?
    public var dateOfBirth: String?
    /// For parents: whether they have registered an account with a parent code.
    public var registered: Bool
    public var lastLogin: String?

    /// The forename the person goes by.
    public var forename: String { preferredForename ?? legalForename }
    /// The surname the person goes by.
    public var surname: String { preferredSurname ?? legalSurname }
    public var displayName: String { "\(forename) \(surname)" }

    /// UPN for students, staff code for staff, source id otherwise: the key an admin quotes.
    public var key: String { upn ?? staffCode ?? sourceId ?? "#\(id)" }
}

extension YearGroup: Codable {
    public init(from decoder: any Decoder) throws {
        let number = try decoder.singleValueContainer().decode(Int.self)
        guard let year = YearGroup(number: number) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "year group \(number) is outside 0...13"))
        }
        self = year
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(number)
    }
}
