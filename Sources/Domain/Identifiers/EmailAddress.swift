/// An email address whose syntax has been checked: a pragmatic form of RFC 5322's addr-spec,
/// as schools' MIS and mail providers use it.
///
/// The rules:
/// - exactly one `@`;
/// - a local part (before the `@`) of 1 to 64 characters: ASCII letters, digits,
///   ``!#$%&'*+/=?^_`{|}~-`` and dots, with no dot first, last or doubled (RFC 5322 dot-atom);
/// - a domain of at least two labels separated by dots. Each label has 1 to 63 ASCII letters,
///   digits or hyphens, and does not start or end with a hyphen. The last label (the top-level
///   domain) is not all digits, which also rules out IP addresses;
/// - at most 254 characters in all (RFC 5321's limit for a path, less its angle brackets).
///
/// Parsing trims surrounding white space and lower-cases the domain. The local part keeps its
/// case, because RFC 5321 lets a mail server treat `Jo` and `jo` as different mailboxes.
///
/// Quoted local parts (`"jo bloggs"@school.org.uk`) and comments are rejected: schools do not
/// issue such addresses, and a space in an MIS cell is far more likely a typing error.
///
/// Internationalised addresses are rejected too. A domain must be in its ASCII form
/// (`xn--bcher-kva.example`, not `bücher.example`): converting a Unicode domain needs the IDNA
/// mapping tables, which Lanyard does not carry, and a mail server without the SMTPUTF8
/// extension cannot deliver to a Unicode local part.
///
/// ```swift
/// let email = try EmailAddress("  Jo.Bloggs@School.ORG.uk ")
/// email.value  // "Jo.Bloggs@school.org.uk"
/// ```
public struct EmailAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The maximum length of a whole address, in characters.
    public static let maxLength = 254
    /// The maximum length of the local part, in characters.
    public static let maxLocalPartLength = 64
    /// The maximum length of one domain label, in characters.
    public static let maxLabelLength = 63

    /// The symbols RFC 5322 allows in a dot-atom besides letters, digits and dots.
    private static let localSymbols = Set("!#$%&'*+/=?^_`{|}~-".utf8)

    /// The normalised address: trimmed, with the domain lower-cased.
    public let value: String
    /// The part before the `@`, as written.
    public let localPart: String
    /// The part after the `@`, lower-cased.
    public let domain: String

    // MARK: - Parsing

    /// Checks and normalises an email address.
    ///
    /// - Throws: ``EmailAddressError`` saying which rule the address breaks.
    public init(_ text: String) throws(EmailAddressError) {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else { throw .empty(text) }

        // Split at the single @
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            if parts.count == 1 { throw .missingAtSign(text) }
            throw .multipleAtSigns(text, count: parts.count - 1)
        }
        let localPart = String(parts[0])
        let domain = String(parts[1])

        try Self.checkLocalPart(localPart, in: text)
        let lowercasedDomain = try Self.checkDomain(domain, in: text)

        let value = localPart + "@" + lowercasedDomain
        guard value.utf8.count <= Self.maxLength else {
            throw .tooLong(text, length: value.utf8.count)
        }
        self.value = value
        self.localPart = localPart
        self.domain = lowercasedDomain
    }

    // MARK: - Rules

    private static func checkLocalPart(_ localPart: String, in text: String) throws(EmailAddressError) {
        guard !localPart.isEmpty else { throw .missingLocalPart(text) }

        for character in localPart {
            let isAllowed =
                character.isASCII
                && (character.isLetter || character.isNumber || character == "."
                    || character.utf8.first.map(localSymbols.contains) == true)
            guard isAllowed else { throw .invalidLocalCharacter(text, character: character) }
        }
        guard localPart.first != ".", localPart.last != ".", !localPart.contains("..") else {
            throw .misplacedDotInLocalPart(text)
        }
        guard localPart.count <= maxLocalPartLength else {
            throw .localPartTooLong(text, length: localPart.count)
        }
    }

    /// Checks the domain and returns it lower-cased.
    private static func checkDomain(_ domain: String, in text: String) throws(EmailAddressError) -> String {
        guard !domain.isEmpty else { throw .missingDomain(text) }
        guard domain.allSatisfy(\.isASCII) else { throw .nonASCIIDomain(text) }
        guard domain.contains(".") else { throw .domainWithoutDot(text) }

        let lowercased = domain.lowercased()
        let labels = lowercased.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty else { throw .emptyDomainLabel(text) }
            let hasValidCharacters = label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
            guard hasValidCharacters, label.first != "-", label.last != "-" else {
                throw .invalidDomainLabel(text, label: String(label))
            }
            guard label.count <= maxLabelLength else {
                throw .domainLabelTooLong(text, label: String(label))
            }
        }
        if let topLevel = labels.last, topLevel.allSatisfy(\.isNumber) {
            throw .numericTopLevelDomain(text, topLevelDomain: String(topLevel))
        }
        return lowercased
    }

    // MARK: - Conformances

    public var description: String { value }

    public static func < (lhs: EmailAddress, rhs: EmailAddress) -> Bool { lhs.value < rhs.value }
}

/// An error from checking an email address. Each case carries the string as given.
public enum EmailAddressError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty(String)
    case missingAtSign(String)
    case multipleAtSigns(String, count: Int)
    case missingLocalPart(String)
    case invalidLocalCharacter(String, character: Character)
    case misplacedDotInLocalPart(String)
    case localPartTooLong(String, length: Int)
    case missingDomain(String)
    case nonASCIIDomain(String)
    case domainWithoutDot(String)
    case emptyDomainLabel(String)
    case invalidDomainLabel(String, label: String)
    case domainLabelTooLong(String, label: String)
    case numericTopLevelDomain(String, topLevelDomain: String)
    case tooLong(String, length: Int)

    public var description: String {
        switch self {
        case .empty(let text):
            return "invalid email '\(text)': it is empty; enter an address such as jo.bloggs@school.org.uk"
        case .missingAtSign(let text):
            return "invalid email '\(text)': it has no @; write it as name@domain, as in jo.bloggs@school.org.uk"
        case .multipleAtSigns(let text, let count):
            return "invalid email '\(text)': it has \(count) @ signs, but an address has one; check for two addresses run together"
        case .missingLocalPart(let text):
            return "invalid email '\(text)': the name before the @ is missing; add it, as in jo.bloggs@school.org.uk"
        case .invalidLocalCharacter(let text, let character):
            return "invalid email '\(text)': the character '\(character)' is not allowed before the @; remove or replace it"
        case .misplacedDotInLocalPart(let text):
            return "invalid email '\(text)': the name before the @ starts or ends with a dot, or has two dots in a row; remove the extra dot"
        case .localPartTooLong(let text, let length):
            return "invalid email '\(text)': the name before the @ has \(length) characters, but at most \(EmailAddress.maxLocalPartLength) are allowed; check the address"
        case .missingDomain(let text):
            return "invalid email '\(text)': the domain after the @ is missing; add it, as in jo.bloggs@school.org.uk"
        case .nonASCIIDomain(let text):
            return "invalid email '\(text)': the domain has characters outside ASCII; write it in its ASCII form (starting xn--), as the mail provider lists it"
        case .domainWithoutDot(let text):
            return "invalid email '\(text)': the domain needs a dot, as in school.org.uk"
        case .emptyDomainLabel(let text):
            return "invalid email '\(text)': the domain starts or ends with a dot, or has two dots in a row; remove the extra dot"
        case .invalidDomainLabel(let text, let label):
            return "invalid email '\(text)': the domain part '\(label)' may contain only letters, digits and hyphens, and may not start or end with a hyphen; correct the domain"
        case .domainLabelTooLong(let text, let label):
            return "invalid email '\(text)': the domain part '\(label)' has \(label.count) characters, but at most \(EmailAddress.maxLabelLength) are allowed; check the domain"
        case .numericTopLevelDomain(let text, let topLevelDomain):
            return "invalid email '\(text)': the domain ends in '\(topLevelDomain)', which is all digits; use a domain name, as in school.org.uk"
        case .tooLong(let text, let length):
            return "invalid email '\(text)': it has \(length) characters, but an address has at most \(EmailAddress.maxLength); check the address"
        }
    }
}
