import LuaRuntime

/// The REPL-only globals `begin()`, `commit()` and `rollback()`, and the state they change.
///
/// A call records a request that takes effect when the statement that made it finishes, so a
/// statement's work and its request succeed or fail together. `begin(); codes.regenerate(s)`
/// opens the transaction with the regeneration in it. A statement that raises an error after
/// `commit()` commits nothing.
///
/// NOTE: an open transaction keeps SQLite's write lock, so other Lanyard commands that write
/// wait on the busy timeout (10 seconds) and then fail until the REPL commits or rolls back.
final class InteractiveTransactionControl {
    enum Request: Equatable {
        case begin, commit, rollback
    }

    let isDryRun: Bool
    /// Whether `begin()` opened a transaction that is still open.
    var isOpen = false
    /// The request of the statement running now.
    var request: Request?

    init(isDryRun: Bool) {
        self.isDryRun = isDryRun
    }

    func install(into environment: LuaEnvironment) throws {
        try environment.register(function: "begin") { [unowned self] _ in
            try check(.begin)
            request = .begin
            return 0
        }
        try environment.register(function: "commit") { [unowned self] _ in
            try check(.commit)
            request = .commit
            return 0
        }
        try environment.register(function: "rollback") { [unowned self] _ in
            try check(.rollback)
            request = .rollback
            return 0
        }
    }

    /// Raises the error for a request that makes no sense now.
    private func check(_ wanted: Request) throws(InteractiveTransactionError) {
        let name = Self.functionName(wanted)
        if isDryRun { throw .dryRun(function: name) }
        if let request, request != wanted {
            throw .conflictingRequest(function: name, earlier: Self.functionName(request))
        }
        switch wanted {
        case .begin where isOpen: throw .alreadyOpen
        case .commit where !isOpen, .rollback where !isOpen: throw .notOpen(function: name)
        default: break
        }
    }

    static func functionName(_ request: Request) -> String {
        switch request {
        case .begin: return "begin()"
        case .commit: return "commit()"
        case .rollback: return "rollback()"
        }
    }
}

/// A misuse of `begin()`, `commit()` or `rollback()` in the REPL, raised as a Lua error.
enum InteractiveTransactionError: Error, CustomStringConvertible {
    case dryRun(function: String)
    case alreadyOpen
    case notOpen(function: String)
    case conflictingRequest(function: String, earlier: String)

    var description: String {
        switch self {
        case .dryRun(let function):
            return "\(function) is not available in a dry run, where every statement is rolled back; "
                + "restart the REPL without --dry-run to group statements"
        case .alreadyOpen:
            return "a transaction is already open; call commit() or rollback() before begin()"
        case .notOpen(let function):
            return "\(function) found no open transaction; call begin() first to group statements"
        case .conflictingRequest(let function, let earlier):
            return "\(function) cannot follow \(earlier) in the same statement; type them on separate lines"
        }
    }
}
