import Domain
import Foundation
import LuaRuntime

/// The enabled plugins of one Lanyard process, loaded in dependency order, and the places they
/// hook into: mail before it is queued, imports before they commit, script runs before they
/// commit, `require` in scripts, layouts, templates and commands.
///
/// A plugin that fails to load is recorded in ``failures`` and the others load without it.
/// While any enabled plugin is broken no mail is queued, because the broken one may be the
/// safety rule that would have stopped a message.
public final class PluginHost {
    public let catalogue: PluginCatalogue
    /// The load failure of each enabled plugin that is not running, by name.
    public private(set) var failures: [String: PluginError]
    /// The settings with the plugins' template folders added.
    public let settings: Settings
    let directory: Directory
    private(set) var plugins: [LoadedPlugin] = []
    /// The hooks running now, so that a hook cannot start work that runs the same hook again.
    private var runningHooks: Set<String> = []

    /// Loads the plugins `directory` has enabled from `catalogue`'s folders.
    ///
    /// - Parameter workspace: the folder plugins may read and write, made only when a plugin loads.
    public init(directory: Directory, settings: Settings, workspace: () throws -> Workspace, catalogue: PluginCatalogue, limits: LuaLimits) throws {
        self.catalogue = catalogue
        self.directory = directory
        let resolution = catalogue.resolve(grants: try directory.pluginGrants())
        self.failures = resolution.failures

        var settings = settings
        for manifest in resolution.order {
            let templates = (catalogue.entries[manifest.name]!.folder as NSString).appendingPathComponent("templates")
            if FileManager.default.fileExists(atPath: templates) { settings.pluginTemplateFolders.append(templates) }
        }
        self.settings = settings

        let workspace = resolution.order.isEmpty ? nil : try workspace()
        for manifest in resolution.order {
            if let failed = manifest.dependencies.keys.sorted().first(where: { failures[$0] != nil }) {
                failures[manifest.name] = .dependencyFailed(plugin: manifest.name, dependency: failed)
                continue
            }
            do {
                let plugin = try LoadedPlugin(
                    manifest: manifest, folder: catalogue.entries[manifest.name]!.folder, directory: directory, settings: settings,
                    workspace: workspace!, limits: limits)
                plugin.state.hostModules = { [weak self] module in try self?.exports(of: module, requestedBy: manifest) }
                plugins.append(plugin)
            } catch let error as PluginError {
                failures[manifest.name] = error
            }
        }
    }

    /// The interrupters of the running plugins' states, for a run's time limit.
    public var interrupters: [LuaInterrupter] { plugins.map(\.state.interrupter) }

    /// The running plugins' manifests, in load order.
    public var loaded: [PluginManifest] { plugins.map(\.manifest) }

    /// Connects the hooks to the directory: `before_send` to every message queued, and
    /// `after_import` to every import.
    public func install() {
        if !failures.isEmpty || plugins.contains(where: { $0.manifest.hooks.contains("before_send") }) {
            directory.outgoingCheck = { [weak self] message, purpose, userId in
                try self?.beforeSend(message, purpose: purpose, userId: userId) ?? .send(message, notBefore: nil)
            }
        }
        if plugins.contains(where: { $0.manifest.hooks.contains("after_import") }) {
            directory.afterImport = { [weak self] summary in try self?.afterImport(summary) }
        }
    }

    // MARK: - Hooks

    /// Passes the message through each `before_send` hook in load order; the first to withhold
    /// it decides.
    func beforeSend(_ message: MailMessage, purpose: OutboxPurpose, userId: Int?) throws -> OutgoingDecision {
        guard failures.isEmpty else { throw PluginError.mailBlocked(plugins: failures.keys.sorted()) }
        return try guardingReentry("before_send") { try runBeforeSend(message, purpose: purpose, userId: userId) }
    }

    private func runBeforeSend(_ message: MailMessage, purpose: OutboxPurpose, userId: Int?) throws -> OutgoingDecision {
        var message = message
        var notBefore: Date?
        let user = try userId.flatMap(directory.user(id:))
        for plugin in plugins where plugin.manifest.hooks.contains("before_send") {
            let readsBody = plugin.manifest.capabilities.contains(.codesRead)
            let table = try OutgoingMessageTable.value(of: message, purpose: purpose, user: user, includesBody: readsBody)
            let results = try plugin.call(["hooks", "before_send"], [table], during: "before_send")
            switch results.first {
            case .boolean(true)?:
                continue
            case .boolean(false)?:
                guard let reason = results.dropFirst().first?.stringValue, !reason.isEmpty else {
                    throw PluginError.badResult(plugin: plugin.name, during: "before_send", reason: "it returned false without a reason; return false, \"why\"")
                }
                return .withhold(reason: reason, by: "plugin \(plugin.name)")
            case .some(let edited) where edited.fields != nil:
                let changes = try OutgoingMessageTable.apply(
                    edited, to: message, original: table, plugin: plugin.name, includesBody: readsBody, now: directory.now())
                message = changes.message
                if let later = changes.notBefore { notBefore = max(notBefore ?? later, later) }
            default:
                throw PluginError.badResult(
                    plugin: plugin.name, during: "before_send",
                    reason: "it must return the message (edited or not), true, or false and a reason, not \(results.first?.typeName ?? "nothing")")
            }
        }
        return .send(message, notBefore: notBefore)
    }

    func afterImport(_ summary: ImportSummary) throws {
        let table = try LuaConversion.value(of: summary)
        try guardingReentry("after_import") {
            for plugin in plugins where plugin.manifest.hooks.contains("after_import") {
                _ = try plugin.call(["hooks", "after_import"], [table], during: "after_import")
            }
        }
    }

    /// Runs each `after_run` hook with the run's report, inside the run's transaction.
    public func afterRun(_ outcome: ScriptRunner.Outcome) throws {
        let plugins = plugins.filter { $0.manifest.hooks.contains("after_run") }
        guard !plugins.isEmpty else { return }
        let table = try LuaConversion.value(of: outcome)
        try guardingReentry("after_run") {
            for plugin in plugins {
                _ = try plugin.call(["hooks", "after_run"], [table], during: "after_run")
            }
        }
    }

    /// Runs `body` as hook `hook`, failing if that hook is already running further up the stack.
    /// Without this, a before_send hook that queues mail or an after_import hook that imports
    /// would call itself until Lua's C stack ran out, sending or importing on every level.
    private func guardingReentry<Result>(_ hook: String, _ body: () throws -> Result) throws -> Result {
        guard runningHooks.insert(hook).inserted else { throw PluginError.reentrantHook(hook: hook) }
        defer { runningHooks.remove(hook) }
        return try body()
    }

    // MARK: - Functions for require

    /// The functions `require "NAME"` returns: a plugin's `functions`, each a bridge that copies
    /// arguments in and results out. Nil for names that are not plugins.
    ///
    /// - Parameter requestedBy: the plugin asking, which may reach only what it depends on; nil
    ///   for a script, which may reach every enabled plugin.
    func exports(of name: String, requestedBy: PluginManifest?) throws -> [String: LuaFunction]? {
        guard catalogue.names.contains(name) else { return nil }
        if let requestedBy, requestedBy.dependencies[name] == nil {
            throw PluginError.failed(
                plugin: requestedBy.name, during: "require \"\(name)\"",
                message: "a plugin may require only the plugins its manifest lists in depends; add \"\(name)\" there")
        }
        if let failure = failures[name] { throw failure }
        guard let plugin = plugins.first(where: { $0.name == name }) else { throw PluginError.notEnabled(name: name) }

        var functions: [String: LuaFunction] = [:]
        for function in plugin.manifest.functions {
            functions[function] = { call in
                var arguments: [LuaValue] = []
                if call.argumentCount > 0 {
                    for index in 1...call.argumentCount {
                        let value = try call.value(at: index)
                        if value.containsOpaque {
                            throw call.argumentError(
                                at: index, "plugin functions take strings, numbers, booleans and tables of those; pass a selection as its query (selection.query)")
                        }
                        arguments.append(value)
                    }
                }
                let results = try plugin.call(["functions", function], arguments, during: "function \(function)")
                for result in results {
                    guard !result.containsOpaque else {
                        throw PluginError.badResult(
                            plugin: plugin.name, during: "function \(function)",
                            reason: "it returned a function or an object, which cannot leave the plugin; return strings, numbers, booleans and tables of those")
                    }
                    try call.push(result)
                }
                return results.count
            }
        }
        return functions
    }

    /// Makes `require` in `state` (a script's) reach the enabled plugins.
    public func connect(_ state: LuaState) {
        let previous = state.hostModules
        state.hostModules = { [weak self] name in
            if let functions = try self?.exports(of: name, requestedBy: nil) { return functions }
            return try previous?(name)
        }
    }

    // MARK: - Layouts

    /// The import layouts of the running plugins, by name; the first plugin in load order wins a clash.
    public var importLayouts: [String: PluginManifest.ImportLayout] {
        var layouts: [String: PluginManifest.ImportLayout] = [:]
        for plugin in plugins {
            for layout in plugin.manifest.importLayouts where layouts[layout.name] == nil { layouts[layout.name] = layout }
        }
        return layouts
    }

    /// Returns the import layout `name`, with its row transform bridged to the plugin.
    ///
    /// - Throws: ``PluginError/unknownLayout(name:kind:known:)``.
    public func importLayout(named name: String) throws -> (layout: PluginManifest.ImportLayout, transform: MISRowTransform?) {
        guard let plugin = plugins.first(where: { $0.manifest.importLayouts.contains { $0.name == name } }),
            let layout = plugin.manifest.importLayouts.first(where: { $0.name == name })
        else {
            throw PluginError.unknownLayout(name: name, kind: "import", known: importLayouts.keys.sorted())
        }
        guard layout.hasTransform else { return (layout, nil) }
        let transform: MISRowTransform = { fields, cells in
            let results = try plugin.call(
                ["import_layouts", name, "transform"], [Self.table(fields), Self.table(cells)], during: "import layout \(name)")
            guard let first = results.first, first != .nil else { return nil }
            guard let edited = first.fields else {
                throw PluginError.badResult(plugin: plugin.name, during: "import layout \(name)", reason: "the transform must return a table of fields, or nil to leave the row out")
            }
            return try edited.mapValues { value in
                switch value {
                case .string(let text): return text
                case .integer(let number): return String(number)
                case .number(let number): return String(number)
                default:
                    throw PluginError.badResult(plugin: plugin.name, during: "import layout \(name)", reason: "field values must be strings or numbers, not \(value.typeName)")
                }
            }
        }
        return (layout, transform)
    }

    /// The parent code export layout `name`, bridged to the plugin's row function.
    ///
    /// - Throws: ``PluginError/unknownLayout(name:kind:known:)``.
    public func exportLayout(named name: String) throws -> CustomParentCodeLayout {
        guard let plugin = plugins.first(where: { $0.manifest.exportLayouts.contains { $0.name == name } }),
            let layout = plugin.manifest.exportLayouts.first(where: { $0.name == name })
        else {
            let known = plugins.flatMap { $0.manifest.exportLayouts.map(\.name) }
            throw PluginError.unknownLayout(name: name, kind: "export", known: (ParentCodeLayout.allCases.map(\.rawValue) + known).sorted())
        }
        return CustomParentCodeLayout(name: name, columns: layout.columns) { fields in
            let results = try plugin.call(["export_layouts", name, "row"], [Self.table(fields)], during: "export layout \(name)")
            guard let cells = results.first?.arrayValue else {
                throw PluginError.badResult(plugin: plugin.name, during: "export layout \(name)", reason: "the row function must return a list of cells")
            }
            return cells.map { cell in
                switch cell {
                case .string(let text): return text
                case .integer(let number): return String(number)
                case .number(let number): return String(number)
                default: return ""
                }
            }
        }
    }

    // MARK: - Commands

    /// Runs command `command` of plugin `plugin` with its parsed options (flags as booleans).
    ///
    /// - Throws: ``PluginError`` when the plugin is not running or the command fails.
    public func runCommand(plugin name: String, command: String, arguments: [String: LuaValue], output: @escaping (String) -> Void) throws -> [LuaValue] {
        if let failure = failures[name] { throw failure }
        guard let plugin = plugins.first(where: { $0.name == name }) else { throw PluginError.notEnabled(name: name) }
        let previous = plugin.state.output
        plugin.state.output = output
        defer { plugin.state.output = previous }
        var table: [LuaValue: LuaValue] = [:]
        for (key, value) in arguments { table[.string(key)] = value }
        return try plugin.call(["commands", command, "run"], [.table(table)], during: "command \(command)")
    }

    static func table(_ values: [String: String]) -> LuaValue {
        var table: [LuaValue: LuaValue] = [:]
        for (key, value) in values { table[.string(key)] = .string(value) }
        return .table(table)
    }
}

extension LuaValue {
    /// Whether the value is, or holds, something without a Swift copy (a function or userdata).
    var containsOpaque: Bool {
        switch self {
        case .opaque: return true
        case .array(let items): return items.contains(where: \.containsOpaque)
        case .table(let entries): return entries.contains { $0.key.containsOpaque || $0.value.containsOpaque }
        default: return false
        }
    }
}
