// The `mosaic_rows` table-valued function: see include/RowTable.h.
#include "RowTable.h"
#include <string.h>

static const char *const batchType = "mosaic_rows";
#define BATCH_COLUMN MOSAIC_ROWS_MAX_COLUMNS

typedef struct {
    sqlite3_vtab_cursor base;
    const mosaic_rows *batch;
    int64_t row;          // the current row's index
    int64_t next;         // where the row after it starts in batch->bytes
    unsigned char tag[MOSAIC_ROWS_MAX_COLUMNS];
    const unsigned char *text[MOSAIC_ROWS_MAX_COLUMNS];
    int64_t word[MOSAIC_ROWS_MAX_COLUMNS];   // an integer, a real's bits, or a text's length
    int corrupt;
} RowCursor;

static int rowsConnect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
    (void)aux; (void)argc; (void)argv; (void)err;
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(c0,c1,c2,c3,c4,c5,c6,c7,c8,c9,c10,c11,c12,c13,c14,c15, batch HIDDEN)");
    if (rc != SQLITE_OK) return rc;
    sqlite3_vtab *tab = sqlite3_malloc(sizeof(*tab));
    if (!tab) return SQLITE_NOMEM;
    memset(tab, 0, sizeof(*tab));
    *out = tab;
    return SQLITE_OK;
}

static int rowsDisconnect(sqlite3_vtab *tab) { sqlite3_free(tab); return SQLITE_OK; }

static int rowsOpen(sqlite3_vtab *tab, sqlite3_vtab_cursor **out) {
    (void)tab;
    RowCursor *c = sqlite3_malloc(sizeof(*c));
    if (!c) return SQLITE_NOMEM;
    memset(c, 0, sizeof(*c));
    *out = &c->base;
    return SQLITE_OK;
}

static int rowsClose(sqlite3_vtab_cursor *cur) { sqlite3_free(cur); return SQLITE_OK; }

/// Decodes the row that starts at c->next; marks the batch corrupt when it runs past the end.
static void decodeRow(RowCursor *c) {
    const mosaic_rows *b = c->batch;
    int64_t p = c->next;
    for (int i = 0; i < b->columns; i++) {
        if (p >= b->length) { c->corrupt = 1; return; }
        unsigned char tag = b->bytes[p++];
        c->tag[i] = tag;
        if (tag == MOSAIC_FIELD_INT || tag == MOSAIC_FIELD_REAL) {
            if (p + 8 > b->length) { c->corrupt = 1; return; }
            memcpy(&c->word[i], b->bytes + p, 8);
            p += 8;
        } else if (tag == MOSAIC_FIELD_TEXT) {
            uint32_t n;
            if (p + 4 > b->length) { c->corrupt = 1; return; }
            memcpy(&n, b->bytes + p, 4);
            p += 4;
            if (p + (int64_t)n > b->length) { c->corrupt = 1; return; }
            c->text[i] = b->bytes + p;
            c->word[i] = n;
            p += n;
        } else if (tag != MOSAIC_FIELD_NULL) {
            c->corrupt = 1; return;
        }
    }
    c->next = p;
}

static int rowsFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc, sqlite3_value **argv) {
    (void)idxStr;
    RowCursor *c = (RowCursor *)cur;
    c->batch = (idxNum == 1 && argc == 1) ? sqlite3_value_pointer(argv[0], batchType) : 0;
    c->row = 0; c->next = 0; c->corrupt = 0;
    if (c->batch && c->batch->columns > MOSAIC_ROWS_MAX_COLUMNS) c->corrupt = 1;
    else if (c->batch && c->batch->rows > 0) decodeRow(c);
    if (c->corrupt) { cur->pVtab->zErrMsg = sqlite3_mprintf("mosaic_rows: the batch is malformed"); return SQLITE_CORRUPT; }
    return SQLITE_OK;
}

static int rowsNext(sqlite3_vtab_cursor *cur) {
    RowCursor *c = (RowCursor *)cur;
    c->row++;
    if (c->row < c->batch->rows) decodeRow(c);
    if (c->corrupt) { cur->pVtab->zErrMsg = sqlite3_mprintf("mosaic_rows: the batch is malformed"); return SQLITE_CORRUPT; }
    return SQLITE_OK;
}

static int rowsEof(sqlite3_vtab_cursor *cur) {
    RowCursor *c = (RowCursor *)cur;
    return !c->batch || c->row >= c->batch->rows;
}

static int rowsColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i) {
    RowCursor *c = (RowCursor *)cur;
    if (i >= c->batch->columns) { sqlite3_result_null(ctx); return SQLITE_OK; }
    switch (c->tag[i]) {
    case MOSAIC_FIELD_INT: sqlite3_result_int64(ctx, c->word[i]); break;
    case MOSAIC_FIELD_REAL: { double d; memcpy(&d, &c->word[i], 8); sqlite3_result_double(ctx, d); break; }
    case MOSAIC_FIELD_TEXT: sqlite3_result_text(ctx, (const char *)c->text[i], (int)c->word[i], SQLITE_STATIC); break;
    default: sqlite3_result_null(ctx);
    }
    return SQLITE_OK;
}

static int rowsRowid(sqlite3_vtab_cursor *cur, sqlite_int64 *rowid) {
    *rowid = ((RowCursor *)cur)->row;
    return SQLITE_OK;
}

/// The batch must be given (`mosaic_rows(?)`): without it there is no plan.
static int rowsBestIndex(sqlite3_vtab *tab, sqlite3_index_info *info) {
    (void)tab;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *k = &info->aConstraint[i];
        if (k->iColumn != BATCH_COLUMN || k->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
        if (!k->usable) return SQLITE_CONSTRAINT;
        info->aConstraintUsage[i].argvIndex = 1;
        info->aConstraintUsage[i].omit = 1;
        info->idxNum = 1;
        info->estimatedCost = 1;
        return SQLITE_OK;
    }
    info->idxNum = 0;
    info->estimatedCost = 1e99;
    return SQLITE_OK;
}

static sqlite3_module rowsModule = {
    .iVersion = 0,
    .xCreate = 0,   // eponymous only: no CREATE VIRTUAL TABLE
    .xConnect = rowsConnect, .xBestIndex = rowsBestIndex, .xDisconnect = rowsDisconnect,
    .xOpen = rowsOpen, .xClose = rowsClose, .xFilter = rowsFilter, .xNext = rowsNext,
    .xEof = rowsEof, .xColumn = rowsColumn, .xRowid = rowsRowid,
};

int mosaic_rows_register(sqlite3 *db) { return sqlite3_create_module(db, batchType, &rowsModule, 0); }

int mosaic_rows_bind(sqlite3_stmt *stmt, int index, const mosaic_rows *batch) {
    return sqlite3_bind_pointer(stmt, index, (void *)batch, batchType, 0);
}
