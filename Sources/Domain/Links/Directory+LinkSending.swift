import Foundation
import Storage

/// Sending password links en masse, and previewing the messages first.
extension Directory {
    // MARK: - Sending

    /// Makes a password link for each eligible user in `selection` and queues the email that
    /// carries it, all in one transaction: either every link and message is stored, or none is.
    ///
    /// Users are skipped with a reason when they have left, are parents who have not registered,
    /// sign in with the school's SSO, have no (valid) email, or were sent a link for the same
    /// purpose within `settings.linkResendWindowHours` (unless `options.resend`). Messages that
    /// were cancelled or failed do not count as sent. Past `options.limit`, eligible users are
    /// skipped as `over-limit`.
    ///
    /// With `options.testAddress`, every message goes to that address and its link is stored
    /// marked as a test: it can never be redeemed, voids no live link, and does not count as
    /// sent for the resend window. With `options.dryRun`, everything is worked out and then
    /// rolled back.
    ///
    /// ```swift
    /// let report = try directory.sendLinks(
    ///     to: Selection(parsing: "year:7"), options: LinkSendOptions(limit: 50),
    ///     settings: settings, templates: TemplateLibrary(settings: settings, workingFolder: "."))
    /// print(report.queued, report.skipped)
    /// ```
    ///
    /// - Throws: ``TemplateError`` when a template is missing, invalid or lacks a value for a
    ///   user (nothing is queued then), ``LinkSendError`` for a missing sender or invalid test
    ///   address, and ``DatabaseError``.
    public func sendLinks(
        to selection: Selection, options: LinkSendOptions, settings: Settings, templates: TemplateLibrary
    ) throws -> LinkSendReport {
        guard !settings.mailFromAddress.isEmpty else { throw LinkSendError.missingSender }
        let testAddress = try Self.checkTestAddress(options.testAddress)
        let builder = try LinkMessageBuilder(directory: self, settings: settings, templates: templates)

        func work() throws -> LinkSendReport {
            try database.transaction {
                let outcomes = try queueLinks(to: selection, options: options, testAddress: testAddress, builder: builder)
                let report = LinkSendReport(
                    purpose: options.purpose, selection: selection.description, dryRun: options.dryRun, testAddress: testAddress?.value,
                    outcomes: outcomes)
                try audit(
                    action: testAddress == nil ? "links.send" : "links.send-test", via: options.origin, userId: nil,
                    detail: "\(report.queued) queued, \(outcomes.count - report.queued) skipped, selection: \(selection)")
                return report
            }
        }
        return options.dryRun ? try database.rollingBack(work) : try work()
    }

    private static func checkTestAddress(_ text: String?) throws(LinkSendError) -> EmailAddress? {
        guard let text else { return nil }
        do {
            return try EmailAddress(text)
        } catch {
            throw .invalidTestAddress(text, reason: error.description)
        }
    }

    private func queueLinks(
        to selection: Selection, options: LinkSendOptions, testAddress: EmailAddress?, builder: LinkMessageBuilder
    ) throws -> [LinkOutcome] {
        var outcomes: [LinkOutcome] = []
        var queued = 0
        for user in try users(matching: selection) {
            var outcome = LinkOutcome(
                userId: user.id, userKey: user.key, name: user.displayName, role: user.role, email: user.email, status: .skipped)
            if let reason = try skipReason(for: user, purpose: options.purpose, resend: options.resend, builder: builder) {
                outcome.reason = reason
                outcomes.append(outcome)
                continue
            }
            if let limit = options.limit, queued >= limit {
                outcome.reason = .overLimit
                outcomes.append(outcome)
                continue
            }

            // Store the digest, then queue the message with the token, in this transaction
            let token = LinkToken.generate()
            let link = try storeLink(
                token, userId: user.id, purpose: options.purpose, lifetimeDays: builder.settings.linkLifetimeDays,
                testAddress: testAddress?.value)
            let template = options.templateName ?? LinkMessageBuilder.templateName(purpose: options.purpose, role: user.role)
            let values = builder.values(for: user, link: (token.url(base: builder.settings.passwordLinkBase), link.expiresAt))
            let message = try builder.message(for: user, template: template, values: values, testAddress: testAddress)
            let entry = try queue(message, purpose: options.purpose.outboxPurpose, userId: user.id)
            try attachOutbox(linkId: link.id, outboxId: entry.id)
            outcome.outboxId = options.dryRun ? nil : entry.id
            // A withheld message counts towards the limit, so that a rule withholding every
            // message of a test send does not let it run through the whole selection.
            queued += 1
            if entry.state == .cancelled {
                outcome.reason = .withheld
                outcome.template = template
                outcomes.append(outcome)
                continue
            }
            outcome.status = .queued
            outcome.testAddress = testAddress?.value
            outcome.template = template
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// Returns why `user` gets no link of `purpose`, or nil when they are eligible.
    func skipReason(for user: User, purpose: LinkPurpose, resend: Bool, builder: LinkMessageBuilder) throws -> LinkSkipReason? {
        if user.status == .left { return .left }
        if user.role == .parent && !user.registered { return .notRegistered }
        if builder.usesSSO(user) { return .sso }
        guard let email = user.email, !email.isEmpty else { return .missingEmail }
        guard (try? EmailAddress(email)) != nil else { return .invalidEmail }
        if !resend, try wasRecentlySent(userId: user.id, purpose: purpose, windowHours: builder.settings.linkResendWindowHours) {
            return .recentlySent
        }
        return nil
    }

    /// Whether a link of `purpose` was queued or sent to the user within the last `windowHours`,
    /// leaving out test links and messages that were cancelled or failed.
    private func wasRecentlySent(userId: Int, purpose: LinkPurpose, windowHours: Int) throws -> Bool {
        let since = timestamp(now().addingTimeInterval(-Double(windowHours) * 3_600))
        let found = try database.scalar(
            """
            SELECT 1 FROM password_links LEFT JOIN outbox ON outbox.id = password_links.outbox_id
            WHERE password_links.user_id = ?1 AND password_links.purpose = ?2 AND password_links.test_address IS NULL
              AND password_links.created_at > ?3 AND (outbox.state IS NULL OR outbox.state NOT IN ('cancelled', 'failed'))
            LIMIT 1
            """, [userId, purpose.rawValue, since])
        return found != nil
    }

    // MARK: - Previewing

    /// A message as ``previewLinks(to:options:count:settings:templates:)`` renders it.
    public struct LinkPreview: Sendable, Equatable, Codable {
        public var userKey: String
        public var template: String
        public var to: String
        public var subject: String
        public var text: String
        public var html: String?
    }

    /// Renders the messages that a send would queue for the first `count` eligible users, with
    /// the fake token `PREVIEW-TOKEN` in place of a real one. Nothing is stored.
    ///
    /// - Throws: ``TemplateError`` naming the template, line and placeholder when a placeholder
    ///   has no value for one of those users, and ``LinkSendError``.
    public func previewLinks(
        to selection: Selection, options: LinkSendOptions, count: Int, settings: Settings, templates: TemplateLibrary
    ) throws -> [LinkPreview] {
        let testAddress = try Self.checkTestAddress(options.testAddress)
        let builder = try LinkMessageBuilder(directory: self, settings: settings, templates: templates)
        let expiresAt = timestamp(now().addingTimeInterval(Double(settings.linkLifetimeDays) * 86_400))
        var previews: [LinkPreview] = []
        for user in try users(matching: selection) {
            guard previews.count < count else { break }
            guard try skipReason(for: user, purpose: options.purpose, resend: options.resend, builder: builder) == nil else { continue }
            let template = options.templateName ?? LinkMessageBuilder.templateName(purpose: options.purpose, role: user.role)
            let values = builder.values(for: user, link: (LinkToken.preview.url(base: settings.passwordLinkBase), expiresAt))
            let message = try builder.message(for: user, template: template, values: values, testAddress: testAddress)
            previews.append(
                LinkPreview(
                    userKey: user.key, template: template, to: message.to.description, subject: message.subject, text: message.textBody,
                    html: message.htmlBody))
        }
        return previews
    }
}
