// CEditline: Debian's libedit (readline-compatible API) for the console.
#ifndef MOSAIC_CEDITLINE_SHIM_H
#define MOSAIC_CEDITLINE_SHIM_H
#include <stdio.h>
#include <editline/readline.h>
#endif
