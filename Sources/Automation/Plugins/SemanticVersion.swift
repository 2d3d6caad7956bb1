/// A semantic version, `MAJOR.MINOR.PATCH`, as plugins declare theirs.
///
/// Pre-release and build suffixes are not accepted: a plugin a school runs is a release.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int

    public init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses `1.4.2`; nil for anything else.
    public init?(_ text: String) {
        guard let parts = Self.numbers(text), parts.count == 3 else { return nil }
        self.init(parts[0], parts[1], parts[2])
    }

    /// The numbers of a dotted version of one to three parts, or nil.
    static func numbers(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 9, part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                part == "0" || !part.hasPrefix("0"), let number = Int(part)
            else { return nil }
            numbers.append(number)
        }
        return numbers
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    public static func < (first: SemanticVersion, second: SemanticVersion) -> Bool {
        (first.major, first.minor, first.patch) < (second.major, second.minor, second.patch)
    }
}

/// A range of versions, as npm and Cargo write them: comparisons joined by spaces, all of which
/// must hold.
///
/// ```
/// ">=1.2.0 <2.0.0"   at least 1.2.0 and below 2.0.0
/// "^1.2"             the same: compatible with 1.2
/// "~1.2.3"           at least 1.2.3 and below 1.3.0
/// "1.4.2" or "=1.4"  exactly 1.4.2; 1.4.x
/// "*"                any version
/// ```
public struct VersionRange: Sendable, Hashable, CustomStringConvertible {
    struct Bound: Sendable, Hashable {
        enum Comparison: String, Sendable { case atLeast = ">=", above = ">", atMost = "<=", below = "<" }
        let comparison: Comparison
        let version: SemanticVersion

        func admits(_ candidate: SemanticVersion) -> Bool {
            switch comparison {
            case .atLeast: return candidate >= version
            case .above: return candidate > version
            case .atMost: return candidate <= version
            case .below: return candidate < version
            }
        }
    }

    public let description: String
    let bounds: [Bound]

    /// Parses a range; nil when `text` is not one.
    public init?(_ text: String) {
        let terms = text.split(separator: " ").map(String.init)
        guard !terms.isEmpty else { return nil }
        var bounds: [Bound] = []
        for term in terms {
            guard let termBounds = Self.bounds(of: term) else { return nil }
            bounds += termBounds
        }
        self.description = terms.joined(separator: " ")
        self.bounds = bounds
    }

    public func contains(_ version: SemanticVersion) -> Bool {
        bounds.allSatisfy { $0.admits(version) }
    }

    private static func bounds(of term: String) -> [Bound]? {
        if term == "*" { return [] }
        for comparison in [Bound.Comparison.atLeast, .atMost, .above, .below] where term.hasPrefix(comparison.rawValue) {
            guard let parts = SemanticVersion.numbers(String(term.dropFirst(comparison.rawValue.count))) else { return nil }
            return [Bound(comparison: comparison, version: padded(parts))]
        }
        let operatorCharacter = term.first.flatMap { "^~=".contains($0) ? $0 : nil }
        guard let parts = SemanticVersion.numbers(operatorCharacter == nil ? term : String(term.dropFirst())) else { return nil }
        let lower = Bound(comparison: .atLeast, version: padded(parts))
        let upper: SemanticVersion
        // The first number that is not zero is the one a compatible change may not raise.
        if operatorCharacter == "^" {
            if parts[0] > 0 || parts.count == 1 {
                upper = SemanticVersion(parts[0] + 1, 0, 0)
            } else if parts[1] > 0 || parts.count == 2 {
                upper = SemanticVersion(0, parts[1] + 1, 0)
            } else {
                upper = SemanticVersion(0, 0, parts[2] + 1)
            }
        } else if operatorCharacter == "~" {
            upper = parts.count == 1 ? SemanticVersion(parts[0] + 1, 0, 0) : SemanticVersion(parts[0], parts[1] + 1, 0)
        } else if parts.count == 1 {
            upper = SemanticVersion(parts[0] + 1, 0, 0)
        } else if parts.count == 2 {
            upper = SemanticVersion(parts[0], parts[1] + 1, 0)
        } else {
            return [Bound(comparison: .atLeast, version: padded(parts)), Bound(comparison: .atMost, version: padded(parts))]
        }
        return [lower, Bound(comparison: .below, version: upper)]
    }

    private static func padded(_ parts: [Int]) -> SemanticVersion {
        SemanticVersion(parts[0], parts.count > 1 ? parts[1] : 0, parts.count > 2 ? parts[2] : 0)
    }
}
