import Domain
import Foundation
import LuaRuntime

/// `details.*`: login details files, PIN tables and the parent-code export for the MIS.
enum DetailsModule {
    static let functions: [APIFunction] = [
        APIFunction(
            module: "details", name: "generate",
            parameters: [
                APIParameter(
                    name: "options", type: "{where: string|table, for: \"students\"|\"parents\"|\"both\"?, never_logged_in: boolean?, keep_codes: boolean?, folder: string?, formats: string[]?, sheet_per_reg: boolean?, bom: boolean?, dry_run: boolean?}",
                    summary: "The scope and files; `folder` is in the workspace (default \"details\"), `formats` any of csv, xlsx and pdf."),
            ],
            returns: [APIReturn(type: "table", summary: "The files written, the students, and the codes' expiry.")],
            summary: "Writes login details (mail merge CSV or XLSX, PDF slips) for a scope. By default it regenerates the codes in scope first, in the script's transaction; `keep_codes` reuses live codes.",
            errors: "Raises an error for an invalid scope or format, or when a file cannot be written (then no file is left and no code changes).",
            example: "local result = details.generate{where = \"year:7\", formats = {\"csv\", \"xlsx\", \"pdf\"}}\nprint(result.students .. \" students\")",
            make: { session in { call in
                let table = try call.value(at: 1)
                guard table.fields != nil else { throw call.typeError(at: 1, expected: "table") }
                let selection = try scope(table, call: call, session: session)
                var options = DetailsOptions(
                    selection: selection, folder: try session.workspace.resolve(table["folder"]?.stringValue ?? "details"),
                    settings: session.settings, origin: session.origin)
                if let audience = table["for"]?.stringValue {
                    guard let chosen = DetailsAudience(rawValue: audience) else { throw call.argumentError(at: 1, "unknown for = '\(audience)'; use students, parents or both") }
                    options.audience = chosen
                }
                if let formats = table["formats"]?.arrayValue {
                    options.formats = try formats.map { element in
                        guard let name = element.stringValue, let format = DetailsFormat(rawValue: name) else {
                            throw call.argumentError(at: 1, "unknown format in formats; use csv, xlsx or pdf")
                        }
                        return format
                    }
                }
                options.neverLoggedInOnly = table["never_logged_in"]?.booleanValue ?? false
                options.keepsCodes = table["keep_codes"]?.booleanValue ?? false
                options.sheetPerRegistrationGroup = table["sheet_per_reg"]?.booleanValue ?? false
                options.writesByteOrderMark = table["bom"]?.booleanValue ?? true
                options.isDryRun = table["dry_run"]?.booleanValue ?? false
                let result = try session.directory.generateDetails(options)
                try call.push(try LuaConversion.value(of: result))
                return 1
            } }),
        APIFunction(
            module: "details", name: "pins",
            parameters: [APIParameter(name: "selection", type: "Selection|string|table", summary: "The students.")],
            returns: [APIReturn(type: "{groups: {registration_group: string, rows: table[]}[]}", summary: "PINs by registration group.")],
            summary: "Reads the students' live PINs, grouped by registration group. Audited.",
            errors: nil,
            example: "for _, group in ipairs(details.pins(\"year:7\").groups) do print(group.registration_group, #group.rows) end",
            make: { session in { call in
                let selection = try UsersModule.selection(from: call, at: 1, session: session)
                let table = try session.directory.pinTable(for: selection, origin: session.origin, settings: session.settings)
                try call.push(try LuaConversion.value(of: table))
                return 1
            } }),
        APIFunction(
            module: "details", name: "export_parent_codes",
            parameters: [
                APIParameter(
                    name: "options", type: "{where: string|table, path: string, layout: string?}",
                    summary: "The students, the CSV to write in the workspace, and the layout: generic, sims (a SIMS aspect import), or a plugin's export layout."),
            ],
            returns: [APIReturn(type: "{path: string, rows: integer, students_without_code: string[]}", summary: "What was written.")],
            summary: "Writes parent codes keyed by UPN for the MIS to import. Audited.",
            errors: "Raises an error when the file cannot be written.",
            example: "details.export_parent_codes{where = \"year:7\", path = \"sims-parent-codes.csv\", layout = \"sims\"}",
            make: { session in { call in
                let table = try call.value(at: 1)
                guard let path = table["path"]?.stringValue else { throw call.argumentError(at: 1, "give path = \"file.csv\"") }
                var options = ParentCodeExportOptions(
                    selection: try scope(table, call: call, session: session), path: try session.workspace.resolve(path), origin: session.origin)
                var customLayout: CustomParentCodeLayout?
                if let layout = table["layout"]?.stringValue {
                    if let chosen = ParentCodeLayout(rawValue: layout) {
                        options.layout = chosen
                    } else if let plugins = session.plugins {
                        customLayout = try plugins.exportLayout(named: layout)
                    } else {
                        throw call.argumentError(at: 1, "unknown layout '\(layout)'; use generic or sims, or a plugin's export layout")
                    }
                }
                let result = try session.directory.exportParentCodes(options, customLayout: customLayout)
                session.writtenFiles.append(result.path)
                try call.push(try LuaConversion.value(of: result))
                return 1
            } }),
    ]

    /// The `where` of an options table, as a selection.
    private static func scope(_ table: LuaValue, call: LuaCall, session: ScriptSession) throws -> Selection {
        switch table["where"] {
        case .string(let query)?:
            do {
                return try Selection(parsing: query, baseDirectory: session.workspace.root)
            } catch {
                throw call.argumentError(at: 1, error.description)
            }
        case .table?:
            throw call.argumentError(at: 1, "give where as a selection string, such as where = \"year:7\"")
        default:
            throw call.argumentError(at: 1, "give where = \"...\" (use \"all\" for everyone on roll)")
        }
    }
}
