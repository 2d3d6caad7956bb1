import Testing

@testable import Domain

/// A generator that returns fixed values, to check how random bytes become characters.
private struct ScriptedGenerator: RandomNumberGenerator {
    var values: [UInt64]

    mutating func next() -> UInt64 {
        values.removeFirst()
    }
}

/// Packs bytes into a UInt64 so that the first byte is the lowest, the order the generator
/// uses them in.
private func word(_ bytes: [UInt8]) -> UInt64 {
    bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
}

// MARK: - Alphabet and strength

@Test func alphabetLeavesOutLookAlikes() {
    let alphabet = CodeGenerator.alphabet

    #expect(alphabet.count == 29)
    #expect(Set(alphabet).count == 29)
    for character in "01OILUV" {
        #expect(!alphabet.contains(character), "\(character) is in the alphabet")
    }
    #expect(alphabet.allSatisfy { $0.isASCII && ($0.isNumber || $0.isUppercase) })
}

@Test func defaultCodesHaveDocumentedStrength() {
    #expect(CodeGenerator.studentPIN.length == 6)
    #expect(CodeGenerator.parentCode.length == 12)
    #expect(abs(CodeGenerator.studentPIN.entropyBits - 29.15) < 0.01)
    #expect(abs(CodeGenerator.parentCode.entropyBits - 58.30) < 0.01)
}

// MARK: - Generating

@Test func randomBytesAboveLimitAreRejected() {
    // 232 and 255 are rejected; 0, 29 and 58 map to "2", and 28, 57 and 231 to "Z".
    var generator = ScriptedGenerator(values: [word([232, 255, 0, 28, 231, 29, 57, 58])])

    #expect(CodeGenerator.studentPIN.generate(using: &generator) == "2ZZ2Z2")
}

@Test func generatorDrawsMoreWordsWhenBytesRunOut() {
    var generator = ScriptedGenerator(values: [
        word([255, 255, 255, 255, 255, 255, 255, 8]), word([9, 10, 11, 12, 13, 14, 15, 16]),
    ])

    #expect(CodeGenerator.studentPIN.generate(using: &generator) == "ABCDEF")
}

@Test(arguments: [CodeGenerator.studentPIN, CodeGenerator.parentCode, CodeGenerator(length: 20, groupSize: 5)])
func generatedCodesUseOnlyTheAlphabet(_ generator: CodeGenerator) {
    let alphabet = Set(CodeGenerator.alphabet)
    for _ in 0..<5_000 {
        let code = generator.generate()
        #expect(code.count == generator.length)
        #expect(code.allSatisfy(alphabet.contains), "\(code)")
    }
}

@Test func everyCharacterAppearsAboutEquallyOften() {
    // 20,000 PINs are 120,000 characters, about 4,138 of each. A count outside 3,100 to 5,200 is
    // more than 16 standard deviations from that, so this cannot fail by chance.
    var counts: [Character: Int] = [:]
    for _ in 0..<20_000 {
        for character in CodeGenerator.studentPIN.generate() {
            counts[character, default: 0] += 1
        }
    }

    #expect(Set(counts.keys) == Set(CodeGenerator.alphabet))
    for (character, count) in counts {
        #expect((3_100...5_200).contains(count), "\(character) appeared \(count) times")
    }
}

@Test func parentCodesDoNotRepeat() {
    let codes = (0..<10_000).map { _ in CodeGenerator.parentCode.generate() }

    #expect(Set(codes).count == codes.count)
}

// MARK: - Formatting

@Test func parentCodeIsFormattedInGroupsOfFour() {
    #expect(CodeGenerator.parentCode.format("ABCD2345XYZW") == "ABCD-2345-XYZW")
}

@Test func studentPINIsFormattedWithoutHyphens() {
    #expect(CodeGenerator.studentPIN.format("AB23CD") == "AB23CD")
}

@Test func formattedCodeNormalisesBack() throws {
    for _ in 0..<100 {
        let code = CodeGenerator.parentCode.generate()
        #expect(try CodeGenerator.parentCode.normalise(CodeGenerator.parentCode.format(code)) == code)
    }
}

// MARK: - Normalising

struct TypedCodeCase: CustomTestStringConvertible, Sendable {
    let typed: String
    let normalised: String

    var testDescription: String { "'\(typed)' normalises to \(normalised)" }
}

let typedCodeCases: [TypedCodeCase] = [
    TypedCodeCase(typed: "ABCD-2345-XYZW", normalised: "ABCD2345XYZW"),
    TypedCodeCase(typed: "abcd 2345 xyzw", normalised: "ABCD2345XYZW"),
    TypedCodeCase(typed: "  abcd2345xyzw\n", normalised: "ABCD2345XYZW"),
    TypedCodeCase(typed: "ABCD\u{2013}2345\u{2014}XYZW", normalised: "ABCD2345XYZW"),
    TypedCodeCase(typed: "A-B-C-D-2-3-4-5-X-Y-Z-W", normalised: "ABCD2345XYZW"),
]

@Test(arguments: typedCodeCases)
func typedCodeIsNormalised(_ testCase: TypedCodeCase) throws {
    #expect(try CodeGenerator.parentCode.normalise(testCase.typed) == testCase.normalised)
}

struct RejectedCodeCase: CustomTestStringConvertible, Sendable {
    let name: String
    let typed: String
    let error: LoginCodeError
    let message: String

    var testDescription: String { name }
}

let rejectedCodeCases: [RejectedCodeCase] = [
    RejectedCodeCase(
        name: "digit zero", typed: "AB0D-2345-XYZW", error: .invalidCharacter(position: 3, isLookAlike: true),
        message:
            "invalid code: character 3 cannot be in a code, which never uses 0, O, 1, I, L, U or V; check the code on the letter and type it again"
    ),
    RejectedCodeCase(
        name: "lower-case l after a hyphen", typed: "ABCD-l345-XYZW",
        error: .invalidCharacter(position: 5, isLookAlike: true),
        message:
            "invalid code: character 5 cannot be in a code, which never uses 0, O, 1, I, L, U or V; check the code on the letter and type it again"
    ),
    RejectedCodeCase(
        name: "letter U", typed: "ABCD2345XYZU", error: .invalidCharacter(position: 12, isLookAlike: true),
        message:
            "invalid code: character 12 cannot be in a code, which never uses 0, O, 1, I, L, U or V; check the code on the letter and type it again"
    ),
    RejectedCodeCase(
        name: "symbol", typed: "ABCD#345XYZW", error: .invalidCharacter(position: 5, isLookAlike: false),
        message:
            "invalid code: character 5 cannot be in a code, which uses only the digits 2 to 9 and letters; check the code on the letter and type it again"
    ),
    RejectedCodeCase(
        name: "accented letter", typed: "ÉBCD2345XYZW", error: .invalidCharacter(position: 1, isLookAlike: false),
        message:
            "invalid code: character 1 cannot be in a code, which uses only the digits 2 to 9 and letters; check the code on the letter and type it again"
    ),
    RejectedCodeCase(
        name: "one group missing", typed: "ABCD-2345", error: .wrongLength(length: 8, expected: 12),
        message: "invalid code: it has 8 characters, but a code has 12; check the code on the letter and type it again"),
    RejectedCodeCase(
        name: "empty", typed: " - ", error: .wrongLength(length: 0, expected: 12),
        message: "invalid code: it has 0 characters, but a code has 12; check the code on the letter and type it again"),
]

@Test(arguments: rejectedCodeCases)
func typedCodeIsRejected(_ testCase: RejectedCodeCase) {
    #expect(throws: testCase.error) {
        _ = try CodeGenerator.parentCode.normalise(testCase.typed)
    }
    #expect(testCase.error.description == testCase.message)
}
