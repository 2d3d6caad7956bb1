// The state's counting allocator, its instruction hook and the interrupt flag.
//
// Allocator policy: the memory cap applies only while Lua code is the innermost caller
// (`enforcing`). While a Swift function runs, the allocator does not refuse an allocation that
// Swift causes (pushing a string, creating a table). Going over the cap there stops the run only at Lua's next
// allocation, and only if Lua's emergency collection does not bring the state back under it.
// Because those API functions raise nothing but memory errors, Swift can call them without a
// protected call. When the system allocator itself fails in that mode, the process aborts, as
// Swift does when its own allocations fail.
#include "internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

// MARK: - Interrupt flag

struct lanyard_interrupt_flag {
    atomic_int value;
};

lanyard_interrupt_flag *lanyard_interrupt_flag_new(void) {
    lanyard_interrupt_flag *flag = malloc(sizeof *flag);
    if (flag != NULL) atomic_init(&flag->value, 0);
    return flag;
}

void lanyard_interrupt_flag_free(lanyard_interrupt_flag *flag) { free(flag); }

void lanyard_interrupt_flag_set(lanyard_interrupt_flag *flag, int value) {
    atomic_store_explicit(&flag->value, value, memory_order_relaxed);
}

int lanyard_interrupt_flag_get(lanyard_interrupt_flag *flag) {
    return atomic_load_explicit(&flag->value, memory_order_relaxed);
}

// MARK: - Allocator

static void *lanyard_allocate(void *user_data, void *block, size_t old_size, size_t new_size) {
    lanyard_state *state = user_data;
    // When `block` is NULL, `old_size` encodes the kind of object, not a size.
    size_t previous = block != NULL ? old_size : 0;

    if (new_size == 0) {
        free(block);
        state->memory_in_use -= previous;
        return NULL;
    }

    int growing = new_size > previous;
    if (growing && state->enforcing && state->memory_limit != 0) {
        if (state->stop_reason == LANYARD_STOP_MEMORY) return NULL;
        if (state->memory_in_use - previous + new_size > state->memory_limit) {
            // The first refusal of a run lets Lua collect garbage and retry (or lets the
            // script's pcall see "not enough memory"); the second one stops the run.
            if (state->refused_once) lanyard_stop(state, LANYARD_STOP_MEMORY);
            state->refused_once = 1;
            return NULL;
        }
    }

    void *resized = realloc(block, new_size);
    if (resized == NULL) {
        // Lua assumes that shrinking never fails (Lua 5.4 manual, lua_Alloc), and the old block
        // is still valid.
        if (!growing) return block;
        if (!state->enforcing) {
            fputs("lanyard: out of memory while Swift code was calling Lua\n", stderr);
            abort();
        }
        return NULL;
    }
    // Swift may take the state over the cap; Lua's next allocation then collects garbage and
    // stops the run if that does not bring it back under.
    state->memory_in_use = state->memory_in_use - previous + new_size;
    return resized;
}

// MARK: - Hook

static void lanyard_hook(lua_State *L, lua_Debug *debug) {
    (void)debug;
    lanyard_state *state = lanyard_state_of(L);
    if (state->stop_reason == LANYARD_STOP_NONE) {
        state->instructions_used += LANYARD_HOOK_INTERVAL;
        if (state->interrupt != NULL && lanyard_interrupt_flag_get(state->interrupt)) {
            lanyard_stop(state, LANYARD_STOP_INTERRUPT);
        } else if (state->instruction_limit != 0 && state->instructions_used > state->instruction_limit) {
            lanyard_stop(state, LANYARD_STOP_INSTRUCTIONS);
        }
    }
    if (state->stop_reason != LANYARD_STOP_NONE) {
        // Fire on every instruction of this thread from now on, so that a `pcall` in a loop
        // gets no instruction of its own after it catches the error.
        lua_sethook(L, lanyard_hook, LUA_MASKCOUNT, 1);
        lanyard_raise_stop(L, state);
    }
}

void lanyard_stop(lanyard_state *state, lanyard_stop_reason reason) {
    if (state->stop_reason != LANYARD_STOP_NONE) return;
    state->stop_reason = reason;
    // lua_sethook may be called asynchronously (lua.c calls it from a signal handler), so it is
    // safe from inside the allocator. Coroutines find the stop reason at their next hook.
    if (state->main_thread != NULL) lua_sethook(state->main_thread, lanyard_hook, LUA_MASKCOUNT, 1);
}

int lanyard_raise_stop(lua_State *L, lanyard_state *state) {
    switch (state->stop_reason) {
    case LANYARD_STOP_INSTRUCTIONS: lua_pushliteral(L, "instruction limit exceeded"); break;
    case LANYARD_STOP_MEMORY: lua_pushliteral(L, "memory limit exceeded"); break;
    case LANYARD_STOP_INTERRUPT: lua_pushliteral(L, "interrupted"); break;
    case LANYARD_STOP_NONE: lua_pushliteral(L, "stopped"); break;
    }
    return lua_error(L);
}

// MARK: - State

lua_State *lanyard_newstate(const lanyard_callbacks *callbacks, lanyard_interrupt_flag *interrupt) {
    lanyard_state *state = calloc(1, sizeof *state);
    if (state == NULL) return NULL;
    state->callbacks = *callbacks;
    state->interrupt = interrupt;
    state->error.source = state->error_source;
    state->error.line = -1;

    lua_State *L = lua_newstate(lanyard_allocate, state);
    if (L == NULL) {
        free(state);
        return NULL;
    }
    *(lanyard_state **)lua_getextraspace(L) = state;
    state->main_thread = L;
    lua_sethook(L, lanyard_hook, LUA_MASKCOUNT, LANYARD_HOOK_INTERVAL);
    // Generational collection suits scripts that make many short-lived values (a row and its
    // strings per iteration): it took a 100,000-row iteration from 120 to 83 ms (see
    // BenchmarkTests). NOTE: Lua 5.4.4 has a known generational-mode pacing bug after full
    // collections (fixed in 5.4.5), which affects speed, not correctness.
    lua_gc(L, LUA_GCGEN, 0, 0);
    return L;
}

void lanyard_close(lua_State *L) {
    lanyard_state *state = lanyard_state_of(L);
    state->enforcing = 0;
    lua_close(L);
    free(state);
}

void lanyard_set_memory_limit(lua_State *L, size_t bytes) { lanyard_state_of(L)->memory_limit = bytes; }

void lanyard_set_instruction_limit(lua_State *L, int64_t instructions) {
    lanyard_state_of(L)->instruction_limit = instructions;
}

size_t lanyard_memory_in_use(lua_State *L) { return lanyard_state_of(L)->memory_in_use; }

int64_t lanyard_instructions_used(lua_State *L) { return lanyard_state_of(L)->instructions_used; }

void lanyard_begin_run(lua_State *L) {
    lanyard_state *state = lanyard_state_of(L);
    state->instructions_used = 0;
    state->stop_reason = LANYARD_STOP_NONE;
    state->refused_once = 0;
    if (state->interrupt != NULL) lanyard_interrupt_flag_set(state->interrupt, 0);
    lua_sethook(state->main_thread, lanyard_hook, LUA_MASKCOUNT, LANYARD_HOOK_INTERVAL);
}

lanyard_stop_reason lanyard_finish_run(lua_State *L, int failed) {
    lanyard_state *state = lanyard_state_of(L);
    lanyard_stop_reason reason = state->stop_reason;
    // A run that failed after a refusal failed for memory: lauxlib's buffers (string.rep,
    // table.concat) raise "not enough memory" after one refusal, without Lua's retry.
    if (reason == LANYARD_STOP_NONE && failed && state->refused_once) reason = LANYARD_STOP_MEMORY;
    state->stop_reason = LANYARD_STOP_NONE;
    state->refused_once = 0;
    lua_sethook(state->main_thread, lanyard_hook, LUA_MASKCOUNT, LANYARD_HOOK_INTERVAL);
    // A run stopped for memory leaves its garbage behind; collect it now rather than make the
    // next run pay for it. Finalizers run protected and only release Swift objects.
    if (reason == LANYARD_STOP_MEMORY) lua_gc(L, LUA_GCCOLLECT);
    return reason;
}

void lanyard_note_push_failure(lua_State *L) { lanyard_state_of(L)->push_failed = 1; }

int lanyard_take_push_failure(lua_State *L) {
    lanyard_state *state = lanyard_state_of(L);
    int failed = state->push_failed;
    state->push_failed = 0;
    return failed;
}

int lanyard_push_failed(lua_State *L) { return lanyard_state_of(L)->push_failed; }
