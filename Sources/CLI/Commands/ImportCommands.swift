import Domain
import Foundation

/// `lanyard import ...`: OneRoster bundles, MIS CSV reports and Common Transfer Files.
enum ImportCommands {
    static let dryRun = Flag("dry-run", short: "n", help: "Works out every change, prints the counts and writes nothing.")
    static let skipInvalid = Flag("skip-invalid", help: "Imports the valid rows and reports the invalid ones, instead of rejecting the whole file.")

    static let group = CommandSpec.group(
        "import", abstract: "Imports people from MIS exports into the directory.",
        subcommands: [OneRosterImportCommand.spec, CSVImportCommand.spec, CTFImportCommand.spec])

    /// Runs an import with a progress line on a terminal, then prints the summary.
    static func perform(
        _ invocation: Invocation, label: String, expectedPeople: Int?, _ body: (CommandContext) throws -> ImportSummary
    ) throws -> ExitCode {
        let context = try CommandContext(invocation, dryRun: invocation[dryRun])
        let progress = ProgressReporter(label: label, total: expectedPeople, console: invocation.console)
        context.directory.importProgress = { count in progress.update(completed: count) }
        let summary: ImportSummary
        do {
            summary = try body(context)
            progress.finish()
        } catch {
            progress.finish()
            throw error
        }
        return try report(summary, console: invocation.console, json: context.wantsJSON)
    }

    static func report(_ summary: ImportSummary, console: Console, json: Bool) throws -> ExitCode {
        let status: ExitCode = summary.invalid > 0 ? .partial : .success
        if json {
            console.write(try JSONOutput.encode(summary))
            return status
        }
        console.reportProblems(summary.problems, severity: .warning)
        console.reportProblems(summary.problems, severity: .error)

        var table = TextTable(columns: [.init("outcome"), .init("count", alignment: .right)])
        table.append(["new", "\(summary.new)"])
        table.append(["updated", "\(summary.updated)"])
        table.append(["unchanged", "\(summary.unchanged)"])
        table.append(["left", "\(summary.left)"])
        table.append(["invalid (skipped)", "\(summary.invalid)"])
        table.append(["parent links", "\(summary.links)"])
        let heading = summary.dryRun ? "Dry run of \(summary.source): nothing was written" : "Imported \(summary.source)"
        console.write("\(heading)\n\(table.render(maxWidth: console.tableWidth))")
        return status
    }
}

enum OneRosterImportCommand: Command {
    static let path = Argument<String>("PATH", help: "The folder or .zip file of the OneRoster CSV bundle.")
    static let delta = Flag("delta", help: "Treats the bundle as a partial update even if its manifest says bulk, so nobody is marked left.")

    static let configuration = CommandConfiguration(
        name: "oneroster", abstract: "Imports a OneRoster 1.0, 1.1 or 1.2 CSV bundle.",
        discussion: """
            Reads manifest.csv, orgs.csv, users.csv, roles.csv, classes.csv and enrollments.csv. \
            Students, staff and parents are matched on sourcedId, UPN or staff code. When the \
            manifest says the users file is bulk, people absent from it are marked left. The rules \
            for messy bundles are in docs/imports.md.
            """,
        examples: [
            Example("Check a bundle without saving anything.", "lanyard import oneroster ./export --dry-run"),
            Example("Import a zip, skipping invalid rows.", "lanyard import oneroster oneroster.zip --skip-invalid"),
        ],
        arguments: [path, ImportCommands.dryRun, ImportCommands.skipInvalid, delta])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let options = ImportOptions(
            skipInvalid: invocation[ImportCommands.skipInvalid], dryRun: invocation[ImportCommands.dryRun], isDelta: invocation[delta])
        return try ImportCommands.perform(invocation, label: "Importing", expectedPeople: nil) { context in
            try context.directory.importOneRoster(path: invocation[path], options: options, settings: context.settings)
        }
    }
}

enum CSVImportCommand: Command {
    static let kind = Option<MISReportKind?>("kind", help: "What the report lists; required unless --layout gives it.")
    static let file = Argument<String>("FILE", help: "The CSV report exported from the MIS.")
    static let maps = Option<[String]>("map", valueName: "COLUMN=FIELD", help: "Reads the column COLUMN into FIELD, overriding header detection. Repeatable.")
    static let encoding = Option<String?>("encoding", valueName: "ENCODING", help: "The text encoding: utf-8, utf-16 or windows-1252. Detected when left out.")
    static let delimiter = Option<String?>("delimiter", valueName: "DELIMITER", help: "The field separator: comma, semicolon or tab. Detected when left out.")
    static let full = Flag("full", help: "The file lists every student (or every member of staff), so those absent are marked left.")
    static let layout = Option<String?>("layout", valueName: "NAME", help: "A plugin's import layout: its column names and row rewrite (see 'lanyard plugins list'). Sets --kind.")

    static let configuration = CommandConfiguration(
        name: "csv", abstract: "Imports students, staff or contacts from an MIS CSV report.",
        discussion: """
            Columns are found by the names SIMS, Arbor and Bromcom reports use (UPN, Legal Surname, \
            Forename, Year, Reg, Primary Email, Contact Email, Priority...); name others with --map. \
            Fields: \(MISField.allCases.map(\.rawValue).joined(separator: ", ")).
            """,
        examples: [
            Example("Import the student list, marking absent students as left.", "lanyard import csv --kind students --full students.csv"),
            Example("Import contacts whose email column has an unusual name.", "lanyard import csv --kind contacts contacts.csv --map 'Main Email=email'"),
            Example("Import an Arbor student export with the mis-layouts plugin's layout.", "lanyard import csv --layout arbor-students students.csv"),
        ],
        arguments: [kind, file, maps, layout, encoding, delimiter, full, ImportCommands.dryRun, ImportCommands.skipInvalid])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let encodingName = invocation[encoding]
        let chosenEncoding = try encodingName.map { name in
            guard let value = CSVEncoding(name: name) else {
                throw CommandError.message("unknown encoding '\(name)'; use one of \(CSVEncoding.names.joined(separator: ", "))", .usage)
            }
            return value
        }
        let chosenDelimiter = try invocation[delimiter].map { name in
            guard let value = CSVDelimiter(name: name) else {
                throw CommandError.message("unknown delimiter '\(name)'; use one of \(CSVDelimiter.names.joined(separator: ", "))", .usage)
            }
            return value
        }
        let options = ImportOptions(
            skipInvalid: invocation[ImportCommands.skipInvalid], dryRun: invocation[ImportCommands.dryRun], isFull: invocation[full])
        return try ImportCommands.perform(invocation, label: "Importing", expectedPeople: nil) { context in
            var transform: MISRowTransform?
            var mappings = invocation[maps]
            var chosenKind = invocation[kind]
            if let name = invocation[layout] {
                let (layout, rowTransform) = try context.plugins.importLayout(named: name)
                let layoutKind = MISReportKind(rawValue: layout.kind)!
                if let chosenKind, chosenKind != layoutKind {
                    throw CommandError.message("layout '\(name)' reads \(layout.kind), but --kind gives \(chosenKind.rawValue); leave out --kind", .usage)
                }
                chosenKind = layoutKind
                mappings = layout.mappings(overriddenBy: mappings)
                transform = rowTransform
            }
            guard let chosenKind else {
                throw CommandError.message("say what the report lists with --kind students, staff or contacts, or give a --layout", .usage)
            }
            let report = MISImportOptions(kind: chosenKind, mappings: mappings, encoding: chosenEncoding, delimiter: chosenDelimiter)
            return try context.directory.importMISReport(
                path: invocation[file], report: report, options: options, settings: context.settings, rowTransform: transform)
        }
    }
}

enum CTFImportCommand: Command {
    static let file = Argument<String>("FILE", help: "The Common Transfer File (XML).")

    static let configuration = CommandConfiguration(
        name: "ctf", abstract: "Imports pupils and their contacts from a Common Transfer File.",
        discussion: "A UPN that fails the check letter is imported with a warning, because the sending school's MIS issued it. A CTF never marks anyone left.",
        examples: [Example("Import the pupils joining in September.", "lanyard import ctf incoming-year7.xml")],
        arguments: [file, ImportCommands.dryRun, ImportCommands.skipInvalid])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let options = ImportOptions(skipInvalid: invocation[ImportCommands.skipInvalid], dryRun: invocation[ImportCommands.dryRun])
        return try ImportCommands.perform(invocation, label: "Importing", expectedPeople: nil) { context in
            try context.directory.importCTF(path: invocation[file], options: options, settings: context.settings)
        }
    }
}

