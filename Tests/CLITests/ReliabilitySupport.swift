import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Settings and helpers shared by the reliability tests, which kill `lanyard` with SIGKILL and
/// check what the SMTP server and the SQLite file hold afterwards.
enum Reliability {
    /// Whether the slow variants run. `make reliability` sets LANYARD_RELIABILITY=1, and
    /// `make test` leaves it unset and so runs only the fast variants.
    static let slowTestsEnabled = ProcessInfo.processInfo.environment["LANYARD_RELIABILITY"] == "1"

    /// Writes a measured figure to standard error, so that `make reliability` shows what each
    /// slow test saw (kill points, duplicates, run times).
    static func record(_ line: String) {
        FileHandle.standardError.write(Data("reliability: \(line)\n".utf8))
    }

    /// Returns a workspace holding a generated school: `lanyard demo generate` with `students`
    /// students, imported with `lanyard import oneroster`. The bundle stays in out/oneroster.
    static func generatedSchool(students: Int, seed: Int = 1) throws -> WorkFolder {
        let folder = WorkFolder()
        let generated = try folder.run(["demo", "generate", "--students", "\(students)", "--seed", "\(seed)", "--out", "out"])
        try #require(generated.status == 0, "demo generate failed: \(generated.error)")
        let imported = try folder.run(["import", "oneroster", "out/oneroster"])
        try #require(imported.status == 0, "import of the generated school failed: \(imported.error)")
        return folder
    }

    /// Seconds elapsed since `start`.
    static func seconds(since start: Date) -> Double {
        Date().timeIntervalSince(start)
    }
}

// MARK: - Killing a process

extension BackgroundLanyard {
    /// Sends SIGKILL and waits for the process to end.
    ///
    /// - Returns: true when SIGKILL ended it, false when it had already exited on its own.
    @discardableResult
    func killAbruptly() -> Bool {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    }
}

// MARK: - The database as the sqlite3 command-line shell reads it

/// Runs Debian's `sqlite3` shell on a database file: an oracle independent of Lanyard's own
/// Storage code.
enum SQLiteShell {
    /// Runs `commands` (SQL or dot-commands) and returns what the shell wrote on standard output.
    ///
    /// - Throws: when the shell cannot start or exits with a non-zero status.
    static func run(_ database: String, _ commands: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database] + commands
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(
                .fileReadUnknown,
                userInfo: [
                    NSLocalizedDescriptionKey: "sqlite3 \(commands) on '\(database)' failed: \(String(decoding: errorData, as: UTF8.self))"
                ])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Returns the lines a query writes, one per row, columns separated by `|`.
    static func lines(_ database: String, _ query: String) throws -> [String] {
        try run(database, query).split(separator: "\n").map(String.init)
    }
}

/// Rows removed from and added to one table between two snapshots.
struct RowChanges: Equatable {
    var removed: Int
    var added: Int
}

/// Every row and every schema statement of a SQLite file, from `sqlite3 FILE .dump`, grouped
/// by table so that a difference names the tables it is in.
struct DatabaseSnapshot: Equatable {
    /// The `INSERT` lines of each table, in rowid order as `.dump` writes them.
    var rows: [String: [String]]
    /// Every other line: schema, indexes, `sqlite_sequence` resets, the transaction frame.
    var schema: [String]

    init(path: String) throws {
        var rows: [String: [String]] = [:]
        var schema: [String] = []
        for line in try SQLiteShell.run(path, ".dump").split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("INSERT INTO ") {
                let table = line.dropFirst("INSERT INTO ".count).prefix { $0 != " " && $0 != "(" }
                rows[String(table).trimmingCharacters(in: CharacterSet(charactersIn: "\"")), default: []].append(String(line))
            } else {
                schema.append(String(line))
            }
        }
        self.rows = rows
        self.schema = schema
    }

    /// Total rows over every table.
    var rowCount: Int { rows.values.reduce(0) { $0 + $1.count } }

    /// Counts, for each table, the rows of `before` that this snapshot lacks and the rows it has
    /// that `before` lacks. A row changed in place counts once each way.
    func rowChanges(since before: DatabaseSnapshot) -> [String: RowChanges] {
        var changes: [String: RowChanges] = [:]
        for table in Set(rows.keys).union(before.rows.keys) {
            let now = Set(rows[table] ?? [])
            let then = Set(before.rows[table] ?? [])
            changes[table] = RowChanges(removed: then.subtracting(now).count, added: now.subtracting(then).count)
        }
        return changes
    }

    /// Describes where `other` differs from this snapshot: each table whose rows differ, with
    /// the rows removed and added, and whether the schema differs. Empty when they are equal.
    func differences(from other: DatabaseSnapshot) -> [String] {
        var found: [String] = []
        for (table, change) in other.rowChanges(since: self).sorted(by: { $0.key < $1.key })
        where change != RowChanges(removed: 0, added: 0) {
            found.append("\(table): \(change.removed) rows removed, \(change.added) added")
        }
        if schema != other.schema { found.append("schema") }
        return found
    }
}

// MARK: - What the SMTP server received

extension SMTPTestServer {
    /// Returns whether the server has stored at least `count` messages. The server names its files
    /// 0001.json, 0002.json... in the order it accepts messages, and renames each into place
    /// only when it is complete, so one `access` call checks without listing the folder.
    func hasReceived(atLeast count: Int) -> Bool {
        count <= 0 || access(folder.path + "/" + String(format: "%04d.json", count), F_OK) == 0
    }

    /// Counts the messages stored so far.
    func receivedCount() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.count
    }

    /// Returns the `Message-ID` of every stored message without its angle brackets, one entry
    /// per message received, so a message received twice appears twice.
    func receivedMessageIds() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/" + name))
            let record = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let message = record?["message"] as? [String: Any]
            let messageId = message?["messageId"] as? String ?? ""
            return messageId.trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
        }
    }
}

// MARK: - A REPL fed over time

/// `lanyard repl` with its standard input on a pipe that the test writes to while other
/// processes work, and its output in files.
final class PipedRepl {
    let process = Process()
    private let input = Pipe()
    let outputPath: String
    let errorPath: String

    init(in folder: WorkFolder) throws {
        outputPath = folder.path + "/repl-\(UUID().uuidString).out"
        errorPath = outputPath + ".err"
        for path in [outputPath, errorPath] where !FileManager.default.createFile(atPath: path, contents: nil) {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        process.executableURL = URL(fileURLWithPath: LanyardProcess.executable)
        process.arguments = ["repl"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LANYARD_DB")
        environment["NO_COLOR"] = "1"
        environment["LANYARD_HISTORY"] = folder.path + "/repl-history"
        process.environment = environment
        process.standardInput = input
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Writes one line of Lua, which the REPL runs once it has finished the lines before.
    func send(_ line: String) {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    /// Closes standard input, which ends the session once every line has run, and waits up to
    /// `seconds` for the exit status.
    func finish(waitingAtMost seconds: Double) throws -> Int32? {
        try input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    var outputText: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var errorText: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }
}
