import Foundation
import Testing

/// Delivery killed with SIGKILL part-way, then run again until the outbox is empty: every
/// message arrives at least once, and each kill repeats at most the one message in flight.
///
/// The real `lanyard outbox send` sends to the aiosmtpd server of
/// Tests/DomainTests/Support/smtp_server.py on 127.0.0.1. A kill point is judged by what that
/// server has stored. Each message is identified by its `Message-ID`, which the outbox stores
/// when it queues the message.
///
/// NOTE: SIGKILL leaves the kernel's page cache intact, so these tests do not cover power loss,
/// against which delivery commits with `PRAGMA synchronous = FULL`.
@Suite("Reliability: SIGKILL during delivery", .serialized)
struct ReliabilityDeliveryTests {
    @Test("500 messages, killed at 50%: none lost, at most one twice")
    func killedOnceAtHalf() throws {
        try deliverKilling(messages: 500, at: [0.5])
    }

    @Test(
        "5,000 messages, killed at 10%, 50% and 90%: none lost, at most one twice per kill",
        .enabled(if: Reliability.slowTestsEnabled, "slow: run with make reliability"))
    func killedThreeTimes() throws {
        try deliverKilling(messages: 5_000, at: [0.1, 0.5, 0.9])
    }

    // MARK: - The procedure

    /// Queues `messages` password links, kills `lanyard outbox send` once the server has
    /// received each fraction in `killPoints` of them, then delivers the rest and checks what
    /// arrived against what was queued.
    func deliverKilling(messages: Int, at killPoints: [Double]) throws {
        let started = Date()
        let server = try SMTPTestServer()
        // The demo school gives 4% of students no email, so 5% more students than messages is enough.
        let folder = try Reliability.generatedSchool(students: messages + messages / 20 + 10)
        folder.write(
            "lanyard.config.lua",
            """
            mail = {
              transport = "smtp", smtp_url = "smtp://127.0.0.1:\(server.port)", smtp_require_tls = false,
              from_address = "office@school.example", messages_per_minute = 0,
            }

            """)
        let queued = try folder.run(["links", "send", "--where", "role:student", "--limit", "\(messages)", "--no-deliver"])
        try #require(queued.status == 0, "links send failed: \(queued.error)")
        let database = folder.path + "/lanyard.db"
        let queuedIds = try SQLiteShell.lines(database, "SELECT message_id FROM outbox")
        try #require(queuedIds.count == messages)
        try #require(Set(queuedIds).count == messages, "two queued messages share a Message-ID")

        // Kill a delivery at each point, then start a new one
        var kills: [String] = []
        for point in killPoints {
            let target = Int(Double(messages) * point)
            let delivery = try BackgroundLanyard(["outbox", "send"], in: folder)
            let deadline = Date().addingTimeInterval(600)
            while !server.hasReceived(atLeast: target), delivery.process.isRunning, Date() < deadline {
                usleep(500)
            }
            let killed = delivery.killAbruptly()
            try #require(
                killed,
                "the delivery ended (status \(delivery.process.terminationStatus)) before \(target) messages arrived: \(delivery.errorText)"
            )
            // Only the message in flight may be left claimed
            let sending = try SQLiteShell.lines(database, "SELECT count(*) FROM outbox WHERE state = 'sending'")
            #expect(sending == ["0"] || sending == ["1"], "\(sending) messages left in sending")
            let states = try SQLiteShell.lines(database, "SELECT state || ' ' || count(*) FROM outbox GROUP BY state ORDER BY state")
            kills.append("\(try server.receivedCount()) received, outbox \(states.joined(separator: ", "))")
        }

        // Deliver the rest
        let rest = try folder.run(["outbox", "send"])
        #expect(rest.status == 0, "\(rest.error)")
        #expect(try SQLiteShell.lines(database, "SELECT state || ' ' || count(*) FROM outbox GROUP BY state") == ["sent \(messages)"])

        // Every queued message arrived, nothing else did, and repeats are at most one per kill
        let received = try server.receivedMessageIds()
        let timesReceived = Dictionary(grouping: received, by: { $0 }).mapValues(\.count)
        let missing = Set(queuedIds).subtracting(timesReceived.keys)
        let unexpected = Set(timesReceived.keys).subtracting(queuedIds)
        let repeated = timesReceived.filter { $0.value > 1 }
        #expect(missing.isEmpty, "\(missing.count) queued messages never arrived, such as \(missing.sorted().prefix(3))")
        #expect(unexpected.isEmpty, "the server received messages that were never queued: \(unexpected.sorted().prefix(3))")
        #expect(repeated.values.allSatisfy { $0 == 2 }, "a message arrived more than twice: \(repeated)")
        #expect(repeated.count <= killPoints.count, "\(repeated.count) messages arrived twice after \(killPoints.count) kills")
        #expect(received.count == messages + repeated.count)

        Reliability.record(
            "delivery of \(messages) messages killed \(killPoints.count) times; at each kill: \(kills.joined(separator: "; ")); "
                + "received in total: \(received.count), twice: \(repeated.count); "
                + String(format: "%.1f s including set-up", Reliability.seconds(since: started)))
    }
}
