/* imv_rx.h - a received PA-TNC message of an IMV taken apart (RFC 5792
 * 4.1, 4.2): validated against the IMV's limits, then each attribute
 * handed to the IMV's handler for its type.  The TCG Segmentation
 * attributes every IMV takes are handled here (imv_contract.h,
 * imv_reasm.h): a reassembled attribute is dispatched like one that came
 * whole, errors in it pointing at its envelope.
 *
 * A message that does not parse fails the connection (Invalid Parameter)
 * or, for an unsupported PA-TNC version or NOSKIP attribute, is ignored
 * with the PA-TNC Error RFC 5792 asks for queued (imv_errors.h).  An
 * attribute value that does not decode, or decodes to something the IMV
 * cannot use, fails the connection through imv_rx_bad() and
 * imv_rx_refuse(), which queue the Invalid Parameter error answering it.
 */
#ifndef TNC_IMV_RX_H
#define TNC_IMV_RX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imv_link.h"
#include "imv_reasm.h"
#include "pa_tnc.h"

struct imv_rx;

/* 0, or TNC_EINVALID when the connection failed: the rest of the message
 * is not looked at. */
typedef int imv_rx_fn(struct imv_rx *rx, const struct pa_tnc_attr *a);

struct imv_rx_handler {
	uint32_t vendor, type;
	imv_rx_fn *fn;
};

/* How one IMV takes its messages apart (a constant of the IMV). */
struct imv_rx_ops {
	uint16_t imv_id;
	/* What a message may hold; its supported types also decide whether a
	 * reassembled attribute with NOSKIP is taken. */
	const struct pa_tnc_limits *limits;
	const struct imv_rx_handler *handlers; /* the IMV's own types */
	size_t n_handlers;
	/* The connection fails for a malformed message (what at pe's offset);
	 * with tell_imc the Invalid Parameter error is owed (the IMV's
	 * X_state_fail()). */
	void (*fail)(void *st, const uint8_t *msg, size_t len, const struct parse_error *pe,
	    const char *what, bool tell_imc);
	/* A reassembled attribute was used: frees it (NULL: imv_reasm_drop();
	 * the OS IMV's os_state_drop_segments() returns its test reservation
	 * of the budget too). */
	void (*drop_segments)(void *st);
	/* The OS IMV logs each attribute in the seeds' words at level 2, its
	 * value at 4 and the skipped ones by name, and answers a reassembled
	 * NOSKIP attribute it does not support with Attribute Type Not
	 * Supported, as it answers one that came whole; the SWIMA and
	 * Attestation IMVs, whose messages carry hundreds of attributes, log
	 * them at level 3 and skip such an attribute silently. */
	bool os_style;
};

/* One message being taken apart: where errors point. */
struct imv_rx {
	const struct imv_rx_ops *ops;
	void *st; /* the IMV's connection state */
	struct imv_link *link;
	struct imv_reasm **reasm; /* the state's segmented attribute in flight */
	const uint8_t *msg;
	size_t len;
	const struct pa_tnc_attr *outer; /* the envelope of a reassembled attribute */
};

/* Validates msg of the IMC link->imc_id and hands its attributes to the
 * handlers, stopping at the first that fails the connection. */
void imv_rx_process(const struct imv_rx_ops *ops, void *st, struct imv_link *link,
    struct imv_reasm **reasm, const uint8_t *msg, size_t len);
/* An attribute value that does not decode (why NULL: pe says where and
 * why) or that the IMV refuses (why): the connection fails, answered with
 * Invalid Parameter at the value's offset in the message (the envelope's
 * for a reassembled one) unless a is itself a PA-TNC Error.  TNC_EINVALID. */
int imv_rx_bad(struct imv_rx *rx, const struct pa_tnc_attr *a, struct parse_error *pe,
    const char *why);
/* A value that decodes but cannot be used: imv_rx_bad() at its start. */
int imv_rx_refuse(struct imv_rx *rx, const struct pa_tnc_attr *a, const char *why);

#endif
