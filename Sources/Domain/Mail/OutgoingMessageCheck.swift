import Foundation

/// The decision of a check run on each message before it enters the outbox: send it (perhaps
/// edited, perhaps not before a later time), or withhold it.
///
/// Plugins' `before_send` hooks are such a check. A withheld message is still written to the
/// outbox, as cancelled with the reason as its last error, so that an admin can review what was
/// held back and why, and send it with `lanyard outbox retry` if it should go.
public enum OutgoingDecision: Sendable, Equatable {
    /// Queue `message`, due at once or, when `notBefore` is later than now, not before then.
    case send(MailMessage, notBefore: Date?)
    /// Keep the message out of delivery; `by` names who decided (`plugin safe-recipients`).
    case withhold(reason: String, by: String)
}

/// A check run on each message ``Directory/queue(_:purpose:userId:)`` receives, inside the
/// caller's transaction. It may change the subject and bodies but never the sender or the
/// recipient: ``Directory/queue(_:purpose:userId:)`` refuses a decision that does.
public typealias OutgoingMessageCheck = (_ message: MailMessage, _ purpose: OutboxPurpose, _ userId: Int?) throws -> OutgoingDecision

/// A check that changed who a message comes from or goes to, which no check may do.
public struct OutgoingCheckError: Error, Equatable, CustomStringConvertible {
    public let field: String

    public var description: String {
        "a check before sending changed the message's \(field); such checks may change the subject and body only. "
            + "To stop a message, withhold it instead"
    }
}
