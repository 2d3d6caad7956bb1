/// A message a transport could not deliver, with where it went and what the server replied.
///
/// No case ever carries a password: SMTP replies and libcurl's messages are what the server
/// and libcurl wrote, and ``SMTPTransport`` removes the password from them should it appear.
public enum MailTransportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server could not be reached (refused, unknown host, no route).
    case connectionFailed(server: String, reason: String)
    /// The server did not reply within the time-out, in seconds.
    case timedOut(server: String, seconds: Double)
    /// The connection broke during the exchange.
    case connectionLost(server: String, reason: String)
    /// A 4xx reply, with which the server requests a later retry.
    case temporaryRejection(server: String, code: Int, reply: String)
    /// A 5xx reply: the server will not take this message.
    case permanentRejection(server: String, code: Int, reply: String)
    /// TLS is required, but the server does not offer STARTTLS.
    case startTLSUnavailable(server: String)
    /// The TLS handshake or the certificate check failed.
    case tlsFailed(server: String, reason: String)
    /// The server rejected the login, or requires one that was not given.
    case authenticationFailed(server: String, user: String?, reply: String)
    /// libcurl rejected a setting, which is a configuration problem rather than a message one.
    case invalidSetting(server: String, reason: String)
    /// A ``FileTransport`` could not write its file.
    case fileWriteFailed(path: String, reason: String)
    /// Any other libcurl failure, with its `CURLcode`.
    case other(server: String, curlCode: Int, reason: String)

    /// The action delivery takes on the message and on the rest of the run.
    public enum Disposition: Sendable, Equatable {
        /// Queue the message again after a back-off, counting the attempt, and go on.
        case retryLater
        /// Queue the message again after a back-off, counting the attempt, and stop the run,
        /// because the next messages would fail the same way.
        case retryLaterAndStop
        /// Mark the message failed and go on.
        case fail
        /// Put the message back as it was, without counting the attempt, and stop the run:
        /// the transport's configuration is wrong, not the message.
        case stop
    }

    public var disposition: Disposition {
        switch self {
        case .timedOut, .connectionLost, .temporaryRejection, .other: return .retryLater
        case .connectionFailed: return .retryLaterAndStop
        case .permanentRejection: return .fail
        case .startTLSUnavailable, .tlsFailed, .authenticationFailed, .invalidSetting, .fileWriteFailed: return .stop
        }
    }

    public var description: String {
        switch self {
        case .connectionFailed(let server, let reason):
            return "could not connect to the mail server \(server): \(reason); check the server's address and port, or try again later"
        case .timedOut(let server, let seconds):
            return "the mail server \(server) did not reply within \(Self.format(seconds)) seconds; check that it is up, or raise the time-out"
        case .connectionLost(let server, let reason):
            return "the connection to the mail server \(server) broke: \(reason); the message will be tried again"
        case .temporaryRejection(let server, _, let reply):
            return "the mail server \(server) deferred the message with '\(reply)'; it will be tried again later"
        case .permanentRejection(let server, _, let reply):
            return "the mail server \(server) rejected the message with '\(reply)'; check the recipient's address, then retry the message"
        case .startTLSUnavailable(let server):
            return "the mail server \(server) does not offer STARTTLS, and TLS is required; use the server's submission port (usually 587) or smtps:// (usually port 465)"
        case .tlsFailed(let server, let reason):
            return "TLS with the mail server \(server) failed: \(reason); check the server's name and certificate, or give the CA file that signed it"
        case .authenticationFailed(let server, let user, let reply):
            let userText = user.map { "the user '\($0)'" } ?? "no user"
            return "the mail server \(server) rejected the login with \(userText): '\(reply)'; check the user name and the password"
        case .invalidSetting(let server, let reason):
            return "the mail settings for \(server) are invalid: \(reason); correct them"
        case .fileWriteFailed(let path, let reason):
            return "could not write the message file '\(path)': \(reason); check that the folder exists and is writable"
        case .other(let server, let curlCode, let reason):
            return "sending through \(server) failed (libcurl error \(curlCode)): \(reason); the message will be tried again"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
