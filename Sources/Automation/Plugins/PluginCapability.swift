/// A permission a plugin declares in its manifest and an admin grants with
/// `lanyard plugins enable`. Plugin code can call the whole scripting API, but each function
/// checks the capabilities it needs before it runs.
public enum PluginCapability: String, CaseIterable, Sendable, Codable, Comparable {
    case directoryRead = "directory.read"
    case directoryWrite = "directory.write"
    case codesRead = "codes.read"
    case codesWrite = "codes.write"
    case mailSend = "mail.send"
    case filesRead = "files.read"
    case filesWrite = "files.write"

    /// A description of what the capability allows, as `lanyard plugins info` shows it.
    public var summary: String {
        switch self {
        case .directoryRead: return "read people in the directory: names, emails, year and registration groups, links to parents"
        case .directoryWrite: return "change the directory: imports, email addresses, redeeming password links"
        case .codesRead: return "read student PINs and parent codes (each read is audited)"
        case .codesWrite: return "issue new PINs and parent codes, voiding the old ones"
        case .mailSend: return "queue email: password links and parent invitations"
        case .filesRead: return "read files in the workspace folder"
        case .filesWrite: return "write files in the workspace folder"
        }
    }

    public static func < (first: PluginCapability, second: PluginCapability) -> Bool {
        first.rawValue < second.rawValue
    }

    /// The capabilities each scripting API function needs, by qualified name. A function left
    /// out is denied to every plugin, so a new function stays closed until it is listed here.
    static let requirements: [String: [PluginCapability]] = [
        "users.select": [.directoryRead],
        "users.get": [.directoryRead],
        "users.update_emails": [.directoryWrite, .filesRead],
        "codes.pin": [.codesRead],
        "codes.parent_code": [.codesRead],
        "codes.regenerate": [.codesWrite],
        "import.oneroster": [.directoryWrite, .filesRead],
        "import.csv": [.directoryWrite, .filesRead],
        "import.ctf": [.directoryWrite, .filesRead],
        "links.send": [.directoryRead, .mailSend],
        "links.preview": [.directoryRead],
        "links.redeem": [.directoryWrite],
        "links.forgot": [.mailSend],
        "parents.recipients": [.directoryRead, .filesRead],
        "parents.invite": [.directoryRead, .codesRead, .mailSend, .filesRead],
        "details.generate": [.codesRead, .codesWrite, .filesWrite],
        "details.pins": [.codesRead],
        "details.export_parent_codes": [.codesRead, .filesWrite],
        "log.info": [], "log.warn": [], "log.error": [],
        "report.add": [], "report.line": [],
        "report.save": [.filesWrite],
        "files.read": [.filesRead],
        "files.exists": [.filesRead],
        "files.write": [.filesWrite],
        "json.encode": [], "json.decode": [],
    ]
}

/// The caller of the scripting API when it is a plugin: its name and the capabilities it was granted.
struct PluginAccess {
    let plugin: String
    let capabilities: Set<PluginCapability>

    /// Checks that the plugin may call `function`.
    ///
    /// - Throws: ``PluginError/capabilityMissing(plugin:function:capabilities:)`` naming the
    ///   plugin and what it lacks.
    func check(_ function: String) throws {
        guard let needed = PluginCapability.requirements[function] else {
            throw PluginError.functionClosed(plugin: plugin, function: function)
        }
        let missing = needed.filter { !capabilities.contains($0) }
        guard missing.isEmpty else {
            throw PluginError.capabilityMissing(plugin: plugin, function: function, capabilities: missing)
        }
    }
}
