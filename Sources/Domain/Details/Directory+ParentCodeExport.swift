import Foundation

/// The column layout of a parent code file for an MIS to import.
public enum ParentCodeLayout: String, CaseIterable, Sendable, Codable {
    /// `UPN, Surname, Forename, Parent Code, Expiry`: for any MIS import keyed by UPN.
    case generic
    /// `UPN, Surname, Forename, DOB, Value`: a SIMS aspect import, matched on UPN, with the
    /// parent code as the aspect's value and the date of birth as `dd/mm/yyyy` where known.
    case sims

    /// The header row.
    public var columns: [String] {
        switch self {
        case .generic: return ["UPN", "Surname", "Forename", "Parent Code", "Expiry"]
        case .sims: return ["UPN", "Surname", "Forename", "DOB", "Value"]
        }
    }
}

/// A column layout a plugin provides for parent code files, for an MIS Lanyard does not know.
public struct CustomParentCodeLayout {
    /// The layout's name, as given to `--layout`.
    public var name: String
    /// The header row.
    public var columns: [String]
    /// Returns one row's cells, in column order, from the student's fields: `upn`,
    /// `admission_number`, `legal_forename`, `surname`, `preferred_name`, `year`, `reg`,
    /// `date_of_birth` (YYYY-MM-DD), `parent_code` and `parent_code_expires`.
    public var row: ([String: String]) throws -> [String]

    public init(name: String, columns: [String], row: @escaping ([String: String]) throws -> [String]) {
        self.name = name
        self.columns = columns
        self.row = row
    }
}

/// Options for ``Directory/exportParentCodes(_:)``.
public struct ParentCodeExportOptions: Sendable {
    public var selection: Selection
    public var layout: ParentCodeLayout = .generic
    /// The CSV file to write, replaced once complete.
    public var path: String
    public var origin: Directory.Origin

    public init(selection: Selection, path: String, origin: Directory.Origin = .init("details export-parent-codes")) {
        self.selection = selection
        self.path = path
        self.origin = origin
    }
}

/// The outcome of ``Directory/exportParentCodes(_:)``.
public struct ParentCodeExportResult: Sendable, Equatable, Codable {
    public var path: String
    /// Rows written, one per student with a live parent code.
    public var rows: Int
    /// The UPNs of students in scope who have no live parent code, and so no row.
    public var studentsWithoutCode: [String]
}

extension Directory {
    /// Writes the live parent codes of the students in a selection as a CSV file that an MIS
    /// imports against UPN: no byte order mark and no formula neutralising
    /// (``CSVWriteOptions/machineReadable``), because a program reads it. Codes are not
    /// changed. Each row read gets a `code.read` audit row, saved only when the file is
    /// complete.
    ///
    /// NOTE: the SIMS layout follows SIMS's documented aspect import (match on UPN, then a
    /// value column). It was not tried in SIMS itself.
    ///
    /// - Throws: ``ExportError`` or ``CSVWriteError`` when the file cannot be written; the
    ///   audit rows are then rolled back. A path that is not a regular file (a symbolic link,
    ///   folder, FIFO or device) is rejected before anything is read.
    ///
    /// - Parameter customLayout: a plugin's layout, used instead of ``ParentCodeExportOptions/layout``.
    public func exportParentCodes(_ options: ParentCodeExportOptions, customLayout: CustomParentCodeLayout? = nil) throws -> ParentCodeExportResult {
        let scope = detailsScope(options.selection, neverLoggedInOnly: false)
        let staged = try StagedFile(path: options.path)
        let result: ParentCodeExportResult
        do {
            result = try database.transaction {
                let descriptor = try staged.openForWriting()
                defer { close(descriptor) }
                let writer = CSVWriter(fileDescriptor: descriptor, name: options.path, options: .machineReadable)
                try writer.writeRow(customLayout?.columns ?? options.layout.columns)

                var rows = 0
                var withoutCode: [String] = []
                try forEachMailMergeRow(scope: scope, kinds: [.parentCode], settings: Settings()) { studentId, row in
                    guard !row.parentCode.isEmpty else {
                        withoutCode.append(row.upn)
                        return
                    }
                    if let customLayout {
                        let student = try user(id: studentId)
                        let fields = [
                            "upn": row.upn, "admission_number": row.admissionNumber, "legal_forename": row.legalForename,
                            "surname": row.surname, "preferred_name": row.preferredName, "year": row.yearGroup,
                            "reg": row.registrationGroup, "date_of_birth": student?.dateOfBirth ?? "", "parent_code": row.parentCode,
                            "parent_code_expires": row.parentCodeExpires,
                        ]
                        let cells = try customLayout.row(fields)
                        guard cells.count == customLayout.columns.count else {
                            throw ExportError.layoutRowWidth(layout: customLayout.name, upn: row.upn, cells: cells.count, columns: customLayout.columns.count)
                        }
                        try writer.writeRow(cells)
                    } else {
                        switch options.layout {
                        case .generic:
                        try writer.writeRow([row.upn, row.surname, row.legalForename, row.parentCode, row.parentCodeExpires])
                    case .sims:
                        let birth = try user(id: studentId)?.dateOfBirth.map(Self.simsDate) ?? ""
                        try writer.writeRow([row.upn, row.surname, row.legalForename, birth, row.parentCode])
                        }
                    }
                    try audit(action: "code.read", via: options.origin.via, userId: studentId, detail: "parent-code for an MIS export")
                    rows += 1
                }
                try writer.finish()
                return ParentCodeExportResult(path: options.path, rows: rows, studentsWithoutCode: withoutCode)
            }
        } catch {
            staged.discard()
            throw error
        }
        try staged.commit()
        return result
    }

    /// `YYYY-MM-DD` as `dd/mm/yyyy`, the form SIMS shows and imports in England.
    static func simsDate(_ date: String) -> String {
        let parts = date.split(separator: "-")
        guard parts.count == 3 else { return date }
        return "\(parts[2])/\(parts[1])/\(parts[0])"
    }
}
