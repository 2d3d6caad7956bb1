import Testing

@testable import Domain

@Suite("Login codes")
struct CredentialTests {
    @Test("every new student gets a PIN and a parent code at first import")
    func firstImportIssuesCodes() throws {
        let fixture = try TestDirectory()
        try fixture.seedSmallSchool()
        let rows = try fixture.directory.database.query(
            "SELECT kind, count(*) AS n FROM credentials WHERE voided_at IS NULL GROUP BY kind ORDER BY kind")
        #expect(rows.map { $0.string("kind") } == ["parent-code", "pin"])
        // Three students on roll; the leaver gets none.
        #expect(rows.map { $0.int("n") } == [3, 3])
    }

    @Test("codes use the unambiguous alphabet and are unique")
    func codesAreUnambiguousAndUnique() throws {
        let fixture = try TestDirectory()
        try fixture.seedSmallSchool()
        for _ in 0..<20 {
            _ = try fixture.directory.regenerateCodes(for: Selection(parsing: "role:student"), settings: Settings(), origin: .init("test"))
        }
        let codes = try fixture.directory.database.query("SELECT code FROM credentials").compactMap { $0.string("code") }
        #expect(codes.count == 3 * 2 * 21)
        #expect(Set(codes).count == codes.count)
        for code in codes {
            #expect(code.allSatisfy { !"0O1IL".contains($0) }, "code \(code) has a look-alike character")
        }
    }

    @Test("regenerating voids unused codes and gives one expiry")
    func regenerateVoidsAndSharesExpiry() throws {
        let fixture = try TestDirectory()
        try fixture.seedSmallSchool()
        let result = try fixture.directory.regenerateCodes(for: Selection(parsing: "year:7"), settings: Settings(), origin: .init("codes regenerate"))
        #expect(result.students == 2)
        #expect(result.voided == 4)
        #expect(result.issued == 4)
        #expect(result.pinExpiry == "2026-12-01T08:00:00Z")

        let live = try fixture.directory.database.query(
            """
            SELECT DISTINCT expires_at FROM credentials JOIN users ON users.id = credentials.student_id
            WHERE voided_at IS NULL AND users.year_group = 7
            """)
        #expect(live.count == 1)
        let liveCount = try fixture.directory.database.scalar("SELECT count(*) FROM credentials WHERE voided_at IS NULL")?.intValue
        #expect(liveCount == 6)
    }

    @Test("reading a code writes an audit row naming who and through what")
    func readingIsAudited() throws {
        let fixture = try TestDirectory()
        try fixture.seedSmallSchool()
        let zoe = try #require(try fixture.directory.user(key: UPN.make(la: 801, establishment: 4012, year: 19, serial: 1).value))
        let pin = try #require(try fixture.directory.readCode(.pin, studentId: zoe.id, origin: .init("codes show")))
        #expect(pin.code.count == 6)
        let audit = try #require(try fixture.directory.database.queryRow("SELECT actor, action, via, user_id, detail FROM audit_log WHERE action = 'code.read'"))
        #expect(audit.string("actor") == "tester")
        #expect(audit.string("via") == "codes show")
        #expect(audit.int("user_id") == zoe.id)
        #expect(audit.string("detail") == "pin")
    }
}
