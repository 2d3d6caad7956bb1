import Domain
import Foundation

/// `lanyard links ...`: sending password links en masse, and previewing their emails.
enum LinksCommands {
    static let group = CommandSpec.group(
        "links", abstract: "Sends password links by email, and previews the messages.",
        discussion: """
            A password link lets a student, teacher, member of staff or registered parent set a \
            password. It works once, expires after links.lifetime_days days, and a new link for \
            the same purpose voids the old one. Messages come from templates: \
            first-login-student, first-login-staff, first-login-parent, recovery-student, \
            recovery-staff, recovery-parent and sso-notice, looked up in templates.folder first \
            and then among the shipped ones.
            """,
        subcommands: [LinksSendCommand.spec, LinksPreviewCommand.spec])

    static let selection = Option<String>(
        "where", valueName: "QUERY", help: "The people to send links to, in the selection syntax (role:student year:7...).")
    static let template = Option<String?>(
        "template", valueName: "NAME", help: "A template to use for everyone instead of the one chosen by purpose and role.")
    static let purpose = Option<LinkPurpose>("purpose", default: .firstLogin, help: "What the link is for.")

    /// The templates for the settings in force, relative to the working folder.
    static func templates(_ context: CommandContext) -> TemplateLibrary {
        TemplateLibrary(settings: context.settings, workingFolder: FileManager.default.currentDirectoryPath)
    }
}

enum LinksSendCommand: Command {
    static let limit = Option<Int?>("limit", range: 1...1_000_000, help: "Sends only to the first N eligible people.")
    static let testAddress = Option<String?>(
        "test-address", valueName: "ADDRESS",
        help: "Sends every message to this address instead, with links that cannot be used, and marks nobody as sent to.")
    static let dryRun = Flag("dry-run", short: "n", help: "Works out who would get a link and stores and sends nothing.")
    static let resend = Flag("resend", help: "Also sends to people sent a link within links.resend_window_hours.")
    static let report = Option<String?>("report", valueName: "FILE.csv", help: "Writes the outcome for each person to this CSV file.")
    static let noDeliver = Flag("no-deliver", help: "Queues the messages without delivering them; 'lanyard outbox send' delivers them later.")

    static let configuration = CommandConfiguration(
        name: "send", abstract: "Sends a password link to each eligible person in a selection.",
        discussion: """
            People are skipped, with the reason, when they have left, are parents who have not \
            registered, sign in with the school's single sign-on, have no valid email, or were \
            sent a link within links.resend_window_hours (unless --resend). Links and messages are \
            stored in one transaction, then delivered through mail.transport unless --no-deliver. \
            Exits 69 when the mail server cannot be reached and 2 when some messages failed.
            """,
        examples: [
            Example("See who in Year 7 would get a first-login link.", "lanyard links send --where 'year:7' --dry-run"),
            Example("Send five messages to yourself first.", "lanyard links send --where 'year:7' --limit 5 --test-address office@castlemead.sch.uk"),
            Example("Send to Year 7 and keep a report.", "lanyard links send --where 'year:7' --report year7-links.csv"),
        ],
        arguments: [
            LinksCommands.selection, LinksCommands.template, LinksCommands.purpose, limit, testAddress, dryRun, resend, report, noDeliver,
        ])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let selection = try context.selection(invocation[LinksCommands.selection])
        let options = LinkSendOptions(
            purpose: invocation[LinksCommands.purpose], templateName: invocation[LinksCommands.template], limit: invocation[limit],
            testAddress: invocation[testAddress], dryRun: invocation[dryRun], resend: invocation[resend])
        let result = try context.directory.sendLinks(
            to: selection, options: options, settings: context.settings, templates: LinksCommands.templates(context))
        if let path = invocation[report] {
            try result.writeCSV(to: path)
        }

        // Deliver what was queued
        var delivery: (summary: DeliverySummary, status: ExitCode, destination: String)?
        if !options.dryRun && !invocation[noDeliver] && result.queued > 0 {
            delivery = try MailDelivery.deliver(context)
        }

        if context.wantsJSON {
            struct Output: Encodable {
                var links: LinkSendReport
                var delivery: MailDelivery.Output?
            }
            let output = Output(links: result, delivery: delivery.map { MailDelivery.Output($0.summary, destination: $0.destination) })
            invocation.console.write(try JSONOutput.encode(output))
        } else {
            write(result, console: invocation.console)
            if let path = invocation[report] { invocation.console.note("Report written to \(path).") }
            if let delivery {
                MailDelivery.report(delivery.summary, destination: delivery.destination, console: invocation.console)
            } else if !options.dryRun && result.queued > 0 {
                invocation.console.write("Deliver the queued messages with 'lanyard outbox send'.\n")
            }
        }
        return delivery?.status ?? .success
    }

    /// The maximum number of people listed in the table on screen.
    static let tableRowLimit = 200

    /// Writes one line per person (the first ``tableRowLimit``), then the totals.
    static func write(_ result: LinkSendReport, console: Console) {
        // A send to a whole school would print a row per person; the first rows and the totals
        // are what a terminal needs, and --report or --json give everyone.
        let shown = result.outcomes.prefix(Self.tableRowLimit)
        var table = TextTable(columns: [.init("UPN / code"), .init("name"), .init("role"), .init("email"), .init("outcome")])
        for outcome in shown {
            let text: String
            switch outcome.status {
            case .queued: text = outcome.testAddress.map { "queued (test: to \($0))" } ?? "queued"
            case .skipped: text = "skipped: \(outcome.reason?.rawValue ?? "")"
            }
            table.append([outcome.userKey, outcome.name, outcome.role.rawValue, outcome.email ?? "—", text])
        }
        console.write(table.render(maxWidth: console.tableWidth, styler: console.outputStyler))
        if result.outcomes.count > shown.count {
            console.write("... and \(result.outcomes.count - shown.count) more; --report FILE.csv or --json lists everyone.\n")
        }

        let skipped = LinkSkipReason.allCases.compactMap { reason in result.skipped[reason].map { "\(reason.rawValue): \($0)" } }
        let skippedTotal = result.outcomes.count - result.queued
        let skippedText = skippedTotal == 0 ? "none skipped" : "\(skippedTotal) skipped (\(skipped.joined(separator: ", ")))"
        let verb = result.dryRun ? "Dry run: would queue" : "Queued"
        console.write("\(verb) \(result.queued) \(result.purpose.rawValue) link\(result.queued == 1 ? "" : "s"); \(skippedText).\n")
        if let testAddress = result.testAddress {
            console.write("Test mode: every message went to \(testAddress); the links cannot be used and nobody is marked as sent to.\n")
        }
        if result.dryRun { console.note("Nothing was stored or sent (dry run).") }
    }
}

enum LinksPreviewCommand: Command {
    static let count = Option<Int>("count", range: 1...100, default: 3, help: "How many messages to show.")

    static let configuration = CommandConfiguration(
        name: "preview", abstract: "Shows the first messages a send would queue, with a fake link.",
        discussion: """
            Renders the subject, recipient and plain-text part for the first eligible people, with \
            PREVIEW-TOKEN in place of a real token. Nothing is stored. A placeholder with no value \
            for one of them is an error naming the template, the line and the placeholder.
            """,
        examples: [Example("Check the Year 7 emails before sending.", "lanyard links preview --where 'year:7' --count 2")],
        arguments: [LinksCommands.selection, LinksCommands.template, LinksCommands.purpose, count])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let selection = try context.selection(invocation[LinksCommands.selection])
        let options = LinkSendOptions(purpose: invocation[LinksCommands.purpose], templateName: invocation[LinksCommands.template])
        let previews = try context.directory.previewLinks(
            to: selection, options: options, count: invocation[count], settings: context.settings, templates: LinksCommands.templates(context))
        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(previews))
            return .success
        }
        guard !previews.isEmpty else {
            invocation.console.write("Nobody in '\(selection)' would be sent a link; see why with 'lanyard links send --dry-run'.\n")
            return .success
        }
        for (index, preview) in previews.enumerated() {
            if index > 0 { invocation.console.write("\n" + String(repeating: "-", count: 72) + "\n\n") }
            invocation.console.write("Template: \(preview.template)\nTo: \(preview.to)\nSubject: \(preview.subject)\n\n\(preview.text)")
            if !preview.text.hasSuffix("\n") { invocation.console.write("\n") }
        }
        return .success
    }
}

// MARK: - Exit statuses of link and template errors

extension TemplateError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode {
        switch self {
        case .notFound, .unreadable: return .inputMissing
        case .missingValue: return .dataError
        default: return .configurationError
        }
    }
}

extension LinkSendError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode {
        switch self {
        case .missingSender, .invalidSender: return .configurationError
        case .invalidTestAddress: return .usage
        case .missingEmail, .invalidRecipient: return .dataError
        }
    }
}

extension LinkError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode { .failure }
}

