/* fuzz_eap_peer.c - libFuzzer harness for tncclient's EAP peer
 * (client/eap_peer/): ike/ttls's EAP-TTLS server completes a real TLS
 * handshake with it, then the input drives what the server says, as a
 * sequence of operations after a first octet of options (bit 0:
 * strongswan_fragments, bit 1: TLS 1.3 allowed)
 *
 *     op (1 octet) | length (2 octets) | data
 *
 *   0  data as a tunneled EAP packet (its Identifier octet, when present,
 *      set to a new one)                  1  the same, Identifier untouched
 *   2  data as the outer EAP packet       3  EAP-Success answering the
 *   4  EAP-Failure answering it              peer's last Response
 *   5  eap_peer_tnc_batch(data)
 *
 * after each of which the server takes the peer's Responses (acknowledges
 * its fragments, sends its own next fragments) until it has nothing to say.
 *
 * Invariants, any broken one aborts: every packet the peer sends parses as
 * an EAP-TTLS Response of at most the fragment size; done() comes at most
 * once, with a reason on failure, and nothing is sent after it; a call
 * that fails the conversation has called done(false); EAP-Success gives
 * the server's MSK; once ended the peer takes nothing more.
 */
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "eap.h"
#include "eap_frag.h"
#include "eap_peer.h"
#include "fuzz_eap_conv.h"
#include "eap_ttls.h"
#include "eap_ttls_keys.h"
#include "ttls_server.h"

#define PKT_MAX 65536u
#define FRAGMENT 600

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
	struct eap_peer *p;
	struct ttls_server *srv;
	uint8_t resp[PKT_MAX];
	size_t resp_len;
	bool resp_new;
	uint8_t inner_id;
	struct fuzz_eap_end end;
};

static void
on_send(void *arg, struct bytes eap)
{
	struct run *r = arg;
	struct eap_packet p;
	struct eap_frag f;
	struct parse_error pe;
	check(r->end.dones == 0);
	check(eap.len <= EAP_TYPE_HEADER_LEN + 1 + EAP_FRAG_LENGTH_LEN + FRAGMENT);
	check(eap_parse(eap.ptr, eap.len, &p, &pe) == 0 && p.code == EAP_RESPONSE);
	check(eap_ttls_parse(&p, &f, &pe) == 0);
	memcpy(r->resp, eap.ptr, eap.len);
	r->resp_len = eap.len;
	r->resp_new = true;
}

static void
on_tnc_start(void *arg, uint8_t type)
{
	(void)arg;
	check(type == EAP_TYPE_TNC || type == EAP_TYPE_PT_EAP);
}

static void
on_tnc_batch(void *arg, struct bytes batch)
{
	(void)arg;
	check(batch.len > 0 && batch.len <= 2048);
}

static void
on_done(void *arg, bool success, const struct eap_keys *keys, const char *reason)
{
	struct run *r = arg;
	fuzz_eap_end_done(&r->end, success, keys, reason);
}

static const struct eap_peer_ops ops = {
	.send = on_send, .tnc_start = on_tnc_start, .tnc_batch = on_tnc_batch, .done = on_done,
};

static void
on_server_inner(void *arg, struct bytes eap)
{
	(void)arg;
	(void)eap;
}

/* The server's context (a certificate from the CA the peer trusts), made
 * once. */
static SSL_CTX *server_ctx;
static X509_STORE *trust;

static X509 *
make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key)
{
	X509 *cert = X509_new();
	check(cert != NULL);
	X509_set_version(cert, 2);
	X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(cert), 365 * 86400L);
	X509_set_pubkey(cert, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(cert, X509_get_subject_name(issuer ? issuer : cert));
	if (!issuer) {
		X509_EXTENSION *bc = X509V3_EXT_conf_nid(NULL, NULL, NID_basic_constraints,
		    "critical,CA:TRUE");
		check(bc && X509_add_ext(cert, bc, -1) == 1);
		X509_EXTENSION_free(bc);
	}
	check(X509_sign(cert, issuer_key, EVP_sha256()) > 0);
	return cert;
}

static void
setup_once(void)
{
	if (server_ctx)
		return;
	EVP_PKEY *ca_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	check(ca_key && key);
	X509 *ca = make_cert("fuzz CA", ca_key, NULL, ca_key);
	X509 *cert = make_cert("moon", key, ca, ca_key);
	server_ctx = SSL_CTX_new(TLS_server_method());
	trust = X509_STORE_new();
	check(server_ctx && trust && X509_STORE_add_cert(trust, ca) == 1);
	SSL_CTX_set_options(server_ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_num_tickets(server_ctx, 0);
	check(SSL_CTX_use_certificate(server_ctx, cert) == 1 &&
	    SSL_CTX_use_PrivateKey(server_ctx, key) == 1);
	X509_free(ca);
	X509_free(cert);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(key);
}

/* The peer takes pkt. */
static void
to_peer(struct run *r, const uint8_t *pkt, size_t len)
{
	r->resp_new = false;
	fuzz_eap_end_check_rc(&r->end, eap_peer_receive(r->p, (struct bytes){pkt, len}));
}

/* The server takes the peer's Responses and answers while it has
 * something to say. */
static void
pump(struct run *r)
{
	for (unsigned i = 0; i < 64 && r->resp_new && r->end.dones == 0; i++) {
		struct wire_writer out;
		wire_writer_init(&out, PKT_MAX);
		r->resp_new = false;
		int rc = ttls_server_receive(r->srv, r->resp, r->resp_len, &out);
		if (rc == 0 && out.len > 0)
			to_peer(r, out.buf, out.len);
		wire_writer_clear(&out);
	}
}

/* The server's tunneled packet, out with its next Request when none is
 * awaited. */
static void
server_inner(struct run *r, struct bytes eap)
{
	if (ttls_server_send_inner(r->srv, eap) != 0)
		return;
	struct wire_writer out;
	wire_writer_init(&out, PKT_MAX);
	if (ttls_server_flush(r->srv, &out) == 0 && out.len > 0)
		to_peer(r, out.buf, out.len);
	wire_writer_clear(&out);
}

static void
op(struct run *r, uint8_t code, const uint8_t *data, size_t len)
{
	uint8_t pkt[PKT_MAX];
	uint8_t end[EAP_HEADER_LEN] = {0, r->resp[1], 0, EAP_HEADER_LEN};
	switch (code % 6) {
	case 0:
	case 1:
		memcpy(pkt, data, len);
		if (code % 6 == 0 && len >= 2)
			pkt[1] = ++r->inner_id;
		server_inner(r, (struct bytes){pkt, len});
		break;
	case 2:
		to_peer(r, data, len);
		break;
	case 3:
	case 4:
		end[0] = code % 6 == 3 ? EAP_SUCCESS : EAP_FAILURE;
		to_peer(r, end, sizeof(end));
		break;
	default:
		r->resp_new = false;
		fuzz_eap_end_check_rc(&r->end,
		    eap_peer_tnc_batch(r->p, (struct bytes){data, len}));
		break;
	}
	pump(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup_once();
	struct run r = {0};
	uint8_t options = size > 0 ? data[0] : 0;
	const struct eap_peer_config cfg = {
		.identity = "carol",
		.md5_secret = {(const uint8_t *)"Ar3etTnp", 8},
		.trust = trust,
		.server_name = "moon",
		.max_tls_version = (options & 2) ? TLS1_3_VERSION : TLS1_2_VERSION,
		.fragment = FRAGMENT,
		.max_message = 16384,
		.max_inner = 4096,
		.tnc_fragment = 100,
		.max_batch = 2048,
		.max_round_trips = 64,
		.strongswan_fragments = options & 1,
	};
	const struct ttls_server_limits limits = {.fragment = 500, .message = 16384,
	    .round_trips = 16, .inner = 8192, .max_tls_version = TLS1_3_VERSION};
	check(eap_peer_new(&cfg, &ops, &r, &r.p) == 0);
	check(ttls_server_new(server_ctx, &limits, on_server_inner, &r, &r.srv) == 0);
	/* The Start and the handshake. */
	struct wire_writer out;
	wire_writer_init(&out, PKT_MAX);
	check(ttls_server_start(r.srv, 1, &out) == 0);
	to_peer(&r, out.buf, out.len);
	wire_writer_clear(&out);
	pump(&r);
	check(r.end.dones == 0 && eap_peer_state(r.p) == EAP_PEER_TUNNEL &&
	    ttls_server_state(r.srv) == TTLS_SERVER_TUNNEL);
	struct fuzz_ops input = fuzz_ops_of(data, size);
	uint8_t code;
	const uint8_t *arg;
	size_t len;
	while (r.end.dones == 0 && fuzz_ops_next(&input, &code, &arg, &len)) {
		op(&r, code, arg, len);
	}
	if (r.end.dones) {
		struct eap_keys keys;
		if (r.end.success && ttls_server_state(r.srv) == TTLS_SERVER_TUNNEL) {
			check(ttls_server_succeed(r.srv, &keys) == 0);
			check(memcmp(keys.msk, r.end.keys.msk, EAP_MSK_LEN) == 0);
		}
		const uint8_t late[] = {EAP_FAILURE, r.resp[1], 0, 4};
		check(eap_peer_receive(r.p, (struct bytes){late, sizeof(late)}) == TNC_ESTATE);
	}
	eap_peer_free(r.p);
	ttls_server_free(r.srv);
	return 0;
}
