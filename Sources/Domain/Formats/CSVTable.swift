/// A CSV file read whole, with its columns found by name.
///
/// Header names are matched after normalising: case, spaces, underscores, dots and hyphens are
/// ignored, so `Legal Surname`, `legal_surname` and `LegalSurname` are one name.
struct CSVTable {
    let source: String
    let header: [String]
    let records: [CSVRecord]
    private let columnsByName: [String: Int]

    /// Reads the header and, unless `readingRecords` is false (for callers that stream the
    /// records from the reader themselves), every record.
    init(reader: inout CSVReader, readingRecords: Bool = true) throws {
        self.source = reader.source
        self.header = reader.header
        self.records = readingRecords ? try reader.readAll().filter { !$0.isBlank } : []
        var columns: [String: Int] = [:]
        for (index, name) in reader.header.enumerated() where !name.isEmpty {
            let key = Self.normalise(name)
            if columns[key] == nil { columns[key] = index }
        }
        self.columnsByName = columns
    }

    /// Returns a header's names for a message: the first 40, then how many more, so that a file with
    /// thousands of columns still gives a message a person can read.
    static func describe(_ header: [String], quoted: Bool = false) -> String {
        let shown = header.prefix(40).map { name in
            let short = name.count > 60 ? String(name.prefix(60)) + "…" : name
            return quoted ? "'\(short)'" : short
        }
        let list = shown.joined(separator: ", ")
        return header.count > 40 ? "\(list) and \(header.count - 40) more" : list
    }

    static func normalise(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { !" _.-\u{FEFF}".unicodeScalars.contains($0) }.map(Character.init))
    }

    /// The index of the first column with one of these names.
    func column(_ names: String...) -> Int? {
        column(names)
    }

    func column(_ names: [String]) -> Int? {
        for name in names {
            if let index = columnsByName[Self.normalise(name)] { return index }
        }
        return nil
    }

    /// The header name of a column, as the file spells it.
    func name(of column: Int) -> String {
        column < header.count ? header[column] : "column \(column + 1)"
    }

    /// A trimmed cell, or nil when the column is absent or the cell is empty.
    func value(_ record: CSVRecord, _ column: Int?) -> String? {
        guard let column, column < record.fields.count else { return nil }
        let raw = record.fields[column]
        guard let first = raw.utf8.first, let last = raw.utf8.last else { return nil }
        // Most cells have no surrounding space; only those pay for trimming.
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 >= 0x80 }
        guard isSpace(first) || isSpace(last) else { return raw }
        let value = raw.trimmingSpaces()
        return value.isEmpty ? nil : value
    }

    func location(_ record: CSVRecord, _ column: Int? = nil) -> SourceLocation {
        SourceLocation(file: source, line: record.line, column: column.map(name(of:)))
    }

    /// A problem when a record has more non-empty fields than the header has names.
    func raggedProblem(_ record: CSVRecord) -> ImportProblem? {
        guard record.fields.count > header.count else { return nil }
        let extra = record.fields[header.count...].filter { !$0.trimmingSpaces().isEmpty }
        guard !extra.isEmpty else { return nil }
        return ImportProblem(
            at: location(record),
            "the row has \(record.fields.count) fields but the header has \(header.count); check for an unquoted comma in a name, or add the missing header")
    }
}
