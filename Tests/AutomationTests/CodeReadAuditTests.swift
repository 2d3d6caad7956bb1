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

/// Code-read records in the REPL, where each statement, and each begin() group, may roll back.
@Suite struct InteractiveCodeReadAuditTests {
    static func repl(_ fixture: ScriptFixture) throws -> InteractiveSession {
        try InteractiveSession(directory: fixture.directory, settings: Settings(), workspace: fixture.workspace)
    }

    static let readPin = "print(codes.pin(users.get('\(ScriptFixture.zoe)')))"

    @Test func failedStatementKeepsTheRecordOfTheCodeItRead() throws {
        let fixture = try ScriptFixture()
        let session = try Self.repl(fixture)
        _ = session.enter("\(Self.readPin); error('stop', 0)")

        #expect(try fixture.count("SELECT count(*) FROM audit_log WHERE action = 'code.read'") == 1)
    }

    @Test func rolledBackGroupKeepsTheRecordOfEachCodeItRead() throws {
        let fixture = try ScriptFixture()
        let session = try Self.repl(fixture)
        _ = session.enter("begin()")
        _ = session.enter(Self.readPin)
        _ = session.enter("\(Self.readPin); error('stop', 0)")
        _ = session.enter("rollback()")

        let details = try fixture.directory.database.query("SELECT detail FROM audit_log WHERE action = 'code.read'").compactMap { $0.string("detail") }
        #expect(details.count == 2)
        #expect(details.allSatisfy { $0.hasSuffix("(kept after the run was rolled back)") })
        #expect(!details.contains { $0.hasSuffix("rolled back) (kept after the run was rolled back)") })
    }
}

/// Files a script writes hold names and codes, so only their owner may read them.
@Suite struct ScriptFileModeTests {
    @Test func writtenFileAndNewFolderAreOwnerOnly() throws {
        let fixture = try ScriptFixture()
        let previous = umask(0o022)
        defer { umask(previous) }
        try fixture.run("files.write('letters/list.csv', 'UPN\\n')")

        let file = try FileManager.default.attributesOfItem(atPath: fixture.workspace.root + "/letters/list.csv")
        let folder = try FileManager.default.attributesOfItem(atPath: fixture.workspace.root + "/letters")
        #expect(file[.posixPermissions] as? Int == 0o600)
        #expect(folder[.posixPermissions] as? Int == 0o700)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.workspace.root + "/letters")
        #expect(leftovers == ["list.csv"])
    }
}
