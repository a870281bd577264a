/* test_ike_common.h - what the IKEv2 unit tests (test_ike_initiator.c,
 * test_ike_sa.c through test_ike_sa_peer.h, test_ike_sa_cert.c and
 * test_ike_sa_events.c through test_ike_link.h) share: small helpers, a
 * deterministic random source, the NAT detection hash written out from
 * RFC 7296 2.23 (not the library's), and the recorder of what an
 * ike_initiator hands its owner.  Payloads are looked up with the message
 * layer's ikev2_find() (ike/ikev2_msg/).  The includer defines MAX_OUT
 * (datagrams recorded per step) first.
 */
#ifndef TEST_IKE_COMMON_H
#define TEST_IKE_COMMON_H

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "ike_initiator.h"
#include "ikev2.h"
#include "ikev2_msg_find.h"
#include "testlib.h"

static inline struct bytes
B(const void *p, size_t n)
{
	return (struct bytes){p, n};
}

static inline uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A deterministic random source: xorshift64. */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;
static inline int
test_random(void *arg, uint8_t *buf, size_t len)
{
	for (size_t k = 0; k < len; k++) {
		rnd_state ^= rnd_state << 13;
		rnd_state ^= rnd_state >> 7;
		rnd_state ^= rnd_state << 17;
		buf[k] = (uint8_t)rnd_state;
	}
	return 0;
}

/* The NATD hash of 2.23, SHA-1(SPIi | SPIr | IPv4 | Port), written out
 * here again. */
static inline void
natd(uint64_t spi_i, uint64_t spi_r, uint32_t addr, uint16_t port, uint8_t out[20])
{
	uint8_t in[16 + 4 + 2];
	unsigned n;
	for (int k = 0; k < 8; k++) {
		in[k] = (uint8_t)(spi_i >> (56 - 8 * k));
		in[8 + k] = (uint8_t)(spi_r >> (56 - 8 * k));
	}
	in[16] = (uint8_t)(addr >> 24), in[17] = (uint8_t)(addr >> 16);
	in[18] = (uint8_t)(addr >> 8), in[19] = (uint8_t)addr;
	in[20] = (uint8_t)(port >> 8), in[21] = (uint8_t)port;
	ck_assert_int_eq(EVP_Digest(in, sizeof(in), out, &n, EVP_sha1(), NULL), 1);
}

/* An ike_initiator and what it hands its owner (initiator_ops' arg). */
struct initiator_record {
	struct ike_initiator *i;
	uint8_t out[MAX_OUT][2048];
	size_t out_len[MAX_OUT], out_count;
	unsigned eaps, established, failed;
	uint8_t eap[4096];
	size_t eap_len;
	bool child_null;
	struct ike_initiator_child child;
	char reason[200];
};

static inline void
rec_send(void *arg, const uint8_t *msg, size_t len)
{
	struct initiator_record *r = arg;
	ck_assert_uint_lt(r->out_count, MAX_OUT);
	ck_assert_uint_le(len, sizeof(r->out[0]));
	memcpy(r->out[r->out_count], msg, len);
	r->out_len[r->out_count++] = len;
}

static inline void
rec_eap(void *arg, struct bytes eap)
{
	struct initiator_record *r = arg;
	ck_assert_uint_le(eap.len, sizeof(r->eap));
	memcpy(r->eap, eap.ptr, eap.len);
	r->eap_len = eap.len;
	r->eaps++;
}

static inline void
rec_established(void *arg, const struct ike_initiator_child *c)
{
	struct initiator_record *r = arg;
	r->child_null = c == NULL;
	if (c)
		r->child = *c;
	r->established++;
}

static inline void
rec_failed(void *arg, const char *reason)
{
	struct initiator_record *r = arg;
	snprintf(r->reason, sizeof(r->reason), "%s", reason);
	r->failed++;
}

static const struct ike_initiator_ops initiator_record_ops = {rec_send, rec_eap,
    rec_established, rec_failed};

#endif
