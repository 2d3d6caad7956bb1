/// Where a value came from: a file, and where known a line and a column.
public struct SourceLocation: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// The column's header name, as the file spells it.
    public var column: String?

    public init(file: String, line: Int? = nil, column: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `users.csv:12, column 'email'`
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += ", column '\(column)'" }
        return text
    }
}

/// One thing wrong with an import's input, with where it is and what to do.
public struct ImportProblem: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable {
        /// The row cannot be imported.
        case error
        /// The row imports, but an admin should look at it.
        case warning
    }

    public var severity: Severity
    public var location: SourceLocation
    /// What failed and what to do, naming the offending value.
    public var message: String

    public init(_ severity: Severity = .error, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// An import that was rejected; nothing was written.
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var problems: [ImportProblem]

    /// How many problems to print before summarising the rest.
    public static let displayLimit = 50

    public var description: String {
        let errors = problems.filter { $0.severity == .error }
        var lines = ["import of '\(source)' rejected: \(errors.count) invalid row\(errors.count == 1 ? "" : "s"); nothing was written"]
        for problem in errors.prefix(Self.displayLimit) {
            lines.append("  \(problem)")
        }
        if errors.count > Self.displayLimit {
            lines.append("  ... and \(errors.count - Self.displayLimit) more")
        }
        lines.append("Fix the rows and import again, or import the valid rows alone with --skip-invalid.")
        return lines.joined(separator: "\n")
    }
}

/// A whole input that cannot be read at all (missing file, wrong format).
public struct ImportInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether the input is absent or unreadable, or there but malformed.
    public enum Cause: Sendable, Equatable {
        case missing
        case malformed
    }

    public var location: SourceLocation
    public var message: String
    public var cause: Cause

    public init(at location: SourceLocation, _ message: String, cause: Cause = .malformed) {
        self.location = location
        self.message = message
        self.cause = cause
    }

    public var description: String { "\(location): \(message)" }
}
