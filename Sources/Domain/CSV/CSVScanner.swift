/// The byte-level CSV parser: splits UTF-8 text into records of fields, following RFC 4180
/// quoting, and tracks the physical line for every record and error.
///
/// It works on bytes and makes a `String` only once per field, because the text is known to be
/// valid UTF-8 and every byte it stops at (delimiter, quote, CR, LF) is ASCII.
struct CSVScanner {
    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D
    /// The maximum length of field text that an error message quotes, in bytes.
    private static let maxQuotedFieldLength = 60

    let delimiter: UInt8
    let source: String
    /// The header's field names, used to name the column in errors. Empty while reading the header.
    var header: [String] = []
    /// The offset of the next unread byte.
    private(set) var position: Int
    /// The 1-based line of the next unread byte.
    private(set) var line = 1

    init(delimiter: CSVDelimiter, source: String, start: Int) {
        self.delimiter = delimiter.rawValue
        self.source = source
        self.position = start
    }

    // MARK: - Records

    /// Reads the next record, skipping blank lines, or returns nil at the end of the text.
    ///
    /// - Throws: ``CSVReadError`` for an unterminated quoted field, a quote inside an unquoted
    ///   field, or text after a closing quote.
    mutating func nextRecord(in text: UnsafeBufferPointer<UInt8>) throws(CSVReadError) -> CSVRecord? {
        guard let base = text.baseAddress else { return nil }
        let end = text.count

        // Skip blank lines
        while position < end {
            let byte = base[position]
            guard byte == Self.lineFeed || byte == Self.carriageReturn else { break }
            consumeLineBreak(base, end)
        }
        guard position < end else { return nil }

        let recordLine = line
        var fields: [String] = []
        fields.reserveCapacity(max(header.count, 1))

        while true {
            let column = fields.count + 1

            if position < end, base[position] == Self.quote {
                fields.append(try readQuotedField(base, end, column: column))
            } else {
                fields.append(try readUnquotedField(base, end, column: column))
            }

            // After a field: a delimiter starts another field, a line break or the end of the
            // text ends the record.
            guard position < end else { break }
            let byte = base[position]
            if byte == delimiter {
                position += 1
                continue
            }
            consumeLineBreak(base, end)
            break
        }
        return CSVRecord(fields: fields, line: recordLine)
    }

    // MARK: - Fields

    private mutating func readUnquotedField(_ base: UnsafePointer<UInt8>, _ end: Int, column: Int) throws(CSVReadError)
        -> String
    {
        let start = position
        var index = position
        while index < end {
            let byte = base[index]
            if byte == delimiter || byte == Self.lineFeed || byte == Self.carriageReturn {
                break
            }
            if byte == Self.quote {
                let fieldEnd = endOfField(base, end, from: index)
                throw .quoteInUnquotedField(
                    positionOf(column: column, line: line),
                    field: excerpt(base, from: start, to: fieldEnd))
            }
            index += 1
        }
        position = index
        return String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self)
    }

    private mutating func readQuotedField(_ base: UnsafePointer<UInt8>, _ end: Int, column: Int) throws(CSVReadError)
        -> String
    {
        let openingQuote = position
        let startLine = line
        let start = position + 1
        var index = start
        var doubledQuotes = 0

        // Find the closing quote, counting doubled quotes and the line breaks inside the field.
        while true {
            guard index < end else {
                throw .unterminatedQuotedField(positionOf(column: column, line: startLine))
            }
            let byte = base[index]
            if byte == Self.quote {
                if index + 1 < end, base[index + 1] == Self.quote {
                    doubledQuotes += 1
                    index += 2
                    continue
                }
                break
            }
            if byte == Self.lineFeed {
                line += 1
            } else if byte == Self.carriageReturn {
                line += 1
                if index + 1 < end, base[index + 1] == Self.lineFeed { index += 1 }
            }
            index += 1
        }
        let contentEnd = index
        position = index + 1

        // Only a delimiter, a line break or the end of the text may follow the closing quote.
        if position < end {
            let next = base[position]
            if next != delimiter, next != Self.lineFeed, next != Self.carriageReturn {
                let fieldEnd = endOfField(base, end, from: position)
                throw .textAfterClosingQuote(
                    positionOf(column: column, line: line),
                    field: excerpt(base, from: openingQuote, to: fieldEnd))
            }
        }

        let content = UnsafeBufferPointer(start: base + start, count: contentEnd - start)
        if doubledQuotes == 0 {
            return String(decoding: content, as: UTF8.self)
        }
        return String(unsafeUninitializedCapacity: content.count - doubledQuotes) { output in
            var written = 0
            var offset = 0
            while offset < content.count {
                let byte = content[offset]
                output[written] = byte
                written += 1
                // The first quote of a pair is kept, and the second skipped.
                offset += byte == Self.quote ? 2 : 1
            }
            return written
        }
    }

    // MARK: - Helpers

    /// Consumes one CRLF, LF or CR at `position`, counting one line.
    private mutating func consumeLineBreak(_ base: UnsafePointer<UInt8>, _ end: Int) {
        if base[position] == Self.carriageReturn, position + 1 < end, base[position + 1] == Self.lineFeed {
            position += 2
        } else {
            position += 1
        }
        line += 1
    }

    /// Finds the delimiter or line break that ends a malformed field, so that errors can quote it.
    private func endOfField(_ base: UnsafePointer<UInt8>, _ end: Int, from index: Int) -> Int {
        var index = index
        while index < end, base[index] != delimiter, base[index] != Self.lineFeed, base[index] != Self.carriageReturn {
            index += 1
        }
        return index
    }

    /// Returns the text between two offsets for an error message: cut at
    /// ``maxQuotedFieldLength`` bytes with an ellipsis, and with CR and LF written as `\r` and `\n`.
    private func excerpt(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> String {
        var length = min(end - start, Self.maxQuotedFieldLength)
        // Cut before a UTF-8 continuation byte, so that no character is split.
        while length < end - start, length > 0, base[start + length] & 0xC0 == 0x80 {
            length -= 1
        }
        var text = String(decoding: UnsafeBufferPointer(start: base + start, count: length), as: UTF8.self)
        // Keep the message on one line when the field spans several.
        text = text.replacingLineBreaksWithEscapes()
        return length < end - start ? text + "…" : text
    }

    private func positionOf(column: Int, line: Int) -> CSVPosition {
        let name = column <= header.count ? header[column - 1] : nil
        return CSVPosition(source: source, line: line, column: column, columnName: name)
    }
}

extension String {
    /// Returns the string with each CR written as `\r` and each LF as `\n`.
    fileprivate func replacingLineBreaksWithEscapes() -> String {
        var escaped = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\r": escaped += "\\r"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
