/// A plugin's load failure or misuse. Each message names the plugin.
public enum PluginError: Error, Equatable, Sendable, CustomStringConvertible {
    /// plugin.lua, or what it returned, is not a valid manifest.
    case invalidManifest(file: String, reason: String)
    /// The folder's name and the manifest's name differ.
    case nameMismatch(folder: String, name: String)
    /// Two folders hold plugins of the same name.
    case duplicateName(name: String, folders: [String])
    /// The name is a built-in command's, so `lanyard NAME` could not reach the plugin.
    case reservedName(name: String)
    /// The plugin needs a plugin API version this Lanyard does not offer.
    case incompatibleAPI(plugin: String, range: String, offered: String)
    /// An enabled plugin is in none of the plugin folders.
    case notFound(name: String, searched: [String])
    /// A dependency is missing or disabled.
    case missingDependency(plugin: String, dependency: String, range: String)
    /// A dependency is there at a version outside the range asked for.
    case dependencyVersion(plugin: String, dependency: String, range: String, found: String)
    /// A dependency failed to load.
    case dependencyFailed(plugin: String, dependency: String)
    /// Plugins that depend on each other in a circle.
    case dependencyCycle(plugins: [String])
    /// The manifest requests capabilities the admin did not grant.
    case notGranted(plugin: String, capabilities: [String])
    /// A plugin called an API function without a capability it needs.
    case capabilityMissing(plugin: String, function: String, capabilities: [PluginCapability])
    /// A plugin called an API function no capability opens.
    case functionClosed(plugin: String, function: String)
    /// plugin.lua, a hook, a function or a command raised an error.
    case failed(plugin: String, during: String, message: String)
    /// A hook started work that runs the same hook again, such as queueing mail from before_send.
    case reentrantHook(hook: String)
    /// A hook returned something other than what it must.
    case badResult(plugin: String, during: String, reason: String)
    /// A script asked for a plugin that is not enabled.
    case notEnabled(name: String)
    /// Mail cannot be queued while an enabled plugin is broken: it may hold a safety rule.
    case mailBlocked(plugins: [String])
    /// An import or export layout name that no enabled plugin provides.
    case unknownLayout(name: String, kind: String, known: [String])

    public var description: String {
        switch self {
        case .invalidManifest(let file, let reason):
            return "\(file): not a valid plugin manifest: \(reason)"
        case .nameMismatch(let folder, let name):
            return "the plugin in folder '\(folder)' calls itself '\(name)'; name the folder after the plugin"
        case .duplicateName(let name, let folders):
            return "two folders hold a plugin called '\(name)': \(folders.joined(separator: " and ")); remove one"
        case .reservedName(let name):
            return "plugin '\(name)' has the name of a Lanyard command, so 'lanyard \(name)' could not reach it; rename the plugin"
        case .incompatibleAPI(let plugin, let range, let offered):
            return "plugin '\(plugin)' needs plugin API \(range), but this Lanyard offers \(offered); use a version of the plugin made for \(offered)"
        case .notFound(let name, let searched):
            return "plugin '\(name)' is enabled but is in none of the plugin folders (\(searched.joined(separator: ", "))); put it back, or run 'lanyard plugins disable \(name)'"
        case .missingDependency(let plugin, let dependency, let range):
            return "plugin '\(plugin)' needs plugin '\(dependency)' \(range), which is not enabled; enable it with 'lanyard plugins enable \(dependency)'"
        case .dependencyVersion(let plugin, let dependency, let range, let found):
            return "plugin '\(plugin)' needs plugin '\(dependency)' \(range), but version \(found) is installed; install a matching version of one of them"
        case .dependencyFailed(let plugin, let dependency):
            return "plugin '\(plugin)' did not load because plugin '\(dependency)', which it needs, did not load"
        case .dependencyCycle(let plugins):
            return "plugins \(plugins.map { "'\($0)'" }.joined(separator: ", ")) depend on each other in a circle (\((plugins + [plugins[0]]).joined(separator: " -> "))); none of them can load first"
        case .notGranted(let plugin, let capabilities):
            return "plugin '\(plugin)' now asks for \(capabilities.joined(separator: ", ")), which was not granted when it was enabled; review it with 'lanyard plugins info \(plugin)' and enable it again"
        case .capabilityMissing(let plugin, let function, let capabilities):
            let names = capabilities.map(\.rawValue).joined(separator: " and ")
            return "plugin '\(plugin)' may not call \(function): it needs the capability \(names), which its manifest does not declare"
        case .functionClosed(let plugin, let function):
            return "plugin '\(plugin)' may not call \(function): no capability opens it to plugins"
        case .failed(let plugin, let during, let message):
            return "plugin '\(plugin)' failed in \(during): \(message)"
        case .reentrantHook(let hook):
            return "a \(hook) hook may not start work that runs \(hook) hooks again (such as queueing mail from before_send, "
                + "or importing from after_import), because it could repeat without end; do that work in a command or a script instead"
        case .badResult(let plugin, let during, let reason):
            return "plugin '\(plugin)' returned a wrong result from \(during): \(reason)"
        case .notEnabled(let name):
            return "plugin '\(name)' is not enabled; see 'lanyard plugins list', and enable it with 'lanyard plugins enable \(name)'"
        case .mailBlocked(let plugins):
            return "no mail is queued while enabled plugin \(plugins.map { "'\($0)'" }.joined(separator: ", ")) fails to load, because it may hold a safety rule for outgoing mail; "
                + "see 'lanyard plugins list', then fix it or disable it"
        case .unknownLayout(let name, let kind, let known):
            let list = known.isEmpty ? "none" : known.joined(separator: ", ")
            return "unknown \(kind) layout '\(name)'; the layouts available are: \(list). Plugins add layouts: see 'lanyard plugins list'"
        }
    }
}
