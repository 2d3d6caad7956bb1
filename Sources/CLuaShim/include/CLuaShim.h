#ifndef LANYARD_CLUA_SHIM_H
#define LANYARD_CLUA_SHIM_H
#include <lua.h>
#endif
