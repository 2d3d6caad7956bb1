// The C side of Lanyard's Lua embedding.
//
// Swift must never be unwound by `lua_error`'s longjmp. So this target contains every place
// where Lua raises an error on behalf of Swift. Those are the trampolines through which Lua
// calls Swift, the instruction hook, the allocator with its memory cap, the message handler,
// and the sandbox's replacement library functions. Swift reaches Lua only through functions that cannot raise
// (see the allocator policy in state.c) or through `lanyard_pcall` and other helpers that run
// their work under `lua_pcall`.
#ifndef LANYARD_CLUA_SHIM_H
#define LANYARD_CLUA_SHIM_H

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stddef.h>
#include <stdint.h>

// MARK: - Callbacks into Swift

/// Return code of a Swift function that failed: the trampoline raises the value on top of the
/// stack as it is.
static const int LANYARD_RAISE = -1;
/// Raise the string on top of the stack, prefixed with the caller's `chunk:line:`.
static const int LANYARD_RAISE_WITH_POSITION = -2;

/// Calls the Swift callable `callable` (an unmanaged Swift object) with `argument_count`
/// arguments on the stack. `selector` is 0 for a plain function, or the field number for a
/// field read, where `object` is the userdata's Swift object. Returns the number of results
/// pushed, or one of the `LANYARD_RAISE` codes.
typedef int (*lanyard_call_function)(lua_State *L, void *callable, lua_Integer selector, void *object,
                                     int argument_count);
/// Releases one retained Swift object (called from `__gc`).
typedef void (*lanyard_release_function)(void *object);
/// Receives one line written by the script's `print`, without its line break.
typedef void (*lanyard_output_function)(void *context, const char *text, size_t length);

typedef struct lanyard_callbacks {
    lanyard_call_function call;
    lanyard_release_function release;
    lanyard_output_function output;
    void *output_context;
} lanyard_callbacks;

// MARK: - Interrupt flag

/// An atomic flag that another thread sets to stop the running chunk at its next hook.
typedef struct lanyard_interrupt_flag lanyard_interrupt_flag;

lanyard_interrupt_flag *lanyard_interrupt_flag_new(void);
void lanyard_interrupt_flag_free(lanyard_interrupt_flag *flag);
void lanyard_interrupt_flag_set(lanyard_interrupt_flag *flag, int value);
int lanyard_interrupt_flag_get(lanyard_interrupt_flag *flag);

// MARK: - States and limits

/// Reason the host stopped the last run, as opposed to an error of the script's own.
typedef enum lanyard_stop_reason {
    LANYARD_STOP_NONE = 0,
    LANYARD_STOP_INSTRUCTIONS = 1,
    LANYARD_STOP_MEMORY = 2,
    LANYARD_STOP_INTERRUPT = 3,
} lanyard_stop_reason;

/// Creates a state with the counting allocator and the instruction hook, and no libraries.
/// Returns NULL when the state cannot be allocated. `interrupt` must outlive the state.
lua_State *lanyard_newstate(const lanyard_callbacks *callbacks, lanyard_interrupt_flag *interrupt);
/// Closes the state (running every `__gc`) and frees the limit bookkeeping.
void lanyard_close(lua_State *L);

/// Sets the memory cap in bytes for the whole state; 0 means no cap.
void lanyard_set_memory_limit(lua_State *L, size_t bytes);
/// Sets the instruction budget of one run; 0 means no budget.
void lanyard_set_instruction_limit(lua_State *L, int64_t instructions);
/// Bytes currently allocated by the state.
size_t lanyard_memory_in_use(lua_State *L);
/// Instructions counted since the last `lanyard_begin_run`, rounded up to the hook interval.
int64_t lanyard_instructions_used(lua_State *L);

/// Resets the counters, the stop reason and the interrupt flag before a run.
void lanyard_begin_run(lua_State *L);
/// Returns why the run was stopped, and makes the state usable again for the next run.
/// `failed` is nonzero when the run ended with an error.
lanyard_stop_reason lanyard_finish_run(lua_State *L, int failed);

// MARK: - Protected calls and errors

/// Calls the function below the `nargs` arguments on top of the stack under `lua_pcall`, with a
/// message handler that records where the error happened and appends a traceback.
int lanyard_pcall(lua_State *L, int nargs, int nresults);
/// Like `lanyard_pcall`, but without the message handler, so the error value stays as raised.
int lanyard_pcall_plain(lua_State *L, int nargs, int nresults);

/// Location of the last error that `lanyard_pcall`'s message handler handled.
typedef struct lanyard_error_details {
    /// True when the message handler ran to its end for the last error.
    int complete;
    /// `short_src` of the innermost Lua function on the stack, or "" when there was none.
    const char *source;
    /// Its current line, or -1.
    int line;
    /// Length of the message part of the handler's result; a traceback follows it.
    size_t message_length;
} lanyard_error_details;

lanyard_error_details lanyard_last_error_details(lua_State *L);

/// Loads a text chunk (binary chunks are rejected) and pushes the function or an error message.
int lanyard_load_buffer(lua_State *L, const char *bytes, size_t length, const char *chunkname);
/// Loads a text file (binary chunks are rejected) and pushes the function or an error message.
/// The chunk name is `@path`, so messages read `path:line:`.
int lanyard_load_file(lua_State *L, const char *path);

// MARK: - Swift functions and objects

/// Pushes a Lua function that calls `retained_callable`; the function owns one retain of it.
void lanyard_push_callable(lua_State *L, void *retained_callable);
/// Pushes a full userdata owning one retain of `retained_object`, with the registry
/// metatable `metatable_reference`.
void lanyard_push_object(lua_State *L, void *retained_object, int metatable_reference);
/// Returns the Swift object of the userdata at `index` if its metatable is `metatable`, else NULL.
void *lanyard_object_at(lua_State *L, int index, const void *metatable);

/// Builds a metatable for Swift objects named `name`, from the methods table and the fields
/// table (field name to reader number, from 0) on top of the stack, which are popped. `field_reader` and
/// `fallback_index` are retained callables or NULL. Leaves the metatable on the stack.
/// Runs under `lua_pcall`; returns its status.
int lanyard_new_object_metatable(lua_State *L, const char *name, void *field_reader, void *fallback_index);

/// Returns 1 when the running C function was called with method syntax (`object:name()`).
int lanyard_called_as_method(lua_State *L);
/// The type name used in argument errors: the `__name` of the value's metatable, else its type.
const char *lanyard_type_name(lua_State *L, int index);

// MARK: - Sandbox

/// Opens the safe subset of the standard libraries and builds the template of globals that
/// each environment copies. `with_output` adds `print`. Runs under `lua_pcall`.
int lanyard_open_sandbox(lua_State *L, int with_output);
/// Pops the value on top of the stack and stores it as global `name` in the template.
/// Runs under `lua_pcall`.
int lanyard_set_template_global(lua_State *L, const char *name);
/// Replaces the table on top of the stack with a read-only view named `name`.
/// Runs under `lua_pcall`.
int lanyard_make_read_only(lua_State *L, const char *name);
/// Creates a fresh environment (a copy of the template with `_G` set to itself), anchors it in
/// the registry and stores its reference in `reference`. Runs under `lua_pcall`.
int lanyard_new_environment(lua_State *L, int *reference);
/// Makes the table at the registry reference `reference` the globals of chunks loaded from now
/// on (`lua_load` and the script's `load`). Returns a registry reference to the previous
/// globals, to pass to `lanyard_restore_globals`.
int lanyard_swap_globals(lua_State *L, int reference);
/// Restores the globals saved by `lanyard_swap_globals` and drops the reference.
void lanyard_restore_globals(lua_State *L, int previous);
/// Pushes the template table of globals.
void lanyard_push_template(lua_State *L);
/// Pushes the per-environment table of loaded modules for the current globals, creating it
/// when missing.
void lanyard_push_loaded_modules(lua_State *L);

/// Pushes the value that marks a module as being loaded, to detect circular `require` calls.
void lanyard_push_loading_marker(lua_State *L);
/// Returns 1 when the value at `index` is the loading marker.
int lanyard_is_loading_marker(lua_State *L, int index);

/// Records that a push from Swift found the stack full; the Swift function then fails.
void lanyard_note_push_failure(lua_State *L);
/// Returns the push failure flag. The trampoline checks and clears it when Swift returns.
int lanyard_push_failed(lua_State *L);
/// Returns and clears the push failure flag, for pushes made outside a Swift function.
int lanyard_take_push_failure(lua_State *L);

// MARK: - Macros that Swift cannot import

static inline void lanyard_pop(lua_State *L, int n) { lua_settop(L, -(n) - 1); }
static inline int lanyard_registry_index(void) { return LUA_REGISTRYINDEX; }
static inline int lanyard_upvalue_index(int i) { return lua_upvalueindex(i); }
/// `lua_gc` is variadic, which Swift cannot call. A full collection runs finalizers in
/// protected mode, so it raises nothing.
static inline void lanyard_collect_garbage(lua_State *L) { lua_gc(L, LUA_GCCOLLECT); }

#endif
