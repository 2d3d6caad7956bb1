/// The two kinds of login code a student has.
public enum CredentialKind: String, CaseIterable, Sendable, Codable {
    /// A short single-use code with which a student without email recovers their account.
    case pin
    /// A code with which up to five parents or guardians register and are linked to the student.
    case parentCode = "parent-code"

    /// The words an admin reads in reports.
    public var displayName: String {
        switch self {
        case .pin: return "PIN"
        case .parentCode: return "parent code"
        }
    }
}

/// A login code as stored, with its expiry and use count.
public struct Credential: Sendable, Equatable, Codable {
    public var id: Int
    public var studentId: Int
    public var kind: CredentialKind
    public var code: String
    public var createdAt: String
    public var expiresAt: String
    public var maxUses: Int
    public var uses: Int
    public var voidedAt: String?

    /// Live: not voided, not used up and not expired at `now` (an ISO 8601 UTC timestamp).
    public func isLive(at now: String) -> Bool {
        voidedAt == nil && uses < maxUses && expiresAt > now
    }
}
