/// A table of text for the terminal: a header row, a rule, and one line per row, with columns
/// aligned by display width and cut with `…` to fit the terminal.
///
/// ```swift
/// var table = TextTable(columns: [
///     .init("UPN"), .init("Name"), .init("Year", alignment: .right),
/// ])
/// table.append(["B801200005001", "Zoë Ní Bhriain", "7"])
/// console.write(table.render(maxWidth: console.tableWidth))
/// ```
public struct TextTable: Sendable {
    /// The placement of a column's values within its width.
    public enum Alignment: Sendable {
        case left
        /// For numbers, so that digits line up.
        case right
    }

    /// A column's title and alignment.
    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment

        public init(_ title: String, alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    /// Columns are never cut narrower than this, unless their content is narrower.
    public static let minimumColumnWidth = 5
    /// Spaces between two columns.
    public static let gap = 2

    public var columns: [Column]
    public private(set) var rows: [[String]] = []

    public init(columns: [Column]) {
        self.columns = columns
    }

    /// Adds a row. Missing cells are empty, and cells beyond the columns are dropped.
    public mutating func append(_ row: [String]) {
        rows.append((0..<columns.count).map { $0 < row.count ? row[$0] : "" })
    }

    // MARK: - Rendering

    /// Returns the table as lines ending in line breaks.
    ///
    /// - Parameters:
    ///   - maxWidth: the columns to fit in, usually ``Console/tableWidth``; `nil` keeps every
    ///     value whole, for pipes and files.
    ///   - styler: makes the header bold on a colour terminal.
    public func render(maxWidth: Int? = nil, styler: Styler = Styler(isEnabled: false)) -> String {
        let header = columns.map { Self.singleLine($0.title) }
        let body = rows.map { $0.map(Self.singleLine) }
        let widths = fittedWidths(header: header, body: body, maxWidth: maxWidth)

        var lines = [styler(line(header, widths: widths), .bold)]
        lines.append(
            widths.map { String(repeating: "-", count: $0) }.joined(separator: String(repeating: " ", count: Self.gap)))
        lines += body.map { line($0, widths: widths) }
        return lines.map { $0 + "\n" }.joined()
    }

    /// Returns the width of each column: its widest cell, then, when the total is too wide,
    /// the widest columns cut one column at a time until it fits or every column is at the
    /// minimum.
    private func fittedWidths(header: [String], body: [[String]], maxWidth: Int?) -> [Int] {
        var widths = header.map { DisplayWidth.columns(of: $0) }
        for row in body {
            for (index, cell) in row.enumerated() {
                widths[index] = max(widths[index], DisplayWidth.columns(of: cell))
            }
        }
        guard let maxWidth else { return widths }

        let floors = widths.map { min($0, Self.minimumColumnWidth) }
        var excess = widths.reduce(0, +) + Self.gap * max(0, widths.count - 1) - maxWidth
        while excess > 0 {
            guard let widest = widths.indices.filter({ widths[$0] > floors[$0] }).max(by: { widths[$0] < widths[$1] })
            else { break }
            widths[widest] -= 1
            excess -= 1
        }
        return widths
    }

    private func line(_ cells: [String], widths: [Int]) -> String {
        var parts: [String] = []
        for (index, cell) in cells.enumerated() {
            let cut = DisplayWidth.truncate(cell, toColumns: widths[index])
            let isLast = index == cells.count - 1
            if columns[index].alignment == .right {
                parts.append(DisplayWidth.pad(cut, toColumns: widths[index], alignRight: true))
            } else if isLast {
                parts.append(cut)
            } else {
                parts.append(DisplayWidth.pad(cut, toColumns: widths[index]))
            }
        }
        return parts.joined(separator: String(repeating: " ", count: Self.gap))
    }

    /// Replaces line breaks and tabs with spaces, so one row stays one line.
    private static func singleLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
    }
}
