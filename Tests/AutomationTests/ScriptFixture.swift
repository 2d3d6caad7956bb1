import Domain
import Foundation
import LuaRuntime

@testable import Automation

/// A directory with a small school, a workspace, and a way to run Lua snippets as scripts.
final class ScriptFixture {
    let folder: String
    let directory: Directory
    let workspace: Workspace
    var printed: [String] = []

    static let zoe = UPN.make(la: 801, establishment: 4012, year: 19, serial: 1).value
    static let lukasz = UPN.make(la: 801, establishment: 4012, year: 19, serial: 2).value
    static let niamh = UPN.make(la: 801, establishment: 4012, year: 19, serial: 3).value

    init() throws {
        folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("lanyard-script-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        directory = try Directory(path: folder + "/lanyard.db", actor: "tester")
        workspace = try Workspace(path: folder + "/out")
        try seed()
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func seed() throws {
        func student(_ upn: String, _ forename: String, _ surname: String, year: Int, reg: String, email: String?) -> IncomingUser {
            var user = IncomingUser(role: .student, legalForename: forename, legalSurname: surname, location: SourceLocation(file: "seed"))
            user.upn = upn
            user.yearGroup = YearGroup(number: year)
            user.registrationGroup = reg
            user.email = email
            return user
        }
        var parent = IncomingUser(role: .parent, legalForename: "Siân", legalSurname: "Ní Bhriain", location: SourceLocation(file: "seed"))
        parent.sourceId = "parent-1"
        parent.email = "sian@example.org"
        _ = try directory.importRecords(kind: .csvStudents, source: "seed", options: ImportOptions(), settings: Settings()) { session in
            try session.add(school: IncomingSchool(sourceId: "school", name: "Castle Mead Academy", dfeNumber: "801/4012"))
            try session.add(user: student(Self.zoe, "Zoë", "Ní Bhriain", year: 7, reg: "7A", email: "zoe@castlemead.example"))
            try session.add(user: student(Self.lukasz, "Łukasz", "Nowak", year: 7, reg: "7B", email: nil))
            try session.add(user: student(Self.niamh, "Niamh", "Ní Bhriain", year: 9, reg: "9C", email: nil))
            try session.add(user: parent)
            session.add(link: IncomingLink(parentSourceId: "parent-1", student: .upn(Self.zoe), priority: 1, location: SourceLocation(file: "seed")))
            session.add(link: IncomingLink(parentSourceId: "parent-1", student: .upn(Self.niamh), priority: 1, location: SourceLocation(file: "seed")))
        }
    }

    /// Writes `source` as a script file and runs it.
    @discardableResult
    func run(_ source: String, name: String = "test.lua", dryRun: Bool = false, arguments: [String: String] = [:], limits: LuaLimits? = nil) throws -> ScriptRunner.Outcome {
        let path = (folder as NSString).appendingPathComponent(name)
        try Data(source.utf8).write(to: URL(fileURLWithPath: path))
        var options = ScriptRunner.Options()
        options.dryRun = dryRun
        options.arguments = arguments
        if let limits { options.limits = limits }
        printed = []
        return try ScriptRunner(directory: directory, settings: Settings(), workspace: workspace).run(path: path, options: options) { line in
            self.printed.append(line)
        }
    }

    /// Runs `source` and returns the script's error message, or nil when it succeeded.
    func failure(_ source: String, limits: LuaLimits? = nil) -> String? {
        do {
            try run(source, limits: limits)
            return nil
        } catch {
            return "\(error)"
        }
    }

    func count(_ sql: String) throws -> Int {
        try directory.database.scalar(sql)?.intValue ?? -1
    }
}
