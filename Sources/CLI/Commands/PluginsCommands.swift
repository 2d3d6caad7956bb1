import Automation
import Domain
import Foundation

/// `lanyard plugins list|info|enable|disable`: reviewing and switching plugins.
enum PluginsCommands {
    static let group = CommandSpec.group(
        "plugins", abstract: "Lists, reviews, enables and disables plugins.",
        discussion: """
            A plugin is a folder with a plugin.lua, in the shipped plugins/ folder or in the school's \
            (the plugins.folder setting). A plugin does nothing until it is enabled, and it may do \
            only what its manifest declares: review that with 'lanyard plugins info NAME' first. \
            Writing plugins: docs/plugins.md.
            """,
        examples: [
            Example("See what a plugin may do before enabling it.", "lanyard plugins info safe-recipients"),
            Example("Enable it.", "lanyard plugins enable safe-recipients"),
        ],
        subcommands: [PluginsListCommand.spec, PluginsInfoCommand.spec, PluginsEnableCommand.spec, PluginsDisableCommand.spec])

    /// The directory and the plugin folders, without loading any plugin.
    struct Context {
        let directory: Directory
        let catalogue: PluginCatalogue

        init(_ invocation: Invocation) throws {
            let configuration = try LanyardConfiguration.load(environment: invocation.environment)
            directory = try CommandContext.openDirectory(invocation.databasePath, reportedAs: invocation.databasePath)
            catalogue = PluginLocator.catalogue(configuration: configuration, environment: invocation.environment)
        }

        func manifest(_ name: String) throws -> PluginManifest {
            guard let entry = catalogue.entries[name] else {
                let hint = Suggestion.closest(to: name, among: Array(catalogue.entries.keys)).map { " Did you mean '\($0)'?" } ?? ""
                throw CommandError.message(
                    "no plugin called '\(name)' in \(catalogue.folders.joined(separator: " or ")).\(hint) See 'lanyard plugins list'", .usage)
            }
            return try entry.manifest.get()
        }
    }

    /// One plugin as `list` and `info` show it.
    struct Status: Encodable {
        var name: String
        var version: String?
        var summary: String?
        var folder: String
        /// enabled, disabled or broken.
        var state: String
        var error: String?
        var grant: PluginGrant?
    }

    static func statuses(_ context: Context) throws -> [Status] {
        let grants = try context.directory.pluginGrants()
        let resolution = context.catalogue.resolve(grants: grants)
        var names = Set(context.catalogue.entries.keys).union(grants.keys)
        names.formUnion(resolution.failures.keys)
        return names.sorted().map { name in
            let entry = context.catalogue.entries[name]
            let manifest = try? entry?.manifest.get()
            var status = Status(
                name: name, version: manifest?.version.description, summary: manifest?.summary, folder: entry?.folder ?? "",
                state: grants[name] == nil ? "disabled" : "enabled", grant: grants[name])
            if let failure = resolution.failures[name] {
                status.state = "broken"
                status.error = failure.description
            } else if case .failure(let error)? = entry?.manifest {
                status.error = error.description
            }
            return status
        }
    }
}

// MARK: - list

enum PluginsListCommand: Command {
    static let configuration = CommandConfiguration(
        name: "list", abstract: "Lists the plugins found, with their state: enabled, disabled or broken.",
        examples: [Example("List the plugins as JSON.", "lanyard plugins list --json")])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let statuses = try PluginsCommands.statuses(PluginsCommands.Context(invocation))
        if invocation.globals.json {
            invocation.console.write(try JSONOutput.encode(statuses))
            return .success
        }
        guard !statuses.isEmpty else {
            invocation.console.write("No plugins found.\n")
            return .success
        }
        var table = TextTable(columns: [.init("plugin"), .init("version"), .init("state"), .init("summary")])
        for status in statuses {
            table.append([status.name, status.version ?? "-", status.state, status.summary ?? "-"])
        }
        invocation.console.write(table.render(maxWidth: invocation.console.tableWidth, styler: invocation.console.outputStyler))
        for status in statuses where status.error != nil {
            invocation.console.warning("\(status.name): \(status.error!)")
        }
        return statuses.contains { $0.state == "broken" } ? .failure : .success
    }
}

// MARK: - info

enum PluginsInfoCommand: Command {
    static let name = Argument<String>("NAME", help: "The plugin's name, as 'lanyard plugins list' shows it.")

    static let configuration = CommandConfiguration(
        name: "info", abstract: "Shows what a plugin may do and what it provides, to review before enabling it.",
        examples: [Example("Review the safety rule for outgoing mail.", "lanyard plugins info safe-recipients")],
        arguments: [name])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try PluginsCommands.Context(invocation)
        let manifest = try context.manifest(invocation[name])
        let status = try PluginsCommands.statuses(context).first { $0.name == manifest.name }!
        let templates = PluginsInfoCommand.templates(in: status.folder)

        if invocation.globals.json {
            struct Info: Encodable {
                var status: PluginsCommands.Status
                var lanyard: String
                var depends: [String: String]
                var capabilities: [String]
                var functions: [String]
                var commands: [String]
                var hooks: [String]
                var importLayouts: [String]
                var exportLayouts: [String]
                var templates: [String]
            }
            let info = Info(
                status: status, lanyard: manifest.apiRange.description, depends: manifest.dependencies.mapValues(\.description),
                capabilities: manifest.capabilities.map(\.rawValue), functions: manifest.functions, commands: manifest.commands.map(\.name),
                hooks: manifest.hooks, importLayouts: manifest.importLayouts.map(\.name), exportLayouts: manifest.exportLayouts.map(\.name),
                templates: templates)
            invocation.console.write(try JSONOutput.encode(info))
            return .success
        }

        var lines = ["\(manifest.name) \(manifest.version): \(manifest.summary)", "Folder: \(status.folder)"]
        lines.append("State: \(status.state)" + (status.grant.map { ", enabled by \($0.enabledBy) at \($0.enabledAt) (version \($0.version))" } ?? ""))
        if let error = status.error { lines.append("Error: \(error)") }
        lines.append("Plugin API: \(manifest.apiRange) (this Lanyard offers \(PluginAPI.version))")
        if !manifest.dependencies.isEmpty {
            lines.append("Needs plugins: " + manifest.dependencies.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines.append("")
        lines.append(manifest.capabilities.isEmpty ? "It may: nothing beyond its own computation and logging." : "It may:")
        for capability in manifest.capabilities {
            lines.append("  \(capability.rawValue): \(capability.summary)")
        }
        let reach = manifest.dependencies.keys.sorted().compactMap { dependency -> String? in
            guard let other = try? context.catalogue.entries[dependency]?.manifest.get(), !other.capabilities.isEmpty else { return nil }
            return "\(dependency) (\(other.capabilities.map(\.rawValue).joined(separator: ", ")))"
        }
        if !reach.isEmpty {
            lines.append("  and, through the functions of the plugins it needs, what they may do: \(reach.joined(separator: "; "))")
        }
        lines.append("")
        lines.append("It provides:")
        var provided: [String] = []
        if !manifest.functions.isEmpty { provided.append("  functions (require \"\(manifest.name)\"): \(manifest.functions.joined(separator: ", "))") }
        for command in manifest.commands { provided.append("  command: lanyard \(manifest.name) \(command.name): \(command.summary)") }
        if !manifest.hooks.isEmpty { provided.append("  hooks: \(manifest.hooks.joined(separator: ", "))") }
        for layout in manifest.importLayouts { provided.append("  import layout: \(layout.name) (\(layout.kind))") }
        for layout in manifest.exportLayouts { provided.append("  export layout: \(layout.name) (\(layout.columns.joined(separator: ", ")))") }
        if !templates.isEmpty { provided.append("  templates: \(templates.joined(separator: ", "))") }
        lines += provided.isEmpty ? ["  nothing"] : provided
        invocation.console.write(lines.joined(separator: "\n") + "\n")
        return .success
    }

    /// Returns the template names in a plugin's templates/ folder.
    static func templates(in folder: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: (folder as NSString).appendingPathComponent("templates"))) ?? []
        return Set(files.filter { !$0.hasPrefix(".") }.map { ($0 as NSString).deletingPathExtension }).sorted()
    }
}

// MARK: - enable

enum PluginsEnableCommand: Command {
    static let name = Argument<String>("NAME", help: "The plugin to enable.")

    static let configuration = CommandConfiguration(
        name: "enable", abstract: "Enables a plugin, granting the capabilities its manifest declares.",
        discussion: """
            The grant is recorded in the directory and the audit log. If a later version of the \
            plugin asks for more, it stops loading until it is enabled again. The plugins it \
            depends on must be enabled first.
            """,
        examples: [Example("Enable the MIS layouts.", "lanyard plugins enable mis-layouts")],
        arguments: [name])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try PluginsCommands.Context(invocation)
        let manifest = try context.manifest(invocation[name])
        let grants = try context.directory.pluginGrants()
        for (dependency, range) in manifest.dependencies.sorted(by: { $0.key < $1.key }) where grants[dependency] == nil {
            throw PluginError.missingDependency(plugin: manifest.name, dependency: dependency, range: range.description)
        }
        let grant = try context.directory.grantPlugin(
            name: manifest.name, version: manifest.version.description, capabilities: manifest.capabilities.map(\.rawValue))

        // Check that it loads as it will for every command, and warn if it does not.
        var trial = grants
        trial[manifest.name] = grant
        let failure = context.catalogue.resolve(grants: trial).failures[manifest.name]

        if invocation.globals.json {
            struct Output: Encodable {
                var grant: PluginGrant
                var error: String?
            }
            invocation.console.write(try JSONOutput.encode(Output(grant: grant, error: failure?.description)))
        } else {
            let granted = grant.capabilities.isEmpty ? "no capabilities" : grant.capabilities.joined(separator: ", ")
            invocation.console.write("Enabled \(manifest.name) \(manifest.version) with \(granted).\n")
            if let failure { invocation.console.warning(failure.description) }
        }
        return failure == nil ? .success : .failure
    }
}

// MARK: - disable

enum PluginsDisableCommand: Command {
    static let name = Argument<String>("NAME", help: "The plugin to disable.")

    static let configuration = CommandConfiguration(
        name: "disable", abstract: "Disables a plugin: it no longer loads, and its grant is removed.",
        examples: [Example("Stop the digest after each run.", "lanyard plugins disable run-digest")],
        arguments: [name])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try PluginsCommands.Context(invocation)
        let pluginName = invocation[name]
        let grants = try context.directory.pluginGrants()
        let dependents = grants.keys.sorted().filter { other in
            (try? context.catalogue.entries[other]?.manifest.get())?.dependencies[pluginName] != nil
        }
        guard dependents.isEmpty else {
            throw CommandError.message(
                "plugin '\(pluginName)' is needed by enabled plugin \(dependents.map { "'\($0)'" }.joined(separator: ", ")); disable \(dependents.count == 1 ? "it" : "them") first",
                .failure)
        }
        guard try context.directory.revokePlugin(name: pluginName) else {
            throw CommandError.message("plugin '\(pluginName)' is not enabled; see 'lanyard plugins list'", .usage)
        }
        if invocation.globals.json {
            invocation.console.write(try JSONOutput.encode(["disabled": pluginName]))
        } else {
            invocation.console.write("Disabled \(pluginName).\n")
        }
        return .success
    }
}
