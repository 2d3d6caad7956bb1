/// Writes CSV records as RFC 4180 describes: fields separated by commas, records ended by CRLF,
/// and a field quoted when it contains a comma, a double quote, a CR or an LF, with each double
/// quote doubled.
///
/// ```swift
/// let csv = CSVWriter(sink: console.standardOutput)
/// csv.write(["UPN", "Surname"])
/// csv.write(["B801200005001", "O'Brien, \"Jo\""])   // B801200005001,"O'Brien, ""Jo"""
/// ```
///
/// This is a plain writer for `--format csv` on standard output. It does not guard against
/// spreadsheet formula injection or keep Excel from reading `00123` as a number.
/// TODO: Use the Domain's mail merge CSV writer for files that admins open in Excel, once it
/// exists, and keep this one for machine-readable output.
public struct CSVWriter: Sendable {
    public let sink: any OutputSink
    /// The record terminator: CRLF by default, as RFC 4180 specifies.
    public let lineEnding: String

    public init(sink: any OutputSink, lineEnding: String = "\r\n") {
        self.sink = sink
        self.lineEnding = lineEnding
    }

    /// Writes one record.
    public func write(_ fields: [String]) {
        sink.write(Self.record(fields, lineEnding: lineEnding))
    }

    /// Returns one record with its line ending.
    public static func record(_ fields: [String], lineEnding: String = "\r\n") -> String {
        fields.map(field).joined(separator: ",") + lineEnding
    }

    /// Returns a field, quoted when needed.
    public static func field(_ value: String) -> String {
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return value }
        var quoted = "\""
        for character in value {
            quoted.append(character)
            if character == "\"" { quoted.append("\"") }
        }
        return quoted + "\""
    }
}
