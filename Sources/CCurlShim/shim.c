// The wrappers are `static inline` in the header; this file exists because a C target needs a
// source file.
#include "CCurlShim.h"
