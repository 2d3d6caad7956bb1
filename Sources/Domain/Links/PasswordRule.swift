/// The rule for passwords that users set: at least 10 characters, with a digit, a lower-case
/// letter, an upper-case letter and a symbol. "Characters" are Unicode grapheme clusters, and
/// letters may be from any script, so "Zoë" has a lower-case letter.
///
/// ```swift
/// try PasswordRule.check("Correct-h0rse")  // passes
/// ```
public enum PasswordRule {
    public static let minimumLength = 10

    /// One part of the rule that a password can miss.
    public enum Requirement: String, CaseIterable, Sendable, Codable {
        case length = "at least 10 characters"
        case digit = "a digit"
        case lowercase = "a lower-case letter"
        case uppercase = "an upper-case letter"
        case symbol = "a symbol"
    }

    /// Returns the requirements that `password` misses, in the order of ``Requirement``.
    public static func missingRequirements(of password: String) -> [Requirement] {
        var missing: [Requirement] = []
        if password.count < minimumLength { missing.append(.length) }
        if !password.contains(where: \.isNumber) { missing.append(.digit) }
        if !password.contains(where: \.isLowercase) { missing.append(.lowercase) }
        if !password.contains(where: \.isUppercase) { missing.append(.uppercase) }
        let hasSymbol = password.contains { character in
            !character.isLetter && !character.isNumber && !character.isWhitespace
        }
        if !hasSymbol { missing.append(.symbol) }
        return missing
    }

    /// Checks `password` against the rule.
    ///
    /// - Throws: ``LinkError/weakPassword(missing:)`` naming each missing requirement, never
    ///   the password.
    public static func check(_ password: String) throws(LinkError) {
        let missing = missingRequirements(of: password)
        guard missing.isEmpty else { throw .weakPassword(missing: missing) }
    }
}
