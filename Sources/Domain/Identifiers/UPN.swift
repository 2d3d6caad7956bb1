/// A Unique Pupil Number: the 13-character identifier the DfE gives every pupil in England.
///
/// A permanent UPN is a check letter then 12 digits (3-digit LA number, 4-digit establishment
/// number, 2-digit year of allocation, 3-digit serial). A temporary UPN is a check letter,
/// 11 digits and a final letter. The check letter is the weighted sum of characters 2 to 13
/// (weights 2 to 13) modulo 23, looked up in ``UPN/checkAlphabet``; a final letter counts as
/// its position in that alphabet.
///
/// Parsing trims surrounding spaces and upper-cases, as MIS exports are not consistent.
///
/// ```swift
/// let upn = try UPN("B801200005001")
/// upn.isTemporary  // false
/// ```
public struct UPN: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 23 letters that map to remainders 0...22; I, O and S are left out.
    public static let checkAlphabet: [Character] = Array("ABCDEFGHJKLMNPQRTUVWXYZ")

    /// The normalised 13 characters.
    public let value: String

    /// Validates and normalises a UPN.
    /// - Throws: ``UPNError`` saying what is wrong with it.
    public init(_ text: String) throws(UPNError) {
        // Work on ASCII bytes: a valid UPN is ASCII, and imports check one per row.
        var bytes = Array(text.utf8)
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0D || last == 0x0A { bytes.removeLast() }
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            let count = text.trimmingSpaces().count
            guard count == 13 else { throw .wrongLength(text, length: count) }
            let position = (Array(text.trimmingSpaces()).firstIndex { !$0.isASCII } ?? 0) + 1
            throw .invalidCharacter(text, position: max(position, 2))
        }
        for index in bytes.indices where bytes[index] >= 0x61 && bytes[index] <= 0x7A {
            bytes[index] -= 0x20
        }

        guard bytes.count == 13 else {
            throw .wrongLength(text, length: bytes.count)
        }
        for position in 1...11 where !(0x30...0x39).contains(bytes[position]) {
            throw .invalidCharacter(text, position: position + 1)
        }
        let normalised = String(decoding: bytes, as: UTF8.self)
        let characters = Array(normalised)
        let last = characters[12]
        guard last.isASCIIDigit || Self.checkAlphabet.contains(last) else {
            throw .invalidCharacter(text, position: 13)
        }
        guard let expected = Self.checkLetter(forSerial: String(characters[1...])) else {
            throw .invalidCharacter(text, position: 13)
        }
        guard characters[0] == expected else {
            throw .wrongCheckLetter(text, expected: expected)
        }
        self.value = normalised
    }

    /// Builds a UPN from a trusted, already valid string. Traps otherwise (programmer error).
    public init(validated text: String) {
        do {
            try self.init(text)
        } catch {
            preconditionFailure("UPN(validated:) was given an invalid UPN: \(error)")
        }
    }

    /// True for a temporary UPN (final character a letter), which the MIS replaces later.
    public var isTemporary: Bool { !(value.last?.isASCIIDigit ?? true) }

    public var description: String { value }

    public static func < (lhs: UPN, rhs: UPN) -> Bool { lhs.value < rhs.value }

    /// The check letter for characters 2 to 13, or nil when they are not 11 digits followed by
    /// a digit or a check-alphabet letter.
    public static func checkLetter(forSerial serial: String) -> Character? {
        let characters = Array(serial)
        guard characters.count == 12 else { return nil }

        var sum = 0
        for (offset, character) in characters.enumerated() {
            let weight = offset + 2
            if let digit = character.wholeNumberValue, character.isASCIIDigit {
                sum += digit * weight
            } else if offset == 11, let index = checkAlphabet.firstIndex(of: character) {
                sum += index * weight
            } else {
                return nil
            }
        }
        return checkAlphabet[sum % 23]
    }

    /// Makes a valid UPN from its parts, for generated data.
    /// - Parameters:
    ///   - la: the 3-digit local authority number.
    ///   - establishment: the 4-digit establishment number.
    ///   - year: the 2-digit year of allocation.
    ///   - serial: the 3-digit serial (permanent), or 2 digits when `temporaryLetter` is given.
    public static func make(la: Int, establishment: Int, year: Int, serial: Int, temporaryLetter: Character? = nil) -> UPN {
        var body = pad(la, 3) + pad(establishment, 4) + pad(year, 2)
        if let temporaryLetter {
            body += pad(serial, 2) + String(temporaryLetter)
        } else {
            body += pad(serial, 3)
        }
        let letter = checkLetter(forSerial: body)!
        return UPN(validated: String(letter) + body)
    }

    private static func pad(_ number: Int, _ width: Int) -> String {
        let digits = String(number % Int(pow10(width)))
        return String(repeating: "0", count: width - digits.count) + digits
    }

    private static func pow10(_ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { result, _ in result * 10 }
    }
}

/// Why a string is not a valid UPN. Each case carries the string as given.
public enum UPNError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongLength(String, length: Int)
    case invalidCharacter(String, position: Int)
    case wrongCheckLetter(String, expected: Character)

    public var description: String {
        switch self {
        case .wrongLength(let text, let length):
            return "invalid UPN '\(text)': it has \(length) characters, but a UPN has 13"
        case .invalidCharacter(let text, let position) where position == 13:
            return "invalid UPN '\(text)': character 13 must be a digit, or a letter other than I, O or S for a temporary UPN"
        case .invalidCharacter(let text, let position):
            return "invalid UPN '\(text)': character \(position) must be a digit"
        case .wrongCheckLetter(let text, let expected):
            return "invalid UPN '\(text)': the check letter should be '\(expected)'; check the UPN in the MIS for a typing error"
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
