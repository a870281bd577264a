/* fuzz_eap_conv.h - what the EAP conversation harnesses (fuzz_eap_peer.c,
 * fuzz_eap_server.c) share: their input as a sequence of operations after
 * a first octet of options, and the invariants of a conversation's end.
 * Header-only: each harness is one program of its own. */
#ifndef TNC_FUZZ_EAP_CONV_H
#define TNC_FUZZ_EAP_CONV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "eap_ttls_keys.h"
#include "err.h"

/* A broken invariant aborts: libFuzzer reports the input. */
static inline void
check(bool ok)
{
	if (!ok)
		abort();
}

/* The operations after the options octet, each
 *     op (1 octet) | length (2 octets) | data
 * with a length past the input's end cut to it. */
struct fuzz_ops {
	const uint8_t *data;
	size_t size, at;
};

static inline struct fuzz_ops
fuzz_ops_of(const uint8_t *data, size_t size)
{
	return (struct fuzz_ops){data, size, size > 0 ? 1 : 0};
}

/* The next operation's code and data; false when none is left. */
static inline bool
fuzz_ops_next(struct fuzz_ops *o, uint8_t *code, const uint8_t **arg, size_t *len)
{
	if (o->size - o->at < 3)
		return false;
	*code = o->data[o->at];
	*len = (size_t)o->data[o->at + 1] << 8 | o->data[o->at + 2];
	o->at += 3;
	if (*len > o->size - o->at)
		*len = o->size - o->at;
	*arg = o->data + o->at;
	o->at += *len;
	return true;
}

/* The conversation's end as its done() callback told it. */
struct fuzz_eap_end {
	unsigned dones;
	bool success;
	struct eap_keys keys;
};

/* done(): at most once, with keys on success and a reason on failure. */
static inline void
fuzz_eap_end_done(struct fuzz_eap_end *e, bool success, const struct eap_keys *keys,
    const char *reason)
{
	check(e->dones++ == 0);
	check(success ? keys != NULL : reason != NULL && reason[0] != 0);
	e->success = success;
	if (keys)
		e->keys = *keys;
}

/* A call's result: 0, discarded (TNC_EAGAIN) or not at this time
 * (TNC_ESTATE) leave the conversation as it was; any other code means it
 * failed, and done(false) has come. */
static inline void
fuzz_eap_end_check_rc(const struct fuzz_eap_end *e, int rc)
{
	if (rc != 0 && rc != TNC_EAGAIN && rc != TNC_ESTATE)
		check(e->dones == 1 && !e->success);
}

#endif
