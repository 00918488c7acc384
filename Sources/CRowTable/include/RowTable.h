// CRowTable: a table-valued function over rows encoded in memory, so that a bulk write is
// one `INSERT INTO t SELECT … FROM mosaic_rows(?)` (a single statement step) instead of
// one prepared-statement step per row. Provides: the `mosaic_rows` module and a helper to
// bind a batch to a statement. Uses: SQLite's C API (Debian's libsqlite3).
#ifndef MOSAIC_ROW_TABLE_H
#define MOSAIC_ROW_TABLE_H
#include <stdint.h>
#include <sqlite3.h>

/// The most columns a batch row may have.
#define MOSAIC_ROWS_MAX_COLUMNS 16

/// Field tags in the encoded rows: each field is a tag byte, then for an integer or a real
/// 8 bytes (little-endian bit pattern), for a text a 4-byte little-endian length and its
/// UTF-8 bytes, for null nothing.
enum { MOSAIC_FIELD_NULL = 0, MOSAIC_FIELD_INT = 1, MOSAIC_FIELD_REAL = 2, MOSAIC_FIELD_TEXT = 3 };

/// Rows encoded one after another, `columns` fields each. The bytes must stay valid and
/// unchanged while a statement bound to the batch runs.
typedef struct mosaic_rows {
    const unsigned char *bytes;
    int64_t length;
    int64_t rows;
    int32_t columns;
} mosaic_rows;

/// Registers the eponymous table-valued function `mosaic_rows(batch)` on `db`; its columns
/// are c0…c15 and its rowid is the row's index in the batch (from 0).
int mosaic_rows_register(sqlite3 *db);

/// Binds `batch` as parameter `index` of `stmt` (a pointer SQLite passes only to `mosaic_rows`).
int mosaic_rows_bind(sqlite3_stmt *stmt, int index, const mosaic_rows *batch);

#endif
