import CLI

// A command tree shaped like Lanyard's real one, for the parsing, help and validation tests.
// Each handler writes what it read to standard output, so tests can check the typed values.

enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, json
}

enum PersonKind: String, CaseIterable, Sendable {
    case students, staff, contacts
}

// MARK: - lanyard init

enum SampleInit: Command {
    static let configuration = CommandConfiguration(
        name: "init", abstract: "Creates an empty school directory.",
        examples: [Example("Create lanyard.db in the current folder.", "lanyard init")])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        invocation.console.write("init db=\(invocation.databasePath)\n")
        return .success
    }
}

// MARK: - lanyard import

enum SampleImportOneRoster: Command {
    static let path = Argument<String>("PATH", help: "Folder or .zip file of the OneRoster CSV bundle.")
    static let dryRun = Flag(
        "dry-run", short: "n", help: "Checks the bundle and reports the changes without saving them.")
    static let skipInvalid = Flag(
        "skip-invalid", help: "Imports the valid rows and reports the invalid ones, instead of rejecting the bundle.")

    static let configuration = CommandConfiguration(
        name: "oneroster", abstract: "Imports a OneRoster 1.1 or 1.2 CSV bundle.",
        discussion: "Reads users.csv, orgs.csv and enrollments.csv, and matches people on their UPN or staff code.",
        examples: [Example("Check a bundle without saving anything.", "lanyard import oneroster ./export --dry-run")],
        arguments: [path, dryRun, skipInvalid])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        invocation.console.write(
            "oneroster path=\(invocation[path]) dryRun=\(invocation[dryRun]) skipInvalid=\(invocation[skipInvalid])\n")
        return .success
    }
}

enum SampleImportCSV: Command {
    static let kind = Option<PersonKind>("kind", help: "The people the file lists.")
    static let file = Argument<String>("FILE", help: "The CSV file exported from the MIS.")
    static let maps = Option<[KeyValuePair]>(
        "map", valueName: "COLUMN=FIELD", help: "Reads the column COLUMN into the field FIELD.")
    static let encoding = Option<String?>("encoding", valueName: "E", help: "The text encoding of the file.")
    static let delimiter = Option<String>("delimiter", valueName: "D", default: ",", help: "The field separator.")

    static let configuration = CommandConfiguration(
        name: "csv", abstract: "Imports students, staff or contacts from an MIS CSV report.",
        examples: [
            Example(
                "Import students, reading the 'Reg' column as the registration group.",
                "lanyard import csv --kind students pupils.csv --map 'Reg=registration_group'")
        ],
        arguments: [kind, file, maps, encoding, delimiter])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let pairs = invocation[maps].map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        invocation.console.write(
            "csv kind=\(invocation[kind]) file=\(invocation[file]) map=[\(pairs)] encoding=\(invocation[encoding] ?? "nil") delimiter=\(invocation[delimiter])\n"
        )
        return .success
    }
}

enum SampleImportCTF: Command {
    static let file = Argument<String>("FILE", help: "The CTF file (XML).")

    static let configuration = CommandConfiguration(
        name: "ctf", abstract: "Imports pupils from a common transfer file.",
        examples: [Example("Import the pupils of a CTF file.", "lanyard import ctf pupils.xml")],
        arguments: [file])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        invocation.console.write("ctf file=\(invocation[file])\n")
        return .success
    }
}

// MARK: - lanyard users

enum SampleUsersList: Command {
    static let selection = Option<String>("where", valueName: "QUERY", help: "The users to list, as a selection.")
    static let format = Option<OutputFormat>("format", default: .table, help: "The output format.")
    static let limit = Option<Int>(
        "limit", short: "l", range: 1...10_000, default: 50, help: "Maximum number of users to list.")

    static let configuration = CommandConfiguration(
        name: "list", abstract: "Lists the users that match a selection.",
        examples: [Example("List Year 7 students.", "lanyard users list --where 'role:student year:7'")],
        arguments: [selection, format, limit])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        invocation.console.write(
            "list where=\(invocation[selection]) format=\(invocation[format]) limit=\(invocation[limit])\n")
        return .success
    }
}

enum SampleUsersCount: Command {
    static let selection = Option<String>("where", valueName: "QUERY", help: "The users to count, as a selection.")

    static let configuration = CommandConfiguration(
        name: "count", abstract: "Counts the users that match a selection.",
        examples: [Example("Count students without an email address.", "lanyard users count --where email:missing")],
        arguments: [selection])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let globals = invocation.globals
        invocation.console.write(
            "count where=\(invocation[selection]) db=\(invocation.databasePath) json=\(globals.json) quiet=\(globals.quiet)\n"
        )
        return .success
    }
}

enum SampleUsersFind: Command {
    static let upns = Argument<[String]>("UPN", minimum: 1, help: "The UPNs to look up.")

    static let configuration = CommandConfiguration(
        name: "find", abstract: "Shows the users with the given UPNs.",
        examples: [Example("Show two students.", "lanyard users find B801200005001 A801200005002")],
        arguments: [upns])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        invocation.console.write("find upns=\(invocation[upns].joined(separator: ","))\n")
        return .success
    }
}

// MARK: - lanyard config, run, demo

enum SampleConfig: Command {
    static let key = Argument<String?>("KEY", help: "The setting to show. All settings when left out.")

    static let configuration = CommandConfiguration(
        name: "config", abstract: "Shows the configuration.",
        examples: [Example("Show every setting.", "lanyard config")],
        arguments: [key])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        invocation.console.write("config key=\(invocation[key] ?? "nil")\n")
        return .success
    }
}

enum SampleRun: Command {
    static let script = Argument<String>("SCRIPT", help: "The Lua script to run.")
    static let dryRun = Flag("dry-run", short: "n", help: "Runs the script and rolls back every change.")
    static let arguments = Option<[KeyValuePair]>("arg", help: "Passes a named value to the script.")
    static let memoryLimit = Option<Int>(
        "memory-limit", valueName: "MB", range: 1...4096, default: 64, help: "Maximum memory of the script, in MB.")

    static let configuration = CommandConfiguration(
        name: "run", abstract: "Runs a workflow script in one transaction.",
        examples: [Example("Try a script first.", "lanyard run term-start.lua --dry-run --arg year=7")],
        arguments: [script, dryRun, arguments, memoryLimit])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let pairs = invocation[arguments].map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        invocation.console.write(
            "run script=\(invocation[script]) dryRun=\(invocation[dryRun]) arg=[\(pairs)] memory=\(invocation[memoryLimit])\n"
        )
        return .success
    }
}

enum SampleDemoGenerate: Command {
    static let out = Option<String>(
        "out", short: "o", valueName: "DIR", default: "demo", help: "The folder to write to.")
    static let students = Option<Int?>("students", range: 1...100_000, help: "The number of students.")
    static let seed = Option<Int?>("seed", help: "The seed of the random generator.")

    static let configuration = CommandConfiguration(
        name: "generate", abstract: "Generates a demo school.",
        examples: [Example("Generate 300 students.", "lanyard demo generate --students 300 --seed 7")],
        arguments: [out, students, seed])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let studentCount = invocation[students].map(String.init) ?? "nil"
        let seedValue = invocation[seed].map(String.init) ?? "nil"
        invocation.console.write("generate out=\(invocation[out]) students=\(studentCount) seed=\(seedValue)\n")
        return .success
    }
}

// MARK: - The tree

enum SampleTree {
    static let root = CommandSpec.group(
        "lanyard", abstract: "Manages the login details of a school.",
        subcommands: [
            SampleInit.spec,
            .group(
                "import", abstract: "Imports people from MIS exports.",
                subcommands: [SampleImportOneRoster.spec, SampleImportCSV.spec, SampleImportCTF.spec]),
            .group(
                "users", abstract: "Lists and counts users.",
                subcommands: [SampleUsersList.spec, SampleUsersCount.spec, SampleUsersFind.spec]),
            SampleConfig.spec,
            SampleRun.spec,
            .group("demo", abstract: "Creates demo data.", subcommands: [SampleDemoGenerate.spec]),
        ])

    static let tool = CommandLineTool(root: root, version: "1.2.3")

    /// Runs the sample tool in-process and returns the exit status and what it wrote.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], width: Int = 80
    ) async -> (status: ExitCode, output: String, error: String) {
        let captured = Console.capturing(width: width, environment: environment)
        let status = await tool.run(arguments: arguments, console: captured.console, environment: environment)
        return (status, captured.output.text, captured.error.text)
    }

    /// Returns the commands from the root along `names`.
    static func path(_ names: String...) -> [CommandSpec] {
        var path = [root]
        for name in names {
            guard let next = path[path.count - 1].subcommand(named: name) else {
                fatalError(
                    "The sample tree has no command '\(name)' under '\(path.map(\.name).joined(separator: " "))'")
            }
            path.append(next)
        }
        return path
    }
}
