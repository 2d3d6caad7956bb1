import Foundation
import CXLSXWriter

/// An XLSX workbook written through libxlsxwriter, with every cell stored as text.
///
/// Text cells keep identifiers intact in Excel: an admission number `000123` keeps its zeros
/// and a long digit string keeps every digit. The workbook uses libxlsxwriter's constant-memory
/// mode: each row goes to a temporary file once the next row starts, so a sheet must be written
/// top to bottom, and memory stays flat for large schools.
///
/// ```swift
/// let workbook = try XLSXWorkbook(path: "login-details.xlsx")
/// let sheet = try workbook.addSheet(named: "7A")
/// try sheet.writeHeader(["UPN", "Surname"], widths: [16, 20])
/// try sheet.writeRow(["B801200005001", "Ní Bhriain"])
/// try workbook.close()
/// ```
final class XLSXWorkbook {
    let path: String
    private var handle: UnsafeMutablePointer<lxw_workbook>?
    private let boldFormat: UnsafeMutablePointer<lxw_format>
    private var sheets: [XLSXSheet] = []

    /// Opens a workbook that ``close()`` writes to `path`.
    ///
    /// - Throws: ``ExportError/cannotCreate(path:reason:)`` when libxlsxwriter cannot start it.
    init(path: String) throws(ExportError) {
        var options = lxw_workbook_options()
        options.constant_memory = 1
        guard let handle = path.withCString({ workbook_new_opt($0, &options) }) else {
            throw .cannotCreate(path: path, reason: "libxlsxwriter could not start a workbook")
        }
        guard let bold = workbook_add_format(handle) else {
            lxw_workbook_free(handle)
            throw .cannotCreate(path: path, reason: "libxlsxwriter could not add a format")
        }
        format_set_bold(bold)
        self.path = path
        self.handle = handle
        self.boldFormat = bold
    }

    /// Frees a workbook that was never closed, without writing it.
    deinit {
        if let handle { lxw_workbook_free(handle) }
    }

    /// Adds a worksheet. The name must already be valid (see ``SheetName``).
    ///
    /// - Throws: ``ExportError/writeFailed(path:reason:)`` when libxlsxwriter rejects the name.
    func addSheet(named name: String) throws(ExportError) -> XLSXSheet {
        guard let handle else { preconditionFailure("XLSXWorkbook.addSheet was called after close() for '\(path)'") }
        let check = workbook_validate_sheet_name(handle, name)
        guard check == LXW_NO_ERROR else {
            throw .writeFailed(path: path, reason: "sheet name '\(name)': \(String(cString: lxw_strerror(check)))")
        }
        guard let worksheet = workbook_add_worksheet(handle, name) else {
            throw .writeFailed(path: path, reason: "libxlsxwriter could not add the sheet '\(name)'")
        }
        let sheet = XLSXSheet(worksheet: worksheet, bold: boldFormat, path: path)
        sheets.append(sheet)
        return sheet
    }

    /// Writes the file and frees the workbook.
    ///
    /// - Throws: ``ExportError/writeFailed(path:reason:)`` with libxlsxwriter's error text.
    func close() throws(ExportError) {
        guard let handle else { return }
        self.handle = nil
        let result = workbook_close(handle)
        guard result == LXW_NO_ERROR else {
            throw .writeFailed(path: path, reason: String(cString: lxw_strerror(result)))
        }
    }
}

/// One worksheet of an ``XLSXWorkbook``, which owns it. Rows are written in order.
final class XLSXSheet {
    private let worksheet: UnsafeMutablePointer<lxw_worksheet>
    private let bold: UnsafeMutablePointer<lxw_format>
    private let path: String
    /// The row the next ``writeRow(_:)`` writes, counting from 0.
    private(set) var nextRow: UInt32 = 0

    fileprivate init(worksheet: UnsafeMutablePointer<lxw_worksheet>, bold: UnsafeMutablePointer<lxw_format>, path: String) {
        self.worksheet = worksheet
        self.bold = bold
        self.path = path
    }

    /// Writes a bold header row, freezes it so it stays in view, and sets column widths in
    /// Excel's character units.
    func writeHeader(_ names: [String], widths: [Double]) throws(ExportError) {
        for (column, width) in widths.enumerated() {
            let result = worksheet_set_column(worksheet, UInt16(column), UInt16(column), width, nil)
            try check(result)
        }
        worksheet_freeze_panes(worksheet, 1, 0)
        try write(names, format: bold)
    }

    /// Writes one row of text cells.
    func writeRow(_ values: [String]) throws(ExportError) {
        try write(values, format: nil)
    }

    private func write(_ values: [String], format: UnsafeMutablePointer<lxw_format>?) throws(ExportError) {
        for (column, value) in values.enumerated() where !value.isEmpty {
            let result = worksheet_write_string(worksheet, nextRow, UInt16(column), value, format)
            try check(result)
        }
        nextRow += 1
    }

    private func check(_ result: lxw_error) throws(ExportError) {
        guard result == LXW_NO_ERROR else {
            throw .writeFailed(path: path, reason: String(cString: lxw_strerror(result)))
        }
    }
}

/// Excel's rules for worksheet names, applied to registration group names.
enum SheetName {
    /// The longest name Excel accepts.
    static let maxLength = 31
    private static let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]

    /// A valid name for `text` that is not in `used` (compared without case, as Excel does):
    /// forbidden characters become `-`, leading and trailing apostrophes go, an empty name
    /// becomes `Sheet`, and a clash gets ` (2)`, ` (3)`... within the 31-character limit.
    static func make(from text: String, avoiding used: Set<String>) -> String {
        var base = String(text.map { forbidden.contains($0) || $0.isNewline ? "-" : $0 })
        while base.hasPrefix("'") { base.removeFirst() }
        while base.hasSuffix("'") { base.removeLast() }
        base = base.trimmingCharacters(in: .whitespaces)
        if base.isEmpty || base.lowercased() == "history" { base = base.isEmpty ? "Sheet" : "\(base) group" }
        base = truncated(base, to: maxLength).trimmingCharacters(in: .whitespaces)

        var candidate = base
        var number = 2
        while used.contains(candidate.lowercased()) {
            let suffix = " (\(number))"
            let stem = truncated(base, to: maxLength - suffix.count).trimmingCharacters(in: .whitespaces)
            candidate = stem + suffix
            number += 1
        }
        return candidate
    }

    /// Cuts at a character boundary, counting UTF-16 units as Excel does.
    private static func truncated(_ text: String, to length: Int) -> String {
        var result = ""
        for character in text {
            guard result.utf16.count + character.utf16.count <= length else { break }
            result.append(character)
        }
        return result
    }
}
