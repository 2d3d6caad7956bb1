import Domain
import Foundation

/// `lanyard demo generate`: a realistic made-up school to try Lanyard on.
enum DemoCommands {
    static let group = CommandSpec.group(
        "demo", abstract: "Makes demonstration data.",
        subcommands: [DemoGenerateCommand.spec])
}

enum DemoGenerateCommand: Command {
    static let out = Option<String>("out", short: "o", valueName: "FOLDER", default: "demo", help: "The folder to write the files into.")
    static let students = Option<Int?>("students", range: 3...200_000, help: "Students on roll (default 1,200).")
    static let seed = Option<Int?>("seed", range: 0...Int.max, help: "The seed of the generator; the same seed gives the same files (default 1).")

    static let configuration = CommandConfiguration(
        name: "generate", abstract: "Writes a made-up school as a OneRoster bundle and an MIS contacts report.",
        discussion: """
            Writes FOLDER/oneroster (a OneRoster 1.1 bundle: students in years 7 to 13 with valid \
            UPNs, some temporary; staff; parents linked to students, siblings sharing parents) and \
            FOLDER/mis-contacts.csv (the same families as an MIS report). Names carry apostrophes, \
            hyphens and diacritics. Every email address is at a reserved domain that never \
            receives mail.
            """,
        examples: [
            Example("Make the demo school and import it.", "lanyard demo generate --out demo"),
            Example("A small school for a quick try.", "lanyard demo generate --out small --students 60 --seed 7"),
        ],
        arguments: [out, students, seed])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        var school = DemoSchool(seed: UInt64(invocation[seed] ?? 1))
        if let count = invocation[students] {
            school.studentCount = count
        }
        let folder = invocation[out]
        let summary: DemoSchoolSummary
        do {
            summary = try school.write(to: folder)
        } catch {
            throw CommandError.message(error.description, .cannotCreateOutput)
        }

        if invocation.globals.json {
            struct Output: Encodable {
                var school: String
                var dfeNumber: String
                var students: Int
                var staff: Int
                var parents: Int
                var familiesWithSiblings: Int
                var studentsWithoutEmail: Int
                var temporaryUPNs: Int
                var oneRosterFolder: String
                var contactsFile: String
            }
            invocation.console.write(
                try JSONOutput.encode(
                    Output(
                        school: summary.schoolName, dfeNumber: summary.dfeNumber, students: summary.studentCount, staff: summary.staffCount,
                        parents: summary.parentCount, familiesWithSiblings: summary.familiesWithSiblings,
                        studentsWithoutEmail: summary.studentsWithoutEmail, temporaryUPNs: summary.temporaryUPNCount,
                        oneRosterFolder: summary.oneRosterFolder, contactsFile: summary.misContactsFile)))
            return .success
        }
        invocation.console.write(
            """
            Wrote \(summary.schoolName) (\(summary.dfeNumber)): \(summary.studentCount) students, \(summary.staffCount) staff, \
            \(summary.parentCount) parents; \(summary.familiesWithSiblings) families with siblings, \
            \(summary.studentsWithoutEmail) students without email, \(summary.temporaryUPNCount) temporary UPNs.
              OneRoster bundle: \(summary.oneRosterFolder)
              MIS contacts:     \(summary.misContactsFile)
            Next: lanyard import oneroster \(summary.oneRosterFolder)

            """)
        return .success
    }
}
