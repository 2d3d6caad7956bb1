import Storage

/// A plugin an admin enabled: the version they reviewed and the capabilities they granted.
///
/// A plugin runs only while its manifest requests no capability beyond those granted, so a new
/// version that requests more stays off until an admin reviews it and enables it again.
public struct PluginGrant: Sendable, Equatable, Codable {
    public var name: String
    public var version: String
    public var capabilities: [String]
    public var enabledAt: String
    public var enabledBy: String

    public init(name: String, version: String, capabilities: [String], enabledAt: String, enabledBy: String) {
        self.name = name
        self.version = version
        self.capabilities = capabilities
        self.enabledAt = enabledAt
        self.enabledBy = enabledBy
    }
}

extension Directory {
    /// The table of enabled plugins (migration 5).
    static let pluginTables = """
        CREATE TABLE plugin_grants (
            name TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            capabilities TEXT NOT NULL,
            enabled_at TEXT NOT NULL,
            enabled_by TEXT NOT NULL
        );
        """

    /// Returns the plugins an admin enabled, by name.
    public func pluginGrants() throws -> [String: PluginGrant] {
        var grants: [String: PluginGrant] = [:]
        for row in try database.query("SELECT name, version, capabilities, enabled_at, enabled_by FROM plugin_grants") {
            let name = row.string("name") ?? ""
            let capabilities = (row.string("capabilities") ?? "").split(separator: " ").map(String.init)
            grants[name] = PluginGrant(
                name: name, version: row.string("version") ?? "", capabilities: capabilities,
                enabledAt: row.string("enabled_at") ?? "", enabledBy: row.string("enabled_by") ?? "")
        }
        return grants
    }

    /// Enables plugin `name` at `version` with `capabilities`, replacing an earlier grant, and
    /// records it in the audit log.
    @discardableResult
    public func grantPlugin(name: String, version: String, capabilities: [String]) throws -> PluginGrant {
        let grant = PluginGrant(name: name, version: version, capabilities: capabilities.sorted(), enabledAt: timestamp(), enabledBy: actor)
        try database.transaction {
            try database.execute(
                """
                INSERT INTO plugin_grants (name, version, capabilities, enabled_at, enabled_by) VALUES (?1, ?2, ?3, ?4, ?5)
                ON CONFLICT (name) DO UPDATE SET version = ?2, capabilities = ?3, enabled_at = ?4, enabled_by = ?5
                """, [name, version, grant.capabilities.joined(separator: " "), grant.enabledAt, grant.enabledBy])
            let granted = grant.capabilities.isEmpty ? "no capabilities" : grant.capabilities.joined(separator: ", ")
            try audit(action: "plugin.enable", via: "plugins enable", userId: nil, detail: "\(name) \(version) with \(granted)")
        }
        return grant
    }

    /// Disables plugin `name`; returns false when it was not enabled.
    @discardableResult
    public func revokePlugin(name: String) throws -> Bool {
        try database.transaction {
            try database.execute("DELETE FROM plugin_grants WHERE name = ?1", [name])
            guard database.changes > 0 else { return false }
            try audit(action: "plugin.disable", via: "plugins disable", userId: nil, detail: name)
            return true
        }
    }
}
