/// Conversion of UTF-16 bytes to UTF-8.
enum UTF16Conversion {
    /// Why UTF-16 bytes could not be converted: the 1-based line of the converted text where the
    /// bad code unit is.
    struct Failure: Error {
        var line: Int
    }

    /// Converts UTF-16 bytes in the given byte order to UTF-8.
    ///
    /// - Throws: ``Failure`` for an unpaired surrogate or an odd number of bytes.
    static func utf8(from bytes: UnsafeBufferPointer<UInt8>, bigEndian: Bool) throws(Failure) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 2 + bytes.count / 8)
        var line = 1
        var previousWasCR = false
        var index = 0

        func codeUnit(at offset: Int) -> UInt32 {
            let first = UInt32(bytes[offset])
            let second = UInt32(bytes[offset + 1])
            return bigEndian ? first << 8 | second : second << 8 | first
        }

        while index + 1 < bytes.count {
            var scalar = codeUnit(at: index)
            index += 2

            // Count lines as the reader does, so that an error names the line a text editor shows.
            if scalar == 0x0A {
                if !previousWasCR { line += 1 }
            } else if scalar == 0x0D {
                line += 1
            }
            previousWasCR = scalar == 0x0D

            // Combine a surrogate pair; a lone surrogate is an error.
            if scalar >= 0xD800, scalar <= 0xDBFF {
                guard index + 1 < bytes.count else { throw Failure(line: line) }
                let low = codeUnit(at: index)
                guard low >= 0xDC00, low <= 0xDFFF else { throw Failure(line: line) }
                index += 2
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00, scalar <= 0xDFFF {
                throw Failure(line: line)
            }

            appendUTF8(scalar, to: &output)
        }

        guard index == bytes.count else { throw Failure(line: line) }
        return output
    }

    private static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | (scalar >> 6)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | (scalar >> 12)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            output.append(UInt8(0xF0 | (scalar >> 18)))
            output.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
