import Foundation
import Storage
import Testing

@testable import Domain

/// Links sent through ``SMTPTransport`` to the real aiosmtpd helper on 127.0.0.1.
@Suite("password links over SMTP", .serialized)
struct LinksSMTPTests {
    @Test func eachLinkReachesItsOwnerAndRedeemsOnlyForThem() throws {
        let server = try TestSMTPServer()
        let fixture = try LinkFixture()
        try fixture.register(try fixture.named("Siân"))
        let report = try fixture.send("all")
        #expect(report.queued == 4)

        let transport = try SMTPTransport(SMTPConfiguration(url: server.url, requireTLS: false, connectTimeout: 5, timeout: 10))
        let summary = try OutboxDelivery(
            directory: fixture.directory, transport: transport, policy: DeliveryPolicy(messagesPerMinute: nil), sleep: { _ in }
        ).run()
        #expect(summary.sent == 4)

        // Each message went to its user's address, named for them, with a link
        let received = try server.received()
        let queued = report.outcomes.filter { $0.status == .queued }
        #expect(received.map(\.recipients) == queued.map { [$0.email!] })
        var tokens: [(userId: Int, token: String)] = []
        for (message, outcome) in zip(received, queued) {
            #expect(message.message.to?.name == outcome.name)
            let text = message.message.parts[0].text
            let forename = String(outcome.name.split(separator: " ")[0])
            #expect(text.contains(forename))
            let range = try #require(text.range(of: #"set-password\?token=[A-Za-z0-9_-]{43}"#, options: .regularExpression))
            tokens.append((outcome.userId, String(text[range].suffix(43))))
        }
        #expect(Set(tokens.map(\.token)).count == 4)

        // Each token sets its own user's password and nobody else's
        for (userId, token) in tokens {
            let redeemed = try fixture.directory.redeemLink(token: token, password: "Own-pass\(userId)word")
            #expect(redeemed.userId == userId)
        }
        for (userId, _) in tokens {
            for (otherId, _) in tokens {
                #expect(try fixture.directory.verifyPassword(userId: userId, password: "Own-pass\(otherId)word") == (userId == otherId))
            }
        }
    }
}
