/* ike_sa_init.c - the IKE_SA_INIT exchange (RFC 7296 1.2, 2.6-2.7, 2.14,
 * 2.23): proposal and group, D-H, nonces, keys, NAT detection, and the
 * notifications strongSwan expects in the answer (RFC 7383 fragmentation,
 * RFC 7427 hash algorithms).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_proposal.h"
#include "ike_sa_int.h"
#include "ikev2_dh.h"
#include "ikev2_sig.h"

/* RFC 7427 hash algorithm IDs we can verify: SHA2-256, -384, -512. */
static const uint8_t hash_algs[] = {0x00, 0x02, 0x00, 0x03, 0x00, 0x04};

bool
ike_sa_natd_hash(uint64_t spi_i, uint64_t spi_r, const struct ike_endpoint *ep,
    uint8_t out[IKEV2_NATD_LEN])
{
	return ikev2_natd_hash(spi_i, spi_r, ep->addr, ep->addr_len, ep->port, out);
}

/* What the request carries. */
struct init_request {
	struct bytes proposals, nonce;
	struct ikev2_ke ke;
	bool has_sa, has_ke, has_nonce;
	bool natd, natd_src_match, natd_dst_match, frag, hash_alg;
	unsigned sig_hashes; /* the SHA-2 hashes of N(SIGNATURE_HASH_ALGORITHMS) */
};

static void
collect(struct ike_sa *sa, const struct ikev2_msg *m, struct init_request *r)
{
	struct ikev2_iter it;
	struct ikev2_payload p;
	uint8_t src[IKEV2_NATD_LEN], dst[IKEV2_NATD_LEN];
	const bool have_hashes = ike_sa_natd_hash(m->hdr.spi_i, 0, &sa->remote, src) &&
	    ike_sa_natd_hash(m->hdr.spi_i, 0, &sa->local, dst);

	memset(r, 0, sizeof(*r));
	ikev2_iter_init(&it, &m->chain);
	while (ikev2_iter_next(&it, &p)) {
		switch (p.type) {
		case IKEV2_PL_SA:
			if (!r->has_sa)
				r->proposals = p.u.sa;
			r->has_sa = true;
			break;
		case IKEV2_PL_KE:
			if (!r->has_ke)
				r->ke = p.u.ke;
			r->has_ke = true;
			break;
		case IKEV2_PL_NONCE:
			if (!r->has_nonce)
				r->nonce = p.u.nonce;
			r->has_nonce = true;
			break;
		case IKEV2_PL_NOTIFY: {
			const struct ikev2_notify *n = &p.u.notify;
			const bool hash_ok = have_hashes && n->data.len == IKEV2_NATD_LEN;
			if (n->type == IKEV2_N_NAT_DETECTION_SOURCE_IP) {
				r->natd = true; /* any of several source hashes may match */
				r->natd_src_match |= hash_ok && !CRYPTO_memcmp(n->data.ptr, src, IKEV2_NATD_LEN);
			} else if (n->type == IKEV2_N_NAT_DETECTION_DESTINATION_IP) {
				r->natd = true;
				r->natd_dst_match |= hash_ok && !CRYPTO_memcmp(n->data.ptr, dst, IKEV2_NATD_LEN);
			} else if (n->type == IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED) {
				r->frag = true;
			} else if (n->type == IKEV2_N_SIGNATURE_HASH_ALGORITHMS) {
				r->hash_alg = true;
				r->sig_hashes |= ikev2_sig_hashes(n->data);
			}
			break;
		}
		default:
			break;
		}
	}
}

/* An unprotected error answer (SPIr zero, 1.2 / 2.21.1); the SA ends. */
static int
refuse(struct ike_sa *sa, const struct ikev2_header *req, uint16_t type, struct bytes data,
    int err, const char *reason)
{
	const struct ikev2_header h = {.spi_i = req->spi_i, .major = IKEV2_MAJOR_VERSION,
	    .exchange = IKEV2_IKE_SA_INIT, .flags = IKEV2_FLAG_RESPONSE};
	struct ikev2_builder b;
	struct bytes msg;

	ikev2_builder_init(&b, &h, sa->cfg->max_msg_len);
	ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, (struct bytes){NULL, 0}, type, data);
	if (!ikev2_builder_finish(&b, &msg))
		sa->ops.send(sa->arg, msg.ptr, msg.len);
	ikev2_builder_clear(&b);
	ike_sa_close(sa, reason);
	return ike_sa_fail(sa, err, reason);
}

/* D-H, SKEYSEED and the seven keys; *ret_why on failure. */
static int
derive(struct ike_sa *sa, const struct ike_choice *ch, struct bytes peer_ke, struct ikev2_dh *dh,
    const char **ret_why)
{
	uint8_t gir[IKEV2_DH_MAX_SECRET], skeyseed[IKEV2_PRF_MAX_LEN];
	size_t gir_len = 0;
	struct ikev2_suite suite;
	int err;

	if ((err = ikev2_suite_init(&suite, ch->encr, ch->encr_bits, ch->integ, ch->prf, ret_why)))
		return err;
	if ((err = ikev2_dh_shared(dh, peer_ke, gir, &gir_len, ret_why)))
		return err;
	const struct bytes ni = {sa->ni.ptr, sa->ni.len}, nr = {sa->nr.ptr, sa->nr.len};
	err = ikev2_skeyseed(ch->prf, ni, nr, (struct bytes){gir, gir_len}, skeyseed);
	if (!err)
		err = ikev2_sa_keys_derive(&suite, (struct bytes){skeyseed, suite.prf_len}, ni, nr,
		    sa->spi_i, sa->spi_r, &sa->keys);
	if (err)
		*ret_why = "key derivation failed";
	OPENSSL_cleanse(gir, sizeof(gir));
	OPENSSL_cleanse(skeyseed, sizeof(skeyseed));
	return err;
}

int
ike_sa_add_natd(const struct ike_sa *sa, struct ikev2_builder *b, const struct ike_endpoint *local,
    const struct ike_endpoint *remote)
{
	const struct bytes none = {NULL, 0};
	uint8_t src[IKEV2_NATD_LEN], dst[IKEV2_NATD_LEN];

	if (!ike_sa_natd_hash(sa->spi_i, sa->spi_r, local, src) ||
	    !ike_sa_natd_hash(sa->spi_i, sa->spi_r, remote, dst))
		return TNC_EINVALID;
	ikev2_builder_add_notify(b, IKEV2_PROTO_NONE, none, IKEV2_N_NAT_DETECTION_SOURCE_IP,
	    (struct bytes){src, sizeof(src)});
	ikev2_builder_add_notify(b, IKEV2_PROTO_NONE, none, IKEV2_N_NAT_DETECTION_DESTINATION_IP,
	    (struct bytes){dst, sizeof(dst)});
	return 0;
}

/* Our answer: SA KE No [N(NATD_S_IP) N(NATD_D_IP)] [N(FRAG_SUP)] [N(HASH_ALG)]. */
static int
answer(struct ike_sa *sa, const struct init_request *r, const struct ike_choice *ch,
    struct ikev2_dh *dh)
{
	const struct ikev2_header h = {.spi_i = sa->spi_i, .spi_r = sa->spi_r,
	    .major = IKEV2_MAJOR_VERSION, .exchange = IKEV2_IKE_SA_INIT,
	    .flags = IKEV2_FLAG_RESPONSE};
	const struct bytes none = {NULL, 0};
	struct ikev2_builder b;
	struct bytes msg;
	int err;

	ikev2_builder_init(&b, &h, sa->cfg->max_msg_len);
	ike_choice_add_sa(&b, ch, IKEV2_PROTO_IKE, none);
	ikev2_builder_add_ke(&b, ch->dh, ikev2_dh_public(dh));
	ikev2_builder_add_nonce(&b, (struct bytes){sa->nr.ptr, sa->nr.len});
	if (r->natd && ike_sa_add_natd(sa, &b, &sa->local, &sa->remote)) {
		ikev2_builder_clear(&b);
		return TNC_EINVALID;
	}
	if (r->frag)
		ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, none, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED,
		    none);
	if (r->hash_alg)
		ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, none, IKEV2_N_SIGNATURE_HASH_ALGORITHMS,
		    (struct bytes){hash_algs, sizeof(hash_algs)});
	if (!(err = ikev2_builder_finish(&b, &msg)))
		err = ikev2_buf_set(&sa->init_resp, msg.ptr, msg.len);
	ikev2_builder_clear(&b);
	return err;
}

int
ike_sa_init_request(struct ike_sa *sa, const struct ikev2_msg *m, struct bytes raw)
{
	const struct ikev2_header *hdr = &m->hdr;
	const struct bytes none = {NULL, 0};
	struct init_request r;
	struct ike_choice ch;
	uint8_t nr[IKE_NONCE_LEN], spi[8];
	const char *why = NULL;
	int err;

	if (hdr->exchange != IKEV2_IKE_SA_INIT || (hdr->flags & IKEV2_FLAG_RESPONSE) ||
	    !(hdr->flags & IKEV2_FLAG_INITIATOR) || hdr->message_id != 0 || hdr->spi_r != 0) {
		ike_sa_close(sa, "first message is not an IKE_SA_INIT request");
		return ike_sa_fail(sa, TNC_EINVALID, "first message is not an IKE_SA_INIT request");
	}
	sa->spi_i = hdr->spi_i;
	collect(sa, m, &r);
	if (!r.has_sa || !r.has_ke || !r.has_nonce)
		return refuse(sa, hdr, IKEV2_N_INVALID_SYNTAX, none, TNC_EINVALID,
		    "IKE_SA_INIT request without SA, KE or Nonce");
	switch (ike_select_ike(r.proposals, sa->cfg->suites, sa->cfg->suite_count, r.ke.group, &ch)) {
	case IKE_SELECT_NONE:
		return refuse(sa, hdr, IKEV2_N_NO_PROPOSAL_CHOSEN, none, TNC_EINVALID,
		    "no proposal of the peer is acceptable");
	case IKE_SELECT_OTHER_GROUP: {
		const uint8_t group[2] = {(uint8_t)(ch.dh >> 8), (uint8_t)ch.dh};
		return refuse(sa, hdr, IKEV2_N_INVALID_KE_PAYLOAD, (struct bytes){group, 2},
		    TNC_EINVALID, "KE of a group we do not choose: INVALID_KE_PAYLOAD sent");
	}
	case IKE_SELECT_OK:
		break;
	}
	/* a fresh SPIr (never zero) and Nr */
	do {
		if (sa->random(sa->random_arg, spi, sizeof(spi)))
			return refuse(sa, hdr, IKEV2_N_TEMPORARY_FAILURE, none, TNC_EINVALID,
			    "random source failed");
		sa->spi_r = 0;
		for (int i = 0; i < 8; i++)
			sa->spi_r = sa->spi_r << 8 | spi[i];
	} while (sa->spi_r == 0);
	if (sa->random(sa->random_arg, nr, sizeof(nr)) || ikev2_buf_set(&sa->nr, nr, sizeof(nr)) ||
	    ikev2_buf_set(&sa->ni, r.nonce.ptr, r.nonce.len) ||
	    ikev2_buf_set(&sa->init_req, raw.ptr, raw.len))
		return refuse(sa, hdr, IKEV2_N_TEMPORARY_FAILURE, none, TNC_EINVALID,
		    "random source or memory failed");
	struct ikev2_dh *dh = ikev2_dh_new(ch.dh, none);
	if (!dh)
		return refuse(sa, hdr, IKEV2_N_TEMPORARY_FAILURE, none, TNC_EINVALID,
		    "D-H key pair not made");
	if ((err = derive(sa, &ch, r.ke.data, dh, &why))) {
		ikev2_dh_free(dh);
		/* RFC 6989 / 2.12: a bad public value fails the exchange */
		snprintf(sa->reason_buf, sizeof(sa->reason_buf), "KE refused: %s",
		    why ? why : "invalid");
		return refuse(sa, hdr, IKEV2_N_INVALID_SYNTAX, none, err, sa->reason_buf);
	}
	err = answer(sa, &r, &ch, dh);
	ikev2_dh_free(dh);
	if (err)
		return refuse(sa, hdr, IKEV2_N_TEMPORARY_FAILURE, none, err, "answer does not build");
	sa->nat_remote = r.natd && !r.natd_src_match;
	sa->nat_local = r.natd && !r.natd_dst_match;
	sa->frag_supported = r.frag;
	sa->peer_sig_hashes = r.sig_hashes;
	sa->dh_group = ch.dh;
	sa->state = IKE_SA_INIT_DONE;
	sa->next_mid = 1;
	sa->ops.send(sa->arg, sa->init_resp.ptr, sa->init_resp.len);
	return 0;
}
