// The sandbox: which standard library functions scripts get, and the replacements that make the
// shared ones safe to share between runs.
//
// The libraries are opened once per state. Scripts see them through read-only views: empty
// proxy tables whose metatable reads from the real table and rejects writes. Each environment
// is a fresh copy of a template of globals, so nothing a run assigns is visible to the next.
#include "internal.h"

#include <string.h>

// MARK: - Read-only views

static int lanyard_read_only_newindex(lua_State *L) {
    lanyard_push_key_description(L, 2);
    return lanyard_error(L, "cannot set field %s of '%s': the table is read-only; keep your own values in a local table",
                         lua_tostring(L, -1), lua_tostring(L, lua_upvalueindex(1)));
}

/// The iterator that `pairs` returns for a view. Its upvalue is the real table, which scripts
/// must never get hold of, so `__pairs` cannot simply return `next, real`.
static int lanyard_read_only_next(lua_State *L) {
    lua_settop(L, 2);
    if (lua_next(L, lua_upvalueindex(1))) return 2;
    lua_pushnil(L);
    return 1;
}

static int lanyard_read_only_pairs(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_pushnil(L);
    return 3;
}

/// Replaces the table on top of the stack with a read-only view of it named `name`.
static void lanyard_wrap_read_only(lua_State *L, const char *name) {
    int real = lua_gettop(L);
    lua_createtable(L, 0, 0);
    int view = lua_gettop(L);

    lua_createtable(L, 0, 4);
    lua_pushvalue(L, real);
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, name);
    lua_pushcclosure(L, lanyard_read_only_newindex, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushvalue(L, real);
    lua_pushcclosure(L, lanyard_read_only_next, 1);
    lua_pushvalue(L, view);
    lua_pushcclosure(L, lanyard_read_only_pairs, 2);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, view);

    // Remember the view, so that the sandbox's rawset can reject it.
    lua_getfield(L, LUA_REGISTRYINDEX, LANYARD_READ_ONLY_KEY);
    lua_pushvalue(L, view);
    lua_pushstring(L, name);
    lua_rawset(L, -3);
    lua_pop(L, 1);

    lua_replace(L, real);
    lua_settop(L, real);
}

static int lanyard_make_read_only_protected(lua_State *L) {
    // Arguments: 1 table, 2 name.
    lua_pushvalue(L, 1);
    lanyard_wrap_read_only(L, lua_tostring(L, 2));
    return 1;
}

int lanyard_make_read_only(lua_State *L, const char *name) {
    lua_pushcfunction(L, lanyard_make_read_only_protected);
    lua_insert(L, -2);
    lua_pushstring(L, name);
    return lanyard_pcall(L, 2, 1);
}

// MARK: - Replacement functions

/// `load` with the mode forced to text, whatever the script passes; the env argument still works.
static int lanyard_sandbox_load(lua_State *L) {
    if (lua_gettop(L) < 3) lua_settop(L, 3);
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/// `collectgarbage("count")` only: other options would let a script steer the host's collector.
static int lanyard_sandbox_collectgarbage(lua_State *L) {
    const char *option = luaL_optstring(L, 1, "collect");
    if (strcmp(option, "count") != 0) {
        return lanyard_error(L, "collectgarbage('%s') is not allowed in scripts; only collectgarbage('count') is", option);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/// `setmetatable` that rejects `__gc`: Lua runs finalizers with hooks off, so a finalizer that
/// loops would escape the instruction limit.
static int lanyard_sandbox_setmetatable(lua_State *L) {
    // Checked here too, so that the message carries the script's position.
    if (lua_type(L, 1) == LUA_TTABLE && luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) {
        return lanyard_error(L, "cannot change a protected metatable");
    }
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        int found = lua_rawget(L, 2) != LUA_TNIL;
        lua_pop(L, 1);
        if (found) {
            return lanyard_error(L, "setmetatable: '__gc' metamethods are not allowed in scripts; "
                                 "close resources explicitly or with a to-be-closed variable (local x <close>)");
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/// `rawset` that rejects the read-only views, which would otherwise take a shadowing field.
static int lanyard_sandbox_rawset(lua_State *L) {
    if (lua_type(L, 1) == LUA_TTABLE) {
        lua_getfield(L, LUA_REGISTRYINDEX, LANYARD_READ_ONLY_KEY);
        lua_pushvalue(L, 1);
        if (lua_rawget(L, -2) == LUA_TSTRING) {
            return lanyard_error(L, "rawset cannot change '%s': the table is read-only; keep your own values in a local table",
                              lua_tostring(L, -1));
        }
        lua_pop(L, 2);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/// `print` that hands each line to the host instead of writing to standard output.
static int lanyard_sandbox_print(lua_State *L) {
    int count = lua_gettop(L);
    luaL_Buffer line;
    luaL_buffinit(L, &line);
    for (int i = 1; i <= count; i++) {
        if (i > 1) luaL_addchar(&line, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&line);
    }
    luaL_pushresult(&line);

    size_t length = 0;
    const char *text = lua_tolstring(L, -1, &length);
    lanyard_state *state = lanyard_state_of(L);
    if (state->callbacks.output != NULL) {
        int saved = state->enforcing;
        state->enforcing = 0;
        state->callbacks.output(state->callbacks.output_context, text, length);
        state->enforcing = saved;
    }
    return 0;
}

// MARK: - Template

/// Copies `names` from the table at `from` into the table at `to`.
static void lanyard_copy_fields(lua_State *L, int from, int to, const char *const *names) {
    for (; *names != NULL; names++) {
        lua_getfield(L, from, *names);
        lua_setfield(L, to, *names);
    }
}

/// Sets `template[name]` to a closure of `function` over the value of `globals[name]`.
static void lanyard_wrap_global(lua_State *L, int globals, int template, const char *name, lua_CFunction function) {
    lua_getfield(L, globals, name);
    lua_pushcclosure(L, function, 1);
    lua_setfield(L, template, name);
}

/// Opens `open` as library `name` and leaves the library table on the stack.
static void lanyard_open_library(lua_State *L, const char *name, lua_CFunction open) {
    luaL_requiref(L, name, open, 0);
}

static int lanyard_open_sandbox_protected(lua_State *L) {
    int with_output = lua_toboolean(L, 1);

    // Interned once, so that raising a stop never needs a new allocation.
    lua_pushliteral(L, "instruction limit exceeded");
    lua_setfield(L, LUA_REGISTRYINDEX, "lanyard.message.instructions");
    lua_pushliteral(L, "memory limit exceeded");
    lua_setfield(L, LUA_REGISTRYINDEX, "lanyard.message.memory");
    lua_pushliteral(L, "interrupted");
    lua_setfield(L, LUA_REGISTRYINDEX, "lanyard.message.interrupt");

    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LANYARD_READ_ONLY_KEY);

    lua_newtable(L);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_pushvalue(L, -1);
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, LANYARD_LOADED_KEY);

    // The libraries register themselves in the original globals, which no script can reach.
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    int globals = lua_gettop(L);
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    lua_pop(L, 1);

    lua_createtable(L, 0, 40);
    int template = lua_gettop(L);

    // Base library.
    static const char *const base[] = {
        "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget",
        "rawlen", "select", "tonumber", "tostring", "type", "xpcall", "warn", "_VERSION", NULL,
    };
    lanyard_copy_fields(L, globals, template, base);
    lanyard_wrap_global(L, globals, template, "load", lanyard_sandbox_load);
    lanyard_wrap_global(L, globals, template, "collectgarbage", lanyard_sandbox_collectgarbage);
    lanyard_wrap_global(L, globals, template, "setmetatable", lanyard_sandbox_setmetatable);
    lanyard_wrap_global(L, globals, template, "rawset", lanyard_sandbox_rawset);
    if (with_output) {
        lua_pushcfunction(L, lanyard_sandbox_print);
        lua_setfield(L, template, "print");
    }

    // string, without dump. The string metatable reads from the same copy.
    lanyard_open_library(L, LUA_STRLIBNAME, luaopen_string);
    lua_createtable(L, 0, 20);
    int strings = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, strings - 1)) {
        if (lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), "dump") == 0) {
            lua_pop(L, 1);
            continue;
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, strings);
    }
    lua_pushvalue(L, strings);
    lanyard_wrap_read_only(L, LUA_STRLIBNAME);
    int string_view = lua_gettop(L);
    lua_pushvalue(L, string_view);
    lua_setfield(L, template, LUA_STRLIBNAME);

    // getmetatable("") returns a read-only table whose __index is the read-only string view,
    // so `getmetatable("").__index == string` is still true and neither can be changed.
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, strings);
    lua_setfield(L, -2, "__index");
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, string_view);
    lua_setfield(L, -2, "__index");
    lanyard_wrap_read_only(L, "string metatable");
    lua_setfield(L, -2, "__metatable");
    lua_pushliteral(L, "");
    lua_insert(L, -2);
    lua_setmetatable(L, -2);
    lua_settop(L, template);

    // Libraries shared as they are, behind a view.
    static const struct {
        const char *name;
        lua_CFunction open;
    } shared[] = {
        {LUA_TABLIBNAME, luaopen_table},
        {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8},
        {LUA_COLIBNAME, luaopen_coroutine},
    };
    for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++) {
        lanyard_open_library(L, shared[i].name, shared[i].open);
        lanyard_wrap_read_only(L, shared[i].name);
        lua_setfield(L, template, shared[i].name);
    }

    // os: clocks and dates only.
    static const char *const os_fields[] = {"time", "clock", "date", "difftime", NULL};
    lanyard_open_library(L, LUA_OSLIBNAME, luaopen_os);
    lua_createtable(L, 0, 4);
    lanyard_copy_fields(L, lua_gettop(L) - 1, lua_gettop(L), os_fields);
    lanyard_wrap_read_only(L, LUA_OSLIBNAME);
    lua_setfield(L, template, LUA_OSLIBNAME);
    lua_pop(L, 1);

    // debug: traceback only.
    static const char *const debug_fields[] = {"traceback", NULL};
    lanyard_open_library(L, LUA_DBLIBNAME, luaopen_debug);
    lua_createtable(L, 0, 1);
    lanyard_copy_fields(L, lua_gettop(L) - 1, lua_gettop(L), debug_fields);
    lanyard_wrap_read_only(L, LUA_DBLIBNAME);
    lua_setfield(L, template, LUA_DBLIBNAME);
    lua_pop(L, 1);

    lua_pushvalue(L, template);
    lua_setfield(L, LUA_REGISTRYINDEX, LANYARD_TEMPLATE_KEY);

    // Chunks loaded outside a run get an empty table, never the full original globals.
    lua_newtable(L);
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    return 0;
}

int lanyard_open_sandbox(lua_State *L, int with_output) {
    lua_pushcfunction(L, lanyard_open_sandbox_protected);
    lua_pushboolean(L, with_output);
    return lanyard_pcall(L, 1, 0);
}

static int lanyard_set_template_global_protected(lua_State *L) {
    // Arguments: 1 value, 2 name.
    lua_getfield(L, LUA_REGISTRYINDEX, LANYARD_TEMPLATE_KEY);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, 1);
    lua_rawset(L, -3);
    return 0;
}

int lanyard_set_template_global(lua_State *L, const char *name) {
    lua_pushcfunction(L, lanyard_set_template_global_protected);
    lua_insert(L, -2);
    lua_pushstring(L, name);
    return lanyard_pcall(L, 2, 0);
}

void lanyard_push_template(lua_State *L) { lua_getfield(L, LUA_REGISTRYINDEX, LANYARD_TEMPLATE_KEY); }

// MARK: - Environments

static int lanyard_new_environment_protected(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, LANYARD_TEMPLATE_KEY);
    int template = lua_gettop(L);
    lua_createtable(L, 0, 48);
    int environment = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, template)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, environment);
    }
    lua_pushvalue(L, environment);
    lua_setfield(L, environment, LUA_GNAME);
    lua_pushinteger(L, luaL_ref(L, LUA_REGISTRYINDEX));
    return 1;
}

int lanyard_new_environment(lua_State *L, int *reference) {
    lua_pushcfunction(L, lanyard_new_environment_protected);
    int status = lanyard_pcall(L, 0, 1);
    if (status == LUA_OK) {
        *reference = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    return status;
}

int lanyard_swap_globals(lua_State *L, int reference) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    int previous = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_rawgeti(L, LUA_REGISTRYINDEX, reference);
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    return previous;
}

void lanyard_restore_globals(lua_State *L, int previous) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, previous);
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    luaL_unref(L, LUA_REGISTRYINDEX, previous);
}

void lanyard_push_loaded_modules(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, LANYARD_LOADED_KEY);
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    if (lua_rawget(L, -2) == LUA_TTABLE) {
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    lua_createtable(L, 0, 4);
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
    lua_remove(L, -2);
}
