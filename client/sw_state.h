/* sw_state.h - what the SWIMA IMC's event histories (sw_events.h for dpkg,
 * sw_rpm_events.h for rpm) share about their state files: a random EID
 * Epoch, their numbers and the file replaced whole and atomically.
 */
#ifndef TNC_SW_STATE_H
#define TNC_SW_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

/* A random nonzero EID Epoch; -errno when there is no randomness. */
int sw_state_random_epoch(uint32_t *ret) TNC_MUST_CHECK;

/* s, all of it, as a decimal number up to UINT32_MAX (no sign, no space). */
bool sw_state_parse_u32(const char *s, uint32_t *ret);

/* Replaces the file at path by what put(f, ctx) writes (nonzero from it
 * is an error): a temporary file next to it, synced and renamed over it,
 * so a reader sees the old file or the new one.  Its directory must exist. */
int sw_state_replace(const char *path, int (*put)(FILE *f, void *ctx), void *ctx)
    TNC_MUST_CHECK;

#endif
