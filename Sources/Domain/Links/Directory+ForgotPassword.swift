import Foundation
import Storage

/// "Forgot password" requests, answered the same way whether or not the address is known.
extension Directory {
    /// The answer to every forgotten-password request. It is the same whether the address
    /// belongs to nobody, to an SSO user, to an unregistered parent or to someone who gets a
    /// link, so that it reveals nothing about who is in the directory.
    public struct ForgotPasswordAnswer: Sendable, Equatable, Codable {
        public var message: String

        public static let standard = ForgotPasswordAnswer(
            message: "If that address belongs to an account, we have emailed it with what to do next.")
    }

    /// Handles a "forgot password" request for `email`.
    ///
    /// Each person on roll with that address (compared without case) is handled by role:
    /// - a user of an SSO school (not a parent) is sent the `sso-notice` message, which tells
    ///   them to sign in with their school account;
    /// - a parent who has not registered is sent nothing, because they register with a parent
    ///   code first;
    /// - anyone else is sent a recovery link, which voids their previous recovery link.
    ///
    /// Messages are queued in one transaction with the links.
    ///
    /// - Returns: ``ForgotPasswordAnswer/standard``, always.
    /// - Throws: ``LinkSendError/missingSender`` before looking the address up when no sender
    ///   is configured; ``TemplateError`` and ``DatabaseError`` for a template or database fault.
    ///
    /// A person is answered at most once per ``forgotPasswordInterval``: a repeated request in
    /// that time queues nothing (recorded as `forgot-password.throttled`), so that repeated
    /// requests cannot fill a user's inbox or keep voiding their link. A web front end should still limit
    /// requests per address and per client.
    public func forgotPassword(email: String, settings: Settings, templates: TemplateLibrary) throws -> ForgotPasswordAnswer {
        guard !settings.mailFromAddress.isEmpty else { throw LinkSendError.missingSender }
        guard let address = try? EmailAddress(email) else { return .standard }
        let builder = try LinkMessageBuilder(directory: self, settings: settings, templates: templates)

        try database.transaction {
            var matches: [User] = []
            try database.forEachRow(
                "SELECT \(Self.userColumns) FROM users WHERE email = ?1 COLLATE NOCASE AND status = 'on-roll' ORDER BY id",
                [address.value]
            ) { statement in
                matches.append(User(statement: statement))
            }

            for user in matches {
                if try answeredForgottenPasswordRecently(userId: user.id) {
                    try audit(action: "forgot-password.throttled", via: "forgot password", userId: user.id, detail: nil)
                } else if user.role == .parent && !user.registered {
                    try audit(action: "forgot-password.ignored", via: "forgot password", userId: user.id, detail: "parent not registered")
                } else if builder.usesSSO(user) {
                    let values = builder.values(for: user, link: nil)
                    let message = try builder.message(
                        for: user, template: LinkMessageBuilder.ssoNoticeTemplate, values: values, testAddress: nil)
                    try queue(message, purpose: .ssoNotice, userId: user.id)
                    try audit(action: "forgot-password.sso-notice", via: "forgot password", userId: user.id, detail: nil)
                } else {
                    let token = LinkToken.generate()
                    let link = try storeLink(
                        token, userId: user.id, purpose: .recovery, lifetimeDays: settings.linkLifetimeDays, testAddress: nil)
                    let values = builder.values(for: user, link: (token.url(base: settings.passwordLinkBase), link.expiresAt))
                    let template = LinkMessageBuilder.templateName(purpose: .recovery, role: user.role)
                    let message = try builder.message(for: user, template: template, values: values, testAddress: nil)
                    let entry = try queue(message, purpose: .recoveryLink, userId: user.id)
                    try attachOutbox(linkId: link.id, outboxId: entry.id)
                    try audit(action: "forgot-password.link", via: "forgot password", userId: user.id, detail: nil)
                }
            }
        }
        return .standard
    }
}

extension Directory {
    /// The time after answering a person's forgotten-password request during which a new
    /// request from them is ignored.
    public static let forgotPasswordInterval: TimeInterval = 15 * 60

    /// Returns whether a recovery link or SSO notice was queued for the user within the interval,
    /// leaving out messages that failed or were cancelled.
    private func answeredForgottenPasswordRecently(userId: Int) throws -> Bool {
        let since = timestamp(now().addingTimeInterval(-Self.forgotPasswordInterval))
        let found = try database.scalar(
            """
            SELECT 1 FROM outbox WHERE user_id = ?1 AND purpose IN (?2, ?3) AND created_at > ?4
              AND state IN ('queued', 'sending', 'sent') LIMIT 1
            """, [userId, OutboxPurpose.recoveryLink.rawValue, OutboxPurpose.ssoNotice.rawValue, since])
        return found != nil
    }
}

extension OutboxPurpose {
    /// A notice telling an SSO user to sign in with their school account.
    public static let ssoNotice = OutboxPurpose("sso-notice")
}
