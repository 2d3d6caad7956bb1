/// Why a password link was made: a user's first password, or a new one after forgetting it.
public enum LinkPurpose: String, CaseIterable, Sendable, Codable {
    case firstLogin = "first-login"
    case recovery

    /// The outbox purpose of the message that carries the link.
    public var outboxPurpose: OutboxPurpose {
        switch self {
        case .firstLogin: return .firstLoginLink
        case .recovery: return .recoveryLink
        }
    }
}
