/// The exit statuses of `lanyard`, following the BSD `sysexits.h` codes (64 and up) where
/// one fits, so that scripts and schedulers can tell a typo from a missing file from a server
/// that is down.
///
/// | status | case | when |
/// | --- | --- | --- |
/// | 0 | `success` | the operation finished completely |
/// | 1 | `failure` | the operation failed as a whole, such as an import rejected for invalid rows |
/// | 2 | `partial` | the operation finished, but some rows were skipped or some messages failed |
/// | 64 | `usage` | the command line is wrong: unknown option, missing argument, invalid value |
/// | 65 | `dataError` | an input file is malformed, such as a CSV file with broken quoting |
/// | 66 | `inputMissing` | an input file or folder does not exist or cannot be read |
/// | 69 | `unavailable` | a service is unavailable, such as an SMTP server that refuses connections |
/// | 70 | `internalError` | a bug in Lanyard: an error that no command expected |
/// | 73 | `cannotCreateOutput` | an output file or folder cannot be created |
/// | 74 | `ioError` | a read or write failed part way, such as a full disk |
/// | 75 | `temporaryFailure` | worth retrying later, such as a database locked by another run |
/// | 77 | `permissionDenied` | the user may not do this, such as a script without a capability |
/// | 78 | `configurationError` | the configuration is invalid or incomplete |
public enum ExitCode: Int32, Sendable, CaseIterable {
    case success = 0
    case failure = 1
    case partial = 2
    case usage = 64
    case dataError = 65
    case inputMissing = 66
    case unavailable = 69
    case internalError = 70
    case cannotCreateOutput = 73
    case ioError = 74
    case temporaryFailure = 75
    case permissionDenied = 77
    case configurationError = 78
}

/// An error with a message for the user and the exit status it leads to.
///
/// ``CommandLineTool`` writes `error: ` followed by ``message`` to standard error. Errors that
/// do not conform are reported with their description and exit status 70
/// (``ExitCode/internalError``), because no command expected them.
public protocol ReportableError: Error {
    /// The message: what failed, the value involved and what to do next, in one or more sentences.
    var message: String { get }
    var exitCode: ExitCode { get }
}
