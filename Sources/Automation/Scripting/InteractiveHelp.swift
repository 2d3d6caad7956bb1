/// The REPL's `:help` text, built from the same declarations as docs/lua-api.md.
public enum InteractiveHelp {
    /// The REPL-only functions, with what each does.
    static let transactionFunctions = [
        ("begin()", "Groups the following statements in one transaction, until commit() or rollback()."),
        ("commit()", "Saves every statement since begin()."),
        ("rollback()", "Undoes every statement since begin()."),
    ]

    /// `:help`: the modules with their functions, the tables and types, the REPL's own
    /// functions and commands.
    public static func overview() -> String {
        var lines = [
            "Type a Lua statement, or an expression to see its value. Each statement is saved when it",
            "finishes, unless begin() groups it with others. The API is that of `lanyard run` scripts.",
            "",
            "Modules:",
        ]

        var modules: [String] = []
        for function in ScriptAPI.functions {
            if let module = function.module, !modules.contains(module) { modules.append(module) }
        }

        let width = (modules + ScriptAPI.valueTables.map(\.name) + ScriptAPI.types.map(\.name)).map(\.count).max() ?? 0
        for module in modules {
            let names = ScriptAPI.functions.filter { $0.module == module }.map(\.name)
            lines.append("  " + padded(module, width) + "  " + names.joined(separator: ", "))
        }

        lines.append("Tables:")
        for table in ScriptAPI.valueTables {
            lines.append("  " + padded(table.name, width) + "  " + table.summary)
        }

        lines.append("Types:")
        for type in ScriptAPI.types {
            let members = type.fields.map(\.name) + type.methods.map { ":\($0.name)" }
            lines.append("  " + padded(type.name, width) + "  " + members.joined(separator: ", "))
        }
        lines.append("")
        lines.append("Transactions (REPL only; a statement's call takes effect when the statement finishes):")
        for (name, summary) in transactionFunctions {
            lines.append("  " + padded(name, 10) + "  " + summary)
        }
        lines.append("")
        lines.append("Commands:")
        lines.append("  :help        This list.")
        lines.append("  :help NAME   A function's or type's documentation, such as :help users.select.")
        lines.append("  :quit        Leaves the REPL; so does Ctrl-D on an empty line.")
        lines.append("Ctrl-C stops a running statement, or clears the line being typed. TAB completes names.")
        return lines.joined(separator: "\n")
    }

    /// `:help NAME`: the documentation of an API function (`users.select`), a type
    /// (`Selection`) or a REPL function (`begin`), or nil for an unknown name.
    public static func help(for name: String) -> String? {
        let bare = name.hasSuffix("()") ? String(name.dropLast(2)) : name
        if let (function, summary) = transactionFunctions.first(where: { $0.0 == bare + "()" }) {
            return "### \(function)\n\n\(summary) Not available in a dry run."
        }
        return APIDocumentation.help(for: bare)
    }

    private static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
