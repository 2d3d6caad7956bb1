import Foundation
import Testing

@testable import Domain

@Suite("Mail composer")
struct MailComposerTests {
    static let date = Date(timeIntervalSince1970: 1_788_249_600)  // 2026-09-01T08:00:00Z

    func render(_ message: MailMessage) throws -> (RenderedMessage, ParsedMessage) {
        let rendered = try MailComposer().render(message, date: Self.date)
        return (rendered, try parseWithPython(rendered.bytes))
    }

    // MARK: - Headers

    static let names = [
        "Zoë Ní Bhriain",
        "Nguyễn Văn An",
        "Siobhán O'Sullivan-Ó Briain",
        "Jo Bloggs",
        "Łukasz Wójcik, Grzegorz Brzęczyszczykiewicz and Ærøskøbing Ðorđević of Year 7",
    ]

    @Test("display names decode to what was given", arguments: names)
    func displayNameRoundTrips(name: String) throws {
        let (_, parsed) = try render(sampleMessage(to: "parent@example.org", name: name))

        #expect(parsed.to == .init(name: name, address: "parent@example.org"))
        #expect(parsed.from == .init(name: "Oakfield Academy – School Office", address: "office@oakfield.sch.uk"))
    }

    static let subjects = [
        "Your first login",
        "Zoë, your first login to Oakfield Academy's homework platform: set your password today",
        "Nguyễn Văn An: đặt mật khẩu của bạn cho nền tảng bài tập về nhà của Học viện Oakfield",
        "Ní mór duit do phasfhocal a shocrú roimh an Aoine – Oakfield Academy, Year 7 and Year 8",
    ]

    @Test("subjects decode to what was given", arguments: subjects)
    func subjectRoundTrips(subject: String) throws {
        var message = sampleMessage(to: "parent@example.org")
        message.subject = subject
        let (_, parsed) = try render(message)

        #expect(parsed.subject == subject)
        #expect(parsed.isASCII)
    }

    @Test func encodedWordsUseUTF8ForLatin1Names() throws {
        let (_, parsed) = try render(sampleMessage(to: "parent@example.org", name: "Zoë Ní Bhriain"))

        #expect(parsed.encodedWordCharsets == ["utf-8"])
    }

    @Test func replyToIsWrittenWhenGiven() throws {
        var message = sampleMessage(to: "parent@example.org")
        message.replyTo = try Mailbox(name: "Mrs Ó Dónaill", address: "reception@oakfield.sch.uk")
        let (_, parsed) = try render(message)

        #expect(parsed.replyTo == .init(name: "Mrs Ó Dónaill", address: "reception@oakfield.sch.uk"))
    }

    @Test func replyToIsAbsentWhenNotGiven() throws {
        let (_, parsed) = try render(sampleMessage(to: "parent@example.org"))

        #expect(parsed.replyTo == nil)
    }

    @Test func messageIdIsOnTheSenderDomain() throws {
        let (rendered, parsed) = try render(sampleMessage(to: "parent@example.org"))

        #expect(rendered.messageId.hasSuffix("@oakfield.sch.uk"))
        #expect(parsed.messageId == "<\(rendered.messageId)>")
    }

    @Test func givenMessageIdIsKept() throws {
        let rendered = try MailComposer().render(sampleMessage(to: "a@example.org"), date: Self.date, messageId: "fixed.1@oakfield.sch.uk")

        #expect(rendered.messageId == "fixed.1@oakfield.sch.uk")
        #expect(try parseWithPython(rendered.bytes).messageId == "<fixed.1@oakfield.sch.uk>")
    }

    @Test func messageIdsDiffer() throws {
        let first = MailComposer.makeMessageId(domain: "oakfield.sch.uk")
        let second = MailComposer.makeMessageId(domain: "oakfield.sch.uk")

        #expect(first != second)
    }

    @Test func dateAndMimeVersionAreWritten() throws {
        let (_, parsed) = try render(sampleMessage(to: "parent@example.org"))

        #expect(parsed.date == "Tue, 01 Sep 2026 08:00:00 +0000")
        #expect(parsed.mimeVersion == "1.0")
    }

    // MARK: - Bodies

    @Test func plainMessageIsOneUTF8QuotedPrintablePart() throws {
        let message = sampleMessage(to: "parent@example.org")
        let (_, parsed) = try render(message)

        #expect(parsed.contentType == "text/plain")
        #expect(parsed.parts.count == 1)
        #expect(parsed.parts.first?.charset == "utf-8")
        #expect(parsed.parts.first?.transferEncoding == "quoted-printable")
        #expect(parsed.parts.first?.text == message.textBody)
    }

    @Test func latin1OnlyBodyStillUsesUTF8() throws {
        var message = sampleMessage(to: "parent@example.org")
        message.textBody = "Dear Zoë,\nYour café login is ready.\n"
        let (_, parsed) = try render(message)

        #expect(parsed.parts.first?.charset == "utf-8")
        #expect(parsed.parts.first?.text == "Dear Zoë,\nYour café login is ready.\n")
    }

    @Test func htmlMessageIsMultipartAlternative() throws {
        let message = sampleMessage(to: "parent@example.org", html: true)
        let (_, parsed) = try render(message)

        #expect(parsed.contentType == "multipart/alternative")
        #expect(parsed.parts.map(\.contentType) == ["text/plain", "text/html"])
        #expect(parsed.parts.map(\.charset) == ["utf-8", "utf-8"])
        #expect(parsed.parts.last?.text == message.htmlBody)
        #expect(parsed.parts.first?.text == message.textBody)
    }

    @Test("body line ends come out as CRLF", arguments: ["line one\nline two\n", "line one\r\nline two\r\n", "line one\rline two\r"])
    func bodyLineEndsAreCRLF(body: String) throws {
        var message = sampleMessage(to: "parent@example.org")
        message.textBody = body
        let (_, parsed) = try render(message)

        #expect(parsed.bareLineFeeds == 0)
        #expect(parsed.bareCarriageReturns == 0)
        #expect(parsed.parts.first?.text == "line one\nline two\n")
    }

    @Test func longLinesAreWrapped() throws {
        var message = sampleMessage(to: "parent@example.org")
        message.textBody = "https://oakfield.example/set?token=" + String(repeating: "ễa", count: 1_500) + "\n"
        message.htmlBody = "<p>" + String(repeating: "Zoë ", count: 600) + "</p>"
        let (_, parsed) = try render(message)

        #expect(parsed.maxLineLength <= 78)
        #expect(parsed.parts.first?.text == message.textBody)
        #expect(parsed.parts.last?.text == message.htmlBody)
    }

    @Test func headersAreFoldedAndASCII() throws {
        var message = sampleMessage(to: "parent@example.org", name: String(repeating: "Nguyễn ", count: 20) + "An")
        message.subject = String(repeating: "Đặt mật khẩu ", count: 12) + "cho Nguyễn"
        let (_, parsed) = try render(message)

        #expect(parsed.isASCII)
        #expect(parsed.maxLineLength <= 78)
        #expect(parsed.bareLineFeeds == 0)
        #expect(parsed.subject == message.subject)
        #expect(parsed.to?.name == message.to.name)
    }

    // MARK: - Rejections

    @Test func subjectWithLineBreakIsRejected() throws {
        var message = sampleMessage(to: "parent@example.org")
        message.subject = "Hello\r\nBcc: everyone@example.org"

        #expect(throws: MailMessageError.controlCharacter(field: .subject, value: "Hello\r\nBcc: everyone@example.org")) {
            try MailComposer().render(message, date: Self.date)
        }
        let error = MailMessageError.controlCharacter(field: .subject, value: "Hello\r\nBcc: everyone@example.org")
        #expect(
            error.description
                == "the subject 'Hello\\u{d}\\u{a}Bcc: everyone@example.org' contains a line break or other control character; remove it, because a header must be one line of text"
        )
    }

    @Test func nameWithTabIsRejected() throws {
        let message = sampleMessage(to: "parent@example.org", name: "Jo\tBloggs")

        #expect(throws: MailMessageError.controlCharacter(field: .toName, value: "Jo\tBloggs")) {
            try MailComposer().render(message, date: Self.date)
        }
    }

    @Test func emptySubjectIsRejected() throws {
        var message = sampleMessage(to: "parent@example.org")
        message.subject = "  "

        #expect(throws: MailMessageError.emptySubject) {
            try MailComposer().render(message, date: Self.date)
        }
    }
}
