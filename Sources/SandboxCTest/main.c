// sandbox-ctest: tests of CLuaSandbox at the C level, with no Swift in the call chain: the
// allocator cap (allocations past it fail, the state reports running out of memory, usage
// returns to zero after close) and the kill protocol (a run killed by the deadline or the
// instruction budget fails even when its Lua code wraps the work in pcall; a coroutine
// created before the kill stops too). MosaicLuaTests (SandboxCTests) runs it.
//
// Prints one line per check ("ok - ..." / "not ok - ...") and exits 0 when every check
// passed. An alarm ends a run the kill protocol failed to stop.
#include "CLuaSandbox.h"
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int failures = 0;

static void check(int ok, const char *what, const char *detail) {
  printf("%s - %s%s%s\n", ok ? "ok" : "not ok", what, detail && *detail ? ": " : "", detail ? detail : "");
  if (!ok) failures++;
}

static void on_alarm(int sig) {
  (void)sig;
  static const char msg[] = "not ok - a run was not stopped within the alarm (the kill protocol failed)\n";
  (void)!write(1, msg, sizeof msg - 1);
  _exit(2);
}

// A state with the sandbox, the way MosaicLua makes one.
static lua_State *new_state(mosaic_ctx **out, size_t limit) {
  mosaic_ctx *c = mosaic_ctx_new();
  if (!c) return NULL;
  c->limit = limit;
  c->max_string = 1 << 20;
  c->max_elements = 1 << 20;
  c->pattern_budget = 1e7;
  c->hook_period = 1000;
  lua_State *L = mosaic_newstate(c);
  if (!L) { mosaic_ctx_free(c); return NULL; }
  mosaic_pushopensandbox(L);
  if (mosaic_pcall(L, 0, 0, 0) != LUA_OK) {
    mosaic_close(c);
    mosaic_ctx_free(c);
    return NULL;
  }
  *out = c;
  return L;
}

static void free_state(mosaic_ctx *c) {
  mosaic_close(c);
  mosaic_ctx_free(c);
}

// Runs `code` as one top-level call (begin, protected call, end); returns the status and
// copies the error message (if any) into `msg`.
static int run(lua_State *L, mosaic_ctx *c, const char *code, char *msg, size_t n) {
  msg[0] = 0;
  int st = luaL_loadbufferx(L, code, strlen(code), "=test", "t");
  if (st != LUA_OK) {
    snprintf(msg, n, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    return st;
  }
  mosaic_begin(c);
  st = mosaic_pcall(L, 0, 0, 0);
  mosaic_end(c);
  if (c->mem_pending) mosaic_memory_kill(c);   // as the host does: a refusal that stood
  if (st != LUA_OK) {
    const char *s = lua_tostring(L, -1);
    snprintf(msg, n, "%s", s ? s : "(no message)");
    lua_pop(L, 1);
  }
  return st;
}

// --- the allocator cap ----------------------------------------------------------------

static void test_allocator_cap(void) {
  const size_t limit = 512 * 1024;
  mosaic_ctx *c;
  lua_State *L = new_state(&c, limit);
  check(L != NULL, "a state with a 512 KiB cap opens with the sandbox", NULL);
  if (!L) return;
  size_t baseline = c->used;
  check(baseline > 0 && baseline < limit, "the fresh state's usage is under the cap", NULL);

  // Past the cap, while Lua runs (hard mode), the allocator refuses.
  lua_Alloc alloc;
  void *ud;
  alloc = lua_getallocf(L, &ud);
  c->hard = 1;
  void *p = alloc(ud, NULL, 0, limit + 1);
  c->hard = 0;
  check(p == NULL, "an allocation past the cap fails", NULL);
  check(c->used == baseline, "a refused allocation is not counted", NULL);
  c->mem_pending = 0;   // the refusal above was ours, not a run's
  lua_sethook(L, NULL, 0, 0);

  // Lua code that grows past the cap fails with the memory kill, even inside pcall.
  char msg[512];
  int st = run(L, c,
               "local ok = pcall(function()\n"
               "  local t = {}\n"
               "  for i = 1, 1e8 do t[i] = ('x'):rep(64) .. i end\n"
               "end)\n"
               "GOT_PAST = true\n", msg, sizeof msg);
  check(st != LUA_OK, "a run that allocates past the cap inside pcall fails", msg);
  check(mosaic_killed(c) == MOSAIC_KILL_MEMORY, "the state reports it ran out of memory", msg);
  char buf[128];
  check(strstr(mosaic_kill_message(c, buf, sizeof buf), "memory limit exceeded") != NULL,
        "the kill message says the memory limit", buf);
  check(c->peak <= limit, "usage never went past the cap", NULL);
  lua_getglobal(L, "GOT_PAST");
  check(lua_isnil(L, -1), "the code after the pcall did not run", NULL);
  lua_pop(L, 1);

  // Closing frees everything the state allocated.
  mosaic_close(c);
  check(c->used == 0, "usage returns to zero after close", NULL);
  mosaic_ctx_free(c);

  // A state under its cap is unaffected.
  L = new_state(&c, limit);
  if (!L) return;
  st = run(L, c, "local t = {} for i = 1, 1000 do t[i] = i end", msg, sizeof msg);
  check(st == LUA_OK && mosaic_killed(c) == 0, "a run under the cap succeeds", msg);
  free_state(c);
}

// --- the kill protocol ----------------------------------------------------------------

struct killer {
  mosaic_ctx *c;
  unsigned generation;
  int reason;
  long delay_ms;
};

// The watchdog's part: after the delay, kill the call of that generation.
static void *killer_main(void *arg) {
  struct killer *k = arg;
  struct timespec ts = { k->delay_ms / 1000, (k->delay_ms % 1000) * 1000000L };
  nanosleep(&ts, NULL);
  mosaic_kill(k->c, k->reason, k->generation);
  return NULL;
}

// Runs `code` with a kill scheduled `delay_ms` after the call began.
static int run_with_deadline(lua_State *L, mosaic_ctx *c, const char *code, long delay_ms, char *msg, size_t n) {
  msg[0] = 0;
  if (luaL_loadbufferx(L, code, strlen(code), "=test", "t") != LUA_OK) {
    snprintf(msg, n, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    return LUA_ERRSYNTAX;
  }
  struct killer k = { c, mosaic_begin(c), MOSAIC_KILL_TIMEOUT, delay_ms };
  pthread_t t;
  pthread_create(&t, NULL, killer_main, &k);
  int st = mosaic_pcall(L, 0, 0, 0);
  mosaic_end(c);
  pthread_join(t, NULL);
  if (st != LUA_OK) {
    const char *s = lua_tostring(L, -1);
    snprintf(msg, n, "%s", s ? s : "(no message)");
    lua_pop(L, 1);
  }
  return st;
}

static void test_kill_in_pcall(void) {
  mosaic_ctx *c;
  lua_State *L = new_state(&c, 0);
  if (!L) { check(0, "a state opens", NULL); return; }
  c->timeout_ms = 100;
  char msg[512];
  int st = run_with_deadline(L, c,
                             "for _ = 1, 3 do pcall(function() while true do end end) end\n"
                             "xpcall(function() while true do end end, function(e) return e end)\n"
                             "GOT_PAST = true\n", 100, msg, sizeof msg);
  check(st != LUA_OK, "a run killed at its deadline fails though its loop is in pcall", msg);
  check(mosaic_killed(c) == MOSAIC_KILL_TIMEOUT, "the kill reason is the deadline", NULL);
  check(strstr(msg, "time limit exceeded") != NULL, "the error says the time limit", msg);
  lua_getglobal(L, "GOT_PAST");
  check(lua_isnil(L, -1), "nothing after the killed loop ran", NULL);
  lua_pop(L, 1);
  // A killed state stays killed: the next call fails at once.
  st = run(L, c, "X = 1", msg, sizeof msg);
  check(st != LUA_OK, "a later call on the killed state fails", msg);
  free_state(c);
}

static void test_kill_stops_coroutines(void) {
  char msg[512];
  // The coroutine runs when the kill comes: it is the thread the kill arms.
  mosaic_ctx *c;
  lua_State *L = new_state(&c, 0);
  if (!L) { check(0, "a state opens", NULL); return; }
  c->timeout_ms = 100;
  int st = run(L, c, "CO = coroutine.create(function() while true do end end)", msg, sizeof msg);
  check(st == LUA_OK, "a coroutine is created in an earlier call", msg);
  st = run_with_deadline(L, c,
                         "local ok, a, b = pcall(coroutine.resume, CO)\n"
                         "GOT_PAST = true\n", 100, msg, sizeof msg);
  check(st != LUA_OK, "a coroutine created before the kill stops when it comes", msg);
  check(mosaic_killed(c) == MOSAIC_KILL_TIMEOUT, "the kill reason is the deadline", NULL);
  lua_getglobal(L, "GOT_PAST");
  check(lua_isnil(L, -1), "the caller of the killed coroutine did not go on", NULL);
  lua_pop(L, 1);
  free_state(c);

  // The coroutine is resumed after the kill (created before it, idle when it came):
  // resuming arms it, so it stops at its first instruction.
  L = new_state(&c, 0);
  if (!L) return;
  c->timeout_ms = 100;
  st = run_with_deadline(L, c,
                         "local co = coroutine.wrap(function() while true do coroutine.yield() end end)\n"
                         "local n = 0\n"
                         "while true do n = n + 1; pcall(co) end\n", 100, msg, sizeof msg);
  check(st != LUA_OK, "a coroutine resumed again and again after the kill stops with the run", msg);
  check(mosaic_killed(c) == MOSAIC_KILL_TIMEOUT, "the kill reason is the deadline", NULL);
  free_state(c);
}

static void test_instruction_budget(void) {
  mosaic_ctx *c;
  lua_State *L = new_state(&c, 0);
  if (!L) { check(0, "a state opens", NULL); return; }
  c->instr_limit = 200000;
  char msg[512];
  int st = run(L, c, "local co = coroutine.wrap(function() while true do end end)\n"
                     "pcall(co)\n"
                     "while true do pcall(function() end) end\n", msg, sizeof msg);
  check(st != LUA_OK, "a run past its instruction budget fails, in a coroutine under pcall", msg);
  check(mosaic_killed(c) == MOSAIC_KILL_INSTRUCTIONS, "the kill reason is the instruction budget", msg);
  free_state(c);
}

static void test_stale_kill_is_ignored(void) {
  // A watchdog firing for a call that already ended does nothing.
  mosaic_ctx *c;
  lua_State *L = new_state(&c, 0);
  if (!L) { check(0, "a state opens", NULL); return; }
  unsigned g = mosaic_begin(c);
  mosaic_end(c);
  check(mosaic_kill(c, MOSAIC_KILL_TIMEOUT, g) == 0, "a kill for a call that ended is refused", NULL);
  char msg[512];
  int st = run(L, c, "X = 1", msg, sizeof msg);
  check(st == LUA_OK && mosaic_killed(c) == 0, "and the state goes on", msg);
  free_state(c);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  signal(SIGALRM, on_alarm);
  alarm(20);
  test_allocator_cap();
  test_kill_in_pcall();
  test_kill_stops_coroutines();
  test_instruction_budget();
  test_stale_kill_is_ignored();
  printf("%d failed\n", failures);
  return failures == 0 ? 0 : 1;
}
