/* ikev2_config.c - [ike] keys to the IKEv2 responder's configuration (see
 * ikev2_config.h).  tncd checked each key's form; what only makes sense
 * together (a pool, the secrets file) is checked here and refused with the
 * key's name. */
#include "ikev2_config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "eap.h"
#include "ikev2.h"
#include "ikev2_dh.h"
#include "ikev2_prf.h"
#include "ikev2_sig.h"
#include "ikev2_suite.h"
#include "log.h"

#define MAX_MSG_LEN 65535      /* a datagram, and a reassembled message */
#define MAX_PAYLOADS 64
#define MAX_FRAGMENTS 64
#define TTLS_MESSAGE_MAX 65536 /* a TLS handshake message from the peer */
#define TTLS_ROUND_TRIPS 32
#define EAP_ROUND_TRIPS 2000   /* Responses of one conversation, TNC included */
#define TUNNEL_OVERHEAD 256    /* EAP-TNC and AVP headers, a TLS record's */

/* Ours, in order of preference: AEAD first, then CBC with HMAC-SHA2; the
 * groups of RFC 8247's recommendations. */
#define SUITES_FOR(dh) \
	{IKEV2_ENCR_AES_GCM_16, 256, IKEV2_INTEG_NONE, IKEV2_PRF_HMAC_SHA2_256, dh}, \
	{IKEV2_ENCR_AES_GCM_16, 128, IKEV2_INTEG_NONE, IKEV2_PRF_HMAC_SHA2_256, dh}, \
	{IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_256_128, IKEV2_PRF_HMAC_SHA2_256, dh}, \
	{IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_256_128, IKEV2_PRF_HMAC_SHA2_256, dh}, \
	{IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_384_192, IKEV2_PRF_HMAC_SHA2_384, dh}, \
	{IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_512_256, IKEV2_PRF_HMAC_SHA2_512, dh}
static const struct ike_suite_cfg suites[] = {
	SUITES_FOR(IKEV2_DH_CURVE25519),
	SUITES_FOR(IKEV2_DH_ECP_256),
	SUITES_FOR(IKEV2_DH_ECP_384),
	SUITES_FOR(IKEV2_DH_MODP_2048),
};

static const struct ike_esp_cfg esp[] = {
	{IKEV2_ENCR_AES_GCM_16, 256, IKEV2_INTEG_NONE},
	{IKEV2_ENCR_AES_GCM_16, 128, IKEV2_INTEG_NONE},
	{IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_256_128},
	{IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_256_128},
	{IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA1_96},
};

int
ikev2_config_prefix(const char *text, uint32_t *first, uint32_t *last)
{
	char addr[32];
	const char *slash = strchr(text, '/');
	size_t n = slash ? (size_t)(slash - text) : strlen(text);
	struct in_addr in;
	char *end;

	if (n >= sizeof(addr))
		return TNC_EINVALID;
	memcpy(addr, text, n);
	addr[n] = 0;
	unsigned long len = slash ? strtoul(slash + 1, &end, 10) : 32;
	if (inet_pton(AF_INET, addr, &in) != 1 || len > 32 || (slash && (end == slash + 1 || *end)))
		return TNC_EINVALID;
	uint32_t mask = len == 0 ? 0 : 0xffffffffu << (32 - len);
	*first = ntohl(in.s_addr) & mask;
	*last = *first | ~mask;
	return 0;
}

static int
conn_build(struct ike_conn_cfg *c, const char *name, const char *ts, const char *pool,
    const char *ts_key, const char *pool_key, uint32_t lifetime_s)
{
	uint32_t first, last;

	*c = (struct ike_conn_cfg){.name = name, .esp = esp,
	    .esp_count = sizeof(esp) / sizeof(esp[0]), .lifetime_s = lifetime_s};
	if (ikev2_config_prefix(ts, &first, &last) != 0) {
		LOG_ERR(CFG, "%s '%s' is not an IPv4 prefix a.b.c.d/len", ts_key, ts);
		return TNC_ECONFIG;
	}
	c->local_ts = (struct ike_ts4){first, last, 0, 0, 65535};
	if (!pool[0]) { /* the peer's own address, whatever it proposes */
		c->remote_ts = (struct ike_ts4){0, 0xffffffffu, 0, 0, 65535};
		return 0;
	}
	/* the network and broadcast addresses of the prefix are not handed out */
	if (ikev2_config_prefix(pool, &first, &last) != 0 || last - first < 3 ||
	    !(c->pool = ike_pool_new(first + 1, last - first - 1))) {
		LOG_ERR(CFG, "%s '%s' is not an IPv4 prefix a.b.c.d/len of at most /30", pool_key,
		    pool);
		return TNC_ECONFIG;
	}
	c->remote_is_virtual_ip = true;
	return 0;
}

/* The gateway's certificate AUTH (peers that do not ask for EAP-only
 * authentication): the TLS certificate (tls_cert, or the one tnc-ike made)
 * and its key, loaded before the sandbox and kept for tnc-ike's life.  A
 * key we cannot sign AUTH with leaves such peers refused (and is a
 * configuration error with ikev2_gateway_auth = pubkey). */
static int
gateway_cert(const struct ike_settings *s, SSL_CTX *tls, struct ikev2_config *cfg)
{
	X509 *cert = SSL_CTX_get0_certificate(tls);
	EVP_PKEY *key = SSL_CTX_get0_privatekey(tls);
	struct ikev2_sig_choice how;
	const char *why;

	if (!cert || !key) {
		LOG_ERR(CFG, "no TLS certificate and key for the IKEv2 gateway's AUTH");
		return TNC_ECONFIG;
	}
	const bool always = strcmp(s->ikev2_gateway_auth, "pubkey") == 0;
	if (ikev2_sig_choose(key, 0, &how, &why) != 0) {
		if (always) {
			LOG_ERR(CFG, "ikev2_gateway_auth = pubkey: %s", why);
			return TNC_ECONFIG;
		}
		LOG(CFG, 1, "IKEv2: EAP-only peers only (RFC 5998): %s", why);
		return 0;
	}
	const int len = i2d_X509(cert, &cfg->cert_der);
	if (len <= 0) {
		LOG_ERR(CFG, "the TLS certificate does not encode as DER");
		return TNC_ECONFIG;
	}
	cfg->sa.cert_der = (struct bytes){cfg->cert_der, (size_t)len};
	cfg->sa.sign_key = key;
	cfg->sa.sign_always = always;
	return 0;
}

int
ikev2_config_build(const struct ike_settings *s, SSL_CTX *tls, struct ikev2_config *cfg)
{
	char err[512];

	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->id, sizeof(cfg->id), "%s", s->ikev2_id);
	if (conn_build(&cfg->conns[IKEV2_CONN_ALLOW], "rw-allow", s->rw_allow_ts, s->rw_allow_pool,
	    "rw_allow_ts", "rw_allow_pool", s->ikev2_child_lifetime_s) != 0 ||
	    conn_build(&cfg->conns[IKEV2_CONN_ISOLATE], "rw-isolate", s->rw_isolate_ts,
	    s->rw_isolate_pool, "rw_isolate_ts", "rw_isolate_pool", s->ikev2_child_lifetime_s) != 0)
		return TNC_ECONFIG;
	cfg->sa = (struct ike_sa_config){
		.suites = suites, .suite_count = sizeof(suites) / sizeof(suites[0]),
		.conns = cfg->conns, .conn_count = IKEV2_CONN_COUNT,
		.id_type = IKEV2_ID_FQDN,
		.id = {(const uint8_t *)cfg->id, strlen(cfg->id)},
		.max_msg_len = MAX_MSG_LEN, .max_payloads = MAX_PAYLOADS,
		.fragment_size = s->ikev2_fragment_size, .max_fragments = MAX_FRAGMENTS,
		.ike_lifetime_s = s->ikev2_ike_lifetime_s, .half_open_ms = s->ikev2_auth_ms,
		.dpd_ms = s->ikev2_dpd_ms,
	};
	if (gateway_cert(s, tls, cfg) != 0)
		return TNC_ECONFIG;
	if (eap_secrets_load(s->eap_secrets, &cfg->secrets, err, sizeof(err)) != 0) {
		LOG_ERR(CFG, "eap_secrets: %s", err);
		return TNC_ECONFIG;
	}
	uint8_t tnc = strcmp(s->eap_tnc, "pt-eap") == 0 ? EAP_TYPE_PT_EAP :
	    strcmp(s->eap_tnc, "no") == 0 ? 0 : EAP_TYPE_TNC;
	/* One EAP-TNC fragment, tunneled (AVP and TLS record around it), fits
	 * one EAP-TTLS packet, which goes in IKE fragments: it may be larger
	 * than a datagram, but strongSwan takes IKE messages of up to 10000
	 * octets (charon.max_packet). */
	cfg->eap = (struct eap_server_config){
		.tls_ctx = tls,
		.ttls = {.fragment = s->eap_fragment_size + TUNNEL_OVERHEAD,
		    .message = TTLS_MESSAGE_MAX, .round_trips = TTLS_ROUND_TRIPS,
		    .inner = s->eap_fragment_size + 64, .max_tls_version = TLS1_2_VERSION},
		.md5_secrets = &cfg->secrets,
		.tnc_type = tnc,
		.tnc_fragment = s->eap_fragment_size,
		.max_batch = s->max_batch,
		.max_round_trips = EAP_ROUND_TRIPS,
	};
	cfg->max_sas = s->ikev2_max_sas;
	cfg->max_sas_per_address = s->ikev2_max_sas_per_address;
	cfg->max_half_open = s->ikev2_max_half_open;
	cfg->max_half_open_per_address = s->ikev2_max_half_open_per_address;
	cfg->cookie_threshold = s->ikev2_cookie_threshold;
	cfg->kernel_xfrm = strcmp(s->ikev2_kernel, "none") != 0;
	return 0;
}

const struct ike_conn_cfg *
ikev2_config_conn(const struct ikev2_config *cfg, const char *name)
{
	for (size_t i = 0; i < IKEV2_CONN_COUNT; i++)
		if (strcmp(cfg->conns[i].name, name) == 0)
			return &cfg->conns[i];
	return NULL;
}
