/* ike_proposal.c - proposal selection (see ike_proposal.h). */
#include "ike_proposal.h"

#include <stdbool.h>

#include "ikev2_suite.h"

/* Whether p lists transform (type, id) with key length bits (0: none). */
static bool
offers(const struct ikev2_proposal *p, uint8_t type, uint16_t id, uint16_t bits)
{
	struct bytes list = p->transforms;
	struct ikev2_transform t;

	while (ikev2_transform_next(&list, &t))
		if (t.type == type && t.id == id && t.key_length == bits)
			return true;
	return false;
}

/* Whether p lists any transform of type. */
static bool
has_type(const struct ikev2_proposal *p, uint8_t type)
{
	struct bytes list = p->transforms;
	struct ikev2_transform t;

	while (ikev2_transform_next(&list, &t))
		if (t.type == type)
			return true;
	return false;
}

/* ENCR and INTEG as the set has them. */
static bool
offers_cipher(const struct ikev2_proposal *p, uint16_t encr, uint16_t bits, uint16_t integ)
{
	if (!offers(p, IKEV2_TRANS_ENCR, encr, bits))
		return false;
	if (encr == IKEV2_ENCR_AES_GCM_16)
		return !has_type(p, IKEV2_TRANS_INTEG) ||
		    offers(p, IKEV2_TRANS_INTEG, IKEV2_INTEG_NONE, 0);
	return offers(p, IKEV2_TRANS_INTEG, integ, 0);
}

static bool
match_ike(const struct ikev2_proposal *p, const struct ike_suite_cfg *c)
{
	return p->protocol == IKEV2_PROTO_IKE && offers_cipher(p, c->encr, c->encr_bits, c->integ) &&
	    offers(p, IKEV2_TRANS_PRF, c->prf, 0) && offers(p, IKEV2_TRANS_DH, c->dh, 0);
}

static void
choose(const struct ikev2_proposal *p, uint16_t encr, uint16_t bits, uint16_t integ,
    uint16_t prf, uint16_t dh, struct ike_choice *ret)
{
	*ret = (struct ike_choice){.num = p->num, .spi = p->spi, .encr = encr, .encr_bits = bits,
	    .integ = encr == IKEV2_ENCR_AES_GCM_16 ? IKEV2_INTEG_NONE : integ, .prf = prf, .dh = dh,
	    .transforms = p->transforms};
}

enum ike_select_result
ike_select_ike(struct bytes proposals, const struct ike_suite_cfg *cfg, size_t count,
    uint16_t ke_group, struct ike_choice *ret)
{
	struct ikev2_proposal p;

	/* A set the peer offers with the group of its KE first: no round trip;
	 * else the first set it offers at all, for INVALID_KE_PAYLOAD. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < count; i++) {
			const struct ike_suite_cfg *c = &cfg[i];
			if (pass == 0 && c->dh != ke_group)
				continue;
			struct bytes list = proposals;
			while (ikev2_proposal_next(&list, &p)) {
				if (!match_ike(&p, c))
					continue;
				choose(&p, c->encr, c->encr_bits, c->integ, c->prf, c->dh, ret);
				return pass == 0 ? IKE_SELECT_OK : IKE_SELECT_OTHER_GROUP;
			}
		}
	}
	return IKE_SELECT_NONE;
}

enum ike_select_result
ike_select_esp(struct bytes proposals, const struct ike_esp_cfg *cfg, size_t count,
    struct ike_choice *ret)
{
	struct ikev2_proposal p;

	for (size_t i = 0; i < count; i++) {
		const struct ike_esp_cfg *c = &cfg[i];
		struct bytes list = proposals;
		while (ikev2_proposal_next(&list, &p)) {
			if (p.protocol != IKEV2_PROTO_ESP || p.spi.len != 4 ||
			    !offers_cipher(&p, c->encr, c->encr_bits, c->integ))
				continue;
			if (has_type(&p, IKEV2_TRANS_ESN) && !offers(&p, IKEV2_TRANS_ESN, 0, 0))
				continue;
			choose(&p, c->encr, c->encr_bits, c->integ, 0, 0, ret);
			return IKE_SELECT_OK;
		}
	}
	return IKE_SELECT_NONE;
}

void
ike_choice_add_sa(struct ikev2_builder *b, const struct ike_choice *c, uint8_t protocol,
    struct bytes spi)
{
	struct ikev2_transform_spec t[5];
	size_t n = 0;

	t[n++] = (struct ikev2_transform_spec){IKEV2_TRANS_ENCR, c->encr, c->encr_bits};
	if (c->integ != IKEV2_INTEG_NONE)
		t[n++] = (struct ikev2_transform_spec){IKEV2_TRANS_INTEG, c->integ, 0};
	if (protocol == IKEV2_PROTO_IKE) {
		t[n++] = (struct ikev2_transform_spec){IKEV2_TRANS_PRF, c->prf, 0};
		t[n++] = (struct ikev2_transform_spec){IKEV2_TRANS_DH, c->dh, 0};
	} else {
		if (c->dh)
			t[n++] = (struct ikev2_transform_spec){IKEV2_TRANS_DH, c->dh, 0};
		t[n++] = (struct ikev2_transform_spec){IKEV2_TRANS_ESN, 0, 0};
	}
	const struct ikev2_proposal_spec prop = {c->num, protocol, spi, t, n};
	ikev2_builder_add_sa(b, &prop, 1);
}
