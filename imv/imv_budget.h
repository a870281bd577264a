/* imv_budget.h - the reassembly budget of one IMV process (TCG IF-M
 * Segmentation): how many octets segmented attributes in flight may hold.
 *
 * Two bounds.  Per connection: a connection reassembles one attribute at a
 * time and its declared Length may not exceed conn_max (imv_segments.c
 * checks it on the first segment and reserves the whole Length at once).
 * Per process: the reservations of all connections together stay within
 * total_max.  The defaults keep total_max / conn_max = 32 attributes of
 * the largest size in flight, so a handful of endpoints that start one and
 * hold it (8 of them take a quarter) cannot starve the others.
 * Reservations go back when the attribute completes, is cancelled or
 * refused, or its connection goes away.
 */
#ifndef TNC_IMV_BUDGET_H
#define TNC_IMV_BUDGET_H

#include <stddef.h>

#include "err.h"

#define IMV_REASM_CONN_DEFAULT (4u * 1024 * 1024)
#define IMV_REASM_TOTAL_DEFAULT (128u * 1024 * 1024)
/* The range of both keys; the per-connection cap is also cut to the total. */
#define IMV_REASM_MIN (64u * 1024)
#define IMV_REASM_MAX (512u * 1024 * 1024)

/* Applies a config key of the IMV's section: reassembly_conn_max or
 * reassembly_total_max (octets).  NULL when applied, "" when key is not a
 * budget key, else why the value is refused. */
const char *imv_budget_set(const char *key, const char *value);
/* Back to the defaults, nothing reserved (tests). */
void imv_budget_reset(void);

/* The largest attribute one connection may reassemble. */
size_t imv_budget_conn_max(void);
size_t imv_budget_total_max(void);
/* Octets reserved by all connections. */
size_t imv_budget_used(void);

/* Reserves n more octets for a connection holding *held; TNC_ETOOLONG
 * (nothing reserved) when the process total would pass total_max. */
int imv_budget_reserve(size_t *held, size_t n) TNC_MUST_CHECK;
/* Returns all of *held and sets it to 0. */
void imv_budget_release(size_t *held);

#endif
