/* ike_sa_auth.c - IKE_AUTH with EAP (RFC 7296 2.16), the responder
 * authenticated by EAP only (RFC 5998) or by its certificate.
 *
 * Request 1: IDi [IDr] [CERTREQ] SA TSi TSr [CP] [N(EAP_ONLY_AUTHENTICATION)],
 * no AUTH: the owner's EAP conversation starts (eap_start) and its first
 * packet goes out as [ IDr EAP ] (EAP-only) or, for a peer that does not
 * offer EAP-only or when the configuration says so (sign_always: RFC 5998
 * leaves the choice to us), [ IDr CERT AUTH EAP ]: our certificate and our
 * signature over the ResponderSignedOctets (2.15, ikev2_sig.h's method).
 * Then [ EAP ] each way until EAP-Success or -Failure; then the peer's
 * [ AUTH ], the MSK-based MIC over its InitiatorSignedOctets, answered with
 * our AUTH (the MSK-based MIC, 2.16, after a signed first response too) and
 * the CHILD_SA.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "eap.h"
#include "ike_sa_int.h"
#include "ikev2_auth.h"
#include "ikev2_sig.h"

/* The payloads of an IKE_AUTH request this module reads. */
struct auth_request {
	const struct ikev2_payload *idi, *auth, *eap, *sa, *tsi, *tsr, *cp;
	bool eap_only, initial_contact;
	struct ikev2_payload store[7];
};

static void
collect(const struct ikev2_chain *c, struct auth_request *r)
{
	struct ikev2_iter it;
	struct ikev2_payload p;

	memset(r, 0, sizeof(*r));
	ikev2_iter_init(&it, c);
	while (ikev2_iter_next(&it, &p)) {
		const struct ikev2_payload **slot = NULL;
		size_t i = 0;
		switch (p.type) {
		case IKEV2_PL_IDI: slot = &r->idi, i = 0; break;
		case IKEV2_PL_AUTH: slot = &r->auth, i = 1; break;
		case IKEV2_PL_EAP: slot = &r->eap, i = 2; break;
		case IKEV2_PL_SA: slot = &r->sa, i = 3; break;
		case IKEV2_PL_TSI: slot = &r->tsi, i = 4; break;
		case IKEV2_PL_TSR: slot = &r->tsr, i = 5; break;
		case IKEV2_PL_CP: slot = &r->cp, i = 6; break;
		case IKEV2_PL_NOTIFY:
			r->eap_only |= p.u.notify.type == IKEV2_N_EAP_ONLY_AUTHENTICATION;
			r->initial_contact |= p.u.notify.type == IKEV2_N_INITIAL_CONTACT;
			break;
		default: /* IDr, CERTREQ, other status notifications: ignored */
			break;
		}
		if (slot && !*slot) { /* the first of each kind */
			r->store[i] = p;
			*slot = &r->store[i];
		}
	}
}

/* Ends the IKE SA with AUTHENTICATION_FAILED in the answer. */
static int
auth_failed(struct ike_sa *sa, const char *reason)
{
	(void)ike_sa_respond_notify(sa, IKEV2_IKE_AUTH, IKEV2_N_AUTHENTICATION_FAILED,
	    (struct bytes){NULL, 0});
	ike_sa_close(sa, reason);
	return ike_sa_fail(sa, TNC_EPEER, reason);
}

/* Keeps what the CHILD_SA needs from request 1. */
static int
keep_child_request(struct ike_sa *sa, const struct auth_request *r)
{
	struct ike_child_request *q = &sa->creq;

	if (r->cp && r->cp->u.cp.cfg_type == IKEV2_CFG_REQUEST) {
		struct bytes list = r->cp->u.cp.attrs;
		struct ikev2_cp_attr a;
		q->cp_request = true;
		while (ikev2_cp_next(&list, &a)) {
			q->want_addr |= a.type == IKEV2_CFG_INTERNAL_IP4_ADDRESS;
			q->want_dns |= a.type == IKEV2_CFG_INTERNAL_IP4_DNS;
		}
	}
	if (!r->sa || !r->tsi || !r->tsr)
		return 0; /* childless */
	q->present = true;
	q->tsi_count = r->tsi->u.ts.count;
	q->tsr_count = r->tsr->u.ts.count;
	if (ikev2_buf_set(&q->proposals, r->sa->u.sa.ptr, r->sa->u.sa.len) ||
	    ikev2_buf_set(&q->tsi, r->tsi->u.ts.selectors.ptr, r->tsi->u.ts.selectors.len) ||
	    ikev2_buf_set(&q->tsr, r->tsr->u.ts.selectors.ptr, r->tsr->u.ts.selectors.len))
		return -ENOMEM;
	return 0;
}

static int
first_request(struct ike_sa *sa, const struct auth_request *r)
{
	if (!r->idi) {
		(void)ike_sa_respond_notify(sa, IKEV2_IKE_AUTH, IKEV2_N_INVALID_SYNTAX,
		    (struct bytes){NULL, 0});
		ike_sa_close(sa, "first IKE_AUTH request without IDi");
		return ike_sa_fail(sa, TNC_EINVALID, "first IKE_AUTH request without IDi");
	}
	if (r->auth)
		return auth_failed(sa, "peer authenticates with AUTH, not EAP; only EAP is accepted");
	if (!r->eap_only && !sa->cfg->sign_key)
		return auth_failed(sa, "peer does not offer EAP-only authentication (RFC 5998) and "
				       "we have no certificate key for a signature AUTH");
	if (ikev2_buf_set(&sa->idi, r->idi->body.ptr, r->idi->body.len) || keep_child_request(sa, r)) {
		ike_sa_close(sa, "no memory for the IKE_AUTH request");
		return ike_sa_fail(sa, -ENOMEM, "no memory for the IKE_AUTH request");
	}
	sa->initial_contact = r->initial_contact;
	sa->cert_auth = !r->eap_only || sa->cfg->sign_always;
	sa->state = IKE_SA_EAP;
	/* the answer waits for ike_sa_eap_request(), maybe called right here */
	sa->ops.eap_start(sa->arg, (struct bytes){sa->idi.ptr, sa->idi.len});
	return 0;
}

/* IDr' (2.15): our ID payload's body, ID Type, RESERVED and the data, into
 * body[4 + 255]; its length, 0 when it does not fit. */
static size_t
idr_body(const struct ike_sa *sa, uint8_t *body)
{
	if (sa->cfg->id.len > 255)
		return 0;
	body[0] = sa->cfg->id_type, body[1] = body[2] = body[3] = 0;
	if (sa->cfg->id.len)
		memcpy(body + 4, sa->cfg->id.ptr, sa->cfg->id.len);
	return 4 + sa->cfg->id.len;
}

/* What our AUTH covers: RealMessage2 | NonceIData | prf(SK_pr, IDr'). */
static struct ikev2_auth_input
our_auth_input(const struct ike_sa *sa, const uint8_t *idr, size_t idr_len)
{
	return (struct ikev2_auth_input){sa->keys.suite.prf,
	    {sa->init_resp.ptr, sa->init_resp.len}, {sa->ni.ptr, sa->ni.len},
	    {sa->keys.pr, sa->keys.suite.prf_len}, {idr, idr_len}};
}

/* [ CERT AUTH ] of the first response: our certificate and our signature
 * over the ResponderSignedOctets; *ret_why on failure. */
static int
add_cert_auth(struct ike_sa *sa, struct ikev2_builder *b, const char **ret_why)
{
	uint8_t idr[4 + 255], sig[IKEV2_SIG_MAX_LEN];
	const size_t idr_len = idr_body(sa, idr);
	struct ikev2_sig_choice how;
	struct wire_writer w;
	size_t sig_len = 0;
	int err;

	if (!idr_len) {
		*ret_why = "our ID is too long";
		return TNC_EINVALID;
	}
	if ((err = ikev2_sig_choose(sa->cfg->sign_key, sa->peer_sig_hashes, &how, ret_why)))
		return err;
	const struct ikev2_auth_input in = our_auth_input(sa, idr, idr_len);
	wire_writer_init(&w, sa->init_resp.len + sa->ni.len + IKEV2_PRF_MAX_LEN);
	if ((err = ikev2_auth_octets(&in, &w)))
		*ret_why = "the octets to sign do not build";
	else
		err = ikev2_sig_sign(sa->cfg->sign_key, &how, (struct bytes){w.buf, w.len}, sig,
		    &sig_len, ret_why);
	wire_writer_clear(&w);
	if (err)
		return err;
	ikev2_builder_add_cert(b, IKEV2_PL_CERT, IKEV2_CERT_X509_SIGNATURE, sa->cfg->cert_der);
	ikev2_builder_add_auth(b, how.method, (struct bytes){sig, sig_len});
	return 0;
}

/* The peer's AUTH after EAP-Success: verify, answer with ours and the
 * CHILD_SA. */
static int
final_request(struct ike_sa *sa, const struct ikev2_payload *auth)
{
	const struct bytes msk = {sa->msk, sa->msk_len};
	uint8_t idr[4 + 255], mic[IKEV2_PRF_MAX_LEN];
	const size_t idr_len = idr_body(sa, idr);
	size_t mic_len;
	struct ikev2_builder b;
	int err;

	if (!sa->eap_success_sent || !sa->msk_len || !sa->conn)
		return auth_failed(sa, "AUTH before a successful EAP conversation with a connection");
	if (auth->u.auth.method != IKEV2_AUTH_SHARED_KEY_MIC)
		return auth_failed(sa, "peer AUTH method is not the Shared Key MIC");
	const struct ikev2_auth_input peer = {sa->keys.suite.prf,
	    {sa->init_req.ptr, sa->init_req.len}, {sa->nr.ptr, sa->nr.len},
	    {sa->keys.pi, sa->keys.suite.prf_len}, {sa->idi.ptr, sa->idi.len}};
	if (ikev2_auth_mic_verify(&peer, msk, auth->u.auth.data))
		return auth_failed(sa, "peer AUTH does not verify with the EAP MSK");
	if (!idr_len)
		return auth_failed(sa, "our ID is too long");
	const struct ikev2_auth_input ours = our_auth_input(sa, idr, idr_len);
	if (ikev2_auth_mic(&ours, msk, mic, &mic_len))
		return auth_failed(sa, "our AUTH not computed");
	ikev2_builder_init_chain(&b, sa->cfg->max_msg_len);
	ikev2_builder_add_auth(&b, IKEV2_AUTH_SHARED_KEY_MIC, (struct bytes){mic, mic_len});
	OPENSSL_cleanse(mic, sizeof(mic));
	ike_sa_child_answer(sa, &b);
	if (sa->cfg->ike_lifetime_s) {
		const uint32_t t = sa->cfg->ike_lifetime_s;
		const uint8_t lifetime[4] = {(uint8_t)(t >> 24), (uint8_t)(t >> 16), (uint8_t)(t >> 8),
		    (uint8_t)t};
		ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, (struct bytes){NULL, 0},
		    IKEV2_N_AUTH_LIFETIME, (struct bytes){lifetime, sizeof(lifetime)});
	}
	ike_sa_mobike_answer(sa, &b);
	err = ike_sa_respond(sa, IKEV2_IKE_AUTH, &b);
	OPENSSL_cleanse(sa->msk, sizeof(sa->msk)); /* the MSK's one use is done */
	ikev2_builder_clear(&b);
	if (err) {
		ike_sa_close(sa, sa->reason);
		return err;
	}
	sa->state = IKE_SA_ESTABLISHED;
	sa->established_ms = sa->last_rx_ms;
	if (sa->ops.established)
		sa->ops.established(sa->arg, sa->initial_contact);
	if (sa->child_active && sa->state == IKE_SA_ESTABLISHED)
		sa->ops.child_up(sa->arg, &sa->child);
	return 0;
}

int
ike_sa_auth_request(struct ike_sa *sa, const struct ikev2_chain *c)
{
	struct auth_request r;
	struct eap_packet eap;
	struct parse_error e;

	collect(c, &r);
	ike_sa_mobike_offer(sa, c);
	if (sa->state == IKE_SA_INIT_DONE)
		return first_request(sa, &r);
	if (sa->eap_failed)
		return auth_failed(sa, "EAP failed");
	if (r.auth)
		return final_request(sa, r.auth);
	if (!r.eap)
		return auth_failed(sa, "IKE_AUTH request with neither EAP nor AUTH");
	if (sa->eap_success_sent)
		return auth_failed(sa, "EAP after EAP-Success");
	const struct bytes msg = r.eap->u.eap.msg;
	if (eap_parse(msg.ptr, msg.len, &eap, &e) || eap.code != EAP_RESPONSE)
		return auth_failed(sa, "EAP payload is not a valid EAP Response");
	sa->ops.eap_response(sa->arg, msg);
	return 0;
}

int
ike_sa_eap_request(struct ike_sa *sa, struct bytes eap)
{
	struct eap_packet p;
	struct parse_error e;
	struct ikev2_builder b;
	const char *why = NULL;
	int err;

	if (sa->state != IKE_SA_EAP || !sa->pending)
		return ike_sa_fail(sa, TNC_ESTATE, "no IKE_AUTH request waits for an EAP packet");
	if (eap_parse(eap.ptr, eap.len, &p, &e) || p.code == EAP_RESPONSE)
		return ike_sa_fail(sa, TNC_EINVALID, "not an EAP Request, Success or Failure");
	ikev2_builder_init_chain(&b, sa->cfg->max_msg_len);
	if (!sa->idr_sent)
		ikev2_builder_add_id(&b, IKEV2_PL_IDR, sa->cfg->id_type, sa->cfg->id);
	if (!sa->idr_sent && sa->cert_auth && (err = add_cert_auth(sa, &b, &why))) {
		ikev2_builder_clear(&b);
		snprintf(sa->reason_buf, sizeof(sa->reason_buf), "our signature AUTH: %s", why);
		return auth_failed(sa, sa->reason_buf);
	}
	ikev2_builder_add_eap(&b, eap);
	err = ike_sa_respond(sa, IKEV2_IKE_AUTH, &b);
	ikev2_builder_clear(&b);
	if (err)
		return err;
	sa->idr_sent = true;
	sa->eap_success_sent |= p.code == EAP_SUCCESS;
	sa->eap_failed |= p.code == EAP_FAILURE;
	return 0;
}

int
ike_sa_eap_done(struct ike_sa *sa, bool success, struct bytes msk, const char *conn_name)
{
	if (sa->state != IKE_SA_EAP || sa->eap_done)
		return ike_sa_fail(sa, TNC_ESTATE, "EAP result outside the EAP conversation");
	sa->eap_done = true;
	if (!success || sa->eap_failed) {
		sa->eap_failed = true;
		return success ? ike_sa_fail(sa, TNC_ESTATE, "EAP success after an EAP-Failure") : 0;
	}
	if (!msk.len || msk.len > sizeof(sa->msk)) {
		sa->eap_failed = true;
		return ike_sa_fail(sa, TNC_EINVALID, "MSK empty or too long");
	}
	for (size_t i = 0; conn_name && i < sa->cfg->conn_count; i++)
		if (!strcmp(sa->cfg->conns[i].name, conn_name))
			sa->conn = &sa->cfg->conns[i];
	if (!sa->conn) {
		sa->eap_failed = true;
		return ike_sa_fail(sa, TNC_ENOTFOUND, "no connection of that name");
	}
	memcpy(sa->msk, msk.ptr, msk.len);
	sa->msk_len = msk.len;
	return 0;
}
