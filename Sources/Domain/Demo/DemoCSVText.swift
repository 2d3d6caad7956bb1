/// CSV text built in memory for the demo files: RFC 4180 quoting, CRLF after every row, and an
/// optional UTF-8 byte order mark as Excel writes it.
///
/// Fields are written as given: no formula-injection guard, because these files stand for what
/// an MIS or a data-sync service exports, not for a file a person opens in Excel.
struct DemoCSVText {
    private(set) var text: String
    private(set) var rowCount = 0

    init(header: [String], byteOrderMark: Bool = false) {
        text = byteOrderMark ? "\u{FEFF}" : ""
        text += Self.line(header)
    }

    mutating func appendRow(_ fields: [String]) {
        text += Self.line(fields)
        rowCount += 1
    }

    /// Joins the fields with commas, and quotes each one that contains a comma, a quote or a line break.
    static func line(_ fields: [String]) -> String {
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 {
                line += ","
            }
            line += quotedIfNeeded(field)
        }
        return line + "\r\n"
    }

    static func quotedIfNeeded(_ field: String) -> String {
        // Byte checks: commas, quotes and line breaks are ASCII, and UTF-8 never reuses their bytes.
        let needsQuotes = field.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 13 || $0 == 10
        }
        guard needsQuotes else {
            return field
        }
        return "\"" + field.replacingAllQuotes() + "\""
    }
}

extension String {
    /// Returns the string with every `"` doubled, as RFC 4180 quoting needs.
    fileprivate func replacingAllQuotes() -> String {
        var result = ""
        for character in self {
            result.append(character)
            if character == "\"" {
                result.append("\"")
            }
        }
        return result
    }
}
