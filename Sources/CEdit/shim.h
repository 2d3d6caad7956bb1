#include <stdio.h>
#include <histedit.h>

// el_set, el_get and history take their arguments through `...`, and Swift cannot call C
// variadic functions, so each use Lanyard makes gets a typed wrapper. el_init needs the C
// library's stdin, stdout and stderr, mutable globals that Swift 6 rejects as unsafe.

static inline EditLine *lanyard_el_init(const char *program) {
    return el_init(program, stdin, stdout, stderr);
}

static inline int lanyard_el_set_prompt(EditLine *el, char *(*prompt)(EditLine *)) {
    return el_set(el, EL_PROMPT, prompt);
}

static inline int lanyard_el_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}

static inline int lanyard_el_set_history(EditLine *el, History *history_handle) {
    return el_set(el, EL_HIST, history, history_handle);
}

static inline int lanyard_el_add_function(EditLine *el, const char *name, const char *help,
                                          unsigned char (*function)(EditLine *, int)) {
    return el_set(el, EL_ADDFN, name, help, function);
}

static inline int lanyard_el_bind(EditLine *el, const char *key, const char *function) {
    return el_set(el, EL_BIND, key, function, NULL);
}

/// Clears ISIG in edit mode, so that Ctrl-C reaches the key bound to it instead of raising
/// SIGINT while a line is being typed.
static inline int lanyard_el_keep_interrupt_key(EditLine *el) {
    return el_set(el, EL_SETTY, "-d", "-isig", NULL);
}

static inline int lanyard_el_set_client_data(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}

static inline void *lanyard_el_client_data(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

static inline int lanyard_history_set_size(History *h, HistEvent *event, int size) {
    return history(h, event, H_SETSIZE, size);
}

static inline int lanyard_history_set_unique(History *h, HistEvent *event, int unique) {
    return history(h, event, H_SETUNIQUE, unique);
}

static inline int lanyard_history_enter(History *h, HistEvent *event, const char *line) {
    return history(h, event, H_ENTER, line);
}

static inline int lanyard_history_load(History *h, HistEvent *event, const char *path) {
    return history(h, event, H_LOAD, path);
}

static inline int lanyard_history_save(History *h, HistEvent *event, const char *path) {
    return history(h, event, H_SAVE, path);
}
