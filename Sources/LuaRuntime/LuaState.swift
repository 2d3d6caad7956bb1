import CLua
import CLuaShim

/// A Lua 5.4 state with Lanyard's sandbox and limits: the one owner of a `lua_State`.
///
/// A state is made once and runs many chunks. Each run gets a fresh global table copied from a
/// template (the safe standard library, and what the host registered), so globals one run sets
/// are never seen by the next. The standard library tables and host modules are read-only
/// views shared by all runs. Keeping one state saves rebuilding the host API per run; a REPL
/// keeps one ``LuaEnvironment`` across lines to keep its globals.
///
/// ```swift
/// let lua = try LuaState()
/// try lua.register(module: "users", functions: ["count": { call in call.push(42); return 1 }])
/// let results = try lua.run("return users.count() + 1", chunkName: "example.lua")
/// // results == [.integer(43)]
/// ```
///
/// ## Protection: Lua errors never unwind Swift frames
///
/// `lua_error` longjmps to the nearest `lua_pcall`, and a longjmp across Swift frames skips
/// their cleanup. Three rules keep every Lua error inside C:
///
/// 1. Lua calls Swift through C trampolines (`CLuaShim`). A Swift function returns a result
///    count, or a code asking the trampoline to raise the message it pushed. The trampoline
///    calls `lua_error` once the Swift frames have returned. A Swift `throw` therefore becomes a
///    Lua error that the script's `pcall` can catch.
/// 2. Work that can raise for any reason other than memory (calling Lua, metamethods, opening
///    libraries, building metatables and environments) runs inside C functions called with
///    `lua_pcall` (`lanyard_pcall` and the `lanyard_*` helpers that document it).
/// 3. The API functions Swift calls directly raise only memory errors (pushes,
///    `lua_createtable`, raw table access with keys Swift checked). The allocator does not fail
///    while Swift runs, because the memory cap applies only while Lua code is the innermost
///    caller; going over it from Swift stops the run at Lua's next allocation. If the system
///    allocator itself fails at that point, the process aborts, as Swift does for its own
///    allocations. This keeps the hot path (a field read pushing a string) free of a
///    `lua_pcall` per push.
///
/// A state is not thread-safe: use it from one thread at a time. Only ``interrupter`` may be
/// used from another thread.
public final class LuaState {
    let state: OpaquePointer
    /// Stops a running chunk from another thread.
    public let interrupter: LuaInterrupter
    private let outputSink: LuaOutputSink
    let moduleLoader: LuaModuleLoader?
    var isRunning = false

    /// The limits of each run. Changing them takes effect at the next run.
    public var limits: LuaLimits {
        didSet { applyLimits() }
    }

    /// Receives each line the script writes with `print`, without its line break. Without a
    /// handler, printed lines are dropped.
    public var output: ((String) -> Void)? {
        get { outputSink.handler }
        set { outputSink.handler = newValue }
    }

    /// Folders in which `require("a.b")` looks for `a/b.lua`, in order.
    public var moduleSearchPaths: [String] {
        get { moduleLoader?.searchPaths ?? [] }
        set { moduleLoader?.searchPaths = newValue }
    }

    /// Provides modules by name to `require` before it looks for files: `require "name"`
    /// returns a table of the functions given, cached like any module. Return nil for names
    /// the host does not provide; throw to make `require` raise the error.
    public var hostModules: ((String) throws -> [String: LuaFunction]?)? {
        get { moduleLoader?.hostModules }
        set { moduleLoader?.hostModules = newValue }
    }

    /// Whether `require` loads only files that lie inside their search folder once symbolic
    /// links are resolved. Plugins' states set it, so a link cannot reach files elsewhere.
    public var confinesModules: Bool {
        get { moduleLoader?.confinesToSearchPaths ?? false }
        set { moduleLoader?.confinesToSearchPaths = newValue }
    }

    /// Creates a state for scripts: the sandboxed standard library, `print` sent to
    /// ``output``, and `require` over ``moduleSearchPaths``.
    ///
    /// - Throws: ``LuaError`` when Lua cannot allocate the state or its libraries.
    public convenience init(limits: LuaLimits = .scriptDefaults, moduleSearchPaths: [String] = []) throws(LuaError) {
        try self.init(limits: limits, forScripts: true)
        self.moduleSearchPaths = moduleSearchPaths
    }

    /// Creates a sandboxed state; `forScripts` adds `print` and `require`, which configuration
    /// files do not get.
    init(limits: LuaLimits, forScripts: Bool) throws(LuaError) {
        let interrupter = LuaInterrupter()
        let outputSink = LuaOutputSink()
        var callbacks = makeCallbacks(outputSink: outputSink)
        guard let state = lanyard_newstate(&callbacks, interrupter.flag) else {
            throw LuaError.runtime(message: "cannot create a Lua state: out of memory", location: nil, traceback: "")
        }
        self.state = state
        self.interrupter = interrupter
        self.outputSink = outputSink
        self.limits = limits
        self.moduleLoader = forScripts ? LuaModuleLoader() : nil
        applyLimits()

        let status = lanyard_open_sandbox(state, forScripts ? 1 : 0)
        try checkStatus(status, while: "opening the Lua libraries")
        if let moduleLoader {
            try register(function: "require", moduleLoader.requireFunction())
        }
    }

    deinit {
        lanyard_close(state)
    }

    private func applyLimits() {
        lanyard_set_instruction_limit(state, Int64(limits.instructions))
        lanyard_set_memory_limit(state, limits.memoryBytes)
    }

    // MARK: - Registering globals

    /// Sets global `name` for every environment made from now on.
    /// - Throws: ``LuaError/unconvertibleValue(path:reason:)`` when `value` cannot be pushed.
    public func setGlobal(_ name: String, _ value: LuaValue) throws(LuaError) {
        try withCleanStack { () throws(LuaError) in
            try StackValues.push(state, value, path: name)
            try checkStatus(lanyard_set_template_global(state, name), while: "setting global '\(name)'")
        }
    }

    /// Makes `body` the global function `name` of every environment made from now on.
    /// - Throws: ``LuaError`` only when the memory limit is already exceeded.
    public func register(function name: String, _ body: @escaping LuaFunction) throws(LuaError) {
        try withCleanStack { () throws(LuaError) in
            LuaCall(hostState: state).push(function: name, body)
            try checkStatus(lanyard_set_template_global(state, name), while: "registering function '\(name)'")
        }
    }

    /// Makes a read-only table of functions and values the global `name` of every environment
    /// made from now on. Function `select` of module `users` is named `users.select` in
    /// argument errors.
    ///
    /// ```swift
    /// try lua.register(module: "users", functions: [
    ///     "select": { call in ... },
    ///     "get": { call in ... },
    /// ])
    /// ```
    /// - Throws: ``LuaError/unconvertibleValue(path:reason:)`` when a value cannot be pushed.
    public func register(
        module name: String,
        functions: [String: LuaFunction],
        values: [String: LuaValue] = [:]
    ) throws(LuaError) {
        try withCleanStack { () throws(LuaError) in
            let call = LuaCall(hostState: state)
            call.pushTable(fieldCapacity: functions.count + values.count)
            for (field, value) in values.sorted(by: { $0.key < $1.key }) {
                try StackValues.push(state, value, path: "\(name).\(field)")
                call.setField(field)
            }
            for (field, function) in functions.sorted(by: { $0.key < $1.key }) {
                call.push(function: "\(name).\(field)", function)
                call.setField(field)
            }
            try checkStatus(lanyard_make_read_only(state, name), while: "registering module '\(name)'")
            try checkStatus(lanyard_set_template_global(state, name), while: "registering module '\(name)'")
        }
    }

    // MARK: - Memory

    /// Bytes allocated by the state now, garbage included.
    public var memoryInUse: Int { lanyard_memory_in_use(state) }

    /// Instructions the last run executed, counted in steps of 1,000.
    public var instructionsUsed: Int { Int(lanyard_instructions_used(state)) }

    /// Runs a full garbage collection, releasing the Swift objects of unreachable userdata.
    public func collectGarbage() {
        lanyard_collect_garbage(state)
    }

    // MARK: - Helpers

    /// Runs `body` and puts the stack back to its height before, whether `body` throws or not.
    func withCleanStack<Result>(_ body: () throws(LuaError) -> Result) throws(LuaError) -> Result {
        let base = lua_gettop(state)
        defer { lua_settop(state, base) }
        guard lua_checkstack(state, 8) != 0 else {
            throw LuaError.runtime(message: "the Lua stack is full", location: nil, traceback: "")
        }
        let result = try body()
        if lanyard_take_push_failure(state) != 0 {
            throw LuaError.runtime(message: "the Lua stack is full", location: nil, traceback: "")
        }
        return result
    }

    /// Throws the error a protected helper left on the stack, if it failed.
    func checkStatus(_ status: Int32, while action: String) throws(LuaError) {
        guard status != LUA_OK else { return }
        let message = StackValues.describeError(state, at: -1)
        lanyard_pop(state, 1)
        throw LuaError.runtime(message: "\(action) failed: \(message)", location: nil, traceback: "")
    }
}
