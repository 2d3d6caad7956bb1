import Foundation
import Storage

/// Options for emailing parents their children's parent codes.
public struct ParentInvitationOptions: Sendable {
    /// The MIS contacts export to join on UPN, or nil for the directory's own parent links.
    public var contactsCSV: String?
    public var recipients = ParentRecipientOptions(origin: .init("parents invite"))
    /// Queue messages for the first N recipients only.
    public var limit: Int?
    /// Send every message to this one admin address instead; nothing counts as sent.
    public var testAddress: String?
    public var dryRun = false
    /// Invite again parents invited within the resend window.
    public var resend = false
    public var templateName = "parent-invitation"
    public var origin = "parents invite"

    public init(contactsCSV: String? = nil) {
        self.contactsCSV = contactsCSV
    }
}

/// What an invitation run did, per recipient, with the students no usable contact covers.
public struct ParentInvitationReport: Sendable, Codable {
    public struct Outcome: Sendable, Codable {
        public var email: String
        public var name: String
        public var children: [String]
        /// `queued`, `recently-sent`, `over-limit` or `no-codes`.
        public var outcome: String
        public var outboxId: Int?
    }

    public var dryRun: Bool
    public var testAddress: String?
    public var outcomes: [Outcome]
    public var unreached: [ParentRecipients.Unreached]
    public var problems: [String]

    public var queued: Int { outcomes.filter { $0.outcome == "queued" }.count }
}

extension Directory {
    /// Emails each parent or carer their children's parent codes, one message per address
    /// listing every child (siblings grouped), through the outbox and the `parent-invitation`
    /// template. The same dry run, limit, test address and resend rules as link sending apply.
    /// Reading the codes is audited.
    public func inviteParents(
        _ selection: Selection, options: ParentInvitationOptions, settings: Settings, templates: TemplateLibrary
    ) throws -> ParentInvitationReport {
        guard !settings.mailFromAddress.isEmpty else { throw LinkSendError.missingSender }
        var testAddress: EmailAddress?
        if let text = options.testAddress {
            do {
                testAddress = try EmailAddress(text)
            } catch {
                throw LinkSendError.invalidTestAddress(text, reason: error.description)
            }
        }
        let template = try templates.template(named: options.templateName)
        let school = try schools().first

        func work() throws -> ParentInvitationReport {
            try database.transaction {
                var recipientOptions = options.recipients
                recipientOptions.includesCodes = true
                recipientOptions.origin = .init(options.origin)
                let list = try parentRecipients(contactsCSV: options.contactsCSV, selection: selection, options: recipientOptions)
                let cutoff = timestamp(now().addingTimeInterval(-Double(settings.linkResendWindowHours) * 3600))

                var outcomes: [ParentInvitationReport.Outcome] = []
                for recipient in list.recipients {
                    var outcome = ParentInvitationReport.Outcome(
                        email: recipient.email, name: recipient.name, children: recipient.children.map(\.upn), outcome: "queued")
                    let withCodes = recipient.children.filter { $0.parentCode != nil }
                    if withCodes.isEmpty {
                        outcome.outcome = "no-codes"
                    } else if !options.resend, testAddress == nil, try wasInvited(recipient.email, since: cutoff) {
                        outcome.outcome = "recently-sent"
                    } else if let limit = options.limit, outcomes.filter({ $0.outcome == "queued" }).count >= limit {
                        outcome.outcome = "over-limit"
                    } else {
                        let message = try invitation(
                            to: recipient, children: withCodes, template: template, school: school, settings: settings, testAddress: testAddress)
                        let entry = try queue(message, purpose: .parentInvitation, userId: nil)
                        outcome.outboxId = entry.id
                        if entry.state == .cancelled { outcome.outcome = "withheld" }
                    }
                    outcomes.append(outcome)
                }
                let report = ParentInvitationReport(
                    dryRun: options.dryRun, testAddress: testAddress?.value, outcomes: outcomes, unreached: list.unreached, problems: list.problems)
                try audit(
                    action: testAddress == nil ? "parents.invite" : "parents.invite-test", via: options.origin, userId: nil,
                    detail: "\(report.queued) queued, \(outcomes.count - report.queued) skipped, \(list.unreached.count) students unreached, selection: \(selection)")
                return report
            }
        }
        return options.dryRun ? try database.rollingBack(work) : try work()
    }

    /// Returns whether an invitation to `address` was queued or sent after `cutoff`, leaving
    /// out cancelled and failed ones. The outbox stores the bare address as the recipient.
    private func wasInvited(_ address: String, since cutoff: String) throws -> Bool {
        let count = try database.scalar(
            """
            SELECT count(*) FROM outbox WHERE purpose = ?1 AND recipient = ?2 COLLATE NOCASE
            AND state IN ('queued', 'sending', 'sent') AND created_at >= ?3
            """, [OutboxPurpose.parentInvitation.rawValue, address, cutoff])?.intValue ?? 0
        return count > 0
    }

    private func invitation(
        to recipient: ParentRecipients.Recipient, children: [ParentRecipients.Child], template: MessageTemplate, school: School?,
        settings: Settings, testAddress: EmailAddress?
    ) throws -> MailMessage {
        // A test send shows the letter as the parent would get it, but never a live code: the
        // admin's address is not the parent's.
        let lines = children.map { child in
            let expiry = child.parentCodeExpires.map { ", expires \(LinkMessageBuilder.longDate($0))" } ?? ""
            let code = child.parentCode ?? ""
            let shown = testAddress == nil ? code : String(code.map { $0.isLetter || $0.isNumber ? "X" : $0 }) + " (test: not a real code)"
            return "\(child.name) (\(child.registrationGroup)): \(shown)\(expiry)"
        }
        let values: [String: TemplateValue] = [
            "full_name": .text(recipient.name), "forename": .text(recipient.name), "email": .text(recipient.email),
            "school_name": .text(school?.name ?? ""), "login_url": .text(settings.loginURL), "children": .text(lines.joined(separator: "\n")),
            "child_count": .text(children.count > 1 ? String(children.count) : ""), "role": .text("parent"),
        ]
        let rendered = try template.render(values, recipient: "\(recipient.name) <\(recipient.email)>")
        let senderName = settings.mailFromName.isEmpty ? school?.name : settings.mailFromName
        let from = try Mailbox(name: senderName, address: settings.mailFromAddress)
        let to: Mailbox
        var subject = rendered.subject
        if let testAddress {
            to = Mailbox(name: nil, address: testAddress)
            subject = "[Test for \(recipient.name)] " + subject
        } else {
            to = try Mailbox(name: recipient.name, address: recipient.email)
        }
        return MailMessage(from: from, to: to, subject: subject, textBody: rendered.text, htmlBody: rendered.html)
    }
}
