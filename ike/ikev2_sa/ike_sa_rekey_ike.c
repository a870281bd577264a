/* ike_sa_rekey_ike.c - the peer rekeys the IKE SA (RFC 7296 1.3.2, 2.18).
 *
 * Request [ SA Ni KEi ] with IKE proposals (the peer's new SPIi in the
 * proposal), on the old IKE SA; answer [ SA Nr KEr ] with our new SPIr,
 * chosen as in IKE_SA_INIT (ike_select_ike(): INVALID_KE_PAYLOAD naming
 * our group, NO_PROPOSAL_CHOSEN).  The new SA's keys:
 *   SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)   with the old PRF,
 *   {SK_d ... SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)  new suite.
 * The struct ike_sa then is the new IKE SA (its SPIs, keys, message IDs
 * from 0; the CHILD_SAs, the EAP identity and the timers stay with it);
 * the old one's SPIs and keys are kept only to answer the retransmission
 * of the rekey request and the peer's DELETE of the old IKE SA, which
 * ends nothing else, or until OLD_IKE_KEEP_MS pass.
 *
 * Refused: a rekey while a request of ours is outstanding (it would be
 * answered on the old SA) or while the old SA of an earlier rekey is still
 * kept (TEMPORARY_FAILURE, 2.25); without Ni or KEi (INVALID_SYNTAX); a
 * proposal without an 8-octet SPI (INVALID_SYNTAX); a KE value ikev2_dh
 * refuses (INVALID_SYNTAX).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_sa_int.h"
#include "ikev2_dh.h"
#include "ikev2_seal.h"
#include "ikev2_sk.h"

/* How long the old IKE SA waits for the peer's DELETE of it, which the
 * initiator sends right after the rekey (2.18). */
#define OLD_IKE_KEEP_MS 60000u

static int
refuse(struct ike_sa *sa, uint16_t type, struct bytes data, int err, const char *reason)
{
	(void)ike_sa_respond_notify(sa, IKEV2_CREATE_CHILD_SA, type, data);
	return ike_sa_fail(sa, err, reason);
}

/* A fresh SPI that is not zero. */
static int
new_spi(struct ike_sa *sa, uint64_t *ret)
{
	uint8_t b[8];

	do {
		if (sa->random(sa->random_arg, b, sizeof(b)))
			return TNC_EINVALID;
		*ret = 0;
		for (int i = 0; i < 8; i++)
			*ret = *ret << 8 | b[i];
	} while (*ret == 0);
	return 0;
}

static uint64_t
get_u64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* The new IKE SA's keys into *ret; *why on failure. */
static int
derive(struct ike_sa *sa, const struct ike_choice *ch, const struct ikev2_dh *dh, struct bytes ke,
    struct bytes ni, struct bytes nr, uint64_t spi_i, uint64_t spi_r, struct ikev2_sa_keys *ret,
    const char **why)
{
	uint8_t gir[IKEV2_DH_MAX_SECRET], skeyseed[IKEV2_PRF_MAX_LEN];
	size_t gir_len = 0;
	struct ikev2_suite suite;
	int err;

	if ((err = ikev2_suite_init(&suite, ch->encr, ch->encr_bits, ch->integ, ch->prf, why)))
		return err;
	if ((err = ikev2_dh_shared(dh, ke, gir, &gir_len, why)))
		return err;
	err = ikev2_skeyseed_rekey(sa->keys.suite.prf, (struct bytes){sa->keys.d,
	    sa->keys.suite.prf_len}, (struct bytes){gir, gir_len}, ni, nr, skeyseed);
	if (!err)
		err = ikev2_sa_keys_derive(&suite, (struct bytes){skeyseed, suite.prf_len}, ni, nr,
		    spi_i, spi_r, ret);
	if (err)
		*why = "key derivation failed";
	OPENSSL_cleanse(gir, sizeof(gir));
	OPENSSL_cleanse(skeyseed, sizeof(skeyseed));
	return err;
}

/* sa becomes the new IKE SA; the old one's identity is kept. */
static void
switch_to_new(struct ike_sa *sa, uint64_t spi_i, uint64_t spi_r, const struct ikev2_sa_keys *keys,
    uint16_t group)
{
	sa->old_ike_active = true;
	sa->old_spi_i = sa->spi_i;
	sa->old_spi_r = sa->spi_r;
	sa->old_keys = sa->keys;
	sa->old_gcm_iv = sa->gcm_iv;
	sa->old_next_mid = sa->next_mid;
	sa->old_resp = sa->resp;
	sa->old_resp_count = sa->resp_count;
	sa->old_until_ms = sa->last_rx_ms + OLD_IKE_KEEP_MS;
	sa->resp = NULL;
	sa->resp_count = 0;
	sa->spi_i = spi_i;
	sa->spi_r = spi_r;
	sa->keys = *keys;
	sa->gcm_iv = 0; /* a new key */
	sa->dh_group = group;
	sa->next_mid = 0;
	sa->our_mid = 0;
	ikev2_frag_reset(&sa->frag);
}

int
ike_sa_rekey_ike(struct ike_sa *sa, struct bytes proposals, const struct ikev2_payload *ni,
    const struct ikev2_payload *ke)
{
	const struct bytes none = {NULL, 0};
	uint8_t nr[IKE_NONCE_LEN], spi[8];
	struct ikev2_sa_keys keys;
	struct ike_choice ch;
	struct ikev2_builder b;
	const char *why = NULL;
	uint64_t spi_r;
	int err;

	if (sa->our_outstanding || sa->old_ike_active)
		return refuse(sa, IKEV2_N_TEMPORARY_FAILURE, none, TNC_ESTATE, sa->our_outstanding ?
		    "IKE SA rekey while a request of ours is outstanding" :
		    "IKE SA rekey before the old IKE SA of the last one is deleted");
	if (!ni || !ke)
		return refuse(sa, IKEV2_N_INVALID_SYNTAX, none, TNC_EINVALID,
		    "IKE SA rekey without Nonce or KE");
	switch (ike_select_ike(proposals, sa->cfg->suites, sa->cfg->suite_count, ke->u.ke.group,
	    &ch)) {
	case IKE_SELECT_NONE:
		return refuse(sa, IKEV2_N_NO_PROPOSAL_CHOSEN, none, TNC_EINVALID,
		    "IKE SA rekey: no proposal acceptable");
	case IKE_SELECT_OTHER_GROUP: {
		const uint8_t group[2] = {(uint8_t)(ch.dh >> 8), (uint8_t)ch.dh};
		return refuse(sa, IKEV2_N_INVALID_KE_PAYLOAD, (struct bytes){group, 2}, TNC_EINVALID,
		    "IKE SA rekey: KE of a group we do not choose: INVALID_KE_PAYLOAD sent");
	}
	case IKE_SELECT_OK:
		break;
	}
	if (ch.spi.len != 8 || !get_u64(ch.spi.ptr))
		return refuse(sa, IKEV2_N_INVALID_SYNTAX, none, TNC_EINVALID,
		    "IKE SA rekey: the proposal has no 8-octet SPI");
	const uint64_t spi_i = get_u64(ch.spi.ptr);
	if (new_spi(sa, &spi_r) || sa->random(sa->random_arg, nr, sizeof(nr)))
		return refuse(sa, IKEV2_N_TEMPORARY_FAILURE, none, TNC_EINVALID,
		    "random source failed");
	struct ikev2_dh *dh = ikev2_dh_new(ch.dh, none);
	if (!dh)
		return refuse(sa, IKEV2_N_TEMPORARY_FAILURE, none, TNC_EINVALID,
		    "D-H key pair not made");
	if ((err = derive(sa, &ch, dh, ke->u.ke.data, ni->u.nonce, (struct bytes){nr, sizeof(nr)},
		 spi_i, spi_r, &keys, &why))) {
		ikev2_dh_free(dh);
		ikev2_sa_keys_cleanse(&keys);
		snprintf(sa->reason_buf, sizeof(sa->reason_buf), "IKE SA rekey: %s",
		    why ? why : "refused");
		return refuse(sa, IKEV2_N_INVALID_SYNTAX, none, err, sa->reason_buf);
	}
	for (int i = 0; i < 8; i++)
		spi[i] = (uint8_t)(spi_r >> (56 - 8 * i));
	ikev2_builder_init_chain(&b, sa->cfg->max_msg_len);
	ike_choice_add_sa(&b, &ch, IKEV2_PROTO_IKE, (struct bytes){spi, sizeof(spi)});
	ikev2_builder_add_nonce(&b, (struct bytes){nr, sizeof(nr)});
	ikev2_builder_add_ke(&b, ch.dh, ikev2_dh_public(dh));
	err = ike_sa_respond(sa, IKEV2_CREATE_CHILD_SA, &b); /* on the old SA */
	ikev2_builder_clear(&b);
	ikev2_dh_free(dh);
	OPENSSL_cleanse(nr, sizeof(nr));
	if (!err)
		switch_to_new(sa, spi_i, spi_r, &keys, ch.dh);
	ikev2_sa_keys_cleanse(&keys);
	return err;
}

/* --- the old IKE SA after the rekey --- */

void
ike_sa_old_ike_end(struct ike_sa *sa)
{
	if (!sa->old_ike_active)
		return;
	sa->old_ike_active = false;
	ikev2_buf_list_free(&sa->old_resp, &sa->old_resp_count);
	ikev2_sa_keys_cleanse(&sa->old_keys);
}

/* Our answer on the old SA: an empty INFORMATIONAL, or a notification. */
static int
old_respond(struct ike_sa *sa, uint8_t exchange, uint16_t notify)
{
	const struct ikev2_header h = {.spi_i = sa->old_spi_i, .spi_r = sa->old_spi_r,
	    .major = IKEV2_MAJOR_VERSION, .exchange = exchange, .flags = IKEV2_FLAG_RESPONSE,
	    .message_id = sa->old_next_mid};
	const struct ikev2_sealer s = {.keys = &sa->old_keys, .initiator = false,
	    .gcm_iv = &sa->old_gcm_iv, .random = sa->random, .random_arg = sa->random_arg,
	    .max_msg_len = sa->cfg->max_msg_len};
	struct ikev2_builder b;
	struct ikev2_buf *list;
	struct bytes plain;
	size_t count;
	const char *why;
	int err;

	ikev2_builder_init_chain(&b, sa->cfg->max_msg_len);
	if (notify)
		ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, (struct bytes){NULL, 0}, notify,
		    (struct bytes){NULL, 0});
	if (!(err = ikev2_builder_finish(&b, &plain))) {
		const struct ikev2_chain inner = {.first = b.first, .buf = plain, .response = true};
		ike_sa_report(sa, true, &h, &inner);
		err = ikev2_seal(&s, &h, b.first, plain, &list, &count, &why);
	}
	ikev2_builder_clear(&b);
	if (err)
		return ike_sa_fail(sa, err, "answer on the old IKE SA does not build");
	ikev2_buf_list_free(&sa->old_resp, &sa->old_resp_count);
	sa->old_resp = list;
	sa->old_resp_count = count;
	sa->old_next_mid++;
	for (size_t i = 0; i < count; i++)
		sa->ops.send(sa->arg, list[i].ptr, list[i].len);
	return 0;
}

int
ike_sa_old_ike_receive(struct ike_sa *sa, const struct ikev2_msg *m, struct bytes raw)
{
	const struct ikev2_sk_key k = ikev2_sk_key_of(&sa->old_keys, true);
	const uint32_t mid = m->hdr.message_id;
	struct ikev2_payload sk, p;
	struct ikev2_chain chain;
	struct ikev2_iter it;
	struct parse_error e;
	struct bytes plain;
	bool delete_ike = false;

	if (m->hdr.flags & IKEV2_FLAG_RESPONSE)
		return ike_sa_fail(sa, TNC_ESTATE, "response on the rekeyed (old) IKE SA");
	if (!ikev2_find_sk(m, &sk) || sk.type != IKEV2_PL_SK)
		return ike_sa_fail(sa, TNC_EINVALID,
		    "request on the old IKE SA without one Encrypted payload (SK)");
	if (mid != sa->old_next_mid && !(sa->old_resp_count && mid == sa->old_next_mid - 1))
		return ike_sa_fail(sa, TNC_ESTATE, "message ID outside the old IKE SA's window");
	if (ikev2_sk_open(&k, raw, &sk, sa->plain, sa->cfg->max_msg_len, &plain, &e))
		return ike_sa_fail(sa, TNC_EINVALID, "request on the old IKE SA does not open");
	if (mid != sa->old_next_mid) { /* its last request again: the same answer */
		for (size_t i = 0; i < sa->old_resp_count; i++)
			sa->ops.send(sa->arg, sa->old_resp[i].ptr, sa->old_resp[i].len);
		return 0;
	}
	if (ikev2_chain_parse(sk.next, sk.offset, plain.ptr, plain.len,
		sk.offset + IKEV2_PAYLOAD_HEADER_LEN, false, &sa->lim, &chain, &e))
		return ike_sa_fail(sa, TNC_EINVALID, "request on the old IKE SA is malformed");
	ike_sa_report(sa, false, &m->hdr, &chain);
	if (m->hdr.exchange != IKEV2_INFORMATIONAL) {
		(void)old_respond(sa, m->hdr.exchange, IKEV2_N_TEMPORARY_FAILURE);
		return ike_sa_fail(sa, TNC_ESTATE, "request other than INFORMATIONAL on the old IKE SA");
	}
	ikev2_iter_init(&it, &chain);
	while (ikev2_iter_next(&it, &p))
		delete_ike |= p.type == IKEV2_PL_DELETE && p.u.del.protocol == IKEV2_PROTO_IKE;
	int err = old_respond(sa, IKEV2_INFORMATIONAL, 0);
	if (delete_ike) /* the old keys only: the new IKE SA and its CHILD_SAs stay */
		ike_sa_old_ike_end(sa);
	return err;
}

uint64_t
ike_sa_old_ike_timeout(struct ike_sa *sa, uint64_t now_ms)
{
	if (!sa->old_ike_active)
		return 0;
	if (now_ms < sa->old_until_ms)
		return sa->old_until_ms;
	ike_sa_old_ike_end(sa);
	return 0;
}

bool
ike_sa_old_spis(const struct ike_sa *sa, uint64_t *spi_i, uint64_t *spi_r)
{
	if (!sa->old_ike_active)
		return false;
	*spi_i = sa->old_spi_i;
	*spi_r = sa->old_spi_r;
	return true;
}
