import Foundation
import Storage
import Testing

@testable import Domain

/// A small school (see ``TestDirectory/seedSmallSchool(sso:)``) ready for sending links, with
/// the shipped templates and a sender address.
struct LinkFixture {
    let test: TestDirectory
    var settings: Settings
    let templates: TemplateLibrary

    init(sso: SSOProvider = .none) throws {
        test = try TestDirectory()
        try test.seedSmallSchool(sso: sso)
        settings = Settings()
        settings.mailFromAddress = "office@castlemead.sch.uk"
        settings.loginURL = "https://login.castlemead.example"
        templates = TemplateLibrary(folders: [try #require(TemplateLibrary.shippedFolder(environment: [:], executablePath: nil))])
    }

    var directory: Directory { test.directory }

    func user(_ key: String) throws -> User {
        try #require(try directory.user(key: key))
    }

    /// The user with this forename.
    func named(_ forename: String) throws -> User {
        try #require(try directory.users(matching: Selection(parsing: "status:any")).first { $0.legalForename == forename })
    }

    func send(_ query: String, _ options: LinkSendOptions = LinkSendOptions()) throws -> LinkSendReport {
        try directory.sendLinks(to: try Selection(parsing: query), options: options, settings: settings, templates: templates)
    }

    /// Marks a parent as registered, as registering with a parent code does.
    func register(_ user: User) throws {
        try directory.database.execute("UPDATE users SET registered = 1 WHERE id = ?1", [user.id])
    }

    /// The token in an outbox message's link.
    func token(inOutbox id: Int) throws -> String {
        try #require(extractToken(from: try directory.outboxMessage(id: id)))
    }

    /// The outbox entry of a queued outcome.
    func entry(_ outcome: LinkOutcome) throws -> OutboxEntry {
        let id = try #require(outcome.outboxId)
        return try #require(try directory.outboxEntry(id: id))
    }

    /// Counts the rows of a table.
    func count(_ table: String) throws -> Int {
        try directory.database.scalar("SELECT count(*) FROM \(table)")?.intValue ?? 0
    }
}

/// The token of the first password link in a rendered message, undoing quoted-printable's soft
/// line breaks and its `=3D` for the `=` after `token`.
func extractToken(from message: [UInt8]) -> String? {
    let text = String(decoding: message, as: UTF8.self).replacingOccurrences(of: "=\r\n", with: "")
    guard let range = text.range(of: #"token=3D[A-Za-z0-9_-]{43}"#, options: .regularExpression) else { return nil }
    return String(text[range].dropFirst("token=3D".count))
}
