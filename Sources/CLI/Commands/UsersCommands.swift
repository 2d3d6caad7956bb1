import Domain
import Foundation

/// `lanyard users ...`: listing and counting people by selection.
enum UsersCommands {
    static let selection = Option<String?>(
        "where", valueName: "QUERY",
        help: "The people to include, in the selection syntax (role:student year:7 email:missing...). Everyone on roll when left out.")

    static let group = CommandSpec.group(
        "users", abstract: "Lists and counts people in the directory.",
        subcommands: [UsersListCommand.spec, UsersCountCommand.spec])
}

/// The formats `users list` writes.
enum ListFormat: String, CaseIterable, Sendable {
    case table, csv, json
}

enum UsersListCommand: Command {
    static let format = Option<ListFormat>("format", default: .table, help: "The output format.")
    static let limit = Option<Int?>("limit", range: 1...10_000_000, help: "The maximum number of people to list.")

    static let configuration = CommandConfiguration(
        name: "list", abstract: "Lists the people in a selection.",
        discussion: """
            Selection keys: role, year (7, 7..9, R), reg, email (missing, present), sso (yes, no), \
            status (on-roll, left, any), logged-in (never, ever), registered (yes, no), upn (list or \
            @file), staff, name, school, id. Terms AND together; commas OR.
            """,
        examples: [
            Example("List Year 7 students without an email address.", "lanyard users list --where 'role:student year:7 email:missing'"),
            Example("Export a registration group as CSV.", "lanyard users list --where 'reg:7B' --format csv"),
        ],
        arguments: [UsersCommands.selection, format, limit])

    static let columns = ["upn", "staff_code", "role", "legal_forename", "legal_surname", "preferred_forename", "year", "reg", "email", "status"]

    static func row(_ user: User) -> [String] {
        [
            user.upn ?? "", user.staffCode ?? "", user.role.rawValue, user.legalForename, user.legalSurname,
            user.preferredForename ?? "", user.yearGroup?.description ?? "", user.registrationGroup ?? "", user.email ?? "",
            user.status.rawValue,
        ]
    }

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let selection = try context.selection(invocation[UsersCommands.selection])
        let chosen: ListFormat = context.wantsJSON ? .json : invocation[format]

        switch chosen {
        case .csv:
            let writer = CSVWriter(fileDescriptor: 1, name: "standard output", options: CSVWriteOptions(writesByteOrderMark: false))
            try writer.writeRow(columns)
            try context.directory.forEachUser(matching: selection, limit: invocation[limit]) { user in
                try writer.writeRow(row(user))
            }
            try writer.finish()
        case .json:
            let users = try context.directory.users(matching: selection, limit: invocation[limit])
            invocation.console.write(try JSONOutput.encode(users))
        case .table:
            var table = TextTable(columns: [
                .init("UPN / code"), .init("role"), .init("name"), .init("year", alignment: .right), .init("reg"), .init("email"),
            ])
            var count = 0
            try context.directory.forEachUser(matching: selection, limit: invocation[limit]) { user in
                let name = user.preferredForename.map { "\(user.legalForename) (\($0)) \(user.legalSurname)" } ?? "\(user.legalForename) \(user.legalSurname)"
                table.append([user.key, user.role.rawValue, name, user.yearGroup?.description ?? "", user.registrationGroup ?? "", user.email ?? "—"])
                count += 1
            }
            invocation.console.write(table.render(maxWidth: invocation.console.tableWidth, styler: invocation.console.outputStyler))
            invocation.console.write("\(count) \(count == 1 ? "person" : "people") (\(selection))\n")
        }
        return .success
    }
}

enum UsersCountCommand: Command {
    static let configuration = CommandConfiguration(
        name: "count", abstract: "Counts the people in a selection.",
        examples: [
            Example("Count students still without an email address.", "lanyard users count --where 'role:student email:missing'")
        ],
        arguments: [UsersCommands.selection])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let selection = try context.selection(invocation[UsersCommands.selection])
        let count = try context.directory.count(matching: selection)
        if context.wantsJSON {
            struct Output: Encodable {
                var selection: String
                var count: Int
            }
            invocation.console.write(try JSONOutput.encode(Output(selection: selection.description, count: count)))
        } else {
            invocation.console.write("\(count)\n")
        }
        return .success
    }
}
