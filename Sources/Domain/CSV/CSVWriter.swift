#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A writer of CSV files that Excel and Word read correctly.
///
/// Writes UTF-8 (with a byte order mark by default), CRLF after every row, and RFC 4180 quoting:
/// a field that contains the delimiter, a double quote, CR or LF is put in double quotes, with
/// each quote inside doubled. By default a field that a spreadsheet would run as a formula gets
/// a leading `'` (see ``CSVWriteOptions/neutralisesFormulas``).
///
/// Rows are buffered and written out in blocks of 64 KiB, so a file is never held whole in
/// memory, except by the in-memory writer.
///
/// ```swift
/// let writer = try CSVWriter(path: "parent-codes.csv")
/// try writer.writeRow(["UPN", "Parent code"])
/// try writer.writeRow(["B801200005001", "ABCD-EFGH-JKMN"])
/// try writer.finish()
/// ```
public final class CSVWriter {
    private enum Destination {
        case memory
        /// A file descriptor, closed by this writer when `owned`.
        case file(descriptor: Int32, owned: Bool)
    }

    /// Fields that spreadsheets run as formulas when they start with one of these bytes:
    /// `=`, `+`, `-`, `@`, tab and CR (the OWASP list for CSV injection).
    private static let formulaTriggers: Set<UInt8> = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]
    private static let flushThreshold = 64 * 1024
    private static let quote = UInt8(ascii: "\"")

    /// The file path or the name given for the destination. Errors quote it.
    public let destinationName: String
    public let options: CSVWriteOptions
    private var destination: Destination
    private var buffer: [UInt8] = []
    private var isFinished = false

    // MARK: - Opening

    /// Creates (or truncates) the file at `path` and writes to it. A new file is readable by
    /// its owner only (mode 0600), because Lanyard's files list people.
    ///
    /// - Throws: ``CSVWriteError/cannotCreate(path:reason:)`` when the file cannot be opened.
    public init(path: String, options: CSVWriteOptions = CSVWriteOptions()) throws(CSVWriteError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
        self.destinationName = path
        self.options = options
        self.destination = .file(descriptor: descriptor, owned: true)
        start()
    }

    /// Writes to an open file descriptor, such as standard output (1) or a `FileHandle`'s
    /// `fileDescriptor`. The caller keeps ownership: ``finish()`` flushes but does not close it.
    ///
    /// - Parameter name: how errors refer to the destination, such as `standard output`.
    public init(fileDescriptor: Int32, name: String, options: CSVWriteOptions = CSVWriteOptions()) {
        self.destinationName = name
        self.options = options
        self.destination = .file(descriptor: fileDescriptor, owned: false)
        start()
    }

    /// Writes into memory; read the result from ``bytes``.
    public init(options: CSVWriteOptions = CSVWriteOptions()) {
        self.destinationName = "memory"
        self.options = options
        self.destination = .memory
        start()
    }

    private func start() {
        buffer.reserveCapacity(Self.flushThreshold + 4096)
        if options.writesByteOrderMark {
            buffer.append(contentsOf: [0xEF, 0xBB, 0xBF])
        }
    }

    /// Flushes what is left, best effort, and closes a file this writer opened. Call
    /// ``finish()`` instead to learn whether the last block was written.
    deinit {
        if case .file(let descriptor, let owned) = destination {
            if !isFinished { try? flush() }
            if owned { close(descriptor) }
        }
    }

    // MARK: - Writing

    /// Everything written so far, for a writer made with ``init(options:)``. Empty for a file.
    public var bytes: [UInt8] {
        if case .memory = destination { return buffer }
        return []
    }

    /// Writes one row and its CRLF.
    ///
    /// A row of a single empty field is written as `""`, so that readers do not skip it as a
    /// blank line.
    ///
    /// - Throws: ``CSVWriteError/writeFailed(destination:reason:)`` when a full block cannot
    ///   be written out.
    public func writeRow<Fields: Sequence>(_ fields: Fields) throws(CSVWriteError) where Fields.Element == String {
        precondition(!isFinished, "CSVWriter.writeRow was called after finish() for '\(destinationName)'")

        var count = 0
        var isSingleEmptyField = false
        for field in fields {
            if count > 0 { buffer.append(options.delimiter.rawValue) }
            appendField(field)
            count += 1
            isSingleEmptyField = count == 1 && field.isEmpty
        }
        if isSingleEmptyField {
            buffer.append(contentsOf: [Self.quote, Self.quote])
        }
        buffer.append(contentsOf: [0x0D, 0x0A])

        if case .file = destination, buffer.count >= Self.flushThreshold {
            try flush()
        }
    }

    /// Writes what is buffered and, for a file this writer opened, closes it. Later rows trap.
    ///
    /// - Throws: ``CSVWriteError/writeFailed(destination:reason:)``.
    public func finish() throws(CSVWriteError) {
        guard !isFinished else { return }
        isFinished = true
        guard case .file(let descriptor, let owned) = destination else { return }

        defer {
            if owned { close(descriptor) }
            destination = .file(descriptor: -1, owned: false)
        }
        try flush()
    }

    // MARK: - Fields

    private func appendField(_ field: String) {
        var field = field
        field.withUTF8 { utf8 in
            if options.keepsDigitStringsAsTextInExcel, Self.isDamagedByExcel(utf8) {
                // The cell text is ="0123"; as a CSV field its quotes are doubled.
                buffer.append(contentsOf: Array("\"=\"\"".utf8))
                buffer.append(contentsOf: utf8)
                buffer.append(contentsOf: Array("\"\"\"".utf8))
                return
            }

            let neutralises =
                options.neutralisesFormulas && utf8.first.map { Self.formulaTriggers.contains($0) } == true
            let delimiter = options.delimiter.rawValue
            let needsQuotes = utf8.contains { $0 == delimiter || $0 == Self.quote || $0 == 0x0A || $0 == 0x0D }

            if needsQuotes { buffer.append(Self.quote) }
            if neutralises { buffer.append(UInt8(ascii: "'")) }
            if needsQuotes {
                for byte in utf8 {
                    buffer.append(byte)
                    if byte == Self.quote { buffer.append(Self.quote) }
                }
                buffer.append(Self.quote)
            } else {
                buffer.append(contentsOf: utf8)
            }
        }
    }

    /// True for digit strings that Excel would turn into a number and change: a leading zero,
    /// or more than the 15 significant digits Excel keeps.
    private static func isDamagedByExcel(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard utf8.count >= 2, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        return utf8.first == 0x30 || utf8.count > 15
    }

    // MARK: - Output

    private func flush() throws(CSVWriteError) {
        guard case .file(let descriptor, _) = destination, !buffer.isEmpty else { return }

        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { bytes in
                write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(destination: destinationName, reason: String(cString: strerror(errno)))
            }
            written += result
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
