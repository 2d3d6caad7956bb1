/// The result of a delivery run for one message.
public struct DeliveryOutcome: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        case sent
        /// Queued again, due at `nextAttemptAt` (ISO 8601 in UTC).
        case deferred(nextAttemptAt: String, error: MailTransportError)
        case failed(MailTransportError)
        /// Put back untouched because the transport cannot work; the run stopped here.
        case notAttempted(MailTransportError)
    }

    public var outboxId: Int
    public var recipient: String
    public var result: Result
}

/// The outcome of a delivery run: counts and one outcome per message handed to the transport.
public struct DeliverySummary: Sendable, Equatable {
    public var outcomes: [DeliveryOutcome] = []
    /// Messages that were due when the run started.
    public var due = 0
    /// Set when the run stopped before the end: the transport's error, which applies to every
    /// message still due.
    public var stoppedBy: MailTransportError?

    public var sent: Int { count { $0 == .sent } }
    public var deferred: Int { count { if case .deferred = $0 { return true } else { return false } } }
    public var failed: Int { count { if case .failed = $0 { return true } else { return false } } }
    /// Due messages left for a later run because this one stopped or hit its limit.
    public var remaining: Int { due - sent - deferred - failed }

    private func count(_ matches: (DeliveryOutcome.Result) -> Bool) -> Int {
        outcomes.filter { matches($0.result) }.count
    }
}
