/// The number of terminal columns that text takes, close enough for names in accented Latin,
/// Greek, Cyrillic, CJK scripts and common emoji.
///
/// A character (grapheme cluster) takes 2 columns when its first scalar is East Asian Wide or
/// Fullwidth, or is shown as an emoji. It takes 0 columns when it is a control, format or
/// combining character on its own, and 1 column otherwise. Combining accents inside a cluster (`e` + U+0301) add nothing.
///
/// NOTE: The wide ranges below are a hand-picked subset of Unicode's EastAsianWidth.txt (W and
/// F), because the standard library does not expose that property. Rare wide characters outside
/// them count as 1 column.
public enum DisplayWidth {
    /// Returns the columns that `text` takes.
    public static func columns(of text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    /// Returns the columns that one character takes: 0, 1 or 2.
    public static func columns(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        let properties = first.properties

        switch properties.generalCategory {
        case .control, .format, .nonspacingMark, .enclosingMark:
            return 0
        default:
            break
        }
        if properties.isEmojiPresentation || character.unicodeScalars.contains("\u{FE0F}") {
            return 2
        }
        return isWide(first.value) ? 2 : 1
    }

    /// Returns `text` cut to at most `limit` columns, ending in `…` when anything was cut.
    public static func truncate(_ text: String, toColumns limit: Int) -> String {
        guard columns(of: text) > limit else { return text }
        guard limit > 0 else { return "" }

        var result = ""
        var used = 0
        for character in text {
            let width = columns(of: character)
            if used + width > limit - 1 { break }
            result.append(character)
            used += width
        }
        return result + "…"
    }

    /// Returns `text` padded with spaces to `width` columns, on the right or on the left.
    public static func pad(_ text: String, toColumns width: Int, alignRight: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - columns(of: text)))
        return alignRight ? padding + text : text + padding
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F,  // Hangul Jamo initial consonants
        0x2E80...0x303E,  // CJK radicals, Kangxi radicals, CJK symbols and punctuation
        0x3041...0x33FF,  // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, CJK compatibility
        0x3400...0x4DBF,  // CJK unified ideographs extension A
        0x4E00...0x9FFF,  // CJK unified ideographs
        0xA000...0xA4CF,  // Yi
        0xAC00...0xD7A3,  // Hangul syllables
        0xF900...0xFAFF,  // CJK compatibility ideographs
        0xFE30...0xFE4F,  // CJK compatibility forms
        0xFF00...0xFF60,  // Fullwidth forms
        0xFFE0...0xFFE6,  // Fullwidth signs
        0x1F300...0x1F64F,  // Pictographs and emoticons
        0x1F900...0x1F9FF,  // Supplemental symbols and pictographs
        0x20000...0x2FFFD,  // CJK unified ideographs extensions B to F
        0x30000...0x3FFFD,  // CJK unified ideographs extension G and later
    ]

    private static func isWide(_ value: UInt32) -> Bool {
        guard value >= 0x1100 else { return false }
        return wideRanges.contains { $0.contains(value) }
    }
}
