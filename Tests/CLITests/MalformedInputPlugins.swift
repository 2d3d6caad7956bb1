/// Malformed plugin manifests, and layouts no plugin provides.
extension MalformedInputCorpus {
    /// Returns a plugin.lua with the fields every manifest needs and `extra` inside the table.
    static func manifest(_ name: String, _ extra: String = "", version: String = "1.0.0", lanyard: String = "^1.0") -> String {
        "return { name = \"\(name)\", version = \"\(version)\", summary = \"A test plugin.\", lanyard = \"\(lanyard)\", \(extra) }\n"
    }

    static let pluginManifests: [MalformedInputCase] = [
        MalformedInputCase(
            name: "plugin whose plugin.lua does not compile names the file and line",
            files: [.text("plugins/broken/plugin.lua", "return { name = \"broken\",, }\n")],
            arguments: ["plugins", "enable", "broken"], status: 1,
            messages: ["plugin 'broken' failed in plugin.lua: ", "plugin.lua:1: unexpected symbol near ','"]),
        MalformedInputCase(
            name: "plugin asking for an unknown capability suggests the right one",
            files: [.text("plugins/greedy/plugin.lua", manifest("greedy", "capabilities = { \"codes.raed\" }"))],
            arguments: ["plugins", "enable", "greedy"], status: 65,
            messages: ["plugins/greedy/plugin.lua: not a valid plugin manifest: unknown capability 'codes.raed' (did you mean 'codes.read'?)"]),
        MalformedInputCase(
            name: "plugin with a version that is not semantic says what to write",
            files: [.text("plugins/vague/plugin.lua", manifest("vague", version: "1.0"))],
            arguments: ["plugins", "enable", "vague"], status: 65,
            messages: ["field 'version' must be a semantic version such as '1.0.0', not '1.0'"]),
        MalformedInputCase(
            name: "plugin made for another plugin API says which it needs",
            files: [.text("plugins/future/plugin.lua", manifest("future", lanyard: "^2.0"))],
            arguments: ["plugins", "enable", "future"], status: 1,
            messages: ["plugin 'future' needs plugin API ^2.0, but this Lanyard offers 1.0.0"]),
        MalformedInputCase(
            name: "plugin whose dependency is not enabled names it",
            files: [.text("plugins/needy/plugin.lua", manifest("needy", "depends = { [\"absent\"] = \"^1.0\" }"))],
            arguments: ["plugins", "enable", "needy"], status: 1,
            messages: ["plugin 'needy' needs plugin 'absent' ^1.0, which is not enabled; enable it with 'lanyard plugins enable absent'"]),
        MalformedInputCase(
            name: "plugin in a folder of another name asks for the folder to be renamed",
            files: [.text("plugins/misnamed/plugin.lua", manifest("other-name"))],
            arguments: ["plugins", "enable", "misnamed"], status: 1,
            messages: ["calls itself 'other-name'; name the folder after the plugin"]),
        MalformedInputCase(
            name: "plugin with an unknown hook lists the hooks",
            files: [.text("plugins/hooky/plugin.lua", manifest("hooky", "hooks = { before_sending = function() end }"))],
            arguments: ["plugins", "enable", "hooky"], status: 65,
            messages: ["unknown hook 'before_sending'; the hooks are before_send, after_import, after_run"]),
        MalformedInputCase(
            name: "import layout that no enabled plugin provides lists those available",
            files: [.text("students.csv", "UPN,Legal Surname,Legal Forename\n")],
            arguments: ["import", "csv", "--layout", "sims-pupils", "students.csv"], status: 64,
            messages: ["unknown import layout 'sims-pupils'; the layouts available are: none. Plugins add layouts: see 'lanyard plugins list'"]),
    ]
}
