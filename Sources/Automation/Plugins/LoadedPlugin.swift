import Domain
import LuaRuntime

/// One enabled plugin, running: its own Lua state and global environment, and a scripting
/// session restricted to the capabilities it was granted.
///
/// Nothing is shared with scripts or with other plugins: a value crosses between them only as a
/// copy (strings, numbers, booleans and tables of those), so no plugin can reach another's
/// globals, functions or upvalues, or the host's objects.
/// Each state has the instruction and memory limits of scripts, and a script run's time limit
/// interrupts the plugins' states as well as the script's.
final class LoadedPlugin {
    let manifest: PluginManifest
    let folder: String
    let state: LuaState
    let environment: LuaEnvironment
    let session: ScriptSession

    var name: String { manifest.name }

    /// Loads `plugin.lua` into a new state whose API checks every call against the manifest's
    /// capabilities.
    ///
    /// - Throws: ``PluginError/failed(plugin:during:message:)`` when plugin.lua raises an error.
    init(manifest: PluginManifest, folder: String, directory: Directory, settings: Settings, workspace: Workspace, limits: LuaLimits) throws {
        self.manifest = manifest
        self.folder = folder
        let session = ScriptSession(
            directory: directory, settings: settings, origin: Directory.Origin("plugin \(manifest.name)"), logLabel: "plugin \(manifest.name)",
            workspace: workspace, arguments: [:], scriptName: "plugin \(manifest.name)")
        session.pluginAccess = PluginAccess(plugin: manifest.name, capabilities: Set(manifest.capabilities))
        self.session = session
        do {
            state = try LuaState(limits: limits, moduleSearchPaths: [folder])
            state.confinesModules = true
            try session.install(into: state)
            environment = try state.makeEnvironment()
        } catch {
            throw PluginError.failed(plugin: manifest.name, during: "loading", message: "\(error)")
        }
        let log = Log(label: "plugin \(manifest.name)")
        state.output = { line in log.info(line) }
        do {
            _ = try state.run(Self.invoker, chunkName: "plugin \(manifest.name)", in: environment)
        } catch {
            throw PluginError.failed(plugin: manifest.name, during: "loading", message: "\(error)")
        }
        _ = try call(nil, [], during: "plugin.lua")
    }

    /// Calls the function at `path` in the manifest, such as `["hooks", "after_run"]`, with
    /// copies of `arguments`. It runs in the plugin's environment and within its limits. A nil
    /// `path` only loads the manifest.
    ///
    /// - Throws: ``PluginError/failed(plugin:during:message:)`` with the Lua error.
    func call(_ path: [String]?, _ arguments: [LuaValue], during: String) throws -> [LuaValue] {
        let path = path ?? []
        do {
            return try state.call(
                global: Self.invokerName, arguments: [.integer(path.count)] + path.map(LuaValue.string) + arguments, in: environment)
        } catch {
            throw PluginError.failed(plugin: name, during: during, message: "\(error)")
        }
    }

    /// The global that contains the invoker. The plugin could overwrite it, but that only breaks
    /// its own calls, because the function runs with the plugin's own environment and capabilities.
    private static let invokerName = "__lanyard_invoke"

    /// Defines the invoker, compiled once: it finds a function by its path in the table
    /// plugin.lua returned (loaded once per environment by `require`), and calls it with the
    /// remaining arguments.
    private static let invoker = """
        local manifest
        function \(invokerName)(count, ...)
          manifest = manifest or require "plugin"
          if count == 0 then return end
          local target = manifest
          for step = 1, count do target = target[(select(step, ...))] end
          return target(select(count + 1, ...))
        end
        """
}
