/* fuzz_eap_server.c - libFuzzer harness for the EAP server conversation
 * (ike/eap_server/): a TLS peer over memory BIOs completes the EAP-TTLS
 * handshake, then the input drives what goes into the tunnel and what the
 * owner does, as a sequence of operations
 *
 *     op (1 octet) | length (2 octets) | data
 *
 *   0  a tunneled EAP packet (data; its Identifier octet, when present, set
 *      to the last tunneled Request's)    1  the same, Identifier untouched
 *   2  the right EAP-MD5 Response to the last challenge
 *   3  data as the outer EAP packet       4  an empty EAP-TTLS Response
 *   5  eap_server_tnc_batch(data)         6  eap_server_tnc_finish(data[0] & 1)
 *
 * Invariants, any broken one aborts: every packet the server sends parses
 * and is an EAP-TTLS Request, an EAP-Success or an EAP-Failure; done()
 * comes at most once and nothing is sent after it; EAP-Success comes with
 * done(true) and the MSK the peer exports; once ended the server takes
 * nothing more.
 */
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "eap.h"
#include "eap_frag.h"
#include "eap_md5.h"
#include "eap_secrets.h"
#include "eap_server.h"
#include "fuzz_eap_conv.h"
#include "eap_ttls.h"
#include "eap_ttls_keys.h"

#define PKT_MAX 65536u
#define SECRET "Ar3etTnp"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
	struct eap_server *s;
	SSL *ssl; /* the peer's */
	BIO *in, *out;
	uint8_t req[PKT_MAX];
	size_t req_len;
	bool req_new;
	uint8_t inner_id;  /* of the last tunneled Request */
	uint8_t challenge[EAP_SERVER_MD5_CHALLENGE_LEN];
	bool have_challenge;
	bool tunnel_up; /* a tunneled Request came */
	bool success_sent;
	struct fuzz_eap_end end;
};

static void
on_send(void *arg, struct bytes eap)
{
	struct run *r = arg;
	struct eap_packet p;
	struct parse_error pe;
	check(r->end.dones == 0);
	check(eap.len <= sizeof(r->req) && eap_parse(eap.ptr, eap.len, &p, &pe) == 0);
	check(p.code == EAP_SUCCESS || p.code == EAP_FAILURE ||
	    (p.code == EAP_REQUEST && p.type == EAP_TYPE_TTLS));
	r->success_sent = p.code == EAP_SUCCESS;
	memcpy(r->req, eap.ptr, eap.len);
	r->req_len = eap.len;
	r->req_new = true;
}

static void
on_tnc_open(void *arg, const char *identity)
{
	(void)arg;
	check(identity[0] != 0);
}

static void
on_tnc_batch(void *arg, struct bytes batch)
{
	(void)arg;
	check(batch.len > 0);
}

static void
on_done(void *arg, bool success, const struct eap_keys *keys, const char *reason)
{
	struct run *r = arg;
	fuzz_eap_end_done(&r->end, success, keys, reason);
}

static const struct eap_server_ops ops = {
	.send = on_send, .tnc_open = on_tnc_open, .tnc_batch = on_tnc_batch, .done = on_done,
};

/* The server's context and the secrets, made once. */
static SSL_CTX *server_ctx, *peer_ctx;
static struct eap_secrets secrets;

static void
setup_once(void)
{
	if (server_ctx)
		return;
	server_ctx = SSL_CTX_new(TLS_server_method());
	peer_ctx = SSL_CTX_new(TLS_client_method());
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *cert = X509_new();
	check(server_ctx && peer_ctx && key && cert);
	SSL_CTX_set_min_proto_version(server_ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(server_ctx, SSL_OP_NO_TICKET);
	X509_set_version(cert, 2);
	X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
	X509_set_pubkey(cert, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
	    (const unsigned char *)"fuzz", -1, -1, 0);
	X509_set_issuer_name(cert, X509_get_subject_name(cert));
	check(X509_sign(cert, key, EVP_sha256()) > 0);
	check(SSL_CTX_use_certificate(server_ctx, cert) == 1 &&
	    SSL_CTX_use_PrivateKey(server_ctx, key) == 1);
	X509_free(cert);
	EVP_PKEY_free(key);
	SSL_CTX_set_verify(peer_ctx, SSL_VERIFY_NONE, NULL);
	static const char text[] = "carol : \"" SECRET "\"\n";
	char err[128];
	check(eap_secrets_parse(text, sizeof(text) - 1, "fuzz", &secrets, err, sizeof(err)) == 0);
}

/* The peer takes a tunneled Request: it remembers its Identifier and, for
 * an MD5 challenge, the challenge. */
static void
peer_inner(struct run *r, struct bytes avps)
{
	struct bytes eap;
	struct eap_packet p;
	struct eap_md5 m;
	struct parse_error pe;
	check(ttls_avp_find_eap_message(avps, &eap, &pe) == 0);
	check(eap_parse(eap.ptr, eap.len, &p, &pe) == 0 && p.code == EAP_REQUEST);
	r->tunnel_up = true;
	r->inner_id = p.id;
	r->have_challenge = p.type == EAP_TYPE_MD5 && eap_md5_parse(&p, &m, &pe) == 0 &&
	    m.value.len == sizeof(r->challenge);
	if (r->have_challenge)
		memcpy(r->challenge, m.value.ptr, sizeof(r->challenge));
}

/* The peer takes the server's last packet. */
static void
peer_take(struct run *r)
{
	struct eap_packet p;
	struct eap_frag f;
	struct parse_error pe;
	r->req_new = false;
	check(eap_parse(r->req, r->req_len, &p, &pe) == 0);
	if (p.code != EAP_REQUEST)
		return;
	check(eap_ttls_parse(&p, &f, &pe) == 0);
	if (f.flags & EAP_FRAG_FLAG_S) {
		SSL_do_handshake(r->ssl);
		return;
	}
	/* The server's fragment size is above any Request here: no M. */
	check(!(f.flags & EAP_FRAG_FLAG_M));
	if (f.data.len)
		check(BIO_write(r->in, f.data.ptr, (int)f.data.len) == (int)f.data.len);
	if (!SSL_is_init_finished(r->ssl))
		SSL_do_handshake(r->ssl);
	uint8_t buf[PKT_MAX / 4];
	int n;
	while (SSL_is_init_finished(r->ssl) && (n = SSL_read(r->ssl, buf, sizeof(buf))) > 0)
		peer_inner(r, (struct bytes){buf, (size_t)n});
}

/* The peer's Response: all its pending TLS output in one packet. */
static void
peer_respond(struct run *r)
{
	struct wire_writer w;
	uint8_t chunk[4096];
	int n;
	struct wire_writer tls;
	wire_writer_init(&tls, PKT_MAX - 16);
	while ((n = BIO_read(r->out, chunk, sizeof(chunk))) > 0)
		wire_put_bytes(&tls, chunk, (size_t)n);
	struct eap_packet p;
	struct parse_error pe;
	check(eap_parse(r->req, r->req_len, &p, &pe) == 0);
	wire_writer_init(&w, PKT_MAX);
	eap_frag_put(&w, EAP_RESPONSE, p.id, EAP_TYPE_TTLS,
	    &(struct eap_frag){.version = EAP_TTLS_VERSION, .data = {tls.buf, tls.len}});
	if (wire_writer_status(&tls) == 0 && wire_writer_status(&w) == 0)
		fuzz_eap_end_check_rc(&r->end,
		    eap_server_receive(r->s, (struct bytes){w.buf, w.len}));
	wire_writer_clear(&tls);
	wire_writer_clear(&w);
}

/* Puts one EAP packet into the tunnel. */
static void
peer_send_inner(struct run *r, struct bytes eap)
{
	struct wire_writer w;
	wire_writer_init(&w, PKT_MAX);
	ttls_avp_put_eap_message(&w, eap);
	if (wire_writer_status(&w) == 0)
		check(SSL_write(r->ssl, w.buf, (int)w.len) == (int)w.len);
	wire_writer_clear(&w);
}

static void
peer_md5(struct run *r)
{
	uint8_t digest[EAP_MD5_RESPONSE_LEN];
	struct wire_writer w;
	if (!r->have_challenge || eap_md5_response(r->inner_id, (struct bytes){(const uint8_t *)SECRET,
	    strlen(SECRET)}, (struct bytes){r->challenge, sizeof(r->challenge)}, digest) != 0)
		return;
	wire_writer_init(&w, 64);
	eap_md5_put(&w, EAP_RESPONSE, r->inner_id, (struct bytes){digest, sizeof(digest)},
	    (struct bytes){0});
	peer_send_inner(r, (struct bytes){w.buf, w.len});
	wire_writer_clear(&w);
}

static void
op(struct run *r, uint8_t code, const uint8_t *data, size_t len)
{
	uint8_t pkt[PKT_MAX];
	switch (code % 7) {
	case 0:
	case 1:
		memcpy(pkt, data, len);
		if (code % 7 == 0 && len >= 2)
			pkt[1] = r->inner_id;
		peer_send_inner(r, (struct bytes){pkt, len});
		break;
	case 2:
		peer_md5(r);
		break;
	case 3:
		fuzz_eap_end_check_rc(&r->end,
		    eap_server_receive(r->s, (struct bytes){data, len}));
		return;
	case 5:
		fuzz_eap_end_check_rc(&r->end,
		    eap_server_tnc_batch(r->s, (struct bytes){data, len}));
		return;
	case 6:
		fuzz_eap_end_check_rc(&r->end,
		    eap_server_tnc_finish(r->s, len > 0 && (data[0] & 1)));
		return;
	default:
		break;
	}
	peer_respond(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup_once();
	struct run r = {0};
	const struct eap_server_config cfg = {
		.tls_ctx = server_ctx,
		.ttls = {.fragment = 16384, .message = 16384, .round_trips = 16, .inner = 4096,
		    .max_tls_version = TLS1_2_VERSION},
		.md5_secrets = &secrets,
		.tnc_type = size > 0 && (data[0] & 1) ? EAP_TYPE_PT_EAP : EAP_TYPE_TNC,
		.tnc_fragment = 100,
		.max_batch = 2048,
		.max_round_trips = 64,
	};
	check(eap_server_new(&cfg, &ops, &r, &r.s) == 0);
	r.ssl = SSL_new(peer_ctx);
	r.in = BIO_new(BIO_s_mem());
	r.out = BIO_new(BIO_s_mem());
	check(r.ssl && r.in && r.out);
	BIO_set_mem_eof_return(r.in, -1);
	SSL_set_bio(r.ssl, r.in, r.out);
	SSL_set_connect_state(r.ssl);
	check(eap_server_start(r.s) == 0);
	/* The handshake, until the tunnel's first Request. */
	for (unsigned i = 0; i < 16 && r.end.dones == 0 && r.req_new; i++) {
		peer_take(&r);
		if (r.tunnel_up)
			break;
		peer_respond(&r);
	}
	check(r.tunnel_up);
	struct fuzz_ops input = fuzz_ops_of(data, size);
	uint8_t code;
	const uint8_t *arg;
	size_t len;
	while (r.end.dones == 0 && fuzz_ops_next(&input, &code, &arg, &len)) {
		if (r.req_new)
			peer_take(&r);
		op(&r, code, arg, len);
	}
	if (r.end.dones) {
		check(r.success_sent == r.end.success);
		if (r.end.success) {
			struct eap_ttls_exporter e;
			uint8_t material[EAP_TTLS_KEY_MATERIAL_LEN];
			struct eap_keys peer;
			eap_ttls_exporter(false, &e);
			check(SSL_export_keying_material(r.ssl, material, sizeof(material), e.label,
			    e.label_len, e.context, e.context_len, e.use_context) == 1);
			eap_keys_from_material(material, &peer);
			check(memcmp(peer.msk, r.end.keys.msk, EAP_MSK_LEN) == 0);
		}
		check(eap_server_receive(r.s, (struct bytes){r.req, r.req_len}) == TNC_ESTATE);
	}
	eap_server_free(r.s);
	SSL_free(r.ssl);
	return 0;
}
