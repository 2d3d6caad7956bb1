import Domain
import Foundation
import LuaRuntime

/// The table a `before_send` hook receives, and how its edits are read back.
///
/// ```lua
/// { to = "amy.lee@example.org", to_name = "Amy Lee", from = "office@school.sch.uk",
///   from_name = "Oakfield Academy", reply_to = nil, subject = "...", text = "...", html = nil,
///   purpose = "first-login-link",
///   user = { key = "A123...", role = "student", name = "Amy Lee", email = "..." } }
/// ```
///
/// A hook may change `subject`, `text` and `html`, and set `not_before` to delay delivery; the
/// addresses are the directory's and stay as they are.
enum OutgoingMessageTable {
    static func value(of message: MailMessage, purpose: OutboxPurpose, user: User?) throws -> LuaValue {
        var fields: [LuaValue: LuaValue] = [
            "to": .string(message.to.address.value),
            "from": .string(message.from.address.value),
            "subject": .string(message.subject),
            "text": .string(message.textBody),
            "purpose": .string(purpose.rawValue),
        ]
        if let name = message.to.name { fields["to_name"] = .string(name) }
        if let name = message.from.name { fields["from_name"] = .string(name) }
        if let replyTo = message.replyTo { fields["reply_to"] = .string(replyTo.address.value) }
        if let html = message.htmlBody { fields["html"] = .string(html) }
        if let user {
            var person: [LuaValue: LuaValue] = ["key": .string(user.key), "role": .string(user.role.rawValue), "name": .string(user.displayName)]
            if let email = user.email { person["email"] = .string(email) }
            fields["user"] = .table(person)
        }
        return .table(fields)
    }

    /// The fields a hook may not change.
    static let fixedFields = ["to", "to_name", "from", "from_name", "reply_to", "purpose", "user"]

    /// Applies a hook's edits to `message`.
    ///
    /// - Throws: ``PluginError/badResult(plugin:during:reason:)`` when the hook changed a fixed
    ///   field, emptied the subject or text, or gave a `not_before` that is not a time.
    static func apply(_ edited: LuaValue, to message: MailMessage, original: LuaValue, plugin: String) throws -> (message: MailMessage, notBefore: Date?) {
        func bad(_ reason: String) -> PluginError { .badResult(plugin: plugin, during: "before_send", reason: reason) }
        for field in fixedFields where edited[field] != original[field] {
            throw bad("it changed '\(field)', which a hook may not change; to stop the message, return false and a reason")
        }
        var message = message
        guard let subject = edited["subject"]?.stringValue, !subject.trimmingCharacters(in: .whitespaces).isEmpty,
            let text = edited["text"]?.stringValue, !text.isEmpty
        else {
            throw bad("the message must keep a subject and a text body")
        }
        message.subject = subject
        message.textBody = text
        message.htmlBody = edited["html"]?.stringValue

        var notBefore: Date?
        if let value = edited["not_before"], value != .nil {
            guard let text = value.stringValue, let date = parseTime(text) else {
                throw bad("'not_before' must be a time such as \"2026-09-03T07:00:00Z\" or \"2026-09-03 07:00\" (local time)")
            }
            notBefore = date
        }
        return (message, notBefore)
    }

    /// ISO 8601 with a zone, or `YYYY-MM-DD HH:MM` in local time.
    static func parseTime(_ text: String) -> Date? {
        let withZone = ISO8601DateFormatter()
        if let date = withZone.date(from: text) { return date }
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_GB_POSIX")
        local.timeZone = .current
        for format in ["yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"] {
            local.dateFormat = format
            if let date = local.date(from: text) { return date }
        }
        return nil
    }
}
