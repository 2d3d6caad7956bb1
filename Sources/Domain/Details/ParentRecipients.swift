/// Options for ``Directory/parentRecipients(contactsCSV:selection:options:)``: the contacts it picks.
///
/// By default each student's first usable contact is picked: the one with the lowest priority
/// number that has parental responsibility and an email address. A contact whose parental
/// responsibility is not recorded counts as without it, because a parent code lets its holder
/// see the child's records.
public struct ParentRecipientOptions: Sendable, Equatable {
    /// Also pick contacts without (or with unrecorded) parental responsibility.
    public var includeWithoutResponsibility = false
    /// Pick every usable contact, not only the first.
    public var allPriorities = false
    /// Pick every usable contact with a priority up to this number. Ignored with
    /// ``allPriorities``.
    public var maxPriority: Int?
    /// Read each child's live parent code (audited), for sending. Off, codes stay nil.
    public var includesCodes = false
    public var origin: Directory.Origin

    public init(origin: Directory.Origin = .init("parents recipients")) {
        self.origin = origin
    }
}

/// Parents to send parent codes to, siblings grouped under one recipient, and the students
/// left without anyone to send to.
public struct ParentRecipients: Sendable, Equatable, Codable {
    /// One parent or carer and the children they are a usable contact for.
    public struct Recipient: Sendable, Equatable, Codable {
        /// The address, as the MIS or the directory has it; recipients are grouped on it
        /// without regard to case.
        public var email: String
        public var name: String
        public var children: [Child]
    }

    /// A child of a recipient, with the contact's relationship to them.
    public struct Child: Sendable, Equatable, Codable {
        public var upn: String
        public var name: String
        public var registrationGroup: String
        public var relationship: String?
        public var priority: Int?
        /// Whether the child has a live parent code, shown or not.
        public var hasParentCode: Bool
        /// Formatted in groups; nil unless codes were asked for or when the child has none.
        public var parentCode: String?
        public var parentCodeExpires: String?
    }

    /// The reason a student has no recipient.
    public enum Reason: String, Sendable, Equatable, Codable {
        case noContacts = "no-contacts"
        case noneWithResponsibility = "none-with-responsibility"
        case noneWithEmail = "none-with-email"
        case noneWithinPriority = "none-within-priority"

        public var description: String {
            switch self {
            case .noContacts: return "no contacts"
            case .noneWithResponsibility: return "no contact with parental responsibility"
            case .noneWithEmail: return "no contact with parental responsibility has an email address"
            case .noneWithinPriority: return "no usable contact within the priority limit"
            }
        }
    }

    /// A student in the selection whom no recipient covers.
    public struct Unreached: Sendable, Equatable, Codable {
        public var upn: String
        public var name: String
        public var registrationGroup: String
        public var reason: Reason
    }

    /// Recipients ordered by the registration group and surname of their first child.
    public var recipients: [Recipient]
    public var unreached: [Unreached]
    /// Problems with rows of the contacts file, as `file:line: message`; those rows are skipped.
    public var problems: [String]
    /// Rows of the contacts file whose UPN matched no student in the selection.
    public var unmatchedRows: Int
}
