import Foundation

/// Generates login codes (student PINs and parent codes) and normalises codes that people type.
///
/// ## Alphabet
/// Codes use the 29 characters `23456789ABCDEFGHJKMNPQRSTWXYZ`: the digits 2 to 9 and the
/// upper-case letters without I, L, O, U and V. Leaving out 0, 1, I, L and O means no code
/// contains a pair that looks alike in print (0/O, 1/I/L). U and V are left out as well,
/// because they look alike in handwriting, which is how codes get copied from a slip.
///
/// ## Strength
/// Each character carries log2(29) ≈ 4.86 bits. A student PIN of 6 characters has
/// 29^6 ≈ 5.9 × 10^8 values (29.1 bits), so it relies on the platform to limit guesses. A
/// parent code of 12 characters has 29^12 ≈ 3.5 × 10^17 values (58.3 bits).
///
/// ## Randomness
/// Characters come from a `RandomNumberGenerator`, by default `SystemRandomNumberGenerator`,
/// which the standard library documents as getrandom(2) on Linux (else /dev/urandom) and
/// arc4random_buf(3) on Apple platforms. Each random byte below 232 (8 × 29)
/// picks the character at `byte % 29`, and bytes from 232 up are rejected, so every character
/// is equally likely.
///
/// ## Typed input
/// ``normalise(_:)`` upper-cases, drops spaces and hyphens, and checks the length and the
/// characters. A typed 0, O, 1, I, L, U or V is rejected rather than mapped to another
/// character. None of them appears in any code, so each has no single character to map to.
/// A guess could also let a mistyped code match another family's code.
///
/// Uniqueness among live codes is the database's job: store ``normalise(_:)``'s result (the
/// form ``generate()`` returns) under a UNIQUE index, and generate again on a clash.
///
/// ```swift
/// let code = CodeGenerator.parentCode.generate()      // "7KQMXB2HRTN9"
/// CodeGenerator.parentCode.format(code)                // "7KQM-XB2H-RTN9"
/// try CodeGenerator.parentCode.normalise("7kqm xb2h-rtn9")  // "7KQMXB2HRTN9"
/// ```
public struct CodeGenerator: Equatable, Sendable {
    /// The characters codes are made of, in ascending ASCII order.
    public static let alphabet: [Character] = Array("23456789ABCDEFGHJKMNPQRSTWXYZ")
    private static let alphabetBytes: [UInt8] = Array("23456789ABCDEFGHJKMNPQRSTWXYZ".utf8)
    /// The largest multiple of the alphabet size that fits in a byte: random bytes from this
    /// value up are rejected.
    private static let rejectionLimit = UInt8(256 / 29 * 29)

    /// A student PIN: 6 characters, shown in one group.
    public static let studentPIN = CodeGenerator(length: 6, groupSize: nil)
    /// A parent code: 12 characters, shown as 3 groups of 4 joined by hyphens.
    public static let parentCode = CodeGenerator(length: 12, groupSize: 4)

    /// The number of characters in a code.
    public let length: Int
    /// The number of characters between hyphens in ``format(_:)``, or nil for no hyphens.
    public let groupSize: Int?

    /// Makes a generator of codes of `length` characters.
    ///
    /// - Parameters:
    ///   - length: the number of characters, at least 1.
    ///   - groupSize: the number of characters between hyphens when formatted, or nil.
    public init(length: Int, groupSize: Int?) {
        precondition(length >= 1, "CodeGenerator needs a length of at least 1, got \(length)")
        precondition(groupSize.map { $0 >= 1 } ?? true, "CodeGenerator needs a group size of at least 1")
        self.length = length
        self.groupSize = groupSize
    }

    /// The strength of a code in bits: `length × log2(29)`.
    public var entropyBits: Double {
        Double(length) * log2(Double(Self.alphabet.count))
    }

    // MARK: - Generating

    /// Generates a code from the system's secure random number generator, in normalised form
    /// (no hyphens).
    public func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// Generates a code from the given random number generator, in normalised form.
    ///
    /// Pass a seeded generator only in tests: login codes need `SystemRandomNumberGenerator`.
    public func generate<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        var code: [UInt8] = []
        code.reserveCapacity(length)
        var randomBits: UInt64 = 0
        var bytesLeft = 0

        while code.count < length {
            if bytesLeft == 0 {
                randomBits = generator.next()
                bytesLeft = 8
            }
            let byte = UInt8(truncatingIfNeeded: randomBits)
            randomBits >>= 8
            bytesLeft -= 1

            guard byte < Self.rejectionLimit else { continue }
            code.append(Self.alphabetBytes[Int(byte) % Self.alphabetBytes.count])
        }
        return String(decoding: code, as: UTF8.self)
    }

    // MARK: - Formatting

    /// Formats a normalised code for reading aloud and printing: groups joined by hyphens when
    /// ``groupSize`` is set, as in `7KQM-XB2H-RTN9`.
    public func format(_ code: String) -> String {
        guard let groupSize else { return code }
        var formatted = ""
        for (index, character) in code.enumerated() {
            if index > 0, index % groupSize == 0 { formatted.append("-") }
            formatted.append(character)
        }
        return formatted
    }

    // MARK: - Normalising

    /// Turns a code as someone typed it into the normalised form: upper case, without spaces
    /// or hyphens (including the en and em dashes that word processors substitute).
    ///
    /// - Throws: ``LoginCodeError`` when a character is not in ``alphabet`` or the length is
    ///   wrong. The error does not contain the typed code, because codes are secrets.
    public func normalise(_ typed: String) throws(LoginCodeError) -> String {
        var code: [UInt8] = []
        code.reserveCapacity(length)
        var position = 0

        for character in typed {
            if character.isWhitespace || Self.separators.contains(character) { continue }
            position += 1
            let upper = character.asciiValue.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
            guard let upper, Self.alphabetBytes.contains(upper) else {
                throw .invalidCharacter(position: position, isLookAlike: Self.lookAlikes.contains(character))
            }
            code.append(upper)
        }
        guard code.count == length else {
            throw .wrongLength(length: code.count, expected: length)
        }
        return String(decoding: code, as: UTF8.self)
    }

    /// Hyphen, non-breaking hyphen, figure dash, en dash, em dash and minus sign.
    private static let separators: Set<Character> = [
        "-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}",
    ]
    /// Characters left out of the alphabet because they look like others.
    private static let lookAlikes: Set<Character> = ["0", "1", "o", "O", "i", "I", "l", "L", "u", "U", "v", "V"]
}

/// An error from normalising a typed login code.
///
/// Unlike other Lanyard errors, no case carries the typed value, because a login code is a
/// secret and error messages may reach a log.
public enum LoginCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The character at a 1-based position (not counting spaces and hyphens) is not used in
    /// codes. `isLookAlike` is true for 0, O, 1, I, L, U and V.
    case invalidCharacter(position: Int, isLookAlike: Bool)
    /// The code has `length` characters, not counting spaces and hyphens.
    case wrongLength(length: Int, expected: Int)

    public var description: String {
        switch self {
        case .invalidCharacter(let position, true):
            return "invalid code: character \(position) cannot be in a code, which never uses 0, O, 1, I, L, U or V; check the code on the letter and type it again"
        case .invalidCharacter(let position, false):
            return "invalid code: character \(position) cannot be in a code, which uses only the digits 2 to 9 and letters; check the code on the letter and type it again"
        case .wrongLength(let length, let expected):
            return "invalid code: it has \(length) characters, but a code has \(expected); check the code on the letter and type it again"
        }
    }
}
