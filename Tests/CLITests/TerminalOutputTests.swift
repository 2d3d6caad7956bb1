import CLI
import Foundation
import Testing

// MARK: - Tables

@Suite("Table output")
struct TerminalTableTests {
    static func sampleTable() -> TextTable {
        var table = TextTable(columns: [.init("UPN"), .init("Name"), .init("Year", alignment: .right)])
        table.append(["B801200005001", "Zoë Ní Bhriain", "7"])
        table.append(["A801200005002", "山田太郎", "11"])
        return table
    }

    @Test func tableAlignsByDisplayWidth() {
        #expect(
            Self.sampleTable().render() == """
                UPN            Name            Year
                -------------  --------------  ----
                B801200005001  Zoë Ní Bhriain     7
                A801200005002  山田太郎          11

                """)
    }

    @Test func tableIsCutToTheWidth() {
        let rendered = Self.sampleTable().render(maxWidth: 30)

        #expect(
            rendered == """
                UPN          Name         Year
                -----------  -----------  ----
                B801200005…  Zoë Ní Bhr…     7
                A801200005…  山田太郎       11

                """)
        for line in rendered.split(separator: "\n") {
            #expect(DisplayWidth.columns(of: line) <= 30)
        }
    }

    @Test func narrowWidthStopsAtTheMinimum() {
        let rendered = Self.sampleTable().render(maxWidth: 10)

        #expect(
            rendered == """
                UPN    Name   Year
                -----  -----  ----
                B801…  Zoë …     7
                A801…  山田…    11

                """)
    }

    @Test func tableWithoutWidthKeepsValuesWhole() {
        var table = TextTable(columns: [.init("Email")])
        let email = "a.very.long.address.for.a.student@example-academy.sch.uk"
        table.append([email])

        #expect(table.render(maxWidth: nil).contains(email))
    }

    @Test func lineBreakInACellStaysOnOneLine() {
        var table = TextTable(columns: [.init("Note"), .init("N")])
        table.append(["two\nlines", "1"])

        #expect(table.render() == "Note       N\n---------  -\ntwo lines  1\n")
    }

    @Test func shortRowGetsEmptyCells() {
        var table = TextTable(columns: [.init("A"), .init("B")])
        table.append(["x"])

        #expect(table.rows == [["x", ""]])
    }

    @Test func boldHeaderOnlyWhenStyled() {
        let rendered = Self.sampleTable().render(styler: Styler(isEnabled: true))

        #expect(rendered.hasPrefix("\u{1B}[1mUPN"))
    }
}

// MARK: - Progress

/// A clock that tests move by hand.
private final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now = Duration.zero

    func advance(by duration: Duration) {
        lock.withLock { now += duration }
    }

    var reading: ProgressReporter.Clock {
        { [self] in lock.withLock { now } }
    }
}

@Suite("Progress output")
struct TerminalProgressTests {
    @Test func pipeGetsNoProgress() {
        let captured = Console.capturing(isTerminal: false)
        let progress = ProgressReporter(label: "Importing", total: 10, console: captured.console)

        for _ in 0..<10 { progress.advance() }
        progress.finish()

        #expect(!progress.isEnabled)
        #expect(captured.error.text == "")
        #expect(captured.output.text == "")
    }

    @Test func quietGetsNoProgress() {
        let captured = Console.capturing(isTerminal: true)
        let console = captured.console.applying(GlobalOptions(quiet: true))
        let progress = ProgressReporter(label: "Importing", total: 10, console: console)

        for _ in 0..<10 { progress.advance() }
        progress.finish()

        #expect(captured.error.text == "")
    }

    @Test func redrawsAtMostTenTimesASecond() {
        let captured = Console.capturing(isTerminal: true)
        let clock = ManualClock()
        let progress = ProgressReporter(
            label: "Importing", total: 1000, console: captured.console, clock: clock.reading)

        // 1,000 updates over one second, a millisecond apart.
        for _ in 0..<1000 {
            clock.advance(by: .milliseconds(1))
            progress.advance()
        }

        let redraws = captured.error.text.filter { $0 == "\r" }.count
        #expect(redraws == 10)
        #expect(captured.output.text == "")
    }

    @Test func lineIsRedrawnInPlaceAndCleared() {
        let captured = Console.capturing(isTerminal: true)
        let clock = ManualClock()
        let progress = ProgressReporter(
            label: "Importing students", total: 5000, console: captured.console, clock: clock.reading)

        clock.advance(by: .seconds(2))
        progress.update(completed: 1000)
        progress.finish()
        progress.advance()

        #expect(
            captured.error.text
                == "\rImporting students  1,000/5,000  20%  500/s  ETA 0:08\u{1B}[K" + "\r\u{1B}[K")
    }

    @Test func finishWithoutDrawingWritesNothing() {
        let captured = Console.capturing(isTerminal: true)
        let progress = ProgressReporter(label: "Sending", total: nil, console: captured.console)

        progress.finish()

        #expect(captured.error.text == "")
    }

    @Test func concurrentUpdatesAreCounted() async {
        let captured = Console.capturing(isTerminal: true)
        let clock = ManualClock()
        let progress = ProgressReporter(label: "Sending", total: 400, console: captured.console, clock: clock.reading)

        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<100 { progress.advance() }
                }
            }
        }
        clock.advance(by: .seconds(1))
        progress.advance(by: 0)

        #expect(captured.error.text.hasSuffix("\rSending  400/400  100%  400/s\u{1B}[K"))
    }

    @Test(
        arguments: [
            (
                ProgressLineCase(completed: 1204, total: 5000, seconds: 3),
                "Importing students  1,204/5,000  24%  401/s  ETA 0:10"
            ),
            (ProgressLineCase(completed: 0, total: 5000, seconds: 0), "Importing students  0/5,000  0%"),
            (ProgressLineCase(completed: 3, total: nil, seconds: 2), "Importing students  3  1.5/s"),
            (
                ProgressLineCase(completed: 1, total: 10_000, seconds: 1),
                "Importing students  1/10,000  0%  1.0/s  ETA 2:46:39"
            ),
            (
                ProgressLineCase(completed: 50, total: 100, seconds: 1, width: 40),
                "Importing …  50/100  50%  50/s  ETA 0:01"
            ),
        ] as [(ProgressLineCase, String)])
    func progressLineShowsFigures(lineCase: ProgressLineCase, expected: String) {
        #expect(lineCase.render() == expected)
    }
}

/// The inputs of one progress line.
struct ProgressLineCase: Sendable {
    var completed: Int
    var total: Int?
    var seconds: Int
    var width: Int = 80

    func render() -> String {
        let captured = Console.capturing(width: width + 1, isTerminal: true)
        let clock = ManualClock()
        let progress = ProgressReporter(
            label: "Importing students", total: total, console: captured.console, clock: clock.reading)
        clock.advance(by: .seconds(seconds))
        progress.update(completed: completed)
        return String(captured.error.text.dropFirst().dropLast(3))
    }
}

// MARK: - JSON

@Suite("JSON output")
struct TerminalDataOutputTests {
    private struct Summary: Encodable {
        var skipped: Int
        var imported: Int
        var source: String
    }

    @Test func jsonKeysAreSorted() throws {
        let text = try JSONOutput.encode(Summary(skipped: 3, imported: 1204, source: "exports/users.csv"))

        #expect(
            text == """
                {
                  "imported" : 1204,
                  "skipped" : 3,
                  "source" : "exports/users.csv"
                }

                """)
    }

    @Test func serializedDictionaryIsStable() throws {
        let object: [String: Any] = ["year": 7, "upn": "B801200005001", "emails": ["a@x.sch.uk"]]

        let first = try JSONOutput.serialize(object)
        let second = try JSONOutput.serialize(object)

        #expect(first == second)
        #expect(first.hasPrefix("{\n  \"emails\" : [\n    \"a@x.sch.uk\"\n  ],\n  \"upn\""))
    }

    @Test func unserializableObjectIsRejected() {
        #expect(throws: JSONOutputError.notSerializable(typeName: "Date")) {
            try JSONOutput.serialize(Date())
        }
        #expect(
            JSONOutputError.notSerializable(typeName: "Date").message
                == "Cannot write a value of type 'Date' as JSON. Convert it to dictionaries, arrays, strings, numbers and booleans first."
        )
    }
}
