import Domain
import Foundation
import LuaRuntime
import Storage

/// The engine of `lanyard repl`: one Lua environment kept across statements, the scripting
/// API of `lanyard run`, and a transaction per statement unless the user groups statements
/// with `begin()`. It has no terminal code: a front end feeds it lines and shows the
/// ``InteractiveEvaluation`` that each complete chunk produces.
///
/// ```swift
/// let repl = try InteractiveSession(directory: directory, settings: settings, workspace: workspace)
/// repl.output = { line in console.write(line + "\n") }
/// if case .evaluated(let evaluation) = repl.enter("users.select('year:7')") {
///     // evaluation.values == [.selection(query: "year:7", count: 2, firstRows: [...])]
/// }
/// ```
///
/// Each line is first compiled as an expression, whose values are shown, then as a statement,
/// as Lua's own `lua` prompt does. A chunk whose syntax error is at its end (`<eof>`) waits
/// for more lines.
public final class InteractiveSession {
    public struct Options: Sendable {
        /// Roll back every statement and report what it would have changed.
        public var dryRun = false
        /// The limits of each statement.
        public var limits = LuaLimits(instructions: 1_000_000_000, memoryBytes: 512 << 20)
        /// Folders `require` searches, such as the shipped scripts/ folder.
        public var moduleSearchPaths: [String] = []
        /// People read from a Selection to preview it.
        public var selectionPreviewRows = 10

        public init() {}
    }

    /// The chunk name in messages: `repl:1: attempt to call a nil value`.
    public static let chunkName = "repl"
    /// The hidden global that shows an expression's values.
    static let displayFunction = "__lanyard_repl_show"

    public let options: Options
    /// The school's name for the prompt, or nil when the directory has no school yet.
    public let schoolName: String?
    /// Stops the running statement from another thread (a Ctrl-C handler).
    public var interrupter: LuaInterrupter { state.interrupter }
    /// Receives each line a statement prints, without its line break.
    public var output: ((String) -> Void)? {
        get { state.output }
        set { state.output = newValue }
    }
    /// The newest audit entry when `begin()` opened the transaction, so that a rollback can
    /// keep the code reads made since.
    private var transactionAuditStart = 0
    /// Whether `begin()` opened a transaction that `commit()` or `rollback()` has not closed.
    public var isTransactionOpen: Bool { control.isOpen }
    /// Whether lines of an unfinished chunk are waiting for the rest.
    public var hasPendingInput: Bool { !pendingLines.isEmpty }

    let session: ScriptSession
    let state: LuaState
    let environment: LuaEnvironment
    /// Compiles chunks without running them, apart from the user's globals.
    private let checkEnvironment: LuaEnvironment
    private let changeCounter: ScriptRunner
    private let control: InteractiveTransactionControl
    private var pendingLines: [String] = []
    private var shownValues: [InteractiveValue] = []

    /// Opens a session on `directory`; reading codes is audited as `repl`.
    ///
    /// - Throws: ``LuaError`` when the Lua state cannot be made, and the directory's errors
    ///   when the school cannot be read.
    /// - Parameter plugins: the enabled plugins, which `require` reaches and whose layouts the
    ///   API uses.
    public init(directory: Directory, settings: Settings, workspace: Workspace, options: Options = Options(), plugins: PluginHost? = nil) throws {
        self.options = options
        session = ScriptSession(
            directory: directory, settings: settings, origin: Directory.Origin("repl"), logLabel: "repl",
            workspace: workspace, arguments: [:])
        session.plugins = plugins
        state = try LuaState(limits: options.limits, moduleSearchPaths: options.moduleSearchPaths)
        try session.install(into: state)
        plugins?.connect(state)
        environment = try state.makeEnvironment()
        checkEnvironment = try state.makeEnvironment()
        changeCounter = ScriptRunner(directory: directory, settings: settings, workspace: workspace)
        control = InteractiveTransactionControl(isDryRun: options.dryRun)
        let name = try directory.schools().first?.name
        schoolName = (name?.isEmpty ?? true) ? nil : name

        try control.install(into: environment)
        let reader = InteractiveValueReader(session: session, selectionRows: options.selectionPreviewRows)
        try environment.register(function: Self.displayFunction) { [unowned self] call in
            for index in stride(from: InteractiveValueReader.nextArgument + 1, through: call.argumentCount, by: 1) {
                shownValues.append(try reader.read(call, at: index))
            }
            return 0
        }
    }

    // MARK: - Lines

    /// Adds a line to the chunk being typed, and runs the chunk once it is complete.
    ///
    /// Returns ``InteractiveStep/needsMore`` while the chunk's only syntax error is that it
    /// ends too soon (an open `function`, `do`, `{` or long string).
    public func enter(_ line: String) -> InteractiveStep {
        pendingLines.append(line)
        let chunk = pendingLines.joined(separator: "\n")
        let prepared = prepare(chunk)
        if case .incomplete = prepared { return .needsMore }
        pendingLines = []
        return .evaluated(evaluate(prepared))
    }

    /// Ends the input: an unfinished chunk is reported as the syntax error it is, and nil is
    /// returned when no line was waiting.
    public func finishInput() -> InteractiveEvaluation? {
        guard hasPendingInput else { return nil }
        let chunk = pendingLines.joined(separator: "\n")
        pendingLines = []
        switch prepare(chunk) {
        case .incomplete(let message): return InteractiveEvaluation(failure: message)
        case let prepared: return evaluate(prepared)
        }
    }

    /// Drops the lines of an unfinished chunk, for Ctrl-C at a continuation prompt.
    public func discardPendingInput() {
        pendingLines = []
    }

    // MARK: - The transaction `begin()` opened

    /// Commits the transaction `begin()` opened; does nothing when none is open.
    /// - Throws: ``DatabaseError`` when SQLite cannot commit.
    public func commitTransaction() throws {
        guard control.isOpen else { return }
        try session.directory.database.execute("COMMIT")
        control.isOpen = false
    }

    /// Rolls back the transaction `begin()` opened; does nothing when none is open.
    /// - Throws: ``DatabaseError`` when SQLite cannot roll back.
    public func rollBackTransaction() throws {
        guard control.isOpen else { return }
        control.isOpen = false
        let database = session.directory.database
        // Codes read inside the transaction stay read: their audit rows are written again.
        let reads = (try? changeCounter.codeReads(after: transactionAuditStart)) ?? []
        if database.isInTransaction { try database.execute("ROLLBACK") }
        try? changeCounter.keep(reads)
    }

    // MARK: - Compiling

    private enum PreparedChunk {
        case empty
        case incomplete(message: String)
        case syntaxError(message: String)
        /// The Lua source to run, and whether it shows an expression's values.
        case runnable(source: String)
    }

    /// Decides how to run `chunk`: as an expression whose values are shown, as a statement,
    /// or not yet.
    private func prepare(_ chunk: String) -> PreparedChunk {
        var expression = chunk.trimmingCharacters(in: .whitespacesAndNewlines)
        while expression.hasSuffix(";") {
            expression.removeLast()
            expression = expression.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard !expression.isEmpty else { return .empty }

        // The expression stays on the chunk's first line, so error lines match what was typed.
        // The line break ends a trailing `-- comment` before the closing bracket.
        // NOTE: `next` is read from the user's globals, so a statement that reassigns it breaks
        // the display of tables until it is restored.
        let shown = "\(Self.displayFunction)(next, \(expression)\n)"
        do {
            if try syntaxError(in: shown) == nil { return .runnable(source: shown) }
            guard let message = try syntaxError(in: chunk) else { return .runnable(source: chunk) }
            return message.hasSuffix("<eof>") ? .incomplete(message: message) : .syntaxError(message: message)
        } catch {
            return .syntaxError(message: "\(error)")
        }
    }

    /// Compiles `source` with Lua's `load` without running it; returns Lua's message, or nil
    /// when it compiles.
    private func syntaxError(in source: String) throws -> String? {
        let results = try state.run(
            "local chunk, message = load(...) return message", chunkName: "repl-check",
            arguments: [.string(source), .string("=\(Self.chunkName)")], in: checkEnvironment)
        return results.first?.stringValue
    }

    // MARK: - Running

    private func evaluate(_ prepared: PreparedChunk) -> InteractiveEvaluation {
        switch prepared {
        case .empty: return InteractiveEvaluation()
        case .incomplete(let message), .syntaxError(let message): return InteractiveEvaluation(failure: message)
        case .runnable(let source): return run(source)
        }
    }

    /// Runs compiled `source` in its transaction: rolled back in a dry run, a savepoint inside
    /// an open transaction, else committed on its own unless it called `begin()`.
    ///
    /// Whatever rolls back, the `code.read` audit rows of the statement are written again
    /// afterwards, because the codes were shown.
    private func run(_ source: String) -> InteractiveEvaluation {
        var evaluation = InteractiveEvaluation()
        let database = session.directory.database
        shownValues = []
        control.request = nil
        let auditBefore = (try? changeCounter.lastAuditId()) ?? 0
        var reads: [Row] = []
        do {
            if options.dryRun {
                defer { try? changeCounter.keep(reads) }
                evaluation.dryRunChanges = try database.rollingBack {
                    defer { reads = (try? changeCounter.codeReads(after: auditBefore)) ?? [] }
                    return try runCountingChanges(source)
                }
            } else if control.isOpen {
                do {
                    try database.transaction {
                        do {
                            try runChunk(source)
                        } catch {
                            reads = (try? changeCounter.codeReads(after: auditBefore)) ?? []
                            throw error
                        }
                    }
                } catch {
                    try? changeCounter.keep(reads)
                    throw error
                }
                try applyRequest(to: &evaluation)
            } else {
                try database.execute("BEGIN IMMEDIATE")
                do {
                    try runChunk(source)
                } catch {
                    reads = (try? changeCounter.codeReads(after: auditBefore)) ?? []
                    if database.isInTransaction { try? database.execute("ROLLBACK") }
                    try? changeCounter.keep(reads)
                    throw error
                }
                if control.request == .begin {
                    control.isOpen = true
                    transactionAuditStart = auditBefore
                    evaluation.transactionChange = .began
                } else {
                    try database.execute("COMMIT")
                }
            }
        } catch let failure as ScriptFailure {
            evaluation.failure = Self.message(for: failure)
            evaluation.wasInterrupted = failure.error.isInterruption
        } catch {
            evaluation.failure = "\(error)"
        }
        evaluation.values = evaluation.failure == nil ? shownValues : []
        shownValues = []
        return evaluation
    }

    private func runChunk(_ source: String) throws {
        do {
            _ = try state.run(source, chunkName: Self.chunkName, in: environment)
        } catch {
            throw ScriptFailure(error: error, limits: options.limits)
        }
    }

    /// Runs `source` and returns what it changed, for a dry run; the caller rolls it back.
    private func runCountingChanges(_ source: String) throws -> InteractiveChanges {
        let database = session.directory.database
        let auditBefore = try changeCounter.lastAuditId()
        let countsBefore = try changeCounter.tableCounts()
        let changesBefore = database.totalChanges
        try runChunk(source)
        return InteractiveChanges(
            total: database.totalChanges - changesBefore,
            rowsByTable: try changeCounter.changedTables(since: countsBefore),
            actions: try changeCounter.auditActions(after: auditBefore))
    }

    /// Carries out the `commit()` or `rollback()` the statement asked for.
    private func applyRequest(to evaluation: inout InteractiveEvaluation) throws {
        switch control.request {
        case .commit:
            try commitTransaction()
            evaluation.transactionChange = .committed
        case .rollback:
            try rollBackTransaction()
            evaluation.transactionChange = .rolledBack
        case .begin, nil:
            break
        }
    }

    /// Returns a failure's message in the REPL's words, naming an interrupted statement plainly.
    private static func message(for failure: ScriptFailure) -> String {
        if case .interrupted(let location) = failure.error {
            return "\(location): the statement was interrupted"
        }
        return failure.description
    }
}

// MARK: - Results

/// The result of entering a line.
public enum InteractiveStep: Sendable, Equatable {
    /// The chunk is unfinished: show the continuation prompt and read another line.
    case needsMore
    /// The chunk ran, or failed to compile.
    case evaluated(InteractiveEvaluation)
}

/// The outcome of one chunk: the values to show, or why it failed, and what happened to the
/// transaction.
public struct InteractiveEvaluation: Sendable, Equatable {
    /// The values of an expression, in order; empty for a statement.
    public var values: [InteractiveValue] = []
    /// The error message (`repl:1: ...`), or nil when the chunk succeeded. The statement's
    /// changes were rolled back, or rolled back to the start of the statement when a
    /// transaction is open.
    public var failure: String?
    /// Whether ``InteractiveSession/interrupter`` stopped the chunk.
    public var wasInterrupted = false
    /// The change that `begin()`, `commit()` or `rollback()` made, if the chunk called one.
    public var transactionChange: InteractiveTransactionChange?
    /// In a dry run, what the statement would have changed before it was rolled back.
    public var dryRunChanges: InteractiveChanges?

    public init(values: [InteractiveValue] = [], failure: String? = nil) {
        self.values = values
        self.failure = failure
    }
}

/// A change to the transaction that groups statements.
public enum InteractiveTransactionChange: Sendable, Equatable {
    case began, committed, rolledBack
}

/// The changes a statement made in the directory, counted as ``ScriptRunner/Outcome`` counts a run's.
public struct InteractiveChanges: Sendable, Equatable {
    /// Rows inserted, updated or deleted, as SQLite counted them.
    public var total: Int
    /// Net rows added (negative: removed) per table, as `users rows`; unchanged tables are left out.
    public var rowsByTable: [String: Int]
    /// Audit entries the statement wrote, as `action: detail`.
    public var actions: [String]

    /// Whether the statement changed nothing and recorded nothing.
    public var isEmpty: Bool { total == 0 && rowsByTable.isEmpty && actions.isEmpty }
}

extension LuaError {
    fileprivate var isInterruption: Bool {
        if case .interrupted = self { return true }
        return false
    }
}
