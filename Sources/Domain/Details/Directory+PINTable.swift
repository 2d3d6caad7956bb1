import Foundation

/// Students' PINs listed by registration group, for a teacher to read out or hand round.
public struct PINTable: Sendable, Equatable, Codable {
    /// One student's line.
    public struct Row: Sendable, Equatable, Codable {
        public var upn: String
        public var name: String
        public var loginName: String
        /// Nil when the student has no live PIN.
        public var pin: String?
        /// `YYYY-MM-DD`, nil without a PIN.
        public var expires: String?
    }

    /// A registration group's students, by surname.
    public struct Group: Sendable, Equatable, Codable {
        public var registrationGroup: String
        public var rows: [Row]
    }

    public var groups: [Group]

    /// Students listed, over all groups.
    public var count: Int { groups.reduce(0) { $0 + $1.rows.count } }
}

extension Directory {
    /// Lists the live PINs of the students in a selection, grouped by registration group. No code is
    /// issued or changed. Each student listed gets a `code.read` audit row.
    ///
    /// The table is held in memory, because it is meant for a registration group or a year,
    /// not for the whole school at once.
    public func pinTable(for selection: Selection, origin: Origin, settings: Settings = Settings()) throws -> PINTable {
        let scope = detailsScope(selection, neverLoggedInOnly: false)
        return try database.transaction {
            var groups: [PINTable.Group] = []
            try forEachMailMergeRow(scope: scope, kinds: [.pin], settings: settings) { studentId, row in
                if groups.last?.registrationGroup != row.registrationGroup {
                    groups.append(PINTable.Group(registrationGroup: row.registrationGroup, rows: []))
                }
                groups[groups.count - 1].rows.append(
                    PINTable.Row(
                        upn: row.upn, name: row.displayName, loginName: row.loginName, pin: row.pin.isEmpty ? nil : row.pin,
                        expires: row.pinExpires.isEmpty ? nil : row.pinExpires))
                try audit(action: "code.read", via: origin.via, userId: studentId, detail: "pin for the PIN table")
            }
            return PINTable(groups: groups)
        }
    }
}

extension PINTable {
    /// Writes the table as an A4 PDF, each registration group starting a page, mode 0600,
    /// replacing `path` only once the file is complete.
    ///
    /// - Throws: ``ExportError`` when the file cannot be created or written.
    public func writePDF(to path: String) throws {
        let staged = try StagedFile(path: path)
        let document = try PDFDocument(path: staged.temporaryPath)
        let (pageWidth, pageHeight) = PDFDocument.a4
        let left = 50.0
        let columns = [left, left + 220, left + 360]
        let lineHeight = 20.0

        var isFirstPage = true
        func startPage(_ title: String) -> Double {
            if !isFirstPage { document.nextPage() }
            isFirstPage = false
            document.setFont(.bold, size: 16)
            document.draw(title, x: left, y: 60)
            document.setFont(.bold, size: 9)
            for (x, heading) in zip(columns, ["Name", "Login name", "PIN"]) { document.draw(heading, x: x, y: 90) }
            document.draw("Expires", x: pageWidth - 120, y: 90)
            document.line(from: (left, 96), to: (pageWidth - left, 96))
            return 96 + lineHeight
        }

        for group in groups {
            let title = "PINs for \(group.registrationGroup.isEmpty ? "students with no registration group" : group.registrationGroup)"
            var y = startPage(title)
            for row in group.rows {
                if y > pageHeight - 50 { y = startPage("\(title) (continued)") }
                document.drawFitted(row.name, x: columns[0], y: y, maxWidth: 210, style: .regular, size: 10, minimumSize: 7)
                document.drawFitted(row.loginName, x: columns[1], y: y, maxWidth: 130, style: .regular, size: 9, minimumSize: 6)
                document.setFont(.code, size: 12)
                document.draw(row.pin ?? "—", x: columns[2], y: y)
                document.setFont(.regular, size: 9)
                document.draw(row.expires.map(LetterDate.format) ?? "", x: pageWidth - 120, y: y)
                y += lineHeight
            }
        }
        if groups.isEmpty {
            document.setFont(.regular, size: 12)
            document.draw("No students were in the selection.", x: left, y: 60)
        }
        do {
            try document.finish()
            try staged.commit()
        } catch {
            staged.discard()
            throw error
        }
    }
}
