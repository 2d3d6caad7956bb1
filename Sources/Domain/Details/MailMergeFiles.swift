#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file that ``Directory/generateDetails(_:)`` fills one student at a time.
protocol DetailsFileWriter: AnyObject {
    var staged: StagedFile { get }
    /// What the result reports for the file so far.
    var summary: DetailsResult.File { get }
    func write(_ row: MailMergeRow) throws
    /// Writes what is left; the file is then complete under its temporary name.
    func finish() throws
}

// MARK: - CSV

/// The mail merge CSV, through the Domain ``CSVWriter``: UTF-8 (with a byte order mark unless
/// turned off), CRLF, RFC 4180 quoting and formula neutralising.
final class MailMergeCSVFile: DetailsFileWriter {
    let staged: StagedFile
    private let descriptor: Int32
    private let writer: CSVWriter
    private var rows = 0
    private var isClosed = false

    init(path: String, writesByteOrderMark: Bool) throws {
        staged = try StagedFile(path: path)
        descriptor = try staged.openForWriting()
        writer = CSVWriter(
            fileDescriptor: descriptor, name: staged.path, options: CSVWriteOptions(writesByteOrderMark: writesByteOrderMark))
        try writer.writeRow(MailMergeRow.columns)
    }

    deinit {
        if !isClosed { close(descriptor) }
    }

    var summary: DetailsResult.File { .init(kind: "csv", path: staged.path, items: rows, pages: nil) }

    func write(_ row: MailMergeRow) throws {
        try writer.writeRow(row.fields)
        rows += 1
    }

    func finish() throws {
        try writer.finish()
        isClosed = true
        let synced = fsync(descriptor)
        let reason = String(cString: strerror(errno))
        close(descriptor)
        guard synced == 0 else { throw ExportError.writeFailed(path: staged.path, reason: reason) }
    }
}

// MARK: - XLSX

/// The mail merge workbook: text cells, a bold frozen header, column widths, and optionally
/// one sheet per registration group.
final class MailMergeXLSXFile: DetailsFileWriter {
    /// Column widths in Excel character units, in ``MailMergeRow/columns`` order.
    static let widths: [Double] = [16, 12, 16, 18, 16, 6, 8, 30, 30, 9, 11, 17, 11, 14, 30, 50]
    static let singleSheetName = "Login details"

    let staged: StagedFile
    private let workbook: XLSXWorkbook
    private let sheetPerRegistrationGroup: Bool
    private var sheets: [String: XLSXSheet] = [:]
    private var usedNames: Set<String> = []
    private var rows = 0

    init(path: String, sheetPerRegistrationGroup: Bool) throws {
        staged = try StagedFile(path: path)
        workbook = try XLSXWorkbook(path: staged.temporaryPath)
        self.sheetPerRegistrationGroup = sheetPerRegistrationGroup
    }

    var summary: DetailsResult.File { .init(kind: "xlsx", path: staged.path, items: rows, pages: nil) }

    func write(_ row: MailMergeRow) throws {
        let key = sheetPerRegistrationGroup ? row.registrationGroup.lowercased() : ""
        let sheet: XLSXSheet
        if let existing = sheets[key] {
            sheet = existing
        } else {
            let title = sheetPerRegistrationGroup
                ? (row.registrationGroup.isEmpty ? "No registration group" : row.registrationGroup) : Self.singleSheetName
            let name = SheetName.make(from: title, avoiding: usedNames)
            usedNames.insert(name.lowercased())
            sheet = try workbook.addSheet(named: name)
            try sheet.writeHeader(MailMergeRow.columns, widths: Self.widths)
            sheets[key] = sheet
        }
        try sheet.writeRow(row.fields)
        rows += 1
    }

    func finish() throws {
        if sheets.isEmpty {
            let sheet = try workbook.addSheet(named: Self.singleSheetName)
            try sheet.writeHeader(MailMergeRow.columns, widths: Self.widths)
        }
        try workbook.close()
    }
}

// MARK: - PDF slips

/// Printable slips, eight to an A4 page, each registration group starting on a new page.
final class SlipsPDFFile: DetailsFileWriter {
    enum Kind: String {
        case student = "student-slips"
        case parent = "parent-slips"
    }

    let staged: StagedFile
    private let kind: Kind
    private let document: PDFDocument
    private let sheet: SlipSheet
    private let settings: Settings
    private var slips = 0
    private var currentGroup: String?

    init(path: String, kind: Kind, settings: Settings) throws {
        staged = try StagedFile(path: path)
        document = try PDFDocument(path: staged.temporaryPath)
        sheet = SlipSheet(document: document)
        self.kind = kind
        self.settings = settings
    }

    var summary: DetailsResult.File { .init(kind: kind.rawValue, path: staged.path, items: slips, pages: sheet.pages) }

    func write(_ row: MailMergeRow) throws {
        if let currentGroup, currentGroup != row.registrationGroup { sheet.breakPage() }
        currentGroup = row.registrationGroup

        switch kind {
        case .student:
            Slip.drawStudent(row, in: sheet.nextSlot(), on: document)
        case .parent:
            guard !row.parentCode.isEmpty else { return }
            Slip.drawParent(row, in: sheet.nextSlot(), on: document, maxUses: settings.parentCodeMaxUses)
        }
        slips += 1
    }

    func finish() throws {
        if sheet.pages == 0 {
            document.setFont(.regular, size: 12)
            document.draw("No students were in the selection.", x: 40, y: 60)
        }
        try document.finish()
    }
}
