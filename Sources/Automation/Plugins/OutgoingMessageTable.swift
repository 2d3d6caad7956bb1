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
///
/// The bodies carry parent codes, PINs and password links, so only a plugin granted `codes.read`
/// receives `text` and `html` or may change them. Without that, a hook could copy one family's code
/// into another family's message.
enum OutgoingMessageTable {
    static func value(of message: MailMessage, purpose: OutboxPurpose, user: User?, includesBody: Bool) throws -> LuaValue {
        var fields: [LuaValue: LuaValue] = [
            "to": .string(message.to.address.value),
            "from": .string(message.from.address.value),
            "subject": .string(message.subject),
            "purpose": .string(purpose.rawValue),
        ]
        if includesBody {
            fields["text"] = .string(message.textBody)
            if let html = message.htmlBody { fields["html"] = .string(html) }
        }
        if let name = message.to.name { fields["to_name"] = .string(name) }
        if let name = message.from.name { fields["from_name"] = .string(name) }
        if let replyTo = message.replyTo { fields["reply_to"] = .string(replyTo.address.value) }
        if let user {
            var person: [LuaValue: LuaValue] = ["key": .string(user.key), "role": .string(user.role.rawValue), "name": .string(user.displayName)]
            if let email = user.email { person["email"] = .string(email) }
            fields["user"] = .table(person)
        }
        return .table(fields)
    }

    /// The fields a hook may not change.
    static let fixedFields = ["to", "to_name", "from", "from_name", "reply_to", "purpose", "user"]
    /// The fields a hook may set.
    static let editableFields = ["subject", "text", "html", "not_before"]
    /// How far ahead `not_before` may hold a message: a term's half-term break, with room.
    static let longestDelay: TimeInterval = 31 * 24 * 3600

    /// Applies a hook's edits to `message`.
    ///
    /// - Parameter includesBody: whether the hook was given `text` and `html`; without them it may
    ///   change only the subject and `not_before`.
    /// - Throws: ``PluginError/badResult(plugin:during:reason:)`` when the hook changed a fixed
    ///   field, emptied the subject or text, set a body it was not given, or gave a `not_before`
    ///   that is not a time.
    static func apply(
        _ edited: LuaValue, to message: MailMessage, original: LuaValue, plugin: String, includesBody: Bool, now: Date = Date()
    ) throws -> (message: MailMessage, notBefore: Date?) {
        func bad(_ reason: String) -> PluginError { .badResult(plugin: plugin, during: "before_send", reason: reason) }
        for field in fixedFields where edited[field] != original[field] {
            throw bad("it changed '\(field)', which a hook may not change; to stop the message, return false and a reason")
        }
        let known = Set(fixedFields + editableFields)
        if let unknown = edited.fields?.keys.sorted().first(where: { !known.contains($0) }) {
            throw bad("it set '\(unknown)', which is not a message field; a hook may change \(editableFields.joined(separator: ", "))")
        }
        var message = message
        guard let subject = edited["subject"]?.stringValue, !subject.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw bad("the message must keep a subject")
        }
        message.subject = subject
        if includesBody {
            guard let text = edited["text"]?.stringValue, !text.isEmpty else {
                throw bad("the message must keep a text body")
            }
            message.textBody = text
            message.htmlBody = edited["html"]?.stringValue
        } else if (edited["text"] ?? .nil) != .nil || (edited["html"] ?? .nil) != .nil {
            throw bad(
                "it set 'text' or 'html', which only a plugin with the capability codes.read may see or change, "
                    + "because messages carry parent codes, PINs and password links; declare codes.read in its manifest")
        }

        var notBefore: Date?
        if let value = edited["not_before"], value != .nil {
            guard let text = value.stringValue, let date = parseTime(text) else {
                throw bad("'not_before' must be a time such as \"2026-09-03T07:00:00Z\" or \"2026-09-03 07:00\" (local time)")
            }
            guard date.timeIntervalSince(now) <= longestDelay else {
                throw bad("'not_before' is \(text), more than 31 days ahead; a message held that long is better withheld (return false, \"why\")")
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
