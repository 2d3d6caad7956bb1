/// Options for ``CSVReader``: the encoding and the delimiter. The defaults detect both.
public struct CSVReadOptions: Equatable, Sendable {
    /// The encoding, or nil to detect it.
    ///
    /// Detection: a UTF-16 byte order mark means UTF-16. A UTF-8 byte order mark means UTF-8,
    /// so invalid bytes after it are an error. Without a byte order mark, a zero in exactly one
    /// of the first two bytes means UTF-16 in that byte order. Otherwise the file is UTF-8 when
    /// all its bytes are valid UTF-8, and Windows-1252 when they are not. A given encoding
    /// overrides detection, and only a byte order mark of that encoding is skipped.
    public var encoding: CSVEncoding?
    /// The delimiter, or nil to detect it from the first non-blank line (see
    /// ``CSVDelimiter``).
    public var delimiter: CSVDelimiter?

    public init(encoding: CSVEncoding? = nil, delimiter: CSVDelimiter? = nil) {
        self.encoding = encoding
        self.delimiter = delimiter
    }
}
