import Foundation
import Storage

/// Password links: storing a new link's digest, redeeming a token to set a password, and the
/// stored passwords.
extension Directory {
    private static let log = Log(label: "links")

    // MARK: - Issuing

    /// Stores the digest of a new link for `userId`, and voids their live link for `purpose`
    /// unless this one is for a test address. Call it inside the transaction that queues the
    /// message carrying the token.
    ///
    /// - Returns: the new link's id and expiry.
    func storeLink(
        _ token: LinkToken, userId: Int, purpose: LinkPurpose, lifetimeDays: Int, testAddress: String?
    ) throws -> (id: Int, expiresAt: String) {
        precondition(database.isInTransaction, "Directory.storeLink must run inside the transaction that queues its message")
        let createdAt = timestamp()
        let expiresAt = timestamp(now().addingTimeInterval(Double(lifetimeDays) * 86_400))
        if testAddress == nil {
            try database.execute(
                """
                UPDATE password_links SET voided_at = ?1
                WHERE user_id = ?2 AND purpose = ?3 AND used_at IS NULL AND voided_at IS NULL AND test_address IS NULL
                """, [createdAt, userId, purpose.rawValue])
        }
        try database.execute(
            """
            INSERT INTO password_links (user_id, purpose, digest, created_at, expires_at, test_address)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """, [userId, purpose.rawValue, SQLValue.blob(token.digest.bytes), createdAt, expiresAt, testAddress])
        return (database.lastInsertRowID, expiresAt)
    }

    /// Records which outbox message carries a link.
    func attachOutbox(linkId: Int, outboxId: Int) throws {
        try database.execute("UPDATE password_links SET outbox_id = ?2 WHERE id = ?1", [linkId, outboxId])
    }

    // MARK: - Redeeming

    /// Checks a link's token, sets the user's password to `password` as an Argon2id hash, and
    /// marks the link used, so that it works once.
    ///
    /// The token is looked up by its BLAKE2b-256 digest, and the stored digest is compared in
    /// constant time. A link whose token is unknown, malformed, expired, used, voided by a newer
    /// link or sent in test mode sets nothing. A password that breaks ``PasswordRule`` sets
    /// nothing either, and the link stays usable for a better one.
    ///
    /// ```swift
    /// let redeemed = try directory.redeemLink(token: tokenFromURL, password: "Correct-h0rse")
    /// ```
    ///
    /// - Throws: ``LinkError``, which never contains the token or the password;
    ///   ``PasswordHashError`` when Argon2id cannot get its memory; ``DatabaseError``.
    @discardableResult
    public func redeemLink(token text: String, password: String) throws -> RedeemedLink {
        // Check the link, then the password, before the slow hash and outside the write lock
        let link = try liveLink(token: text)
        try PasswordRule.check(password)
        let hash = try Sodium.hashPassword(password)

        return try database.transaction {
            let usedAt = timestamp()
            try database.execute(
                "UPDATE password_links SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL AND voided_at IS NULL", [link.id, usedAt])
            guard database.changes == 1 else {
                // Another redemption or a newer link got there between the check and now.
                _ = try liveLink(token: text)
                throw LinkError.invalidToken
            }
            guard let user = try user(id: link.userId) else { throw LinkError.userMissing(userId: link.userId) }
            try database.execute(
                """
                INSERT INTO passwords (user_id, hash, set_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at
                """, [link.userId, hash, usedAt])
            try audit(action: "link.redeem", via: "password link", userId: link.userId, detail: link.purpose.rawValue)
            Self.log.info("password set with a link", ["user_id": "\(link.userId)", "purpose": link.purpose.rawValue])
            return RedeemedLink(userId: link.userId, userKey: user.key, purpose: link.purpose)
        }
    }

    /// Returns the link whose token is `text` when it can still set a password.
    ///
    /// - Throws: ``LinkError`` saying why it cannot.
    private func liveLink(token text: String) throws -> PasswordLink {
        guard let token = LinkToken(parsing: text) else { throw LinkError.invalidToken }
        let digest = token.digest
        guard
            let row = try database.queryRow(
                "SELECT \(PasswordLink.columns), digest FROM password_links WHERE digest = ?1", [SQLValue.blob(digest.bytes)]),
            case .blob(let stored) = row["digest"],
            LinkDigest(bytes: stored) == digest
        else { throw LinkError.invalidToken }

        let link = PasswordLink(row: row)
        if let testAddress = link.testAddress { throw LinkError.testLink(testAddress: testAddress) }
        if let usedAt = link.usedAt { throw LinkError.alreadyUsed(usedAt: usedAt) }
        if let voidedAt = link.voidedAt { throw LinkError.voided(voidedAt: voidedAt) }
        guard link.expiresAt > timestamp() else { throw LinkError.expired(expiredAt: link.expiresAt) }
        return link
    }

    // MARK: - Reading

    /// Returns a user's password links, oldest first, without their tokens.
    public func passwordLinks(userId: Int) throws -> [PasswordLink] {
        try database.query("SELECT \(PasswordLink.columns) FROM password_links WHERE user_id = ?1 ORDER BY id", [userId])
            .map(PasswordLink.init(row:))
    }

    /// Checks `password` against the user's stored Argon2id hash; false when they have none.
    public func verifyPassword(userId: Int, password: String) throws -> Bool {
        guard let hash = try database.scalar("SELECT hash FROM passwords WHERE user_id = ?1", [userId])?.stringValue else {
            return false
        }
        return Sodium.verifyPassword(password, hash: hash)
    }
}
