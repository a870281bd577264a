/* test_ike_sa_events.c - what the responder SA (ike/ikev2_sa/) tells its
 * owner and does on its own once it runs, driven by the initiator library
 * (client/ike_initiator/) over an in-memory link: the inner chains of
 * protected messages (ops->message) and the negotiated IKE suite for the
 * owner's log; established() with INITIAL_CONTACT before child_up(); the
 * peer's INFORMATIONAL N(AUTHENTICATION_FAILED) after an EAP-Failure
 * ending the SA at once; a liveness check (DPD) answered, and one
 * unanswered closing the SA and its CHILD_SA; the DELETE at the IKE SA's
 * lifetime; the owner's ike_sa_delete(): the CHILD_SA down at once, the
 * DELETE retransmitted until answered (a peer that ignored the first, as
 * strongSwan does while it still finishes IKE_AUTH) or given up.
 *
 * The EAP conversation is the shortest there is: Identity, then Success
 * (or Failure) with a fixed MSK.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ike_sa_int.h"
#include "ikev2_dh.h"
#include "ikev2_prf.h"
#include "ikev2_sk.h"
#include "test_ike_link.h"

#define DPD_MS 10000u
#define LIFETIME_S 600u

/* --- the responder's configuration --- */

static const struct ike_suite_cfg suites[] = {
	{IKEV2_ENCR_AES_GCM_16, 256, IKEV2_INTEG_NONE, IKEV2_PRF_HMAC_SHA2_256, IKEV2_DH_ECP_256},
	{IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_256_128, IKEV2_PRF_HMAC_SHA2_256,
	    IKEV2_DH_CURVE25519},
};
static struct ike_sa_config rcfg = {
	.suites = suites, .suite_count = 2, .conns = conns, .conn_count = 1,
	.id_type = IKEV2_ID_FQDN, .id = {(const uint8_t *)gw_id, sizeof(gw_id) - 1},
	.max_msg_len = MAX_MSG, .max_payloads = 64, .fragment_size = 1280, .max_fragments = 16,
	.ike_lifetime_s = LIFETIME_S, .half_open_ms = 30000, .dpd_ms = DPD_MS,
};

/* --- the initiator's: AES-CBC-128 / SHA2-256 / Curve25519, which the
 * responder takes as its second choice --- */

static const struct ikev2_transform_spec ike_t[] = {
	{IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 128},
	{IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0},
	{IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0},
	{IKEV2_TRANS_DH, IKEV2_DH_CURVE25519, 0},
};
static const struct ike_initiator_proposal ike_props[] = {{ike_t, 4}};
static const struct ike_initiator_config icfg = {
	.ike = ike_props, .ike_count = 1, .esp = esp_props, .esp_count = 1,
	.id_type = IKEV2_ID_RFC822_ADDR, .id = {(const uint8_t *)my_id, sizeof(my_id) - 1},
	.tsi = &any4, .tsi_count = 1, .tsr = &any4, .tsr_count = 1, .eap_only = true,
	.max_msg_len = MAX_MSG, .max_payloads = 64, .fragment_size = 1280, .max_fragments = 16,
	.retransmit_ms = 1000, .max_sends = 3,
};

/* --- the responder's owner --- */

/* What happened, in order: "message<", "established IC", "child_up", ... */
#define EVENTS 64
static struct {
	bool eap_fails;      /* the EAP conversation ends in Failure */
	char events[EVENTS][160];
	size_t nevents;
	char reason[160];    /* closed()'s */
	struct ike_child_sa child;
} t;

static void event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
event(const char *fmt, ...)
{
	va_list ap;
	ck_assert_uint_lt(t.nevents, EVENTS);
	va_start(ap, fmt);
	vsnprintf(t.events[t.nevents++], sizeof(t.events[0]), fmt, ap);
	va_end(ap);
}

/* The index of the first event starting with prefix, or -1. */
static int
find_event(const char *prefix)
{
	for (size_t k = 0; k < t.nevents; k++)
		if (strncmp(t.events[k], prefix, strlen(prefix)) == 0)
			return (int)k;
	return -1;
}

static void
r_eap_start(void *arg, struct bytes peer_id)
{
	event("eap_start");
	ck_assert_int_eq(ike_sa_eap_request(ends.sa, B(identity_request, sizeof(identity_request))),
	    0);
}

/* The Identity Response: Success and the MSK, or Failure. */
static void
r_eap_response(void *arg, struct bytes eap)
{
	const uint8_t end[4] = {t.eap_fails ? EAP_FAILURE : EAP_SUCCESS, 1, 0, 4};
	ck_assert_uint_ge(eap.len, 5);
	ck_assert_uint_eq(eap.ptr[4], EAP_TYPE_IDENTITY);
	ck_assert_int_eq(ike_sa_eap_request(ends.sa, B(end, 4)), 0);
	ck_assert_int_eq(ike_sa_eap_done(ends.sa, !t.eap_fails, B(msk, sizeof(msk)), "rw-allow"), 0);
}

static void
r_child_up(void *arg, const struct ike_child_sa *c)
{
	t.child = *c;
	event("child_up %s", c->conn_name);
}

static void
r_child_down(void *arg, const struct ike_child_sa *c)
{
	event("child_down %s", c->conn_name);
}

static void
r_closed(void *arg, const char *reason)
{
	snprintf(t.reason, sizeof(t.reason), "%s", reason);
	event("closed %s", reason);
}

/* "message< IKE_AUTH request 1 [ ... ]" (received), "message> ..." (sent) */
static void
r_message(void *arg, bool sent, const struct ikev2_header *h, const struct ikev2_chain *inner)
{
	char summary[140];
	ikev2_summary(h, inner, summary, sizeof(summary));
	event(sent ? "message> %s" : "message< %s", summary);
}

static void
r_established(void *arg, bool initial_contact)
{
	event("established%s", initial_contact ? " INITIAL_CONTACT" : "");
}

/* moved (MOBIKE) is not exercised here */
static const struct ike_sa_ops rops = {r_send, r_eap_start, r_eap_response, r_child_up,
    r_child_down, r_closed, r_message, r_established, NULL};

/* Both sides, IKE_SA_INIT answered; established unless the EAP fails. */
static void
run_to_end(bool eap_fails)
{
	memset(&t, 0, sizeof(t));
	t.eap_fails = eap_fails;
	link_run(&rcfg, &rops, &icfg);
}

START_TEST(inner_chains_and_suite_for_the_log)
{
	struct ike_suite_cfg s;

	run_to_end(false);
	ck_assert(ike_sa_established(ends.sa));
	ck_assert(ike_initiator_established(ends.i));
	ck_assert(ike_sa_ike_suite(ends.sa, &s));
	ck_assert_uint_eq(s.encr, IKEV2_ENCR_AES_CBC);
	ck_assert_uint_eq(s.encr_bits, 128);
	ck_assert_uint_eq(s.integ, IKEV2_INTEG_HMAC_SHA2_256_128);
	ck_assert_uint_eq(s.prf, IKEV2_PRF_HMAC_SHA2_256);
	ck_assert_uint_eq(s.dh, IKEV2_DH_CURVE25519);
	/* the seeds' lines, from the inner chains (IKE_SA_INIT is not protected) */
	ck_assert_int_eq(find_event("message< IKE_SA_INIT"), -1);
	const char *const want[] = {
		"message< IKE_AUTH request 1 [ IDi N(INIT_CONTACT) SA TSi TSr N(EAP_ONLY) ]",
		"eap_start",
		"message> IKE_AUTH response 1 [ IDr EAP/REQ/ID ]",
		"message< IKE_AUTH request 2 [ EAP/RES/ID ]",
		"message> IKE_AUTH response 2 [ EAP/SUCC ]",
		"message< IKE_AUTH request 3 [ AUTH ]",
		"message> IKE_AUTH response 3 [ AUTH SA TSi TSr N(AUTH_LFT) ]",
		"established INITIAL_CONTACT",
		"child_up rw-allow",
	};
	ck_assert_uint_eq(t.nevents, sizeof(want) / sizeof(want[0]));
	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++)
		ck_assert_str_eq(t.events[k], want[k]);
	finish();
}
END_TEST

START_TEST(no_suite_before_ike_sa_init)
{
	struct ike_sa_params rp = {.cfg = &rcfg, .random = test_random, .now_ms = T0,
	    .local = {.addr_len = 4, .addr = {192, 168, 0, 1}, .port = 500},
	    .remote = {.addr_len = 4, .addr = {192, 168, 0, 254}, .port = 500}};
	struct ike_sa *sa;
	struct ike_suite_cfg s;

	ck_assert_int_eq(ike_sa_new(&rp, &rops, NULL, &sa), 0);
	ck_assert(!ike_sa_ike_suite(sa, &s));
	ike_sa_free(sa);
}
END_TEST

/* The initiator answers our EAP-Failure with an INFORMATIONAL request
 * carrying N(AUTHENTICATION_FAILED) (RFC 7296 2.21.2, as strongSwan does):
 * the SA closes at once, not at the half-open timeout. */
START_TEST(authentication_failed_after_eap_failure_closes_at_once)
{
	run_to_end(true);
	ck_assert_str_eq(ends.i_reason, "EAP-Failure from the responder");
	ck_assert(ike_sa_closed(ends.sa));
	ck_assert_str_eq(t.reason, "peer reported AUTHENTICATION_FAILED");
	ck_assert_int_ge(find_event("message< INFORMATIONAL request 3 [ N(AUTH_FAILED) ]"), 0);
	ck_assert_int_ge(find_event("message> INFORMATIONAL response 3 [ ]"), 0);
	ck_assert_int_eq(find_event("established"), -1);
	finish();
}
END_TEST

START_TEST(dpd_answered_keeps_the_sa)
{
	run_to_end(false);
	const uint64_t idle = T0 + DPD_MS;
	ck_assert_uint_eq(ike_sa_timeout(ends.sa, T0), idle);
	ck_assert_uint_gt(ike_sa_timeout(ends.sa, idle), idle);
	ck_assert_uint_eq(ends.to_i.count, 1); /* the liveness check */
	ck_assert_int_ge(find_event("message> INFORMATIONAL request 0 [ ]"), 0);
	pump(idle + 10);
	ck_assert_int_ge(find_event("message< INFORMATIONAL response 0 [ ]"), 0);
	ck_assert(!ike_sa_closed(ends.sa));
	/* the answer counts as traffic: the next check is an interval later */
	ck_assert_uint_eq(ike_sa_timeout(ends.sa, idle + 10), idle + 10 + DPD_MS);
	finish();
}
END_TEST

START_TEST(dpd_unanswered_closes_sa_and_child)
{
	run_to_end(false);
	uint64_t now = T0 + DPD_MS;
	unsigned sends = 0;
	while (!ike_sa_closed(ends.sa) && now < T0 + 3 * DPD_MS) {
		uint64_t next = ike_sa_timeout(ends.sa, now);
		sends += (unsigned)ends.to_i.count;
		ends.to_i.count = 0; /* the peer is gone */
		if (!next)
			break;
		now = next;
	}
	ck_assert(ike_sa_closed(ends.sa));
	ck_assert_str_eq(t.reason, "peer did not answer the liveness check");
	ck_assert_uint_eq(sends, 4);
	ck_assert_uint_le(now, T0 + 2 * DPD_MS);
	const int down = find_event("child_down rw-allow"), closed = find_event("closed ");
	ck_assert_int_ge(down, 0);
	ck_assert_int_gt(closed, down);
	finish();
}
END_TEST

START_TEST(delete_at_the_ike_lifetime)
{
	rcfg.dpd_ms = 250000; /* two liveness checks within the lifetime (each test forks) */
	run_to_end(false);
	const uint64_t end = T0 + LIFETIME_S * 1000ull;
	uint64_t now = T0;
	/* the peer stays alive: it answers the liveness checks */
	while (now < end) {
		uint64_t next = ike_sa_timeout(ends.sa, now);
		ck_assert(!ike_sa_closed(ends.sa));
		ck_assert_uint_ne(next, 0);
		now = next;
		pump(now);
	}
	ck_assert_uint_eq(now, end);
	ck_assert_int_ge(find_event("message< INFORMATIONAL response 1 [ ]"), 0);
	/* the DELETE, sent again in a second unless answered */
	ck_assert_uint_eq(ike_sa_timeout(ends.sa, now), now + 1000);
	ck_assert_uint_eq(ends.to_i.count, 1);
	ck_assert_int_ge(find_event("message> INFORMATIONAL request 2 [ D ]"), 0);
	ck_assert_int_ge(find_event("child_down rw-allow"), 0);
	ck_assert(!ike_sa_closed(ends.sa));
	pump(now);
	ck_assert_str_eq(ends.i_reason, "responder deleted the IKE SA");
	ck_assert(ike_sa_closed(ends.sa));
	ck_assert_str_eq(t.reason, "IKE SA lifetime expired");
	ck_assert_uint_eq(ike_sa_timeout(ends.sa, now), 0);
	ck_assert_int_gt(find_event("closed "), find_event("child_down rw-allow"));
	finish();
}
END_TEST

START_TEST(owner_delete_closes_when_answered)
{
	run_to_end(false);
	ike_sa_delete(ends.sa, "kernel SAs not installed: test", T0 + 1);
	ck_assert_int_ge(find_event("child_down rw-allow"), 0);
	ck_assert_int_ge(find_event("message> INFORMATIONAL request 0 [ D ]"), 0);
	ck_assert(!ike_sa_closed(ends.sa));
	ck_assert(!ike_sa_established(ends.sa));
	/* deleting already: a second reason changes nothing */
	size_t n = t.nevents;
	ike_sa_delete(ends.sa, "again", T0 + 1);
	ck_assert_uint_eq(t.nevents, n);
	ck_assert_uint_eq(ends.to_i.count, 1);
	pump(T0 + 1);
	ck_assert_str_eq(ends.i_reason, "responder deleted the IKE SA");
	ck_assert_int_ge(find_event("message< INFORMATIONAL response 0 [ ]"), 0);
	ck_assert(ike_sa_closed(ends.sa));
	ck_assert_str_eq(t.reason, "kernel SAs not installed: test");
	ck_assert_int_gt(find_event("closed "), find_event("child_down rw-allow"));
	/* once closed, nothing more */
	n = t.nevents;
	ike_sa_delete(ends.sa, "again", T0 + 2);
	ck_assert_uint_eq(t.nevents, n);
	ck_assert_uint_eq(ike_sa_timeout(ends.sa, T0 + 2), 0);
	finish();
}
END_TEST

/* The peer drops the first DELETE (strongSwan ignores an INFORMATIONAL
 * request while it has not yet processed our last IKE_AUTH response): the
 * retransmission a second later ends the SA at both ends. */
START_TEST(owner_delete_retransmitted_until_answered)
{
	run_to_end(false);
	ike_sa_delete(ends.sa, "kernel SAs not installed: test", T0);
	ck_assert_uint_eq(ends.to_i.count, 1);
	ends.to_i.count = 0; /* lost */
	ck_assert_uint_eq(ike_sa_timeout(ends.sa, T0 + 999), T0 + 1000);
	ck_assert_uint_eq(ends.to_i.count, 0);
	ck_assert_uint_eq(ike_sa_timeout(ends.sa, T0 + 1000), T0 + 3000);
	ck_assert_uint_eq(ends.to_i.count, 1);
	pump(T0 + 1000);
	ck_assert_str_eq(ends.i_reason, "responder deleted the IKE SA");
	ck_assert(ike_sa_closed(ends.sa));
	ck_assert_str_eq(t.reason, "kernel SAs not installed: test");
	finish();
}
END_TEST

/* No answer at all: sends at 0, 1, 3 and 7 s, closed at 15 s. */
START_TEST(owner_delete_unanswered_gives_up)
{
	const uint64_t want_sends[] = {T0 + 1000, T0 + 3000, T0 + 7000};
	run_to_end(false);
	ike_sa_delete(ends.sa, "kernel SAs not installed: test", T0);
	uint64_t now = T0, next;
	unsigned sends = (unsigned)ends.to_i.count;
	ends.to_i.count = 0;
	for (size_t k = 0; k < 3; k++) {
		next = ike_sa_timeout(ends.sa, now);
		ck_assert_uint_eq(next, want_sends[k]);
		now = next;
		ck_assert_uint_eq(ike_sa_timeout(ends.sa, now), now + (2000u << k));
		sends += (unsigned)ends.to_i.count;
		ends.to_i.count = 0;
		ck_assert(!ike_sa_closed(ends.sa));
	}
	ck_assert_uint_eq(sends, 4);
	ck_assert_uint_eq(ike_sa_timeout(ends.sa, T0 + 14999), T0 + 15000);
	ck_assert(!ike_sa_closed(ends.sa));
	ck_assert_uint_eq(ike_sa_timeout(ends.sa, T0 + 15000), 0);
	ck_assert_uint_eq(ends.to_i.count, 0);
	ck_assert(ike_sa_closed(ends.sa));
	ck_assert_str_eq(t.reason, "kernel SAs not installed: test");
	finish();
}
END_TEST

/* While our DELETE is outstanding the SA still answers the peer: its own
 * DELETE (both ended the SA at once, RFC 7296 1.4.1) closes it for our
 * reason. */
START_TEST(owner_delete_crossing_the_peers_delete)
{
	run_to_end(false);
	ike_sa_delete(ends.sa, "kernel SAs not installed: test", T0);
	ends.to_i.count = 0; /* still in flight when the peer deletes */
	ck_assert_int_eq(ike_initiator_close(ends.i, T0), 0);
	pump(T0);
	ck_assert_int_ge(find_event("message< INFORMATIONAL request 4 [ D ]"), 0);
	ck_assert_int_ge(find_event("message> INFORMATIONAL response 4 [ ]"), 0);
	ck_assert(ike_sa_closed(ends.sa));
	ck_assert_str_eq(t.reason, "kernel SAs not installed: test");
	finish();
}
END_TEST

START_TEST(delete_before_established_sends_nothing)
{
	run_to_end(true); /* EAP failed: not established */
	ike_sa_delete(ends.sa, "test", T0);
	ck_assert(ike_sa_closed(ends.sa));
	ck_assert_uint_eq(ends.to_i.count, 0);
	ck_assert_int_eq(find_event("child_down"), -1);
	finish();
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ike_sa_events");
	TCase *tc = tcase_create("events");
	tcase_add_test(tc, inner_chains_and_suite_for_the_log);
	tcase_add_test(tc, no_suite_before_ike_sa_init);
	tcase_add_test(tc, authentication_failed_after_eap_failure_closes_at_once);
	tcase_add_test(tc, dpd_answered_keeps_the_sa);
	tcase_add_test(tc, dpd_unanswered_closes_sa_and_child);
	tcase_add_test(tc, delete_at_the_ike_lifetime);
	tcase_add_test(tc, owner_delete_closes_when_answered);
	tcase_add_test(tc, owner_delete_retransmitted_until_answered);
	tcase_add_test(tc, owner_delete_unanswered_gives_up);
	tcase_add_test(tc, owner_delete_crossing_the_peers_delete);
	tcase_add_test(tc, delete_before_established_sends_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
