/// Why an MIS CSV report's columns could not be matched to fields.
public enum MISImportError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidMapping(String)
    case unknownField(String, mapping: String)
    case unknownColumn(String, mapping: String, header: [String])
    case missingColumns(file: String, fields: [String], header: [String])
    case duplicateMapping(String)
    /// A plugin's import layout failed on a row, or returned a field that does not exist.
    case rowTransformFailed(at: SourceLocation, reason: String)

    public var description: String {
        switch self {
        case .invalidMapping(let mapping):
            return "invalid --map '\(mapping)': write it as COLUMN=field, for example --map \"Pupil Email=email\""
        case .unknownField(let field, let mapping):
            let fields = MISField.allCases.map(\.rawValue).joined(separator: ", ")
            let hint = Suggestion.closest(to: field, in: MISField.allCases.map(\.rawValue)).map { " Did you mean '\($0)'?" } ?? ""
            return "unknown field '\(field)' in --map '\(mapping)'.\(hint) Valid fields: \(fields)"
        case .unknownColumn(let column, let mapping, let header):
            return "--map '\(mapping)' names column '\(column)', which the file does not have; its columns are: \(CSVTable.describe(header))"
        case .duplicateMapping(let mapping):
            return "--map '\(mapping)' maps a column or a field that an earlier --map already maps; give each column and each field once"
        case .rowTransformFailed(let location, let reason):
            return "\(location): the import layout's row transform failed: \(reason). Fix the layout, or import without --layout"
        case .missingColumns(let file, let fields, let header):
            return "'\(file)' has no column for \(fields.joined(separator: ", ")); its columns are: \(CSVTable.describe(header)). Name the column with --map COLUMN=field"
        }
    }
}
