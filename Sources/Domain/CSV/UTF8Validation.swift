/// A check of UTF-8 well-formedness that reports where the first bad byte is.
enum UTF8Validation {
    /// Returns the offset of the first byte that does not start or continue a well-formed UTF-8
    /// sequence, or nil when every byte is valid.
    ///
    /// Rejects overlong forms, surrogates (U+D800 to U+DFFF) and scalars above U+10FFFF, as
    /// Unicode's table of well-formed byte sequences (Unicode 15, table 3-7) requires.
    static func firstInvalidOffset(in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var index = start

        while index < count {
            // Skip runs of ASCII eight bytes at a time: CSV text is mostly ASCII.
            if index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                    continue
                }
            }

            let lead = bytes[index]
            let length: Int
            var secondLow: UInt8 = 0x80
            var secondHigh: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F:
                index += 1
                continue
            case 0xC2...0xDF:
                length = 2
            case 0xE0:
                length = 3
                secondLow = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF:
                length = 3
            case 0xED:
                length = 3
                secondHigh = 0x9F
            case 0xF0:
                length = 4
                secondLow = 0x90
            case 0xF1...0xF3:
                length = 4
            case 0xF4:
                length = 4
                secondHigh = 0x8F
            default:
                return index
            }

            guard index + length <= count else { return index }
            let second = bytes[index + 1]
            guard second >= secondLow, second <= secondHigh else { return index }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 {
                return index
            }
            index += length
        }
        return nil
    }
}
