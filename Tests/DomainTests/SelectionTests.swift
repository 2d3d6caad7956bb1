import Testing

@testable import Domain

@Suite("Selection")
struct SelectionTests {
    @Test(
        "queries select the expected people",
        arguments: [
            ("role:student", ["Łukasz Nowak", "Niamh Ní Bhriain", "Zoë Ní Bhriain"]),
            ("role:student year:7", ["Łukasz Nowak", "Zoë Ní Bhriain"]),
            ("year:7..9 reg:7b,9C", ["Łukasz Nowak", "Niamh Ní Bhriain"]),
            ("role:student email:missing", ["Niamh Ní Bhriain"]),
            ("status:left", ["Liam O'Brien"]),
            ("status:any name:\"O'Brien\"", ["Liam O'Brien"]),
            ("name:\"O'Brien\"", []),
            ("role:teacher,parent", ["Ruth Evans", "Siân Ní Bhriain"]),
            ("staff:rev", ["Ruth Evans"]),
            ("name:ní", ["Niamh Ní Bhriain", "Siân Ní Bhriain", "Zoë Ní Bhriain"]),
            ("name:%", []),
            ("registered:no role:parent", ["Siân Ní Bhriain"]),
            ("logged-in:never year:9", ["Niamh Ní Bhriain"]),
            ("all", ["Łukasz Nowak", "Niamh Ní Bhriain", "Ruth Evans", "Siân Ní Bhriain", "Zoë Ní Bhriain"]),
        ])
    func selectsExpectedPeople(query: String, expected: [String]) throws {
        let fixture = try TestDirectory()
        try fixture.seedSmallSchool()
        let names = try fixture.directory.users(matching: Selection(parsing: query)).map(\.displayName).sorted()
        #expect(names == expected.sorted())
        #expect(try fixture.directory.count(matching: Selection(parsing: query)) == expected.count)
    }

    @Test("sso:yes selects students and staff of an SSO school, never parents")
    func ssoSelection() throws {
        let fixture = try TestDirectory()
        try fixture.seedSmallSchool(sso: .google)
        let sso = try fixture.directory.users(matching: Selection(parsing: "sso:yes")).map(\.role)
        #expect(sso.count == 4)
        #expect(!sso.contains(.parent))
        #expect(try fixture.directory.count(matching: Selection(parsing: "sso:no")) == 1)
    }

    @Test("UPNs from a list file")
    func upnListFile() throws {
        let fixture = try TestDirectory()
        try fixture.seedSmallSchool()
        let zoe = UPN.make(la: 801, establishment: 4012, year: 19, serial: 1).value
        let list = fixture.folder.write("list.csv", "UPN\r\n\(zoe.lowercased())\r\n\r\n")
        let users = try fixture.directory.users(matching: Selection(parsing: "upn:@\(list)"))
        #expect(users.map(\.legalForename) == ["Zoë"])
    }

    @Test("a long UPN list matches as a short one does")
    func longUPNList() throws {
        let fixture = try TestDirectory()
        try fixture.seedSmallSchool()
        let zoe = UPN.make(la: 801, establishment: 4012, year: 19, serial: 1).value
        // 500 UPNs that no student has, and Zoë's in lower case: past the placeholder limit.
        let absent = (100..<600).map { UPN.make(la: 801, establishment: 4012, year: 19, serial: $0).value }
        let list = fixture.folder.write("list.csv", "UPN\r\n" + (absent + [zoe.lowercased()]).joined(separator: "\r\n") + "\r\n")
        let users = try fixture.directory.users(matching: Selection(parsing: "upn:@\(list)"))
        #expect(users.map(\.legalForename) == ["Zoë"])
        #expect(try fixture.directory.count(matching: Selection(parsing: "upn:@\(list) year:9")) == 0)
    }

    @Test(
        "invalid queries name the term and the fix",
        arguments: [
            ("yeer:7", "unknown selection key 'yeer' at column 1. Did you mean 'year'? Valid keys: role, year, reg, email, sso, status, logged-in, codes-read, registered, upn, staff, name, school, id"),
            ("role:student year:14", "invalid year group '14' at column 14: use R or 1 to 13, a range such as 7..9, or a list such as 7,8"),
            ("year:9..7", "invalid range '9..7' at column 1: the first number must not be greater than the second, as in 7..9"),
            ("role:studnet", "unknown value 'studnet' for 'role' at column 1. Did you mean 'student'? Valid values: student, teacher, staff, parent"),
            ("email:none", "unknown value 'none' for 'email' at column 1. Valid values: missing, present"),
            ("year7", "invalid selection term 'year7' at column 1: write terms as key:value, for example year:7"),
            ("name:\"O'Brien", "unterminated quote starting at column 6 of the selection; close it with a matching \""),
            ("reg:", "selection term 'reg:' at column 1 has no value; give one, for example reg:…"),
            ("upn:@/nonexistent/list.csv", "cannot read the list file '/nonexistent/list.csv': no such file; check the path after '@'"),
        ])
    func invalidQueries(query: String, message: String) {
        let error = #expect(throws: SelectionError.self) { try Selection(parsing: query) }
        #expect(error?.description == message)
    }

    @Test("values are bound as parameters, never spliced into SQL")
    func valuesAreBound() throws {
        let selection = try Selection(parsing: "name:\"x'); DROP TABLE users; --\" reg:7A")
        let (sql, parameters) = selection.sqlCondition()
        #expect(!sql.contains("DROP"))
        #expect(parameters.contains(.text("%x'); DROP TABLE users; --%")))
    }

    @Test("year accepts R and ranges", arguments: [("year:R", [0...0]), ("year:R..2,7", [0...2, 7...7]), ("year:Y10", [10...10])])
    func yearForms(query: String, ranges: [ClosedRange<Int>]) throws {
        let selection = try Selection(parsing: query)
        #expect(selection.terms.first?.condition == .ranges(ranges))
    }
}
