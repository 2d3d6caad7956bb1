// Bookkeeping shared by the C files of the shim; not visible to Swift.
#ifndef LANYARD_CLUA_SHIM_INTERNAL_H
#define LANYARD_CLUA_SHIM_INTERNAL_H

#include "CLuaShim.h"

/// How many VM instructions run between two calls of the count hook.
#define LANYARD_HOOK_INTERVAL 1000

/// Registry keys of the tables the shim keeps.
#define LANYARD_TEMPLATE_KEY "lanyard.template"
#define LANYARD_READ_ONLY_KEY "lanyard.read_only"
#define LANYARD_LOADED_KEY "lanyard.loaded"
#define LANYARD_CALLABLE_KEY "lanyard.callable"

/// Per-state data. The allocator gets it as its user data. Everything else reads the pointer
/// from the state's extra space, which Lua copies into every coroutine it creates.
typedef struct lanyard_state {
    lanyard_callbacks callbacks;
    lanyard_interrupt_flag *interrupt;
    lua_State *main_thread;

    // Memory cap, in bytes (0 = none).
    size_t memory_in_use;
    size_t memory_limit;
    /// True while Lua code is the innermost caller, so that the cap applies. False while Swift
    /// runs, so that an allocation made for Swift is refused only by the system allocator,
    /// which then aborts the process instead of raising.
    int enforcing;
    /// Set when an allocation went over the cap in this run. Lua then runs an emergency
    /// collection and retries; a second refusal in the same run stops it.
    int refused_once;

    // Instruction budget for one run (0 = none).
    int64_t instruction_limit;
    int64_t instructions_used;

    lanyard_stop_reason stop_reason;
    /// Set when Swift could not push a value because the stack was at its maximum size.
    int push_failed;

    // Details that the message handler recorded about the last error.
    lanyard_error_details error;
    char error_source[LUA_IDSIZE];
} lanyard_state;

static inline lanyard_state *lanyard_state_of(lua_State *L) {
    return *(lanyard_state **)lua_getextraspace(L);
}

/// Records why the run must stop (the first reason wins) and makes every thread's hook fire.
void lanyard_stop(lanyard_state *state, lanyard_stop_reason reason);

/// Raises a formatted error prefixed with `chunk:line:` of the innermost Lua function, even when
/// C functions (`table.insert`, `pcall`) sit between it and the raise. Never returns.
int lanyard_error(lua_State *L, const char *format, ...);

/// Pushes "[key]" for a number key, "'key'" for a string key, or "a <type> key" otherwise.
void lanyard_push_key_description(lua_State *L, int index);

/// Raises the Lua error that ends a stopped run. Never returns.
int lanyard_raise_stop(lua_State *L, lanyard_state *state);

#endif
