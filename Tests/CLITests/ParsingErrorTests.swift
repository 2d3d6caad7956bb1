import Testing

@testable import CLI

/// A command line that the parser rejects, with the exact text written to standard error.
struct UsageErrorCase: CustomTestStringConvertible, Sendable {
    var name: String
    var arguments: [String]
    var expected: String

    var testDescription: String { name }
}

@Suite("Usage errors")
struct ParsingErrorTests {
    static let cases: [UsageErrorCase] = [
        // Unknown options
        UsageErrorCase(
            name: "unknown option suggests the close spelling",
            arguments: ["import", "oneroster", "./export", "--dryrun"],
            expected: """
                error: Unknown option '--dryrun'. Did you mean '--dry-run'?
                Run 'lanyard import oneroster --help' for usage.

                """),
        UsageErrorCase(
            name: "unknown option suggests a global option",
            arguments: ["users", "count", "--where", "all", "--jsno"],
            expected: """
                error: Unknown option '--jsno'. Did you mean '--json'?
                Run 'lanyard users count --help' for usage.

                """),
        UsageErrorCase(
            name: "unknown option suggests the option it begins",
            arguments: ["import", "oneroster", "./export", "--skip"],
            expected: """
                error: Unknown option '--skip'. Did you mean '--skip-invalid'?
                Run 'lanyard import oneroster --help' for usage.

                """),
        UsageErrorCase(
            name: "unknown option far from every name",
            arguments: ["users", "count", "--where", "all", "--frobnicate"],
            expected: """
                error: Unknown option '--frobnicate'.
                Run 'lanyard users count --help' for usage.

                """),
        UsageErrorCase(
            name: "unknown option with an inline value",
            arguments: ["users", "list", "--where", "all", "--limt=5"],
            expected: """
                error: Unknown option '--limt'. Did you mean '--limit'?
                Run 'lanyard users list --help' for usage.

                """),
        UsageErrorCase(
            name: "unknown short option",
            arguments: ["import", "oneroster", "-x", "./export"],
            expected: """
                error: Unknown option '-x'.
                Run 'lanyard import oneroster --help' for usage.

                """),
        UsageErrorCase(
            name: "command option before its command",
            arguments: ["import", "--dry-run", "oneroster", "./export"],
            expected: """
                error: Unknown option '--dry-run'.
                Run 'lanyard import --help' for usage.

                """),

        // Unknown commands
        UsageErrorCase(
            name: "unknown command suggests the close name",
            arguments: ["improt", "ctf", "a.xml"],
            expected: """
                error: Unknown command 'improt'. Did you mean 'import'?
                Available commands: init, import, users, config, run, demo, help.
                Run 'lanyard --help' for usage.

                """),
        UsageErrorCase(
            name: "unknown subcommand lists the group's commands",
            arguments: ["import", "xml", "a.xml"],
            expected: """
                error: Unknown command 'xml'.
                Available commands: oneroster, csv, ctf.
                Run 'lanyard import --help' for usage.

                """),
        UsageErrorCase(
            name: "unknown help topic",
            arguments: ["help", "users", "lsit"],
            expected: """
                error: Unknown command 'lsit'. Did you mean 'list'?
                Available commands: list, count, find.
                Run 'lanyard users --help' for usage.

                """),
        UsageErrorCase(
            name: "unknown command wins over help",
            arguments: ["improt", "--help"],
            expected: """
                error: Unknown command 'improt'. Did you mean 'import'?
                Available commands: init, import, users, config, run, demo, help.
                Run 'lanyard --help' for usage.

                """),

        // Missing values and arguments
        UsageErrorCase(
            name: "option at the end without its value",
            arguments: ["users", "list", "--where"],
            expected: """
                error: Missing value for option '--where'. Give it as '--where QUERY'.
                Run 'lanyard users list --help' for usage.

                """),
        UsageErrorCase(
            name: "option followed by another option",
            arguments: ["users", "list", "--where", "--limit", "5"],
            expected: """
                error: Missing value for option '--where'. Give it as '--where QUERY'.
                Run 'lanyard users list --help' for usage.

                """),
        UsageErrorCase(
            name: "short option without its value",
            arguments: ["users", "list", "--where", "all", "-l"],
            expected: """
                error: Missing value for option '-l'. Give it as '-l N'.
                Run 'lanyard users list --help' for usage.

                """),
        UsageErrorCase(
            name: "missing required argument",
            arguments: ["import", "oneroster", "--dry-run"],
            expected: """
                error: Missing required argument 'PATH'.
                Run 'lanyard import oneroster --help' for usage.

                """),
        UsageErrorCase(
            name: "variadic argument below its minimum",
            arguments: ["users", "find"],
            expected: """
                error: Missing required argument 'UPN'.
                Run 'lanyard users find --help' for usage.

                """),
        UsageErrorCase(
            name: "missing required option",
            arguments: ["users", "count"],
            expected: """
                error: Missing required option '--where QUERY'.
                Run 'lanyard users count --help' for usage.

                """),
        UsageErrorCase(
            name: "missing required choice option",
            arguments: ["import", "csv", "pupils.csv"],
            expected: """
                error: Missing required option '--kind students|staff|contacts'.
                Run 'lanyard import csv --help' for usage.

                """),

        // Invalid values
        UsageErrorCase(
            name: "integer below its range",
            arguments: ["users", "list", "--where", "all", "--limit", "0"],
            expected: """
                error: Invalid value '0' for '--limit'. Use a whole number from 1 to 10000.
                Run 'lanyard users list --help' for usage.

                """),
        UsageErrorCase(
            name: "integer that is a word",
            arguments: ["users", "list", "--where", "all", "-l", "ten"],
            expected: """
                error: Invalid value 'ten' for '-l'. Use a whole number from 1 to 10000.
                Run 'lanyard users list --help' for usage.

                """),
        UsageErrorCase(
            name: "integer without a range",
            arguments: ["demo", "generate", "--seed", "1.5"],
            expected: """
                error: Invalid value '1.5' for '--seed'. Use a whole number.
                Run 'lanyard demo generate --help' for usage.

                """),
        UsageErrorCase(
            name: "word outside the choices",
            arguments: ["users", "list", "--where", "all", "--format", "xml"],
            expected: """
                error: Invalid value 'xml' for '--format'. Use one of 'table', 'csv' or 'json'.
                Run 'lanyard users list --help' for usage.

                """),
        UsageErrorCase(
            name: "choice is case sensitive",
            arguments: ["import", "csv", "--kind", "Students", "a.csv"],
            expected: """
                error: Invalid value 'Students' for '--kind'. Use one of 'students', 'staff' or 'contacts'.
                Run 'lanyard import csv --help' for usage.

                """),
        UsageErrorCase(
            name: "pair without an equals sign",
            arguments: ["import", "csv", "--kind", "students", "a.csv", "--map", "Forename"],
            expected: """
                error: Invalid value 'Forename' for '--map'. Use the form 'COLUMN=FIELD'.
                Run 'lanyard import csv --help' for usage.

                """),
        UsageErrorCase(
            name: "pair with an empty key",
            arguments: ["run", "s.lua", "--arg", "=7"],
            expected: """
                error: Invalid value '=7' for '--arg'. Use the form 'KEY=VALUE'.
                Run 'lanyard run --help' for usage.

                """),

        // Extra words and misused options
        UsageErrorCase(
            name: "unquoted selection leaves an extra argument",
            arguments: ["users", "count", "--where", "role:student", "year:7"],
            expected: """
                error: Unexpected argument 'year:7'. Remove it, or put quotes around a value that contains spaces.
                Run 'lanyard users count --help' for usage.

                """),
        UsageErrorCase(
            name: "several extra arguments",
            arguments: ["import", "ctf", "a.xml", "b.xml", "c.xml"],
            expected: """
                error: Unexpected arguments 'b.xml' and 'c.xml'. Remove them, or put quotes around a value that contains spaces.
                Run 'lanyard import ctf --help' for usage.

                """),
        UsageErrorCase(
            name: "flag given a value",
            arguments: ["import", "oneroster", "./export", "--dry-run=yes"],
            expected: """
                error: Flag '--dry-run' takes no value. Remove '=yes'.
                Run 'lanyard import oneroster --help' for usage.

                """),
        UsageErrorCase(
            name: "single option given twice",
            arguments: ["users", "list", "--where", "all", "--limit", "5", "-l", "6"],
            expected: """
                error: Option '--limit' was given more than once. Give it once.
                Run 'lanyard users list --help' for usage.

                """),
        UsageErrorCase(
            name: "global option given twice",
            arguments: ["--db", "a.db", "init", "--db", "b.db"],
            expected: """
                error: Option '--db' was given more than once. Give it once.
                Run 'lanyard init --help' for usage.

                """),
    ]

    @Test(arguments: cases)
    func usageErrorIsReported(_ errorCase: UsageErrorCase) async {
        let result = await SampleTree.run(errorCase.arguments)

        #expect(result.status == .usage)
        #expect(result.status.rawValue == 64)
        #expect(result.output == "")
        #expect(result.error == errorCase.expected)
    }

    @Test func usageErrorCarriesOffendingValue() {
        #expect(
            throws: UsageError(.unknownOption("--dryrun", suggestion: "--dry-run"), commandPath: ["lanyard", "run"])
        ) {
            try CommandLineParser(root: SampleTree.root).parse(["run", "s.lua", "--dryrun"])
        }
    }

    @Test func customReasonUsesTheCommandsAdvice() {
        let error = UsageError(
            .invalidValue(
                option: "--delimiter", value: ";;", reason: .custom(advice: "Use a single character, such as ';'.")),
            commandPath: ["lanyard", "import", "csv"])

        #expect(error.message == "Invalid value ';;' for '--delimiter'. Use a single character, such as ';'.")
    }

    @Test(arguments: [
        (1...Int.max, "Invalid value 'x' for '--n'. Use a whole number of at least 1."),
        (Int.min...9, "Invalid value 'x' for '--n'. Use a whole number of at most 9."),
        (Int.min...Int.max, "Invalid value 'x' for '--n'. Use a whole number."),
    ])
    func integerAdviceNamesOnlyRealBounds(range: ClosedRange<Int>, expected: String) {
        let error = UsageError(
            .invalidValue(option: "--n", value: "x", reason: .integer(range)), commandPath: ["lanyard"])

        #expect(error.message == expected)
    }
}

// MARK: - Errors thrown by commands

/// A failure a command reports, such as a missing input file.
private struct MissingFileError: ReportableError {
    var path: String
    var message: String { "File '\(path)' not found. Check the path and try again." }
    var exitCode: ExitCode { .inputMissing }
}

private struct UnexpectedError: Error, CustomStringConvertible {
    var description: String { "something nobody planned for" }
}

@Suite("Errors thrown by commands")
struct CommandErrorTests {
    private static func tool(throwing error: any Error) -> CommandLineTool {
        let command = CommandSpec(
            CommandConfiguration(
                name: "fail", abstract: "Fails.", examples: [Example("Fail.", "lanyard fail")])
        ) { _ in throw error }
        return CommandLineTool(root: .group("lanyard", abstract: "Test.", subcommands: [command]), version: "0")
    }

    @Test func reportableErrorSetsStatusAndMessage() async {
        let captured = Console.capturing()

        let status = await Self.tool(throwing: MissingFileError(path: "pupils.csv"))
            .run(arguments: ["fail"], console: captured.console, environment: [:])

        #expect(status == .inputMissing)
        #expect(captured.error.text == "error: File 'pupils.csv' not found. Check the path and try again.\n")
        #expect(captured.output.text == "")
    }

    @Test func otherErrorIsAnInternalError() async {
        let captured = Console.capturing()

        let status = await Self.tool(throwing: UnexpectedError())
            .run(arguments: ["fail"], console: captured.console, environment: [:])

        #expect(status == .internalError)
        #expect(captured.error.text == "error: something nobody planned for\n")
    }

    @Test(
        arguments: [
            (ExitCode.success, 0), (.failure, 1), (.partial, 2), (.usage, 64), (.dataError, 65),
            (.inputMissing, 66), (.unavailable, 69), (.internalError, 70), (.cannotCreateOutput, 73),
            (.ioError, 74), (.temporaryFailure, 75), (.permissionDenied, 77), (.configurationError, 78),
        ] as [(ExitCode, Int32)])
    func exitCodeHasItsNumber(status: ExitCode, number: Int32) {
        #expect(status.rawValue == number)
    }
}

// MARK: - Suggestions

@Suite("Did you mean")
struct ParsingSuggestionTests {
    @Test(arguments: [
        ("kitten", "sitting", 3),
        ("improt", "import", 1),
        ("--dryrun", "--dry-run", 1),
        ("", "abc", 3),
        ("abc", "abc", 0),
        ("ca", "abc", 3),
    ])
    func editDistanceCountsSwapsAsOneEdit(a: String, b: String, distance: Int) {
        #expect(Suggestion.editDistance(Array(a), Array(b)) == distance)
    }

    @Test(
        arguments: [
            ("--dryrun", ["--dry-run", "--skip-invalid"], "--dry-run"),
            ("--LIMIT", ["--limit", "--where"], "--limit"),
            ("lsit", ["list", "count"], "list"),
            ("--skip", ["--dry-run", "--skip-invalid"], "--skip-invalid"),
            ("--frobnicate", ["--dry-run", "--skip-invalid"], nil),
            ("x", ["init", "run"], nil),
            ("--s", ["--skip-invalid", "--students"], nil),
        ] as [(String, [String], String?)])
    func closestNameIsSuggested(word: String, candidates: [String], expected: String?) {
        #expect(Suggestion.closest(to: word, among: candidates) == expected)
    }
}
