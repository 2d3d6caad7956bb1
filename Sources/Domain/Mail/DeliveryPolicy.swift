/// How delivery paces and retries messages.
///
/// The defaults retry a temporary failure after 1, 2, 4, 8, 16 and 32 minutes and then hourly,
/// and fail the message after its 8th attempt, about two hours after the first. They send at
/// most 30 messages a minute, because that is the rate at which Exchange Online (Microsoft 365)
/// accepts SMTP client submissions from one mailbox. Exchange Online also caps a mailbox at
/// 10,000 recipients a day.
///
/// ```swift
/// var policy = DeliveryPolicy()
/// policy.messagesPerMinute = 20
/// ```
public struct DeliveryPolicy: Sendable, Equatable {
    /// Attempts after which a message that still fails temporarily is marked failed.
    public var maxAttempts: Int
    /// The wait after the first failed attempt, in seconds. Each later failure doubles it.
    public var firstRetryDelay: Double
    /// The maximum wait between attempts, in seconds.
    public var maxRetryDelay: Double
    /// The maximum number of messages handed to the transport per minute; nil sends without pause.
    public var messagesPerMinute: Int?
    /// The maximum number of messages one run sends; nil sends every due message.
    public var maxMessagesPerRun: Int?

    public init(
        maxAttempts: Int = 8, firstRetryDelay: Double = 60, maxRetryDelay: Double = 3_600, messagesPerMinute: Int? = 30,
        maxMessagesPerRun: Int? = nil
    ) {
        precondition(maxAttempts >= 1, "DeliveryPolicy.maxAttempts must be at least 1")
        precondition(firstRetryDelay >= 0 && maxRetryDelay >= firstRetryDelay, "DeliveryPolicy retry delays must satisfy 0 <= first <= max")
        precondition(messagesPerMinute.map { $0 > 0 } ?? true, "DeliveryPolicy.messagesPerMinute must be positive or nil")
        self.maxAttempts = maxAttempts
        self.firstRetryDelay = firstRetryDelay
        self.maxRetryDelay = maxRetryDelay
        self.messagesPerMinute = messagesPerMinute
        self.maxMessagesPerRun = maxMessagesPerRun
    }

    /// Returns the wait in seconds before the next attempt, after `attempts` attempts have failed:
    /// `firstRetryDelay * 2^(attempts - 1)`, at most `maxRetryDelay`.
    public func retryDelay(afterAttempts attempts: Int) -> Double {
        let doublings = max(0, attempts - 1)
        // 2^62 overflows nothing and is far past any cap, so larger counts stop doubling there.
        let factor = Double(sign: .plus, exponent: min(doublings, 62), significand: 1)
        return min(firstRetryDelay * factor, maxRetryDelay)
    }

    /// The minimum time between two messages, in seconds.
    public var interval: Double {
        messagesPerMinute.map { 60 / Double($0) } ?? 0
    }
}
