import LuaRuntime

/// The names that can complete the word before the cursor in the REPL.
///
/// ```swift
/// let completion = repl.completions(for: "local s = users.se")
/// // completion.prefix == "se", completion.candidates == ["select"]
/// ```
public struct InteractiveCompletion: Sendable, Equatable {
    /// The part of the name typed so far, which every candidate starts with.
    public let prefix: String
    /// Whole names, sorted, each starting with ``prefix``.
    public let candidates: [String]

    public init(prefix: String, candidates: [String]) {
        self.prefix = prefix
        self.candidates = candidates
    }

    /// The longest text that every candidate starts with, never shorter than ``prefix``. TAB inserts it.
    public var commonPrefix: String {
        guard var common = candidates.first else { return prefix }
        for candidate in candidates.dropFirst() {
            while !candidate.hasPrefix(common) { common.removeLast() }
        }
        return common
    }
}

extension InteractiveSession {
    // MARK: - Completing names

    /// Completes the name that ends `text`, the line up to the cursor: a global (`us` ->
    /// `users`), a module function (`users.se` -> `users.select`), a field of `school`, of a
    /// table or of a User held in a global (`u.` -> `u.email`, ...), or a Selection's method
    /// (`s:` -> `s:count`). Globals come from the API declarations and from what earlier
    /// statements assigned.
    public func completions(for text: String) -> InteractiveCompletion {
        let word = String(text.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == ":" }.reversed())
        guard let separatorIndex = word.lastIndex(where: { $0 == "." || $0 == ":" }) else {
            return Self.matching(word, in: globalNames())
        }
        let path = word[..<separatorIndex].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let prefix = String(word[word.index(after: separatorIndex)...])
        let isMethodCall = word[separatorIndex] == ":"
        guard !path.isEmpty, path.allSatisfy(Self.isName) else { return InteractiveCompletion(prefix: prefix, candidates: []) }
        return Self.matching(prefix, in: memberNames(of: path, methods: isMethodCall))
    }

    private static func matching(_ prefix: String, in names: Set<String>) -> InteractiveCompletion {
        guard prefix.first?.isNumber != true else { return InteractiveCompletion(prefix: prefix, candidates: []) }
        return InteractiveCompletion(prefix: prefix, candidates: names.filter { $0.hasPrefix(prefix) }.sorted())
    }

    private static func isName(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// Keywords, the sandbox's globals, the API's modules and tables, the REPL's own functions,
    /// and the globals statements assigned.
    private func globalNames() -> Set<String> {
        var names = Self.luaKeywords.union(Self.sandboxGlobals).union(Self.standardLibraries.keys)
        names.formUnion(ScriptAPI.moduleNames)
        names.formUnion(ScriptAPI.functions.filter { $0.module == nil }.map(\.name))
        names.formUnion(["begin", "commit", "rollback"])
        names.formUnion(assignedGlobals().keys)
        return names
    }

    /// The globals statements assigned, without the REPL's hidden display function.
    private func assignedGlobals() -> [String: LuaValue] {
        var globals = (try? environment.assignedGlobals()) ?? [:]
        globals.removeValue(forKey: Self.displayFunction)
        return globals
    }

    /// Returns the fields (after `.`) or methods (after `:`) of the value at `path`.
    private func memberNames(of path: [String], methods: Bool) -> Set<String> {
        let root = path[0]
        let assigned = assignedGlobals()
        if path.count == 1, assigned[root] == nil {
            if methods { return [] }
            let functions = ScriptAPI.functions.filter { $0.module == root }.map(\.name)
            if !functions.isEmpty { return Set(functions) }
            if let table = ScriptAPI.valueTables.first(where: { $0.name == root }) {
                return root == "args" ? Set(session.arguments.keys) : Set(table.fields.map(\.name))
            }
            if let library = Self.standardLibraries[root] { return library }
        }

        var value = assigned[root] ?? .nil
        for component in path.dropFirst() {
            value = value[component] ?? .nil
        }
        return Self.memberNames(of: value, methods: methods)
    }

    /// Returns the fields or methods of a value copied from Lua: a User's or Selection's from the API
    /// declarations, a table's string keys, a string's methods.
    private static func memberNames(of value: LuaValue, methods: Bool) -> Set<String> {
        switch value {
        case .opaque(let typeName):
            guard let type = ScriptAPI.types.first(where: { $0.name == typeName }) else { return [] }
            return Set(methods ? type.methods.map(\.name) : type.fields.map(\.name))
        case .table(let entries) where !methods:
            return Set(entries.keys.compactMap(\.stringValue).filter(isName))
        case .string where methods:
            return standardLibraries["string"] ?? []
        default:
            return []
        }
    }

    // MARK: - Lua's names

    /// Lua 5.4's reserved words.
    public static let luaKeywords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    /// The base functions the script sandbox keeps (see `lanyard_open_sandbox` in CLuaShim).
    static let sandboxGlobals: Set<String> = [
        "assert", "collectgarbage", "error", "getmetatable", "ipairs", "load", "next", "pairs", "pcall", "print",
        "rawequal", "rawget", "rawlen", "rawset", "require", "select", "setmetatable", "tonumber", "tostring",
        "type", "warn", "xpcall", "_VERSION",
    ]

    /// The Lua 5.4 standard libraries as the sandbox offers them: `os` and `debug` cut down,
    /// `string` without `dump`, no `io`.
    static let standardLibraries: [String: Set<String>] = [
        "string": [
            "byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "match", "pack", "packsize", "rep",
            "reverse", "sub", "unpack", "upper",
        ],
        "table": ["concat", "insert", "move", "pack", "remove", "sort", "unpack"],
        "math": [
            "abs", "acos", "asin", "atan", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log", "max",
            "maxinteger", "min", "mininteger", "modf", "pi", "rad", "random", "randomseed", "sin", "sqrt", "tan",
            "tointeger", "type", "ult",
        ],
        "utf8": ["char", "charpattern", "codepoint", "codes", "len", "offset"],
        "coroutine": ["close", "create", "isyieldable", "resume", "running", "status", "wrap", "yield"],
        "os": ["clock", "date", "difftime", "time"],
        "debug": ["traceback"],
    ]
}
