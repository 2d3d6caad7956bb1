import Foundation
import Storage

/// Sends the outbox's due messages through a transport, one at a time, so that each message is
/// sent once.
///
/// For each due message, in order of `next_attempt_at` then id, a run:
/// 1. marks it `sending` and commits;
/// 2. hands it to the transport;
/// 3. marks it `sent` and commits once the transport returns, or records the failure.
///
/// **Duplicates.** A message is handed to the transport again only when it is still marked
/// `sending`, which happens when the process dies (crash, `kill -9`, power loss) after step 1
/// and before step 3 commits. The next run sends it again, because it cannot know whether the
/// server took it. Runs are serialised by a lock file and send one message at a time, so at
/// most one message is ever in `sending`. Hence each crash can repeat at most one message, and
/// it repeats with the same `Message-ID`, which lets mail clients recognise it. Commits during a
/// run use `PRAGMA synchronous = FULL`, so that power loss does not undo a commit either.
///
/// **Failures.** A temporary failure (SMTP 4xx, a refused or dropped connection, a time-out)
/// queues the message again after ``DeliveryPolicy/retryDelay(afterAttempts:)``, until its
/// ``DeliveryPolicy/maxAttempts``-th attempt, which marks it `failed`. A permanent failure
/// (SMTP 5xx) marks it `failed` with the server's reply. A failure of the transport itself (no
/// STARTTLS, a bad certificate, a rejected login) puts the message back untouched and stops the
/// run, because every message would fail the same way.
///
/// ```swift
/// let delivery = OutboxDelivery(directory: directory, transport: FileTransport(folder: "outbox"))
/// let summary = try delivery.run { done, total in showProgress(done, total) }
/// ```
public final class OutboxDelivery {
    public let directory: Directory
    public let transport: any MailTransport
    public let policy: DeliveryPolicy
    /// Waits the given number of seconds; tests replace it to pace without waiting.
    private let sleep: (Double) -> Void
    private let log = Log(label: "mail")

    /// - Parameter sleep: waits between messages to keep to the rate limit; the default blocks
    ///   the thread. Pass a recorder in tests, and advance the directory's clock in it.
    public init(
        directory: Directory, transport: any MailTransport, policy: DeliveryPolicy = DeliveryPolicy(),
        sleep: @escaping (Double) -> Void = { seconds in Thread.sleep(forTimeInterval: seconds) }
    ) {
        self.directory = directory
        self.transport = transport
        self.policy = policy
        self.sleep = sleep
    }

    private var database: Database { directory.database }

    // MARK: - Running

    /// Sends every message due now, and calls `progress` with (messages done, messages due)
    /// after each one. A message left in `sending` by a run that died counts as due.
    ///
    /// Call it outside any transaction, because each step must commit on its own.
    ///
    /// - Returns: the counts and one outcome per message handed to the transport; when the
    ///   transport cannot work, ``DeliverySummary/stoppedBy`` gives the reason.
    /// - Throws: ``DeliveryError`` when another run holds the directory's delivery lock, and
    ///   ``DatabaseError`` when the outbox cannot be read or updated.
    public func run(progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> DeliverySummary {
        precondition(!database.isInTransaction, "OutboxDelivery.run must not be called inside a transaction; each message's state must commit on its own")
        let lock = database.path == ":memory:" ? nil : try DeliveryLock(path: database.path + ".delivery-lock")
        try database.execute("PRAGMA synchronous = FULL")
        defer { try? database.execute("PRAGMA synchronous = NORMAL") }

        let due = try dueIds()
        var summary = DeliverySummary(due: due.count)
        log.info("delivery started", ["due": "\(due.count)", "destination": transport.destination])

        var lastStart: Date?
        for id in due {
            if let lastStart { waitForRateLimit(since: lastStart) }
            lastStart = directory.now()
            guard let outcome = try deliver(id: id) else { continue }
            summary.outcomes.append(outcome)
            progress?(summary.outcomes.count, due.count)

            if let error = outcome.stoppingError {
                summary.stoppedBy = error
                break
            }
        }

        log.info(
            "delivery finished",
            [
                "sent": "\(summary.sent)", "deferred": "\(summary.deferred)", "failed": "\(summary.failed)",
                "remaining": "\(summary.remaining)",
            ])
        if let stoppedBy = summary.stoppedBy {
            log.error("delivery stopped", ["error": stoppedBy.description])
        }
        withExtendedLifetime(lock) {}
        return summary
    }

    /// Returns the ids of messages due now: those left in `sending` by a run that died, then queued ones
    /// whose time has come, oldest first.
    private func dueIds() throws -> [Int] {
        let limit = policy.maxMessagesPerRun ?? -1  // SQLite reads a negative LIMIT as none
        return try database.query(
            """
            SELECT id FROM outbox
            WHERE state = 'sending' OR (state = 'queued' AND next_attempt_at <= ?1)
            ORDER BY state = 'sending' DESC, next_attempt_at, id
            LIMIT ?2
            """, [directory.timestamp(), limit]
        ).compactMap { $0.int("id") }
    }

    private func waitForRateLimit(since lastStart: Date) {
        let elapsed = directory.now().timeIntervalSince(lastStart)
        let wait = policy.interval - elapsed
        if wait > 0 { sleep(wait) }
    }

    // MARK: - One message

    /// Claims, sends and records one message; nil when it is no longer due (cancelled since the
    /// run started).
    private func deliver(id: Int) throws -> DeliveryOutcome? {
        // Claim the message, committed before the transport gets it
        try database.execute(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ?1 AND state IN ('queued', 'sending')", [id])
        guard database.changes == 1,
            let row = try database.queryRow("SELECT sender, recipient, message, attempts FROM outbox WHERE id = ?1", [id]),
            case .blob(let message) = row["message"]
        else { return nil }
        let recipient = row.string("recipient") ?? ""
        let attempts = row.int("attempts") ?? 1
        let envelope = MailEnvelope(outboxId: id, sender: row.string("sender") ?? "", recipients: [recipient], message: message)

        // Send, then record the result
        do {
            try transport.send(envelope)
        } catch {
            return try record(error, id: id, recipient: recipient, attempts: attempts)
        }
        // Once sent, keep only the header block: the body carries a live password link or parent
        // code, and the directory should hold no more secrets than it needs.
        try database.execute(
            """
            UPDATE outbox SET state = 'sent', sent_at = ?2, last_error = NULL,
                message = CASE WHEN instr(message, X'0D0A0D0A') > 0 THEN substr(message, 1, instr(message, X'0D0A0D0A') + 3) ELSE message END
            WHERE id = ?1
            """, [id, directory.timestamp()])
        log.debug("message sent", ["outbox_id": "\(id)"])
        return DeliveryOutcome(outboxId: id, recipient: recipient, result: .sent)
    }

    private func record(_ error: MailTransportError, id: Int, recipient: String, attempts: Int) throws -> DeliveryOutcome {
        let metadata = ["outbox_id": "\(id)", "attempt": "\(attempts)", "error": error.description]
        switch error.disposition {
        case .retryLater, .retryLaterAndStop:
            guard attempts < policy.maxAttempts else {
                try markFailed(id: id, error: error)
                log.error("message failed after its last attempt", metadata)
                return DeliveryOutcome(outboxId: id, recipient: recipient, result: .failed(error))
            }
            let next = directory.timestamp(directory.now().addingTimeInterval(policy.retryDelay(afterAttempts: attempts)))
            try database.execute(
                "UPDATE outbox SET state = 'queued', next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
                [id, next, error.description])
            log.warning("message deferred", metadata.merging(["next_attempt_at": next]) { $1 })
            return DeliveryOutcome(outboxId: id, recipient: recipient, result: .deferred(nextAttemptAt: next, error: error))

        case .fail:
            try markFailed(id: id, error: error)
            log.error("message failed", metadata)
            return DeliveryOutcome(outboxId: id, recipient: recipient, result: .failed(error))

        case .stop:
            // The attempt never reached the message, so it does not count.
            try database.execute(
                "UPDATE outbox SET state = 'queued', attempts = attempts - 1, last_error = ?2 WHERE id = ?1",
                [id, error.description])
            return DeliveryOutcome(outboxId: id, recipient: recipient, result: .notAttempted(error))
        }
    }

    private func markFailed(id: Int, error: MailTransportError) throws {
        try database.execute("UPDATE outbox SET state = 'failed', last_error = ?2 WHERE id = ?1", [id, error.description])
    }
}

extension DeliveryOutcome {
    /// The error that ends the run after this message, if any.
    fileprivate var stoppingError: MailTransportError? {
        switch result {
        case .notAttempted(let error): return error
        case .deferred(_, let error) where error.disposition == .retryLaterAndStop: return error
        default: return nil
        }
    }
}

extension Directory {
    /// Sends every message due now through `transport`; see ``OutboxDelivery`` for the
    /// guarantees.
    ///
    /// - Throws: ``DeliveryError`` and ``DatabaseError``, as ``OutboxDelivery/run(progress:)``.
    public func deliverOutbox(
        through transport: any MailTransport, policy: DeliveryPolicy = DeliveryPolicy(),
        progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> DeliverySummary {
        try OutboxDelivery(directory: self, transport: transport, policy: policy).run(progress: progress)
    }
}
