// Protected calls, the message handler, and the trampolines through which Lua calls Swift.
#include "internal.h"

#include <stdarg.h>
#include <string.h>

// MARK: - Errors raised from C

int lanyard_error(lua_State *L, const char *format, ...) {
    lua_Debug frame;
    int level = 1;
    while (lua_getstack(L, level, &frame)) {
        if (lua_getinfo(L, "Sl", &frame) && frame.currentline > 0) break;
        level++;
    }
    va_list arguments;
    va_start(arguments, format);
    if (lua_getstack(L, level, &frame) && frame.currentline > 0) {
        lua_pushfstring(L, "%s:%d: ", frame.short_src, frame.currentline);
    } else {
        lua_pushliteral(L, "");
    }
    lua_pushvfstring(L, format, arguments);
    va_end(arguments);
    lua_concat(L, 2);
    return lua_error(L);
}

void lanyard_push_key_description(lua_State *L, int index) {
    switch (lua_type(L, index)) {
    case LUA_TSTRING: lua_pushfstring(L, "'%s'", lua_tostring(L, index)); break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, index)) {
            lua_pushfstring(L, "[%I]", (LUAI_UACINT)lua_tointeger(L, index));
        } else {
            lua_pushfstring(L, "[%f]", (LUAI_UACNUMBER)lua_tonumber(L, index));
        }
        break;
    default: lua_pushfstring(L, "a %s key", luaL_typename(L, index)); break;
    }
}

// MARK: - Message handler

/// Replaces the error value with a string, when that is safe. Runs under lua_pcall, because a
/// `__tostring` metamethod may raise or loop.
static int lanyard_describe_error_value(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    return 1;
}

/// Records where the error happened and turns the error value into "message\ntraceback".
static int lanyard_message_handler(lua_State *L) {
    lanyard_state *state = lanyard_state_of(L);

    // Where: the innermost Lua function on the stack (level 0 is this handler).
    state->error_source[0] = '\0';
    state->error.line = -1;
    lua_Debug frame;
    for (int level = 1; lua_getstack(L, level, &frame); level++) {
        if (lua_getinfo(L, "Sl", &frame) && frame.currentline > 0) {
            strncpy(state->error_source, frame.short_src, LUA_IDSIZE - 1);
            state->error_source[LUA_IDSIZE - 1] = '\0';
            state->error.line = frame.currentline;
            break;
        }
    }

    // What: strings and numbers as they are, other values through `__tostring` if they have one.
    int type = lua_type(L, 1);
    if (type == LUA_TNUMBER) {
        lua_pushvalue(L, 1);
        lua_tolstring(L, -1, NULL);
    } else if (type != LUA_TSTRING) {
        if (luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL) {
            lua_pop(L, 1);
            lua_pushcfunction(L, lanyard_describe_error_value);
            lua_pushvalue(L, 1);
            if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
                lua_pop(L, 1);
                lua_pushfstring(L, "(error object is a %s value whose __tostring failed)",
                                lanyard_type_name(L, 1));
            }
        } else {
            lua_pushfstring(L, "(error object is a %s value)", lanyard_type_name(L, 1));
        }
    } else {
        lua_pushvalue(L, 1);
    }

    size_t length = 0;
    const char *message = lua_tolstring(L, -1, &length);
    state->error.message_length = length;
    luaL_traceback(L, L, message, 1);
    state->error.complete = 1;
    return 1;
}

// MARK: - Protected calls

static int lanyard_call_protected(lua_State *L, int nargs, int nresults, int with_handler) {
    lanyard_state *state = lanyard_state_of(L);
    state->error.complete = 0;
    if (!lua_checkstack(L, 1)) {
        // The only failure here is a stack at its maximum size. The function and its arguments
        // are replaced by a message, as lua_pcall does for errors.
        lua_pop(L, nargs + 1);
        lua_pushliteral(L, "stack overflow");
        return LUA_ERRERR;
    }
    int function_index = lua_gettop(L) - nargs;
    if (with_handler) {
        lua_pushcfunction(L, lanyard_message_handler);
        lua_insert(L, function_index);
    }

    int saved = state->enforcing;
    state->enforcing = 1;
    int status = lua_pcall(L, nargs, nresults, with_handler ? function_index : 0);
    state->enforcing = saved;

    if (with_handler) lua_remove(L, function_index);
    return status;
}

int lanyard_pcall(lua_State *L, int nargs, int nresults) { return lanyard_call_protected(L, nargs, nresults, 1); }

int lanyard_pcall_plain(lua_State *L, int nargs, int nresults) {
    return lanyard_call_protected(L, nargs, nresults, 0);
}

lanyard_error_details lanyard_last_error_details(lua_State *L) { return lanyard_state_of(L)->error; }

// MARK: - Loading

int lanyard_load_buffer(lua_State *L, const char *bytes, size_t length, const char *chunkname) {
    return luaL_loadbufferx(L, bytes, length, chunkname, "t");
}

int lanyard_load_file(lua_State *L, const char *path) { return luaL_loadfilex(L, path, "t"); }

// MARK: - Trampolines

/// Raises the error a Swift function left on the stack. Called only from C frames.
static int lanyard_raise_from_swift(lua_State *L, int code) {
    if (code == LANYARD_RAISE_WITH_POSITION && lua_type(L, -1) == LUA_TSTRING) {
        return lanyard_error(L, "%s", lua_tostring(L, -1));
    }
    return lua_error(L);
}

/// Calls into Swift with the memory cap lifted, and turns its result into results or an error.
static int lanyard_call_swift(lua_State *L, void *callable, lua_Integer selector, void *object) {
    lanyard_state *state = lanyard_state_of(L);
    int saved = state->enforcing;
    state->enforcing = 0;
    int results = state->callbacks.call(L, callable, selector, object, lua_gettop(L));
    state->enforcing = saved;

    if (state->push_failed) {
        state->push_failed = 0;
        if (results >= 0) {
            lua_pushliteral(L, "stack overflow: a Swift function pushed more values than the Lua stack holds");
            results = LANYARD_RAISE_WITH_POSITION;
        }
    }
    if (results < 0) return lanyard_raise_from_swift(L, results);
    if (results > lua_gettop(L)) {
        return luaL_error(L, "a Swift function returned %d results but pushed fewer", results);
    }
    return results;
}

/// The Lua function behind every Swift function: upvalue 1 is the userdata owning the callable.
static int lanyard_function_trampoline(lua_State *L) {
    void **slot = lua_touserdata(L, lua_upvalueindex(1));
    return lanyard_call_swift(L, *slot, 0, NULL);
}

/// `__gc` of every userdata that owns a Swift object (callables and objects alike).
static int lanyard_release(lua_State *L) {
    void **slot = lua_touserdata(L, 1);
    if (slot != NULL && *slot != NULL) {
        void *object = *slot;
        *slot = NULL;
        // A deinit may reach the Lua API (an environment dropping its registry reference), so
        // it runs with the cap lifted, like any Swift code.
        lanyard_state *state = lanyard_state_of(L);
        int saved = state->enforcing;
        state->enforcing = 0;
        state->callbacks.release(object);
        state->enforcing = saved;
    }
    return 0;
}

/// Pushes the metatable of callables, creating it on first use.
static void lanyard_push_callable_metatable(lua_State *L) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, LANYARD_CALLABLE_KEY) != LUA_TNIL) return;
    lua_pop(L, 1);
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, lanyard_release);
    lua_setfield(L, -2, "__gc");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, LANYARD_CALLABLE_KEY);
}

void lanyard_push_callable(lua_State *L, void *retained_callable) {
    void **slot = lua_newuserdatauv(L, sizeof(void *), 0);
    *slot = retained_callable;
    lanyard_push_callable_metatable(L);
    lua_setmetatable(L, -2);
    lua_pushcclosure(L, lanyard_function_trampoline, 1);
}

// MARK: - Objects

void lanyard_push_object(lua_State *L, void *retained_object, int metatable_reference) {
    void **slot = lua_newuserdatauv(L, sizeof(void *), 0);
    *slot = retained_object;
    lua_rawgeti(L, LUA_REGISTRYINDEX, metatable_reference);
    lua_setmetatable(L, -2);
}

void *lanyard_object_at(lua_State *L, int index, const void *metatable) {
    if (lua_type(L, index) != LUA_TUSERDATA || !lua_checkstack(L, 1)) return NULL;
    if (!lua_getmetatable(L, index)) return NULL;
    const void *actual = lua_topointer(L, -1);
    lua_pop(L, 1);
    if (actual != metatable) return NULL;
    void **slot = lua_touserdata(L, index);
    return *slot;
}

/// `__index` of Swift objects. Upvalues: 1 the fields table (name to reader number), 2 the
/// methods table, 3 the field reader callable or nil, 4 the fallback callable or nil, 5 the
/// type name. Fields come before methods because scripts read them far more often.
static int lanyard_object_index(lua_State *L) {
    // Only this metatable's objects reach this function, because scripts cannot get at it, and
    // Lua passes exactly the object and the key.
    void **self = lua_touserdata(L, 1);

    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TNUMBER) {
        lua_Integer field = lua_tointeger(L, -1);
        lua_pop(L, 1);
        if (*self == NULL) {
            return lanyard_error(L, "%s object used after it was released", lua_tostring(L, lua_upvalueindex(5)));
        }
        void **reader = lua_touserdata(L, lua_upvalueindex(3));
        int results = lanyard_call_swift(L, *reader, field, *self);
        // A reader that pushed nothing reads as nil.
        if (lua_gettop(L) == 2) lua_pushnil(L);
        return results;
    }
    lua_pop(L, 1);

    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL) return 1;
    lua_pop(L, 1);

    void **fallback = lua_touserdata(L, lua_upvalueindex(4));
    if (fallback != NULL && *self != NULL) return lanyard_call_swift(L, *fallback, 0, *self);

    const char *type = lua_tostring(L, lua_upvalueindex(5));
    if (lua_type(L, 2) == LUA_TSTRING) {
        return lanyard_error(L, "%s has no field or method '%s'; check the name", type, lua_tostring(L, 2));
    }
    return lanyard_error(L, "%s cannot be indexed with a %s key; use a field name", type, luaL_typename(L, 2));
}

static int lanyard_object_newindex(lua_State *L) {
    lanyard_push_key_description(L, 2);
    return lanyard_error(L, "cannot set field %s of %s: its fields are read-only", lua_tostring(L, -1),
                         lua_tostring(L, lua_upvalueindex(1)));
}

/// Pushes the callable owned by a new userdata, or nil for NULL.
static void lanyard_push_callable_box(lua_State *L, void *retained_callable) {
    if (retained_callable == NULL) {
        lua_pushnil(L);
        return;
    }
    void **slot = lua_newuserdatauv(L, sizeof(void *), 0);
    *slot = retained_callable;
    lanyard_push_callable_metatable(L);
    lua_setmetatable(L, -2);
}

static int lanyard_build_object_metatable(lua_State *L) {
    // Arguments: 1 methods, 2 fields, 3 name, 4 field reader (light userdata), 5 fallback.
    const char *name = lua_tostring(L, 3);
    lua_createtable(L, 0, 8);
    int metatable = lua_gettop(L);

    lua_pushvalue(L, 3);
    lua_setfield(L, metatable, "__name");
    lua_pushvalue(L, 3);
    lua_setfield(L, metatable, "__metatable");
    lua_pushcfunction(L, lanyard_release);
    lua_setfield(L, metatable, "__gc");
    lua_pushvalue(L, 3);
    lua_pushcclosure(L, lanyard_object_newindex, 1);
    lua_setfield(L, metatable, "__newindex");

    lua_pushvalue(L, 2);
    lua_pushvalue(L, 1);
    lanyard_push_callable_box(L, lua_touserdata(L, 4));
    lanyard_push_callable_box(L, lua_touserdata(L, 5));
    lua_pushstring(L, name);
    lua_pushcclosure(L, lanyard_object_index, 5);
    lua_setfield(L, metatable, "__index");
    return 1;
}

int lanyard_new_object_metatable(lua_State *L, const char *name, void *field_reader, void *fallback_index) {
    // The two tables are on top; the C function takes them as its first two arguments.
    lua_pushcfunction(L, lanyard_build_object_metatable);
    lua_insert(L, -3);
    lua_pushstring(L, name);
    lua_pushlightuserdata(L, field_reader);
    lua_pushlightuserdata(L, fallback_index);
    return lanyard_pcall(L, 5, 1);
}

// MARK: - Modules

static const char lanyard_loading_marker = 0;

void lanyard_push_loading_marker(lua_State *L) { lua_pushlightuserdata(L, (void *)&lanyard_loading_marker); }

int lanyard_is_loading_marker(lua_State *L, int index) {
    return lua_type(L, index) == LUA_TLIGHTUSERDATA && lua_touserdata(L, index) == &lanyard_loading_marker;
}

// MARK: - Argument errors

int lanyard_called_as_method(lua_State *L) {
    lua_Debug frame;
    if (!lua_getstack(L, 0, &frame) || !lua_getinfo(L, "n", &frame)) return 0;
    return frame.namewhat != NULL && strcmp(frame.namewhat, "method") == 0;
}

const char *lanyard_type_name(lua_State *L, int index) {
    if (lua_checkstack(L, 1) && luaL_getmetafield(L, index, "__name") != LUA_TNIL) {
        if (lua_type(L, -1) == LUA_TSTRING) {
            // The name stays alive in the metatable after the pop.
            const char *name = lua_tostring(L, -1);
            lua_pop(L, 1);
            return name;
        }
        lua_pop(L, 1);
    }
    return luaL_typename(L, index);
}
