/// CSV file bytes as UTF-8 text, with where the text starts after any byte order mark and the
/// encoding the bytes were read as.
struct CSVDecodedText {
    var utf8: [UInt8]
    var start: Int
    var encoding: CSVEncoding
}

/// Converts the bytes of a CSV file to UTF-8 text once, before parsing, so that the parser
/// handles only UTF-8.
enum CSVTextDecoder {
    // MARK: - Byte order marks

    private enum ByteOrderMark {
        case utf8, utf16LittleEndian, utf16BigEndian

        init?(_ bytes: [UInt8]) {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                self = .utf8
            } else if bytes.starts(with: [0xFF, 0xFE]) {
                self = .utf16LittleEndian
            } else if bytes.starts(with: [0xFE, 0xFF]) {
                self = .utf16BigEndian
            } else {
                return nil
            }
        }

        var length: Int { self == .utf8 ? 3 : 2 }
    }

    // MARK: - Decoding

    /// Decodes file bytes in the given encoding, or detects it when `encoding` is nil.
    ///
    /// - Throws: ``CSVReadError/invalidUTF8(source:line:)`` when UTF-8 was given or declared by
    ///   a byte order mark and the bytes are not UTF-8,
    ///   ``CSVReadError/mixedEncoding(source:line:)`` when the encoding is detected and the
    ///   bytes mix valid multi-byte UTF-8 with invalid bytes, and
    ///   ``CSVReadError/invalidUTF16(source:line:)`` for broken UTF-16.
    static func decode(_ bytes: [UInt8], encoding: CSVEncoding?, source: String) throws(CSVReadError) -> CSVDecodedText
    {
        let mark = ByteOrderMark(bytes)

        switch (encoding, mark) {
        case (nil, .utf16LittleEndian?), (nil, .utf16BigEndian?):
            return try decodeUTF16(bytes, bigEndian: mark == .utf16BigEndian, skipping: 2, source: source)

        case (nil, .utf8?), (.utf8?, _):
            let start = mark == .utf8 ? 3 : 0
            try validateUTF8(bytes, from: start, source: source)
            return CSVDecodedText(utf8: bytes, start: start, encoding: .utf8)

        case (nil, nil) where bytes.count >= 2 && (bytes[0] == 0) != (bytes[1] == 0):
            // UTF-16 without a byte order mark: text starting with an ASCII character has one
            // zero byte in its first code unit, which UTF-8 text never has.
            return try decodeUTF16(bytes, bigEndian: bytes[0] == 0, skipping: 0, source: source)

        case (nil, nil):
            let badOffset = bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset(in: $0) }
            guard let badOffset else {
                return CSVDecodedText(utf8: bytes, start: 0, encoding: .utf8)
            }
            // Valid multi-byte UTF-8 next to invalid bytes means the file mixes encodings (a
            // UTF-8 file edited in another program, or files joined together). Reading it all as
            // Windows-1252 would turn `ą` into `Ä…`, so the admin has to choose.
            // NOTE: Windows-1252 text can form a valid UTF-8 pair by chance, such as `Ã©`, and
            // such a file is then rejected too. `--encoding windows-1252` reads it.
            let hasMultibyte = bytes.withUnsafeBufferPointer { containsMultibyteUTF8($0) }
            if hasMultibyte {
                let line = bytes.withUnsafeBufferPointer { lineNumber(at: badOffset, in: $0, from: 0) }
                throw .mixedEncoding(source: source, line: line)
            }
            return decodeWindows1252(bytes)

        case (.utf16?, _):
            let bigEndian: Bool
            var skipped = 0
            if mark == .utf16LittleEndian || mark == .utf16BigEndian {
                bigEndian = mark == .utf16BigEndian
                skipped = 2
            } else {
                bigEndian = bytes.count >= 2 && bytes[0] == 0 && bytes[1] != 0
            }
            return try decodeUTF16(bytes, bigEndian: bigEndian, skipping: skipped, source: source)

        case (.windows1252?, _):
            return decodeWindows1252(bytes)
        }
    }

    /// Returns whether the bytes contain at least one well-formed UTF-8 sequence of two to
    /// four bytes.
    private static func containsMultibyteUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in bytes.indices {
            let length: Int
            switch bytes[index] {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: continue
            }
            guard index + length <= bytes.count else { continue }
            let sequence = UnsafeBufferPointer(rebasing: bytes[index..<(index + length)])
            if UTF8Validation.firstInvalidOffset(in: sequence) == nil { return true }
        }
        return false
    }

    private static func validateUTF8(_ bytes: [UInt8], from start: Int, source: String) throws(CSVReadError) {
        let badOffset = bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset(in: $0, from: start) }
        guard let badOffset else { return }
        let line = bytes.withUnsafeBufferPointer { lineNumber(at: badOffset, in: $0, from: start) }
        throw .invalidUTF8(source: source, line: line)
    }

    private static func decodeUTF16(_ bytes: [UInt8], bigEndian: Bool, skipping count: Int, source: String)
        throws(CSVReadError) -> CSVDecodedText
    {
        do {
            let utf8 = try bytes.withUnsafeBufferPointer { buffer throws(UTF16Conversion.Failure) in
                try UTF16Conversion.utf8(from: UnsafeBufferPointer(rebasing: buffer[count...]), bigEndian: bigEndian)
            }
            return CSVDecodedText(utf8: utf8, start: 0, encoding: .utf16)
        } catch {
            throw .invalidUTF16(source: source, line: error.line)
        }
    }

    private static func decodeWindows1252(_ bytes: [UInt8]) -> CSVDecodedText {
        let utf8 = bytes.withUnsafeBufferPointer { Windows1252.utf8(from: $0) }
        return CSVDecodedText(utf8: utf8, start: 0, encoding: .windows1252)
    }

    // MARK: - Line numbers

    /// Returns the 1-based line of a byte offset, counting CRLF, LF and CR each as one line break.
    static func lineNumber(at offset: Int, in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var line = 1
        var index = start
        while index < offset {
            let byte = text[index]
            if byte == 0x0A {
                line += 1
            } else if byte == 0x0D {
                line += 1
                if index + 1 < offset, text[index + 1] == 0x0A { index += 1 }
            }
            index += 1
        }
        return line
    }
}
