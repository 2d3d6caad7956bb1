/// A message template that cannot be loaded or rendered, with the template, file and line.
public enum TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The template names a placeholder that Lanyard does not fill.
    case unknownPlaceholder(String, at: TemplateLocation, suggestion: String?)
    /// A placeholder has no value for this recipient, so the message would have a blank.
    case missingValue(placeholder: String, at: TemplateLocation, recipient: String)
    /// A `{{...}}` tag that is neither a placeholder nor `#if`, `else` or `/if`.
    case malformedTag(String, at: TemplateLocation)
    /// A `{{` without its `}}` on the same line.
    case unclosedTag(at: TemplateLocation)
    /// An `{{else}}` or `{{/if}}` with no open `{{#if}}`, or a second `{{else}}`.
    case unexpectedTag(String, at: TemplateLocation)
    /// An `{{#if}}` never closed by `{{/if}}`; the location is the `{{#if}}`'s line.
    case unclosedCondition(name: String, at: TemplateLocation)
    /// The subject file contains more than one line of text.
    case multilineSubject(at: TemplateLocation)
    /// No folder has the template's files.
    case notFound(name: String, searched: [String])
    /// A template file exists but cannot be read.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unknownPlaceholder(let name, let location, let suggestion):
            let hint = suggestion.map { " Did you mean '{{\($0)}}'?" } ?? ""
            return "\(location) uses the unknown placeholder '{{\(name)}}'.\(hint) Use one of: \(TemplatePlaceholder.all.map(\.name).joined(separator: ", "))"
        case .missingValue(let placeholder, let location, let recipient):
            return "\(location) uses '{{\(placeholder)}}', which has no value for \(recipient); fill it in the directory, or wrap it in {{#if \(placeholder)}}...{{/if}}"
        case .malformedTag(let tag, let location):
            return "\(location) has the tag '\(tag)', which is not a placeholder; write {{name}}, {{#if name}}, {{else}} or {{/if}}"
        case .unclosedTag(let location):
            return "\(location) opens a tag with '{{' but does not close it with '}}' on the same line; close it"
        case .unexpectedTag(let tag, let location):
            return "\(location) has '\(tag)' without a matching '{{#if ...}}'; add the {{#if}} or remove the tag"
        case .unclosedCondition(let name, let location):
            return "\(location) opens '{{#if \(name)}}' but never closes it; add {{/if}}"
        case .multilineSubject(let location):
            return "\(location) has more than one line of text; a subject is one line, so remove the others"
        case .notFound(let name, let searched):
            return "no template '\(name)' (\(name).subject and \(name).txt) in \(searched.map { "'\($0)'" }.joined(separator: " or ")); check the name with 'lanyard links preview', or add the files"
        case .unreadable(let path, let reason):
            return "cannot read the template file '\(path)': \(reason); check that it exists and is UTF-8 text"
        }
    }
}
