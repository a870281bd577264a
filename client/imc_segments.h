/* imc_segments.h - TCG IF-M Segmentation, the IMC's side: the contracts
 * IMVs ask for and the segmented attributes handed out on Next Segment.
 * The IMC never asks for a contract itself, so IMVs may not send it
 * segments.  Contracts and exchanges belong to one handshake.
 * Diagnostics: IMV subsystem (shown as IMC by tncclient).
 */
#ifndef TNC_IMC_SEGMENTS_H
#define TNC_IMC_SEGMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imc_reply.h"
#include "pa_segment.h"

#define IMC_SEGMENTS_CONTRACTS 16
/* Our own segment size limit, the one strongSwan's IMCs offer over PT-TLS. */
#define IMC_SEGMENTS_OWN_MAX_SEG 0x1fffb8u

struct imc_contract {
	bool used;
	uint16_t imv;
	struct pa_segment_contract sizes; /* what we agreed to send to that IMV */
};

struct imc_exchange;

struct imc_segments {
	struct imc_contract contracts[IMC_SEGMENTS_CONTRACTS];
	struct imc_exchange *exchanges;
	uint32_t next_base_id;
};

void imc_segments_init(struct imc_segments *s);
/* A new handshake: no contracts, no exchanges. */
void imc_segments_forget(struct imc_segments *s);
/* The contract with imv, or NULL. */
const struct pa_segment_contract *imc_segments_contract(const struct imc_segments *s,
    uint16_t imv);
/* A Segmentation Contract Request from r's IMV to IMC imc_id: agreed (our
 * segment size limit applied; it replaces that IMV's earlier one) and
 * answered with the Contract Response; or a decoder's error. */
int imc_segments_on_contract(struct imc_segments *s, unsigned imc_id, struct imc_reply *r,
    struct bytes value, struct parse_error *pe);
/* Keeps a copy of the whole attribute attr (header and value) for IMV imv,
 * cut into segments of max_seg octets: its Base Message ID, or 0 (logged)
 * when it cannot be cut so.  imc_segments_send() then sends the first. */
uint32_t imc_segments_start(struct imc_segments *s, uint16_t imv, struct bytes attr,
    uint32_t max_seg);
/* Adds the next segment of base_id for r's IMV to r; the exchange ends
 * with its last. */
void imc_segments_send(struct imc_segments *s, struct imc_reply *r, uint32_t base_id);
/* Next Segment (or its cancel) and Cancel Segment Exchange from r's IMV;
 * 0 or a decoder's error (Next Segment of an unknown base message ID:
 * Invalid Parameter). */
int imc_segments_on_next(struct imc_segments *s, struct imc_reply *r, struct bytes value,
    struct parse_error *pe);
int imc_segments_on_cancel(struct imc_segments *s, struct imc_reply *r, struct bytes value,
    struct parse_error *pe);

#endif
