/// CSV text built in memory for the demo files, through the Domain ``CSVWriter``: RFC 4180
/// quoting, CRLF after every row, and an optional UTF-8 byte order mark as Excel writes it.
///
/// Fields are written as given, with no formula-injection guard, because these files stand for
/// what an MIS or a data-sync service exports, not for a file a person opens in Excel.
struct DemoCSVText {
    private let writer: CSVWriter
    private(set) var rowCount = 0

    init(header: [String], byteOrderMark: Bool = false) {
        writer = CSVWriter(options: CSVWriteOptions(writesByteOrderMark: byteOrderMark, neutralisesFormulas: false))
        append(header)
    }

    mutating func appendRow(_ fields: [String]) {
        append(fields)
        rowCount += 1
    }

    private func append(_ fields: [String]) {
        do {
            try writer.writeRow(fields)
        } catch {
            // A writer into memory only fails when a block cannot be written to a file.
            preconditionFailure("writing demo CSV into memory failed: \(error)")
        }
    }

    var text: String { String(decoding: writer.bytes, as: UTF8.self) }
}
