import Domain
import LuaRuntime

/// `import.*`: the MIS imports, run inside the script's transaction.
enum ImportModule {
    static let functions: [APIFunction] = [
        APIFunction(
            module: "import", name: "oneroster",
            parameters: [
                APIParameter(name: "path", type: "string", summary: "The bundle's folder or .zip, inside the workspace."),
                APIParameter(name: "options", type: "{skip_invalid: boolean?, delta: boolean?}?", summary: "As the command's flags."),
            ],
            returns: [APIReturn(type: "ImportSummary", summary: "Counts: new, updated, unchanged, left, invalid, links, and the problems.")],
            summary: "Imports a OneRoster CSV bundle.",
            errors: "Raises an error listing every invalid row when the bundle is rejected (nothing of it is written).",
            example: "local summary = import.oneroster(args.bundle or \"export\")\nprint(summary.new .. \" new people\")",
            make: { session in { call in
                let path = try session.workspace.resolve(try call.string(at: 1))
                let options = try importOptions(call, at: 2)
                let summary = try session.directory.importOneRoster(path: path, options: options, settings: session.settings)
                try call.push(luaValue(of: summary))
                return 1
            } }),
        APIFunction(
            module: "import", name: "csv",
            parameters: [
                APIParameter(name: "path", type: "string", summary: "The MIS report, inside the workspace."),
                APIParameter(
                    name: "options", type: "{kind: \"students\"|\"staff\"|\"contacts\"?, layout: string?, map: table<string,string>?, full: boolean?, skip_invalid: boolean?, encoding: string?, delimiter: string?}",
                    summary: "What the report lists (or a plugin's import `layout`, which gives it), and the command's other options; `map` maps column names to fields."),
            ],
            returns: [APIReturn(type: "ImportSummary", summary: "Counts: new, updated, unchanged, left, invalid, links, and the problems.")],
            summary: "Imports an MIS CSV report of students, staff or contacts.",
            errors: "Raises an error listing every invalid row when the report is rejected (nothing of it is written).",
            example: "import.csv(\"contacts.csv\", {kind = \"contacts\", map = {[\"Main Email\"] = \"email\"}})",
            make: { session in { call in
                let path = try session.workspace.resolve(try call.string(at: 1))
                let table = try call.value(at: 2)
                var layout: (layout: PluginManifest.ImportLayout, transform: MISRowTransform?)?
                if let name = table["layout"]?.stringValue {
                    guard let plugins = session.plugins else { throw PluginError.unknownLayout(name: name, kind: "import", known: []) }
                    layout = try plugins.importLayout(named: name)
                }
                guard let kindName = table["kind"]?.stringValue ?? layout?.layout.kind, let kind = MISReportKind(rawValue: kindName) else {
                    throw call.argumentError(at: 2, "give kind = \"students\", \"staff\" or \"contacts\", or a layout")
                }
                var report = MISImportOptions(kind: kind)
                if let map = table["map"]?.fields {
                    report.mappings = map.compactMap { column, field in field.stringValue.map { "\(column)=\($0)" } }.sorted()
                }
                if let layout { report.mappings = layout.layout.mappings(overriddenBy: report.mappings) }
                if let encoding = table["encoding"]?.stringValue {
                    guard let value = CSVEncoding(name: encoding) else { throw call.argumentError(at: 2, "unknown encoding '\(encoding)'") }
                    report.encoding = value
                }
                if let delimiter = table["delimiter"]?.stringValue {
                    guard let value = CSVDelimiter(name: delimiter) else { throw call.argumentError(at: 2, "unknown delimiter '\(delimiter)'") }
                    report.delimiter = value
                }
                var options = try importOptions(call, at: 2)
                options.isFull = table["full"]?.booleanValue ?? false
                let summary = try session.directory.importMISReport(
                    path: path, report: report, options: options, settings: session.settings, rowTransform: layout?.transform)
                try call.push(luaValue(of: summary))
                return 1
            } }),
        APIFunction(
            module: "import", name: "ctf",
            parameters: [APIParameter(name: "path", type: "string", summary: "The Common Transfer File, inside the workspace.")],
            returns: [APIReturn(type: "ImportSummary", summary: "Counts and problems; wrong check letters are warnings.")],
            summary: "Imports the pupils and contacts of a Common Transfer File.",
            errors: "Raises an error when the file is not a well-formed CTF.",
            example: "import.ctf(\"incoming/y7.xml\")",
            make: { session in { call in
                let path = try session.workspace.resolve(try call.string(at: 1))
                let summary = try session.directory.importCTF(path: path, options: ImportOptions(), settings: session.settings)
                try call.push(luaValue(of: summary))
                return 1
            } }),
    ]

    private static func importOptions(_ call: LuaCall, at index: Int) throws -> ImportOptions {
        guard call.type(at: index) == .table else { return ImportOptions() }
        let table = try call.value(at: index)
        return ImportOptions(
            skipInvalid: table["skip_invalid"]?.booleanValue ?? false, isDelta: table["delta"]?.booleanValue ?? false)
    }

    static func luaValue(of summary: ImportSummary) -> LuaValue {
        let problems = summary.problems.map { problem -> LuaValue in
            .table([
                .string("severity"): .string(problem.severity.rawValue), .string("file"): .string(problem.location.file),
                .string("line"): problem.location.line.map { .integer($0) } ?? .nil,
                .string("message"): .string(problem.message), .string("text"): .string(problem.description),
            ])
        }
        return .table([
            .string("source"): .string(summary.source), .string("new"): .integer(summary.new), .string("updated"): .integer(summary.updated),
            .string("unchanged"): .integer(summary.unchanged), .string("left"): .integer(summary.left),
            .string("invalid"): .integer(summary.invalid), .string("links"): .integer(summary.links),
            .string("problems"): .array(problems),
        ])
    }
}
