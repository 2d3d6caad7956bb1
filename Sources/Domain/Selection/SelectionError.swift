/// Why a selection query was rejected. Each case carries the offending text and, where it
/// came from the query string, the 1-based column where the term starts.
public enum SelectionError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingColon(term: String, column: Int)
    case unknownKey(String, column: Int, suggestion: String?)
    case emptyValue(key: String, column: Int)
    case unknownValue(key: String, value: String, column: Int, allowed: [String], suggestion: String?)
    case invalidYear(String, column: Int)
    case invalidRange(String, column: Int)
    case invalidNumber(key: String, value: String, column: Int)
    case unterminatedQuote(column: Int)
    case listFileUnreadable(path: String, reason: String)
    case listFileEmpty(path: String)

    public var description: String {
        switch self {
        case .missingColon(let term, let column):
            return "invalid selection term '\(term)' at column \(column): write terms as key:value, for example year:7"
        case .unknownKey(let key, let column, let suggestion):
            let hint = suggestion.map { " Did you mean '\($0)'?" } ?? ""
            let keys = Selection.Key.allCases.map(\.rawValue).joined(separator: ", ")
            return "unknown selection key '\(key)' at column \(column).\(hint) Valid keys: \(keys)"
        case .emptyValue(let key, let column):
            return "selection term '\(key):' at column \(column) has no value; give one, for example \(key):\(Self.example(for: key))"
        case .unknownValue(let key, let value, let column, let allowed, let suggestion):
            let hint = suggestion.map { " Did you mean '\($0)'?" } ?? ""
            return "unknown value '\(value)' for '\(key)' at column \(column).\(hint) Valid values: \(allowed.joined(separator: ", "))"
        case .invalidYear(let value, let column):
            return "invalid year group '\(value)' at column \(column): use R or 1 to 13, a range such as 7..9, or a list such as 7,8"
        case .invalidRange(let value, let column):
            return "invalid range '\(value)' at column \(column): the first number must not be greater than the second, as in 7..9"
        case .invalidNumber(let key, let value, let column):
            return "invalid value '\(value)' for '\(key)' at column \(column): expected a whole number"
        case .unterminatedQuote(let column):
            return "unterminated quote starting at column \(column) of the selection; close it with a matching \""
        case .listFileUnreadable(let path, let reason):
            return "cannot read the list file '\(path)': \(reason); check the path after '@'"
        case .listFileEmpty(let path):
            return "the list file '\(path)' contains no UPNs or staff codes; put one per line in the first column"
        }
    }

    private static func example(for key: String) -> String {
        guard let parsed = Selection.Key(rawValue: key), let values = Selection.allowedValues(for: parsed) else {
            return key == "year" ? "7" : "…"
        }
        return values[0]
    }
}
