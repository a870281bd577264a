/* ike_sa_rekey.c - CREATE_CHILD_SA requests (RFC 7296 1.3, 2.8, 2.17):
 * the peer rekeys our CHILD_SA.
 *
 * Request [ N(REKEY_SA) SA Ni [KEi] TSi TSr ], the REKEY_SA naming our
 * CHILD_SA by the peer's inbound ESP SPI (our outbound one); answer
 * [ SA Nr [KEr] TSi TSr ] chosen as IKE_AUTH's CHILD_SA is (the
 * connection's ESP proposals and selectors, ike_sa_child.c), KEYMAT =
 * prf+(SK_d, [g^ir |] Ni | Nr).  PFS: with a KE the chosen proposal must
 * offer the KE's group (one ikev2_dh supports), else INVALID_KE_PAYLOAD
 * names the group we want (the IKE SA's when the proposal offers it, else
 * its first we support); without a KE it must offer no group or NONE.
 *
 * The new CHILD_SA comes up at once (child_up() with rekeys_spi_*); the
 * old one stays until the peer's DELETE of it (ike_sa_info.c) or, when
 * the peer does not send one, REKEYED_KEEP_MS after the rekey: then it goes
 * down and we send the DELETE of it ourselves (when no request of ours is
 * outstanding; else the peer keeps its half until its own lifetime ends).
 *
 * A request without REKEY_SA whose SA payload proposes IKE rekeys the IKE
 * SA (ike_sa_rekey_ike.c).
 *
 * Refused, with the reason and the notification: a REKEY_SA naming no
 * CHILD_SA of ours (CHILD_SA_NOT_FOUND); a rekey while a rekeyed CHILD_SA
 * is still kept, of the rekeyed one, a CREATE_CHILD_SA without an ESP or
 * AH REKEY_SA and without IKE proposals (a new CHILD_SA): NO_ADDITIONAL_SAS; missing payloads (INVALID_SYNTAX); no acceptable
 * proposal or selectors (NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE); a KE value
 * ikev2_dh refuses (INVALID_SYNTAX); an IKE SA that is not established
 * (NO_ADDITIONAL_SAS) or that we are deleting (TEMPORARY_FAILURE).  A
 * refusal leaves the CHILD_SA as it was.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_sa_int.h"
#include "ikev2_dh.h"

/* How long the rekeyed CHILD_SA waits for the peer's DELETE of it: the
 * initiator deletes it right after the rekey (RFC 7296 2.8); a minute
 * covers its retransmissions. */
#define REKEYED_KEEP_MS 60000u

/* The payloads of a CREATE_CHILD_SA request this module reads: the first
 * of each kind, and the first REKEY_SA of a CHILD_SA (ESP or AH). */
struct rekey_request {
	struct ikev2_payload sa, ni, ke, tsi, tsr, rekey;
	bool has_sa, has_ni, has_ke, has_tsi, has_tsr, has_rekey;
};

static void
collect(const struct ikev2_chain *c, struct rekey_request *r)
{
	struct ikev2_iter it;
	struct ikev2_payload p;

	memset(r, 0, sizeof(*r));
	ikev2_iter_init(&it, c);
	while (ikev2_iter_next(&it, &p)) {
		struct ikev2_payload *slot = NULL;
		bool *seen = NULL;
		switch (p.type) {
		case IKEV2_PL_SA: slot = &r->sa, seen = &r->has_sa; break;
		case IKEV2_PL_NONCE: slot = &r->ni, seen = &r->has_ni; break;
		case IKEV2_PL_KE: slot = &r->ke, seen = &r->has_ke; break;
		case IKEV2_PL_TSI: slot = &r->tsi, seen = &r->has_tsi; break;
		case IKEV2_PL_TSR: slot = &r->tsr, seen = &r->has_tsr; break;
		case IKEV2_PL_NOTIFY:
			if (p.u.notify.type == IKEV2_N_REKEY_SA &&
			    (p.u.notify.protocol == IKEV2_PROTO_ESP ||
				p.u.notify.protocol == IKEV2_PROTO_AH))
				slot = &r->rekey, seen = &r->has_rekey;
			break;
		default: /* status notifications (USE_TRANSPORT_MODE, ...): ignored */
			break;
		}
		if (slot && !*seen) {
			*slot = p;
			*seen = true;
		}
	}
}

/* Whether an SA payload's first proposal is for the IKE SA (a rekey of it). */
static bool
proposes_ike(const struct rekey_request *r)
{
	struct bytes list = r->sa.u.sa;
	struct ikev2_proposal p;

	return r->has_sa && ikev2_proposal_next(&list, &p) && p.protocol == IKEV2_PROTO_IKE;
}

/* Answers with one notification; returns err with the reason. */
static int
refuse_with(struct ike_sa *sa, uint16_t type, struct bytes data, int err, const char *reason)
{
	(void)ike_sa_respond_notify(sa, IKEV2_CREATE_CHILD_SA, type, data);
	return ike_sa_fail(sa, err, reason);
}

static int
refuse(struct ike_sa *sa, uint16_t type, int err, const char *reason)
{
	return refuse_with(sa, type, (struct bytes){NULL, 0}, err, reason);
}

/* The D-H group of a rekey: 0 without PFS (*ret_group), or the
 * notification that refuses the request. */
static uint16_t
choose_group(const struct ike_sa *sa, const struct rekey_request *r, const struct ike_choice *ch,
    uint16_t *ret_group)
{
	struct bytes list = ch->transforms;
	struct ikev2_transform t;
	bool any_group = false, none_ok = false, ke_group_ok = false;
	uint16_t wanted = 0;

	while (ikev2_transform_next(&list, &t)) {
		if (t.type != IKEV2_TRANS_DH)
			continue;
		if (t.id == 0) {
			none_ok = true;
			continue;
		}
		any_group = true;
		if (!ikev2_dh_public_len(t.id))
			continue;
		if (r->has_ke && t.id == r->ke.u.ke.group)
			ke_group_ok = true;
		if (!wanted || t.id == sa->dh_group)
			wanted = t.id;
	}
	*ret_group = 0;
	if (r->has_ke ? ke_group_ok : !any_group || none_ok) {
		*ret_group = r->has_ke ? r->ke.u.ke.group : 0;
		return 0;
	}
	/* the group we want, for INVALID_KE_PAYLOAD */
	*ret_group = wanted;
	return wanted ? IKEV2_N_INVALID_KE_PAYLOAD : IKEV2_N_NO_PROPOSAL_CHOSEN;
}

/* What makes the new CHILD_SA, kept for the answer. */
struct rekey_keys {
	uint8_t nr[IKE_NONCE_LEN];
	struct ikev2_dh *dh; /* PFS, else NULL */
};

/* The new CHILD_SA's keys into *c, and our nonce and D-H into *k; 0 or
 * the notification, *why the reason. */
static uint16_t
derive(struct ike_sa *sa, const struct rekey_request *r, uint16_t group, struct ike_child_sa *c,
    struct rekey_keys *k, const char **why)
{
	uint8_t gir[IKEV2_DH_MAX_SECRET];
	size_t gir_len = 0;
	uint16_t refused;

	if (sa->random(sa->random_arg, k->nr, sizeof(k->nr))) {
		*why = "random source failed";
		return IKEV2_N_TEMPORARY_FAILURE;
	}
	if (group) {
		if (!(k->dh = ikev2_dh_new(group, (struct bytes){NULL, 0}))) {
			*why = "D-H key pair not made";
			return IKEV2_N_TEMPORARY_FAILURE;
		}
		const char *dh_why = NULL;
		if (ikev2_dh_shared(k->dh, r->ke.u.ke.data, gir, &gir_len, &dh_why)) {
			snprintf(sa->reason_buf, sizeof(sa->reason_buf), "KEi refused: %s",
			    dh_why ? dh_why : "invalid");
			*why = sa->reason_buf;
			return IKEV2_N_INVALID_SYNTAX;
		}
	}
	refused = ike_sa_child_keys(sa, c, (struct bytes){gir, gir_len}, r->ni.u.nonce,
	    (struct bytes){k->nr, sizeof(k->nr)});
	OPENSSL_cleanse(gir, sizeof(gir));
	if (refused)
		*why = "KEYMAT derivation failed";
	return refused;
}

/* The rekey: the new CHILD_SA answered and up, the old one kept. */
static int
rekey(struct ike_sa *sa, const struct rekey_request *r)
{
	const struct ike_child_offer offer = {r->sa.u.sa, r->tsi.u.ts.selectors,
	    r->tsr.u.ts.selectors, r->tsi.u.ts.count, r->tsr.u.ts.count};
	struct ike_child_sa c;
	struct ike_choice ch;
	struct rekey_keys k = {{0}, NULL};
	struct ikev2_builder b;
	const char *why = NULL;
	uint16_t group, refused;
	int err;

	if ((refused = ike_sa_child_select(sa, &offer, &c, &ch)))
		return refuse(sa, refused, TNC_EINVALID,
		    refused == IKEV2_N_TS_UNACCEPTABLE ? "rekey: traffic selectors not acceptable" :
		    refused == IKEV2_N_NO_PROPOSAL_CHOSEN ? "rekey: no ESP proposal acceptable" :
		    "rekey: no CHILD_SA made (no SPI or virtual IP)");
	if ((refused = choose_group(sa, r, &ch, &group))) {
		const uint8_t g[2] = {(uint8_t)(group >> 8), (uint8_t)group};
		if (refused == IKEV2_N_INVALID_KE_PAYLOAD)
			return refuse_with(sa, refused, (struct bytes){g, 2}, TNC_EINVALID, r->has_ke ?
			    "rekey: KE of a group the proposal does not offer: INVALID_KE_PAYLOAD sent" :
			    "rekey: the proposal requires PFS and there is no KE: "
			    "INVALID_KE_PAYLOAD sent");
		return refuse(sa, refused, TNC_EINVALID, r->has_ke ?
		    "rekey: KE, but the proposal offers no D-H group we support" :
		    "rekey: the proposal requires a D-H group we do not support");
	}
	if ((refused = derive(sa, r, group, &c, &k, &why))) {
		ikev2_dh_free(k.dh);
		OPENSSL_cleanse(&k, sizeof(k));
		ikev2_child_keys_cleanse(&c.keys);
		return refuse(sa, refused, TNC_EINVALID, why);
	}
	ch.dh = group; /* the answer's SA payload names it */
	ikev2_builder_init_chain(&b, sa->cfg->max_msg_len);
	ike_sa_child_add_sa(&b, &ch, &c);
	ikev2_builder_add_nonce(&b, (struct bytes){k.nr, sizeof(k.nr)});
	if (k.dh)
		ikev2_builder_add_ke(&b, group, ikev2_dh_public(k.dh));
	ike_sa_child_add_ts(&b, &c);
	err = ike_sa_respond(sa, IKEV2_CREATE_CHILD_SA, &b);
	ikev2_builder_clear(&b);
	ikev2_dh_free(k.dh);
	OPENSSL_cleanse(&k, sizeof(k));
	if (err) {
		ikev2_child_keys_cleanse(&c.keys);
		return err;
	}
	c.rekeys_spi_in = sa->child.spi_in;
	c.rekeys_spi_out = sa->child.spi_out;
	sa->rekeyed = sa->child;
	sa->rekeyed.rekeys_spi_in = sa->rekeyed.rekeys_spi_out = 0;
	sa->rekeyed_active = true;
	sa->rekeyed_until_ms = sa->last_rx_ms + REKEYED_KEEP_MS;
	sa->child = c;
	sa->child_since_ms = sa->last_rx_ms;
	OPENSSL_cleanse(&c, sizeof(c));
	sa->ops.child_up(sa->arg, &sa->child);
	return 0;
}

int
ike_sa_create_child_request(struct ike_sa *sa, const struct ikev2_chain *c)
{
	struct rekey_request r;

	if (sa->state == IKE_SA_DELETING)
		return refuse(sa, IKEV2_N_TEMPORARY_FAILURE, TNC_ESTATE,
		    "CREATE_CHILD_SA while we delete the IKE SA");
	if (sa->state != IKE_SA_ESTABLISHED)
		return refuse(sa, IKEV2_N_NO_ADDITIONAL_SAS, TNC_ESTATE,
		    "CREATE_CHILD_SA before the IKE SA is established");
	collect(c, &r);
	if (!r.has_rekey && proposes_ike(&r))
		return ike_sa_rekey_ike(sa, r.sa.u.sa, r.has_ni ? &r.ni : NULL,
		    r.has_ke ? &r.ke : NULL);
	if (!r.has_rekey)
		return refuse(sa, IKEV2_N_NO_ADDITIONAL_SAS, TNC_ESTATE,
		    "CREATE_CHILD_SA for a new CHILD_SA: only the one of IKE_AUTH is accepted");
	const struct ikev2_notify *n = &r.rekey.u.notify;
	const uint32_t spi = n->spi.len == 4 ? ike_get_u32(n->spi.ptr) : 0;
	const bool names_current = sa->child_active && n->protocol == IKEV2_PROTO_ESP &&
	    n->spi.len == 4 && spi == sa->child.spi_out;
	const bool names_rekeyed = sa->rekeyed_active && n->protocol == IKEV2_PROTO_ESP &&
	    n->spi.len == 4 && spi == sa->rekeyed.spi_out;
	if (names_rekeyed)
		return refuse(sa, IKEV2_N_NO_ADDITIONAL_SAS, TNC_ESTATE,
		    "rekey of a CHILD_SA that was rekeyed already");
	if (!names_current) /* 2.25 */
		return refuse(sa, IKEV2_N_CHILD_SA_NOT_FOUND, TNC_ENOTFOUND,
		    n->spi.len == 4 ? "REKEY_SA names no CHILD_SA of ours" :
		    "REKEY_SA without a 4-octet SPI");
	if (sa->rekeyed_active)
		return refuse(sa, IKEV2_N_NO_ADDITIONAL_SAS, TNC_ESTATE,
		    "rekey while the CHILD_SA rekeyed before is still kept");
	if (!r.has_sa || !r.has_ni || !r.has_tsi || !r.has_tsr)
		return refuse(sa, IKEV2_N_INVALID_SYNTAX, TNC_EINVALID,
		    "CREATE_CHILD_SA rekey without SA, Nonce, TSi or TSr");
	return rekey(sa, &r);
}

bool
ike_sa_rekeyed_named(const struct ike_sa *sa, const struct ikev2_delete *d)
{
	if (!sa->rekeyed_active || d->protocol != IKEV2_PROTO_ESP || d->spi_size != 4)
		return false;
	for (size_t i = 0; i < d->spi_count && (i + 1) * 4 <= d->spis.len; i++)
		if (ike_get_u32(d->spis.ptr + 4 * i) == sa->rekeyed.spi_out)
			return true;
	return false;
}

void
ike_sa_rekeyed_end(struct ike_sa *sa)
{
	if (!sa->rekeyed_active)
		return;
	sa->rekeyed_active = false;
	sa->ops.child_down(sa->arg, &sa->rekeyed);
	ikev2_child_keys_cleanse(&sa->rekeyed.keys);
}

uint64_t
ike_sa_rekeyed_timeout(struct ike_sa *sa, uint64_t now_ms)
{
	struct ikev2_builder b;
	uint8_t spi[4];

	if (!sa->rekeyed_active)
		return 0;
	if (now_ms < sa->rekeyed_until_ms)
		return sa->rekeyed_until_ms;
	if (!sa->our_outstanding) {
		ike_put_u32(spi, sa->rekeyed.spi_in);
		ikev2_builder_init_chain(&b, sa->cfg->max_msg_len);
		ikev2_builder_add_delete(&b, IKEV2_PROTO_ESP, 4, 1, (struct bytes){spi, 4});
		sa->our_sent_ms = now_ms;
		(void)ike_sa_request(sa, IKEV2_INFORMATIONAL, &b);
		ikev2_builder_clear(&b);
	}
	ike_sa_rekeyed_end(sa);
	return 0;
}
