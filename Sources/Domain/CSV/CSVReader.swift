/// A reader of CSV files as schools' MIS and Excel write them.
///
/// The reader takes the whole file into memory, converts it to UTF-8 once (see
/// ``CSVReadOptions/encoding``), detects the delimiter unless given, reads the header, and then
/// returns one ``CSVRecord`` per call to ``next()``. Quoting follows RFC 4180: a field in double
/// quotes may contain delimiters, line breaks and doubled quotes. Lines may end in CRLF, LF or
/// CR, the last line may have no line break, and blank lines are skipped. Records with more or
/// fewer fields than the header are returned as they are.
///
/// ```swift
/// var reader = try CSVReader(path: "pupils.csv")
/// let upnColumn = reader.header.firstIndex(of: "UPN")
/// while let record = try reader.next() {
///     print(record.line, record[upnColumn ?? 0] ?? "")
/// }
/// ```
///
/// NOTE: the whole file is held in memory, twice for a file that needs converting to UTF-8. An
/// MIS export of 100,000 rows is about 10 MB, so this is cheap for school data, but a reader
/// that streams would be needed for files of gigabytes.
public struct CSVReader: Sendable {
    /// The file path, or the name given for bytes from memory. Errors quote it.
    public let source: String
    /// The encoding the file was read as, given or detected.
    public let encoding: CSVEncoding
    /// The delimiter, given or detected.
    public let delimiter: CSVDelimiter
    /// The fields of the first non-blank line, as written (not trimmed).
    public let header: [String]
    /// The 1-based line of the header: 1 unless blank lines come before it.
    public let headerLine: Int

    private let text: [UInt8]
    private var scanner: CSVScanner

    // MARK: - Opening

    /// Opens a CSV file and reads its header.
    ///
    /// - Parameters:
    ///   - path: the file to read; errors quote it as given.
    ///   - options: the encoding and delimiter, each detected when nil.
    /// - Throws: ``CSVReadError/unreadableFile(path:reason:)`` when the file cannot be read,
    ///   ``CSVReadError/missingHeader(source:)`` for an empty file, and the other
    ///   ``CSVReadError`` cases for bad encoding or quoting in the header.
    public init(path: String, options: CSVReadOptions = CSVReadOptions()) throws(CSVReadError) {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.contents(ofFile: path)
        } catch {
            throw .unreadableFile(path: path, reason: error.reason)
        }
        try self.init(bytes: bytes, source: path, options: options)
    }

    /// Reads CSV text held in memory, such as a member of a zip file, and reads its header.
    ///
    /// - Parameters:
    ///   - bytes: the file's bytes, for example `[UInt8]` or `Data`.
    ///   - source: a name for errors, such as `bundle.zip: users.csv`.
    ///   - options: the encoding and delimiter, each detected when nil.
    /// - Throws: ``CSVReadError/missingHeader(source:)`` for empty text, and the other
    ///   ``CSVReadError`` cases for bad encoding or quoting in the header.
    public init<Bytes: Collection>(bytes: Bytes, source: String, options: CSVReadOptions = CSVReadOptions())
        throws(CSVReadError)
    where Bytes.Element == UInt8 {
        // Decode
        let decoded = try CSVTextDecoder.decode(Array(bytes), encoding: options.encoding, source: source)
        let delimiter =
            options.delimiter
            ?? decoded.utf8.withUnsafeBufferPointer { CSVDelimiter.detect(in: $0, from: decoded.start) }

        // Read the header
        var scanner = CSVScanner(delimiter: delimiter, source: source, start: decoded.start)
        let headerRecord = try decoded.utf8.withUnsafeBufferPointer { text throws(CSVReadError) in
            try scanner.nextRecord(in: text)
        }
        guard let headerRecord else { throw .missingHeader(source: source) }
        scanner.header = headerRecord.fields

        self.source = source
        self.encoding = decoded.encoding
        self.delimiter = delimiter
        self.header = headerRecord.fields
        self.headerLine = headerRecord.line
        self.text = decoded.utf8
        self.scanner = scanner
    }

    // MARK: - Records

    /// Reads the next record after the header, or returns nil at the end of the file.
    ///
    /// - Throws: ``CSVReadError/unterminatedQuotedField(_:)``,
    ///   ``CSVReadError/quoteInUnquotedField(_:field:)`` or
    ///   ``CSVReadError/textAfterClosingQuote(_:field:)``, naming the file, line and column.
    public mutating func next() throws(CSVReadError) -> CSVRecord? {
        try text.withUnsafeBufferPointer { text throws(CSVReadError) in
            try scanner.nextRecord(in: text)
        }
    }

    /// Reads every remaining record.
    ///
    /// - Throws: the first error ``next()`` throws.
    public mutating func readAll() throws(CSVReadError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        while let record = try next() {
            records.append(record)
        }
        return records
    }
}
