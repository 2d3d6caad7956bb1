import Domain
import Foundation

/// `lanyard codes ...`: reading (audited) and regenerating PINs and parent codes.
enum CodesCommands {
    static let group = CommandSpec.group(
        "codes", abstract: "Shows and regenerates student PINs and parent codes.",
        subcommands: [CodesShowCommand.spec, CodesRegenerateCommand.spec])
}

/// Which codes a command works on.
enum CodeKindChoice: String, CaseIterable, Sendable {
    case both
    case pin
    case parentCode = "parent-code"

    var kinds: [CredentialKind] {
        switch self {
        case .both: return [.pin, .parentCode]
        case .pin: return [.pin]
        case .parentCode: return [.parentCode]
        }
    }
}

enum CodesShowCommand: Command {
    static let selection = Option<String>("where", valueName: "QUERY", help: "The students whose codes to show, in the selection syntax.")
    static let format = Option<ListFormat>("format", default: .table, help: "The output format.")

    static let configuration = CommandConfiguration(
        name: "show", abstract: "Shows the live PINs and parent codes of the students in a selection.",
        discussion: "Reading a code is recorded in the audit log with your user name, the time and this command.",
        examples: [Example("Show the codes of one registration group.", "lanyard codes show --where 'reg:7B'")],
        arguments: [selection, format])

    struct Row: Encodable {
        var upn: String
        var name: String
        var reg: String
        var pin: String?
        var pinExpires: String?
        var parentCode: String?
        var parentCodeExpires: String?
    }

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let students = try context.selection(invocation[selection]).narrowed(by: Selection(parsing: "role:student"))
        let origin = Directory.Origin("lanyard codes show")
        var rows: [Row] = []
        try context.directory.database.transaction {
            for student in try context.directory.users(matching: students) {
                let pin = try context.directory.readCode(.pin, studentId: student.id, origin: origin)
                let parent = try context.directory.readCode(.parentCode, studentId: student.id, origin: origin)
                rows.append(
                    Row(
                        upn: student.key, name: student.displayName, reg: student.registrationGroup ?? "", pin: pin?.code,
                        pinExpires: pin.map { Timestamp.datePart($0.expiresAt) }, parentCode: parent.map { CodeGenerator.parentCode.format($0.code) },
                        parentCodeExpires: parent.map { Timestamp.datePart($0.expiresAt) }))
            }
        }

        let chosen: ListFormat = context.wantsJSON ? .json : invocation[format]
        switch chosen {
        case .json:
            invocation.console.write(try JSONOutput.encode(rows))
        case .csv:
            let writer = CSVWriter(fileDescriptor: 1, name: "standard output", options: CSVWriteOptions(writesByteOrderMark: false))
            try writer.writeRow(["upn", "name", "reg", "pin", "pin_expires", "parent_code", "parent_code_expires"])
            for row in rows {
                try writer.writeRow([row.upn, row.name, row.reg, row.pin ?? "", row.pinExpires ?? "", row.parentCode ?? "", row.parentCodeExpires ?? ""])
            }
            try writer.finish()
        case .table:
            var table = TextTable(columns: [.init("UPN"), .init("name"), .init("reg"), .init("PIN"), .init("parent code"), .init("expires")])
            for row in rows {
                table.append([row.upn, row.name, row.reg, row.pin ?? "—", row.parentCode ?? "—", row.parentCodeExpires ?? row.pinExpires ?? ""])
            }
            invocation.console.write(table.render(maxWidth: invocation.console.tableWidth, styler: invocation.console.outputStyler))
        }
        return .success
    }
}

enum CodesRegenerateCommand: Command {
    static let selection = Option<String>("where", valueName: "QUERY", help: "The students whose codes to regenerate, in the selection syntax.")
    static let kind = Option<CodeKindChoice>("kind", default: .both, help: "Which codes to regenerate.")
    static let dryRun = Flag("dry-run", short: "n", help: "Counts what would be regenerated and changes nothing.")

    static let configuration = CommandConfiguration(
        name: "regenerate", abstract: "Voids the unused codes of a selection and issues new ones with one shared expiry.",
        discussion: "All in one transaction: either every student in the selection gets new codes, or nobody does. Parents who already registered keep their link.",
        examples: [
            Example("New codes for Year 7 before the September letters.", "lanyard codes regenerate --where 'year:7'"),
            Example("See how many parent codes one form would get.", "lanyard codes regenerate --where 'reg:7B' --kind parent-code --dry-run"),
        ],
        arguments: [selection, kind, dryRun])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let chosen = try context.selection(invocation[selection])
        let work = {
            try context.directory.regenerateCodes(
                for: chosen, kinds: invocation[kind].kinds, settings: context.settings, origin: .init("lanyard codes regenerate"))
        }
        let result = invocation[dryRun] ? try context.directory.database.rollingBack(work) : try work()

        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(result))
        } else {
            let verb = invocation[dryRun] ? "Would regenerate" : "Regenerated"
            invocation.console.write(
                "\(verb) \(result.issued) codes for \(result.students) students (\(result.voided) unused codes voided).\n"
                    + "New PINs expire \(Timestamp.datePart(result.pinExpiry)); new parent codes expire \(Timestamp.datePart(result.parentCodeExpiry)).\n")
        }
        return .success
    }
}
