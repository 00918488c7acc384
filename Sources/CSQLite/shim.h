// CSQLite: Debian's libsqlite3, for the store's hot paths (bulk import, snapshot load)
// that step statements directly on GRDB's connection. GRDB owns the connection.
#ifndef MOSAIC_CSQLITE_SHIM_H
#define MOSAIC_CSQLITE_SHIM_H
#include <sqlite3.h>
static inline sqlite3_destructor_type mosaic_sqlite_transient(void) { return SQLITE_TRANSIENT; }
// Turns off SQLite's memory statistics (a global mutex around every allocation); only
// possible before the first connection opens (else SQLITE_MISUSE, which is harmless).
static inline int mosaic_sqlite_disable_memstatus(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
#endif
