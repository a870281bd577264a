/* sasl_rate.h - how many password verifications clients may cause per
 * second.  One Argon2id verification takes milliseconds of tnc-ike's one
 * loop: a client guessing passwords must not stall every other connection,
 * so each source address (IPv6: its /64, as source_limit.h) gets
 * per_source a second and all sources together total a second (fixed
 * one-second windows).  Memory: one entry per verification of the current
 * window, so at most total entries. */
#ifndef TNC_SASL_RATE_H
#define TNC_SASL_RATE_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "source_limit.h"

void sasl_rate_init(unsigned per_source, unsigned total);
/* Counts one verification from key at now_ms: 0, or TNC_EAGAIN when key's
 * source (*ret_whole false) or all sources (true) had theirs this second;
 * *ret_first_refusal is true for the first refusal of the window (the one
 * to log). */
int sasl_rate_take(const struct source_key *key, uint64_t now_ms, bool *ret_whole,
    bool *ret_first_refusal) TNC_MUST_CHECK;

#endif
