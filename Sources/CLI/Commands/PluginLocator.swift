import Automation
import Domain
import Foundation
import LuaRuntime

/// Finds the plugin folders and loads the enabled plugins for a command.
enum PluginLocator {
    /// Returns the shipped plugins/ folder (`$LANYARD_HOME/plugins`, else beside the build folder the
    /// executable runs from), then the school's (`plugins.folder`), each once.
    static func folders(configuration: LanyardConfiguration, environment: [String: String]) -> [String] {
        var folders: [String] = []
        if let scripts = ScriptLocator.shippedScriptsFolder(environment: environment) {
            folders.append(((scripts as NSString).deletingLastPathComponent as NSString).appendingPathComponent("plugins"))
        }
        folders.append(configuration.string("plugins.folder"))
        var seen: Set<String> = []
        return folders.filter { folder in
            let real = URL(fileURLWithPath: folder).resolvingSymlinksInPath().standardizedFileURL.path
            return seen.insert(real).inserted
        }
    }

    /// Names a plugin may not take, because `lanyard NAME` is a built-in command.
    static var reservedNames: Set<String> {
        Set(Lanyard.commands.subcommands.map(\.name) + ["help", "plugins", "version"])
    }

    /// Finds the plugins, reading the manifests of those in `reading` (all when nil).
    static func catalogue(configuration: LanyardConfiguration, environment: [String: String], reading: Set<String>? = nil) -> PluginCatalogue {
        PluginCatalogue(folders: folders(configuration: configuration, environment: environment), reading: reading, reservedNames: reservedNames)
    }

    /// Loads the plugins the directory has enabled, with the limits scripts have.
    static func host(directory: Directory, configuration: LanyardConfiguration, environment: [String: String]) throws -> PluginHost {
        let limits = LuaLimits(
            instructions: configuration.integer("scripts.instruction_limit"), memoryBytes: configuration.integer("scripts.memory_limit_mb") << 20)
        return try PluginHost(
            directory: directory, settings: configuration.settings,
            workspace: { try Workspace(path: configuration.string("scripts.workspace")) },
            catalogue: catalogue(configuration: configuration, environment: environment, reading: Set(try directory.pluginGrants().keys)),
            limits: limits)
    }
}
