import CCurl
import Foundation

/// Sends messages to the school's mail server over SMTP, through libcurl.
///
/// - With `smtp://` it requires STARTTLS (`CURLOPT_USE_SSL = CURLUSESSL_ALL`) unless
///   ``SMTPConfiguration/requireTLS`` is false; `smtps://` uses TLS from the start. Certificates
///   are always verified, against ``SMTPConfiguration/caFile`` when given.
/// - It keeps one libcurl handle, and so one connection, for all the messages of a run.
/// - A server that stops replying fails the message after ``SMTPConfiguration/timeout``.
/// - libcurl's verbose output stays off, so the AUTH exchange is never printed, and the
///   password is removed from any reply or libcurl message put in an error.
///
/// Replies map to ``MailTransportError``: 4xx and broken or timed-out connections are
/// temporary, 5xx permanent, and TLS or login failures stop the run.
///
/// ```swift
/// let transport = try SMTPTransport(SMTPConfiguration(url: "smtp://smtp.office365.com:587", credentials: credentials))
/// let summary = try directory.deliverOutbox(through: transport)
/// ```
public final class SMTPTransport: MailTransport {
    public let configuration: SMTPConfiguration
    /// The server as errors and logs show it: scheme, host and port, never a user or password.
    public let destination: String
    private let curl = CurlEasyHandle()
    private let replies = ReplyRecorder()
    private let log = Log(label: "mail.smtp")
    /// Set after a time-out or a broken connection, so the next message opens a new connection
    /// rather than reuse one in an unknown state.
    private var needsFreshConnection = false

    /// Checks the URL and sets up the libcurl handle. Nothing connects until the first message.
    ///
    /// - Throws: ``SMTPConfigurationError`` when the URL is not `smtp://` or `smtps://` with a
    ///   host, carries a user or password, or libcurl rejects a setting.
    public init(_ configuration: SMTPConfiguration) throws(SMTPConfigurationError) {
        self.configuration = configuration
        self.destination = try Self.checkURL(configuration.url)
        do {
            try configure()
        } catch {
            throw .settingRejected(url: destination, option: error.option, reason: error.reason)
        }
    }

    private static func checkURL(_ url: String) throws(SMTPConfigurationError) -> String {
        guard let components = URLComponents(string: url) else {
            throw .invalidURL(url, reason: "it is not a URL")
        }
        if components.password != nil || components.user != nil {
            var redacted = components
            redacted.password = redacted.password.map { _ in "***" }
            throw .invalidURL(
                redacted.string ?? "", reason: "it contains a user or password, which would show in logs; give them as SMTP credentials instead")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "smtp" || scheme == "smtps" else {
            throw .invalidURL(url, reason: "only smtp:// and smtps:// are supported")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidURL(url, reason: "it names no server")
        }
        let port = components.port ?? (scheme == "smtps" ? 465 : 25)
        return "\(scheme)://\(host):\(port)"
    }

    /// Sets the options that stay the same for every message.
    private func configure() throws(CurlOptionError) {
        try curl.set(CURLOPT_URL, configuration.url)
        try curl.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        try curl.set(CURLOPT_VERBOSE, 0)
        // Time-outs must not use signals (SIGALRM), which would reach other threads.
        try curl.set(CURLOPT_NOSIGNAL, 1)
        try curl.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(configuration.connectTimeout))
        try curl.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(configuration.timeout))
        // The wait for one reply, in whole seconds (120 by default). It also bounds the QUIT that
        // libcurl sends when it closes a connection, even one whose server stopped replying.
        // NOTE: so after a time-out, closing the transport can block for up to this long again.
        try curl.set(CURLOPT_SERVER_RESPONSE_TIMEOUT, Int(configuration.timeout.rounded(.up)))
        let tls = configuration.requireTLS ? CURLUSESSL_ALL : CURLUSESSL_TRY
        try curl.set(CURLOPT_USE_SSL, Int(tls.rawValue))
        try curl.set(CURLOPT_SSL_VERIFYPEER, 1)
        try curl.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = configuration.caFile {
            try curl.set(CURLOPT_CAINFO, caFile)
        }
        if let credentials = configuration.credentials {
            try curl.set(CURLOPT_USERNAME, credentials.user)
            try curl.set(CURLOPT_PASSWORD, credentials.password)
        }
        try curl.set(CURLOPT_UPLOAD, 1)
        try curl.set(CURLOPT_READFUNCTION, callback: readUpload)
        // SMTP replies reach the header callback, one line per call.
        try curl.set(CURLOPT_HEADERFUNCTION, callback: recordReply)
        try curl.set(CURLOPT_HEADERDATA, pointer: Unmanaged.passUnretained(replies).toOpaque())
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        Int((seconds * 1_000).rounded())
    }

    // MARK: - Sending

    public func send(_ envelope: MailEnvelope) throws(MailTransportError) {
        let upload = UploadSource(envelope.message)
        let recipients = CurlStringList(envelope.recipients.map { "<\($0)>" })
        replies.reset()
        do {
            try curl.set(CURLOPT_MAIL_FROM, "<\(envelope.sender)>")
            try curl.set(CURLOPT_MAIL_RCPT, list: recipients)
            try curl.set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(upload).toOpaque())
            try curl.set(CURLOPT_FRESH_CONNECT, needsFreshConnection ? 1 : 0)
        } catch {
            throw .invalidSetting(server: destination, reason: redact(error.reason))
        }

        let result = withExtendedLifetime((upload, recipients)) { curl.perform() }

        // Clear the per-message pointers, so the handle never keeps a pointer to freed memory.
        _ = try? curl.set(CURLOPT_READDATA, pointer: nil)
        _ = try? curl.set(CURLOPT_MAIL_RCPT, list: CurlStringList([]))
        needsFreshConnection = false
        guard result != CURLE_OK else { return }
        let error = classify(result)
        switch error {
        case .timedOut, .connectionLost: needsFreshConnection = true
        default: break
        }
        log.debug("SMTP attempt failed", ["outbox_id": "\(envelope.outboxId)", "curl_code": "\(result.rawValue)"])
        throw error
    }

    // MARK: - Classifying failures

    /// Turns libcurl's result and the server's last reply into a ``MailTransportError``.
    private func classify(_ result: CURLcode) -> MailTransportError {
        let code = curl.responseCode
        let reply = redact(replies.lastLine(withCode: code) ?? String(code))
        let reason = redact(curl.message(for: result))

        switch result {
        case CURLE_LOGIN_DENIED:
            return .authenticationFailed(server: destination, user: configuration.credentials?.user, reply: reply)
        case CURLE_USE_SSL_FAILED:
            return .startTLSUnavailable(server: destination)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_CIPHER:
            return .tlsFailed(server: destination, reason: reason)
        case CURLE_OPERATION_TIMEDOUT:
            let duringConnect = reason.hasPrefix("Connection timed out") || reason.hasPrefix("Failed to connect")
            return .timedOut(server: destination, seconds: duringConnect ? configuration.connectTimeout : configuration.timeout)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .connectionFailed(server: destination, reason: reason)
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN:
            return .invalidSetting(server: destination, reason: reason)
        default:
            break
        }

        // The server refused a command: its reply code decides
        switch code {
        case 530, 534, 535, 538:
            // Authentication required, too weak, failed, or needs encryption (RFC 4954).
            return .authenticationFailed(server: destination, user: configuration.credentials?.user, reply: reply)
        case 400..<500:
            return .temporaryRejection(server: destination, code: code, reply: reply)
        case 500..<600:
            // NOTE: a 5xx to MAIL FROM (a sender the account may not use) fails every message
            // one by one; libcurl does not report which command the reply was to.
            return .permanentRejection(server: destination, code: code, reply: reply)
        default:
            break
        }

        switch result {
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_WEIRD_SERVER_REPLY, CURLE_PARTIAL_FILE:
            return .connectionLost(server: destination, reason: reason)
        default:
            return .other(server: destination, curlCode: Int(result.rawValue), reason: reason)
        }
    }

    /// `text` with the password, should it appear, replaced by `***`.
    private func redact(_ text: String) -> String {
        guard let password = configuration.credentials?.password, !password.isEmpty else { return text }
        return text.replacingOccurrences(of: password, with: "***")
    }
}

// MARK: - Callbacks

/// The message bytes libcurl reads through `CURLOPT_READFUNCTION`.
private final class UploadSource {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }
}

/// The server's reply lines for one message, which libcurl passes to `CURLOPT_HEADERFUNCTION`.
private final class ReplyRecorder {
    /// The maximum number of lines kept, so that a verbose server cannot grow memory without bound.
    private static let maxLines = 64
    private var lines: [String] = []

    func reset() {
        lines.removeAll(keepingCapacity: true)
    }

    func record(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return }
        if lines.count == Self.maxLines { lines.removeFirst() }
        lines.append(text)
    }

    /// Returns the last line that starts with `code`. After a refused command libcurl sends QUIT, so
    /// the very last line is usually the server's `221` goodbye rather than the refusal.
    func lastLine(withCode code: Int) -> String? {
        let prefix = String(code)
        return lines.last { $0.hasPrefix(prefix) }
    }
}

/// Copies the next part of the message into libcurl's buffer; returning 0 ends the upload.
private func readUpload(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let context else { return 0 }
    let source = Unmanaged<UploadSource>.fromOpaque(context).takeUnretainedValue()
    let length = min(size * count, source.bytes.count - source.offset)
    guard length > 0 else { return 0 }
    source.bytes.withUnsafeBytes { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + source.offset, byteCount: length)
    }
    source.offset += length
    return length
}

/// Records one reply line. Returning the full length lets libcurl continue.
private func recordReply(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let buffer, let context else { return length }
    Unmanaged<ReplyRecorder>.fromOpaque(context).takeUnretainedValue().record(UnsafeRawBufferPointer(start: buffer, count: length))
    return length
}
