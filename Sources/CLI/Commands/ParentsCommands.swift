import Domain
import Foundation

/// `lanyard parents ...`: parents and carers as recipients of parent codes.
enum ParentsCommands {
    static let group = CommandSpec.group(
        "parents", abstract: "Lists parents and carers, and emails them their children's parent codes.",
        subcommands: [ParentsRecipientsCommand.spec, ParentsInviteCommand.spec])
}

enum ParentsRecipientsCommand: Command {
    static let selection = DetailsCommands.selectionOption("whose parents to list")
    static let contacts = Option<String?>(
        "contacts", valueName: "FILE", help: "An MIS contacts export (CSV) joined on UPN; without it, the directory's own parent links.")
    static let format = Option<ListFormat>("format", default: .table, help: "The output format.")
    static let showCodes = Flag("show-codes", help: "Shows the parent codes in the table; each code shown is recorded in the audit log.")
    static let withoutResponsibility = Flag("include-without-responsibility", help: "Also lists contacts without recorded parental responsibility.")
    static let allPriorities = Flag("all-priorities", help: "Lists every usable contact of each student, not only the first.")
    static let maxPriority = Option<Int?>("max-priority", range: 1...99, help: "Lists every usable contact with a priority up to N.")

    static let configuration = CommandConfiguration(
        name: "recipients", abstract: "Joins contacts with students by UPN, one entry per parent with all their children.",
        discussion: """
            By default each student's first contact (lowest priority number) with parental responsibility \
            and an email address is listed. Siblings are grouped under one entry per email address. \
            Students nobody can be sent to are listed with the reason on standard error (table) or in the \
            output (json). CSV and JSON carry the codes; the table masks them unless --show-codes.
            """,
        examples: [
            Example("Who gets Year 7's parent codes, from the MIS export.", "lanyard parents recipients --where 'year:7' --contacts contacts.csv"),
            Example("Every contact up to priority 2, as CSV.", "lanyard parents recipients --where 'reg:7B' --max-priority 2 --format csv"),
        ],
        arguments: [selection, contacts, format, showCodes, withoutResponsibility, allPriorities, maxPriority])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let chosen: ListFormat = context.wantsJSON ? .json : invocation[format]
        var options = ParentRecipientOptions(origin: .init("lanyard parents recipients"))
        options.includeWithoutResponsibility = invocation[withoutResponsibility]
        options.allPriorities = invocation[allPriorities]
        options.maxPriority = invocation[maxPriority]
        options.includesCodes = chosen != .table || invocation[showCodes]

        let list = try context.directory.parentRecipients(
            contactsCSV: invocation[contacts], selection: try context.selection(invocation[selection]), options: options)

        switch chosen {
        case .json:
            invocation.console.write(try JSONOutput.encode(list))
        case .csv:
            let writer = CSVWriter(fileDescriptor: 1, name: "standard output", options: CSVWriteOptions(writesByteOrderMark: false))
            try writer.writeRow(["email", "parent_name", "upn", "child_name", "registration_group", "relationship", "priority", "parent_code", "parent_code_expires"])
            for recipient in list.recipients {
                for child in recipient.children {
                    try writer.writeRow([
                        recipient.email, recipient.name, child.upn, child.name, child.registrationGroup, child.relationship ?? "",
                        child.priority.map(String.init) ?? "", child.parentCode ?? "", child.parentCodeExpires ?? "",
                    ])
                }
            }
            try writer.finish()
        case .table:
            var table = TextTable(columns: [.init("email"), .init("parent"), .init("children"), .init("parent codes")])
            for recipient in list.recipients {
                let codes = recipient.children.map { invocation[showCodes] ? ($0.parentCode ?? "—") : ($0.hasParentCode ? "••••-••••-••••" : "—") }
                table.append([
                    recipient.email, recipient.name,
                    recipient.children.map { "\($0.name) (\($0.registrationGroup))" }.joined(separator: ", "),
                    codes.joined(separator: ", "),
                ])
            }
            invocation.console.write(table.render(maxWidth: invocation.console.tableWidth, styler: invocation.console.outputStyler))
            invocation.console.write("\(list.recipients.count) recipients for \(list.recipients.reduce(0) { $0 + $1.children.count }) children.\n")
        }

        if chosen != .json {
            for problem in list.problems.prefix(20) { invocation.console.warning(problem) }
            for student in list.unreached {
                invocation.console.warning("\(student.name) (\(student.upn), \(student.registrationGroup)): \(student.reason.description)")
            }
            if list.unmatchedRows > 0 {
                invocation.console.note("\(list.unmatchedRows) contact rows are for students outside the selection or not in the directory")
            }
        }
        return .success
    }
}

/// `lanyard parents invite`: emails each parent their children's parent codes.
enum ParentsInviteCommand: Command {
    static let selection = DetailsCommands.selectionOption("whose parents to invite")
    static let limit = Option<Int?>("limit", range: 1...1_000_000, help: "Queues messages for the first N parents only.")
    static let testAddress = Option<String?>(
        "test-address", valueName: "ADDRESS", help: "Sends every message to this address instead, and marks nobody as invited.")
    static let dryRun = Flag("dry-run", short: "n", help: "Works out who would be invited and stores and sends nothing.")
    static let resend = Flag("resend", help: "Also invites parents invited within links.resend_window_hours.")
    static let template = Option<String>("template", valueName: "NAME", default: "parent-invitation", help: "The message template.")
    static let noDeliver = Flag("no-deliver", help: "Queues the messages without delivering them; 'lanyard outbox send' delivers them later.")

    static let configuration = CommandConfiguration(
        name: "invite", abstract: "Emails each parent their children's parent codes and how to register.",
        discussion: """
            Joins the MIS contacts export (--contacts) or the directory's parent links with the \
            students of the selection: the first contact in priority order with parental \
            responsibility and an email, unless widened. A parent of several children gets one \
            message listing every child's code. Students no usable contact covers are listed. \
            Reading the codes is recorded in the audit log.
            """,
        examples: [
            Example("See who in Year 7 would be invited.", "lanyard parents invite --where 'year:7' --contacts contacts.csv --dry-run"),
            Example("Send three to yourself first.", "lanyard parents invite --where 'year:7' --limit 3 --test-address office@castlemead.sch.uk"),
        ],
        arguments: [
            selection, ParentsRecipientsCommand.contacts, ParentsRecipientsCommand.withoutResponsibility, ParentsRecipientsCommand.allPriorities,
            ParentsRecipientsCommand.maxPriority, limit, testAddress, dryRun, resend, template, noDeliver,
        ])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let chosen = try context.selection(invocation[selection])
        var options = ParentInvitationOptions(contactsCSV: invocation[ParentsRecipientsCommand.contacts])
        options.recipients.includeWithoutResponsibility = invocation[ParentsRecipientsCommand.withoutResponsibility]
        options.recipients.allPriorities = invocation[ParentsRecipientsCommand.allPriorities]
        options.recipients.maxPriority = invocation[ParentsRecipientsCommand.maxPriority]
        options.limit = invocation[limit]
        options.testAddress = invocation[testAddress]
        options.dryRun = invocation[dryRun]
        options.resend = invocation[resend]
        options.templateName = invocation[template]
        options.origin = "lanyard parents invite"
        let report = try context.directory.inviteParents(chosen, options: options, settings: context.settings, templates: LinksCommands.templates(context))

        var delivery: (summary: DeliverySummary, status: ExitCode, destination: String)?
        if !options.dryRun && !invocation[noDeliver] && report.queued > 0 {
            delivery = try MailDelivery.deliver(context)
        }
        if context.wantsJSON {
            struct Output: Encodable {
                var invitations: ParentInvitationReport
                var delivery: MailDelivery.Output?
            }
            invocation.console.write(
                try JSONOutput.encode(Output(invitations: report, delivery: delivery.map { MailDelivery.Output($0.summary, destination: $0.destination) })))
            return delivery?.status ?? .success
        }
        var table = TextTable(columns: [.init("parent"), .init("email"), .init("children"), .init("outcome")])
        for outcome in report.outcomes {
            table.append([outcome.name, outcome.email, outcome.children.joined(separator: ", "), outcome.outcome])
        }
        invocation.console.write(table.render(maxWidth: invocation.console.tableWidth, styler: invocation.console.outputStyler))
        let verb = report.dryRun ? "Dry run: would queue" : "Queued"
        invocation.console.write("\(verb) \(report.queued) invitation\(report.queued == 1 ? "" : "s"); \(report.outcomes.count - report.queued) skipped.\n")
        if !report.unreached.isEmpty {
            invocation.console.warning("\(report.unreached.count) students have no usable parent contact:")
            for student in report.unreached.prefix(20) {
                invocation.console.writeError("  \(student.upn) \(student.name) (\(student.registrationGroup)): \(student.reason.description)\n")
            }
            if report.unreached.count > 20 { invocation.console.note("\(report.unreached.count - 20) more; use --json to see them all") }
        }
        if let delivery {
            MailDelivery.report(delivery.summary, destination: delivery.destination, console: invocation.console)
        }
        return delivery?.status ?? .success
    }
}
