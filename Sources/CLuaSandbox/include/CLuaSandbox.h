// CLuaSandbox: the Lua sandbox's C, compiled once (CLuaSandbox.c). What must be C because it
// runs inside Lua's own call chain, where a Swift frame must never be:
//
// - `mosaic_ctx`: per-state bookkeeping shared by the allocator, the hooks and Swift.
// - The capped allocator: a hard limit while Lua code runs; a soft one while Swift runs, so
//   no Lua API call made from Swift can longjmp (the trampoline raises once back in C).
// - The kill protocol: a kill flag set by the watchdog thread (deadline, cancellation) or by
//   the running thread (instruction budget, memory), and the count hook that raises at every
//   instruction of every thread that runs after it, coroutines included, so `pcall` cannot
//   swallow it.
// - The trampoline: Swift callbacks are plain C function pointers that *return* a status;
//   this C code raises the Lua error itself.
// - The sandbox: the allow-listed standard library, hooked coroutine resume/wrap/close, and
//   size guards on C library functions a hook cannot interrupt (string.rep, table.concat,
//   table.move, pattern matching with a cost estimate).
//
// Uses liblua5.4 (the CLua system library). MosaicLua (Swift) decides policy; this code only
// enforces it. Only the macro wrappers below are inline (Swift cannot import function-like
// macros); tests of the C itself: Sources/SandboxCTest.
#ifndef MOSAIC_CLUA_SANDBOX_H
#define MOSAIC_CLUA_SANDBOX_H
#include <lua5.4/lua.h>
#include <lua5.4/lualib.h>
#include <lua5.4/lauxlib.h>
#include <stddef.h>
#include <pthread.h>

// ---------------------------------------------------------------------------------------
// Macro wrappers
static inline int mosaic_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline int mosaic_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline void mosaic_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void mosaic_newtable(lua_State *L) { lua_newtable(L); }
static inline int mosaic_isnil(lua_State *L, int i) { return lua_isnil(L, i); }
static inline int mosaic_isnoneornil(lua_State *L, int i) { return lua_isnoneornil(L, i); }
static inline lua_Number mosaic_tonumber(lua_State *L, int i) { return lua_tonumberx(L, i, NULL); }
static inline lua_Integer mosaic_tointeger(lua_State *L, int i) { return lua_tointegerx(L, i, NULL); }
static inline const char *mosaic_tostring(lua_State *L, int i) { return lua_tolstring(L, i, NULL); }
static inline void mosaic_insert(lua_State *L, int i) { lua_insert(L, i); }
static inline void mosaic_remove(lua_State *L, int i) { lua_remove(L, i); }
static inline void mosaic_replace(lua_State *L, int i) { lua_replace(L, i); }
static inline void mosaic_pushglobaltable(lua_State *L) { lua_pushglobaltable(L); }
static inline void *mosaic_newuserdata(lua_State *L, size_t size) { return lua_newuserdatauv(L, size, 0); }
static inline int mosaic_getmetatable_named(lua_State *L, const char *name) { return luaL_getmetatable(L, name); }
static inline int mosaic_isfunction(lua_State *L, int i) { return lua_isfunction(L, i); }
static inline int mosaic_istable(lua_State *L, int i) { return lua_istable(L, i); }
static inline void mosaic_gc_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT, 0); }

// ---------------------------------------------------------------------------------------
// Per-state context

enum {
  MOSAIC_KILL_NONE = 0,
  MOSAIC_KILL_TIMEOUT = 1,
  MOSAIC_KILL_INSTRUCTIONS = 2,
  MOSAIC_KILL_INTERRUPT = 3,
  MOSAIC_KILL_MEMORY = 4,
};

// Statuses a Swift callback returns instead of a result count.
enum {
  MOSAIC_ERR_WHERE = -1,   // error message on top; prefix it with the caller's file:line
  MOSAIC_ERR_RAW = -2,     // error value on top; raise it as is
};

typedef int (*mosaic_dispatch_fn)(lua_State *L);

typedef struct mosaic_ctx {
  // memory (touched only by the thread running the state)
  size_t used, limit, peak;
  size_t host_used;    // bytes the host holds for this state's run (log lines, writes, …):
                       // counted against `limit` with Lua's own
  int hard;            // 1 while Lua code runs: refuse allocations over the limit
  int mem_pending;     // an allocation was refused; the hook decides whether to kill
  void *pend_ptr;      // the refused request
  size_t pend_osize, pend_nsize;
  char mem_where[256];

  // limits (set by the host between runs)
  long long instr_limit;   // 0 = none
  long long instr_used;
  int hook_period;
  long long timeout_ms;
  size_t max_string;
  long long max_elements;
  double pattern_budget;

  // kill state (shared with the watchdog thread; use the atomic helpers)
  int killed;
  int counting;            // the count hook is on for the instruction budget
  lua_State *main;
  lua_State *current;      // thread currently running Lua code
  unsigned generation;     // bumped at the start and end of every top-level call
  int active;
  pthread_mutex_t mu;

  mosaic_dispatch_fn dispatch;
  void (*release)(void *box);
  void *owner;             // the Swift LuaState (unretained)

  char kill_where[256];
  char kill_detail[192];   // set when the host broke the memory budget: the message to give
  int gc_error;
  char warn[512];
  size_t warnlen;
  char gc_message[512];
} mosaic_ctx;

// The context of a state made by mosaic_newstate (kept in the state's extra space).
static inline mosaic_ctx *mosaic_ctx_of(lua_State *L) {
  return *(mosaic_ctx **)lua_getextraspace(L);
}

// ---------------------------------------------------------------------------------------
// Lifecycle

// A new context with default settings (the host sets the limits in it); NULL without memory.
mosaic_ctx *mosaic_ctx_new(void);

// A Lua state that allocates through `c`'s capped allocator; NULL when it cannot be made.
lua_State *mosaic_newstate(mosaic_ctx *c);

// Closes the state. Finalizers run now; any Lua code in them stops at its first
// instruction. The context stays allocated (the watchdog may still hold it).
void mosaic_close(mosaic_ctx *c);

// Frees a context whose state is closed.
void mosaic_ctx_free(mosaic_ctx *c);

// Pushes the function that builds the allow-listed environment in the state's globals;
// call it with mosaic_pcall.
void mosaic_pushopensandbox(lua_State *L);

// ---------------------------------------------------------------------------------------
// Calls from the host

// Begins / ends a top-level call from the host. Returns the generation for the watchdog.
unsigned mosaic_begin(mosaic_ctx *c);
void mosaic_end(mosaic_ctx *c);

// lua_pcall with the allocator in hard mode for the duration (Lua code runs).
int mosaic_pcall(lua_State *L, int nargs, int nres, int msgh);

// Pushes the message handler: it returns the message as a string and keeps the traceback
// (and the error value it belongs to) in the registry under "mosaic.tb" / "mosaic.errobj".
void mosaic_pushmsgh(lua_State *L);

// Pushes Swift function `index` (given to the context's dispatcher) as a C closure; the
// `nup` values on top of the stack become its upvalues 2…nup+1.
void mosaic_pushswift(lua_State *L, lua_Integer index, int nup);

// Pushes the __gc of boxed userdata (layout {int32 class, int32 boxed, void *box}): it
// gives the box to the context's `release`.
void mosaic_pushudgc(lua_State *L);

// ---------------------------------------------------------------------------------------
// Kills

// The kill reason (MOSAIC_KILL_*), 0 while the state runs.
int mosaic_killed(mosaic_ctx *c);

// The kill's message in `buf` ("time limit exceeded (N ms)", …); returns `buf`.
const char *mosaic_kill_message(mosaic_ctx *c, char *buf, size_t n);

// Records a kill (first reason wins) and arms the hook on the running threads. Called by
// the watchdog thread (gen = the generation mosaic_begin returned for the call it watches:
// a kill for a call that ended does nothing) or by the thread running Lua (gen = 0).
// Returns 0 when it came for a call that has ended (nothing done), else 1.
int mosaic_kill(mosaic_ctx *c, int reason, unsigned gen);

// A refused allocation was final: the run has broken its memory limit.
void mosaic_memory_kill(mosaic_ctx *c);

// The host broke the memory budget: kill the run with `detail` as its message, at the
// innermost Lua line of `L`. Called from Swift inside a callback (raises nothing itself).
void mosaic_host_memory_kill(mosaic_ctx *c, lua_State *L, const char *detail);

#endif
