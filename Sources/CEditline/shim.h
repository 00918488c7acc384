// CEditline: Debian's libedit (readline-compatible API) for the console. Swift 6 cannot
// touch libedit's global variables directly, so tiny accessors stand in for them.
#ifndef MOSAIC_CEDITLINE_SHIM_H
#define MOSAIC_CEDITLINE_SHIM_H
#include <stdio.h>
#include <editline/readline.h>

static inline void mosaic_rl_set_catch_signals(int on) { rl_catch_signals = on; }
static inline void mosaic_rl_set_completion(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void mosaic_rl_set_completion_over(int on) { rl_attempted_completion_over = on; }
static inline void mosaic_rl_set_append_character(int c) { rl_completion_append_character = c; }
static inline const char *mosaic_rl_line_buffer(void) { return rl_line_buffer; }
static inline void mosaic_rl_set_word_breaks(const char *s) { rl_basic_word_break_characters = s; }
#endif
