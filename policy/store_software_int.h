/* store_software_int.h - what the software database's files share
 * (store_software*.c): devices by device ID, identifiers by name in
 * batches, and a row-at-a-time listing helper.  Not for callers of the
 * store (policy_software.h is). */
#ifndef TNC_STORE_SOFTWARE_INT_H
#define TNC_STORE_SOFTWARE_INT_H

#include "policy_software.h"
#include "store_int.h"

/* Rows in one multi-row statement: an inventory of 5,000 identifiers is
 * 50 statements, each prepared once per connection. */
#define SW_BATCH 100

/* The id of the device, created (without a product; the session's record
 * sets it) when new, in the caller's write transaction. */
int sw_device_ensure(struct policy_store *s, const char *device, int64_t now, int64_t *ret)
    TNC_MUST_CHECK;
/* The id of a known device: TNC_ENOTFOUND ("no device 'x'") when none. */
int sw_device_find(struct policy_store *s, const char *device, int64_t *ret) TNC_MUST_CHECK;

/* Checks an identifier's fields (what names the field on failure). */
int sw_id_check(struct policy_store *s, const struct ps_sw_id *id) TNC_MUST_CHECK;

/* v (n pointers) sorted by name with repeated names dropped; *n shrinks. */
void sw_ids_unique(const struct ps_sw_id **v, size_t *n);
/* The index in v (sorted, unique) of name, or -1. */
ptrdiff_t sw_ids_find(const struct ps_sw_id *const *v, size_t n, const char *name);

/* In the caller's write transaction: each identifier of v (sorted,
 * unique) created if new (a known one learns its package, version and
 * regid when it had none), its id into ids[i]. */
int sw_ids_resolve(struct policy_store *s, const struct ps_sw_id *const *v, size_t n,
    int64_t *ids) TNC_MUST_CHECK;

/* Runs a multi-row statement over rows [0, n): batch_sql takes SW_BATCH
 * rows and one_sql one row, each of width parameters, which bind(ctx, row,
 * p) fills.  Each statement's result rows go to each(ctx, s, r) when it is
 * not NULL; *ret_changes (may be NULL) adds up the rows they changed. */
typedef void sw_bind_fn(void *ctx, size_t row, struct store_param *p);
typedef int sw_rows_fn(void *ctx, struct policy_store *s, struct store_rows *r);
int sw_batch(struct policy_store *s, const char *batch_sql, const char *one_sql, size_t width,
    size_t n, sw_bind_fn *bind, sw_rows_fn *each, void *ctx, int64_t *ret_changes)
    TNC_MUST_CHECK;

/* The cells of a listing row, as policy_admin_list gives them. */
struct ps_cell sw_cell_text(const char *v);
struct ps_cell sw_cell_int(int64_t v);

#endif
