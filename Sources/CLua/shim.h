// CLua: Debian's liblua5.4 for Swift. Inline wrappers for the function-like macros
// Swift cannot import live here (see MosaicLua for how they are used).
#ifndef MOSAIC_CLUA_SHIM_H
#define MOSAIC_CLUA_SHIM_H
#include <lua5.4/lua.h>
#include <lua5.4/lualib.h>
#include <lua5.4/lauxlib.h>
#endif
