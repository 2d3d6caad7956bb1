import Storage

/// A password link as stored: its state, never its token.
public struct PasswordLink: Sendable, Equatable, Codable {
    public var id: Int
    public var userId: Int
    public var purpose: LinkPurpose
    /// ISO 8601 in UTC, as every stored time.
    public var createdAt: String
    public var expiresAt: String
    public var usedAt: String?
    public var voidedAt: String?
    /// The admin address a test-mode link went to; such a link can never be redeemed.
    public var testAddress: String?
    /// The outbox message that carries the link.
    public var outboxId: Int?

    /// Not used, voided, sent in test mode or expired at `now` (an ISO 8601 UTC timestamp).
    public func isLive(at now: String) -> Bool {
        usedAt == nil && voidedAt == nil && testAddress == nil && expiresAt > now
    }

    static let columns = "id, user_id, purpose, created_at, expires_at, used_at, voided_at, test_address, outbox_id"
}

/// The result of redeeming a link: whose password it set, and for which purpose.
public struct RedeemedLink: Sendable, Equatable, Codable {
    public var userId: Int
    /// The user's UPN, staff code or source id.
    public var userKey: String
    public var purpose: LinkPurpose
}

extension PasswordLink {
    init(row: Storage.Row) {
        self.init(
            id: row.int("id") ?? 0, userId: row.int("user_id") ?? 0,
            purpose: LinkPurpose(rawValue: row.string("purpose") ?? "") ?? .firstLogin, createdAt: row.string("created_at") ?? "",
            expiresAt: row.string("expires_at") ?? "", usedAt: row.string("used_at"), voidedAt: row.string("voided_at"),
            testAddress: row.string("test_address"), outboxId: row.int("outbox_id"))
    }
}
