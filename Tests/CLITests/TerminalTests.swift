import CLI
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Colour

/// Whether colour is on for one combination of terminal, environment and `--no-color`.
struct ColorCase: CustomTestStringConvertible, Sendable {
    var name: String
    var isTerminal: Bool
    var environment: [String: String]
    var noColorRequested: Bool
    var expected: Bool

    var testDescription: String { name }
}

@Suite("Terminal facts")
struct TerminalTests {
    static let colorCases: [ColorCase] = [
        ColorCase(
            name: "terminal without settings", isTerminal: true, environment: [:], noColorRequested: false,
            expected: true),
        ColorCase(name: "pipe", isTerminal: false, environment: [:], noColorRequested: false, expected: false),
        ColorCase(
            name: "NO_COLOR set to 1", isTerminal: true, environment: ["NO_COLOR": "1"], noColorRequested: false,
            expected: false),
        ColorCase(
            name: "NO_COLOR set to any word", isTerminal: true, environment: ["NO_COLOR": "false"],
            noColorRequested: false, expected: false),
        ColorCase(
            name: "NO_COLOR set but empty", isTerminal: true, environment: ["NO_COLOR": ""], noColorRequested: false,
            expected: true),
        ColorCase(name: "no-color flag", isTerminal: true, environment: [:], noColorRequested: true, expected: false),
        ColorCase(
            name: "dumb terminal", isTerminal: true, environment: ["TERM": "dumb"], noColorRequested: false,
            expected: false),
    ]

    @Test(arguments: colorCases)
    func colorDecision(_ colorCase: ColorCase) {
        let enabled = Terminal.isColorEnabled(
            isTerminal: colorCase.isTerminal, environment: colorCase.environment,
            noColorRequested: colorCase.noColorRequested)

        #expect(enabled == colorCase.expected)
    }

    @Test func disabledStylerLeavesTextPlain() {
        #expect(Styler(isEnabled: false)("error:", .bold, .red) == "error:")
    }

    @Test func enabledStylerAddsEscapeSequences() {
        #expect(Styler(isEnabled: true)("error:", .bold, .red) == "\u{1B}[1;31merror:\u{1B}[0m")
        #expect(Styler(isEnabled: true)("ok", .green) == "\u{1B}[32mok\u{1B}[0m")
    }

    @Test func errorOnPipeIsPlain() {
        let captured = Console.capturing(isTerminal: false)

        captured.console.error("File 'a.csv' not found.")
        captured.console.warning("3 rows skipped.")

        #expect(captured.error.text == "error: File 'a.csv' not found.\nwarning: 3 rows skipped.\n")
    }

    @Test func errorOnTerminalWithNoColorIsPlain() {
        let captured = Console.capturing(isTerminal: true, environment: ["NO_COLOR": "1"])

        captured.console.error("Database locked.")

        #expect(captured.error.text == "error: Database locked.\n")
    }

    @Test func errorOnTerminalWithNoColorFlagIsPlain() {
        let captured = Console.capturing(isTerminal: true)

        captured.console.applying(GlobalOptions(noColor: true)).error("Database locked.")

        #expect(captured.error.text == "error: Database locked.\n")
    }

    @Test func errorOnColorTerminalIsRed() {
        let captured = Console.capturing(isTerminal: true)

        captured.console.error("Database locked.")

        #expect(captured.error.text == "\u{1B}[1;31merror:\u{1B}[0m Database locked.\n")
    }

    @Test func quietConsoleDropsNotes() {
        let captured = Console.capturing()

        captured.console.note("Nothing was saved (dry run).")
        captured.console.applying(GlobalOptions(quiet: true)).note("Hidden.")

        #expect(captured.error.text == "Nothing was saved (dry run).\n")
    }

    // MARK: - Width

    @Test(
        arguments: [
            ([:], 80),
            (["COLUMNS": "120"], 120),
            (["COLUMNS": "0"], 80),
            (["COLUMNS": "wide"], 80),
        ] as [([String: String], Int)])
    func widthFromEnvironment(environment: [String: String], expected: Int) {
        #expect(Terminal.width(fromEnvironment: environment) == expected)
    }

    @Test func pipeIsNotATerminal() throws {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        defer {
            close(descriptors[0])
            close(descriptors[1])
        }

        #expect(!Terminal.isTerminal(descriptors[1]))
        #expect(Terminal.width(of: descriptors[1], environment: ["COLUMNS": "99"]) == 99)
    }

    @Test func fileDescriptorSinkWritesAllBytes() throws {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        defer { close(descriptors[0]) }
        let sink = FileDescriptorSink(descriptor: descriptors[1])
        let text = "Zoë Ní Bhriain, 山田太郎\n" + String(repeating: "x", count: 10_000)

        sink.write(text)
        close(descriptors[1])
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(descriptors[0], &buffer, buffer.count)
            if count <= 0 { break }
            received += buffer[0..<count]
        }

        #expect(!sink.isTerminal)
        #expect(String(decoding: received, as: UTF8.self) == text)
    }

    #if os(Linux)
        /// Opens a Linux pseudo-terminal through /dev/ptmx and sets its size, to check the
        /// `TIOCGWINSZ` path on a real terminal device.
        @Test func pseudoTerminalReportsItsWidth() throws {
            let primary = open("/dev/ptmx", O_RDWR | O_NOCTTY)
            try #require(primary >= 0, "No pseudo-terminal available")
            defer { close(primary) }
            // TIOCSPTLCK and TIOCGPTN are function-like macros that Swift does not import. These
            // are their values from asm-generic/ioctls.h, which x86_64 and arm64 Linux use.
            let unlockRequest: UInt = 0x4004_5431
            let numberRequest: UInt = 0x8004_5430
            var unlock: Int32 = 0
            try #require(ioctl(primary, unlockRequest, &unlock) == 0)
            var number: UInt32 = 0
            try #require(ioctl(primary, numberRequest, &number) == 0)
            let secondary = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
            try #require(secondary >= 0)
            defer { close(secondary) }

            var size = winsize()
            size.ws_col = 132
            size.ws_row = 40
            try #require(ioctl(secondary, UInt(TIOCSWINSZ), &size) == 0)

            #expect(Terminal.isTerminal(secondary))
            #expect(Terminal.width(of: secondary, environment: ["COLUMNS": "99"]) == 132)
        }
    #endif

    // MARK: - Display width

    @Test(
        arguments: [
            ("", 0),
            ("Smith", 5),
            ("Zoë Ní Bhriain", 14),
            ("e\u{0301}", 1),
            ("Łukasz Wróbel", 13),
            ("山田太郎", 8),
            ("김민준", 6),
            ("ｱｲｳ", 3),
            ("👍", 2),
            ("a\u{200B}b", 2),
        ] as [(String, Int)])
    func displayWidthCountsColumns(text: String, columns: Int) {
        #expect(DisplayWidth.columns(of: text) == columns)
    }

    @Test(
        arguments: [
            ("Bhriain", 7, "Bhriain"),
            ("Bhriain", 5, "Bhri…"),
            ("Bhriain", 1, "…"),
            ("Bhriain", 0, ""),
            ("山田太郎", 5, "山田…"),
            ("山田太郎", 4, "山…"),
            ("Zoë", 2, "Z…"),
        ] as [(String, Int, String)])
    func truncationFitsColumns(text: String, limit: Int, expected: String) {
        let cut = DisplayWidth.truncate(text, toColumns: limit)

        #expect(cut == expected)
        #expect(DisplayWidth.columns(of: cut) <= limit)
    }

    @Test func wrappingKeepsWordsWhole() {
        let lines = TextWrapping.wrap("Imports the valid rows and reports the invalid ones.", width: 20, indent: 2)

        #expect(lines == ["  Imports the valid", "  rows and reports", "  the invalid ones."])
    }

    @Test func wrappingKeepsParagraphBreaks() {
        let lines = TextWrapping.wrap("First paragraph.\n\nSecond.", width: 40)

        #expect(lines == ["First paragraph.", "", "Second."])
    }
}
