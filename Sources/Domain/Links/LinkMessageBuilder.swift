import Foundation

/// Turns a user and a link into an email through the message templates.
///
/// Templates are chosen by purpose and role: `first-login-student`, `first-login-staff` (for
/// teachers and staff), `first-login-parent`, `recovery-student`, `recovery-staff`,
/// `recovery-parent`, and `sso-notice` for users who sign in with the school's account.
struct LinkMessageBuilder {
    static let ssoNoticeTemplate = "sso-notice"

    let settings: Settings
    let templates: TemplateLibrary
    let schools: [Int: School]

    init(directory: Directory, settings: Settings, templates: TemplateLibrary) throws {
        self.settings = settings
        self.templates = templates
        self.schools = Dictionary(uniqueKeysWithValues: try directory.schools().map { ($0.id, $0) })
    }

    // MARK: - Choosing

    /// Returns the template for a link of `purpose` to `user`.
    static func templateName(purpose: LinkPurpose, role: Role) -> String {
        let group: String
        switch role {
        case .student: group = "student"
        case .teacher, .staff: group = "staff"
        case .parent: group = "parent"
        }
        return "\(purpose.rawValue)-\(group)"
    }

    /// Whether `user` signs in with the school's single sign-on: anyone but a parent, in a
    /// school with SSO.
    func usesSSO(_ user: User) -> Bool {
        user.role != .parent && (schools[user.schoolId]?.ssoProvider ?? .none) != .none
    }

    // MARK: - Building

    /// The sender of every message: the `mail.from_address` setting, named by `mail.from_name`
    /// or else the school.
    ///
    /// - Throws: ``LinkSendError/missingSender`` or ``LinkSendError/invalidSender(_:reason:)``.
    func sender(for user: User) throws(LinkSendError) -> Mailbox {
        guard !settings.mailFromAddress.isEmpty else { throw .missingSender }
        let name = settings.mailFromName.isEmpty ? schools[user.schoolId]?.name : settings.mailFromName
        do {
            return try Mailbox(name: name, address: settings.mailFromAddress)
        } catch {
            throw .invalidSender(settings.mailFromAddress, reason: error.description)
        }
    }

    /// The placeholder values for `user`, with the link's URL and expiry when there is a link.
    func values(for user: User, link: (url: String, expiresAt: String)?) -> [String: TemplateValue] {
        let school = schools[user.schoolId]
        var values: [String: TemplateValue] = [
            "forename": .text(user.forename),
            "surname": .text(user.surname),
            "full_name": .text(user.displayName),
            "role": .text(user.role.rawValue),
            "school_name": .text(school?.name ?? ""),
            "sso": .flag(usesSSO(user)),
            "login_url": .text(settings.loginURL),
            "link_lifetime_days": .text(String(settings.linkLifetimeDays)),
        ]
        if let provider = school?.ssoProvider, provider != .none { values["sso_provider"] = .text(provider.displayName) }
        if let upn = user.upn { values["upn"] = .text(upn) }
        if let staffCode = user.staffCode { values["staff_code"] = .text(staffCode) }
        if let email = user.email { values["email"] = .text(email) }
        if let year = user.yearGroup { values["year"] = .text(year.description) }
        if let reg = user.registrationGroup { values["reg"] = .text(reg) }
        if let link {
            values["link"] = .text(link.url)
            values["link_expiry"] = .text(Self.longDate(link.expiresAt))
        }
        return values
    }

    /// Renders template `name` for `user` into a message to their address, or to `testAddress`
    /// with the subject marked as a test.
    ///
    /// - Throws: ``TemplateError`` and ``LinkSendError``.
    func message(
        for user: User, template name: String, values: [String: TemplateValue], testAddress: EmailAddress?
    ) throws -> MailMessage {
        let template = try templates.template(named: name)
        let recipientText = "\(user.displayName) (\(user.key))"
        let rendered = try template.render(values, recipient: recipientText)
        let to: Mailbox
        var subject = rendered.subject
        if let testAddress {
            to = Mailbox(name: nil, address: testAddress)
            subject = "[Test for \(user.displayName)] " + subject
        } else {
            guard let email = user.email else { throw LinkSendError.missingEmail(userKey: user.key) }
            do {
                to = try Mailbox(name: user.displayName, address: email)
            } catch {
                throw LinkSendError.invalidRecipient(userKey: user.key, address: email, reason: error.description)
            }
        }
        return MailMessage(from: try sender(for: user), to: to, subject: subject, textBody: rendered.text, htmlBody: rendered.html)
    }

    // MARK: - Dates

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]

    /// `2026-09-08T08:00:00Z` as `8 September 2026`, the British long form, in UTC.
    static func longDate(_ timestamp: String) -> String {
        let parts = Timestamp.datePart(timestamp).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]) else { return Timestamp.datePart(timestamp) }
        return "\(parts[2]) \(monthNames[parts[1] - 1]) \(parts[0])"
    }
}

/// A send of links that cannot go ahead as configured or asked.
public enum LinkSendError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingSender
    case invalidSender(String, reason: String)
    case invalidTestAddress(String, reason: String)
    case missingEmail(userKey: String)
    case invalidRecipient(userKey: String, address: String, reason: String)

    public var description: String {
        switch self {
        case .missingSender:
            return "no sender address is set; set mail = { from_address = \"office@your-school.sch.uk\" } in lanyard.config.lua"
        case .invalidSender(let address, let reason):
            return "the sender address '\(address)' in mail.from_address is invalid: \(reason); correct it in lanyard.config.lua"
        case .invalidTestAddress(let address, let reason):
            return "the test address '\(address)' is invalid: \(reason); give your own address"
        case .missingEmail(let userKey):
            return "the user \(userKey) has no email address; add one with 'lanyard users update-emails'"
        case .invalidRecipient(let userKey, let address, let reason):
            return "the email address '\(address)' of \(userKey) is invalid: \(reason); correct it with 'lanyard users update-emails'"
        }
    }
}
