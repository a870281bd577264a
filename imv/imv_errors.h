/* imv_errors.h - the PA-TNC Errors (RFC 5792 4.2.8) an IMV owes an IMC,
 * queued until its next PA-TNC message carries them.  The queue is bounded:
 * past IMV_ERRORS_MAX the oldest are kept and the rest dropped (logged). */
#ifndef TNC_IMV_ERRORS_H
#define TNC_IMV_ERRORS_H

#include "imv_msg.h"

#define IMV_ERRORS_MAX 8

struct imv_errors {
	struct pa_ietf_error e[IMV_ERRORS_MAX];
	unsigned n;
};

/* Queues e (copied; its info view must stay valid until delivered). */
void imv_errors_add(struct imv_errors *q, const struct pa_ietf_error *e);
/* A PA-TNC message of imc_id refused whole as pa_tnc_msg_parse() said in
 * pe (version or attribute type not supported): the message is ignored
 * and the IMC told why (RFC 5792 4.2.8); logged. */
void imv_errors_ignore(struct imv_errors *q, uint16_t imc_id, const uint8_t *msg, size_t len,
    const struct parse_error *pe);
/* A malformed message of the IMC: Invalid Parameter at pe's offset. */
void imv_errors_invalid(struct imv_errors *q, const uint8_t *msg, size_t len,
    const struct parse_error *pe);
/* Appends every queued error to m; they stay queued until cleared. */
void imv_errors_put(const struct imv_errors *q, struct imv_msg *m);
/* A message carrying them is out. */
void imv_errors_clear(struct imv_errors *q);

#endif
