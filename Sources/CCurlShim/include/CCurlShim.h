#ifndef LANYARD_CCURL_SHIM_H
#define LANYARD_CCURL_SHIM_H

// Typed wrappers for libcurl's variadic calls. Swift cannot call a C variadic function such as
// `curl_easy_setopt(CURL *, CURLoption, ...)` or `curl_easy_getinfo(CURL *, CURLINFO, ...)`,
// so each wrapper fixes the type of the one argument that follows the option. The option's
// documented type must match the wrapper: a `long` option through a pointer wrapper would read
// garbage. These can go if libcurl ever ships typed setters.

#include <curl/curl.h>

/// Sets an option whose argument is a `long` (flags, time-outs, `CURLOPT_USE_SSL`).
static inline CURLcode lanyard_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option whose argument is a C string. libcurl copies the string (since 7.17.0),
/// so the caller's buffer may go once this returns.
static inline CURLcode lanyard_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option whose argument is an opaque pointer (`CURLOPT_READDATA`, `CURLOPT_HEADERDATA`,
/// `CURLOPT_ERRORBUFFER`). libcurl keeps the pointer, so it must stay valid while it is set.
static inline CURLcode lanyard_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option whose argument is a string list (`CURLOPT_MAIL_RCPT`). libcurl keeps the list,
/// so it must not be freed while it is set.
static inline CURLcode lanyard_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets a read or header callback: both have the `curl_read_callback` signature
/// (buffer, size, count, user data).
static inline CURLcode lanyard_curl_setopt_callback(CURL *handle, CURLoption option, curl_read_callback value) {
    return curl_easy_setopt(handle, option, value);
}

/// Reads a `long` item of information (`CURLINFO_RESPONSE_CODE`).
static inline CURLcode lanyard_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif
