// CLua: Debian's liblua5.4 (the lua5.4 pkg-config package) for Swift and for CLuaSandbox,
// which holds the sandbox's C. No code here.
#ifndef MOSAIC_CLUA_H
#define MOSAIC_CLUA_H
#include <lua5.4/lua.h>
#include <lua5.4/lualib.h>
#include <lua5.4/lauxlib.h>
#endif
