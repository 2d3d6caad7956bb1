import CLua
import CLuaShim

extension LuaState {
    // MARK: - Running chunks

    /// Compiles and runs a chunk of Lua source, returning what it returns.
    ///
    /// The chunk runs in `environment`, or in a fresh one when it is nil, within ``limits``.
    /// Messages name it `chunkName` (`script.lua:12: ...`). Only text is accepted, never
    /// precompiled bytecode.
    ///
    /// ```swift
    /// let results = try lua.run("return 1 + 1", chunkName: "sum.lua")   // [.integer(2)]
    /// ```
    /// - Parameters:
    ///   - arguments: values the chunk receives as `...`.
    /// - Throws: ``LuaError/syntax(message:location:)``, ``LuaError/runtime(message:location:traceback:)``,
    ///   a limit error, or ``LuaError/unconvertibleValue(path:reason:)`` when a result cannot be
    ///   copied to Swift (a table that contains itself).
    public func run(
        _ source: String,
        chunkName: String,
        arguments: [LuaValue] = [],
        in environment: LuaEnvironment? = nil
    ) throws(LuaError) -> [LuaValue] {
        try run(chunkName: chunkName, arguments: arguments, in: environment) { () -> Int32 in
            var source = source
            return source.withUTF8 { buffer in
                buffer.withMemoryRebound(to: CChar.self) { characters in
                    lanyard_load_buffer(state, characters.baseAddress, characters.count, "@" + chunkName)
                }
            }
        }
    }

    /// Compiles and runs the Lua file at `path`; messages name it by that path. A UTF-8 byte
    /// order mark and a first line starting with `#` are skipped.
    ///
    /// Lua shortens chunk names in messages to their last 57 bytes after `...`, so pass a path
    /// relative to the workspace (`scripts/term-start.lua`) to keep messages whole.
    ///
    /// - Throws: ``LuaError/fileNotReadable(path:reason:)`` when the file cannot be opened, and
    ///   the errors of ``run(_:chunkName:arguments:in:)``.
    public func runFile(
        atPath path: String,
        arguments: [LuaValue] = [],
        in environment: LuaEnvironment? = nil
    ) throws(LuaError) -> [LuaValue] {
        try run(chunkName: path, arguments: arguments, in: environment) { () -> Int32 in
            lanyard_load_file(state, path)
        }
    }

    /// Calls the function that global `name` of `environment` holds, as a run: within
    /// ``limits``, with copies of `arguments`, returning copies of its results. Unlike
    /// ``run(_:chunkName:arguments:in:)`` it compiles nothing, for functions the host calls often.
    ///
    /// - Throws: ``LuaError/syntax(message:location:)`` when the global is not a function, and
    ///   the errors of ``run(_:chunkName:arguments:in:)``.
    public func call(global name: String, arguments: [LuaValue] = [], in environment: LuaEnvironment) throws(LuaError) -> [LuaValue] {
        try run(chunkName: name, arguments: arguments, in: environment) { () -> Int32 in
            lua_rawgeti(state, lanyard_registry_index(), lua_Integer(environment.reference))
            StackValues.push(state, name)
            lua_rawget(state, -2)
            lua_rotate(state, -2, 1)
            lanyard_pop(state, 1)
            guard lua_type(state, -1) == LUA_TFUNCTION else {
                lanyard_pop(state, 1)
                StackValues.push(state, "global '\(name)' is not a function")
                return LUA_ERRSYNTAX
            }
            return LUA_OK
        }
    }

    /// Makes a fresh environment: a global table copied from the template. Pass it to several
    /// runs to share globals between them, as a REPL does.
    /// - Throws: ``LuaError`` only when the memory limit is already exceeded.
    public func makeEnvironment() throws(LuaError) -> LuaEnvironment {
        var reference: Int32 = 0
        try withCleanStack { () throws(LuaError) in
            try checkStatus(lanyard_new_environment(state, &reference), while: "creating an environment")
        }
        return LuaEnvironment(owner: self, reference: reference)
    }

    // MARK: - Steps of a run

    private func run(
        chunkName: String,
        arguments: [LuaValue],
        in environment: LuaEnvironment?,
        load: () -> Int32
    ) throws(LuaError) -> [LuaValue] {
        precondition(environment.map { $0.owner === self } ?? true, "the environment belongs to another LuaState")
        // A run inside a run (a plugin's hook reached from that plugin's own code, through a
        // host function) shares the outer run's limits: it neither resets nor reports them.
        let isNested = isRunning
        let runEnvironment: LuaEnvironment
        if let environment {
            runEnvironment = environment
        } else {
            runEnvironment = try makeEnvironment()
        }

        isRunning = true
        defer { isRunning = isNested }
        return try withCleanStack { () throws(LuaError) -> [LuaValue] in
            let base = lua_gettop(state)
            let previousGlobals = lanyard_swap_globals(state, runEnvironment.reference)
            defer { lanyard_restore_globals(state, previousGlobals) }

            // Compile, with the environment as the chunk's _ENV.
            let loadStatus = load()
            if loadStatus != LUA_OK {
                throw loadError(status: loadStatus, chunkName: chunkName)
            }
            for (position, argument) in arguments.enumerated() {
                guard lua_checkstack(state, 1) != 0 else {
                    throw LuaError.unconvertibleValue(path: "argument \(position + 1)", reason: "the Lua stack is full")
                }
                try StackValues.push(state, argument, path: "argument \(position + 1)")
            }

            // Run.
            if !isNested { lanyard_begin_run(state) }
            let status = lanyard_pcall(state, Int32(arguments.count), LUA_MULTRET)
            let stopReason = isNested ? LANYARD_STOP_NONE : lanyard_finish_run(state, status == LUA_OK ? 0 : 1)

            // Report.
            if stopReason != LANYARD_STOP_NONE {
                throw limitError(stopReason, chunkName: chunkName)
            }
            if status != LUA_OK {
                throw runtimeError()
            }
            var results: [LuaValue] = []
            let top = lua_gettop(state)
            if top > base {
                for index in (base + 1)...top {
                    results.append(try StackValues.read(state, at: index, path: "result \(index - base)"))
                }
            }
            return results
        }
    }

    private func loadError(status: Int32, chunkName: String) -> LuaError {
        let message = StackValues.describeError(state, at: -1)
        if status == LUA_ERRFILE {
            // luaL_loadfilex reports "cannot open PATH: REASON" or "cannot read PATH: REASON".
            let reason = message.split(separator: ": ", maxSplits: 1).dropFirst().first.map(String.init) ?? message
            return .fileNotReadable(path: chunkName, reason: reason)
        }
        return .syntax(message: message, location: Self.location(in: message, chunkName: chunkName))
    }

    /// Returns the `chunk:line:` at the start of a Lua message about `chunkName`.
    static func location(in message: String, chunkName: String) -> LuaSourceLocation {
        let prefix = chunkName + ":"
        guard message.hasPrefix(prefix) else { return LuaSourceLocation(chunk: chunkName, line: nil) }
        let digits = message.dropFirst(prefix.count).prefix(while: \.isNumber)
        return LuaSourceLocation(chunk: chunkName, line: Int(digits))
    }

    private func limitError(_ reason: lanyard_stop_reason, chunkName: String) -> LuaError {
        let details = lanyard_last_error_details(state)
        var location = LuaSourceLocation(chunk: chunkName, line: nil)
        if details.complete != 0, details.line > 0 {
            location = LuaSourceLocation(chunk: String(cString: details.source), line: Int(details.line))
        }
        switch reason {
        case LANYARD_STOP_INSTRUCTIONS:
            return .instructionLimitExceeded(limit: limits.instructions, location: location)
        case LANYARD_STOP_MEMORY:
            // Lua skips the message handler for most memory errors, so there is rarely a line.
            return .memoryLimitExceeded(
                limit: limits.memoryBytes,
                location: LuaSourceLocation(chunk: chunkName, line: nil)
            )
        default:
            return .interrupted(location: location)
        }
    }

    /// Splits the error that `lanyard_pcall` left on the stack into message and traceback.
    private func runtimeError() -> LuaError {
        let details = lanyard_last_error_details(state)
        guard details.complete != 0, lua_type(state, -1) == LUA_TSTRING else {
            // The message handler did not finish: a memory error (Lua skips the handler for
            // those) or an error inside the handler itself.
            return .runtime(message: StackValues.describeError(state, at: -1), location: nil, traceback: "")
        }
        let bytes = StackValues.bytes(state, at: -1)
        let messageLength = min(details.message_length, bytes.count)
        let message = String(decoding: bytes[..<messageLength], as: UTF8.self)
        var traceback = String(decoding: bytes[messageLength...], as: UTF8.self)
        if traceback.hasPrefix("\n") { traceback.removeFirst() }
        let location =
            details.line > 0
            ? LuaSourceLocation(chunk: String(cString: details.source), line: Int(details.line)) : nil
        return .runtime(message: message, location: location, traceback: traceback)
    }
}
