import Domain
import Foundation
import Testing

@testable import Automation

/// A code a script read stays read, even when the run rolls back.
@Suite struct CodeReadAuditTests {
    @Test func failedRunKeepsTheRecordOfTheCodeItRead() throws {
        let fixture = try ScriptFixture()
        let message = fixture.failure("print(codes.pin(users.get('\(ScriptFixture.zoe)'))); error('stop', 0)")

        #expect(message?.contains("stop") == true)
        #expect(fixture.printed.count == 1)
        let rows = try fixture.directory.database.query("SELECT user_id, detail FROM audit_log WHERE action = 'code.read'")
        #expect(rows.count == 1)
        #expect(rows.first?.string("detail")?.hasSuffix("(kept after the run was rolled back)") == true)
    }

    @Test func dryRunKeepsTheRecordOfTheCodeItRead() throws {
        let fixture = try ScriptFixture()
        try fixture.run("print(codes.pin(users.get('\(ScriptFixture.zoe)')))", dryRun: true)

        #expect(try fixture.count("SELECT count(*) FROM audit_log WHERE action = 'code.read'") == 1)
    }

    @Test func failedRunThatReadNoCodeLeavesNoRecord() throws {
        let fixture = try ScriptFixture()
        let before = try fixture.count("SELECT count(*) FROM audit_log")
        _ = fixture.failure("codes.regenerate(users.select('year:7'), 'pin'); error('stop', 0)")

        #expect(try fixture.count("SELECT count(*) FROM audit_log") == before)
    }
}
