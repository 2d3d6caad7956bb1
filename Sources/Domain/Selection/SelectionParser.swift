import Foundation

/// Turns selection text into terms, checking every key and value.
struct SelectionParser {
    let query: String
    let baseDirectory: String?

    /// A whitespace-separated word of the query and the 1-based column where it starts.
    private struct Word {
        var text: String
        var column: Int
    }

    func parse() throws(SelectionError) -> [Selection.Term] {
        var terms: [Selection.Term] = []
        for word in try words() {
            if word.text.lowercased() == "all" { continue }
            guard let colon = word.text.firstIndex(of: ":") else {
                throw .missingColon(term: word.text, column: word.column)
            }
            let keyText = word.text[..<colon].lowercased()
            let value = String(word.text[word.text.index(after: colon)...])
            guard let key = Selection.Key(rawValue: keyText) else {
                let suggestion = Suggestion.closest(to: keyText, in: Selection.Key.allCases.map(\.rawValue))
                throw .unknownKey(keyText, column: word.column, suggestion: suggestion)
            }
            guard !value.isEmpty else { throw .emptyValue(key: keyText, column: word.column) }
            terms.append(Selection.Term(key: key, condition: try condition(for: key, value: value, column: word.column)))
        }
        return terms
    }

    // MARK: - Words

    /// Splits on whitespace outside double quotes, removing the quotes.
    private func words() throws(SelectionError) -> [Word] {
        var words: [Word] = []
        var current: Word?
        var quoteColumn: Int?

        for (offset, character) in query.enumerated() {
            let column = offset + 1
            if character == "\"" {
                quoteColumn = quoteColumn == nil ? column : nil
                if current == nil { current = Word(text: "", column: column) }
                continue
            }
            if character.isWhitespace, quoteColumn == nil {
                if let finished = current { words.append(finished) }
                current = nil
                continue
            }
            if current == nil { current = Word(text: "", column: column) }
            current?.text.append(character)
        }
        if let quoteColumn { throw .unterminatedQuote(column: quoteColumn) }
        if let finished = current { words.append(finished) }
        return words
    }

    // MARK: - Values

    private func condition(for key: Selection.Key, value: String, column: Int) throws(SelectionError) -> Selection.Condition {
        switch key {
        case .year:
            return .ranges(try yearRanges(value, column: column))
        case .id:
            let ids = try value.split(separator: ",").map { (part) throws(SelectionError) -> ClosedRange<Int> in
                guard let number = Int(part) else { throw .invalidNumber(key: key.rawValue, value: String(part), column: column) }
                return number...number
            }
            return .ranges(ids)
        case .upn, .staff:
            if value.hasPrefix("@") {
                return .anyOf(try readListFile(String(value.dropFirst()), upperCased: key == .upn))
            }
            let items = splitList(value)
            return .anyOf(key == .upn ? items.map { $0.uppercased() } : items)
        case .name, .reg, .school:
            return .anyOf(splitList(value))
        case .role, .email, .sso, .status, .loggedIn, .codesRead, .registered:
            let allowed = Selection.allowedValues(for: key) ?? []
            var values: [String] = []
            for item in splitList(value) {
                var word = item.lowercased()
                if key == .role, word.hasSuffix("s"), allowed.contains(String(word.dropLast())) {
                    word.removeLast()
                }
                guard allowed.contains(word) else {
                    throw .unknownValue(
                        key: key.rawValue, value: item, column: column, allowed: allowed,
                        suggestion: Suggestion.closest(to: word, in: allowed))
                }
                values.append(word)
            }
            return .anyOf(values)
        }
    }

    private func splitList(_ value: String) -> [String] {
        value.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }

    private func yearRanges(_ value: String, column: Int) throws(SelectionError) -> [ClosedRange<Int>] {
        var ranges: [ClosedRange<Int>] = []
        for part in splitList(value) {
            let bounds = part.components(separatedBy: "..")
            guard bounds.count <= 2 else { throw .invalidYear(part, column: column) }
            guard let lower = YearGroup(parsing: bounds[0]) else { throw .invalidYear(part, column: column) }
            guard bounds.count == 2 else {
                ranges.append(lower.number...lower.number)
                continue
            }
            guard let upper = YearGroup(parsing: bounds[1]) else { throw .invalidYear(part, column: column) }
            guard lower <= upper else { throw .invalidRange(part, column: column) }
            ranges.append(lower.number...upper.number)
        }
        return ranges
    }

    /// Reads the first column of a list file, one key per line, skipping blank lines and a
    /// header line such as `UPN` or `Staff Code`.
    private func readListFile(_ path: String, upperCased: Bool) throws(SelectionError) -> [String] {
        let resolved: String
        if path.hasPrefix("/") || baseDirectory == nil {
            resolved = path
        } else {
            resolved = (baseDirectory! as NSString).appendingPathComponent(path)
        }
        let contents: String
        do {
            contents = try String(contentsOfFile: resolved, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: resolved) ? "it is not UTF-8 text" : "no such file"
            throw .listFileUnreadable(path: path, reason: reason)
        }

        var values: [String] = []
        for (index, line) in contents.split(whereSeparator: \.isNewline).enumerated() {
            var field = line.split(whereSeparator: { $0 == "," || $0 == "\t" || $0 == ";" }).first.map(String.init) ?? ""
            field = field.trimmingSpaces().trimmingCharacters(in: CharacterSet(charactersIn: "\"\u{FEFF}"))
            if field.isEmpty { continue }
            let lowered = field.lowercased()
            if index == 0, lowered == "upn" || lowered.contains("staff") || lowered == "code" { continue }
            values.append(upperCased ? field.uppercased() : field)
        }
        guard !values.isEmpty else { throw .listFileEmpty(path: path) }
        return values
    }
}
