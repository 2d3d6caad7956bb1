import CLua
import CLuaShim

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The sandbox's `require`: Lua source files only, from the host's folders, cached per
/// environment.
///
/// `require("reports.letters")` loads `reports/letters.lua` from the first search folder that
/// has it, runs it with the module name and the file path as arguments, and caches its result
/// (true when it returns nothing), like Lua's own `require`. There are no C modules and no
/// `package` table.
final class LuaModuleLoader {
    var searchPaths: [String] = []
    /// Modules the host provides as tables of functions, looked up before any file.
    var hostModules: ((String) throws -> [String: LuaFunction]?)?
    /// Whether a module file must lie inside its search folder once symbolic links are
    /// resolved, as a plugin's files must lie inside the plugin's folder.
    var confinesToSearchPaths = false

    /// The Lua function `require`. It captures the loader, not the state, so that the state's
    /// template does not keep the state alive.
    func requireFunction() -> LuaFunction {
        { [unowned self] call in try self.require(call) }
    }

    private func require(_ call: LuaCall) throws -> Int {
        let name = try call.string(at: 1)
        let relativePath = try Self.relativePath(ofModule: name)
        let state = call.state

        // Cached, or being loaded?
        lanyard_push_loaded_modules(state)
        let loaded = lua_gettop(state)
        call.push(name)
        lua_rawget(state, loaded)
        if lanyard_is_loading_marker(state, -1) != 0 {
            throw LuaModuleError.circular(name: name)
        }
        if lua_type(state, -1) != LUA_TNIL { return 1 }
        call.pop()

        // A module the host provides, such as a plugin's functions?
        if let hostModules, let functions = try hostModules(name) {
            call.pushTable(fieldCapacity: functions.count)
            for (field, function) in functions.sorted(by: { $0.key < $1.key }) {
                call.push(function: "\(name).\(field)", function)
                call.setField(field)
            }
            call.push(name)
            call.pushCopy(of: Int(lua_gettop(state)) - 1)
            lua_rawset(state, loaded)
            return 1
        }

        // Find, mark as loading, compile and run.
        let candidates = searchPaths.map { folder in
            folder.hasSuffix("/") ? folder + relativePath : folder + "/" + relativePath
        }
        guard let path = candidates.first(where: Self.isRegularFile) else {
            throw LuaModuleError.notFound(name: name, searched: candidates)
        }
        if confinesToSearchPaths, let folder = searchPaths.first(where: { path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }),
            !Self.isInside(path, folder: folder)
        {
            throw LuaModuleError.outsideFolder(name: name, path: path, folder: folder)
        }
        call.push(name)
        lanyard_push_loading_marker(state)
        lua_rawset(state, loaded)

        let status = lanyard_load_file(state, path)
        if status == LUA_OK {
            call.push(name)
            call.push(path)
        }
        let callStatus = status == LUA_OK ? lanyard_pcall_plain(state, 2, 1) : status
        guard callStatus == LUA_OK else {
            let message = StackValues.describeError(state, at: -1)
            call.push(name)
            call.pushNil()
            lua_rawset(state, loaded)
            throw LuaError.runtime(message: message, location: nil, traceback: "")
        }

        // Cache the result (true for nothing), and return it with the path.
        if lua_type(state, -1) == LUA_TNIL {
            call.pop()
            call.push(true)
        }
        let result = lua_gettop(state)
        call.push(name)
        call.pushCopy(of: Int(result))
        lua_rawset(state, loaded)
        call.push(path)
        return 2
    }

    /// `a/b.lua` for `a.b`; names are dot-separated words of letters, digits, `_` and `-`.
    static func relativePath(ofModule name: String) throws(LuaModuleError) -> String {
        let segments = name.split(separator: ".", omittingEmptySubsequences: false)
        let valid = segments.allSatisfy { segment in
            !segment.isEmpty
                && segment.unicodeScalars.allSatisfy { scalar in
                    scalar.isASCII
                        && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_"
                            || scalar == "-")
                }
        }
        guard valid else { throw LuaModuleError.invalidName(name) }
        return segments.joined(separator: "/") + ".lua"
    }

    /// Returns whether `path` is inside `folder`, both with symbolic links resolved.
    private static func isInside(_ path: String, folder: String) -> Bool {
        guard let realPath = realpath(path, nil), let realFolder = realpath(folder, nil) else { return false }
        defer {
            free(realPath)
            free(realFolder)
        }
        let resolvedFolder = String(cString: realFolder)
        return String(cString: realPath).hasPrefix(resolvedFolder.hasSuffix("/") ? resolvedFolder : resolvedFolder + "/")
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var information = stat()
        return stat(path, &information) == 0 && (information.st_mode & S_IFMT) == S_IFREG
    }
}

/// A failure of `require`, whose description is the Lua error message.
enum LuaModuleError: Error, CustomStringConvertible {
    case invalidName(String)
    case notFound(name: String, searched: [String])
    case circular(name: String)
    case outsideFolder(name: String, path: String, folder: String)

    var description: String {
        switch self {
        case .invalidName(let name):
            return "invalid module name '\(name)': use dot-separated names of letters, digits, '_' and '-', "
                + "such as 'reports.letters'"
        case .notFound(let name, let searched) where searched.isEmpty:
            return "module '\(name)' not found: no module folders are configured"
        case .notFound(let name, let searched):
            return "module '\(name)' not found; looked for "
                + searched.map { "'\($0)'" }.joined(separator: ", ")
                + "; put the file in one of those folders or fix the name"
        case .outsideFolder(let name, let path, let folder):
            return "module '\(name)' at '\(path)' leads outside '\(folder)' through a symbolic link; "
                + "copy the file into the folder instead of linking to it"
        case .circular(let name):
            return "module '\(name)' requires itself through a chain of require calls; "
                + "move the code both modules need into a third module"
        }
    }
}
