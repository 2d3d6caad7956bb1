import Domain
import Foundation

/// `lanyard parents ...`: parents and carers as recipients of parent codes.
enum ParentsCommands {
    static let group = CommandSpec.group(
        "parents", abstract: "Lists the parents and carers to send parent codes to.",
        subcommands: [ParentsRecipientsCommand.spec])
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
