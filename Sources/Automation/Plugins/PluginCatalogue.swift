import Domain
import Foundation
import LuaRuntime

/// The plugins found in the plugin folders, with their manifests read, and which of the
/// enabled ones can load and in what order.
///
/// Reading a manifest runs `plugin.lua` in a sandboxed state without the scripting API, so
/// `lanyard plugins list` and `info` never let a plugin touch the directory.
public struct PluginCatalogue {
    /// A plugin folder and its manifest, or why the manifest was rejected.
    public struct Entry {
        public let folder: String
        public let manifest: Result<PluginManifest, PluginError>

        public var name: String { (folder as NSString).lastPathComponent }
    }

    /// The folders searched, in order: the shipped plugins/ folder, then the school's.
    public let folders: [String]
    /// The names of every plugin found, read or not.
    public let names: Set<String>
    /// The plugins whose manifests were read, by name; a name in two folders keeps the first and
    /// records the clash.
    public let entries: [String: Entry]

    /// Finds the plugins in `folders`: each sub-folder holding a `plugin.lua`.
    ///
    /// - Parameters:
    ///   - reading: the plugins whose manifests to read, or nil for all. Each read runs
    ///     `plugin.lua`, so a command that loads only the enabled plugins reads only theirs.
    ///   - reservedNames: names a plugin may not have (the built-in commands).
    public init(
        folders: [String], reading: Set<String>? = nil, reservedNames: Set<String> = [],
        limits: LuaLimits = LuaLimits(instructions: 10_000_000, memoryBytes: 64 << 20)
    ) {
        self.folders = folders
        var found: Set<String> = []
        var entries: [String: Entry] = [:]
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                let pluginFolder = (folder as NSString).appendingPathComponent(name)
                guard FileManager.default.fileExists(atPath: (pluginFolder as NSString).appendingPathComponent("plugin.lua")) else { continue }
                found.insert(name)
                guard reading?.contains(name) ?? true else { continue }
                if let earlier = entries[name] {
                    entries[name] = Entry(folder: earlier.folder, manifest: .failure(.duplicateName(name: name, folders: [earlier.folder, pluginFolder])))
                    continue
                }
                entries[name] = Entry(folder: pluginFolder, manifest: Self.readManifest(folder: pluginFolder, reservedNames: reservedNames, limits: limits))
            }
        }
        self.names = found
        self.entries = entries
    }

    /// Runs `plugin.lua` without the API and checks what it returns.
    static func readManifest(folder: String, reservedNames: Set<String>, limits: LuaLimits) -> Result<PluginManifest, PluginError> {
        let file = (folder as NSString).appendingPathComponent("plugin.lua")
        let folderName = (folder as NSString).lastPathComponent
        do {
            let type = try? FileManager.default.attributesOfItem(atPath: file)[.type] as? FileAttributeType
            guard type == .typeRegular else {
                return .failure(.invalidManifest(file: file, reason: "plugin.lua must be a regular file, not a folder, link or device"))
            }
            let state = try LuaState(limits: limits, moduleSearchPaths: [folder])
            state.confinesModules = true
            let results = try state.run("return require 'plugin'", chunkName: "plugin \(folderName)")
            let manifest = try PluginManifest(results.first ?? .nil, file: file)
            guard manifest.name == folderName else { return .failure(.nameMismatch(folder: folder, name: manifest.name)) }
            guard !reservedNames.contains(manifest.name) else { return .failure(.reservedName(name: manifest.name)) }
            guard manifest.apiRange.contains(PluginAPI.version) else {
                return .failure(.incompatibleAPI(plugin: manifest.name, range: manifest.apiRange.description, offered: PluginAPI.version.description))
            }
            return .success(manifest)
        } catch let error as PluginError {
            return .failure(error)
        } catch {
            return .failure(.failed(plugin: folderName, during: "plugin.lua", message: "\(error)"))
        }
    }

    // MARK: - Resolving

    /// Which enabled plugins can load, in load order (each after the plugins it depends on,
    /// then by name), and why each of the others cannot.
    public struct Resolution {
        public var order: [PluginManifest] = []
        public var failures: [String: PluginError] = [:]
    }

    /// Resolves the plugins named in `grants` against what the folders hold.
    public func resolve(grants: [String: PluginGrant]) -> Resolution {
        var resolution = Resolution()
        var candidates: [String: PluginManifest] = [:]
        for name in grants.keys.sorted() {
            guard let entry = entries[name] else {
                resolution.failures[name] = .notFound(name: name, searched: folders)
                continue
            }
            switch entry.manifest {
            case .failure(let error):
                resolution.failures[name] = error
            case .success(let manifest):
                let granted = Set(grants[name]?.capabilities ?? [])
                let missing = manifest.capabilities.map(\.rawValue).filter { !granted.contains($0) }
                if missing.isEmpty {
                    candidates[name] = manifest
                } else {
                    resolution.failures[name] = .notGranted(plugin: name, capabilities: missing)
                }
            }
        }

        // Dependencies: present, enabled and in range; a failure spreads to those that need it.
        var changed = true
        while changed {
            changed = false
            for name in candidates.keys.sorted() {
                guard let manifest = candidates[name] else { continue }
                for (dependency, range) in manifest.dependencies.sorted(by: { $0.key < $1.key }) {
                    var failure: PluginError?
                    if let other = candidates[dependency] {
                        if !range.contains(other.version) {
                            failure = .dependencyVersion(plugin: name, dependency: dependency, range: range.description, found: other.version.description)
                        }
                    } else if resolution.failures[dependency] != nil {
                        failure = .dependencyFailed(plugin: name, dependency: dependency)
                    } else {
                        failure = .missingDependency(plugin: name, dependency: dependency, range: range.description)
                    }
                    if let failure {
                        resolution.failures[name] = failure
                        candidates[name] = nil
                        changed = true
                        break
                    }
                }
            }
        }

        // Load order: repeatedly take, by name, the plugins whose dependencies are all placed.
        var placed: Set<String> = []
        while placed.count < candidates.count {
            let ready = candidates.keys.sorted().filter { name in
                !placed.contains(name) && candidates[name]!.dependencies.keys.allSatisfy(placed.contains)
            }
            guard !ready.isEmpty else {
                let cycle = candidates.keys.sorted().filter { !placed.contains($0) }
                for name in cycle {
                    resolution.failures[name] = .dependencyCycle(plugins: cycle)
                }
                break
            }
            for name in ready {
                placed.insert(name)
                resolution.order.append(candidates[name]!)
            }
        }
        return resolution
    }
}
