/* ikev2_glue.c - one IKE SA, its EAP conversation and its TNCCS connection
 * wired together (see ikev2_peer.h), with the log lines of the seeds:
 *
 *   ike_sa  --eap_start/eap_response-->  eap_server  --tnc_open/tnc_batch-->  tnccs_link
 *   ike_sa  <--ike_sa_eap_request/done--  eap_server  <--tnc_batch/finish--   tnc-tnccs
 *
 * The TNC result picks the connection: allow -> rw-allow, isolate ->
 * rw-isolate (the group membership the seeds' policy enforcement point
 * adds); anything else fails the EAP conversation, and the IKE SA ends with
 * AUTHENTICATION_FAILED.  A CHILD_SA's kernel SAs go to tnc-xfrm
 * (ikev2_kernel.h) with ikev2_kernel = xfrm; when they cannot be installed
 * the IKE SA is deleted (fail closed). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eap.h"
#include "ikev2.h"
#include "ikev2_auth.h"
#include "ikev2_peer.h"
#include "ikev2_sig.h"
#include "ikev2_udp.h"
#include "log.h"
#include "pb_tnc.h"

/* EAP-TNC's TNCCS connection: kept by tnccs_link until its TNCCS_CLOSE is
 * out, so it may outlive its peer. */
struct ikev2_tnc {
	struct tnccs_conn link; /* first */
	struct ikev2_peer *peer; /* NULL once the peer is gone */
	uint8_t *held;           /* the peer's batch tnc-tnccs could not take yet */
	size_t held_len;
};

/* Printable text of an identity: other octets as '?'. */
static void
identity_text(struct bytes b, char *out, size_t size)
{
	size_t n = b.len < size - 1 ? b.len : size - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = b.ptr[i] >= 0x20 && b.ptr[i] < 0x7f ? (char)b.ptr[i] : '?';
	out[n] = 0;
}

/* An unprotected message or a fragment: a whole protected one is logged
 * with its inner chain by sa_message(). */
static void
log_generated(const uint8_t *msg, size_t len)
{
	struct ikev2_msg m;
	struct parse_error pe;
	struct ikev2_limits lim = {len, 64};
	char summary[512];

	if (log_level(LOG_ENC) < 1 || ikev2_msg_parse(msg, len, &lim, &m, &pe) != 0 ||
	    ikev2_ends_in_sk(&m.chain))
		return;
	ikev2_summary(&m.hdr, &m.chain, summary, sizeof(summary));
	LOG(ENC, 1, "generating %s", summary);
}

/* "ESP:AES_CBC_256/HMAC_SHA2_256_128" or "IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/
 * CURVE_25519", as strongSwan names a proposal (prf and dh 0: none). */
static void
suite_text(const char *protocol, uint16_t encr, uint16_t bits, uint16_t integ, uint16_t prf,
    uint16_t dh, char *out, size_t size)
{
	int n = snprintf(out, size, "%s:%s_%u", protocol,
	    ikev2_transform_name(IKEV2_TRANS_ENCR, encr), bits);
	const struct {
		uint8_t type;
		uint16_t id;
	} more[] = {{IKEV2_TRANS_INTEG, integ}, {IKEV2_TRANS_PRF, prf}, {IKEV2_TRANS_DH, dh}};
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		if (more[i].id && n >= 0 && (size_t)n < size)
			n += snprintf(out + n, size - (size_t)n, "/%s",
			    ikev2_transform_name(more[i].type, more[i].id));
}

/* --- ike_sa's ops --- */

static void
sa_send(void *arg, const uint8_t *msg, size_t len)
{
	struct ikev2_peer *p = arg;
	/* a response goes back the way its request came (RFC 7296 2.11) */
	const struct ike_endpoint *local = p->reply_local ? p->reply_local : &p->local;
	const struct ike_endpoint *remote = p->reply_remote ? p->reply_remote : &p->remote;
	char from[64], to[64], proposal[128];
	struct ike_suite_cfg suite;

	/* the first datagram after IKE_SA_INIT's keys: its response */
	if (!p->proposal_logged && ike_sa_ike_suite(p->sa, &suite)) {
		p->proposal_logged = true;
		suite_text("IKE", suite.encr, suite.encr_bits, suite.integ, suite.prf, suite.dh,
		    proposal, sizeof(proposal));
		LOG(CFG, 1, "selected proposal: %s", proposal);
	}
	log_generated(msg, len);
	ikev2_endpoint_str(local, from, sizeof(from));
	ikev2_endpoint_str(remote, to, sizeof(to));
	LOG(NET, 1, "sending packet: from %s to %s (%zu bytes)", from, to, len);
	int err = ikev2_udp_send(local, remote, msg, len);
	if (err)
		LOG(NET, 1, "sending to %s failed: %s", to, strerror(-err));
}

/* An EAP-Failure of our own, when the conversation cannot even start. */
static void
fail_without_eap(struct ikev2_peer *p, const char *why)
{
	static const uint8_t failure[EAP_HEADER_LEN] = {EAP_FAILURE, 0, 0, EAP_HEADER_LEN};
	LOG_WARN(IKE, "IKE_SA %u: no EAP conversation: %s", p->serial, why);
	if (ike_sa_eap_request(p->sa, (struct bytes){failure, sizeof(failure)}) == 0)
		(void)ike_sa_eap_done(p->sa, false, (struct bytes){NULL, 0}, NULL);
}

static const struct eap_server_ops eap_ops;

static void
sa_eap_start(void *arg, struct bytes peer_id)
{
	struct ikev2_peer *p = arg;
	const struct ikev2_config *cfg = ikev2_server_config();
	char local[64], remote[64];

	if (peer_id.len < 4) {
		fail_without_eap(p, "IDi has no data");
		return;
	}
	struct bytes id = {peer_id.ptr + 4, peer_id.len - 4};
	identity_text(id, p->peer_id, sizeof(p->peer_id));
	LOG(CFG, 1, "looking for peer configs matching %s[%s]...%s[%s]",
	    ikev2_address_str(&p->local, local, sizeof(local)), cfg->id,
	    ikev2_address_str(&p->remote, remote, sizeof(remote)), p->peer_id);
	int err = eap_server_new(&cfg->eap, &eap_ops, p, &p->eap);
	if (err) {
		fail_without_eap(p, tnc_strerror(err));
		return;
	}
	LOG(IKE, 1, "initiating EAP_TTLS method");
	if (eap_server_start(p->eap) != 0)
		LOG(IKE, 1, "IKE_SA %u: EAP-TTLS did not start", p->serial);
}

static void
sa_eap_response(void *arg, struct bytes eap)
{
	struct ikev2_peer *p = arg;
	if (!p->eap)
		return;
	int err = eap_server_receive(p->eap, eap);
	if (err == TNC_EAGAIN)
		LOG(IKE, 2, "IKE_SA %u: EAP Response discarded (not the outstanding Request's)",
		    p->serial);
}

static const char *
ipv4_text(uint32_t host_order, char *out, size_t size)
{
	struct ike_endpoint a = {.addr_len = 4};
	uint32_t be = htonl(host_order);
	memcpy(a.addr, &be, 4);
	return ikev2_address_str(&a, out, size);
}

/* "10.1.0.0/28" for a prefix, else "10.1.0.1..10.1.0.11", as strongSwan. */
static void
ts_text(const struct ike_ts4 *ts, char *out, size_t size)
{
	char first[16], last[16];
	uint32_t span = ts->end - ts->start;

	ipv4_text(ts->start, first, sizeof(first));
	if ((span & (span + 1)) == 0 && (ts->start & span) == 0)
		snprintf(out, size, "%s/%d", first, 32 - __builtin_popcount(span));
	else
		snprintf(out, size, "%s..%s", first, ipv4_text(ts->end, last, sizeof(last)));
}

/* Ends p's IKE SA from outside its callbacks' normal course: the reason
 * stays in p for the SA's closed() line. */
static void
end_sa(struct ikev2_peer *p, const char *what, const char *why)
{
	snprintf(p->close_reason, sizeof(p->close_reason), "%s: %s", what, why);
	ike_sa_delete(p->sa, p->close_reason, ikev2_server_now());
}

/* tnc-xfrm refused or lost the CHILD_SA's kernel state (a frame from it,
 * outside the SA's own calls). */
static void
kernel_failed(void *arg, const char *reason)
{
	struct ikev2_peer *p = arg;
	LOG(IKE, 1, "IKE_SA %u: the CHILD_SA's kernel SAs are not installed: %s", p->serial,
	    reason);
	end_sa(p, "kernel SAs not installed", reason);
	ikev2_server_kick(p);
}

static void
sa_established(void *arg, bool initial_contact)
{
	struct ikev2_peer *p = arg;
	const struct ikev2_config *cfg = ikev2_server_config();
	char local[64], remote[64];

	LOG(IKE, 1, "authentication of '%s' with EAP successful", p->peer_id);
	LOG(IKE, 1, "authentication of '%s' (myself) with EAP", cfg->id);
	LOG(IKE, 1, "IKE_SA %s[%u] established between %s[%s]...%s[%s]", p->conn ? p->conn : "-",
	    p->serial, ikev2_address_str(&p->local, local, sizeof(local)), cfg->id,
	    ikev2_address_str(&p->remote, remote, sizeof(remote)), p->peer_id);
	/* reauthentication is the peer's (RFC 7296 2.16 with EAP): at this
	 * lifetime we delete the IKE SA */
	if (cfg->sa.ike_lifetime_s)
		LOG(IKE, 1, "maximum IKE_SA lifetime %us", cfg->sa.ike_lifetime_s);
	if (initial_contact)
		ikev2_server_initial_contact(p);
}

static void
sa_child_up(void *arg, const struct ike_child_sa *c)
{
	struct ikev2_peer *p = arg;
	const struct ikev2_config *cfg = ikev2_server_config();
	char tsl[40], tsr[40], vip[16], proposal[128], reason[256];

	if (c->rekeys_spi_in) /* the virtual IP stays the one assigned */
		LOG(IKE, 1, "rekeying CHILD_SA %s{%u} with SPIs %08x_i %08x_o", c->conn_name,
		    p->serial, c->rekeys_spi_in, c->rekeys_spi_out);
	else if (c->has_virtual_ip)
		LOG(IKE, 1, "assigning virtual IP %s to peer '%s'",
		    ipv4_text(c->virtual_ip, vip, sizeof(vip)), p->peer_id);
	suite_text("ESP", c->esp.encr, c->esp.encr_bits, c->esp.integ, 0, 0, proposal,
	    sizeof(proposal));
	LOG(CFG, 1, "selected proposal: %s/NO_EXT_SEQ", proposal);
	ts_text(&c->ts_local, tsl, sizeof(tsl));
	ts_text(&c->ts_remote, tsr, sizeof(tsr));
	LOG(IKE, 1, "CHILD_SA %s{%u} established with SPIs %08x_i %08x_o and TS %s === %s",
	    c->conn_name, p->serial, c->spi_in, c->spi_out, tsl, tsr);
	if (!cfg->kernel_xfrm) {
		LOG(IKE, 2, "CHILD_SA %s{%u}: no kernel SAs (ikev2_kernel = none)", c->conn_name,
		    p->serial);
		return;
	}
	const bool encap = ike_sa_nat_remote(p->sa) || ike_sa_nat_local(p->sa);
	/* a rekey's SAs come under the policies of the CHILD_SA it replaces */
	int err = c->rekeys_spi_in && p->kernel ?
	    ikev2_kernel_rekey(p->kernel, c, reason, sizeof(reason)) :
	    ikev2_kernel_install(c, encap, p->serial, kernel_failed, p, &p->kernel, reason,
		sizeof(reason));
	if (err) {
		LOG(IKE, 1, "IKE_SA %u: the CHILD_SA's kernel SAs are not installed: %s", p->serial,
		    reason);
		end_sa(p, "kernel SAs not installed", reason);
	}
}

static void
sa_child_down(void *arg, const struct ike_child_sa *c)
{
	struct ikev2_peer *p = arg;
	LOG(IKE, 1, "closing CHILD_SA %s{%u} with SPIs %08x_i %08x_o", c->conn_name, p->serial,
	    c->spi_in, c->spi_out);
	/* its SAs; the policies with the last CHILD_SA under them */
	if (p->kernel && ikev2_kernel_child_down(p->kernel, c->spi_in))
		p->kernel = NULL;
}

static void
sa_closed(void *arg, const char *reason)
{
	struct ikev2_peer *p = arg;
	char remote[64];
	LOG(IKE, 1, "IKE_SA %s[%u] with %s closed: %s", p->conn ? p->conn : "-", p->serial,
	    ikev2_endpoint_str(&p->remote, remote, sizeof(remote)), reason);
	p->dead = true; /* freed by ikev2_server_update() */
}

/* Our certificate AUTH in the first IKE_AUTH response, as strongSwan
 * logs its own: "authentication of 'moon.strongswan.org' (myself) with
 * ECDSA_WITH_SHA256_DER successful". */
static void
log_signature_auth(const struct ikev2_chain *inner)
{
	struct ikev2_iter it;
	struct ikev2_payload pl;

	ikev2_iter_init(&it, inner);
	while (ikev2_iter_next(&it, &pl))
		if (pl.type == IKEV2_PL_AUTH && pl.u.auth.method != IKEV2_AUTH_SHARED_KEY_MIC)
			LOG(IKE, 1, "authentication of '%s' (myself) with %s successful",
			    ikev2_server_config()->id,
			    ikev2_sig_scheme_name(pl.u.auth.method, pl.u.auth.data));
}

static void
sa_message(void *arg, bool sent, const struct ikev2_header *h, const struct ikev2_chain *inner)
{
	char summary[512];

	if (sent && h->exchange == IKEV2_IKE_AUTH && h->message_id == 1)
		log_signature_auth(inner);
	if (log_level(LOG_ENC) < 1)
		return;
	ikev2_summary(h, inner, summary, sizeof(summary));
	LOG(ENC, 1, "%s %s", sent ? "generating" : "parsed", summary);
}

/* MOBIKE: the peer moved the IKE SA (UPDATE_SA_ADDRESSES); datagrams go
 * to its new address, and the CHILD_SA's kernel state is installed again
 * between the new endpoints (with UDP encapsulation as the NAT detection
 * of the update found). */
static void
sa_moved(void *arg, const struct ike_endpoint *local, const struct ike_endpoint *remote,
    const struct ike_child_sa *child)
{
	struct ikev2_peer *p = arg;
	char from[64], to[64], reason[256];

	/* strongSwan's lines, for the side that changed */
	ikev2_endpoint_str(&p->local, from, sizeof(from));
	if (strcmp(from, ikev2_endpoint_str(local, to, sizeof(to))) != 0)
		LOG(IKE, 1, "local endpoint changed from %s to %s", from, to);
	ikev2_endpoint_str(&p->remote, from, sizeof(from));
	if (strcmp(from, ikev2_endpoint_str(remote, to, sizeof(to))) != 0)
		LOG(IKE, 1, "remote endpoint changed from %s to %s", from, to);
	p->local = *local;
	p->remote = *remote;
	if (!child || !ikev2_server_config()->kernel_xfrm)
		return;
	ikev2_kernel_remove(p->kernel);
	p->kernel = NULL;
	const bool encap = ike_sa_nat_remote(p->sa) || ike_sa_nat_local(p->sa);
	if (ikev2_kernel_install(child, encap, p->serial, kernel_failed, p, &p->kernel, reason,
	    sizeof(reason)) != 0) {
		LOG(IKE, 1, "IKE_SA %u: the moved CHILD_SA's kernel SAs are not installed: %s",
		    p->serial, reason);
		end_sa(p, "kernel SAs not installed", reason);
	}
}

const struct ike_sa_ops ikev2_glue_sa_ops = {
	sa_send, sa_eap_start, sa_eap_response, sa_child_up, sa_child_down, sa_closed,
	sa_message, sa_established, sa_moved,
};

/* --- eap_server's ops --- */

static void
eap_send(void *arg, struct bytes eap)
{
	struct ikev2_peer *p = arg;
	int err = ike_sa_eap_request(p->sa, eap);
	if (err)
		LOG(IKE, 1, "IKE_SA %u: EAP packet not sent: %s", p->serial, ike_sa_reason(p->sa));
}

static const struct tnccs_conn_ops tnc_ops;

/* The assessment cannot go on: no access. */
static void
deny(struct ikev2_peer *p)
{
	if (eap_server_tnc_finish(p->eap, false) != 0)
		LOG(TNC, 2, "IKE_SA %u: the EAP conversation already ended", p->serial);
}

static void
eap_tnc_open(void *arg, const char *identity)
{
	struct ikev2_peer *p = arg;
	snprintf(p->identity, sizeof(p->identity), "%s", identity);
	LOG(IKE, 1, "phase2 method EAP_TNC selected for '%s'", identity);
	struct ikev2_tnc *t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	t->peer = p;
	p->tnc = t;
	tnccs_link_add(&t->link, &tnc_ops);
	int err = tnccs_link_open(&t->link);
	if (err) {
		LOG(TNC, 1, "IKE_SA %u: cannot open a TNCCS connection: %s", p->serial,
		    tnc_strerror(err));
		deny(p);
	}
}

static void
eap_tnc_batch(void *arg, struct bytes batch)
{
	struct ikev2_peer *p = arg;
	struct ikev2_tnc *t = p->tnc;
	if (!t)
		return;
	int err = tnccs_link_batch(&t->link, batch);
	if (err == TNC_EAGAIN) { /* held: goes on with tnc_resume() */
		free(t->held);
		if (!(t->held = malloc(batch.len ? batch.len : 1)))
			abort();
		memcpy(t->held, batch.ptr, batch.len);
		t->held_len = batch.len;
	} else if (err) {
		LOG(TNC, 1, "Connection ID %u: batch not delivered to tnc-tnccs: %s",
		    t->link.entry.id, tnc_strerror(err));
		deny(p);
	}
}

/* The TNCCS connection ends with the EAP conversation (tnc-tnccs learns
 * that the client left); it may outlive p until its TNCCS_CLOSE is out. */
static void
tnc_end(struct ikev2_peer *p)
{
	struct ikev2_tnc *t = p->tnc;
	p->tnc = NULL;
	if (!t)
		return;
	t->peer = NULL;
	free(t->held);
	t->held = NULL;
	if (!tnccs_link_close(&t->link, 0))
		free(t);
}

static void
eap_done(void *arg, bool success, const struct eap_keys *keys, const char *reason)
{
	struct ikev2_peer *p = arg;
	tnc_end(p);
	if (!success) {
		LOG(IKE, 1, "EAP method EAP_TTLS failed for peer '%s': %s", p->peer_id,
		    reason ? reason : "refused");
		if (ike_sa_eap_done(p->sa, false, (struct bytes){NULL, 0}, NULL) != 0)
			LOG(IKE, 2, "IKE_SA %u: %s", p->serial, ike_sa_reason(p->sa));
		return;
	}
	/* without EAP-TNC there is no group: the authenticated peer gets rw-allow */
	if (!p->conn)
		p->conn = "rw-allow";
	LOG(IKE, 1, "EAP method EAP_TTLS succeeded, MSK established");
	if (ike_sa_eap_done(p->sa, true, (struct bytes){keys->msk, sizeof(keys->msk)}, p->conn)
	    != 0)
		LOG(IKE, 1, "IKE_SA %u: %s", p->serial, ike_sa_reason(p->sa));
}

static const struct eap_server_ops eap_ops = {eap_send, eap_tnc_open, eap_tnc_batch, eap_done};

/* --- tnccs_link's ops for the EAP-TNC connection --- */

static void
tnc_pause(struct tnccs_conn *c)
{
	/* nothing to hold: the peer waits for our answer to its batch */
}

static void
tnc_resume(struct tnccs_conn *c)
{
	struct ikev2_tnc *t = (struct ikev2_tnc *)c;
	if (!t->held)
		return;
	int err = tnccs_link_batch(&t->link, (struct bytes){t->held, t->held_len});
	if (err == TNC_EAGAIN)
		return;
	free(t->held);
	t->held = NULL;
	if (err) {
		struct ikev2_peer *p = t->peer;
		deny(p); /* t is gone after it */
		ikev2_server_kick(p);
	}
}

static void
tnc_abort(struct tnccs_conn *c, int err)
{
	struct ikev2_tnc *t = (struct ikev2_tnc *)c;
	struct ikev2_peer *p = t->peer;
	LOG(TNC, 1, "Connection ID %u: no tnc-tnccs (%s): access denied", c->entry.id,
	    tnc_strerror(err));
	deny(p); /* t is gone after it */
	ikev2_server_kick(p);
}

static void
tnc_describe(struct tnccs_conn *c, struct ipc_tnccs_open *o)
{
	struct ikev2_tnc *t = (struct ikev2_tnc *)c;
	const struct ikev2_config *cfg = ikev2_server_config();
	static char peer[64];
	char addr[48];
	const char *transport = cfg->eap.tnc_type == EAP_TYPE_PT_EAP ? "PT-EAP" :
	    "IF-T for Tunneled EAP 1.1";

	ikev2_address_str(&t->peer->remote, addr, sizeof(addr));
	snprintf(peer, sizeof(peer), t->peer->remote.addr_len == 4 ? "%s:%u" : "[%s]:%u", addr,
	    t->peer->remote.port);
	o->transport = (struct bytes){(const uint8_t *)transport, strlen(transport)};
	o->flags = TNCCS_OPEN_EAP;
	o->peer = (struct bytes){(const uint8_t *)peer, strlen(peer)};
	o->identity = (struct bytes){(const uint8_t *)t->peer->identity,
	    strlen(t->peer->identity)};
	const enum eap_server_identity_auth auth = eap_server_identity_auth(t->peer->eap);
	o->id_auth = auth == EAP_SERVER_ID_MD5 ? IPC_ID_AUTH_PASSWORD :
	    auth == EAP_SERVER_ID_CERTIFICATE ? IPC_ID_AUTH_CERTIFICATE : IPC_ID_AUTH_UNKNOWN;
	o->max_batch = (uint32_t)cfg->eap.max_batch;
	/* a batch holding one PB-PA */
	o->max_msg = o->max_batch - PB_BATCH_HEADER_LEN - PB_MSG_HEADER_LEN - PB_PA_HEADER_LEN;
}

static void
tnc_from_tnccs(struct tnccs_conn *c, struct ipc_received *rx)
{
	struct ikev2_tnc *t = (struct ikev2_tnc *)c;
	struct ikev2_peer *p = t->peer;
	uint32_t id = c->entry.id;

	/* an EAP call may end the conversation, and with it free t: neither t
	 * nor c is used after one */
	switch (rx->hdr.type) {
	case IPC_TNCCS_BATCH:
		c->client_waits = false;
		if (eap_server_tnc_batch(p->eap, rx->msg.u.tnccs_batch.batch) != 0)
			LOG(TNC, 1, "Connection ID %u: the EAP conversation takes no batch now",
			    id);
		break;
	case IPC_TNCCS_RESULT: {
		unsigned rec = rx->msg.u.imv_recommend.recommendation;
		p->tnc_decided = true;
		p->recommendation = (uint8_t)rec;
		LOG(TNC, 1, "policy enforced on peer '%s' is '%s'", p->peer_id,
		    imv_recommendation_name(rec));
		break;
	}
	case IPC_TNCCS_CLOSE: {
		tnccs_link_forget(c);
		bool allow = p->tnc_decided && p->recommendation == IMV_REC_ALLOW;
		bool isolate = p->tnc_decided && p->recommendation == IMV_REC_ISOLATE;
		if (allow || isolate) {
			p->conn = allow ? "rw-allow" : "rw-isolate";
			LOG(TNC, 1, "policy enforcement point added group membership '%s'",
			    allow ? "allow" : "isolate");
		} else {
			LOG(TNC, 1, "no access for peer '%s'%s", p->peer_id,
			    p->tnc_decided ? "" : ": the assessment ended without a result");
		}
		if (eap_server_tnc_finish(p->eap, allow || isolate) != 0)
			LOG(TNC, 1, "Connection ID %u: the EAP conversation already ended", id);
		break;
	}
	default:
		return;
	}
	ikev2_server_kick(p);
}

static void
tnc_release(struct tnccs_conn *c)
{
	struct ikev2_tnc *t = (struct ikev2_tnc *)c;
	free(t->held);
	free(t);
}

static const struct tnccs_conn_ops tnc_ops = {
	tnc_pause, tnc_resume, tnc_abort, tnc_describe, tnc_from_tnccs, tnc_release,
};

void
ikev2_glue_end(struct ikev2_peer *p)
{
	ikev2_kernel_remove(p->kernel);
	p->kernel = NULL;
	tnc_end(p);
	eap_server_free(p->eap);
	p->eap = NULL;
}
