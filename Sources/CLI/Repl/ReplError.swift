/// Failures of the REPL's front end that are not errors of the statements typed.
enum ReplError: Error, ReportableError, Equatable {
    /// libedit could not start on the terminal.
    case lineEditingUnavailable(reason: String)
    /// The history file could not be written; the session goes on without saving.
    case historyNotSaved(path: String, reason: String)

    var message: String {
        switch self {
        case .lineEditingUnavailable(let reason):
            return "cannot start line editing: \(reason). Pipe the statements into 'lanyard repl' instead"
        case .historyNotSaved(let path, let reason):
            return "cannot save the REPL history to '\(path)': \(reason); set LANYARD_HISTORY to a writable file"
        }
    }

    var exitCode: ExitCode {
        switch self {
        case .lineEditingUnavailable: return .unavailable
        case .historyNotSaved: return .cannotCreateOutput
        }
    }
}
