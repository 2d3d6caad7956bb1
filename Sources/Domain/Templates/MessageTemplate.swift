import Foundation

/// An email template: a subject, a plain-text part and an optional HTML part, each a
/// ``TextTemplate``.
///
/// On disk a template named `first-login-student` is up to three UTF-8 files in one folder:
/// `first-login-student.subject` (one line), `first-login-student.txt` and, optionally,
/// `first-login-student.html`. Values inserted into the HTML part are HTML-escaped.
public struct MessageTemplate: Sendable, Equatable {
    public let name: String
    public let subject: TextTemplate
    public let text: TextTemplate
    public let html: TextTemplate?
    /// The folder the files were read from.
    public let folder: String

    /// A rendered message: what goes into a ``MailMessage``.
    public struct Rendered: Sendable, Equatable {
        public var subject: String
        public var text: String
        public var html: String?
    }

    // MARK: - Loading

    /// Reads and checks a template's files from `folder`.
    ///
    /// - Returns: nil when `folder` has neither the subject nor the text file.
    /// - Throws: ``TemplateError`` when a file cannot be read, only one of the two required
    ///   files exists, or a part has an unknown placeholder or a malformed tag.
    public static func load(name: String, folder: String) throws(TemplateError) -> MessageTemplate? {
        let subjectPath = path(folder, name, "subject")
        let textPath = path(folder, name, "txt")
        let htmlPath = path(folder, name, "html")
        let files = FileManager.default
        guard files.fileExists(atPath: subjectPath) || files.fileExists(atPath: textPath) else { return nil }

        let subjectSource = try read(subjectPath)
        let subjectLines = subjectSource.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
        let subjectLocation = TemplateLocation(template: name, file: "\(name).subject")
        guard subjectLines.count <= 1 else { throw .multilineSubject(at: subjectLocation) }
        let subject = try TextTemplate(parsing: String(subjectLines.first ?? "").trimmingSpaces(), location: subjectLocation)

        let text = try TextTemplate(parsing: try read(textPath), location: TemplateLocation(template: name, file: "\(name).txt"))
        var html: TextTemplate?
        if files.fileExists(atPath: htmlPath) {
            html = try TextTemplate(parsing: try read(htmlPath), location: TemplateLocation(template: name, file: "\(name).html"))
        }
        return MessageTemplate(name: name, subject: subject, text: text, html: html, folder: folder)
    }

    private static func path(_ folder: String, _ name: String, _ suffix: String) -> String {
        (folder as NSString).appendingPathComponent("\(name).\(suffix)")
    }

    private static func read(_ path: String) throws(TemplateError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
    }

    // MARK: - Rendering

    /// Renders every part with `values`, HTML-escaping what goes into the HTML part.
    ///
    /// - Throws: ``TemplateError/missingValue(placeholder:at:recipient:)`` naming the first
    ///   placeholder without a value.
    public func render(_ values: [String: TemplateValue], recipient: String) throws(TemplateError) -> Rendered {
        Rendered(
            subject: try subject.render(values, recipient: recipient),
            text: try text.render(values, recipient: recipient),
            html: try html?.render(values, recipient: recipient, escape: TextTemplate.escapeHTML))
    }
}
