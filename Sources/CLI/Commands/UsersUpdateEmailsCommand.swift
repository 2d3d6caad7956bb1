import Domain
import Foundation

/// `lanyard users update-emails FILE`: fills in email addresses from a CSV file.
enum UsersUpdateEmailsCommand: Command {
    static let file = Argument<String>("FILE", help: "A CSV file with a UPN or staff code column and an email column.")
    static let dryRun = Flag("dry-run", short: "n", help: "Checks every row and prints the counts, writing nothing.")
    static let skipInvalid = Flag("skip-invalid", help: "Applies the valid rows and reports the invalid ones, instead of rejecting the whole file.")

    static let configuration = CommandConfiguration(
        name: "update-emails", abstract: "Sets students' and staff's email addresses from a CSV file.",
        discussion: """
            Columns are found by the names MIS reports use: UPN or Staff Code for the key, Email or \
            Primary Email for the address. Invalid addresses, unknown keys, a key given two \
            addresses and an address given to two people are reported with the file and line, and \
            nothing is written unless --skip-invalid. Afterwards it says how many students and staff \
            on roll still have no address.
            """,
        examples: [
            Example("Check a file of school addresses first.", "lanyard users update-emails student-emails.csv --dry-run"),
            Example("Apply it.", "lanyard users update-emails student-emails.csv"),
        ],
        arguments: [file, dryRun, skipInvalid])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let options = EmailUpdateOptions(dryRun: invocation[dryRun], skipInvalid: invocation[skipInvalid])
        let summary = try context.directory.updateEmails(fromCSV: invocation[file], options: options)
        let status: ExitCode = summary.invalid > 0 ? .partial : .success
        if context.wantsJSON {
            invocation.console.write(try JSONOutput.encode(summary))
            return status
        }
        invocation.console.reportProblems(summary.problems, severity: .warning)
        invocation.console.reportProblems(summary.problems, severity: .error)

        let verb = summary.dryRun ? "Dry run: would update" : "Updated"
        invocation.console.write(
            "\(verb) \(summary.updated) email address\(summary.updated == 1 ? "" : "es") from \(summary.source) (\(summary.unchanged) unchanged, \(summary.invalid) invalid rows skipped).\n")
        let missing = ["student", "teacher", "staff"].map { role in
            let count = summary.stillMissing[role] ?? 0
            return "\(count) \(role == "staff" ? "staff" : role + (count == 1 ? "" : "s"))"
        }
        invocation.console.write("Still without email: \(missing.joined(separator: ", ")).\n")
        if summary.dryRun { invocation.console.note("Nothing was written (dry run).") }
        return status
    }
}
