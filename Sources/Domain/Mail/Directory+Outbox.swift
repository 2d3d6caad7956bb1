import Storage

/// The outbox: messages queued in the same transaction as the change they announce, and
/// delivered later by ``OutboxDelivery``.
extension Directory {
    // MARK: - Queueing

    /// Renders `message` and adds it to the outbox, due at once.
    ///
    /// Call it inside the caller's transaction: it opens none of its own, so the message
    /// commits, or rolls back, together with the token or code it carries.
    ///
    /// ```swift
    /// try directory.database.transaction {
    ///     // ... store the digest of the link's token ...
    ///     try directory.queue(message, purpose: .firstLoginLink, userId: user.id)
    /// }
    /// ```
    ///
    /// When ``outgoingCheck`` is set, it receives the message first: it may edit the subject and
    /// bodies, delay it, or withhold it. A withheld message is stored as cancelled, with the
    /// reason as its last error and a `mail.withheld` audit entry.
    ///
    /// - Returns: the new entry, in state ``OutboxState/queued`` (``OutboxState/cancelled``
    ///   when withheld).
    /// - Throws: ``MailMessageError`` when the message cannot be rendered, ``OutgoingCheckError``
    ///   when the check changed the sender or recipient, whatever the check throws, and
    ///   ``DatabaseError`` when the row cannot be written (for example an unknown `userId`).
    @discardableResult
    public func queue(_ message: MailMessage, purpose: OutboxPurpose, userId: Int?) throws -> OutboxEntry {
        precondition(
            database.isInTransaction,
            "Directory.queue(_:purpose:userId:) must run inside the caller's transaction, so the message commits with what it carries; wrap the call in database.transaction { }"
        )
        let date = now()
        var message = message
        var due = date
        var withheld: String?
        if let outgoingCheck {
            switch try outgoingCheck(message, purpose, userId) {
            case .send(let checked, let notBefore):
                if checked.to != message.to { throw OutgoingCheckError(field: "recipient") }
                if checked.from != message.from || checked.replyTo != message.replyTo { throw OutgoingCheckError(field: "sender") }
                message = checked
                if let notBefore, notBefore > date { due = notBefore }
            case .withhold(let reason, let by):
                withheld = "withheld by \(by): \(reason)"
                try audit(action: "mail.withheld", via: by, userId: userId, detail: "to \(message.to.address.value): \(reason)")
            }
        }
        let rendered = try MailComposer().render(message, date: date)
        let createdAt = timestamp(date)
        let state: OutboxState = withheld == nil ? .queued : .cancelled

        try database.execute(
            """
            INSERT INTO outbox (created_at, purpose, user_id, sender, recipient, subject, message, message_id, next_attempt_at, state, last_error)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
            """,
            [
                createdAt, purpose.rawValue, userId, message.from.address.value, message.to.address.value, message.subject,
                SQLValue.blob(rendered.bytes), rendered.messageId, timestamp(due), state.rawValue, withheld,
            ])
        return OutboxEntry(
            id: database.lastInsertRowID, createdAt: createdAt, purpose: purpose, userId: userId,
            sender: message.from.address.value, recipient: message.to.address.value, subject: message.subject,
            messageId: rendered.messageId, state: state, attempts: 0, nextAttemptAt: timestamp(due), lastError: withheld, sentAt: nil)
    }

    // MARK: - Reading

    /// Returns the outbox entries in `state` (all of them when nil), oldest first.
    public func outboxEntries(state: OutboxState? = nil) throws -> [OutboxEntry] {
        var entries: [OutboxEntry] = []
        try database.forEachRow(
            "SELECT \(OutboxEntry.columns) FROM outbox WHERE ?1 IS NULL OR state = ?1 ORDER BY id", [state?.rawValue]
        ) { statement in
            entries.append(OutboxEntry(statement: statement))
        }
        return entries
    }

    /// Returns the outbox entry with `id`, or nil.
    public func outboxEntry(id: Int) throws -> OutboxEntry? {
        var found: OutboxEntry?
        try database.forEachRow("SELECT \(OutboxEntry.columns) FROM outbox WHERE id = ?1", [id]) { statement in
            found = OutboxEntry(statement: statement)
        }
        return found
    }

    /// Returns the rendered RFC 5322 bytes of an outbox message. They contain whatever link or code the
    /// message carries, so never log them.
    ///
    /// - Throws: ``OutboxError/notFound(id:)`` when there is no such entry.
    public func outboxMessage(id: Int) throws -> [UInt8] {
        guard case .blob(let bytes) = try database.scalar("SELECT message FROM outbox WHERE id = ?1", [id]) else {
            throw OutboxError.notFound(id: id)
        }
        return bytes
    }

    /// Counts the entries in each state, leaving out states with none.
    public func outboxCounts() throws -> [OutboxState: Int] {
        var counts: [OutboxState: Int] = [:]
        for row in try database.query("SELECT state, count(*) AS count FROM outbox GROUP BY state") {
            if let state = row.string("state").flatMap(OutboxState.init(rawValue:)) {
                counts[state] = row.int("count") ?? 0
            }
        }
        return counts
    }

    // MARK: - Admin actions

    /// Queues a failed or cancelled message again, due at once and with its attempts reset,
    /// so that it gets the whole retry schedule again. A queued message becomes due at once.
    ///
    /// - Throws: ``OutboxError/notFound(id:)``, or ``OutboxError/cannotRetry(id:state:)`` when
    ///   the message is sending or already sent.
    public func retry(id: Int) throws {
        guard let entry = try outboxEntry(id: id) else { throw OutboxError.notFound(id: id) }
        guard [.failed, .cancelled, .queued].contains(entry.state) else {
            throw OutboxError.cannotRetry(id: id, state: entry.state)
        }
        try database.execute(
            """
            UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ?2
            WHERE id = ?1 AND state IN ('failed', 'cancelled', 'queued')
            """, [id, timestamp()])
    }

    /// Withdraws a message that has not been sent. Cancelling a cancelled message does nothing.
    ///
    /// - Throws: ``OutboxError/notFound(id:)``, or ``OutboxError/cannotCancel(id:state:)`` when
    ///   the message is sending or already sent.
    public func cancel(id: Int) throws {
        guard let entry = try outboxEntry(id: id) else { throw OutboxError.notFound(id: id) }
        guard [.queued, .failed, .cancelled].contains(entry.state) else {
            throw OutboxError.cannotCancel(id: id, state: entry.state)
        }
        try database.execute("UPDATE outbox SET state = 'cancelled' WHERE id = ?1 AND state IN ('queued', 'failed')", [id])
    }
}

/// An outbox action that cannot be done.
public enum OutboxError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(id: Int)
    case cannotRetry(id: Int, state: OutboxState)
    case cannotCancel(id: Int, state: OutboxState)

    public var description: String {
        switch self {
        case .notFound(let id):
            return "no outbox message with id \(id); check the id against the outbox list"
        case .cannotRetry(let id, let state):
            return "cannot retry outbox message \(id), because it is \(state.rawValue); only failed, cancelled or queued messages can be retried"
        case .cannotCancel(let id, let state):
            return "cannot cancel outbox message \(id), because it is \(state.rawValue); only messages not yet handed to the mail server can be cancelled"
        }
    }
}
