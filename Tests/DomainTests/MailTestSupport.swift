import Foundation
import Synchronization
import Testing

@testable import Domain

// MARK: - The helper script

/// Debian's interpreter, for which python3-aiosmtpd is installed (the `python3` on PATH may be
/// another build without it).
let systemPython = "/usr/bin/python3"

/// `Tests/DomainTests/Support/smtp_server.py`, found from this file's path.
let smtpServerScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Support/smtp_server.py").path

/// What the helper script's `parse` reads from a message with Python's `email` package.
struct ParsedMessage: Decodable {
    struct Mailbox: Decodable, Equatable {
        var name: String
        var address: String
    }

    struct Part: Decodable {
        var contentType: String
        var charset: String?
        var transferEncoding: String?
        var text: String
    }

    var from: Mailbox?
    var to: Mailbox?
    var replyTo: Mailbox?
    var subject: String
    var messageId: String?
    var date: String?
    var mimeVersion: String?
    var contentType: String
    var parts: [Part]
    var headerBlock: String
    var encodedWordCharsets: [String]
    var maxLineLength: Int
    var bareLineFeeds: Int
    var bareCarriageReturns: Int
    var isASCII: Bool
}

/// The envelope and message of one message the test server accepted.
struct ReceivedMessage: Decodable {
    var mailFrom: String
    var recipients: [String]
    /// The client's port, which identifies the connection.
    var connection: Int
    var tls: Bool
    var login: String?
    var message: ParsedMessage
}

/// Parses message bytes with Python's `email` package.
func parseWithPython(_ bytes: [UInt8]) throws -> ParsedMessage {
    let folder = TemporaryFolder()
    let path = folder.write("message.eml", bytes: bytes)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: systemPython)
    process.arguments = [smtpServerScript, "parse", path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return try JSONDecoder().decode(ParsedMessage.self, from: data)
}

// MARK: - The test server

/// The helper script serving SMTP on 127.0.0.1, stopped when the value is released.
final class TestSMTPServer {
    enum Mode {
        case plain
        case startTLS(certificate: String, key: String)
        case implicitTLS(certificate: String, key: String)
        case stalled
    }

    let folder = TemporaryFolder()
    let port: Int
    private let process = Process()
    private let input = Pipe()

    init(_ mode: Mode = .plain, requireAuth user: String? = nil, password: String? = nil) throws {
        var arguments = [smtpServerScript, "serve", folder.path]
        switch mode {
        case .plain: break
        case .startTLS(let certificate, let key): arguments += ["--tls-cert", certificate, "--tls-key", key]
        case .implicitTLS(let certificate, let key): arguments += ["--tls-cert", certificate, "--tls-key", key, "--implicit-tls"]
        case .stalled: arguments.append("--stall")
        }
        if let user { arguments += ["--require-auth", user] }
        process.executableURL = URL(fileURLWithPath: systemPython)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SMTP_TEST_PASSWORD"] = password
        process.environment = environment
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()

        // The script writes "port N" once it listens.
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("port "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw TestServerError(output: text)
        }
        self.port = port
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    var url: String { "smtp://127.0.0.1:\(port)" }

    /// Returns the messages accepted so far, in order.
    func received() throws -> [ReceivedMessage] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: folder.file(name)))
            return try JSONDecoder().decode(ReceivedMessage.self, from: data)
        }
    }
}

struct TestServerError: Error, CustomStringConvertible {
    var output: String
    var description: String { "the test SMTP server did not start; it wrote '\(output)'" }
}

// MARK: - Certificates

/// A self-signed certificate for 127.0.0.1 made with the `openssl` command, which is also the
/// CA file a client must trust.
struct TestCertificate {
    let certificate: String
    let key: String

    init(in folder: TemporaryFolder) throws {
        certificate = folder.file("server.crt")
        key = folder.file("server.key")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestServerError(output: "openssl exited with \(process.terminationStatus)") }
    }
}

// MARK: - Messages

/// Makes a message to `address` from the school office, with names and text outside ASCII.
func sampleMessage(to address: String, name: String = "Zoë Ní Bhriain", html: Bool = false) -> MailMessage {
    MailMessage(
        from: try! Mailbox(name: "Oakfield Academy – School Office", address: "office@oakfield.sch.uk"),
        to: try! Mailbox(name: name, address: address),
        subject: "Your first login to Oakfield Academy's homework platform: set your password",
        textBody: "Dear \(name),\n\nOpen this link to set your password: https://oakfield.example/set?t=abc\n\nCảm ơn — the office\n",
        htmlBody: html ? "<p>Dear \(name),</p><p>Cảm ơn — the office</p>" : nil)
}

// MARK: - Clock and transport doubles

/// A clock that stays fixed until a test moves it.
final class TestClock: Sendable {
    private let current = Mutex(TestDirectory.fixedNow)

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: Double) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// A directory whose clock a test moves.
struct ClockedDirectory {
    let folder = TemporaryFolder()
    let clock = TestClock()
    let directory: Directory

    init() throws {
        let clock = clock
        directory = try Directory(path: folder.file("lanyard.db"), actor: "tester", now: { clock.now })
    }

    /// Queues messages to the given addresses in one transaction and returns their ids.
    @discardableResult
    func queue(_ addresses: [String], purpose: OutboxPurpose = .notice) throws -> [Int] {
        try directory.database.transaction {
            try addresses.map { try directory.queue(sampleMessage(to: $0), purpose: purpose, userId: nil).id }
        }
    }

    func entry(_ id: Int) throws -> OutboxEntry {
        try #require(try directory.outboxEntry(id: id))
    }
}

/// A transport that records each envelope and replies with a result chosen per recipient.
final class ScriptedTransport: MailTransport {
    var destination: String { "scripted" }
    private(set) var sent: [MailEnvelope] = []
    /// The error for a recipient, or nil to accept.
    var answer: (String) -> MailTransportError? = { _ in nil }
    /// Runs before each reply, such as moving a clock forward by the time a send takes.
    var onSend: () -> Void = {}

    func send(_ envelope: MailEnvelope) throws(MailTransportError) {
        onSend()
        sent.append(envelope)
        if let error = answer(envelope.recipients[0]) { throw error }
    }
}
