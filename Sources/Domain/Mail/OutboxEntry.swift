import Storage

/// The stage of an outbox message's life.
///
/// ```
/// queued -> sending -> sent
///   ^          |
///   +----------+  temporary failure, until the last attempt (then failed)
/// queued -> cancelled      failed -> queued (retry)      sending -> failed (permanent failure)
/// ```
public enum OutboxState: String, CaseIterable, Sendable, Codable {
    /// Waiting for its `next_attempt_at`.
    case queued
    /// Handed to the transport. A message left here by a crash is sent again on the next run.
    case sending
    case sent
    /// Rejected by the server, or out of attempts. ``Directory/retry(id:)`` queues it again.
    case failed
    /// Withdrawn by an admin before it was sent.
    case cancelled
}

/// The reason a message was queued, for reports and for finding the messages of one kind.
///
/// Open to new purposes: `OutboxPurpose("term-start-letter")`.
public struct OutboxPurpose: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// A link with which a new user sets their first password.
    public static let firstLoginLink = OutboxPurpose("first-login-link")
    /// A link with which a user who forgot their password sets a new one.
    public static let recoveryLink = OutboxPurpose("recovery-link")
    /// A parent code sent to a parent or guardian so that they can register.
    public static let parentInvitation = OutboxPurpose("parent-invitation")
    /// Any other message from the school.
    public static let notice = OutboxPurpose("notice")

    public var description: String { rawValue }
}

/// One outbox row, without its message bytes (read those with
/// ``Directory/outboxMessage(id:)``).
public struct OutboxEntry: Sendable, Equatable, Identifiable {
    public var id: Int
    /// When it was queued, as ISO 8601 in UTC.
    public var createdAt: String
    public var purpose: OutboxPurpose
    /// The directory user the message is about, when there is one.
    public var userId: Int?
    /// The envelope sender (SMTP `MAIL FROM`).
    public var sender: String
    /// The envelope recipient (SMTP `RCPT TO`).
    public var recipient: String
    public var subject: String
    /// The `Message-ID` header's value, without angle brackets.
    public var messageId: String
    public var state: OutboxState
    /// How many times delivery was tried.
    public var attempts: Int
    /// The earliest time the next attempt may run, as ISO 8601 in UTC.
    public var nextAttemptAt: String
    /// The reason the last attempt failed, in words an admin can act on.
    public var lastError: String?
    public var sentAt: String?

    /// The columns read into an entry, in the order ``init(statement:)`` expects.
    static let columns = """
        id, created_at, purpose, user_id, sender, recipient, subject, message_id, state, attempts,
        next_attempt_at, last_error, sent_at
        """

    init(statement: Statement) {
        self.init(
            id: statement.int(0),
            createdAt: statement.string(1),
            purpose: OutboxPurpose(statement.string(2)),
            userId: statement.optionalInt(3),
            sender: statement.string(4),
            recipient: statement.string(5),
            subject: statement.string(6),
            messageId: statement.string(7),
            state: OutboxState(rawValue: statement.string(8)) ?? .failed,
            attempts: statement.int(9),
            nextAttemptAt: statement.string(10),
            lastError: statement.optionalString(11),
            sentAt: statement.optionalString(12))
    }

    public init(
        id: Int, createdAt: String, purpose: OutboxPurpose, userId: Int?, sender: String, recipient: String, subject: String,
        messageId: String, state: OutboxState, attempts: Int, nextAttemptAt: String, lastError: String?, sentAt: String?
    ) {
        self.id = id
        self.createdAt = createdAt
        self.purpose = purpose
        self.userId = userId
        self.sender = sender
        self.recipient = recipient
        self.subject = subject
        self.messageId = messageId
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.sentAt = sentAt
    }
}
