// CSQLite: Debian's libsqlite3, for the store's hot paths (bulk import, snapshot load)
// that step statements directly on GRDB's connection. GRDB owns the connection.
#ifndef MOSAIC_CSQLITE_SHIM_H
#define MOSAIC_CSQLITE_SHIM_H
#include <sqlite3.h>
static inline sqlite3_destructor_type mosaic_sqlite_transient(void) { return SQLITE_TRANSIENT; }
#endif
