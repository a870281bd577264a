/* ike_proposal.h - choosing one of the peer's SA proposals (RFC 7296 2.7,
 * 3.3) against our configured transform sets, in our order of preference.
 *
 * A peer proposal matches a set when it offers each of the set's
 * transforms (ENCR with the same Key Length; for AES-GCM no integrity
 * transform other than NONE, RFC 5282 8; for AES-CBC the set's INTEG; for
 * IKE the PRF and D-H group).  ESP proposals must offer ESN none when they
 * list ESN at all; their D-H transforms are not matched (no PFS in
 * IKE_AUTH, RFC 7296 1.2; a rekey's PFS reads the chosen proposal's,
 * ike_sa_rekey.c).
 */
#ifndef TNC_IKE_PROPOSAL_H
#define TNC_IKE_PROPOSAL_H

#include <stddef.h>
#include <stdint.h>

#include "ike_sa.h"
#include "ikev2.h"

struct ike_choice {
	uint8_t num;      /* the peer's Proposal Num, kept in the answer */
	struct bytes spi; /* the peer's SPI (ESP: its inbound SPI) */
	uint16_t encr, encr_bits, integ, prf, dh; /* ESP: dh 0 unless set for PFS */
	struct bytes transforms; /* the chosen proposal's, for its D-H transforms (PFS) */
};

enum ike_select_result {
	IKE_SELECT_OK,
	IKE_SELECT_OTHER_GROUP, /* acceptable, but with ret->dh, not the KE's group */
	IKE_SELECT_NONE,        /* NO_PROPOSAL_CHOSEN */
};

/* proposals: a validated SA payload body; ke_group: the KE payload's. */
enum ike_select_result ike_select_ike(struct bytes proposals, const struct ike_suite_cfg *cfg,
    size_t count, uint16_t ke_group, struct ike_choice *ret);
enum ike_select_result ike_select_esp(struct bytes proposals, const struct ike_esp_cfg *cfg,
    size_t count, struct ike_choice *ret);

/* The SA payload of our answer: the chosen proposal with our spi (ESP:
 * with a D-H transform when c->dh is set, for a PFS rekey). */
void ike_choice_add_sa(struct ikev2_builder *b, const struct ike_choice *c, uint8_t protocol,
    struct bytes spi);

#endif
