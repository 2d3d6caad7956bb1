/// A password link that cannot be used, or a password that breaks the rule.
///
/// No case carries the token or the password: a user pastes both, and errors end up in logs.
/// The link's state is told only after the token matched a stored digest, so a guessed token
/// learns nothing but "not valid".
public enum LinkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The token is malformed, or matches no link.
    case invalidToken
    /// The link expired at `expiredAt` (ISO 8601 in UTC).
    case expired(expiredAt: String)
    /// The link was used at `usedAt` to set a password.
    case alreadyUsed(usedAt: String)
    /// A newer link for the same purpose replaced this one at `voidedAt`.
    case voided(voidedAt: String)
    /// The link was sent to an admin's test address, so it sets no password.
    case testLink(testAddress: String)
    /// The password misses the listed parts of ``PasswordRule``.
    case weakPassword(missing: [PasswordRule.Requirement])
    /// The link's user is gone from the directory.
    case userMissing(userId: Int)

    public var description: String {
        switch self {
        case .invalidToken:
            return "the password link is not valid; check that the whole link was copied, or ask the school for a new one"
        case .expired(let expiredAt):
            return "the password link expired on \(Timestamp.datePart(expiredAt)); ask the school for a new one"
        case .alreadyUsed(let usedAt):
            return "the password link was already used on \(Timestamp.datePart(usedAt)); sign in with that password, or ask the school for a new link"
        case .voided(let voidedAt):
            return "the password link was replaced by a newer one on \(Timestamp.datePart(voidedAt)); use the newest email from the school"
        case .testLink(let testAddress):
            return "the password link was sent in test mode to '\(testAddress)' and sets no password; send the links without --test-address"
        case .weakPassword(let missing):
            return "the password needs \(Self.list(missing.map(\.rawValue))); choose another password"
        case .userMissing(let userId):
            return "the password link's user (id \(userId)) is no longer in the directory; ask the school to check your account"
        }
    }

    /// Joins words as English does: "a, b and c".
    static func list(_ words: [String]) -> String {
        guard words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " and " + words.last!
    }
}
