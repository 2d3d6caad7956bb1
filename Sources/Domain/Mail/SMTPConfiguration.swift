import Foundation

/// A user name and password for SMTP AUTH.
///
/// Read the password from an environment variable or a file, never from the command line,
/// where other users can see it in the process list. ``description`` hides it, and
/// ``SMTPTransport`` never logs it or puts it in an error.
///
/// ```swift
/// let credentials = try SMTPCredentials(user: "office@oakfield.sch.uk", passwordFile: "/etc/lanyard/smtp-password")
/// ```
public struct SMTPCredentials: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    /// Reads the password from the environment variable `variable`.
    ///
    /// - Throws: ``SMTPConfigurationError/passwordVariableMissing(name:)`` when it is unset or empty.
    public init(user: String, passwordVariable variable: String, environment: [String: String]) throws(SMTPConfigurationError) {
        guard let password = environment[variable], !password.isEmpty else {
            throw .passwordVariableMissing(name: variable)
        }
        self.init(user: user, password: password)
    }

    /// Reads the password from the first line of a file, without its line end.
    ///
    /// - Throws: ``SMTPConfigurationError/passwordFileUnreadable(path:reason:)`` or
    ///   ``SMTPConfigurationError/passwordFileEmpty(path:)``.
    public init(user: String, passwordFile path: String) throws(SMTPConfigurationError) {
        let contents: String
        do {
            contents = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .passwordFileUnreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        let firstLine = contents.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).first ?? ""
        guard !firstLine.isEmpty else { throw .passwordFileEmpty(path: path) }
        self.init(user: user, password: String(firstLine))
    }

    public var description: String { "user '\(user)' with a password (hidden)" }
}

/// The settings with which ``SMTPTransport`` reaches the school's mail server.
///
/// ```swift
/// var settings = SMTPConfiguration(url: "smtp://smtp.office365.com:587")
/// settings.credentials = try SMTPCredentials(user: "office@oakfield.sch.uk", passwordVariable: "LANYARD_SMTP_PASSWORD",
///                                            environment: ProcessInfo.processInfo.environment)
/// ```
public struct SMTPConfiguration: Sendable, Equatable {
    /// `smtp://host:port` (STARTTLS, usually port 587) or `smtps://host:port` (TLS from the
    /// start, usually port 465). A path names the host sent in EHLO: `smtp://host:587/school.example`.
    public var url: String
    /// For `smtp://`: refuse to send unless the server offers STARTTLS. When false, STARTTLS is
    /// still used if the server offers it. `smtps://` always uses TLS.
    public var requireTLS: Bool
    /// A PEM file of CA certificates to trust instead of the system's, such as a test CA.
    public var caFile: String?
    public var credentials: SMTPCredentials?
    /// The maximum wait for the connection and the TLS handshake, in seconds.
    public var connectTimeout: Double
    /// The maximum time one message may take from connecting to the server's last reply, in
    /// seconds. A server that stops replying fails the message after this long.
    public var timeout: Double

    public init(
        url: String, requireTLS: Bool = true, caFile: String? = nil, credentials: SMTPCredentials? = nil, connectTimeout: Double = 15,
        timeout: Double = 120
    ) {
        self.url = url
        self.requireTLS = requireTLS
        self.caFile = caFile
        self.credentials = credentials
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }
}

/// SMTP settings that cannot work.
public enum SMTPConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidURL(String, reason: String)
    case passwordVariableMissing(name: String)
    case passwordFileUnreadable(path: String, reason: String)
    case passwordFileEmpty(path: String)
    /// libcurl refused a setting; `option` is the `CURLoption` number.
    case settingRejected(url: String, option: Int, reason: String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            return "invalid mail server URL '\(url)': \(reason); write it as smtp://host:587 or smtps://host:465"
        case .passwordVariableMissing(let name):
            return "the environment variable \(name) that should hold the SMTP password is not set; set it before running Lanyard"
        case .passwordFileUnreadable(let path, let reason):
            return "cannot read the SMTP password file '\(path)': \(reason); check the path and that Lanyard's user may read it"
        case .passwordFileEmpty(let path):
            return "the SMTP password file '\(path)' is empty; put the password on its first line"
        case .settingRejected(let url, let option, let reason):
            return "libcurl rejected setting \(option) for '\(url)': \(reason); check that libcurl was built with SMTP and TLS support"
        }
    }
}
