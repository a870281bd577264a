/* test_ike_link.h - the responder SA (ike/ikev2_sa/) and tncclient's
 * initiator (client/ike_initiator/) over an in-memory link, as
 * test_ike_sa_cert.c and test_ike_sa_events.c run them: each side's
 * datagrams queue for the other and pump() delivers them until both are
 * quiet; the initiator's EAP peer answers Identity, then takes Success with
 * a fixed MSK.  The includer gives the responder's owner callbacks (its
 * send is r_send) and both configurations; what they share (the
 * ESP proposal, the one connection, the identities) is here.
 */
#ifndef TEST_IKE_LINK_H
#define TEST_IKE_LINK_H

#include <stdio.h>
#include <string.h>

#include "eap.h"
#include "ike_initiator.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "testlib.h"

#define MAX_MSG 65536u
#define QUEUE 16
#define T0 1000u
#define MAX_OUT 1 /* test_ike_common.h's initiator recorder goes unused here */

#include "test_ike_common.h"

/* --- what both configurations share --- */

static const struct ike_esp_cfg esp[] = {
	{IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_256_128},
};
static const struct ike_conn_cfg conns[] = {{
	.name = "rw-allow",
	.local_ts = {0x0a010000, 0x0a01000f, 0, 0, 65535},
	.remote_ts = {0, 0xffffffffu, 0, 0, 65535},
	.esp = esp, .esp_count = 1, .lifetime_s = 3600,
}};
static const char gw_id[] = "moon.strongswan.org";

static const struct ikev2_transform_spec esp_t[] = {
	{IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 256},
	{IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0},
	{IKEV2_TRANS_ESN, 0, 0},
};
static const struct ike_initiator_proposal esp_props[] = {{esp_t, 3}};
static const uint8_t any_s[4] = {0, 0, 0, 0}, any_e[4] = {255, 255, 255, 255};
static const struct ikev2_ts any4 = {IKEV2_TS_IPV4_ADDR_RANGE, 0, 0, 65535, {any_s, 4},
    {any_e, 4}};
static const char my_id[] = "carol@strongswan.org";

static const uint8_t msk[64] = "sixty-four octets of MSK, as an EAP method would export them...";
static const uint8_t identity_request[] = {EAP_REQUEST, 1, 0, 5, EAP_TYPE_IDENTITY};

/* --- the two ends and the datagrams between them --- */

struct queue {
	uint8_t msg[QUEUE][2048];
	size_t len[QUEUE], count;
};

static struct {
	struct ike_sa *sa;
	struct ike_initiator *i;
	struct queue to_i, to_r;
	bool i_established;
	char i_reason[160]; /* the initiator's failed() */
} ends;

static void
enqueue(struct queue *q, const uint8_t *msg, size_t len)
{
	ck_assert_uint_lt(q->count, QUEUE);
	ck_assert_uint_le(len, sizeof(q->msg[0]));
	memcpy(q->msg[q->count], msg, len);
	q->len[q->count++] = len;
}

static void
r_send(void *arg, const uint8_t *msg, size_t len)
{
	enqueue(&ends.to_i, msg, len);
}

static void
i_send(void *arg, const uint8_t *msg, size_t len)
{
	enqueue(&ends.to_r, msg, len);
}

static void
i_eap_request(void *arg, struct bytes eap)
{
	static const uint8_t identity[] = {EAP_RESPONSE, 1, 0, 9, EAP_TYPE_IDENTITY, 'c', 'a', 'r',
	    'o'};
	if (eap.ptr[0] == EAP_REQUEST)
		ck_assert_int_eq(ike_initiator_eap_response(ends.i, B(identity, sizeof(identity)), T0),
		    0);
	else if (eap.ptr[0] == EAP_SUCCESS)
		ck_assert_int_eq(ike_initiator_eap_done(ends.i, B(msk, sizeof(msk)), T0), 0);
}

static void
i_established(void *arg, const struct ike_initiator_child *c)
{
	ck_assert_ptr_nonnull(c);
	ends.i_established = true;
}

static void
i_failed(void *arg, const char *reason)
{
	snprintf(ends.i_reason, sizeof(ends.i_reason), "%s", reason);
}

static const struct ike_initiator_ops iops = {.send = i_send, .eap_request = i_eap_request,
    .established = i_established, .failed = i_failed};

/* Delivers what each side sent to the other until both are quiet. */
static void
pump(uint64_t now)
{
	while (ends.to_i.count || ends.to_r.count) {
		struct queue q = ends.to_r;
		ends.to_r.count = 0;
		for (size_t k = 0; k < q.count; k++)
			(void)ike_sa_receive(ends.sa, q.msg[k], q.len[k], now);
		q = ends.to_i;
		ends.to_i.count = 0;
		for (size_t k = 0; k < q.count; k++)
			(void)ike_initiator_receive(ends.i, q.msg[k], q.len[k], now);
	}
}

/* The responder (192.168.0.1) with rcfg and rops, the initiator
 * (192.168.0.254) with icfg, both at port 500; IKE_SA_INIT sent and
 * everything that follows pumped at T0. */
static void
link_run(const struct ike_sa_config *rcfg, const struct ike_sa_ops *rops,
    const struct ike_initiator_config *icfg)
{
	struct ike_sa_params rp = {.cfg = rcfg, .random = test_random, .now_ms = T0};
	struct ike_initiator_params ip = {.cfg = icfg, .random = test_random};

	memset(&ends, 0, sizeof(ends));
	rp.local = (struct ike_endpoint){.addr_len = 4, .addr = {192, 168, 0, 1}, .port = 500};
	rp.remote = (struct ike_endpoint){.addr_len = 4, .addr = {192, 168, 0, 254}, .port = 500};
	ip.local = (struct ike_initiator_endpoint){.addr_len = 4, .addr = {192, 168, 0, 254},
	    .port = 500};
	ip.remote = (struct ike_initiator_endpoint){.addr_len = 4, .addr = {192, 168, 0, 1},
	    .port = 500};
	ck_assert_int_eq(ike_sa_new(&rp, rops, NULL, &ends.sa), 0);
	ck_assert_int_eq(ike_initiator_new(&ip, &iops, NULL, &ends.i), 0);
	ck_assert_int_eq(ike_initiator_start(ends.i, T0), 0);
	pump(T0);
}

static void
finish(void)
{
	ike_initiator_free(ends.i);
	ike_sa_free(ends.sa);
}

#endif
