import Foundation
import Storage
import Testing

@testable import Domain

@Suite("Outbox delivery")
struct MailDeliveryTests {
    static let deferral = MailTransportError.temporaryRejection(server: "smtp://test", code: 451, reply: "451 4.3.0 Try again later")

    func delivery(_ test: ClockedDirectory, _ transport: ScriptedTransport, policy: DeliveryPolicy = DeliveryPolicy(messagesPerMinute: nil))
        -> OutboxDelivery
    {
        OutboxDelivery(directory: test.directory, transport: transport, policy: policy, sleep: { _ in })
    }

    // MARK: - Sending

    @Test func dueMessagesAreSentInOrder() throws {
        let test = try ClockedDirectory()
        let ids = try test.queue(["a@example.org", "b@example.org", "c@example.org"])
        let transport = ScriptedTransport()
        var progress: [[Int]] = []
        let queuedBytes = try test.directory.outboxMessage(id: ids[0])

        let summary = try delivery(test, transport).run { done, total in progress.append([done, total]) }

        #expect(transport.sent.map(\.outboxId) == ids)
        #expect(transport.sent.map(\.recipients) == [["a@example.org"], ["b@example.org"], ["c@example.org"]])
        #expect(transport.sent.map(\.sender) == Array(repeating: "office@oakfield.sch.uk", count: 3))
        #expect(transport.sent[0].message == queuedBytes)
        // After sending, only the header block is kept: the body may carry a live link or code.
        let kept = try test.directory.outboxMessage(id: ids[0])
        #expect(kept == Array(queuedBytes.prefix(kept.count)))
        #expect(String(decoding: kept, as: UTF8.self).hasSuffix("\r\n\r\n"))
        #expect(kept.count < queuedBytes.count)
        #expect(progress == [[1, 3], [2, 3], [3, 3]])
        #expect(summary.sent == 3)
        #expect(summary.remaining == 0)
        for id in ids {
            let entry = try test.entry(id)
            #expect(entry.state == .sent)
            #expect(entry.attempts == 1)
            #expect(entry.sentAt == "2026-09-01T08:00:00Z")
        }
    }

    @Test func secondRunSendsNothing() throws {
        let test = try ClockedDirectory()
        try test.queue(["a@example.org", "b@example.org"])
        let transport = ScriptedTransport()
        _ = try delivery(test, transport).run()

        let summary = try delivery(test, transport).run()

        #expect(summary.due == 0)
        #expect(transport.sent.count == 2)
    }

    @Test func runSendsAtMostItsLimit() throws {
        let test = try ClockedDirectory()
        let ids = try test.queue(["a@example.org", "b@example.org", "c@example.org"])
        let transport = ScriptedTransport()

        let summary = try delivery(test, transport, policy: DeliveryPolicy(messagesPerMinute: nil, maxMessagesPerRun: 2)).run()

        #expect(transport.sent.map(\.outboxId) == Array(ids.prefix(2)))
        #expect(try test.entry(ids[2]).state == .queued)
        #expect(summary.due == 2)
    }

    // MARK: - Crash recovery

    /// A run killed between marking a message `sending` and marking it `sent` leaves the row as
    /// this test sets it. Then a new process opens the directory and runs again.
    @Test func messageLeftSendingIsSentOnceOnNextRun() throws {
        let test = try ClockedDirectory()
        let ids = try test.queue(["a@example.org", "b@example.org", "c@example.org"])
        try test.directory.database.execute("UPDATE outbox SET state = 'sending', attempts = 1 WHERE id = ?1", [ids[1]])

        let clock = test.clock
        let reopened = try Directory(path: test.directory.database.path, actor: "tester", now: { clock.now })
        let transport = ScriptedTransport()
        let summary = try OutboxDelivery(directory: reopened, transport: transport, policy: DeliveryPolicy(messagesPerMinute: nil), sleep: { _ in })
            .run()

        // The interrupted message goes first, then the others, each once.
        #expect(transport.sent.map(\.outboxId) == [ids[1], ids[0], ids[2]])
        #expect(summary.sent == 3)
        #expect(try test.entry(ids[1]).state == .sent)
        #expect(try test.entry(ids[1]).attempts == 2)

        let again = try OutboxDelivery(directory: reopened, transport: transport, sleep: { _ in }).run()
        #expect(again.due == 0)
        #expect(transport.sent.count == 3)
    }

    @Test func secondDeliveryOnSameDirectoryIsRejected() throws {
        let test = try ClockedDirectory()
        try test.queue(["a@example.org"])
        let lockFile = test.directory.database.path + ".delivery-lock"
        let heldLock = try DeliveryLock(path: lockFile)

        #expect(throws: DeliveryError.alreadyRunning(lockFile: lockFile)) {
            try delivery(test, ScriptedTransport()).run()
        }
        #expect(
            DeliveryError.alreadyRunning(lockFile: lockFile).description
                == "another delivery is running on this directory (it holds '\(lockFile)'); wait for it to finish")
        withExtendedLifetime(heldLock) {}
    }

    // MARK: - Temporary failures

    /// After each failed attempt: the minutes until the next one, or nil once the message failed.
    @Test func temporaryFailuresBackOffThenFail() throws {
        let test = try ClockedDirectory()
        let id = try test.queue(["busy@example.org"])[0]
        let transport = ScriptedTransport()
        transport.answer = { _ in Self.deferral }
        let policy = DeliveryPolicy(maxAttempts: 5, firstRetryDelay: 60, maxRetryDelay: 300, messagesPerMinute: nil)

        var waits: [Int?] = []
        for _ in 1...5 {
            let summary = try delivery(test, transport, policy: policy).run()
            let entry = try test.entry(id)
            guard entry.state == .queued, let next = Timestamp.parse(entry.nextAttemptAt) else {
                waits.append(nil)
                #expect(summary.failed == 1)
                break
            }
            #expect(summary.deferred == 1)
            let minutes = Int(next.timeIntervalSince(test.clock.now) / 60)
            waits.append(minutes)

            // Not due a second before its time
            test.clock.advance(by: Double(minutes * 60 - 1))
            #expect(try delivery(test, transport, policy: policy).run().due == 0)
            test.clock.advance(by: 1)
        }

        #expect(waits == [1, 2, 4, 5, nil])
        let entry = try test.entry(id)
        #expect(entry.state == .failed)
        #expect(entry.attempts == 5)
        #expect(entry.lastError == Self.deferral.description)
        #expect(transport.sent.count == 5)
    }

    @Test("retry delays double up to the cap", arguments: [(1, 60.0), (2, 120), (3, 240), (6, 1_920), (7, 3_600), (100, 3_600)])
    func retryDelayDoubles(attempts: Int, seconds: Double) {
        #expect(DeliveryPolicy().retryDelay(afterAttempts: attempts) == seconds)
    }

    @Test func unreachableServerDefersMessageAndStopsRun() throws {
        let test = try ClockedDirectory()
        let ids = try test.queue(["a@example.org", "b@example.org"])
        let refusal = MailTransportError.connectionFailed(server: "smtp://127.0.0.1:1", reason: "Connection refused")
        let transport = ScriptedTransport()
        transport.answer = { _ in refusal }

        let summary = try delivery(test, transport).run()

        #expect(transport.sent.count == 1)
        #expect(summary.deferred == 1)
        #expect(summary.remaining == 1)
        #expect(summary.stoppedBy == refusal)
        #expect(try test.entry(ids[0]).attempts == 1)
        #expect(try test.entry(ids[0]).nextAttemptAt == "2026-09-01T08:01:00Z")
        #expect(try test.entry(ids[1]).attempts == 0)
    }

    // MARK: - Permanent failures

    @Test func permanentRejectionFailsOnlyThatMessage() throws {
        let test = try ClockedDirectory()
        let ids = try test.queue(["a@example.org", "reject-me@example.org", "c@example.org"])
        let rejection = MailTransportError.permanentRejection(
            server: "smtp://test", code: 550, reply: "550 5.1.1 <reject-me@example.org>: Recipient address rejected: User unknown")
        let transport = ScriptedTransport()
        transport.answer = { $0.hasPrefix("reject") ? rejection : nil }

        let summary = try delivery(test, transport).run()

        #expect(summary.sent == 2)
        #expect(summary.failed == 1)
        #expect(summary.outcomes[1] == DeliveryOutcome(outboxId: ids[1], recipient: "reject-me@example.org", result: .failed(rejection)))
        let failed = try test.entry(ids[1])
        #expect(failed.state == .failed)
        #expect(
            failed.lastError
                == "the mail server smtp://test rejected the message with '550 5.1.1 <reject-me@example.org>: Recipient address rejected: User unknown'; check the recipient's address, then retry the message"
        )
    }

    @Test func transportFailurePutsMessageBackAndStops() throws {
        let test = try ClockedDirectory()
        let ids = try test.queue(["a@example.org", "b@example.org"])
        let noTLS = MailTransportError.startTLSUnavailable(server: "smtp://127.0.0.1:25")
        let transport = ScriptedTransport()
        transport.answer = { _ in noTLS }

        let summary = try delivery(test, transport).run()

        #expect(transport.sent.count == 1)
        #expect(summary.stoppedBy == noTLS)
        #expect(summary.remaining == 2)
        let entry = try test.entry(ids[0])
        #expect(entry.state == .queued)
        #expect(entry.attempts == 0)
        #expect(entry.nextAttemptAt == "2026-09-01T08:00:00Z")
        #expect(entry.lastError == noTLS.description)
    }

    // MARK: - Rate limit

    @Test func rateLimitSleepsBetweenMessages() throws {
        let test = try ClockedDirectory()
        try test.queue(["a@example.org", "b@example.org", "c@example.org", "d@example.org"])
        var sleeps: [Double] = []
        let clock = test.clock
        let delivery = OutboxDelivery(
            directory: test.directory, transport: ScriptedTransport(), policy: DeliveryPolicy(messagesPerMinute: 30),
            sleep: { seconds in
                sleeps.append(seconds)
                clock.advance(by: seconds)
            })

        _ = try delivery.run()

        #expect(sleeps == [2, 2, 2])
    }

    @Test func rateLimitCountsTimeSpentSending() throws {
        let test = try ClockedDirectory()
        try test.queue(["a@example.org", "b@example.org", "c@example.org"])
        var sleeps: [Double] = []
        let clock = test.clock
        let transport = ScriptedTransport()
        transport.onSend = { clock.advance(by: 1.5) }
        let delivery = OutboxDelivery(
            directory: test.directory, transport: transport, policy: DeliveryPolicy(messagesPerMinute: 30),
            sleep: { seconds in
                sleeps.append(seconds)
                clock.advance(by: seconds)
            })

        _ = try delivery.run()

        #expect(sleeps == [0.5, 0.5])
    }
}
