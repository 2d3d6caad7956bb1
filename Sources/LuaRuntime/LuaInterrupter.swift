import CLuaShim

/// Stops a running chunk from another thread, for Ctrl-C in a REPL.
///
/// The flag is checked every 1,000 VM instructions, so a script stuck inside one long C call
/// (a huge `string.rep`) stops only when that call returns. Each run clears the flag when it
/// starts, so an interrupt that arrives between runs is dropped.
///
/// ```swift
/// let interrupter = state.interrupter
/// signalSource.setEventHandler { interrupter.interrupt() }
/// ```
public final class LuaInterrupter: @unchecked Sendable {
    // @unchecked: the only state is a pointer, fixed at init, to an atomic int that C reads and
    // writes with atomic operations.
    let flag: OpaquePointer

    init() {
        guard let flag = lanyard_interrupt_flag_new() else {
            fatalError("cannot allocate the Lua interrupt flag: out of memory")
        }
        self.flag = flag
    }

    deinit { lanyard_interrupt_flag_free(flag) }

    /// Asks the running chunk to stop with ``LuaError/interrupted(location:)``. Safe from any thread.
    public func interrupt() { lanyard_interrupt_flag_set(flag, 1) }
}
