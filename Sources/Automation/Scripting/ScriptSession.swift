import Domain
import Foundation
import LuaRuntime

/// What one script run works with: the directory, the settings, its arguments and workspace,
/// and what it has reported so far.
public final class ScriptSession {
    public let directory: Directory
    public let settings: Settings
    /// The origin the audit log records for the session's actions: `run term-start.lua`, or `repl`.
    public let origin: Directory.Origin
    public let workspace: Workspace
    public let arguments: [String: String]
    /// Whether the run will be rolled back, for `run.dry_run`.
    public var isDryRun = false
    let scriptName: String
    /// Where `log.*` goes; the executable installs the handler.
    let log: Log
    /// Rows and lines collected by `report.*`, written by `report.save`.
    var report = ScriptReport()
    /// Lines the script printed, for `--json` output.
    public internal(set) var printedLines: [String] = []
    /// Paths of files the script wrote into the workspace.
    public internal(set) var writtenFiles: [String] = []
    /// The number of messages the run queued in the outbox; `lanyard run` delivers them when it is above 0.
    public internal(set) var queuedMessages = 0
    /// The message templates: the templates.folder setting, then the shipped ones.
    lazy var templates = TemplateLibrary(settings: settings, workingFolder: FileManager.default.currentDirectoryPath)
    /// The enabled plugins, for layouts; nil in a plugin's own session.
    weak var plugins: PluginHost?
    /// Set when the session is a plugin's: every API call is checked against its capabilities.
    var pluginAccess: PluginAccess?
    /// Registered userdata kinds, filled when the API is installed.
    var selectionType: LuaUserdataType<SelectionObject>!
    var userType: LuaUserdataType<UserObject>!

    public convenience init(directory: Directory, settings: Settings, scriptName: String, workspace: Workspace, arguments: [String: String]) {
        self.init(
            directory: directory, settings: settings, origin: Directory.Origin("run \(scriptName)"), logLabel: "script \(scriptName)",
            workspace: workspace, arguments: arguments, scriptName: scriptName)
    }

    /// Creates a session whose audit entries name `origin`, such as `repl` for the REPL.
    public init(
        directory: Directory, settings: Settings, origin: Directory.Origin, logLabel: String, workspace: Workspace, arguments: [String: String],
        scriptName: String = "repl"
    ) {
        self.directory = directory
        self.settings = settings
        self.origin = origin
        self.workspace = workspace
        self.arguments = arguments
        self.scriptName = scriptName
        self.log = Log(label: logLabel)
    }

    /// Installs every module of the scripting API into `state`.
    func install(into state: LuaState) throws {
        selectionType = try state.register(UsersModule.selectionDefinition(session: self))
        userType = try state.register(UsersModule.userDefinition(session: self))

        var modules: [String: [String: LuaFunction]] = [:]
        for function in ScriptAPI.functions {
            var body = function.make(self)
            if let access = pluginAccess {
                let unchecked = body
                let name = function.qualifiedName
                body = { call in
                    try access.check(name)
                    return try unchecked(call)
                }
            }
            if let module = function.module {
                modules[module, default: [:]][function.name] = body
            } else {
                try state.register(function: function.name, body)
            }
        }
        for (name, functions) in modules.sorted(by: { $0.key < $1.key }) {
            try state.register(module: name, functions: functions)
        }
        try state.setGlobal("school", try SchoolTable.value(session: self))
        try state.setGlobal("args", ArgsTable.value(arguments))
        try state.setGlobal("run", RunTable.value(dryRun: isDryRun, script: scriptName))
    }
}

/// Lines and rows a script collects for its run report.
struct ScriptReport {
    var lines: [String] = []
    var columns: [String] = []
    var rows: [[String: String]] = []
}
