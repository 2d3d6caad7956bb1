import Domain
import LuaRuntime

/// The manifest a plugin's `plugin.lua` returns: its name and version, what it needs, and
/// what it provides.
///
/// ```lua
/// return {
///   name = "run-digest", version = "1.0.0", summary = "...",
///   lanyard = "^1.0",                      -- the plugin API versions it works with
///   depends = { ["mis-layouts"] = "^1.0" },
///   capabilities = { "files.read", "files.write" },
///   hooks = { after_run = function(report) ... end },
///   commands = { show = { summary = "...", run = function(args) ... end } },
/// }
/// ```
///
/// Functions are recorded by name only: they stay in the plugin's Lua state.
public struct PluginManifest: Sendable, Equatable {
    public struct Command: Sendable, Equatable {
        public var name: String
        public var summary: String
        public var example: String?
        /// `--name VALUE` options, with their help.
        public var options: [String: String]
        /// `--name` flags, with their help.
        public var flags: [String: String]
        /// Positional arguments, in order: their names (as `args` keys) and help. All are required.
        public var arguments: [(name: String, help: String)]

        public static func == (first: Command, second: Command) -> Bool {
            first.name == second.name && first.summary == second.summary && first.example == second.example
                && first.options == second.options && first.flags == second.flags
                && first.arguments.map(\.name) == second.arguments.map(\.name) && first.arguments.map(\.help) == second.arguments.map(\.help)
        }
    }

    public struct ImportLayout: Sendable, Equatable {
        public var name: String
        /// students, staff or contacts.
        public var kind: String
        /// `COLUMN=field` mappings, as `--map` takes them.
        public var mappings: [String]
        public var hasTransform: Bool

        /// Returns `overrides` (an admin's `--map`), then the layout's mappings of the columns
        /// they leave alone, so that the admin wins for the same column.
        public func mappings(overriddenBy overrides: [String]) -> [String] {
            func column(_ mapping: String) -> Substring { mapping.split(separator: "=", maxSplits: 1).first ?? "" }
            let overridden = Set(overrides.map(column))
            return overrides + mappings.filter { !overridden.contains(column($0)) }
        }
    }

    public struct ExportLayout: Sendable, Equatable {
        public var name: String
        public var columns: [String]
    }

    public var name: String
    public var version: SemanticVersion
    public var summary: String
    public var apiRange: VersionRange
    public var dependencies: [String: VersionRange]
    public var capabilities: [PluginCapability]
    public var functions: [String]
    public var commands: [Command]
    /// Hook names, among ``PluginManifest/hookNames``.
    public var hooks: [String]
    public var importLayouts: [ImportLayout]
    public var exportLayouts: [ExportLayout]

    /// The hooks a plugin may have, in the order the documentation gives.
    public static let hookNames = ["before_send", "after_import", "after_run"]

    static let knownFields: Set<String> = [
        "name", "version", "summary", "lanyard", "depends", "capabilities", "functions", "commands", "hooks", "import_layouts", "export_layouts",
    ]

    // MARK: - Reading

    /// Checks the table `plugin.lua` returned.
    ///
    /// - Throws: ``PluginError/invalidManifest(file:reason:)`` naming the field and what to write.
    init(_ value: LuaValue, file: String) throws {
        func invalid(_ reason: String) -> PluginError { .invalidManifest(file: file, reason: reason) }
        guard let table = value.fields else {
            throw invalid("plugin.lua must return a table, but returned \(value.typeName)")
        }
        for key in table.keys.sorted() where !Self.knownFields.contains(key) {
            let hint = Suggestion.closest(to: key, in: Array(Self.knownFields)).map { " (did you mean '\($0)'?)" } ?? ""
            throw invalid("unknown field '\(key)'\(hint); the fields are \(Self.knownFields.sorted().joined(separator: ", "))")
        }

        guard let name = table["name"]?.stringValue, Self.isValidName(name) else {
            throw invalid("field 'name' must be a name of 2 to 40 lowercase letters, digits and hyphens, such as 'run-digest'")
        }
        guard let versionText = table["version"]?.stringValue, let version = SemanticVersion(versionText) else {
            throw invalid("field 'version' must be a semantic version such as '1.0.0', not \(Self.describe(table["version"]))")
        }
        guard let summary = table["summary"]?.stringValue, !summary.isEmpty, summary.count <= 200 else {
            throw invalid("field 'summary' must be one line of text saying what the plugin does (at most 200 characters)")
        }
        guard let rangeText = table["lanyard"]?.stringValue, let apiRange = VersionRange(rangeText) else {
            throw invalid("field 'lanyard' must be the plugin API versions the plugin works with, such as '^\(PluginAPI.version.major).0', not \(Self.describe(table["lanyard"]))")
        }
        self.name = name
        self.version = version
        self.summary = summary
        self.apiRange = apiRange

        var dependencies: [String: VersionRange] = [:]
        for (dependency, range) in try Self.stringTable(table["depends"], field: "depends", file: file) {
            guard Self.isValidName(dependency), let parsed = VersionRange(range) else {
                throw invalid("field 'depends' must map plugin names to version ranges, such as { [\"mis-layouts\"] = \"^1.0\" }; '\(dependency)' = '\(range)' is not one")
            }
            guard dependency != name else { throw invalid("the plugin depends on itself") }
            dependencies[dependency] = parsed
        }
        self.dependencies = dependencies

        var capabilities: [PluginCapability] = []
        for entry in try Self.stringList(table["capabilities"], field: "capabilities", file: file) {
            guard let capability = PluginCapability(rawValue: entry) else {
                let hint = Suggestion.closest(to: entry, in: PluginCapability.allCases.map(\.rawValue)).map { " (did you mean '\($0)'?)" } ?? ""
                throw invalid("unknown capability '\(entry)'\(hint); the capabilities are \(PluginCapability.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !capabilities.contains(capability) { capabilities.append(capability) }
        }
        self.capabilities = capabilities.sorted()

        self.functions = try Self.functionNames(table["functions"], field: "functions", file: file)
        self.hooks = try Self.functionNames(table["hooks"], field: "hooks", file: file)
        for hook in hooks where !Self.hookNames.contains(hook) {
            throw invalid("unknown hook '\(hook)'; the hooks are \(Self.hookNames.joined(separator: ", "))")
        }
        self.commands = try Self.commands(table["commands"], file: file)
        self.importLayouts = try Self.importLayouts(table["import_layouts"], file: file)
        self.exportLayouts = try Self.exportLayouts(table["export_layouts"], file: file)
        if !exportLayouts.isEmpty && !capabilities.contains(.codesRead) {
            throw invalid("export layouts receive each student's parent code, so a plugin with export_layouts must declare the capability codes.read")
        }
    }

    static func isValidName(_ name: String) -> Bool {
        (2...40).contains(name.count) && name.first!.isLetter && !name.hasSuffix("-")
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    // MARK: - Parts

    private static func commands(_ value: LuaValue?, file: String) throws -> [Command] {
        var commands: [Command] = []
        for (name, entry) in try entries(value, field: "commands", file: file) {
            let field = "commands.\(name)"
            guard let fields = entry.fields, isValidName(name) || name.count == 1 else {
                throw PluginError.invalidManifest(file: file, reason: "field '\(field)' must be a table with summary and run, named in lowercase letters, digits and hyphens")
            }
            guard fields["run"] == .opaque(typeName: "function") else {
                throw PluginError.invalidManifest(file: file, reason: "field '\(field).run' must be the function the command runs")
            }
            guard let summary = fields["summary"]?.stringValue, !summary.isEmpty else {
                throw PluginError.invalidManifest(file: file, reason: "field '\(field).summary' must say in one line what the command does")
            }
            var arguments: [(name: String, help: String)] = []
            if let list = fields["arguments"], list != .nil {
                guard let items = list.arrayValue else {
                    throw PluginError.invalidManifest(file: file, reason: "field '\(field).arguments' must be a list such as { { name = \"to\", help = \"The address.\" } }")
                }
                for item in items {
                    guard let argument = item["name"]?.stringValue, isValidName(argument) || argument.count == 1, let help = item["help"]?.stringValue else {
                        throw PluginError.invalidManifest(
                            file: file, reason: "each entry of '\(field).arguments' needs a name (lowercase letters, digits, hyphens) and help")
                    }
                    arguments.append((argument, help))
                }
            }
            commands.append(
                Command(
                    name: name, summary: summary, example: fields["example"]?.stringValue,
                    options: try stringTable(fields["options"], field: "\(field).options", file: file),
                    flags: try stringTable(fields["flags"], field: "\(field).flags", file: file), arguments: arguments))
        }
        return commands
    }

    private static func importLayouts(_ value: LuaValue?, file: String) throws -> [ImportLayout] {
        var layouts: [ImportLayout] = []
        for (name, entry) in try entries(value, field: "import_layouts", file: file) {
            let field = "import_layouts.\(name)"
            guard let fields = entry.fields, let kind = fields["kind"]?.stringValue, ["students", "staff", "contacts"].contains(kind) else {
                throw PluginError.invalidManifest(file: file, reason: "field '\(field).kind' must be students, staff or contacts")
            }
            let columns = try stringTable(fields["columns"], field: "\(field).columns", file: file)
            let hasTransform = fields["transform"] == .opaque(typeName: "function")
            guard hasTransform || fields["transform"] == nil else {
                throw PluginError.invalidManifest(file: file, reason: "field '\(field).transform' must be a function")
            }
            guard hasTransform || !columns.isEmpty else {
                throw PluginError.invalidManifest(file: file, reason: "layout '\(name)' has neither columns nor a transform")
            }
            let mappings = columns.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            layouts.append(ImportLayout(name: name, kind: kind, mappings: mappings, hasTransform: hasTransform))
        }
        return layouts
    }

    private static func exportLayouts(_ value: LuaValue?, file: String) throws -> [ExportLayout] {
        var layouts: [ExportLayout] = []
        for (name, entry) in try entries(value, field: "export_layouts", file: file) {
            let field = "export_layouts.\(name)"
            guard let fields = entry.fields, fields["row"] == .opaque(typeName: "function") else {
                throw PluginError.invalidManifest(file: file, reason: "field '\(field)' must be a table with columns and a row function")
            }
            let columns = try stringList(fields["columns"], field: "\(field).columns", file: file)
            guard !columns.isEmpty else {
                throw PluginError.invalidManifest(file: file, reason: "field '\(field).columns' must list the header row")
            }
            layouts.append(ExportLayout(name: name, columns: columns))
        }
        return layouts
    }

    // MARK: - Value helpers

    /// Returns the entries of a table keyed by name, sorted, or none for an absent field.
    private static func entries(_ value: LuaValue?, field: String, file: String) throws -> [(String, LuaValue)] {
        guard let value, value != .nil else { return [] }
        guard let fields = value.fields else {
            throw PluginError.invalidManifest(file: file, reason: "field '\(field)' must be a table keyed by name, not \(value.typeName)")
        }
        return fields.sorted { $0.key < $1.key }
    }

    private static func functionNames(_ value: LuaValue?, field: String, file: String) throws -> [String] {
        try entries(value, field: field, file: file).map { name, entry in
            guard entry == .opaque(typeName: "function") else {
                throw PluginError.invalidManifest(file: file, reason: "field '\(field).\(name)' must be a function, not \(entry.typeName)")
            }
            return name
        }
    }

    private static func stringTable(_ value: LuaValue?, field: String, file: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for (key, entry) in try entries(value, field: field, file: file) {
            guard let text = entry.stringValue else {
                throw PluginError.invalidManifest(file: file, reason: "field '\(field).\(key)' must be a string, not \(entry.typeName)")
            }
            result[key] = text
        }
        return result
    }

    private static func stringList(_ value: LuaValue?, field: String, file: String) throws -> [String] {
        guard let value, value != .nil else { return [] }
        if case .table(let table) = value, table.isEmpty { return [] }
        guard let items = value.arrayValue else {
            throw PluginError.invalidManifest(file: file, reason: "field '\(field)' must be a list of strings, such as { \"a\", \"b\" }")
        }
        return try items.map { item in
            guard let text = item.stringValue else {
                throw PluginError.invalidManifest(file: file, reason: "field '\(field)' must hold only strings, not \(item.typeName)")
            }
            return text
        }
    }

    private static func describe(_ value: LuaValue?) -> String {
        guard let value, value != .nil else { return "nothing" }
        if let text = value.stringValue { return "'\(text)'" }
        return value.typeName
    }
}

/// The version of the interface plugins are written against: the scripting API, the manifest
/// and the hooks. A change that breaks plugins raises the major number.
public enum PluginAPI {
    public static let version = SemanticVersion(1, 0, 0)
}
