import Testing

@testable import Domain

// MARK: - Valid

struct ValidEmailCase: CustomTestStringConvertible, Sendable {
    let text: String
    let normalised: String

    var testDescription: String { "'\(text)' is valid" }
}

let validEmailCases: [ValidEmailCase] = [
    ValidEmailCase(text: "jo.bloggs@school.org.uk", normalised: "jo.bloggs@school.org.uk"),
    ValidEmailCase(text: "  Jo.Bloggs@School.ORG.uk\t", normalised: "Jo.Bloggs@school.org.uk"),
    ValidEmailCase(text: "\u{A0}jo@school.org.uk\u{A0}", normalised: "jo@school.org.uk"),
    ValidEmailCase(text: "o'brien@school.org.uk", normalised: "o'brien@school.org.uk"),
    ValidEmailCase(text: "jo+homework@school.org.uk", normalised: "jo+homework@school.org.uk"),
    ValidEmailCase(text: "!#$%&'*+/=?^_`{|}~-@example.com", normalised: "!#$%&'*+/=?^_`{|}~-@example.com"),
    ValidEmailCase(text: "2019smithj@st-marys-academy.sch.uk", normalised: "2019smithj@st-marys-academy.sch.uk"),
    ValidEmailCase(text: "x@a1.co", normalised: "x@a1.co"),
    ValidEmailCase(text: "jo@xn--bcher-kva.example", normalised: "jo@xn--bcher-kva.example"),
    ValidEmailCase(text: "jo@123.school.uk", normalised: "jo@123.school.uk"),
    ValidEmailCase(
        text: String(repeating: "a", count: 64) + "@school.org.uk",
        normalised: String(repeating: "a", count: 64) + "@school.org.uk"),
]

@Test(arguments: validEmailCases)
func validEmailIsNormalised(_ testCase: ValidEmailCase) throws {
    let email = try EmailAddress(testCase.text)

    #expect(email.value == testCase.normalised)
    #expect(email.description == testCase.normalised)
}

@Test func emailPartsAreSplitAtTheAtSign() throws {
    let email = try EmailAddress("Jo.Bloggs@School.Org.UK")

    #expect(email.localPart == "Jo.Bloggs")
    #expect(email.domain == "school.org.uk")
}

@Test func emailsDifferingOnlyInDomainCaseAreEqual() throws {
    #expect(try EmailAddress("jo@SCHOOL.org.uk") == EmailAddress("jo@school.org.uk"))
    #expect(try EmailAddress("Jo@school.org.uk") != EmailAddress("jo@school.org.uk"))
}

@Test func emailOfMaximumLengthIsValid() throws {
    // 64 + 1 + 189 = 254 characters: the domain is labels of 61, 61 and 62 characters and "uk".
    let short = String(repeating: "d", count: 61)
    let long = String(repeating: "d", count: 62)
    let text = String(repeating: "a", count: 64) + "@" + [short, short, long].joined(separator: ".") + ".uk"

    #expect(text.count == 254)
    #expect(try EmailAddress(text).value == text)
}

// MARK: - Invalid

struct InvalidEmailCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let error: EmailAddressError
    let message: String

    var testDescription: String { name }
}

private let longLabel = String(repeating: "d", count: 64)
private let tooLongAddress =
    String(repeating: "a", count: 64) + "@" + String(repeating: "d", count: 61) + "."
    + String(repeating: "d", count: 62) + "." + String(repeating: "d", count: 62) + ".uk"

let invalidEmailCases: [InvalidEmailCase] = [
    InvalidEmailCase(
        name: "empty", text: "  ", error: .empty("  "),
        message: "invalid email '  ': it is empty; enter an address such as jo.bloggs@school.org.uk"),
    InvalidEmailCase(
        name: "no at sign", text: "jo.school.org.uk", error: .missingAtSign("jo.school.org.uk"),
        message: "invalid email 'jo.school.org.uk': it has no @; write it as name@domain, as in jo.bloggs@school.org.uk"
    ),
    InvalidEmailCase(
        name: "two addresses run together", text: "jo@school.org.uk@home.com",
        error: .multipleAtSigns("jo@school.org.uk@home.com", count: 2),
        message:
            "invalid email 'jo@school.org.uk@home.com': it has 2 @ signs, but an address has one; check for two addresses run together"
    ),
    InvalidEmailCase(
        name: "no name before the at sign", text: "@school.org.uk", error: .missingLocalPart("@school.org.uk"),
        message:
            "invalid email '@school.org.uk': the name before the @ is missing; add it, as in jo.bloggs@school.org.uk"),
    InvalidEmailCase(
        name: "space in the name", text: "jo bloggs@school.org.uk",
        error: .invalidLocalCharacter("jo bloggs@school.org.uk", character: " "),
        message:
            "invalid email 'jo bloggs@school.org.uk': the character ' ' is not allowed before the @; remove or replace it"
    ),
    InvalidEmailCase(
        name: "accented letter in the name", text: "zoë@school.org.uk",
        error: .invalidLocalCharacter("zoë@school.org.uk", character: "ë"),
        message:
            "invalid email 'zoë@school.org.uk': the character 'ë' is not allowed before the @; remove or replace it"),
    InvalidEmailCase(
        name: "quoted name", text: "\"jo\"@school.org.uk",
        error: .invalidLocalCharacter("\"jo\"@school.org.uk", character: "\""),
        message:
            "invalid email '\"jo\"@school.org.uk': the character '\"' is not allowed before the @; remove or replace it"
    ),
    InvalidEmailCase(
        name: "comma in the name", text: "jo,bloggs@school.org.uk",
        error: .invalidLocalCharacter("jo,bloggs@school.org.uk", character: ","),
        message:
            "invalid email 'jo,bloggs@school.org.uk': the character ',' is not allowed before the @; remove or replace it"
    ),
    InvalidEmailCase(
        name: "leading dot in the name", text: ".jo@school.org.uk",
        error: .misplacedDotInLocalPart(".jo@school.org.uk"),
        message:
            "invalid email '.jo@school.org.uk': the name before the @ starts or ends with a dot, or has two dots in a row; remove the extra dot"
    ),
    InvalidEmailCase(
        name: "trailing dot in the name", text: "jo.@school.org.uk",
        error: .misplacedDotInLocalPart("jo.@school.org.uk"),
        message:
            "invalid email 'jo.@school.org.uk': the name before the @ starts or ends with a dot, or has two dots in a row; remove the extra dot"
    ),
    InvalidEmailCase(
        name: "doubled dot in the name", text: "jo..bloggs@school.org.uk",
        error: .misplacedDotInLocalPart("jo..bloggs@school.org.uk"),
        message:
            "invalid email 'jo..bloggs@school.org.uk': the name before the @ starts or ends with a dot, or has two dots in a row; remove the extra dot"
    ),
    InvalidEmailCase(
        name: "name of 65 characters", text: String(repeating: "a", count: 65) + "@school.org.uk",
        error: .localPartTooLong(String(repeating: "a", count: 65) + "@school.org.uk", length: 65),
        message:
            "invalid email '\(String(repeating: "a", count: 65))@school.org.uk': the name before the @ has 65 characters, but at most 64 are allowed; check the address"
    ),
    InvalidEmailCase(
        name: "no domain", text: "jo@", error: .missingDomain("jo@"),
        message: "invalid email 'jo@': the domain after the @ is missing; add it, as in jo.bloggs@school.org.uk"),
    InvalidEmailCase(
        name: "domain without a dot", text: "jo@school", error: .domainWithoutDot("jo@school"),
        message: "invalid email 'jo@school': the domain needs a dot, as in school.org.uk"),
    InvalidEmailCase(
        name: "Unicode domain", text: "jo@bücher.example", error: .nonASCIIDomain("jo@bücher.example"),
        message:
            "invalid email 'jo@bücher.example': the domain has characters outside ASCII; write it in its ASCII form (starting xn--), as the mail provider lists it"
    ),
    InvalidEmailCase(
        name: "doubled dot in the domain", text: "jo@school..uk", error: .emptyDomainLabel("jo@school..uk"),
        message:
            "invalid email 'jo@school..uk': the domain starts or ends with a dot, or has two dots in a row; remove the extra dot"
    ),
    InvalidEmailCase(
        name: "trailing dot in the domain", text: "jo@school.org.", error: .emptyDomainLabel("jo@school.org."),
        message:
            "invalid email 'jo@school.org.': the domain starts or ends with a dot, or has two dots in a row; remove the extra dot"
    ),
    InvalidEmailCase(
        name: "underscore in the domain", text: "jo@st_marys.sch.uk",
        error: .invalidDomainLabel("jo@st_marys.sch.uk", label: "st_marys"),
        message:
            "invalid email 'jo@st_marys.sch.uk': the domain part 'st_marys' may contain only letters, digits and hyphens, and may not start or end with a hyphen; correct the domain"
    ),
    InvalidEmailCase(
        name: "domain label starting with a hyphen", text: "jo@-school.org.uk",
        error: .invalidDomainLabel("jo@-school.org.uk", label: "-school"),
        message:
            "invalid email 'jo@-school.org.uk': the domain part '-school' may contain only letters, digits and hyphens, and may not start or end with a hyphen; correct the domain"
    ),
    InvalidEmailCase(
        name: "domain label ending with a hyphen", text: "jo@school-.org.uk",
        error: .invalidDomainLabel("jo@school-.org.uk", label: "school-"),
        message:
            "invalid email 'jo@school-.org.uk': the domain part 'school-' may contain only letters, digits and hyphens, and may not start or end with a hyphen; correct the domain"
    ),
    InvalidEmailCase(
        name: "domain label of 64 characters", text: "jo@\(longLabel).uk",
        error: .domainLabelTooLong("jo@\(longLabel).uk", label: longLabel),
        message:
            "invalid email 'jo@\(longLabel).uk': the domain part '\(longLabel)' has 64 characters, but at most 63 are allowed; check the domain"
    ),
    InvalidEmailCase(
        name: "IP address as the domain", text: "jo@192.168.0.1",
        error: .numericTopLevelDomain("jo@192.168.0.1", topLevelDomain: "1"),
        message:
            "invalid email 'jo@192.168.0.1': the domain ends in '1', which is all digits; use a domain name, as in school.org.uk"
    ),
    InvalidEmailCase(
        name: "address of 255 characters", text: tooLongAddress,
        error: .tooLong(tooLongAddress, length: 255),
        message:
            "invalid email '\(tooLongAddress)': it has 255 characters, but an address has at most 254; check the address"
    ),
]

@Test(arguments: invalidEmailCases)
func invalidEmailIsRejected(_ testCase: InvalidEmailCase) {
    #expect(throws: testCase.error) {
        _ = try EmailAddress(testCase.text)
    }
    #expect(testCase.error.description == testCase.message)
}
