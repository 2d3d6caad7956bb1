import Foundation
import Testing

@testable import Domain

@Suite("Login details: XLSX through openpyxl, PDF through poppler")
struct ExportsFileTests {
    // MARK: - XLSX

    /// Prints, per sheet: the name, the frozen pane, whether the header is bold, then each row
    /// as `type:value` cells joined by tabs.
    static let describeWorkbook = """
        import sys, openpyxl
        book = openpyxl.load_workbook(sys.argv[1])
        for sheet in book.worksheets:
            print("sheet", sheet.title, sheet.freeze_panes, all(c.font.b for c in sheet[1]))
            for row in sheet.iter_rows(min_row=2):
                print("\\t".join(f"{c.data_type}:{c.value}" for c in row if c.value is not None))
        """

    @Test("XLSX cells are text, the header bold and frozen")
    func workbookCells() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        _ = try fixture.directory.generateDetails(try DetailsSchool.options(fixture, formats: [.xlsx]))
        let output = try ExternalTool.python(Self.describeWorkbook, [fixture.folder.file("out/login-details.xlsx")])
        let lines = output.split(separator: "\n").map(String.init)

        #expect(lines.first == "sheet Login details A2 True")
        #expect(lines.count == 7)
        let zoe = try #require(lines.first { $0.hasPrefix("s:\(DetailsSchool.zoe)") })
        #expect(zoe.contains("\ts:000123\t"))
        #expect(zoe.contains("\ts:Zoë\t"))
        let pin = try #require(try DetailsSchool.liveCodes(fixture, .pin)[DetailsSchool.zoe])
        #expect(zoe.contains("\ts:\(pin)\t"))
        #expect(!output.contains("n:"), "no cell is numeric")
        let formula = try #require(lines.first { $0.hasPrefix("s:\(DetailsSchool.formula)") })
        #expect(formula.contains("\ts:=HYPERLINK(\"http://x\")\t"), "a text cell is never run as a formula")
    }

    @Test("XLSX with one sheet per registration group, names sanitised")
    func workbookSheetPerGroup() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        var options = try DetailsSchool.options(fixture, formats: [.xlsx])
        options.sheetPerRegistrationGroup = true
        _ = try fixture.directory.generateDetails(options)
        let output = try ExternalTool.python(Self.describeWorkbook, [fixture.folder.file("out/login-details.xlsx")])
        let sheets = output.split(separator: "\n").filter { $0.hasPrefix("sheet ") }
        #expect(sheets == ["sheet 7A A2 True", "sheet 7B A2 True", "sheet 8-C- A2 True"])
        #expect(output.split(separator: "\n").count == 9)
    }

    @Test(
        "sheet names follow Excel's rules",
        arguments: [
            ("7A", [], "7A"),
            ("8[C]", [], "8-C-"),
            ("a:b*c?d/e\\f", [], "a-b-c-d-e-f"),
            ("'Year 7'", [], "Year 7"),
            ("", [], "Sheet"),
            ("History", [], "History group"),
            ("Registration group of Mr Ó Súilleabháin", [], "Registration group of Mr Ó Súil"),
            ("7a", ["7a"], "7a (2)"),
            ("7A", ["7a", "7a (2)"], "7A (3)"),
            ("Registration group of Mr Ó Súilleabháin", ["registration group of mr ó súil"], "Registration group of Mr Ó (2)"),
        ] as [(String, Set<String>, String)])
    func sheetNames(text: String, used: Set<String>, expected: String) {
        let name = SheetName.make(from: text, avoiding: used)
        #expect(name == expected)
        #expect(name.utf16.count <= 31)
    }

    // MARK: - PDF

    @Test("slips render every name, the codes and the cut lines' pages")
    func slipsText() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let result = try fixture.directory.generateDetails(try DetailsSchool.options(fixture, formats: [.pdf]))
        let studentSlips = fixture.folder.file("out/student-slips.pdf")
        let text = try ExternalTool.run("/usr/bin/pdftotext", ["-enc", "UTF-8", studentSlips, "-"])
            .precomposedStringWithCanonicalMapping
        for name in ["Zoë Ní Bhriain", "Iñaki Muñoz", "Łukasz Wałęsa", "Ánh Nguyễn", "Siôn Ŵyn"] {
            #expect(text.contains(name), "missing \(name)")
        }
        for pin in try DetailsSchool.liveCodes(fixture, .pin).values {
            #expect(text.contains(pin))
        }
        #expect(text.contains("zoe@castlemead.sch.uk"))
        #expect(text.contains("Expires 1 December 2026"))
        // 7A, 7B and 8[C] each start a page.
        #expect(result.files.first { $0.kind == "student-slips" }?.pages == 3)

        let parentText = try ExternalTool.run("/usr/bin/pdftotext", ["-enc", "UTF-8", fixture.folder.file("out/parent-slips.pdf"), "-"])
            .precomposedStringWithCanonicalMapping
        for code in try DetailsSchool.liveCodes(fixture, .parentCode).values {
            #expect(parentText.contains(CodeGenerator.parentCode.format(code)))
        }
        #expect(parentText.contains("Ngọc Ánh") == false, "slips use the preferred name")
        #expect(parentText.contains("Ánh Nguyễn"))
        #expect(parentText.contains("https://login.example.org"))
    }

    @Test("slips embed DejaVu Sans and a page renders to PNG")
    func slipsRender() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        _ = try fixture.directory.generateDetails(try DetailsSchool.options(fixture, formats: [.pdf]))
        let path = fixture.folder.file("out/student-slips.pdf")
        let fonts = try ExternalTool.run("/usr/bin/pdffonts", [path])
        #expect(fonts.contains("DejaVuSans-Bold"))
        #expect(fonts.contains("DejaVuSansMono-Bold"))

        _ = try ExternalTool.run("/usr/bin/pdftoppm", ["-png", "-r", "50", "-f", "1", "-l", "1", path, fixture.folder.file("page")])
        let png = try Data(contentsOf: URL(fileURLWithPath: fixture.folder.file("page-1.png")))
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    }

    @Test("an SSO school's student slips carry the note instead of a PIN")
    func slipsSSO() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture, sso: .google)
        _ = try fixture.directory.generateDetails(try DetailsSchool.options(fixture, formats: [.pdf]))
        let text = try ExternalTool.run("/usr/bin/pdftotext", [fixture.folder.file("out/student-slips.pdf"), "-"])
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("Sign in with your Google school account instead of a password."))
        for pin in try DetailsSchool.liveCodes(fixture, .pin).values {
            #expect(!text.contains(pin))
        }
    }

    @Test("letter dates are written out in British form", arguments: [
        ("2026-12-01", "1 December 2026"), ("2027-01-31T08:00:00Z", "31 January 2027"), ("soon", "soon"),
    ])
    func letterDates(date: String, expected: String) {
        #expect(LetterDate.format(date) == expected)
    }
}
