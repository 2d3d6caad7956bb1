/// A mailbox as a header shows it: an optional display name and an address, as in
/// `Zoë Ní Bhriain <zoe.nibhriain@school.org.uk>`.
public struct Mailbox: Sendable, Hashable, CustomStringConvertible {
    /// The display name, in any script; nil or empty writes the bare address.
    public var name: String?
    public var address: EmailAddress

    public init(name: String? = nil, address: EmailAddress) {
        self.name = name
        self.address = address
    }

    /// Parses the address and keeps the name.
    ///
    /// - Throws: ``EmailAddressError`` when `address` is not a valid email address.
    public init(name: String? = nil, address: String) throws(EmailAddressError) {
        self.init(name: name, address: try EmailAddress(address))
    }

    public var description: String {
        guard let name, !name.isEmpty else { return address.value }
        return "\(name) <\(address.value)>"
    }
}

/// An email message before it is rendered: who sends it, to whom, and what it says.
///
/// ``MailComposer`` renders it to RFC 5322 bytes: a `text/plain` part alone, or
/// `multipart/alternative` with a `text/html` part when ``htmlBody`` is given.
///
/// ```swift
/// let message = MailMessage(
///     from: try Mailbox(name: "Oakfield Academy", address: "office@oakfield.sch.uk"),
///     to: try Mailbox(name: "Nguyễn Văn An", address: "an.nguyen@example.org"),
///     subject: "Your first login",
///     textBody: "Open this link to set your password: ...")
/// ```
public struct MailMessage: Sendable, Equatable {
    public var from: Mailbox
    public var to: Mailbox
    /// Where replies go when that is not ``from``, such as the school office.
    public var replyTo: Mailbox?
    public var subject: String
    /// The plain-text body. Every message has one, because some clients show nothing else.
    public var textBody: String
    /// An HTML alternative to ``textBody``.
    public var htmlBody: String?

    public init(
        from: Mailbox, to: Mailbox, replyTo: Mailbox? = nil, subject: String, textBody: String, htmlBody: String? = nil
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
    }

    // MARK: - Checks

    /// Checks what the headers will carry: a line break in a subject or display name would
    /// start a new header (header injection), and other control characters show as garbage.
    ///
    /// - Throws: ``MailMessageError`` naming the field and quoting its value.
    public func validate() throws(MailMessageError) {
        guard !subject.trimmingSpaces().isEmpty else { throw .emptySubject }
        try Self.checkHeaderText(subject, field: .subject)
        try Self.checkHeaderText(from.name ?? "", field: .fromName)
        try Self.checkHeaderText(to.name ?? "", field: .toName)
        try Self.checkHeaderText(replyTo?.name ?? "", field: .replyToName)
    }

    private static func checkHeaderText(_ text: String, field: MailMessageError.Field) throws(MailMessageError) {
        let hasControlCharacter = text.unicodeScalars.contains { $0.properties.generalCategory == .control }
        if hasControlCharacter {
            throw .controlCharacter(field: field, value: text)
        }
    }
}

/// A message that cannot be rendered as given.
public enum MailMessageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A header field whose text comes from the caller.
    public enum Field: String, Sendable {
        case subject
        case fromName = "sender name"
        case toName = "recipient name"
        case replyToName = "reply-to name"
    }

    case emptySubject
    case controlCharacter(field: Field, value: String)

    public var description: String {
        switch self {
        case .emptySubject:
            return "the message has an empty subject; give it a subject, because mail clients and spam filters treat a blank one as suspect"
        case .controlCharacter(let field, let value):
            let shown = value.unicodeScalars.map { $0.properties.generalCategory == .control ? "\\u{\(String($0.value, radix: 16))}" : String($0) }
                .joined()
            return "the \(field.rawValue) '\(shown)' contains a line break or other control character; remove it, because a header must be one line of text"
        }
    }
}
