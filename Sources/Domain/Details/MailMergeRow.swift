/// One student's row of the mail merge file. The column names and order are documented in
/// docs/details.md and stay stable, because admins build Word templates on them.
public struct MailMergeRow: Sendable, Equatable, Codable {
    public var upn: String
    public var admissionNumber: String
    public var legalForename: String
    public var surname: String
    /// The preferred forename, when it differs from the legal one.
    public var preferredName: String
    /// `R` for Reception, else the number.
    public var yearGroup: String
    public var registrationGroup: String
    public var email: String
    /// The school email, else the UPN.
    public var loginName: String
    public var pin: String
    /// `YYYY-MM-DD`, empty without a PIN.
    public var pinExpires: String
    /// Formatted in groups, as printed: `7KQM-XB2H-RTN9`.
    public var parentCode: String
    public var parentCodeExpires: String
    /// The school's single sign-on, by display name; empty when it has none.
    public var ssoProvider: String
    public var loginURL: String
    /// A sentence for the letter, such as the SSO sign-in instruction.
    public var note: String

    /// The header row, in column order.
    public static let columns = [
        "upn", "admission_number", "legal_forename", "surname", "preferred_name", "year_group", "registration_group",
        "email", "login_name", "pin", "pin_expires", "parent_code", "parent_code_expires", "sso_provider", "login_url", "note",
    ]

    /// The values in ``columns`` order.
    public var fields: [String] {
        [
            upn, admissionNumber, legalForename, surname, preferredName, yearGroup, registrationGroup, email, loginName, pin,
            pinExpires, parentCode, parentCodeExpires, ssoProvider, loginURL, note,
        ]
    }

    /// The name printed on a slip: preferred forename (else legal) and surname.
    public var displayName: String {
        "\(preferredName.isEmpty ? legalForename : preferredName) \(surname)"
    }

    /// The note for students of a school that signs in through `provider`.
    public static func ssoNote(_ provider: SSOProvider) -> String {
        "Sign in with your \(provider.displayName) school account instead of a password."
    }
}
