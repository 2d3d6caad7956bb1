import CLI
import Testing

@Suite("Help")
struct ParsingHelpTests {
    @Test func leafCommandHelpIsComplete() async {
        let result = await SampleTree.run(["import", "oneroster", "--help"])

        #expect(result.status == .success)
        #expect(result.error == "")
        #expect(
            result.output == """
                Imports a OneRoster 1.1 or 1.2 CSV bundle.

                Usage: lanyard import oneroster PATH [--dry-run] [--skip-invalid]

                Reads users.csv, orgs.csv and enrollments.csv, and matches people on their UPN
                or staff code.

                Arguments:
                  PATH                Folder or .zip file of the OneRoster CSV bundle.

                Options:
                  -n, --dry-run       Checks the bundle and reports the changes without saving
                                      them.
                      --skip-invalid  Imports the valid rows and reports the invalid ones,
                                      instead of rejecting the bundle.

                Global options:
                      --db PATH       The school directory database. Default: $LANYARD_DB, else
                                      lanyard.db in the current folder.
                      --json          Writes results as JSON on standard output.
                  -q, --quiet         Shows no progress or notes, only results and errors.
                      --no-color      Writes plain text without colours, even on a terminal.
                  -h, --help          Shows help for the command.
                      --version       Shows the version of lanyard.

                Examples:
                  Check a bundle without saving anything.
                    lanyard import oneroster ./export --dry-run

                """)
    }

    @Test func groupHelpListsSubcommands() async {
        let result = await SampleTree.run(["demo"])

        #expect(result.status == .success)
        #expect(
            result.output == """
                Creates demo data.

                Usage: lanyard demo COMMAND

                Commands:
                  generate        Generates a demo school.

                Global options:
                      --db PATH   The school directory database. Default: $LANYARD_DB, else
                                  lanyard.db in the current folder.
                      --json      Writes results as JSON on standard output.
                  -q, --quiet     Shows no progress or notes, only results and errors.
                      --no-color  Writes plain text without colours, even on a terminal.
                  -h, --help      Shows help for the command.
                      --version   Shows the version of lanyard.

                Run 'lanyard demo COMMAND --help' for the options and examples of a command.

                """)
    }

    @Test func rootHelpListsTheHelpCommand() async {
        let result = await SampleTree.run([])

        #expect(result.output.contains("\n  help            Shows the help of a command, as in 'help import csv'.\n"))
        #expect(result.output.hasPrefix("Manages the login details of a school.\n\nUsage: lanyard COMMAND\n"))
    }

    @Test func optionFactsFollowTheirHelp() async {
        let result = await SampleTree.run(["users", "list", "--help"])

        #expect(result.output.contains("      --where QUERY  The users to list, as a selection. (required)\n"))
        #expect(
            result.output.contains(
                "      --format table|csv|json\n                     The output format. (default: table)\n"))
        #expect(
            result.output.contains("  -l, --limit N      Maximum number of users to list. (1 to 10000, default: 50)\n"))
    }

    @Test func usageLineOrdersRequiredOptionsFirst() {
        let usage = HelpFormatter(width: 200).usage(for: SampleTree.path("import", "csv"))

        #expect(
            usage
                == "lanyard import csv --kind students|staff|contacts FILE [--map COLUMN=FIELD]... [--encoding E] [--delimiter D]"
        )
    }

    @Test func usageLineShowsArities() {
        let formatter = HelpFormatter(width: 80)

        #expect(formatter.usage(for: SampleTree.path("users", "find")) == "lanyard users find UPN...")
        #expect(formatter.usage(for: SampleTree.path("config")) == "lanyard config [KEY]")
        #expect(formatter.usage(for: SampleTree.path("users")) == "lanyard users COMMAND")
    }

    @Test func longUsageLineWrapsUnderTheCommand() async {
        let result = await SampleTree.run(["import", "csv", "--help"])

        #expect(
            result.output.contains(
                """
                Usage: lanyard import csv --kind students|staff|contacts FILE
                                          [--map COLUMN=FIELD]... [--encoding E] [--delimiter D]
                """))
    }

    @Test func helpCommandMatchesHelpFlag() async {
        let fromCommand = await SampleTree.run(["help", "import", "csv"])
        let fromFlag = await SampleTree.run(["import", "csv", "--help"])

        #expect(fromCommand.status == .success)
        #expect(fromCommand.output == fromFlag.output)
    }

    /// Every command of the sample tree, as the command names after `lanyard`.
    static let allPaths: [[String]] = {
        var paths: [[String]] = []
        func visit(_ command: CommandSpec, names: [String]) {
            paths.append(names)
            for subcommand in command.subcommands { visit(subcommand, names: names + [subcommand.name]) }
        }
        visit(SampleTree.root, names: [])
        return paths
    }()

    @Test(arguments: allPaths, [200, 80, 60])
    func helpFitsTheWidth(names: [String], terminalWidth: Int) async {
        let result = await SampleTree.run(names + ["--help"], width: terminalWidth)
        let limit = min(terminalWidth, HelpFormatter.maximumWidth)

        for line in result.output.split(separator: "\n") {
            #expect(DisplayWidth.columns(of: line) <= limit, "Too wide: \(line)")
        }
        #expect(result.status == .success)
    }
}

// MARK: - The tree walk

@Suite("Command tree checks")
struct ParsingTreeTests {
    @Test func sampleTreeHasNoProblems() {
        #expect(CommandTreeValidator.problems(in: SampleTree.root) == [])
    }

    @Test func leafWithoutExampleIsReported() {
        let leaf = CommandSpec(CommandConfiguration(name: "count", abstract: "Counts.")) { _ in .success }
        let root = CommandSpec.group("lanyard", abstract: "Test.", subcommands: [leaf])

        #expect(
            CommandTreeValidator.problems(in: root) == [
                "'lanyard count' has no example: add at least one to its configuration."
            ])
    }

    @Test func groupWithoutExampleIsAccepted() {
        let root = CommandSpec.group("lanyard", abstract: "Test.", subcommands: [SampleInit.spec])

        #expect(CommandTreeValidator.problems(in: root) == [])
    }

    @Test func badExamplesAreReported() {
        let leaf = CommandSpec(
            CommandConfiguration(
                name: "ctf", abstract: "Imports a CTF file.",
                examples: [
                    Example("No file.", "lanyard ctf"),
                    Example("Another command.", "lanyard init"),
                    Example("Open quote.", "lanyard ctf 'a.xml"),
                ],
                arguments: [Argument<String>("FILE", help: "The file.")])
        ) { _ in .success }
        let root = CommandSpec.group("lanyard", abstract: "Test.", subcommands: [leaf, SampleInit.spec])

        #expect(
            CommandTreeValidator.problems(in: root) == [
                "'lanyard ctf' has an example that does not parse (Missing required argument 'FILE'.): lanyard ctf",
                "'lanyard ctf' has an example for another command: lanyard init",
                "'lanyard ctf' has an example with unbalanced quotes: lanyard ctf 'a.xml",
            ])
    }

    @Test func declarationMistakesAreReported() {
        let leaf = CommandSpec(
            CommandConfiguration(
                name: "send", abstract: "",
                examples: [Example("Send.", "lanyard send a b")],
                arguments: [
                    Argument<[String]>("REST", help: "Rest."),
                    Argument<String?>("MAYBE", help: "Maybe."),
                    Argument<String>("FILE", help: "File."),
                    Flag("json", help: "Clashes with the global option."),
                    Flag("dry-run", short: "q", help: "Clashes with -q."),
                    Flag("dry-run", help: "Declared twice."),
                ])
        ) { _ in .success }
        let root = CommandSpec.group("lanyard", abstract: "Test.", subcommands: [leaf])

        #expect(
            CommandTreeValidator.problems(in: root) == [
                "'lanyard send' has no abstract.",
                "'lanyard send' declares '--dry-run' more than once.",
                "'lanyard send' declares '--json', which is a global option.",
                "'lanyard send' declares '-q', which is a global option.",
                "'lanyard send' has the variadic argument 'REST' before the last place.",
                "'lanyard send' has the required argument 'FILE' after an optional one.",
                "'lanyard send' has an example that does not parse (Missing required argument 'FILE'.): lanyard send a b",
            ])
    }
}
