import Automation
import Domain
import Foundation
import Storage

/// What every command that touches the directory needs: the directory itself and the
/// effective settings.
struct CommandContext {
    let directory: Directory
    let configuration: LanyardConfiguration
    let invocation: Invocation
    /// The enabled plugins, loaded and hooked into the directory.
    let plugins: PluginHost

    /// The settings, with the enabled plugins' template folders.
    var settings: Settings { plugins.settings }

    /// Opens the directory named by `--db`, `$LANYARD_DB` or `./lanyard.db`, and loads
    /// `lanyard.config.lua` from the working folder.
    /// - Parameter dryRun: for a dry run on a directory that does not exist yet, work on an
    ///   empty one in memory, so that "nothing was written" holds for the file too.
    init(_ invocation: Invocation, dryRun: Bool = false) throws {
        self.invocation = invocation
        self.configuration = try LanyardConfiguration.load(environment: invocation.environment)
        let path = invocation.databasePath
        let inMemory = dryRun && !FileManager.default.fileExists(atPath: path)
        self.directory = try Self.openDirectory(inMemory ? ":memory:" : path, reportedAs: path)
        self.plugins = try PluginLocator.host(directory: directory, configuration: configuration, environment: invocation.environment)
        plugins.install()
        for (name, failure) in plugins.failures.sorted(by: { $0.key < $1.key }) {
            invocation.console.warning("plugin '\(name)' did not load: \(failure); no mail is queued until it is fixed or disabled")
        }
    }

    /// Opens the directory at `path`, reporting a failure as the file `reportedAs`.
    /// - Throws: ``CommandError/databaseUnavailable(path:reason:)``.
    static func openDirectory(_ path: String, reportedAs shownPath: String) throws -> Directory {
        do {
            return try Directory(path: path)
        } catch let error as DatabaseError {
            throw CommandError.databaseUnavailable(path: shownPath, reason: error.message)
        }
    }

    var console: Console { invocation.console }
    var wantsJSON: Bool { invocation.globals.json }

    /// Parses a `--where` query, with `@file` paths relative to the working folder.
    func selection(_ query: String?) throws -> Selection {
        guard let query else { return Selection() }
        return try Selection(parsing: query)
    }
}

/// Failures of the command line itself, each with the status a script can act on.
enum CommandError: Error, ReportableError {
    case databaseUnavailable(path: String, reason: String)
    case fileExists(String)
    case message(String, ExitCode)

    var message: String {
        switch self {
        case .databaseUnavailable(let path, let reason):
            return "cannot open the directory '\(path)': \(reason). Check --db or $LANYARD_DB, and that you may write to the folder"
        case .fileExists(let path):
            return "'\(path)' already exists; remove it or give another path"
        case .message(let text, _):
            return text
        }
    }

    var exitCode: ExitCode {
        switch self {
        case .databaseUnavailable: return .cannotCreateOutput
        case .fileExists: return .cannotCreateOutput
        case .message(_, let code): return code
        }
    }
}

// MARK: - Exit statuses of library errors

extension ImportFailure: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode { .failure }
}

extension ImportInputError: ReportableError {
    public var exitCode: ExitCode {
        cause == .missing ? .inputMissing : .dataError
    }
    public var message: String { description }
}

extension CSVReadError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode {
        if case .unreadableFile = self { return .inputMissing }
        return .dataError
    }
}

extension SelectionError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode {
        switch self {
        case .listFileUnreadable: return .inputMissing
        default: return .usage
        }
    }
}

extension MISImportError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode {
        if case .missingColumns = self { return .dataError }
        return .usage
    }
}

extension DirectoryError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode {
        switch self {
        case .notADirectory: return .dataError
        case .unreadable: return .inputMissing
        case .noSchool, .severalSchools, .userNotFound: return .failure
        }
    }
}

extension CredentialError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode { .failure }
}

extension PluginError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode {
        switch self {
        case .notEnabled, .unknownLayout: return .usage
        case .notFound: return .inputMissing
        case .invalidManifest, .badResult: return .dataError
        default: return .failure
        }
    }
}

extension DatabaseError: ReportableError {
    public var message: String {
        if isBusy {
            return "the directory is locked by another Lanyard process (\(self.description)); try again when it has finished"
        }
        return description
    }
    public var exitCode: ExitCode { isBusy ? .temporaryFailure : .failure }
}

// MARK: - Output helpers

extension Console {
    /// Prints the warnings of an import on standard error, the first `limit` in full.
    func reportProblems(_ problems: [ImportProblem], severity: ImportProblem.Severity, limit: Int = 20) {
        let selected = problems.filter { $0.severity == severity }
        for problem in selected.prefix(limit) {
            if severity == .warning { warning(problem.description) } else { error(problem.description) }
        }
        if selected.count > limit {
            note("\(selected.count - limit) more \(severity == .warning ? "warnings" : "problems") not shown; use --json to see them all")
        }
    }
}
