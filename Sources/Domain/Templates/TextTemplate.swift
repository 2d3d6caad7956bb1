/// One part of a message template (its subject, plain text or HTML), parsed.
///
/// The syntax:
/// - `{{name}}` inserts a placeholder's value (see ``TemplatePlaceholder``). A placeholder with
///   no value (or empty text) is an error when the template is rendered, never a blank.
/// - `{{#if name}}...{{else}}...{{/if}}` keeps the first branch when `name` is a true flag or
///   non-empty text, the `{{else}}` branch otherwise. Conditions nest; `{{else}}` is optional.
/// - A line holding only a `{{#if}}`, `{{else}}` or `{{/if}}` tag (and spaces) is dropped
///   whole, so that blocks leave no blank lines behind.
///
/// ```
/// Dear {{forename}},
/// {{#if sso}}
/// Sign in with your {{sso_provider}} account.
/// {{else}}
/// Set your password here: {{link}}
/// {{/if}}
/// ```
public struct TextTemplate: Sendable, Equatable {
    indirect enum Node: Sendable, Equatable {
        case text(String)
        case placeholder(name: String, line: Int)
        case conditional(name: String, line: Int, then: [Node], otherwise: [Node])
    }

    /// The template's name and file, for errors.
    public let location: TemplateLocation
    let nodes: [Node]

    // MARK: - Parsing

    /// Parses template text.
    ///
    /// - Throws: ``TemplateError`` for an unknown placeholder, a malformed or unclosed tag, or
    ///   an `{{else}}` or `{{/if}}` without its `{{#if}}`, each with the file and line.
    public init(parsing source: String, location: TemplateLocation) throws(TemplateError) {
        self.location = location
        var parser = TemplateParser(location: location)
        self.nodes = try parser.parse(source)
    }

    // MARK: - Rendering

    /// Renders the template with `values`, passing each inserted value through `escape`.
    ///
    /// - Parameter recipient: who the message is for, named in errors.
    /// - Throws: ``TemplateError/missingValue(placeholder:at:recipient:)`` for a placeholder
    ///   with no value or empty text.
    public func render(
        _ values: [String: TemplateValue], recipient: String, escape: (String) -> String = { $0 }
    ) throws(TemplateError) -> String {
        var output = ""
        try render(nodes, values: values, recipient: recipient, escape: escape, into: &output)
        return output
    }

    private func render(
        _ nodes: [Node], values: [String: TemplateValue], recipient: String, escape: (String) -> String, into output: inout String
    ) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .placeholder(let name, let line):
                guard let value = values[name], !value.text.isEmpty else {
                    throw .missingValue(placeholder: name, at: location.at(line: line), recipient: recipient)
                }
                output += escape(value.text)
            case .conditional(let name, _, let then, let otherwise):
                let branch = values[name]?.isTrue == true ? then : otherwise
                try render(branch, values: values, recipient: recipient, escape: escape, into: &output)
            }
        }
    }

    /// The placeholders the template inserts, in order of first use, whatever the conditions.
    public var placeholders: [String] {
        var seen: [String] = []
        func walk(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .text: break
                case .placeholder(let name, _): if !seen.contains(name) { seen.append(name) }
                case .conditional(_, _, let then, let otherwise):
                    walk(then)
                    walk(otherwise)
                }
            }
        }
        walk(nodes)
        return seen
    }

    // MARK: - Escaping

    /// Escapes text for HTML element content and quoted attribute values.
    public static func escapeHTML(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

/// The origin of a template part: the template's name, its file and (for errors) a line.
public struct TemplateLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The template's name, such as `first-login-student`.
    public var template: String
    /// The file's name, such as `first-login-student.txt`.
    public var file: String
    public var line: Int?

    public init(template: String, file: String, line: Int? = nil) {
        self.template = template
        self.file = file
        self.line = line
    }

    func at(line: Int) -> TemplateLocation {
        TemplateLocation(template: template, file: file, line: line)
    }

    /// `template 'first-login-student' (first-login-student.txt, line 4)`
    public var description: String {
        let place = line.map { "\(file), line \($0)" } ?? file
        return "template '\(template)' (\(place))"
    }
}
