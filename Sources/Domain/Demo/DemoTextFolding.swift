import Foundation

/// Turns names into the ASCII parts of usernames and email addresses, as schools' account
/// tools do: `Nguyễn` becomes `nguyen`, `Łukasz` becomes `lukasz`, `O'Brien` becomes `obrien`.
enum DemoTextFolding {
    /// Letters that Unicode does not decompose into an ASCII letter plus a mark.
    private static let replacements: [Character: String] = [
        "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
        "đ": "d", "Đ": "d", "ı": "i", "ð": "d", "þ": "th",
    ]

    /// Returns the name's letters and digits in lower-case ASCII, and drops everything else.
    static func asciiLowercase(_ name: String) -> String {
        var replaced = ""
        for character in name {
            replaced += replacements[character] ?? String(character)
        }

        // Canonical decomposition splits "ễ" into "e" and combining marks, which are then dropped.
        var result = ""
        for scalar in replaced.decomposedStringWithCanonicalMapping.unicodeScalars where scalar.isASCII {
            let character = Character(scalar)
            if character.isLetter || character.isNumber {
                result += character.lowercased()
            }
        }
        return result
    }
}
