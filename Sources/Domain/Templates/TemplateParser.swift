/// Turns template text into ``TextTemplate`` nodes, checking every tag.
struct TemplateParser {
    let location: TemplateLocation

    /// One tag between `{{` and `}}`.
    private enum Tag {
        case placeholder(String)
        case openIf(String)
        case otherwise
        case closeIf

        var isBlock: Bool {
            if case .placeholder = self { return false }
            return true
        }
    }

    /// A `{{#if}}` whose nodes are still being collected.
    private struct OpenBlock {
        var name: String
        var line: Int
        var then: [TextTemplate.Node] = []
        var otherwise: [TextTemplate.Node] = []
        var inElse = false
    }

    init(location: TemplateLocation) {
        self.location = location
    }

    mutating func parse(_ source: String) throws(TemplateError) -> [TextTemplate.Node] {
        var root: [TextTemplate.Node] = []
        var stack: [OpenBlock] = []

        func append(_ node: TextTemplate.Node) {
            if stack.isEmpty {
                root.append(node)
            } else if stack[stack.count - 1].inElse {
                stack[stack.count - 1].otherwise.append(node)
            } else {
                stack[stack.count - 1].then.append(node)
            }
        }

        for (index, line) in Self.lines(of: source).enumerated() {
            let number = index + 1
            let pieces = try split(line, lineNumber: number)

            // A line with one block tag and only spaces around it disappears, line end and all.
            let texts = pieces.compactMap { if case .text(let text) = $0 { return text } else { return nil } }
            let tags = pieces.compactMap { if case .tag(let tag) = $0 { return tag } else { return nil } }
            let isStandalone = tags.count == 1 && tags[0].isBlock && texts.allSatisfy { $0.allSatisfy(\.isWhitespace) }
            let kept = isStandalone ? pieces.filter { if case .tag = $0 { return true } else { return false } } : pieces

            for piece in kept {
                switch piece {
                case .text(let text):
                    append(.text(text))
                case .tag(.placeholder(let name)):
                    append(.placeholder(name: name, line: number))
                case .tag(.openIf(let name)):
                    stack.append(OpenBlock(name: name, line: number))
                case .tag(.otherwise):
                    guard let last = stack.indices.last, !stack[last].inElse else {
                        throw .unexpectedTag("{{else}}", at: location.at(line: number))
                    }
                    stack[last].inElse = true
                case .tag(.closeIf):
                    guard let block = stack.popLast() else { throw .unexpectedTag("{{/if}}", at: location.at(line: number)) }
                    append(.conditional(name: block.name, line: block.line, then: block.then, otherwise: block.otherwise))
                }
            }
        }
        if let open = stack.last {
            throw .unclosedCondition(name: open.name, at: location.at(line: open.line))
        }
        return Self.merged(root)
    }

    // MARK: - Lines and tags

    private enum Piece {
        case text(String)
        case tag(Tag)
    }

    /// Splits text into lines that keep their line ends, so that output keeps them too.
    private static func lines(of source: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for character in source {
            current.append(character)
            if character == "\n" || character == "\r\n" {
                lines.append(current)
                current = ""
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    private func split(_ line: String, lineNumber: Int) throws(TemplateError) -> [Piece] {
        var pieces: [Piece] = []
        var rest = Substring(line)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw .unclosedTag(at: location.at(line: lineNumber))
            }
            let content = String(rest[open.upperBound..<close.lowerBound])
            pieces.append(.tag(try tag(content, lineNumber: lineNumber)))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        return pieces
    }

    private func tag(_ content: String, lineNumber: Int) throws(TemplateError) -> Tag {
        let words = content.split(whereSeparator: \.isWhitespace).map(String.init)
        let place = location.at(line: lineNumber)
        switch words.first {
        case "else" where words.count == 1:
            return .otherwise
        case "/if" where words.count == 1:
            return .closeIf
        case "#if" where words.count == 2:
            try check(words[1], at: place)
            return .openIf(words[1])
        case .some(let name) where words.count == 1 && !name.hasPrefix("#") && !name.hasPrefix("/"):
            try check(name, at: place)
            return .placeholder(name)
        default:
            throw .malformedTag("{{\(content)}}", at: place)
        }
    }

    private func check(_ name: String, at place: TemplateLocation) throws(TemplateError) {
        guard TemplatePlaceholder.names.contains(name) else {
            throw .unknownPlaceholder(name, at: place, suggestion: Suggestion.closest(to: name, in: TemplatePlaceholder.all.map(\.name)))
        }
    }

    /// Joins neighbouring text nodes, which splitting by line leaves apart.
    private static func merged(_ nodes: [TextTemplate.Node]) -> [TextTemplate.Node] {
        var result: [TextTemplate.Node] = []
        for node in nodes {
            switch node {
            case .text(let text):
                if case .text(let previous) = result.last {
                    result[result.count - 1] = .text(previous + text)
                } else {
                    result.append(node)
                }
            case .conditional(let name, let line, let then, let otherwise):
                result.append(.conditional(name: name, line: line, then: merged(then), otherwise: merged(otherwise)))
            case .placeholder:
                result.append(node)
            }
        }
        return result
    }
}
