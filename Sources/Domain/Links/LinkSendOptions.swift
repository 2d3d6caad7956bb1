/// Options for ``Directory/sendLinks(to:options:settings:templates:)``.
///
/// ```swift
/// var options = LinkSendOptions()
/// options.limit = 20
/// options.testAddress = "office@castlemead.sch.uk"
/// ```
public struct LinkSendOptions: Sendable, Equatable {
    public var purpose: LinkPurpose
    /// A template to use for everyone instead of the one chosen by purpose and role.
    public var templateName: String?
    /// Sends only to the first `limit` eligible users; the others are skipped as `over-limit`.
    public var limit: Int?
    /// Sends every message to this address instead, with links that can never be redeemed, and
    /// marks nobody as sent to: a rehearsal an admin can read.
    public var testAddress: String?
    /// Works everything out, then rolls it all back: nothing is stored or queued.
    public var dryRun: Bool
    /// Sends even to users who were sent a link within the resend window.
    public var resend: Bool
    /// The command or script sending, for the audit log.
    public var origin: String

    public init(
        purpose: LinkPurpose = .firstLogin, templateName: String? = nil, limit: Int? = nil, testAddress: String? = nil,
        dryRun: Bool = false, resend: Bool = false, origin: String = "lanyard links send"
    ) {
        self.purpose = purpose
        self.templateName = templateName
        self.limit = limit
        self.testAddress = testAddress
        self.dryRun = dryRun
        self.resend = resend
        self.origin = origin
    }
}

/// The reason a user in a selection was sent no link.
public enum LinkSkipReason: String, CaseIterable, Sendable, Codable {
    /// No email address in the directory.
    case missingEmail = "missing-email"
    /// An email address that is not valid.
    case invalidEmail = "invalid-email"
    /// The user signs in with the school's single sign-on.
    case sso
    /// A parent who has not registered with a parent code.
    case notRegistered = "not-registered"
    /// No longer on roll.
    case left
    /// Sent a link for the same purpose within the resend window.
    case recentlySent = "recently-sent"
    /// Eligible, but past the send's limit.
    case overLimit = "over-limit"
    /// A check before sending (a plugin's `before_send`) withheld the message; the outbox
    /// keeps it as cancelled, with the reason.
    case withheld
}

/// The result of a send for one user.
public struct LinkOutcome: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        case queued
        case skipped
    }

    public var userId: Int
    /// UPN, staff code or source id.
    public var userKey: String
    public var name: String
    public var role: Role
    public var email: String?
    public var status: Status
    public var reason: LinkSkipReason?
    /// The outbox message, for a queued link (nil in a dry run, whose queue is rolled back).
    public var outboxId: Int?
    /// The address the message went to in test mode, in place of the user's own.
    public var testAddress: String?
    /// The template the message was rendered from.
    public var template: String?
}

/// The outcome of a send of links: one ``LinkOutcome`` per user, and totals.
public struct LinkSendReport: Sendable, Equatable, Codable {
    public var purpose: LinkPurpose
    public var selection: String
    public var dryRun: Bool
    public var testAddress: String?
    public var outcomes: [LinkOutcome]

    /// Users whose link was queued.
    public var queued: Int { outcomes.filter { $0.status == .queued }.count }

    /// Skipped users by reason, leaving out reasons with none.
    public var skipped: [LinkSkipReason: Int] {
        var counts: [LinkSkipReason: Int] = [:]
        for outcome in outcomes { if let reason = outcome.reason { counts[reason, default: 0] += 1 } }
        return counts
    }

    enum CodingKeys: String, CodingKey {
        case purpose, selection, dryRun, testAddress, outcomes, queued, skipped
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(purpose, forKey: .purpose)
        try container.encode(selection, forKey: .selection)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encodeIfPresent(testAddress, forKey: .testAddress)
        try container.encode(queued, forKey: .queued)
        try container.encode(Dictionary(uniqueKeysWithValues: skipped.map { ($0.key.rawValue, $0.value) }), forKey: .skipped)
        try container.encode(outcomes, forKey: .outcomes)
    }

    public init(purpose: LinkPurpose, selection: String, dryRun: Bool, testAddress: String?, outcomes: [LinkOutcome]) {
        self.purpose = purpose
        self.selection = selection
        self.dryRun = dryRun
        self.testAddress = testAddress
        self.outcomes = outcomes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            purpose: try container.decode(LinkPurpose.self, forKey: .purpose), selection: try container.decode(String.self, forKey: .selection),
            dryRun: try container.decode(Bool.self, forKey: .dryRun), testAddress: try container.decodeIfPresent(String.self, forKey: .testAddress),
            outcomes: try container.decode([LinkOutcome].self, forKey: .outcomes))
    }

    // MARK: - CSV report

    /// The report's columns, one row per user.
    public static let csvHeader = ["key", "name", "role", "email", "outcome", "reason", "sent_to", "outbox_id"]

    /// Writes one row per user as CSV that Excel opens (UTF-8 with a BOM, formulas neutralised).
    ///
    /// - Throws: ``CSVWriteError`` when the file cannot be written.
    public func writeCSV(to path: String) throws(CSVWriteError) {
        let writer = try CSVWriter(path: path)
        try writer.writeRow(Self.csvHeader)
        for outcome in outcomes {
            let sentTo = outcome.status == .queued ? (outcome.testAddress ?? outcome.email ?? "") : ""
            try writer.writeRow([
                outcome.userKey, outcome.name, outcome.role.rawValue, outcome.email ?? "", outcome.status.rawValue,
                outcome.reason?.rawValue ?? "", sentTo, outcome.outboxId.map(String.init) ?? "",
            ])
        }
        try writer.finish()
    }
}
