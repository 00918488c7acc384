// CLuaSandbox: the implementation of CLuaSandbox.h (what each part is for: see there).
#include "CLuaSandbox.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <stdarg.h>

int mosaic_killed(mosaic_ctx *c) { return __atomic_load_n(&c->killed, __ATOMIC_SEQ_CST); }

const char *mosaic_kill_message(mosaic_ctx *c, char *buf, size_t n) {
  switch (mosaic_killed(c)) {
    case MOSAIC_KILL_TIMEOUT: snprintf(buf, n, "time limit exceeded (%lld ms)", c->timeout_ms); break;
    case MOSAIC_KILL_INSTRUCTIONS: snprintf(buf, n, "instruction limit exceeded (%lld instructions)", c->instr_limit); break;
    case MOSAIC_KILL_INTERRUPT: snprintf(buf, n, "interrupted"); break;
    case MOSAIC_KILL_MEMORY:
      if (c->kill_detail[0]) snprintf(buf, n, "%s", c->kill_detail);
      else snprintf(buf, n, "memory limit exceeded (%zu bytes)", c->limit);
      break;
    default: snprintf(buf, n, "killed"); break;
  }
  return buf;
}

static void mosaic_hook(lua_State *L, lua_Debug *ar);

// Makes `L` raise at its next instruction and at every one after it.
static void mosaic_hook_kill(lua_State *L) { lua_sethook(L, mosaic_hook, LUA_MASKCOUNT, 1); }

// Records a kill (first reason wins) and arms the hook on the running threads.
// Called by the watchdog thread (gen = generation it was scheduled for) or by the thread
// running Lua (gen = 0).
int mosaic_kill(mosaic_ctx *c, int reason, unsigned gen) {
  int done = 0;
  pthread_mutex_lock(&c->mu);
  if (gen == 0 || (c->active && c->generation == gen)) {
    int expected = 0;
    __atomic_compare_exchange_n(&c->killed, &expected, reason, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    lua_State *cur = __atomic_load_n(&c->current, __ATOMIC_SEQ_CST);
    if (c->main) mosaic_hook_kill(c->main);
    if (cur && cur != c->main) mosaic_hook_kill(cur);
    done = 1;
  }
  pthread_mutex_unlock(&c->mu);
  return done;
}

// Sets the hook a thread should have now (called before resuming it). The caller has
// already made `co` the current thread, so a kill from the watchdog after this point arms
// `co` itself; a kill that lands while this function clears the hook is caught by the
// second look at `killed` (mosaic_kill sets `killed` before it arms the hooks).
static void mosaic_apply_hook(mosaic_ctx *c, lua_State *co) {
  if (mosaic_killed(c) || c->mem_pending) mosaic_hook_kill(co);
  else if (c->counting) lua_sethook(co, mosaic_hook, LUA_MASKCOUNT, c->hook_period);
  else if (lua_gethook(co) != NULL) lua_sethook(co, NULL, 0, 0);
  if (mosaic_killed(c)) mosaic_hook_kill(co);
}

// Makes `co` the thread the watchdog arms (Lua code is about to run in it) and gives it
// its hook; returns the previous current thread for mosaic_leave_thread.
static lua_State *mosaic_enter_thread(mosaic_ctx *c, lua_State *co) {
  // seq_cst store then load of `killed`, against mosaic_kill's set of `killed` then load of
  // `current`: one of the two sides sees the other, so `co` is armed either way.
  lua_State *prev = __atomic_load_n(&c->current, __ATOMIC_SEQ_CST);
  __atomic_store_n(&c->current, co, __ATOMIC_SEQ_CST);
  mosaic_apply_hook(c, co);
  return prev;
}

// Back in `L` (the thread that entered `co`): a kill meanwhile armed only `co`, so arm `L`.
static void mosaic_leave_thread(mosaic_ctx *c, lua_State *L, lua_State *prev) {
  __atomic_store_n(&c->current, prev, __ATOMIC_SEQ_CST);
  if (mosaic_killed(c)) mosaic_hook_kill(L);
}

// A refused allocation was final: the run has broken its memory limit.
void mosaic_memory_kill(mosaic_ctx *c) {
  c->mem_pending = 0;
  if (mosaic_killed(c)) return;
  mosaic_kill(c, MOSAIC_KILL_MEMORY, 0);
  if (c->mem_where[0] && !c->kill_where[0]) memcpy(c->kill_where, c->mem_where, sizeof c->kill_where);
}

static void mosaic_hook(lua_State *L, lua_Debug *ar) {
  mosaic_ctx *c = mosaic_ctx_of(L);
  if (c->mem_pending) mosaic_memory_kill(c);   // Lua code runs again: the refusal stood
  if (!mosaic_killed(c) && c->instr_limit > 0 && c->counting) {
    c->instr_used += c->hook_period;
    if (c->instr_used >= c->instr_limit) mosaic_kill(c, MOSAIC_KILL_INSTRUCTIONS, 0);
  }
  if (mosaic_killed(c)) {
    mosaic_hook_kill(L);
    if (c->kill_where[0] == 0 && lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
      snprintf(c->kill_where, sizeof c->kill_where, "%s:%d", ar->short_src, ar->currentline);
    char buf[128];
    luaL_error(L, "%s", mosaic_kill_message(c, buf, sizeof buf));
  }
}

// Begins / ends a top-level call from the host. Returns the generation for the watchdog.
unsigned mosaic_begin(mosaic_ctx *c) {
  pthread_mutex_lock(&c->mu);
  c->generation++;
  c->active = 1;
  unsigned g = c->generation;
  c->kill_where[0] = 0;
  c->mem_pending = 0;
  c->mem_where[0] = 0;
  __atomic_store_n(&c->current, c->main, __ATOMIC_SEQ_CST);
  pthread_mutex_unlock(&c->mu);
  c->instr_used = 0;
  c->counting = c->instr_limit > 0;
  if (mosaic_killed(c)) mosaic_hook_kill(c->main);
  else if (c->counting) lua_sethook(c->main, mosaic_hook, LUA_MASKCOUNT, c->hook_period);
  return g;
}

void mosaic_end(mosaic_ctx *c) {
  pthread_mutex_lock(&c->mu);
  c->active = 0;
  c->generation++;
  pthread_mutex_unlock(&c->mu);
  c->counting = 0;
  if (!mosaic_killed(c)) lua_sethook(c->main, NULL, 0, 0);
}

// Records the innermost Lua frame with a line (for errors that carry no position).
static void mosaic_note_where(mosaic_ctx *c, lua_State *L) {
  c->mem_where[0] = 0;
  if (!L) return;
  lua_Debug ar;
  for (int level = 0; level < 12 && lua_getstack(L, level, &ar); level++) {
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
      snprintf(c->mem_where, sizeof c->mem_where, "%s:%d", ar.short_src, ar.currentline);
      return;
    }
  }
}

// The host broke the memory budget: kill the run with `detail` as its message, at the
// innermost Lua line of `L`. Called from Swift inside a callback (raises nothing itself).
void mosaic_host_memory_kill(mosaic_ctx *c, lua_State *L, const char *detail) {
  if (mosaic_killed(c)) return;
  snprintf(c->kill_detail, sizeof c->kill_detail, "%s", detail);
  mosaic_note_where(c, L);
  memcpy(c->kill_where, c->mem_where, sizeof c->kill_where);
  mosaic_kill(c, MOSAIC_KILL_MEMORY, 0);
}

// ---------------------------------------------------------------------------------------
// Allocator: hard limit while Lua runs; while Swift runs the limit is soft (allocations
// succeed and the trampoline raises the memory error once control is back in C), so no
// Lua API call made from Swift can ever longjmp.
static void *mosaic_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  mosaic_ctx *c = (mosaic_ctx *)ud;
  if (ptr == NULL) osize = 0;
  if (nsize == 0) {
    free(ptr);
    c->used -= osize;
    return NULL;
  }
  if (nsize > osize && c->limit > 0 && c->hard && c->used + c->host_used - osize + nsize > c->limit) {
    // Lua retries once after an emergency collection; the second refusal raises.
    // Lua retries a refused request once after an emergency collection; lauxlib's
    // buffers do not. A refusal is final when its retry is refused too, or when any other
    // request (or the next instruction, see the hook) comes first.
    if (!mosaic_killed(c)) {
      lua_State *cur = __atomic_load_n(&c->current, __ATOMIC_SEQ_CST);
      if (c->mem_pending) {
        mosaic_memory_kill(c);
      } else {
        mosaic_note_where(c, cur);
        c->mem_pending = 1;
        c->pend_ptr = ptr; c->pend_osize = osize; c->pend_nsize = nsize;
        if (c->main) mosaic_hook_kill(c->main);
        if (cur && cur != c->main) mosaic_hook_kill(cur);
      }
    }
    return NULL;
  }
  void *p = realloc(ptr, nsize);
  if (p == NULL) {
    if (!c->hard) {
      fprintf(stderr, "mosaic: out of system memory while Swift code was using Lua\n");
      abort();
    }
    return NULL;
  }
  c->used = c->used - osize + nsize;
  if (c->used > c->peak) c->peak = c->used;
  if (c->mem_pending && nsize > osize) {
    if (ptr == c->pend_ptr && osize == c->pend_osize && nsize == c->pend_nsize) {
      // the retry fit: disarm what the refusal armed
      c->mem_pending = 0;
      lua_State *cur = __atomic_load_n(&c->current, __ATOMIC_SEQ_CST);
      if (c->main) mosaic_apply_hook(c, c->main);
      if (cur && cur != c->main) mosaic_apply_hook(c, cur);
    }
    else mosaic_memory_kill(c);
  }
  return p;
}

static void mosaic_warnf(void *ud, const char *msg, int tocont) {
  mosaic_ctx *c = (mosaic_ctx *)ud;
  size_t n = strlen(msg);
  if (c->warnlen == 0 && !tocont && msg[0] == '@') return;   // control message
  if (c->warnlen + n >= sizeof c->warn) n = sizeof c->warn - 1 - c->warnlen;
  memcpy(c->warn + c->warnlen, msg, n);
  c->warnlen += n;
  c->warn[c->warnlen] = 0;
  if (!tocont) {
    if (strncmp(c->warn, "error in __gc", 13) == 0 && !c->gc_error) {
      c->gc_error = 1;
      memcpy(c->gc_message, c->warn, sizeof c->gc_message);
    }
    c->warnlen = 0;
  }
}

mosaic_ctx *mosaic_ctx_new(void) {
  mosaic_ctx *c = (mosaic_ctx *)calloc(1, sizeof(mosaic_ctx));
  if (!c) return NULL;
  pthread_mutex_init(&c->mu, NULL);
  c->hook_period = 1000;
  return c;
}

lua_State *mosaic_newstate(mosaic_ctx *c) {
  lua_State *L = lua_newstate(mosaic_alloc, c);
  if (!L) return NULL;
  *(mosaic_ctx **)lua_getextraspace(L) = c;
  c->main = L;
  c->current = L;
  lua_setwarnf(L, mosaic_warnf, c);
  return L;
}

// Closes the state. Finalizers run now; any Lua code in them stops at its first
// instruction. The context stays allocated (the watchdog may still hold it).
void mosaic_close(mosaic_ctx *c) {
  pthread_mutex_lock(&c->mu);
  lua_State *L = c->main;
  c->active = 0;
  c->generation++;
  pthread_mutex_unlock(&c->mu);
  if (L) {
    int expected = 0;
    __atomic_compare_exchange_n(&c->killed, &expected, MOSAIC_KILL_INTERRUPT, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    mosaic_hook_kill(L);
    c->hard = 1;
    lua_close(L);
    pthread_mutex_lock(&c->mu);
    c->main = NULL;
    c->current = NULL;
    pthread_mutex_unlock(&c->mu);
  }
}

void mosaic_ctx_free(mosaic_ctx *c) {
  pthread_mutex_destroy(&c->mu);
  free(c);
}

// ---------------------------------------------------------------------------------------
// Calls from the host

// lua_pcall with the allocator in hard mode for the duration (Lua code runs).
int mosaic_pcall(lua_State *L, int nargs, int nres, int msgh) {
  mosaic_ctx *c = mosaic_ctx_of(L);
  int prev = c->hard;
  c->hard = 1;
  int st = lua_pcallk(L, nargs, nres, msgh, 0, NULL);
  c->hard = prev;
  return st;
}

// Message handler: returns the message as a string and keeps the traceback (and the
// error value it belongs to) in the registry, so a re-raised error keeps its first one.
static int mosaic_msgh(lua_State *L) {
  if (lua_type(L, 1) != LUA_TSTRING) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
      lua_replace(L, 1);
    } else {
      lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
      lua_replace(L, 1);
    }
  }
  lua_settop(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, "mosaic.errobj");
  int same = lua_rawequal(L, -1, 1);
  lua_pop(L, 1);
  if (!same) {
    lua_pushvalue(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "mosaic.errobj");
    luaL_traceback(L, L, NULL, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "mosaic.tb");
  }
  return 1;
}
void mosaic_pushmsgh(lua_State *L) { lua_pushcfunction(L, mosaic_msgh); }

// ---------------------------------------------------------------------------------------
// Trampoline for Swift functions: upvalue 1 is the function's index for the dispatcher.

static int mosaic_raise_if_over(lua_State *L, mosaic_ctx *c) {
  if (c->limit > 0 && c->used + c->host_used > c->limit) {
    lua_gc(L, LUA_GCCOLLECT, 0);
    if (c->used + c->host_used > c->limit) {
      mosaic_kill(c, MOSAIC_KILL_MEMORY, 0);
      char buf[128];
      return luaL_error(L, "%s", mosaic_kill_message(c, buf, sizeof buf));
    }
  }
  return 0;
}

static int mosaic_trampoline(lua_State *L) {
  mosaic_ctx *c = mosaic_ctx_of(L);
  int prev = c->hard;
  c->hard = 0;
  int r = c->dispatch(L);
  c->hard = prev;
  if (r >= 0) {
    mosaic_raise_if_over(L, c);
    return r;
  }
  if (r == MOSAIC_ERR_WHERE && lua_type(L, -1) == LUA_TSTRING) {
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

// Pushes Swift function `index` as a C closure; the `nup` values on top of the stack
// become its upvalues 2…nup+1.
void mosaic_pushswift(lua_State *L, lua_Integer index, int nup) {
  lua_pushinteger(L, index);
  if (nup > 0) lua_insert(L, -(nup + 1));
  lua_pushcclosure(L, mosaic_trampoline, nup + 1);
}

// __gc of boxed userdata: layout is {int32 class, int32 boxed, void *box}.
static int mosaic_ud_gc(lua_State *L) {
  int *hdr = (int *)lua_touserdata(L, 1);
  if (hdr && hdr[1]) {
    void **box = (void **)(hdr + 2);
    if (*box) {
      mosaic_ctx *c = mosaic_ctx_of(L);
      c->release(*box);
      *box = NULL;
    }
  }
  return 0;
}
void mosaic_pushudgc(lua_State *L) { lua_pushcfunction(L, mosaic_ud_gc); }

// ---------------------------------------------------------------------------------------
// Coroutines: every resume arms the hook the thread should have, so a coroutine created
// before the watchdog fired is covered as soon as it runs.

static int mosaic_auxresume(lua_State *L, lua_State *co, int narg) {
  mosaic_ctx *c = mosaic_ctx_of(L);
  if (!lua_checkstack(co, narg)) {
    lua_pushliteral(L, "too many arguments to resume");
    return -1;
  }
  lua_xmove(L, co, narg);
  lua_State *prev = mosaic_enter_thread(c, co);
  int nres = 0;
  int status = lua_resume(co, L, narg, &nres);
  mosaic_leave_thread(c, L, prev);
  if (status == LUA_OK || status == LUA_YIELD) {
    if (!lua_checkstack(L, nres + 1)) {
      lua_pop(co, nres);
      lua_pushliteral(L, "too many results to resume");
      return -1;
    }
    lua_xmove(co, L, nres);
    return nres;
  }
  lua_xmove(co, L, 1);
  return -1;
}

static int mosaic_co_resume(lua_State *L) {
  lua_State *co = lua_tothread(L, 1);
  luaL_argexpected(L, co, 1, "coroutine");
  int r = mosaic_auxresume(L, co, lua_gettop(L) - 1);
  if (r < 0) {
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
  }
  lua_pushboolean(L, 1);
  lua_insert(L, -(r + 1));
  return r + 1;
}

static int mosaic_co_wrapped(lua_State *L) {
  lua_State *co = lua_tothread(L, lua_upvalueindex(1));
  int r = mosaic_auxresume(L, co, lua_gettop(L));
  if (r < 0) {
    int st = lua_status(co);
    // After a kill the coroutine may have hooks disabled (the error came from a hook):
    // leave its to-be-closed variables alone, the run is failed anyway.
    if (st != LUA_OK && st != LUA_YIELD && !mosaic_killed(mosaic_ctx_of(L))) {
      // its __close handlers run in `co`: make it the thread the watchdog arms
      mosaic_ctx *c = mosaic_ctx_of(L);
      lua_State *prev = mosaic_enter_thread(c, co);
      lua_resetthread(co);
      mosaic_leave_thread(c, L, prev);
    }
    if (lua_type(L, -1) == LUA_TSTRING) {
      luaL_where(L, 1);
      lua_insert(L, -2);
      lua_concat(L, 2);
    }
    return lua_error(L);
  }
  return r;
}

static int mosaic_co_wrap(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_State *co = lua_newthread(L);
  lua_pushvalue(L, 1);
  lua_xmove(L, co, 1);
  lua_pushcclosure(L, mosaic_co_wrapped, 1);
  return 1;
}

// coroutine.close runs __close handlers in the coroutine: it becomes the current thread
// (the one the watchdog arms) for the duration, with its hook set first. Without this a
// __close that loops ran in a thread no kill could reach.
static int mosaic_co_close(lua_State *L) {
  lua_State *co = lua_tothread(L, 1);
  luaL_argexpected(L, co, 1, "coroutine");
  mosaic_ctx *c = mosaic_ctx_of(L);
  if (mosaic_killed(c)) {
    char buf[128];
    return luaL_error(L, "%s", mosaic_kill_message(c, buf, sizeof buf));
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  // the original checks co's status and reports a running/normal coroutine itself
  lua_State *prev = mosaic_enter_thread(c, co);
  int st = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  mosaic_leave_thread(c, L, prev);
  if (st != LUA_OK) return lua_error(L);
  if (mosaic_killed(c)) {
    char buf[128];
    return luaL_error(L, "%s", mosaic_kill_message(c, buf, sizeof buf));
  }
  return lua_gettop(L);
}

// ---------------------------------------------------------------------------------------
// Guards on C functions a hook cannot stop. Each wrapper checks, then calls the original
// (upvalue 1) with the same arguments.

static int mosaic_finish_original(lua_State *L, int status, lua_KContext k) {
  (void)status; (void)k;
  return lua_gettop(L);
}

static int mosaic_call_original(lua_State *L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, mosaic_finish_original);   // may yield (xpcall)
  return lua_gettop(L);
}

// luaL_error with printf formats (lua_pushfstring knows only a few).
static int mosaic_errorf(lua_State *L, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return luaL_error(L, "%s", buf);
}

static int mosaic_guard_rep(lua_State *L) {
  mosaic_ctx *c = mosaic_ctx_of(L);
  size_t l, lsep = 0;
  luaL_checklstring(L, 1, &l);
  lua_Integer n = luaL_checkinteger(L, 2);
  if (!lua_isnoneornil(L, 3)) luaL_checklstring(L, 3, &lsep);
  if (n <= 0 || (l == 0 && lsep == 0)) { lua_pushliteral(L, ""); return 1; }
  double total = (double)l * (double)n + (double)lsep * (double)(n - 1);
  if (total > (double)c->max_string)
    return mosaic_errorf(L, "string.rep result too large (%.0f bytes; the limit is %zu)", total, c->max_string);
  return mosaic_call_original(L);
}

static int mosaic_guard_concat(lua_State *L) {
  mosaic_ctx *c = mosaic_ctx_of(L);
  luaL_checkany(L, 1);
  lua_Integer i = luaL_optinteger(L, 3, 1);
  lua_Integer j = lua_isnoneornil(L, 4) ? luaL_len(L, 1) : luaL_checkinteger(L, 4);
  if (j >= i && (double)j - (double)i + 1 > (double)c->max_elements)
    return mosaic_errorf(L, "table.concat range too large (%.0f elements; the limit is %lld)",
                      (double)j - (double)i + 1, c->max_elements);
  return mosaic_call_original(L);
}

static int mosaic_guard_move(lua_State *L) {
  mosaic_ctx *c = mosaic_ctx_of(L);
  lua_Integer f = luaL_checkinteger(L, 2);
  lua_Integer e = luaL_checkinteger(L, 3);
  if (e >= f && (double)e - (double)f + 1 > (double)c->max_elements)
    return mosaic_errorf(L, "table.move range too large (%.0f elements; the limit is %lld)",
                      (double)e - (double)f + 1, c->max_elements);
  return mosaic_call_original(L);
}

// --- Pattern cost estimate -------------------------------------------------------------
// Lua's matcher backtracks: each quantified item (* + -) and each %b tries every length
// its run allows, so the work from one start position is at most the product over those
// items of (longest run the item can match in the subject + 1), and never more than the
// number of ways to split the subject among them. The guard refuses a call whose bound
// exceeds the budget before the matcher starts.

static int mosaic_class_match(int ch, int cl) {
  int r;
  switch (cl | 0x20) {
    case 'a': r = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'); break;
    case 'c': r = ch < 32 || ch == 127; break;
    case 'd': r = ch >= '0' && ch <= '9'; break;
    case 'g': r = ch > 32 && ch < 127; break;
    case 'l': r = ch >= 'a' && ch <= 'z'; break;
    case 'p': r = (ch > 32 && ch < 127) && !((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')); break;
    case 's': r = ch == ' ' || (ch >= 9 && ch <= 13); break;
    case 'u': r = ch >= 'A' && ch <= 'Z'; break;
    case 'w': r = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'); break;
    case 'x': r = (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f'); break;
    default: return cl == ch;
  }
  if (cl >= 'A' && cl <= 'Z') r = !r;
  return r;
}

// Does the single-character item p[0..end) match ch? Items: '.', %x, [set], literal.
static int mosaic_item_match(int ch, const char *p, const char *end) {
  if (*p == '.') return 1;
  if (*p == '%') return mosaic_class_match(ch, (unsigned char)p[1]);
  if (*p == '[') {
    const char *q = p + 1;
    int neg = 0, found = 0;
    if (*q == '^') { neg = 1; q++; }
    const char *last = end - 1;   // the closing ']'
    while (q < last) {
      if (*q == '%' && q + 1 < last) { if (mosaic_class_match(ch, (unsigned char)q[1])) found = 1; q += 2; }
      else if (q + 2 < last && q[1] == '-') { if ((unsigned char)q[0] <= ch && ch <= (unsigned char)q[2]) found = 1; q += 3; }
      else { if ((unsigned char)*q == ch) found = 1; q++; }
    }
    return neg ? !found : found;
  }
  return (unsigned char)*p == ch;
}

// End of the single-character item at p (NULL if malformed: Lua reports it later).
static const char *mosaic_item_end(const char *p, const char *pend) {
  if (*p == '%') return p + 2 <= pend ? p + 2 : NULL;
  if (*p == '[') {
    const char *q = p + 1;
    if (q < pend && *q == '^') q++;
    do {
      if (q >= pend) return NULL;
      if (*q == '%') q += 2; else q++;
    } while (q < pend && *q != ']');
    return q < pend ? q + 1 : NULL;
  }
  return p + 1;
}

static size_t mosaic_longest_run(const unsigned char *s, size_t n, const char *p, const char *e) {
  size_t best = 0, run = 0;
  for (size_t i = 0; i < n; i++) {
    if (mosaic_item_match(s[i], p, e)) { if (++run > best) best = run; }
    else run = 0;
  }
  return best;
}

// Returns an estimate of the matcher's steps, or -1 if the pattern is malformed (let Lua
// report it).
static double mosaic_pattern_cost(const unsigned char *s, size_t n, const char *p, size_t lp, int anchored_ok) {
  const char *pend = p + lp;
  int anchored = 0;
  if (anchored_ok && lp > 0 && *p == '^') { anchored = 1; p++; }
  double product = 1.0;
  int q = 0;
  while (p < pend) {
    if (*p == '(' || *p == ')') { p++; continue; }
    if (*p == '$' && p + 1 == pend) break;
    if (*p == '%' && p + 1 < pend && p[1] == 'b') {
      if (p + 4 > pend) return -1;
      product *= (double)n + 1; q++;
      p += 4; continue;
    }
    if (*p == '%' && p + 1 < pend && p[1] == 'f') {
      const char *e = (p + 2 < pend && p[2] == '[') ? mosaic_item_end(p + 2, pend) : NULL;
      if (!e) return -1;
      p = e; continue;
    }
    const char *e = mosaic_item_end(p, pend);
    if (!e) return -1;
    if (e < pend && (*e == '*' || *e == '+' || *e == '-')) {
      product *= (double)mosaic_longest_run(s, n, p, e) + 1; q++;
      e++;
    } else if (e < pend && *e == '?') {
      product *= 2; e++;
    }
    p = e;
  }
  // Never more than the ways of splitting n characters among q items: C(n+q, q).
  double ways = 1.0;
  for (int i = 1; i <= q && ways < 1e300; i++) ways = ways * ((double)n + i) / i;
  if (ways < product) product = ways;
  double starts = anchored ? 1.0 : (double)n + 1;
  return starts * product;
}

static int mosaic_has_specials(const char *p, size_t lp) {
  for (size_t i = 0; i < lp; i++) if (strchr("^$*+?.([%-", p[i])) return 1;
  return 0;
}

// which: 0 find, 1 match, 2 gmatch, 3 gsub
static int mosaic_guard_pattern_impl(lua_State *L, int which) {
  mosaic_ctx *c = mosaic_ctx_of(L);
  size_t n, lp;
  const char *s = luaL_checklstring(L, 1, &n);
  const char *p = luaL_checklstring(L, 2, &lp);
  if (n > c->max_string)
    return mosaic_errorf(L, "subject too large for pattern matching (%zu bytes; the limit is %zu)", n, c->max_string);
  double cost;
  int plain = which == 0 && lua_toboolean(L, 4);
  if (plain || (which == 0 && !mosaic_has_specials(p, lp))) {
    // memchr on the first byte, then memcmp of the rest: bounded by the hits of byte one
    size_t hits = 0;
    if (lp > 0) for (size_t i = 0; i < n; i++) if (s[i] == p[0]) hits++;
    cost = (double)hits * (double)lp;
  } else {
    cost = mosaic_pattern_cost((const unsigned char *)s, n, p, lp, 1);
  }
  if (cost > c->pattern_budget) {
    static const char *names[] = { "find", "match", "gmatch", "gsub" };
    return mosaic_errorf(L, "pattern too complex for a subject of %zu bytes in string.%s "
                      "(about %.2g matcher steps; the limit is %.2g): anchor it or use a simpler pattern",
                      n, names[which], cost, c->pattern_budget);
  }
  return mosaic_call_original(L);
}
static int mosaic_guard_find(lua_State *L) { return mosaic_guard_pattern_impl(L, 0); }
static int mosaic_guard_match(lua_State *L) { return mosaic_guard_pattern_impl(L, 1); }
static int mosaic_guard_gmatch(lua_State *L) { return mosaic_guard_pattern_impl(L, 2); }
static int mosaic_guard_gsub(lua_State *L) { return mosaic_guard_pattern_impl(L, 3); }

// ---------------------------------------------------------------------------------------
// Sandbox

static int mosaic_safe_load(lua_State *L) {
  // load(chunk [, chunkname [, mode [, env]]]): text chunks only.
  int n = lua_gettop(L);
  if (n < 3) lua_settop(L, 3);
  lua_pushliteral(L, "t");
  lua_replace(L, 3);
  if (n > 3) lua_settop(L, n);
  return mosaic_call_original(L);
}

static int mosaic_safe_collectgarbage(lua_State *L) {
  static const char *const allowed[] = { "collect", "count", "step", "isrunning", NULL };
  luaL_checkoption(L, 1, "collect", allowed);
  return mosaic_call_original(L);
}

// Finalizers run with hooks off (Lua disables them in GC metamethods), so no limit could
// stop one: metatables with __gc are refused.
static int mosaic_safe_setmetatable(lua_State *L) {
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    int t = lua_rawget(L, 2);
    lua_pop(L, 1);
    if (t != LUA_TNIL)
      return luaL_error(L, "__gc metamethods are not allowed in the sandbox (a finalizer cannot be stopped); "
                           "use a to-be-closed variable (local x <close>) instead");
  }
  return mosaic_call_original(L);
}

// A message handler called for an error raised by the kill hook runs with hooks off (Lua
// calls it before unwinding): after a kill, user handlers are skipped.
static int mosaic_xpcall_handler(lua_State *L) {
  if (mosaic_killed(mosaic_ctx_of(L))) return 1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

static int mosaic_safe_xpcall(lua_State *L) {
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, mosaic_xpcall_handler, 1);
  lua_replace(L, 2);
  return mosaic_call_original(L);
}

static void mosaic_wrap_field(lua_State *L, int table, const char *name, lua_CFunction guard) {
  lua_getfield(L, table, name);
  lua_pushcclosure(L, guard, 1);
  lua_setfield(L, table, name);
}

// Builds the allow-listed environment in the state's globals. Run under lua_pcall.
static int mosaic_open_sandbox(lua_State *L) {
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
  luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
  luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
  luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
  luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
  luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);   // not global: only three functions
  int os = lua_gettop(L);
  lua_settop(L, os);
  lua_pushglobaltable(L);
  int g = lua_gettop(L);

  // base
  static const char *const removed[] = { "dofile", "loadfile", "print", "warn", "require", NULL };
  for (int i = 0; removed[i]; i++) { lua_pushnil(L); lua_setfield(L, g, removed[i]); }
  mosaic_wrap_field(L, g, "load", mosaic_safe_load);
  mosaic_wrap_field(L, g, "collectgarbage", mosaic_safe_collectgarbage);
  mosaic_wrap_field(L, g, "setmetatable", mosaic_safe_setmetatable);
  mosaic_wrap_field(L, g, "xpcall", mosaic_safe_xpcall);

  // os: time, date, clock
  lua_createtable(L, 0, 3);
  static const char *const osok[] = { "time", "date", "clock", NULL };
  for (int i = 0; osok[i]; i++) { lua_getfield(L, os, osok[i]); lua_setfield(L, -2, osok[i]); }
  lua_setfield(L, g, "os");

  // string
  lua_getfield(L, g, "string");
  int str = lua_gettop(L);
  lua_pushnil(L); lua_setfield(L, str, "dump");
  mosaic_wrap_field(L, str, "rep", mosaic_guard_rep);
  mosaic_wrap_field(L, str, "find", mosaic_guard_find);
  mosaic_wrap_field(L, str, "match", mosaic_guard_match);
  mosaic_wrap_field(L, str, "gmatch", mosaic_guard_gmatch);
  mosaic_wrap_field(L, str, "gsub", mosaic_guard_gsub);
  // the string metatable cannot be read or replaced from Lua
  lua_pushliteral(L, "");
  if (lua_getmetatable(L, -1)) {
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
  }
  lua_pop(L, 2);

  // table
  lua_getfield(L, g, "table");
  mosaic_wrap_field(L, lua_gettop(L), "concat", mosaic_guard_concat);
  mosaic_wrap_field(L, lua_gettop(L), "move", mosaic_guard_move);
  lua_pop(L, 1);

  // coroutine
  lua_getfield(L, g, "coroutine");
  int co = lua_gettop(L);
  lua_pushcfunction(L, mosaic_co_resume); lua_setfield(L, co, "resume");
  lua_pushcfunction(L, mosaic_co_wrap); lua_setfield(L, co, "wrap");
  mosaic_wrap_field(L, co, "close", mosaic_co_close);
  lua_pop(L, 1);
  return 0;
}
void mosaic_pushopensandbox(lua_State *L) { lua_pushcfunction(L, mosaic_open_sandbox); }
