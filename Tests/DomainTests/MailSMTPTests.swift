import Foundation
import Storage
import Testing

@testable import Domain

/// Delivery through ``SMTPTransport`` to a real SMTP server (aiosmtpd) on 127.0.0.1.
///
/// Serialised, because each test blocks a thread on libcurl and the server.
@Suite("SMTP transport", .serialized)
struct MailSMTPTests {
    static let password = "Corr3ct-Horse!battery"

    func deliver(_ test: ClockedDirectory, _ configuration: SMTPConfiguration) throws -> DeliverySummary {
        let transport = try SMTPTransport(configuration)
        return try OutboxDelivery(directory: test.directory, transport: transport, policy: DeliveryPolicy(messagesPerMinute: nil), sleep: { _ in })
            .run()
    }

    func plain(_ server: TestSMTPServer) -> SMTPConfiguration {
        SMTPConfiguration(url: server.url, requireTLS: false, connectTimeout: 5, timeout: 10)
    }

    // MARK: - Messages as received

    @Test func messagesArriveOnceOverOneConnection() throws {
        let server = try TestSMTPServer()
        let test = try ClockedDirectory()
        let addresses = ["zoe@example.org", "an.nguyen@example.org", "lukasz@example.org"]
        let names = ["Zoë Ní Bhriain", "Nguyễn Văn An", "Łukasz Wójcik-Brzęczyszczykiewicz, parent of Zoë Ní Bhriain in Year 7"]
        let ids = try test.directory.database.transaction {
            try zip(addresses, names).map { address, name in
                var message = sampleMessage(to: address, name: name, html: true)
                message.subject = "\(name): set your password for Oakfield Academy's homework platform before term starts"
                return try test.directory.queue(message, purpose: .firstLoginLink, userId: nil).id
            }
        }

        let summary = try deliver(test, plain(server))

        #expect(summary.sent == 3)
        let received = try server.received()
        #expect(received.count == 3)
        #expect(Set(received.map(\.connection)).count == 1)
        #expect(received.map(\.recipients) == addresses.map { [$0] })
        #expect(received.map(\.mailFrom) == Array(repeating: "office@oakfield.sch.uk", count: 3))
        let messageIds = try ids.map { try test.entry($0).messageId }
        #expect(received.map(\.message.messageId) == messageIds.map { "<\($0)>" })
        for (record, name) in zip(received, names) {
            let message = record.message
            #expect(message.to?.name == name)
            #expect(message.subject == "\(name): set your password for Oakfield Academy's homework platform before term starts")
            #expect(message.parts.map(\.contentType) == ["text/plain", "text/html"])
            #expect(message.parts.first?.text.contains("Cảm ơn — the office") == true)
            #expect(message.bareLineFeeds == 0)
            #expect(message.bareCarriageReturns == 0)
            #expect(message.maxLineLength <= 998)
            #expect(message.isASCII)
        }
    }

    @Test func bytesArriveAsQueued() throws {
        let server = try TestSMTPServer()
        let test = try ClockedDirectory()
        var message = sampleMessage(to: "a@example.org")
        // A line starting with a dot must survive SMTP's dot-stuffing.
        message.textBody = ".hidden line\n..two dots\n.\nend\n"
        let id = try test.directory.database.transaction { try test.directory.queue(message, purpose: .notice, userId: nil).id }
        let queued = try test.directory.outboxMessage(id: id)

        _ = try deliver(test, plain(server))

        let bytes = try Data(contentsOf: URL(fileURLWithPath: server.folder.file("0001.eml")))
        #expect(Array(bytes) == queued)
        #expect(try server.received().first?.message.parts.first?.text == ".hidden line\n..two dots\n.\nend\n")
    }

    // MARK: - Server failures

    @Test func temporaryRejectionIsRetriedOnce() throws {
        let server = try TestSMTPServer()
        let test = try ClockedDirectory()
        let id = try test.queue(["tempfail-once-jo@example.org"])[0]

        let first = try deliver(test, plain(server))
        #expect(first.deferred == 1)
        let deferred = try test.entry(id)
        #expect(deferred.state == .queued)
        #expect(deferred.nextAttemptAt == "2026-09-01T08:01:00Z")
        #expect(
            deferred.lastError
                == "the mail server \(server.url) deferred the message with '451 4.3.0 Try again later: mailbox busy'; it will be tried again later")

        test.clock.advance(by: 60)
        let second = try deliver(test, plain(server))

        #expect(second.sent == 1)
        #expect(try test.entry(id).state == .sent)
        #expect(try server.received().count == 1)
    }

    @Test func permanentRejectionFailsWithServerReply() throws {
        let server = try TestSMTPServer()
        let test = try ClockedDirectory()
        let ids = try test.queue(["reject-jo@example.org", "sam@example.org"])

        let summary = try deliver(test, plain(server))

        #expect(summary.failed == 1)
        #expect(summary.sent == 1)
        let failed = try test.entry(ids[0])
        #expect(failed.state == .failed)
        #expect(
            failed.lastError
                == "the mail server \(server.url) rejected the message with '550 5.1.1 <reject-jo@example.org>: Recipient address rejected: User unknown'; check the recipient's address, then retry the message"
        )
        #expect(try server.received().map(\.recipients) == [["sam@example.org"]])
    }

    @Test func droppedConnectionIsRetriedWithoutDuplicate() throws {
        let server = try TestSMTPServer()
        let test = try ClockedDirectory()
        let ids = try test.queue(["drop-once-jo@example.org", "sam@example.org"])

        let first = try deliver(test, plain(server))
        #expect(first.deferred == 1)
        #expect(first.sent == 1)
        guard case .deferred(_, let error) = first.outcomes[0].result, case .connectionLost = error else {
            Issue.record("expected a lost connection, got \(first.outcomes[0].result)")
            return
        }

        test.clock.advance(by: 60)
        _ = try deliver(test, plain(server))

        #expect(try test.entry(ids[0]).state == .sent)
        #expect(try server.received().map(\.recipients) == [["sam@example.org"], ["drop-once-jo@example.org"]])
    }

    @Test func stalledServerTimesOut() throws {
        let server = try TestSMTPServer(.stalled)
        let test = try ClockedDirectory()
        let id = try test.queue(["jo@example.org"])[0]
        var configuration = plain(server)
        configuration.timeout = 1.5

        let started = Date()
        let summary = try deliver(test, configuration)

        #expect(Date().timeIntervalSince(started) < 10)
        #expect(summary.outcomes.first?.result == .deferred(
            nextAttemptAt: "2026-09-01T08:01:00Z", error: .timedOut(server: server.url, seconds: 1.5)))
        #expect(try test.entry(id).state == .queued)
    }

    @Test func serverStallingAfterDataTimesOut() throws {
        let server = try TestSMTPServer()
        let test = try ClockedDirectory()
        try test.queue(["stall-jo@example.org"])
        var configuration = plain(server)
        configuration.timeout = 1.5

        let summary = try deliver(test, configuration)

        #expect(summary.outcomes.first?.result == .deferred(
            nextAttemptAt: "2026-09-01T08:01:00Z", error: .timedOut(server: server.url, seconds: 1.5)))
    }

    @Test func refusedConnectionDefersAndStops() throws {
        var port = 0
        do {
            let stopped = try TestSMTPServer()
            port = stopped.port
        }
        let test = try ClockedDirectory()
        try test.queue(["jo@example.org", "sam@example.org"])

        let summary = try deliver(test, SMTPConfiguration(url: "smtp://127.0.0.1:\(port)", requireTLS: false, connectTimeout: 5, timeout: 10))

        #expect(summary.deferred == 1)
        #expect(summary.remaining == 1)
        guard case .connectionFailed(let server, _) = summary.stoppedBy else {
            Issue.record("expected a refused connection, got \(String(describing: summary.stoppedBy))")
            return
        }
        #expect(server == "smtp://127.0.0.1:\(port)")
    }

    // MARK: - TLS and login

    @Test func startTLSWithTestCAAndLoginDelivers() throws {
        let keys = TemporaryFolder()
        let certificate = try TestCertificate(in: keys)
        let server = try TestSMTPServer(.startTLS(certificate: certificate.certificate, key: certificate.key), requireAuth: "office", password: Self.password)
        let test = try ClockedDirectory()
        try test.queue(["jo@example.org", "sam@example.org"])

        let summary = try deliver(
            test,
            SMTPConfiguration(
                url: server.url, caFile: certificate.certificate, credentials: SMTPCredentials(user: "office", password: Self.password),
                connectTimeout: 5, timeout: 10))

        #expect(summary.sent == 2)
        let received = try server.received()
        #expect(received.map(\.tls) == [true, true])
        #expect(received.map(\.login) == ["office", "office"])
        #expect(Set(received.map(\.connection)).count == 1)
    }

    @Test func implicitTLSDelivers() throws {
        let keys = TemporaryFolder()
        let certificate = try TestCertificate(in: keys)
        let server = try TestSMTPServer(.implicitTLS(certificate: certificate.certificate, key: certificate.key))
        let test = try ClockedDirectory()
        try test.queue(["jo@example.org"])

        let summary = try deliver(
            test, SMTPConfiguration(url: "smtps://127.0.0.1:\(server.port)", caFile: certificate.certificate, connectTimeout: 5, timeout: 10))

        #expect(summary.sent == 1)
        #expect(try server.received().count == 1)
    }

    @Test func certificateFromUnknownCAStopsRun() throws {
        let keys = TemporaryFolder()
        let certificate = try TestCertificate(in: keys)
        let server = try TestSMTPServer(.startTLS(certificate: certificate.certificate, key: certificate.key))
        let test = try ClockedDirectory()
        let id = try test.queue(["jo@example.org"])[0]

        let summary = try deliver(test, SMTPConfiguration(url: server.url, connectTimeout: 5, timeout: 10))

        guard case .tlsFailed = summary.stoppedBy else {
            Issue.record("expected a TLS failure, got \(String(describing: summary.stoppedBy))")
            return
        }
        #expect(try test.entry(id).attempts == 0)
        #expect(try server.received().isEmpty)
    }

    @Test func serverWithoutStartTLSIsRejectedWhenTLSRequired() throws {
        let server = try TestSMTPServer()
        let test = try ClockedDirectory()
        let id = try test.queue(["jo@example.org"])[0]

        let summary = try deliver(test, SMTPConfiguration(url: server.url, connectTimeout: 5, timeout: 10))

        #expect(summary.stoppedBy == .startTLSUnavailable(server: server.url))
        #expect(try test.entry(id).state == .queued)
        #expect(try server.received().isEmpty)
        #expect(
            MailTransportError.startTLSUnavailable(server: server.url).description
                == "the mail server \(server.url) does not offer STARTTLS, and TLS is required; use the server's submission port (usually 587) or smtps:// (usually port 465)"
        )
    }

    @Test func wrongPasswordStopsRunWithoutShowingIt() throws {
        let keys = TemporaryFolder()
        let certificate = try TestCertificate(in: keys)
        let server = try TestSMTPServer(.startTLS(certificate: certificate.certificate, key: certificate.key), requireAuth: "office", password: Self.password)
        let test = try ClockedDirectory()
        let id = try test.queue(["jo@example.org"])[0]
        let wrong = "Wr0ng-Pa55word!"

        let summary = try deliver(
            test,
            SMTPConfiguration(
                url: server.url, caFile: certificate.certificate, credentials: SMTPCredentials(user: "office", password: wrong),
                connectTimeout: 5, timeout: 10))

        guard case .authenticationFailed(_, let user, _) = summary.stoppedBy else {
            Issue.record("expected a rejected login, got \(String(describing: summary.stoppedBy))")
            return
        }
        #expect(user == "office")
        #expect(summary.stoppedBy?.description.contains(wrong) == false)
        #expect(try test.entry(id).lastError?.contains(wrong) == false)
        #expect(try test.entry(id).attempts == 0)
    }

    // MARK: - Settings

    @Test("invalid URLs are rejected", arguments: [
        ("http://mail.example.org", "invalid mail server URL 'http://mail.example.org': only smtp:// and smtps:// are supported; write it as smtp://host:587 or smtps://host:465"),
        ("smtp://", "invalid mail server URL 'smtp://': it names no server; write it as smtp://host:587 or smtps://host:465"),
        ("smtp://office:secret@mail.example.org:587", "invalid mail server URL 'smtp://office:***@mail.example.org:587': it contains a user or password, which would show in logs; give them as SMTP credentials instead; write it as smtp://host:587 or smtps://host:465"),
    ])
    func invalidURLIsRejected(url: String, message: String) {
        #expect {
            try SMTPTransport(SMTPConfiguration(url: url))
        } throws: { error in
            (error as? SMTPConfigurationError)?.description == message
        }
    }

    @Test func passwordIsReadFromFirstLineOfFile() throws {
        let folder = TemporaryFolder()
        let path = folder.write("password", "\(Self.password)\nignored\n")

        let credentials = try SMTPCredentials(user: "office", passwordFile: path)

        #expect(credentials.password == Self.password)
        #expect(!credentials.description.contains(Self.password))
    }

    @Test func missingPasswordVariableIsReported() {
        #expect(throws: SMTPConfigurationError.passwordVariableMissing(name: "LANYARD_SMTP_PASSWORD")) {
            try SMTPCredentials(user: "office", passwordVariable: "LANYARD_SMTP_PASSWORD", environment: [:])
        }
    }
}
