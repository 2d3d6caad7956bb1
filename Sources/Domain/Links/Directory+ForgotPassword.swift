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
    /// NOTE: requests are not rate limited here, so each one voids the previous recovery link
    /// and queues a new message; a web front end should limit requests per address.
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
                if user.role == .parent && !user.registered {
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

extension OutboxPurpose {
    /// A notice telling an SSO user to sign in with their school account.
    public static let ssoNotice = OutboxPurpose("sso-notice")
}
