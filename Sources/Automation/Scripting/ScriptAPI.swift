import LuaRuntime

/// The scripting API, declared once: each function's documentation sits beside its
/// implementation, and docs/lua-api.md, the LuaLS annotation file, `lanyard check` and the
/// REPL's `:help` are all generated from these declarations, so they cannot drift apart.
struct APIFunction: Sendable {
    /// The global table the function lives in (`users`), or nil for a global function.
    let module: String?
    let name: String
    /// Parameters as LuaLS writes them: `query string|table`.
    let parameters: [APIParameter]
    /// LuaLS return types with a short description each.
    let returns: [APIReturn]
    let summary: String
    /// When it raises an error, and what a script should do about it.
    let errors: String?
    let example: String
    /// Builds the Lua function for one script run.
    let make: @Sendable (ScriptSession) -> LuaFunction

    var qualifiedName: String { module.map { "\($0).\(name)" } ?? name }
}

struct APIParameter: Sendable {
    let name: String
    let type: String
    let summary: String
    var isOptional: Bool { type.hasSuffix("?") }
}

struct APIReturn: Sendable {
    let type: String
    let summary: String
}

/// A kind of object scripts receive (a Selection, a User): its fields and methods.
struct APIType: Sendable {
    let name: String
    let summary: String
    let fields: [APIField]
    let methods: [APIMethod]
}

struct APIField: Sendable {
    let name: String
    let type: String
    let summary: String
}

struct APIMethod: Sendable {
    let name: String
    let parameters: [APIParameter]
    let returns: [APIReturn]
    let summary: String
    let example: String?
}

/// A global table of plain values, such as `school` and `args`.
struct APIValueTable: Sendable {
    let name: String
    let summary: String
    let fields: [APIField]
}

/// Everything the scripting API offers, in documentation order.
enum ScriptAPI {
    static var functions: [APIFunction] {
        UsersModule.functions + CodesModule.functions + ImportModule.functions + LinksModule.functions
            + ParentsModule.functions + DetailsModule.functions + EmailUpdatesModule.functions + LogModule.functions
            + ReportModule.functions + FilesModule.functions + JSONModule.functions
    }

    static var types: [APIType] { [UsersModule.selectionType, UsersModule.userType] }

    static var valueTables: [APIValueTable] { [SchoolTable.documentation, ArgsTable.documentation, RunTable.documentation] }

    /// The names of the global tables, for `lanyard check`.
    static var moduleNames: Set<String> {
        Set(functions.compactMap(\.module)).union(valueTables.map(\.name))
    }

    static func function(named qualifiedName: String) -> APIFunction? {
        functions.first { $0.qualifiedName == qualifiedName }
    }
}
