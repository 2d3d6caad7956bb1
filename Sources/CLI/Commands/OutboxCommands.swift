import Domain
import Foundation

/// `lanyard outbox ...`: delivering, listing, showing, retrying and cancelling queued email.
enum OutboxCommands {
    static let group = CommandSpec.group(
        "outbox", abstract: "Delivers and manages the email queued by sends and scripts.",
        discussion: """
            Messages wait in the outbox until delivered through the transport set by mail.transport: \
            "file" writes .eml files into mail.outbox_folder, "smtp" sends to mail.smtp_url. The SMTP \
            password is read from the environment variable named by mail.smtp_password_env or the \
            file named by mail.smtp_password_file, never from the command line.
            """,
        subcommands: [OutboxSendCommand.spec, OutboxListCommand.spec, OutboxShowCommand.spec, OutboxRetryCommand.spec, OutboxCancelCommand.spec])

    static let id = Argument<String>("ID", help: "The outbox message's id, as 'lanyard outbox list' shows it.")

    /// The id argument as a number.
    static func id(_ invocation: Invocation) throws -> Int {
        let text = invocation[id]
        guard let number = Int(text), number > 0 else {
            throw CommandError.message("invalid outbox id '\(text)'; give the number that 'lanyard outbox list' shows", .usage)
        }
        return number
    }
}

// MARK: - Delivery

/// Builds the configured transport and runs a delivery with progress, for `outbox send` and
/// `links send`.
enum MailDelivery {
    /// The transport the settings name.
    ///
    /// - Throws: ``CommandError`` for an unknown transport or a missing SMTP URL, and
    ///   ``SMTPConfigurationError`` for an unreadable password or an invalid URL.
    static func transport(settings: Settings, environment: [String: String], workingFolder: String) throws -> any MailTransport {
        switch settings.mailTransport {
        case "file":
            let folder = settings.mailOutboxFolder.hasPrefix("/")
                ? settings.mailOutboxFolder : (workingFolder as NSString).appendingPathComponent(settings.mailOutboxFolder)
            try FileManager.default.createDirectory(atPath: (folder as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            return FileTransport(folder: folder)
        case "smtp":
            guard !settings.mailSMTPURL.isEmpty else {
                throw CommandError.message(
                    "mail.transport is \"smtp\" but mail.smtp_url is empty; set mail = { smtp_url = \"smtp://host:587\" } in lanyard.config.lua",
                    .configurationError)
            }
            var credentials: SMTPCredentials?
            if !settings.mailSMTPUser.isEmpty {
                if !settings.mailSMTPPasswordEnv.isEmpty {
                    credentials = try SMTPCredentials(user: settings.mailSMTPUser, passwordVariable: settings.mailSMTPPasswordEnv, environment: environment)
                } else if !settings.mailSMTPPasswordFile.isEmpty {
                    credentials = try SMTPCredentials(user: settings.mailSMTPUser, passwordFile: settings.mailSMTPPasswordFile)
                } else {
                    throw CommandError.message(
                        "mail.smtp_user is set but no password source is; set mail.smtp_password_env or mail.smtp_password_file in lanyard.config.lua",
                        .configurationError)
                }
            }
            return try SMTPTransport(
                SMTPConfiguration(url: settings.mailSMTPURL, requireTLS: settings.mailSMTPRequireTLS, credentials: credentials))
        default:
            throw CommandError.message(
                "unknown mail.transport \"\(settings.mailTransport)\"; use \"file\" or \"smtp\" in lanyard.config.lua", .configurationError)
        }
    }

    /// Delivers every due message with a progress line, and returns the summary and the exit
    /// status it leads to.
    static func deliver(_ context: CommandContext) throws -> (summary: DeliverySummary, status: ExitCode, destination: String) {
        let transport = try transport(
            settings: context.settings, environment: context.invocation.environment, workingFolder: FileManager.default.currentDirectoryPath)
        // The rate limit protects a mail server; writing .eml files needs none.
        let perMinute = context.settings.mailMessagesPerMinute
        let policy = DeliveryPolicy(messagesPerMinute: transport is FileTransport || perMinute == 0 ? nil : perMinute)
        let progress = ProgressReporter(label: "Delivering", total: nil, console: context.console)
        let summary: DeliverySummary
        do {
            summary = try context.directory.deliverOutbox(through: transport, policy: policy) { done, _ in
                progress.update(completed: done)
            }
            progress.finish()
        } catch {
            progress.finish()
            throw error
        }
        return (summary, status(of: summary), transport.destination)
    }

    /// 69 when the server could not be reached, 78 when the transport's settings are wrong,
    /// 73 when message files cannot be written, 2 when some messages failed, 75 when some were
    /// deferred for a later retry, else 0.
    static func status(of summary: DeliverySummary) -> ExitCode {
        if let stoppedBy = summary.stoppedBy {
            switch stoppedBy {
            case .connectionFailed, .timedOut, .connectionLost: return .unavailable
            case .fileWriteFailed: return .cannotCreateOutput
            default: return .configurationError
            }
        }
        if summary.failed > 0 { return .partial }
        if summary.deferred > 0 { return .temporaryFailure }
        return .success
    }

    /// Writes the delivery's counts, and each failure on standard error.
    static func report(_ summary: DeliverySummary, destination: String, console: Console) {
        for outcome in summary.outcomes {
            switch outcome.result {
            case .sent, .notAttempted: break
            case .deferred(let next, let error): console.warning("message \(outcome.outboxId) to \(outcome.recipient) deferred until \(next): \(error)")
            case .failed(let error): console.error("message \(outcome.outboxId) to \(outcome.recipient) failed: \(error)")
            }
        }
        if let stoppedBy = summary.stoppedBy { console.error("delivery stopped: \(stoppedBy)") }
        guard summary.due > 0 else {
            console.write("No messages were due for delivery.\n")
            return
        }
        console.write(
            "Delivered \(summary.sent) of \(summary.due) due messages to \(destination): \(summary.deferred) deferred, \(summary.failed) failed, \(summary.remaining) left for a later run.\n")
    }

    /// The JSON form of a delivery summary.
    struct Output: Encodable {
        var destination: String
        var due: Int
        var sent: Int
        var deferred: Int
        var failed: Int
        var remaining: Int
        var stoppedBy: String?

        init(_ summary: DeliverySummary, destination: String) {
            self.destination = destination
            due = summary.due
            sent = summary.sent
            deferred = summary.deferred
            failed = summary.failed
            remaining = summary.remaining
            stoppedBy = summary.stoppedBy?.description
        }
    }
}

// MARK: - Commands

enum OutboxSendCommand: Command {
    static let configuration = CommandConfiguration(
        name: "send", abstract: "Delivers every message that is due through the configured transport.",
        discussion: """
            Sends one message at a time at most mail.messages_per_minute a minute, and retries \
            temporary failures later. Exits 69 when the mail server cannot be reached, 2 when some \
            messages failed, and 75 when some were deferred for a later run.
            """,
        examples: [Example("Deliver the queued messages.", "lanyard outbox send")],
        arguments: [])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let (summary, status, destination) = try MailDelivery.deliver(context)
        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(MailDelivery.Output(summary, destination: destination)))
        } else {
            MailDelivery.report(summary, destination: destination, console: invocation.console)
        }
        return status
    }
}

/// An outbox entry as `outbox list` and `outbox show` print it in JSON.
struct OutboxEntryOutput: Encodable {
    var id: Int
    var state: String
    var purpose: String
    var userId: Int?
    var recipient: String
    var subject: String
    var createdAt: String
    var attempts: Int
    var nextAttemptAt: String
    var sentAt: String?
    var lastError: String?
    var messageId: String

    init(_ entry: OutboxEntry) {
        id = entry.id
        state = entry.state.rawValue
        purpose = entry.purpose.rawValue
        userId = entry.userId
        recipient = entry.recipient
        subject = entry.subject
        createdAt = entry.createdAt
        attempts = entry.attempts
        nextAttemptAt = entry.nextAttemptAt
        sentAt = entry.sentAt
        lastError = entry.lastError
        messageId = entry.messageId
    }
}

enum OutboxListCommand: Command {
    static let state = Option<OutboxState?>("state", help: "Lists only messages in this state.")

    static let configuration = CommandConfiguration(
        name: "list", abstract: "Lists the outbox's messages, oldest first, with their state.",
        examples: [Example("List the messages that failed.", "lanyard outbox list --state failed")],
        arguments: [state])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let entries = try context.directory.outboxEntries(state: invocation[state])
        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(entries.map(OutboxEntryOutput.init)))
            return .success
        }
        var table = TextTable(columns: [
            .init("id", alignment: .right), .init("state"), .init("purpose"), .init("to"), .init("subject"), .init("tries", alignment: .right),
            .init("last error"),
        ])
        for entry in entries {
            table.append([
                String(entry.id), entry.state.rawValue, entry.purpose.rawValue, entry.recipient, entry.subject, String(entry.attempts),
                entry.lastError ?? "",
            ])
        }
        invocation.console.write(table.render(maxWidth: invocation.console.tableWidth, styler: invocation.console.outputStyler))
        let counts = try context.directory.outboxCounts()
        let totals = OutboxState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }
        invocation.console.write("\(entries.count) message\(entries.count == 1 ? "" : "s")\(totals.isEmpty ? "" : " (" + totals.joined(separator: ", ") + ")")\n")
        return .success
    }
}

enum OutboxShowCommand: Command {
    static let raw = Flag("raw", help: "Prints the whole message as it will be sent, including any link it carries; recorded in the audit log.")

    static let configuration = CommandConfiguration(
        name: "show", abstract: "Shows one outbox message's state and headers.",
        examples: [
            Example("Show why message 42 failed.", "lanyard outbox show 42"),
            Example("Print message 42 as it will be sent.", "lanyard outbox show 42 --raw"),
        ],
        arguments: [OutboxCommands.id, raw])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let id = try OutboxCommands.id(invocation)
        guard let entry = try context.directory.outboxEntry(id: id) else { throw OutboxError.notFound(id: id) }
        if invocation[raw] {
            // The message may carry a live link, so reading it is recorded like reading a code.
            try context.directory.audit(action: "outbox.read", via: "lanyard outbox show --raw", userId: entry.userId, detail: "outbox \(id)")
            invocation.console.write(String(decoding: try context.directory.outboxMessage(id: id), as: UTF8.self))
            return .success
        }
        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(OutboxEntryOutput(entry)))
            return .success
        }
        var table = TextTable(columns: [.init("field"), .init("value")])
        table.append(["id", String(entry.id)])
        table.append(["state", entry.state.rawValue])
        table.append(["purpose", entry.purpose.rawValue])
        table.append(["from", entry.sender])
        table.append(["to", entry.recipient])
        table.append(["subject", entry.subject])
        table.append(["queued", entry.createdAt])
        table.append(["attempts", String(entry.attempts)])
        table.append(["next attempt", entry.state == OutboxState.queued ? entry.nextAttemptAt : ""])
        table.append(["sent", entry.sentAt ?? ""])
        table.append(["last error", entry.lastError ?? ""])
        table.append(["Message-ID", entry.messageId])
        invocation.console.write(table.render(maxWidth: invocation.console.tableWidth, styler: invocation.console.outputStyler))
        return .success
    }
}

enum OutboxRetryCommand: Command {
    static let configuration = CommandConfiguration(
        name: "retry", abstract: "Queues a failed or cancelled message again, with its attempts reset.",
        examples: [Example("Retry message 42 after fixing the address's mailbox.", "lanyard outbox retry 42")],
        arguments: [OutboxCommands.id])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let id = try OutboxCommands.id(invocation)
        try context.directory.retry(id: id)
        try context.directory.audit(action: "outbox.retry", via: "lanyard outbox retry", userId: nil, detail: "outbox \(id)")
        invocation.console.write("Message \(id) is queued; deliver it with 'lanyard outbox send'.\n")
        return .success
    }
}

enum OutboxCancelCommand: Command {
    static let configuration = CommandConfiguration(
        name: "cancel", abstract: "Withdraws a message that has not been sent.",
        examples: [Example("Withdraw message 42.", "lanyard outbox cancel 42")],
        arguments: [OutboxCommands.id])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let id = try OutboxCommands.id(invocation)
        try context.directory.cancel(id: id)
        try context.directory.audit(action: "outbox.cancel", via: "lanyard outbox cancel", userId: nil, detail: "outbox \(id)")
        invocation.console.write("Message \(id) is cancelled.\n")
        return .success
    }
}

// MARK: - Exit statuses of mail errors

extension OutboxError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode {
        if case .notFound = self { return .inputMissing }
        return .failure
    }
}

extension DeliveryError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode {
        if case .alreadyRunning = self { return .temporaryFailure }
        return .cannotCreateOutput
    }
}

extension SMTPConfigurationError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode { .configurationError }
}
