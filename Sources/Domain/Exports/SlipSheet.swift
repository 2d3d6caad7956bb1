/// Places slips on A4 pages in a grid (2 columns by 4 rows by default) with dashed cut lines,
/// filling each page row by row.
final class SlipSheet {
    /// Where one slip goes, in points from the page's top left.
    struct Slot {
        var x: Double
        var y: Double
        var width: Double
        var height: Double
    }

    let document: PDFDocument
    let columns: Int
    let rows: Int
    private var used = 0
    /// Pages started so far.
    private(set) var pages = 0

    init(document: PDFDocument, columns: Int = 2, rows: Int = 4) {
        precondition(columns >= 1 && rows >= 1, "SlipSheet needs at least one column and one row")
        self.document = document
        self.columns = columns
        self.rows = rows
    }

    var slipsPerPage: Int { columns * rows }

    /// The next free slot, starting a page (with its cut lines) when the current one is full.
    func nextSlot() -> Slot {
        if pages == 0 || used == slipsPerPage {
            startPage()
        }
        let width = PDFDocument.a4.width / Double(columns)
        let height = PDFDocument.a4.height / Double(rows)
        let slot = Slot(x: Double(used % columns) * width, y: Double(used / columns) * height, width: width, height: height)
        used += 1
        return slot
    }

    /// Makes the next slip start on a fresh page, as when a new registration group begins.
    func breakPage() {
        if used > 0 { used = slipsPerPage }
    }

    private func startPage() {
        if pages > 0 { document.nextPage() }
        pages += 1
        used = 0
        let (pageWidth, pageHeight) = PDFDocument.a4
        for column in 1..<columns {
            let x = pageWidth / Double(columns) * Double(column)
            document.dashedLine(from: (x, 0), to: (x, pageHeight))
        }
        for row in 1..<rows {
            let y = pageHeight / Double(rows) * Double(row)
            document.dashedLine(from: (0, y), to: (pageWidth, y))
        }
    }
}
