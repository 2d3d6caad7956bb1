import Automation
import Domain
import Foundation
import LuaRuntime
import Storage

/// The commands of enabled plugins, `lanyard PLUGIN COMMAND`, built from their manifests when
/// the process starts.
enum PluginCommandSpecs {
    /// Returns one command group per enabled plugin that has commands. Reads the directory named by
    /// `--db` or `$LANYARD_DB` only if it exists, and never creates it.
    static func groups(arguments: [String], environment: [String: String]) -> [CommandSpec] {
        let path = databasePath(arguments: arguments, environment: environment)
        guard FileManager.default.fileExists(atPath: path),
            let configuration = try? LanyardConfiguration.load(environment: environment),
            let directory = try? Directory(path: path),
            let grants = try? directory.pluginGrants(), !grants.isEmpty
        else { return [] }

        let catalogue = PluginLocator.catalogue(configuration: configuration, environment: environment, reading: Set(grants.keys))
        let resolution = catalogue.resolve(grants: grants)
        // A broken plugin keeps its commands, so that running one reports why it did not load.
        var manifests = resolution.order
        for name in resolution.failures.keys.sorted() {
            if let manifest = try? catalogue.entries[name]?.manifest.get() { manifests.append(manifest) }
        }
        return manifests.filter { !$0.commands.isEmpty }.map(group(for:))
    }

    /// Returns the database path from `--db PATH` or `--db=PATH` in the raw arguments, before
    /// they are parsed, with the usual fallbacks.
    static func databasePath(arguments: [String], environment: [String: String]) -> String {
        var given: String?
        for (index, argument) in arguments.enumerated() where given == nil {
            if argument == "--db", index + 1 < arguments.count { given = arguments[index + 1] }
            if argument.hasPrefix("--db=") { given = String(argument.dropFirst(5)) }
        }
        return GlobalOptions(database: given).databasePath(environment: environment)
    }

    static func group(for manifest: PluginManifest) -> CommandSpec {
        .group(
            manifest.name, abstract: "\(manifest.summary) (plugin \(manifest.version))",
            discussion: "Commands of the plugin '\(manifest.name)'. Review what it may do with 'lanyard plugins info \(manifest.name)'.",
            subcommands: manifest.commands.map { command(plugin: manifest.name, $0) })
    }

    static let dryRun = Flag("dry-run", short: "n", help: "Runs the command, then rolls back everything it changed in the directory.")
    static let noDeliver = Flag("no-deliver", help: "Leaves the messages the command queued in the outbox; 'lanyard outbox send' delivers them later.")

    static func command(plugin: String, _ command: PluginManifest.Command) -> CommandSpec {
        var arguments: [any ArgumentDeclaration] = command.arguments.map { Argument<String>($0.name.uppercased(), help: $0.help) }
        arguments.append(dryRun)
        arguments.append(noDeliver)
        for (name, help) in command.options.sorted(by: { $0.key < $1.key }) {
            arguments.append(Option<String?>(name, valueName: name.uppercased(), help: help))
        }
        for (name, help) in command.flags.sorted(by: { $0.key < $1.key }) where name != "dry-run" && name != "no-deliver" {
            arguments.append(Flag(name, help: help))
        }
        let examples = command.example.map { [Example(command.summary, $0)] } ?? []
        let configuration = CommandConfiguration(
            name: command.name, abstract: command.summary,
            discussion: "A command of the plugin '\(plugin)'. It runs as one transaction: all of it is saved, or none.",
            examples: examples, arguments: arguments)
        return CommandSpec(configuration) { invocation in
            try run(plugin: plugin, command: command, invocation: invocation)
        }
    }

    /// Runs the plugin's command in one transaction, printing what it prints; a string it
    /// returns is printed, a table is printed as JSON.
    static func run(plugin: String, command: PluginManifest.Command, invocation: Invocation) throws -> ExitCode {
        let context = try CommandContext(invocation)
        var values: [String: LuaValue] = [:]
        for name in command.options.keys {
            if let value = invocation.values.values(ofOption: name).last, case .string(let text) = value { values[name] = .string(text) }
        }
        for name in command.flags.keys { values[name] = .boolean(invocation.values.isSet(flag: name)) }
        for argument in command.arguments {
            if let word = invocation.values.words(ofArgument: argument.name.uppercased()).first { values[argument.name] = .string(word) }
        }
        let isDryRun = invocation.values.isSet(flag: "dry-run")
        values["dry_run"] = .boolean(isDryRun)

        let console = invocation.console
        let json = context.wantsJSON
        var printed: [String] = []
        let work = {
            try context.plugins.runCommand(plugin: plugin, command: command.name, arguments: values) { line in
                if json { printed.append(line) } else { console.write(line + "\n") }
            }
        }
        let queuedBefore = try context.directory.outboxCounts()[.queued] ?? 0
        let results = isDryRun ? try context.directory.database.rollingBack(work) : try context.directory.database.transaction(work)
        let result = results.first ?? .nil

        // Deliver after the commit, as 'lanyard run' does, so a message never leaves before
        // the token it carries is stored.
        var delivery: (summary: DeliverySummary, status: ExitCode, destination: String)?
        if !isDryRun, !invocation.values.isSet(flag: "no-deliver"), try context.directory.outboxCounts()[.queued] ?? 0 > queuedBefore {
            delivery = try MailDelivery.deliver(context)
        }

        if json {
            struct Output: Encodable {
                var result: JSONValue
                var printed: [String]
                var dryRun: Bool
                var delivery: MailDelivery.Output?
            }
            console.write(
                try JSONOutput.encode(
                    Output(
                        result: JSONValue(result), printed: printed, dryRun: isDryRun,
                        delivery: delivery.map { MailDelivery.Output($0.summary, destination: $0.destination) })))
        } else {
            switch result {
            case .string(let text): console.write(text + (text.hasSuffix("\n") ? "" : "\n"))
            case .nil, .boolean: break
            default: console.write(try JSONOutput.encode(JSONValue(result)))
            }
            if isDryRun { console.writeError("Dry run: nothing was saved.\n") }
            if let delivery { MailDelivery.report(delivery.summary, destination: delivery.destination, console: console) }
        }
        if result == .boolean(false) { return .failure }
        return delivery?.status ?? .success
    }
}

/// A Lua value as JSON, for printing what a plugin command returns.
struct JSONValue: Encodable {
    let value: LuaValue

    init(_ value: LuaValue) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch value {
        case .nil, .opaque: try container.encodeNil()
        case .boolean(let flag): try container.encode(flag)
        case .integer(let number): try container.encode(number)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .bytes(let bytes): try container.encode(String(decoding: bytes, as: UTF8.self))
        case .array(let items): try container.encode(items.map(JSONValue.init))
        case .table(let entries):
            var object: [String: JSONValue] = [:]
            for (key, entry) in entries { object[key.stringValue ?? "\(key)"] = JSONValue(entry) }
            try container.encode(object)
        }
    }
}
