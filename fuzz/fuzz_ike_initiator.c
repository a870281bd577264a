/* fuzz_ike_initiator.c - libFuzzer harness for the IKEv2 initiator
 * (client/ike_initiator/).
 *
 * The initiator starts; the harness answers its IKE_SA_INIT as a genuine
 * responder written here from the codec and crypto layer (X25519,
 * AES-GCM-16-128, PRF-HMAC-SHA2-256; the first input octet, if odd, asks
 * for a COOKIE first), then cuts the rest of the input into records
 * [selector, first payload type, length (2 octets), body] and hands each
 * to the initiator:
 *   selector bit 3 set: the body is a whole datagram as is (unprotected);
 *   else the body is an inner chain sealed with the responder's keys as
 *   a response to the request outstanding (bit 2 clear) or as a request
 *   of the responder (bit 2 set, message IDs counting up), the exchange
 *   picked by bits 0-1 (IKE_AUTH, INFORMATIONAL, CREATE_CHILD_SA,
 *   IKE_AUTH); bit 4 replaces the chain by the genuine final answer
 *   [ IDr AUTH SA TSi TSr ] (the MSK-based AUTH over the real messages),
 *   so that the established paths are reachable; bit 7 sends it as two
 *   SKF fragments, the second first (RFC 7383 reassembly); bit 5 makes
 *   the record a timeout call instead; bit 6 closes the SA.
 * The owner answers EAP Requests at once and gives the MSK at Success.
 * The initiator must never crash or leak; every datagram it sends must
 * parse.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ike_initiator.h"
#include "ikev2.h"
#include "ikev2_auth.h"
#include "ikev2_dh.h"
#include "ikev2_keys.h"
#include "ikev2_sk.h"

#define MAX_MSG 65536u

#include "fuzz_ike_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct ikev2_transform_spec ike_t[] = {
    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 128},
    {IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0},
    {IKEV2_TRANS_DH, IKEV2_DH_CURVE25519, 0},
};
static const struct ike_initiator_proposal ike_props[] = {{ike_t, 3}};
static const struct ikev2_transform_spec esp_t[] = {
    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 128},
    {IKEV2_TRANS_ESN, 0, 0},
};
static const struct ike_initiator_proposal esp_props[] = {{esp_t, 2}};
static const uint8_t any_s[4], any_e[4] = {255, 255, 255, 255};
static const struct ikev2_ts any4 = {IKEV2_TS_IPV4_ADDR_RANGE, 0, 0, 65535, {any_s, 4},
    {any_e, 4}};
static const uint8_t msk[64] = {1};
static const uint8_t eap_res[] = {2, 1, 0, 6, 21, 0};

struct fuzz_owner {
	struct fuzz_sent sent; /* first: f_send() */
	struct ike_initiator *i;
};

static void
f_eap(void *arg, struct bytes eap)
{
	struct fuzz_owner *o = arg;
	if (eap.ptr[0] == 1)
		(void)ike_initiator_eap_response(o->i, (struct bytes){eap_res, sizeof(eap_res)}, 0);
	else if (eap.ptr[0] == 3)
		(void)ike_initiator_eap_done(o->i, (struct bytes){msk, sizeof(msk)}, 0);
}

static void
f_established(void *arg, const struct ike_initiator_child *c)
{
}

static void
f_failed(void *arg, const char *reason)
{
}

static const struct ike_initiator_ops ops = {f_send, f_eap, f_established, f_failed};

/* What the responder keeps. */
struct responder {
	uint64_t spi_i, spi_r;
	struct ikev2_sa_keys keys;
	uint8_t ni[IKEV2_NONCE_MAX], init_resp[1024];
	size_t ni_len, init_resp_len;
	uint32_t peer_mid;
};

static void
deliver(struct fuzz_owner *o, struct bytes msg, uint64_t now)
{
	(void)ike_initiator_receive(o->i, msg.ptr, msg.len, now);
}

/* The genuine IKE_SA_INIT answer (after a COOKIE round if asked) and the
 * responder's keys. */
static bool
handshake(struct fuzz_owner *o, struct responder *r, bool cookie)
{
	static const uint8_t priv[32] = {7}, nr[32] = {9}, cookie_data[8] = {4};
	struct ikev2_dh *dh = ikev2_dh_new(IKEV2_DH_CURVE25519, (struct bytes){priv, 32});
	struct ikev2_builder b;
	struct ikev2_msg m;
	struct ikev2_payload ke, ni;
	struct parse_error e;
	struct bytes msg;
	bool ok;

	check(dh != NULL);
	check(ikev2_msg_parse(o->sent.last, o->sent.last_len, &lim, &m, &e) == 0);
	r->spi_i = m.hdr.spi_i;
	r->spi_r = 0x0102030405060708ull;
	if (cookie) {
		const struct ikev2_header h = {.spi_i = r->spi_i, .major = 2,
		    .exchange = IKEV2_IKE_SA_INIT, .flags = IKEV2_FLAG_RESPONSE};
		ikev2_builder_init(&b, &h, MAX_MSG);
		ikev2_builder_add_notify(&b, 0, (struct bytes){NULL, 0}, IKEV2_N_COOKIE,
		    (struct bytes){cookie_data, sizeof(cookie_data)});
		check(ikev2_builder_finish(&b, &msg) == 0);
		deliver(o, msg, 0);
		ikev2_builder_clear(&b);
		check(ikev2_msg_parse(o->sent.last, o->sent.last_len, &lim, &m, &e) == 0);
	}
	check(find(&m.chain, IKEV2_PL_KE, &ke) && find(&m.chain, IKEV2_PL_NONCE, &ni));
	memcpy(r->ni, ni.u.nonce.ptr, ni.u.nonce.len);
	r->ni_len = ni.u.nonce.len;
	const struct ikev2_header h = {.spi_i = r->spi_i, .spi_r = r->spi_r, .major = 2,
	    .exchange = IKEV2_IKE_SA_INIT, .flags = IKEV2_FLAG_RESPONSE};
	const struct ikev2_proposal_spec prop = {1, IKEV2_PROTO_IKE, {NULL, 0}, ike_t, 3};
	ikev2_builder_init(&b, &h, MAX_MSG);
	ikev2_builder_add_sa(&b, &prop, 1);
	ikev2_builder_add_ke(&b, IKEV2_DH_CURVE25519, ikev2_dh_public(dh));
	ikev2_builder_add_nonce(&b, (struct bytes){nr, 32});
	ikev2_builder_add_notify(&b, 0, (struct bytes){NULL, 0},
	    IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, (struct bytes){NULL, 0});
	ok = !ikev2_builder_finish(&b, &msg) && msg.len <= sizeof(r->init_resp) &&
	    fuzz_ike_keys(dh, &ke, ni.u.nonce, (struct bytes){nr, 32}, r->spi_i, r->spi_r,
		&r->keys);
	if (ok) {
		memcpy(r->init_resp, msg.ptr, msg.len);
		r->init_resp_len = msg.len;
		deliver(o, msg, 0);
	}
	ikev2_builder_clear(&b);
	ikev2_dh_free(dh);
	check(ok); /* a genuine handshake always succeeds */
	return ok;
}

/* [ IDr AUTH SA TSi TSr ]: the genuine final answer. */
static void
genuine_final(const struct responder *r, struct ikev2_builder *b)
{
	static const uint8_t idr[] = {IKEV2_ID_FQDN, 0, 0, 0, 'g', 'w'}, spi[4] = {1, 2, 3, 4};
	const struct ikev2_auth_input ai = {IKEV2_PRF_HMAC_SHA2_256,
	    {r->init_resp, r->init_resp_len}, {r->ni, r->ni_len}, {r->keys.pr, 32},
	    {idr, sizeof(idr)}};
	const struct ikev2_proposal_spec prop = {1, IKEV2_PROTO_ESP, {spi, 4}, esp_t, 2};
	uint8_t mic[IKEV2_PRF_MAX_LEN];
	size_t n = 0;

	check(ikev2_auth_mic(&ai, (struct bytes){msk, sizeof(msk)}, mic, &n) == 0);
	ikev2_builder_init_chain(b, MAX_MSG);
	ikev2_builder_add_id(b, IKEV2_PL_IDR, IKEV2_ID_FQDN, (struct bytes){idr + 4, 2});
	ikev2_builder_add_auth(b, IKEV2_AUTH_SHARED_KEY_MIC, (struct bytes){mic, n});
	ikev2_builder_add_sa(b, &prop, 1);
	ikev2_builder_add_ts(b, IKEV2_PL_TSI, &any4, 1);
	ikev2_builder_add_ts(b, IKEV2_PL_TSR, &any4, 1);
}

static const uint8_t exchanges[] = {IKEV2_IKE_AUTH, IKEV2_INFORMATIONAL, IKEV2_CREATE_CHILD_SA,
    IKEV2_IKE_AUTH};

/* The message ID of the initiator's last datagram (its request outstanding). */
static uint32_t
last_mid(const struct fuzz_owner *o)
{
	const uint8_t *p = o->sent.last + 20;
	return o->sent.last_len >= IKEV2_HEADER_LEN
	    ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
	    : 0;
}

static void
records(struct fuzz_owner *o, struct responder *r, const uint8_t *data, size_t size)
{
	const struct ikev2_sk_key k = ikev2_sk_key_of(&r->keys, false);

	for (unsigned n = 1; size >= 4 && n <= 32; n++) {
		const uint8_t sel = data[0];
		const size_t len = (size_t)data[2] << 8 | data[3];
		if (len > size - 4)
			break;
		struct bytes chain = {data + 4, len}, msg;
		uint8_t first = data[1];
		struct ikev2_builder b, fin;
		if (sel & 0x40) {
			(void)ike_initiator_close(o->i, n * 100);
		} else if (sel & 0x20) {
			(void)ike_initiator_timeout(o->i, (uint64_t)n * 5000);
		} else if (sel & 8) {
			deliver(o, chain, n * 100);
		} else {
			const bool request = sel & 4;
			const struct ikev2_header h = {.spi_i = r->spi_i, .spi_r = r->spi_r, .major = 2,
			    .exchange = exchanges[sel & 3],
			    .flags = request ? 0 : IKEV2_FLAG_RESPONSE,
			    .message_id = request ? r->peer_mid++ : last_mid(o)};
			if (sel & 0x10) {
				genuine_final(r, &fin);
				check(ikev2_builder_finish(&fin, &chain) == 0);
				first = fin.first;
			}
			if (sel & 0x80) {
				const size_t half = chain.len / 2;
				for (int f = 2; f >= 1; f--) {
					const struct bytes part = f == 1
					    ? (struct bytes){chain.ptr, half}
					    : (struct bytes){chain.ptr + half, chain.len - half};
					ikev2_builder_init(&b, &h, MAX_MSG);
					if (!ikev2_sk_seal(&b, &k, f == 1 ? first : 0, part, (uint16_t)f, 2,
						ikev2_iv_random, NULL, &msg))
						deliver(o, msg, n * 100);
					ikev2_builder_clear(&b);
				}
			} else {
				ikev2_builder_init(&b, &h, MAX_MSG);
				if (!ikev2_sk_seal(&b, &k, first, chain, 0, 0, ikev2_iv_random, NULL, &msg))
					deliver(o, msg, n * 100);
				ikev2_builder_clear(&b);
			}
			if (sel & 0x10)
				ikev2_builder_clear(&fin);
		}
		data += 4 + len;
		size -= 4 + len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ike_initiator_config cfg = {.ike = ike_props, .ike_count = 1, .esp = esp_props,
	    .esp_count = 1, .id_type = IKEV2_ID_FQDN, .id = {(const uint8_t *)"client", 6},
	    .tsi = &any4, .tsi_count = 1, .tsr = &any4, .tsr_count = 1, .eap_only = true,
	    .max_msg_len = MAX_MSG, .max_payloads = 64, .fragment_size = 576, .max_fragments = 8,
	    .retransmit_ms = 1000, .max_sends = 3};
	const struct ike_initiator_params p = {&cfg, {4, {10, 0, 0, 2}, 500}, {4, {10, 0, 0, 1}, 500},
	    f_random, NULL, {NULL, 0}};
	static struct fuzz_owner o;
	static struct responder r;

	if (!size)
		return 0;
	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	check(ike_initiator_new(&p, &ops, &o, &o.i) == 0);
	check(ike_initiator_start(o.i, 0) == 0);
	if (handshake(&o, &r, data[0] & 1))
		records(&o, &r, data + 1, size - 1);
	ike_initiator_free(o.i);
	ikev2_sa_keys_cleanse(&r.keys);
	return 0;
}
