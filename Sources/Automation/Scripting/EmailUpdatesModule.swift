import Domain
import Foundation
import LuaRuntime

/// `users.update_emails`: filling in missing emails from a CSV keyed by UPN or staff code.
enum EmailUpdatesModule {
    static let functions: [APIFunction] = [
        APIFunction(
            module: "users", name: "update_emails",
            parameters: [
                APIParameter(name: "path", type: "string", summary: "A CSV in the workspace with a UPN or staff code column and an email column."),
                APIParameter(name: "options", type: "{dry_run: boolean?, skip_invalid: boolean?}?", summary: "As the command's flags."),
            ],
            returns: [APIReturn(type: "table", summary: "Counts of updated and unchanged people, the problems, and who still has no email, by role.")],
            summary: "Fills in or corrects email addresses from a CSV. All or nothing unless `skip_invalid`.",
            errors: "Raises an error listing every invalid row (unknown key, invalid address, conflict) when the file is rejected.",
            example: "local result = users.update_emails(\"emails.csv\")\nprint(result.updated .. \" emails updated\")",
            make: { session in { call in
                let path = try session.workspace.resolve(try call.string(at: 1))
                let table = call.type(at: 2) == .table ? try call.value(at: 2) : .nil
                var options = EmailUpdateOptions()
                options.dryRun = table["dry_run"]?.booleanValue ?? false
                options.skipInvalid = table["skip_invalid"]?.booleanValue ?? false
                let summary = try session.directory.updateEmails(fromCSV: path, options: options)
                try call.push(try LuaConversion.value(of: summary))
                return 1
            } }),
    ]
}
