import Foundation
import Storage
import Testing

@testable import Domain

@Suite("Outbox")
struct MailOutboxTests {
    // MARK: - Queueing

    @Test func queuedMessageIsStoredRendered() throws {
        let test = try ClockedDirectory()
        let message = sampleMessage(to: "parent@example.org")
        let entry = try test.directory.database.transaction {
            try test.directory.queue(message, purpose: .parentInvitation, userId: nil)
        }

        let stored = try test.entry(entry.id)
        #expect(stored == entry)
        #expect(stored.state == .queued)
        #expect(stored.attempts == 0)
        #expect(stored.purpose == .parentInvitation)
        #expect(stored.sender == "office@oakfield.sch.uk")
        #expect(stored.recipient == "parent@example.org")
        #expect(stored.subject == message.subject)
        #expect(stored.createdAt == "2026-09-01T08:00:00Z")
        #expect(stored.nextAttemptAt == "2026-09-01T08:00:00Z")

        let parsed = try parseWithPython(try test.directory.outboxMessage(id: entry.id))
        #expect(parsed.messageId == "<\(stored.messageId)>")
        #expect(parsed.subject == message.subject)
    }

    @Test func queuedMessageRollsBackWithItsTransaction() throws {
        let test = try ClockedDirectory()
        struct Abandon: Error {}

        #expect(throws: Abandon.self) {
            try test.directory.database.transaction {
                try test.directory.queue(sampleMessage(to: "parent@example.org"), purpose: .recoveryLink, userId: nil)
                throw Abandon()
            }
        }
        #expect(try test.directory.outboxEntries().isEmpty)
    }

    @Test func queueKeepsTheUserId() throws {
        let test = try TestDirectory()
        try test.seedSmallSchool()
        let zoe = try #require(try test.directory.users(matching: Selection(parsing: "role:student")).first)
        let entry = try test.directory.database.transaction {
            try test.directory.queue(sampleMessage(to: "zoe@castlemead.sch.uk"), purpose: .firstLoginLink, userId: zoe.id)
        }

        #expect(try test.directory.outboxEntry(id: entry.id)?.userId == zoe.id)
    }

    @Test func entriesAreListedByState() throws {
        let test = try ClockedDirectory()
        let ids = try test.queue(["a@example.org", "b@example.org", "c@example.org"])
        try test.directory.cancel(id: ids[1])

        #expect(try test.directory.outboxEntries(state: .queued).map(\.id) == [ids[0], ids[2]])
        #expect(try test.directory.outboxEntries(state: .cancelled).map(\.id) == [ids[1]])
        #expect(try test.directory.outboxEntries().map(\.id) == ids)
        #expect(try test.directory.outboxCounts() == [.queued: 2, .cancelled: 1])
    }

    // MARK: - Cancel and retry

    @Test func cancelledMessageIsNotSent() throws {
        let test = try ClockedDirectory()
        let ids = try test.queue(["a@example.org", "b@example.org"])
        try test.directory.cancel(id: ids[0])
        let transport = ScriptedTransport()

        let summary = try OutboxDelivery(directory: test.directory, transport: transport, sleep: { _ in }).run()

        #expect(transport.sent.map(\.outboxId) == [ids[1]])
        #expect(summary.sent == 1)
        #expect(try test.entry(ids[0]).state == .cancelled)
    }

    @Test func sentMessageCannotBeCancelled() throws {
        let test = try ClockedDirectory()
        let id = try test.queue(["a@example.org"])[0]
        _ = try OutboxDelivery(directory: test.directory, transport: ScriptedTransport(), sleep: { _ in }).run()

        #expect(throws: OutboxError.cannotCancel(id: id, state: .sent)) { try test.directory.cancel(id: id) }
        #expect(
            OutboxError.cannotCancel(id: id, state: .sent).description
                == "cannot cancel outbox message \(id), because it is sent; only messages not yet handed to the mail server can be cancelled")
    }

    @Test func failedMessageIsRetriedWithAttemptsReset() throws {
        let test = try ClockedDirectory()
        let id = try test.queue(["reject@example.org"])[0]
        let transport = ScriptedTransport()
        transport.answer = { _ in .permanentRejection(server: "smtp://test", code: 550, reply: "550 5.1.1 User unknown") }
        _ = try OutboxDelivery(directory: test.directory, transport: transport, sleep: { _ in }).run()
        #expect(try test.entry(id).state == .failed)

        test.clock.advance(by: 300)
        try test.directory.retry(id: id)

        let entry = try test.entry(id)
        #expect(entry.state == .queued)
        #expect(entry.attempts == 0)
        #expect(entry.nextAttemptAt == "2026-09-01T08:05:00Z")
    }

    @Test func sentMessageCannotBeRetried() throws {
        let test = try ClockedDirectory()
        let id = try test.queue(["a@example.org"])[0]
        _ = try OutboxDelivery(directory: test.directory, transport: ScriptedTransport(), sleep: { _ in }).run()

        #expect(throws: OutboxError.cannotRetry(id: id, state: .sent)) { try test.directory.retry(id: id) }
        #expect(
            OutboxError.cannotRetry(id: id, state: .sent).description
                == "cannot retry outbox message \(id), because it is sent; only failed, cancelled or queued messages can be retried")
    }

    @Test func unknownIdIsNotFound() throws {
        let test = try ClockedDirectory()

        #expect(throws: OutboxError.notFound(id: 99)) { try test.directory.retry(id: 99) }
        #expect(throws: OutboxError.notFound(id: 99)) { try test.directory.cancel(id: 99) }
        #expect(throws: OutboxError.notFound(id: 99)) { try test.directory.outboxMessage(id: 99) }
        #expect(OutboxError.notFound(id: 99).description == "no outbox message with id 99; check the id against the outbox list")
    }
}
