import CLI
import Testing

/// A command line and what the sample command wrote after parsing it.
struct ParseCase: CustomTestStringConvertible, Sendable {
    var name: String
    var arguments: [String]
    var expected: String
    var environment: [String: String] = [:]

    var testDescription: String { name }
}

@Suite("Parsing command lines")
struct ParsingTests {
    static let cases: [ParseCase] = [
        // Option spellings
        ParseCase(
            name: "option value after a space",
            arguments: ["users", "list", "--where", "year:7", "--limit", "20"],
            expected: "list where=year:7 format=table limit=20\n"),
        ParseCase(
            name: "option value after an equals sign",
            arguments: ["users", "list", "--where=year:7", "--limit=20"],
            expected: "list where=year:7 format=table limit=20\n"),
        ParseCase(
            name: "equals sign inside a value is kept",
            arguments: ["users", "list", "--where=name=Zoë"],
            expected: "list where=name=Zoë format=table limit=50\n"),
        ParseCase(
            name: "short option with a separate value",
            arguments: ["users", "list", "--where", "all", "-l", "5"],
            expected: "list where=all format=table limit=5\n"),
        ParseCase(
            name: "short option with an attached value",
            arguments: ["users", "list", "--where", "all", "-l5"],
            expected: "list where=all format=table limit=5\n"),
        ParseCase(
            name: "defaults apply when options are left out",
            arguments: ["users", "list", "--where", "all"],
            expected: "list where=all format=table limit=50\n"),
        ParseCase(
            name: "choice option takes an allowed word",
            arguments: ["users", "list", "--format", "json", "--where", "all"],
            expected: "list where=all format=json limit=50\n"),
        ParseCase(
            name: "option value may start with a dash",
            arguments: ["demo", "generate", "--seed", "-5"],
            expected: "generate out=demo students=nil seed=-5\n"),
        ParseCase(
            name: "options without values read as nil",
            arguments: ["demo", "generate"],
            expected: "generate out=demo students=nil seed=nil\n"),

        // Flags
        ParseCase(
            name: "flags are false unless given",
            arguments: ["import", "oneroster", "./export"],
            expected: "oneroster path=./export dryRun=false skipInvalid=false\n"),
        ParseCase(
            name: "long and short flags",
            arguments: ["import", "oneroster", "-n", "./export", "--skip-invalid"],
            expected: "oneroster path=./export dryRun=true skipInvalid=true\n"),
        ParseCase(
            name: "short flags combine with global ones",
            arguments: ["users", "count", "-q", "--where", "all"],
            expected: "count where=all db=lanyard.db json=false quiet=true\n"),

        // Repeated options and key=value pairs
        ParseCase(
            name: "repeated key value options keep their order",
            arguments: ["import", "csv", "--kind", "students", "a.csv", "--map", "Reg=reg", "--map=Forename=given"],
            expected: "csv kind=students file=a.csv map=[Reg=reg,Forename=given] encoding=nil delimiter=,\n"),
        ParseCase(
            name: "key value splits at the first equals sign",
            arguments: ["run", "s.lua", "--arg", "url=https://x.test/?a=b"],
            expected: "run script=s.lua dryRun=false arg=[url=https://x.test/?a=b] memory=64\n"),
        ParseCase(
            name: "key value accepts an empty value",
            arguments: ["run", "s.lua", "--arg", "term="],
            expected: "run script=s.lua dryRun=false arg=[term=] memory=64\n"),

        // Positional arguments
        ParseCase(
            name: "optional argument left out",
            arguments: ["config"],
            expected: "config key=nil\n"),
        ParseCase(
            name: "optional argument given",
            arguments: ["config", "smtp.host"],
            expected: "config key=smtp.host\n"),
        ParseCase(
            name: "variadic argument takes every word",
            arguments: ["users", "find", "B801200005001", "A801200005002", "C801200005003"],
            expected: "find upns=B801200005001,A801200005002,C801200005003\n"),
        ParseCase(
            name: "double dash makes dashed words positional",
            arguments: ["run", "--dry-run", "--", "--odd-name.lua"],
            expected: "run script=--odd-name.lua dryRun=true arg=[] memory=64\n"),
        ParseCase(
            name: "single dash is a positional argument",
            arguments: ["import", "ctf", "-"],
            expected: "ctf file=-\n"),
        ParseCase(
            name: "negative number is a positional argument",
            arguments: ["config", "-1"],
            expected: "config key=-1\n"),

        // Global options
        ParseCase(
            name: "global option before the command",
            arguments: ["--db", "school.db", "users", "count", "--where", "all"],
            expected: "count where=all db=school.db json=false quiet=false\n"),
        ParseCase(
            name: "global option between command names",
            arguments: ["users", "--json", "count", "--where", "all"],
            expected: "count where=all db=lanyard.db json=true quiet=false\n"),
        ParseCase(
            name: "global option after the command",
            arguments: ["users", "count", "--where", "all", "--db=other.db", "--quiet"],
            expected: "count where=all db=other.db json=false quiet=true\n"),
        ParseCase(
            name: "database from the environment",
            arguments: ["init"],
            expected: "init db=/srv/school.db\n",
            environment: ["LANYARD_DB": "/srv/school.db"]),
        ParseCase(
            name: "database option wins over the environment",
            arguments: ["init", "--db", "mine.db"],
            expected: "init db=mine.db\n",
            environment: ["LANYARD_DB": "/srv/school.db"]),
        ParseCase(
            name: "empty environment variable falls back to the default",
            arguments: ["init"],
            expected: "init db=lanyard.db\n",
            environment: ["LANYARD_DB": ""]),
    ]

    @Test(arguments: cases)
    func commandReadsParsedValues(_ parseCase: ParseCase) async {
        let result = await SampleTree.run(parseCase.arguments, environment: parseCase.environment)

        #expect(result.error == "")
        #expect(result.status == .success)
        #expect(result.output == parseCase.expected)
    }

    // MARK: - Help and version requests

    /// A command line that requests help, and the command whose help it shows.
    struct HelpCase: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var path: [String]
        var testDescription: String { name }
    }

    static let helpCases: [HelpCase] = [
        HelpCase(name: "no arguments show the program help", arguments: [], path: ["lanyard"]),
        HelpCase(name: "long help flag", arguments: ["import", "csv", "--help"], path: ["lanyard", "import", "csv"]),
        HelpCase(name: "short help flag", arguments: ["import", "-h"], path: ["lanyard", "import"]),
        HelpCase(
            name: "help before the command", arguments: ["--help", "users", "list"], path: ["lanyard", "users", "list"]),
        HelpCase(
            name: "help command with a topic", arguments: ["help", "import", "csv"], path: ["lanyard", "import", "csv"]),
        HelpCase(name: "help command alone", arguments: ["help"], path: ["lanyard"]),
        HelpCase(name: "group without a subcommand", arguments: ["users"], path: ["lanyard", "users"]),
        HelpCase(
            name: "help wins over a missing argument", arguments: ["import", "oneroster", "--help"],
            path: ["lanyard", "import", "oneroster"]),
        HelpCase(
            name: "help wins over an invalid value", arguments: ["users", "list", "--limit", "0", "-h"],
            path: ["lanyard", "users", "list"]),
        HelpCase(
            name: "help wins over a later unknown option", arguments: ["users", "list", "--help", "--frob"],
            path: ["lanyard", "users", "list"]),
    ]

    @Test(arguments: helpCases)
    func helpRequestSelectsCommand(_ helpCase: HelpCase) throws {
        let result = try CommandLineParser(root: SampleTree.root).parse(helpCase.arguments)

        guard case .help(let path, _) = result else {
            Issue.record("Expected help, got \(result)")
            return
        }
        #expect(path.map(\.name) == helpCase.path)
    }

    @Test func helpAfterDoubleDashIsAnArgument() throws {
        let result = try CommandLineParser(root: SampleTree.root).parse(["import", "ctf", "--", "--help"])

        guard case .run(_, let values, _) = result else {
            Issue.record("Expected a run, got \(result)")
            return
        }
        #expect(values.words(ofArgument: "FILE") == ["--help"])
    }

    @Test func versionPrintsNameAndVersion() async {
        let result = await SampleTree.run(["--version"])

        #expect(result.status == .success)
        #expect(result.output == "lanyard 1.2.3\n")
        #expect(result.error == "")
    }

    @Test func versionAfterCommandStillPrintsVersion() async {
        let result = await SampleTree.run(["users", "count", "--version"])

        #expect(result.status == .success)
        #expect(result.output == "lanyard 1.2.3\n")
    }

    // MARK: - Values for commands declared at run time

    @Test func parsedValuesReadableByName() throws {
        let result = try CommandLineParser(root: SampleTree.root).parse(
            ["run", "s.lua", "--arg", "a=1", "--memory-limit", "128", "-n"])

        guard case .run(let path, let values, _) = result else {
            Issue.record("Expected a run, got \(result)")
            return
        }
        #expect(path.map(\.name) == ["lanyard", "run"])
        #expect(values.words(ofArgument: "SCRIPT") == ["s.lua"])
        #expect(values.values(ofOption: "arg") == [.keyValue(KeyValuePair(key: "a", value: "1"))])
        #expect(values.values(ofOption: "memory-limit") == [.integer(128)])
        #expect(values.isSet(flag: "dry-run"))
        #expect(!values.isSet(flag: "json"))
    }

    @Test func pluginCommandAddedAtRunTime() async {
        let plugin = CommandSpec.group(
            "sims", abstract: "Works with SIMS exports.",
            subcommands: [
                CommandSpec(
                    CommandConfiguration(
                        name: "aspects", abstract: "Exports parent codes as a SIMS aspect.",
                        examples: [Example("Export the codes.", "lanyard sims aspects --out codes.csv")],
                        arguments: [Option<String>("out", valueName: "FILE", help: "The file to write.")])
                ) { invocation in
                    guard case .string(let out)? = invocation.values.values(ofOption: "out").first else {
                        return .failure
                    }
                    invocation.console.write("aspects out=\(out)\n")
                    return .success
                }
            ])
        let tool = CommandLineTool(root: SampleTree.root.adding(plugin), version: "1.2.3")
        let captured = Console.capturing()

        let status = await tool.run(
            arguments: ["sims", "aspects", "--out", "codes.csv"], console: captured.console, environment: [:])

        #expect(status == .success)
        #expect(captured.output.text == "aspects out=codes.csv\n")
        #expect(CommandTreeValidator.problems(in: tool.root) == [])
    }
}
