import Foundation

/// Turns values into JSON text for `--json` and `--format json`, with sorted keys so that the
/// same data always gives the same bytes (diffs and tests stay stable).
public enum JSONOutput {
    /// Returns `value` as pretty-printed JSON with sorted keys and unescaped slashes, ending in a
    /// line break.
    ///
    /// ```swift
    /// struct Summary: Encodable { var imported: Int; var skipped: Int }
    /// console.write(try JSONOutput.encode(Summary(imported: 1204, skipped: 3)))
    /// ```
    ///
    /// - Throws: `EncodingError` when a value cannot be encoded, such as a `Double` that is not
    ///   finite.
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Returns a JSON object tree (dictionaries, arrays, strings, numbers, booleans, `NSNull`)
    /// as pretty-printed JSON with sorted keys, ending in a line break. For data that has no
    /// `Encodable` type, such as rows whose columns are chosen at run time.
    ///
    /// - Throws: ``JSONOutputError/notSerializable`` when the tree contains another type.
    public static func serialize(_ object: Any) throws(JSONOutputError) -> String {
        guard JSONSerialization.isValidJSONObject(object) else {
            throw .notSerializable(typeName: String(describing: type(of: object)))
        }
        do {
            let data = try JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self) + "\n"
        } catch {
            throw .notSerializable(typeName: String(describing: type(of: object)))
        }
    }
}

/// A value that cannot be written as JSON.
public enum JSONOutputError: Error, Sendable, Equatable, ReportableError {
    /// The object tree of type `typeName` contains a value that JSON has no form for.
    case notSerializable(typeName: String)

    public var message: String {
        switch self {
        case .notSerializable(let typeName):
            "Cannot write a value of type '\(typeName)' as JSON. Convert it to dictionaries, arrays, strings, numbers and booleans first."
        }
    }

    /// A programmer error: the command built output that JSON cannot hold.
    public var exitCode: ExitCode { .internalError }
}
