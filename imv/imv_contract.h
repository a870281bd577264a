/* imv_contract.h - one connection's TCG IF-M Segmentation contracts (TCG
 * IF-M Segmentation 1.0): the one we offer and the one the IMC offers.
 *
 * imv_contract_ask() puts our Segmentation Contract Request into a message;
 * a request from the IMC is answered by imv_contract_answer() in each next
 * message until one carrying it is out (imv_contract_answered()); either
 * kind from the IMC records what it takes from us.  Our Maximum Message
 * Size is what one connection may reassemble (imv_budget_conn_max()), so
 * an IMC that keeps the contract is never refused for size.  Logs with
 * LOG(IMV, ...) naming the IMV and the PA message type.
 */
#ifndef TNC_IMV_CONTRACT_H
#define TNC_IMV_CONTRACT_H

#include <stdbool.h>
#include <stdint.h>

#include "imv_msg.h"

/* Octets an envelope adds around a segment in a PA-TNC message: message
 * header, attribute header, envelope flags and Base Message ID. */
#define IMV_SEGMENT_OVERHEAD (PA_TNC_HEADER_LEN + PA_TNC_ATTR_HEADER_LEN + 4)

struct imv_contract {
	uint16_t imv_id;
	uint32_t pa_vendor, pa_subtype; /* the PA message type it is for */
	struct pa_segment_contract own; /* what we take */
	bool asked;                     /* the IMC's request awaits our response */
	bool peer_known;
	struct pa_segment_contract peer; /* what the IMC takes */
};

/* For a connection whose PA-TNC messages carry at most max_msg octets; we
 * offer segments of at most max_seg_size octets, cut so an envelope fits
 * one message. */
void imv_contract_init(struct imv_contract *c, uint16_t imv_id, uint32_t pa_vendor,
    uint32_t pa_subtype, uint32_t max_msg, uint32_t max_seg_size);
/* Forgets what the IMC asked and offered (a new handshake). */
void imv_contract_reset(struct imv_contract *c);

/* Appends our Segmentation Contract Request to m. */
void imv_contract_ask(const struct imv_contract *c, struct imv_msg *m);
/* Appends the Segmentation Contract Response imc_id is owed, if any. */
void imv_contract_answer(const struct imv_contract *c, struct imv_msg *m, uint16_t imc_id);
/* A message carrying the response is out. */
void imv_contract_answered(struct imv_contract *c);
/* A Segmentation Contract Request or Response attribute from imc_id. */
int imv_contract_received(struct imv_contract *c, uint16_t imc_id, const struct pa_tnc_attr *a,
    struct parse_error *ret_err) TNC_MUST_CHECK;

#endif
