/// The data a transport needs to deliver one outbox message.
public struct MailEnvelope: Sendable, Equatable {
    /// The outbox row, which names the message for transports that store it (``FileTransport``).
    public var outboxId: Int
    /// The SMTP `MAIL FROM` address.
    public var sender: String
    /// The SMTP `RCPT TO` addresses.
    public var recipients: [String]
    /// The rendered RFC 5322 message with CRLF line ends.
    public var message: [UInt8]

    public init(outboxId: Int, sender: String, recipients: [String], message: [UInt8]) {
        self.outboxId = outboxId
        self.sender = sender
        self.recipients = recipients
        self.message = message
    }
}

/// Hands messages to where they go next: a mail server, or files for a test or a preview.
///
/// ``OutboxDelivery`` calls ``send(_:)`` once per message, one message at a time, and commits
/// the message as sent only after `send` returns. A transport may keep a connection open
/// between calls.
public protocol MailTransport: AnyObject {
    /// The destination of messages, for logs and reports: `smtp://mail.example.org:587`, or a folder.
    var destination: String { get }

    /// Delivers one message. Returning means the destination accepted it.
    ///
    /// - Throws: ``MailTransportError``, whose ``MailTransportError/disposition`` decides
    ///   whether the delivery should to retry the message later, fail it, or stop the run.
    func send(_ envelope: MailEnvelope) throws(MailTransportError)
}
