import Storage

/// A set of users described in Lanyard's one selection syntax, shared by the command line,
/// scripts, the REPL and plugins.
///
/// Terms are `key:value` and AND together; commas inside a value OR; `..` gives a range;
/// `@file` reads a column of UPNs or staff codes from a file; quotes keep spaces:
///
/// ```
/// role:student year:7..9 reg:7B,7C email:missing sso:no status:on-roll logged-in:never codes-read:never
/// upn:@list.csv name:"O'Brien"
/// ```
///
/// Unless a `status:` term is given, a selection holds only people on roll, because mailing
/// or printing for leavers is almost never what an admin means. `status:any` lifts that.
/// An empty selection (or `all`) is everyone on roll.
public struct Selection: Sendable, Equatable, CustomStringConvertible {
    public var terms: [Term]

    public init(terms: [Term] = []) {
        self.terms = terms
    }

    /// Parses the selection syntax.
    /// - Parameter baseDirectory: where relative `@file` paths start; the working folder if nil.
    /// - Throws: ``SelectionError`` naming the term, its position and the valid keys or values.
    public init(parsing query: String, baseDirectory: String? = nil) throws(SelectionError) {
        self.terms = try SelectionParser(query: query, baseDirectory: baseDirectory).parse()
    }

    /// This selection narrowed by more terms.
    public func narrowed(by other: Selection) -> Selection {
        Selection(terms: terms + other.terms)
    }

    public var description: String {
        terms.isEmpty ? "all" : terms.map(\.description).joined(separator: " ")
    }

    // MARK: - Terms

    /// One `key:value` term.
    public struct Term: Sendable, Equatable, CustomStringConvertible {
        public let key: Key
        public let condition: Condition

        public init(key: Key, condition: Condition) {
            self.key = key
            self.condition = condition
        }

        public var description: String { "\(key.rawValue):\(condition)" }
    }

    /// The keys a term can use.
    public enum Key: String, CaseIterable, Sendable {
        case role
        case year
        case reg
        case email
        case sso
        case status
        case loggedIn = "logged-in"
        case codesRead = "codes-read"
        case registered
        case upn
        case staff
        case name
        case school
        case id
    }

    /// The condition a term puts on its key.
    public enum Condition: Sendable, Equatable, CustomStringConvertible {
        /// Any of these values (commas in the query).
        case anyOf([String])
        /// Integers from `lower` to `upper` inclusive, and any of `extra`.
        case ranges([ClosedRange<Int>])

        public var description: String {
            switch self {
            case .anyOf(let values):
                return values.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: ",")
            case .ranges(let ranges):
                return ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)..\($0.upperBound)" }
                    .joined(separator: ",")
            }
        }

        var values: [String] {
            if case .anyOf(let values) = self { return values }
            return []
        }
    }

    /// The value words each enumerated key accepts.
    public static func allowedValues(for key: Key) -> [String]? {
        switch key {
        case .role: return Role.allCases.map(\.rawValue)
        case .email: return ["missing", "present"]
        case .sso: return ["yes", "no"]
        case .status: return ["on-roll", "left", "any"]
        case .loggedIn: return ["never", "ever"]
        case .codesRead: return ["never", "ever"]
        case .registered: return ["yes", "no"]
        case .year, .reg, .upn, .staff, .name, .school, .id: return nil
        }
    }

    // MARK: - SQL

    /// The selection as a parameterised SQL condition on the `users` table.
    ///
    /// Values are always bound as parameters, never spliced into the SQL text. Parameters are
    /// numbered from `firstParameter` so that callers can put their own before them.
    public func sqlCondition(firstParameter: Int = 1) -> (sql: String, parameters: [SQLValue]) {
        var compiler = SelectionCompiler(nextParameter: firstParameter)
        return compiler.compile(self)
    }
}
