import Automation
import Domain
import Foundation

/// `lanyard details ...`: mail merge files, printable slips, PIN tables and the MIS export of
/// parent codes.
enum DetailsCommands {
    static let group = CommandSpec.group(
        "details", abstract: "Generates login details: mail merge files, slips, PIN tables and MIS exports.",
        subcommands: [DetailsGenerateCommand.spec, DetailsPinsCommand.spec, DetailsExportParentCodesCommand.spec])

    /// The `--where` option every details command requires, so that leaving it out never prints
    /// the whole school. `all` selects everyone on roll.
    static func selectionOption(_ purpose: String) -> Option<String> {
        Option<String>("where", valueName: "QUERY", help: "The students \(purpose), in the selection syntax; 'all' for the whole school.")
    }
}

// MARK: - generate

enum DetailsGenerateCommand: Command {
    static let selection = DetailsCommands.selectionOption("to generate login details for")
    static let audience = Option<DetailsAudience>("for", default: .both, help: "Whose details: students (PINs), parents (parent codes) or both.")
    static let neverLoggedIn = Flag("never-logged-in", help: "Only students who have never logged in.")
    static let keepCodes = Flag("keep-codes", help: "Reuses live codes and issues codes only where a student has none, instead of regenerating them.")
    static let out = Option<String?>("out", valueName: "FOLDER", help: "The folder to write to (default: details.folder, 'details').")
    static let formats = Option<String?>("format", valueName: "LIST", help: "The files to write: csv, xlsx, pdf, joined by commas (default: details.formats, 'csv').")
    static let sheetPerReg = Flag("xlsx-sheet-per-reg", help: "Writes one worksheet per registration group in the XLSX file.")
    static let noBOM = Flag("no-bom", help: "Writes the CSV file without a UTF-8 byte order mark (Excel needs one to show accents).")
    static let dryRun = Flag("dry-run", short: "n", help: "Counts what would be generated, then changes nothing and writes no file.")

    static let configuration = CommandConfiguration(
        name: "generate", abstract: "Regenerates codes for a selection and writes the mail merge file and printable slips.",
        discussion: """
            Files: login-details.csv and login-details.xlsx (one row per student), student-slips.pdf and \
            parent-slips.pdf (8 slips per A4 page, each registration group from a new page), all mode 0600. \
            Codes are regenerated with one shared expiry unless --keep-codes is given. Codes and files \
            succeed together: on any failure no file is left and no code changes. Each student's codes \
            read for the files are recorded in the audit log.
            """,
        examples: [
            Example("Letters and slips for Year 7.", "lanyard details generate --where 'year:7' --format csv,pdf"),
            Example("Parent slips for one form, keeping the codes already sent.", "lanyard details generate --where 'reg:7B' --for parents --keep-codes --format pdf"),
            Example("See what a whole-school run would do.", "lanyard details generate --where all --dry-run"),
        ],
        arguments: [selection, audience, neverLoggedIn, keepCodes, out, formats, sheetPerReg, noBOM, dryRun])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let configuration = try LanyardConfiguration.load(environment: invocation.environment)

        var options = DetailsOptions(
            selection: try context.selection(invocation[selection]),
            folder: invocation[out] ?? configuration.string("details.folder"), settings: context.settings,
            origin: .init("lanyard details generate"))
        options.audience = invocation[audience]
        options.neverLoggedInOnly = invocation[neverLoggedIn]
        options.keepsCodes = invocation[keepCodes]
        options.formats = try parseFormats(invocation[formats] ?? configuration.string("details.formats"))
        options.sheetPerRegistrationGroup = invocation[sheetPerReg]
        options.writesByteOrderMark = !invocation[noBOM]
        options.isDryRun = invocation[dryRun]

        let result = try context.directory.generateDetails(options)
        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(result))
            return .success
        }

        let verb = result.isDryRun ? "Would generate" : "Generated"
        var text = "\(verb) login details for \(result.students) students"
        text += options.keepsCodes
            ? " (\(result.codesIssued) codes issued where missing).\n"
            : " (\(result.codesIssued) codes issued, \(result.codesVoided) unused codes voided).\n"
        if let expiry = result.pinExpiry { text += "New PINs expire \(Timestamp.datePart(expiry)).\n" }
        if let expiry = result.parentCodeExpiry { text += "New parent codes expire \(Timestamp.datePart(expiry)).\n" }
        for file in result.files {
            let pages = file.pages.map { ", \($0) pages" } ?? ""
            text += "Wrote \(file.path) (\(file.items) \(file.kind.hasSuffix("slips") ? "slips" : "rows")\(pages)).\n"
        }
        invocation.console.write(text)
        return .success
    }

    /// Parses `csv,xlsx,pdf`.
    static func parseFormats(_ list: String) throws -> [DetailsFormat] {
        var chosen: [DetailsFormat] = []
        for word in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !word.isEmpty {
            guard let format = DetailsFormat(rawValue: word) else {
                throw CommandError.message(
                    "unknown format '\(word)' in --format '\(list)'; use csv, xlsx or pdf, joined by commas", .usage)
            }
            if !chosen.contains(format) { chosen.append(format) }
        }
        guard !chosen.isEmpty else {
            throw CommandError.message("--format is empty; give csv, xlsx or pdf, joined by commas", .usage)
        }
        return chosen
    }
}

// MARK: - pins

/// The formats `details pins` writes.
enum PINTableFormat: String, CaseIterable, Sendable {
    case table, csv, pdf
}

enum DetailsPinsCommand: Command {
    static let selection = DetailsCommands.selectionOption("whose PINs to list")
    static let format = Option<PINTableFormat>("format", default: .table, help: "The output format; pdf writes the file given by --out.")
    static let out = Option<String>("out", valueName: "FILE", default: "pins.pdf", help: "The PDF file for --format pdf.")

    static let configuration = CommandConfiguration(
        name: "pins", abstract: "Lists the live PINs of a selection by registration group.",
        discussion: "Codes are not changed. Each student listed is recorded in the audit log as a code read.",
        examples: [
            Example("PINs of one form on screen.", "lanyard details pins --where 'reg:7B'"),
            Example("A printable table for Year 7.", "lanyard details pins --where 'year:7' --format pdf --out year7-pins.pdf"),
        ],
        arguments: [selection, format, out])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let table = try context.directory.pinTable(
            for: try context.selection(invocation[selection]), origin: .init("lanyard details pins"), settings: context.settings)

        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(table))
            return .success
        }
        switch invocation[format] {
        case .pdf:
            try table.writePDF(to: invocation[out])
            invocation.console.write("Wrote \(invocation[out]) (\(table.count) students in \(table.groups.count) registration groups).\n")
        case .csv:
            let writer = CSVWriter(fileDescriptor: 1, name: "standard output", options: CSVWriteOptions(writesByteOrderMark: false))
            try writer.writeRow(["registration_group", "upn", "name", "login_name", "pin", "pin_expires"])
            for group in table.groups {
                for row in group.rows {
                    try writer.writeRow([group.registrationGroup, row.upn, row.name, row.loginName, row.pin ?? "", row.expires ?? ""])
                }
            }
            try writer.finish()
        case .table:
            var text = ""
            for group in table.groups {
                text += "\(group.registrationGroup.isEmpty ? "No registration group" : group.registrationGroup)\n"
                var rendered = TextTable(columns: [.init("name"), .init("login name"), .init("PIN"), .init("expires")])
                for row in group.rows {
                    rendered.append([row.name, row.loginName, row.pin ?? "—", row.expires ?? ""])
                }
                text += rendered.render(maxWidth: invocation.console.tableWidth, styler: invocation.console.outputStyler) + "\n"
            }
            invocation.console.write(text.isEmpty ? "No students in the selection.\n" : text)
        }
        return .success
    }
}

// MARK: - export-parent-codes

enum DetailsExportParentCodesCommand: Command {
    static let selection = DetailsCommands.selectionOption("whose parent codes to export")
    static let layout = Option<String>("layout", valueName: "NAME", default: "generic", help: "generic: UPN, surname, forename, code, expiry; sims: a SIMS aspect import; or a plugin's export layout.")
    static let out = Option<String>("out", valueName: "FILE", help: "The CSV file to write.")

    static let configuration = CommandConfiguration(
        name: "export-parent-codes", abstract: "Writes the live parent codes of a selection as a CSV file for the MIS to import by UPN.",
        discussion: "The file has no byte order mark and no formula protection, because the MIS reads it, not a person. Codes are not changed; each row is recorded in the audit log as a code read.",
        examples: [
            Example("A SIMS aspect import for Year 7.", "lanyard details export-parent-codes --where 'year:7' --layout sims --out parent-codes.csv")
        ],
        arguments: [selection, layout, out])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        var options = ParentCodeExportOptions(
            selection: try context.selection(invocation[selection]), path: invocation[out], origin: .init("lanyard details export-parent-codes"))
        var customLayout: CustomParentCodeLayout?
        if let builtIn = ParentCodeLayout(rawValue: invocation[layout]) {
            options.layout = builtIn
        } else {
            customLayout = try context.plugins.exportLayout(named: invocation[layout])
        }
        let result = try context.directory.exportParentCodes(options, customLayout: customLayout)

        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(result))
            return .success
        }
        invocation.console.write("Wrote \(result.path) (\(result.rows) parent codes).\n")
        if !result.studentsWithoutCode.isEmpty {
            invocation.console.warning(
                "\(result.studentsWithoutCode.count) students have no live parent code and were left out: \(result.studentsWithoutCode.prefix(10).joined(separator: ", ")); issue codes with 'lanyard codes regenerate --kind parent-code'")
        }
        return .success
    }
}

// MARK: - Exit statuses

extension ExportError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode { .cannotCreateOutput }
}

extension CSVWriteError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode {
        if case .cannotCreate = self { return .cannotCreateOutput }
        return .ioError
    }
}
