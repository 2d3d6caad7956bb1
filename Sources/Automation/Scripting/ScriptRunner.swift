import Domain
import Foundation
import LuaRuntime
import Storage

/// Runs a workflow script as one transaction: committed when the script returns, rolled back
/// when it raises an error, and always rolled back in a dry run.
public struct ScriptRunner {
    public struct Options: Sendable {
        public var dryRun = false
        public var arguments: [String: String] = [:]
        public var limits = LuaLimits(instructions: 1_000_000_000, memoryBytes: 512 << 20)
        /// Folders `require` searches, such as the shipped scripts/ folder.
        public var moduleSearchPaths: [String] = []
        /// Wall-clock seconds the script may run, or nil for no limit. See ``Watchdog``.
        public var timeLimit: Double?

        public init() {}
    }

    /// What a run did or, in a dry run, would have done.
    public struct Outcome: Sendable, Encodable {
        public var script: String
        public var dryRun: Bool
        public var committed: Bool
        /// Rows inserted, updated or deleted, by table, as SQLite counted them.
        public var changes: [String: Int]
        /// Audit entries the run wrote: what it did, in order.
        public var actions: [String]
        public var printed: [String]
        public var files: [String]
        public var instructions: Int
        /// Messages the run queued in the outbox (0 in a dry run).
        public var queuedMessages: Int
    }

    let directory: Directory
    let settings: Settings
    let workspace: Workspace
    /// The enabled plugins: scripts may `require` them, and their `after_run` hooks see each run.
    let plugins: PluginHost?

    public init(directory: Directory, settings: Settings, workspace: Workspace, plugins: PluginHost? = nil) {
        self.directory = directory
        self.settings = plugins?.settings ?? settings
        self.workspace = workspace
        self.plugins = plugins
    }

    /// Runs the script at `path`.
    ///
    /// - Parameter output: receives each line the script prints, as it prints it.
    /// - Throws: ``ScriptFailure`` with the Lua error (chunk, line, traceback) when the script
    ///   fails; the transaction is rolled back first.
    public func run(path: String, options: Options, output: @escaping (String) -> Void) throws -> Outcome {
        let name = (path as NSString).lastPathComponent
        let session = ScriptSession(directory: directory, settings: settings, scriptName: name, workspace: workspace, arguments: options.arguments)
        session.isDryRun = options.dryRun
        session.plugins = plugins
        let state = try LuaState(limits: options.limits, moduleSearchPaths: options.moduleSearchPaths)
        state.output = { line in
            session.printedLines.append(line)
            output(line)
        }
        try session.install(into: state)
        plugins?.connect(state)

        let database = directory.database
        let auditBefore = try lastAuditId()
        let countsBefore = try tableCounts()

        var changes: [String: Int] = [:]
        var actions: [String] = []
        let source = try Self.readSource(path)
        let watchdog = options.timeLimit.map { Watchdog(seconds: $0, interrupters: [state.interrupter] + (plugins?.interrupters ?? [])) }
        defer { watchdog?.cancel() }
        // Reads of codes are written again after a rollback: a script that printed a PIN and
        // then failed, or a dry run, still read it.
        var codeReads: [Row] = []
        let body = {
            defer { codeReads = (try? self.codeReads(after: auditBefore)) ?? [] }
            let changesBefore = database.totalChanges
            do {
                _ = try state.run(source, chunkName: name)
            } catch let error as LuaError {
                if case .interrupted(let location) = error, let watchdog, watchdog.fired {
                    throw ScriptFailure(error: error, limits: options.limits, timeLimit: (watchdog.seconds, location))
                }
                throw ScriptFailure(error: error, limits: options.limits)
            }
            changes = try self.changedTables(since: countsBefore)
            changes["total"] = database.totalChanges - changesBefore
            actions = try self.auditActions(after: auditBefore)
            try self.plugins?.afterRun(
                Outcome(
                    script: path, dryRun: options.dryRun, committed: false, changes: changes, actions: actions, printed: session.printedLines,
                    files: session.writtenFiles, instructions: state.instructionsUsed, queuedMessages: session.queuedMessages))
        }
        do {
            if options.dryRun {
                try database.rollingBack(body)
                try keep(codeReads)
            } else {
                try database.transaction(body)
            }
        } catch {
            try? keep(codeReads)
            throw error
        }
        return Outcome(
            script: path, dryRun: options.dryRun, committed: !options.dryRun, changes: changes, actions: actions,
            printed: session.printedLines, files: session.writtenFiles, instructions: state.instructionsUsed,
            queuedMessages: options.dryRun ? 0 : session.queuedMessages)
    }

    /// The script's text without a UTF-8 byte order mark, and with a `#!` first line blanked so
    /// that line numbers stay right. Messages name the script by its file name alone, because
    /// Lua shortens long chunk names.
    static func readSource(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScriptFailure(error: .fileNotReadable(path: path, reason: "no such file, or not readable"), limits: LuaLimits())
        }
        var source = String(decoding: data, as: UTF8.self)
        if source.hasPrefix("\u{FEFF}") { source.removeFirst() }
        if source.hasPrefix("#") {
            let end = source.firstIndex(of: "\n") ?? source.endIndex
            source.replaceSubrange(source.startIndex..<end, with: "")
        }
        return source
    }

    // MARK: - What a run changed

    /// Returns the id of the newest audit entry, or 0 when the log is empty.
    func lastAuditId() throws -> Int {
        try directory.database.scalar("SELECT coalesce(max(id), 0) FROM audit_log")?.intValue ?? 0
    }

    /// Returns the audit entries written after entry `id`, as `action: detail`, oldest first.
    func auditActions(after id: Int) throws -> [String] {
        try directory.database.query(
            "SELECT action, via, detail FROM audit_log WHERE id > ?1 ORDER BY id", [id]
        ).map { row in [row.string("action"), row.string("detail")].compactMap { $0 }.joined(separator: ": ") }
    }

    /// Returns the `code.read` audit rows written after entry `id`.
    func codeReads(after id: Int) throws -> [Row] {
        try directory.database.query(
            "SELECT at, actor, action, via, user_id, detail FROM audit_log WHERE id > ?1 AND action = 'code.read' ORDER BY id", [id])
    }

    /// Returns the detail of a kept row, marked once, even when kept twice (a REPL statement's rows
    /// kept inside a transaction that is then rolled back too).
    static func keptDetail(_ detail: String) -> String {
        let mark = " (kept after the run was rolled back)"
        return detail.hasSuffix(mark) ? detail : detail + mark
    }

    /// Writes `rows` to the audit log again after the run's rollback removed them.
    func keep(_ rows: [Row]) throws {
        guard !rows.isEmpty else { return }
        try directory.database.transaction {
            for row in rows {
                try directory.database.execute(
                    "INSERT INTO audit_log (at, actor, action, via, user_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    [
                        row.string("at"), row.string("actor"), row.string("action"), row.string("via"), row.int("user_id"),
                        Self.keptDetail(row.string("detail") ?? ""),
                    ])
            }
        }
    }

    private static let countedTables = ["schools", "users", "parent_links", "credentials", "password_links", "outbox", "imports"]

    func tableCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in Self.countedTables where try tableExists(table) {
            counts[table] = try directory.database.scalar("SELECT count(*) FROM \(table)")?.intValue ?? 0
        }
        return counts
    }

    private func tableExists(_ table: String) throws -> Bool {
        try directory.database.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [table])?.intValue == 1
    }

    /// Net rows added (or removed) per table since `before`; tables with no net change are left out.
    func changedTables(since before: [String: Int]) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for (table, count) in try tableCounts() where count != before[table] {
            result["\(table) rows"] = count - (before[table] ?? 0)
        }
        return result
    }
}

/// A script that failed: the Lua error, and for limits, the flag that raises the limit.
public struct ScriptFailure: Error, CustomStringConvertible {
    public let error: LuaError
    let limits: LuaLimits
    /// Set when the watchdog stopped the script: the limit and where the script was.
    var timeLimit: (seconds: Double, location: LuaSourceLocation)?

    init(error: LuaError, limits: LuaLimits, timeLimit: (seconds: Double, location: LuaSourceLocation)? = nil) {
        self.error = error
        self.limits = limits
        self.timeLimit = timeLimit
    }

    /// `script.lua:12: message`, with a hint for limits.
    public var description: String {
        if let timeLimit {
            let seconds = Int(timeLimit.seconds)
            return "\(timeLimit.location): the script was stopped after \(seconds) second\(seconds == 1 ? "" : "s"), its time limit; "
                + "look for a loop that never ends, or raise the limit with --time-limit \(Int(timeLimit.seconds) * 2)"
        }
        switch error {
        case .instructionLimitExceeded(let limit, let location):
            return "\(location): the script was stopped after \(limit) instructions, its instruction limit; "
                + "look for a loop that never ends, or raise the limit with --instruction-limit \(limit * 10)"
        case .memoryLimitExceeded(let limit, let location):
            return "\(location): the script was stopped because it needed more than \(limit >> 20) MiB of memory, its memory limit; "
                + "look for a table or string that grows without end, or raise the limit with --memory-limit \(max(16, (limit >> 20) * 2))"
        default:
            return error.description
        }
    }

    /// Lua's stack traceback, when the error had one.
    public var traceback: String? {
        if case .runtime(_, _, let traceback) = error, !traceback.isEmpty { return traceback }
        return nil
    }
}
