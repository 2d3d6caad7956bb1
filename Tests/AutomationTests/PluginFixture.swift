import Domain
import Foundation
import LuaRuntime

@testable import Automation

/// A ``ScriptFixture`` with a plugins folder: write plugins into it, enable them, and load them
/// the way a command does.
final class PluginFixture {
    let script: ScriptFixture
    let pluginsFolder: String
    private(set) var host: PluginHost?

    init() throws {
        script = try ScriptFixture()
        pluginsFolder = (script.folder as NSString).appendingPathComponent("plugins")
        try FileManager.default.createDirectory(atPath: pluginsFolder, withIntermediateDirectories: true)
    }

    var directory: Directory { script.directory }

    /// Writes `plugins/NAME/plugin.lua` (and any other files, by relative path).
    func write(_ name: String, _ source: String, files: [String: String] = [:]) throws {
        let folder = (pluginsFolder as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(source.utf8).write(to: URL(fileURLWithPath: folder + "/plugin.lua"))
        for (path, contents) in files {
            let full = (folder as NSString).appendingPathComponent(path)
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: URL(fileURLWithPath: full))
        }
    }

    /// Returns a manifest with the fields every plugin needs, and `body` inside the returned table.
    static func manifest(_ name: String, capabilities: [String] = [], depends: String = "", version: String = "1.0.0", _ body: String = "") -> String {
        let list = capabilities.map { "\"\($0)\"" }.joined(separator: ", ")
        return """
            return {
              name = "\(name)", version = "\(version)", summary = "Test plugin \(name).", lanyard = "^1.0",
              capabilities = { \(list) },
              depends = { \(depends) },
            \(body)
            }
            """
    }

    /// Enables the plugins with what their manifests ask for, as `lanyard plugins enable` does.
    func enable(_ names: String...) throws {
        let catalogue = PluginCatalogue(folders: [pluginsFolder])
        for name in names {
            let capabilities = (try? catalogue.entries[name]?.manifest.get())?.capabilities.map(\.rawValue) ?? []
            try directory.grantPlugin(name: name, version: "1.0.0", capabilities: capabilities)
        }
    }

    /// Loads the enabled plugins and hooks them into the directory.
    @discardableResult
    func load(settings: Settings = Settings()) throws -> PluginHost {
        let host = try PluginHost(
            directory: directory, settings: settings, workspace: { self.script.workspace },
            catalogue: PluginCatalogue(folders: [pluginsFolder], reading: Set(try directory.pluginGrants().keys), reservedNames: ["import"]),
            limits: LuaLimits(instructions: 10_000_000, memoryBytes: 64 << 20))
        host.install()
        self.host = host
        return host
    }

    /// Runs `source` as a script that can require the plugins, with their after_run hooks.
    @discardableResult
    func run(_ source: String, dryRun: Bool = false) throws -> ScriptRunner.Outcome {
        let path = (script.folder as NSString).appendingPathComponent("test.lua")
        try Data(source.utf8).write(to: URL(fileURLWithPath: path))
        var options = ScriptRunner.Options()
        options.dryRun = dryRun
        script.printed = []
        return try ScriptRunner(directory: directory, settings: Settings(), workspace: script.workspace, plugins: host).run(path: path, options: options) { line in
            self.script.printed.append(line)
        }
    }

    /// Runs `source` and returns its error message, or nil when it succeeded.
    func failure(_ source: String) -> String? {
        do {
            try run(source)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Queues a message to `address` in its own transaction, through the plugins' before_send.
    func queue(to address: String, subject: String = "Your first login", userId: Int? = nil) throws -> OutboxEntry {
        let message = MailMessage(
            from: try Mailbox(name: "Castle Mead Academy", address: "office@castlemead.example"), to: try Mailbox(address: address),
            subject: subject, textBody: "Open the link to set your password.")
        return try directory.database.transaction { try directory.queue(message, purpose: .firstLoginLink, userId: userId) }
    }
}
