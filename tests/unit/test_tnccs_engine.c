/* test_tnccs_engine.c - the PB-TNC session engine without processes: each
 * transition of RFC 5793 3.2 as tnccs drives it, the rounds with the IMVs,
 * and the bookkeeping that must not fail open (the solicit race, answers of
 * an earlier IMV instance, slots without a recommendation, resumed
 * connections, lost messages). */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "pb_tnc.h"
#include "testlib.h"

#define OS 0
#define SWIMA 1
#define ATTEST 2

static struct engine_env env;
static struct engine_session s;
static struct engine_action *acts[256];
static unsigned nacts;
/* Client batches must outlive the IMV_RECEIVE actions that view them. */
static struct pb_builder builders[16];
static unsigned nbuilders;

static void
forget_actions(void)
{
	for (unsigned i = 0; i < nacts; i++)
		engine_action_free(acts[i]);
	nacts = 0;
}

/* Takes everything the last events queued. */
static void
take(void)
{
	forget_actions();
	struct engine_action *a;
	while ((a = engine_next_action(&s))) {
		ck_assert_uint_lt(nacts, 256);
		acts[nacts++] = a;
	}
}

static unsigned
count(enum action_kind kind, int imv)
{
	unsigned n = 0;
	for (unsigned i = 0; i < nacts; i++)
		n += acts[i]->kind == kind && (imv < 0 || acts[i]->imv == (unsigned)imv);
	return n;
}

static unsigned
count_conn(int imv, uint8_t state)
{
	unsigned n = 0;
	for (unsigned i = 0; i < nacts; i++)
		n += acts[i]->kind == ACT_IMV_CONNECTION && acts[i]->imv == (unsigned)imv &&
		    acts[i]->conn_state == state;
	return n;
}

/* The type of the one batch for the client among the actions; 0 if none. */
static uint8_t
batch_type(void)
{
	uint8_t type = 0;
	for (unsigned i = 0; i < nacts; i++)
		if (acts[i]->kind == ACT_IKE_BATCH) {
			ck_assert_msg(type == 0, "two batches for the client");
			type = acts[i]->batch.ptr[3] & PB_BATCH_TYPE_MASK;
		}
	return type;
}

static const struct engine_action *
find(enum action_kind kind)
{
	for (unsigned i = 0; i < nacts; i++)
		if (acts[i]->kind == kind)
			return acts[i];
	return NULL;
}

static void
setup_env(enum rec_policy policy)
{
	memset(&env, 0, sizeof(env));
	env.cfg = (struct engine_config){.policy = policy, .max_msg = 65536, .max_rounds = 100,
	    .imv_timeout_ms = 1000};
	for (int r = 0; r < ROLE_COUNT; r++) {
		const struct role_manifest *m = manifest_role((enum tnc_role)r);
		if (m && m->kind == KIND_IMV)
			env.imvs[env.nimvs++] = (struct engine_imv){m, true, true, 1};
	}
	ck_assert_uint_eq(env.nimvs, 3);
	ck_assert_uint_eq(env.imvs[OS].m->role, ROLE_IMV_OS);
	ck_assert_uint_eq(env.imvs[SWIMA].m->role, ROLE_IMV_SWIMA);
}

static void
open_with(uint8_t flags)
{
	struct ipc_tnccs_open o = {
		.flags = flags, .transport = {(const uint8_t *)"IF-T for TLS 2.0", 16},
		.peer = {(const uint8_t *)"127.0.0.1:1", 11}, .max_batch = 65536, .max_msg = 65536,
	};
	ck_assert_int_eq(engine_open(&s, &env, 7, &o), 0);
	take();
}

static void
setup(void)
{
	setup_env(REC_POLICY_DEFAULT);
	nbuilders = 0;
	nacts = 0;
}

static void
teardown(void)
{
	forget_actions();
	engine_session_clear(&s, &env);
	for (unsigned i = 0; i < nbuilders; i++)
		pb_builder_clear(&builders[i]);
	ck_assert_uint_eq(env.queued_bytes, 0);
}

/* A client batch of type; with_pa: one IETF Operating System PA message. */
static void
client(uint8_t type, bool with_pa)
{
	struct pb_builder *b = &builders[nbuilders++];
	struct bytes out;
	pb_builder_init(b, PB_DIR_TO_SERVER, type, 65536);
	if (with_pa)
		pb_builder_add_pa(b, 0, 0, 1, 1, PB_PA_ID_ANY,
		    (struct bytes){(const uint8_t *)"\x01\x00\x00\x00\x00\x00\x00\x01", 8});
	ck_assert_int_eq(pb_builder_finish(b, &out), 0);
	engine_client_batch(&s, &env, out);
	take();
}

static void
imv_msg(unsigned imv, uint32_t gen, uint16_t type)
{
	struct ipc_msg m = {.type = type};
	engine_imv_msg(&s, &env, imv, gen, &m);
	take();
}

static void
imv_rec(unsigned imv, uint32_t gen, uint8_t rec, uint8_t eval)
{
	struct ipc_msg m = {.type = IPC_IMV_RECOMMEND};
	m.u.imv_recommend.recommendation = rec;
	m.u.imv_recommend.evaluation = eval;
	engine_imv_msg(&s, &env, imv, gen, &m);
	take();
}

static void
done_all(void)
{
	for (unsigned i = 0; i < env.nimvs; i++)
		imv_msg(i, env.imvs[i].gen, IPC_IMV_BATCH_DONE);
}

/* The process of an IMV died (and tncd restarts it). */
static void
imv_dies(unsigned imv)
{
	env.imvs[imv].available = false;
	engine_imv_lost(&s, &env, imv, "terminated during the assessment");
	take();
}

static void
imv_returns(unsigned imv)
{
	env.imvs[imv].gen++;
	env.imvs[imv].available = true;
	engine_imv_back(&s, &env, imv);
	take();
}

/* CDATA with evidence: the IMVs have none to give yet, the client gets an
 * empty SDATA; then an empty CDATA: the recommendations are solicited. */
static void
reach_solicit(void)
{
	open_with(0);
	client(PB_BATCH_CDATA, true);
	imv_rec(SWIMA, 1, IMV_REC_NONE, IMV_EVAL_DONT_KNOW);
	imv_rec(ATTEST, 1, IMV_REC_NONE, IMV_EVAL_DONT_KNOW);
	done_all();
	ck_assert_uint_eq(batch_type(), PB_BATCH_SDATA);
	client(PB_BATCH_CDATA, false);
	done_all();
	ck_assert_uint_eq(count(ACT_IMV_SOLICIT, OS), 1);
	ck_assert_uint_eq(count(ACT_IMV_SOLICIT, -1), 1);
	ck_assert_int_eq(s.phase, PHASE_SOLICIT);
}

START_TEST(state_table)
{
	ck_assert_int_eq(pb_state_after(PB_STATE_INIT, PB_BATCH_CDATA, true), PB_STATE_SERVER_WORKING);
	ck_assert_int_eq(pb_state_after(PB_STATE_INIT, PB_BATCH_CRETRY, true), PB_STATE_INVALID);
	ck_assert_int_eq(pb_state_after(PB_STATE_SERVER_WORKING, PB_BATCH_CDATA, true), PB_STATE_INVALID);
	ck_assert_int_eq(pb_state_after(PB_STATE_SERVER_WORKING, PB_BATCH_CLOSE, true), PB_STATE_END);
	ck_assert_int_eq(pb_state_after(PB_STATE_DECIDED, PB_BATCH_CRETRY, true), PB_STATE_SERVER_WORKING);
	ck_assert_int_eq(pb_state_after(PB_STATE_DECIDED, PB_BATCH_CDATA, true), PB_STATE_INVALID);
	ck_assert_int_eq(pb_state_after(PB_STATE_CLIENT_WORKING, PB_BATCH_SDATA, true), PB_STATE_INVALID);
	ck_assert_int_eq(pb_state_after(PB_STATE_SERVER_WORKING, PB_BATCH_RESULT, false), PB_STATE_DECIDED);
	ck_assert_int_eq(pb_state_after(PB_STATE_SERVER_WORKING, PB_BATCH_SDATA, false), PB_STATE_CLIENT_WORKING);
	ck_assert_int_eq(pb_state_after(PB_STATE_DECIDED, PB_BATCH_SRETRY, false), PB_STATE_CLIENT_WORKING);
	ck_assert_int_eq(pb_state_after(PB_STATE_CLIENT_WORKING, PB_BATCH_RESULT, false), PB_STATE_INVALID);
	ck_assert_int_eq(pb_state_after(PB_STATE_END, PB_BATCH_CLOSE, true), PB_STATE_INVALID);
	ck_assert_int_eq(pb_state_after(PB_STATE_INIT, 9, true), PB_STATE_INVALID);
}
END_TEST

START_TEST(open_joins_the_available_imvs)
{
	env.imvs[ATTEST].available = false;
	open_with(0);
	ck_assert_int_eq(s.state, PB_STATE_INIT);
	ck_assert_uint_eq(count_conn(OS, IMV_CONN_CREATE), 1);
	ck_assert_uint_eq(count_conn(OS, IMV_CONN_HANDSHAKE), 1);
	ck_assert_uint_eq(count_conn(SWIMA, IMV_CONN_CREATE), 1);
	ck_assert_uint_eq(count(ACT_IMV_CONNECTION, ATTEST), 0);
	/* enabled but missing: it counts against the endpoint until it is back */
	ck_assert_int_eq(s.slot[ATTEST].state, SLOT_LOST);
	ck_assert_uint_eq(s.slot[ATTEST].rec, IMV_REC_NO_ACCESS);
	ck_assert_uint_eq(find(ACT_TIMER_START)->timeout_ms, ENGINE_CLIENT_WAIT_MS);
	/* it comes back before any batch: it simply joins */
	imv_returns(ATTEST);
	ck_assert_int_eq(s.slot[ATTEST].state, SLOT_ACTIVE);
	ck_assert_uint_eq(count_conn(ATTEST, IMV_CONN_CREATE), 1);
}
END_TEST

START_TEST(open_with_unusable_limits_is_refused)
{
	struct ipc_tnccs_open o = {.max_batch = 100, .max_msg = 65536};
	ck_assert_int_eq(engine_open(&s, &env, 9, &o), TNC_EINVALID);
	take();
	ck_assert_ptr_nonnull(find(ACT_IKE_CLOSE));
	ck_assert_ptr_nonnull(find(ACT_END));
	ck_assert_uint_eq(count(ACT_IMV_CONNECTION, -1), 0);
}
END_TEST

START_TEST(cdata_is_routed_by_the_manifest)
{
	static const uint8_t pa[] = {0x01, 0, 0, 0, 0, 0, 0, 0x01};
	struct pb_builder *b = &builders[nbuilders++];
	struct bytes out;
	open_with(0);
	pb_builder_init(b, PB_DIR_TO_SERVER, PB_BATCH_CDATA, 65536);
	pb_builder_add_pa(b, 0, 0, 1, 1, PB_PA_ID_ANY, (struct bytes){pa, sizeof(pa)}); /* IETF/OS */
	pb_builder_add_pa(b, 0, 0, 9, 2, PB_PA_ID_ANY, (struct bytes){pa, sizeof(pa)}); /* IETF/SWIMA */
	pb_builder_add_pa(b, 0, 0x5597, 1, 3, PB_PA_ID_ANY, (struct bytes){pa, sizeof(pa)}); /* PTS */
	ck_assert_int_eq(pb_builder_finish(b, &out), 0);
	engine_client_batch(&s, &env, out);
	take();
	ck_assert_int_eq(s.state, PB_STATE_SERVER_WORKING);
	/* every IMV's manifest row subscribes to IETF/Operating System; SWIMA
	 * and PTS reach only the IMV of their subtype */
	ck_assert_uint_eq(count(ACT_IMV_RECEIVE, OS), 1);
	ck_assert_uint_eq(count(ACT_IMV_RECEIVE, SWIMA), 2);
	ck_assert_uint_eq(count(ACT_IMV_RECEIVE, ATTEST), 2);
	ck_assert_uint_eq(count(ACT_IMV_BATCH_END, -1), 3);
	ck_assert_uint_eq(find(ACT_TIMER_START)->timeout_ms, env.cfg.imv_timeout_ms);
	ck_assert_int_eq(s.phase, PHASE_BATCH);
}
END_TEST

START_TEST(all_recommend_result_then_close)
{
	open_with(0);
	client(PB_BATCH_CDATA, true);
	imv_rec(OS, 1, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
	imv_rec(SWIMA, 1, IMV_REC_NONE, IMV_EVAL_DONT_KNOW);
	imv_rec(ATTEST, 1, IMV_REC_NONE, IMV_EVAL_DONT_KNOW);
	imv_msg(OS, 1, IPC_IMV_BATCH_DONE);
	imv_msg(SWIMA, 1, IPC_IMV_BATCH_DONE);
	ck_assert_uint_eq(batch_type(), 0); /* attest has not finished */
	imv_msg(ATTEST, 1, IPC_IMV_BATCH_DONE);
	ck_assert_uint_eq(batch_type(), PB_BATCH_RESULT);
	ck_assert_uint_eq(find(ACT_IKE_RESULT)->rec, IMV_REC_ALLOW);
	ck_assert_uint_eq(count_conn(OS, IMV_CONN_ALLOWED), 1);
	ck_assert_int_eq(s.state, PB_STATE_DECIDED);
	client(PB_BATCH_CLOSE, false);
	ck_assert_uint_eq(count_conn(OS, IMV_CONN_DELETE), 1);
	ck_assert_uint_eq(count_conn(ATTEST, IMV_CONN_DELETE), 1);
	ck_assert_int_eq(find(ACT_IKE_CLOSE)->status, 0);
	ck_assert_ptr_nonnull(find(ACT_END));
	ck_assert_int_eq(s.state, PB_STATE_END);
	/* nothing happens to a session that is over */
	imv_rec(OS, 1, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
	ck_assert_uint_eq(nacts, 0);
}
END_TEST

START_TEST(unexpected_batch_types_are_fatal)
{
	open_with(0);
	client(PB_BATCH_CRETRY, false); /* not in Init */
	ck_assert_uint_eq(batch_type(), PB_BATCH_CLOSE);
	ck_assert_ptr_nonnull(find(ACT_END));
	engine_session_clear(&s, &env);

	open_with(0);
	client(PB_BATCH_CDATA, true);
	client(PB_BATCH_CDATA, false); /* the server is working */
	ck_assert_uint_eq(batch_type(), PB_BATCH_CLOSE);
	ck_assert_uint_eq(count_conn(OS, IMV_CONN_DELETE), 1);
	ck_assert_ptr_nonnull(find(ACT_END));
	engine_session_clear(&s, &env);

	open_with(0);
	uint8_t junk[8] = {1, 0, 0, 1, 0, 0, 0, 8}; /* version 1 */
	engine_client_batch(&s, &env, (struct bytes){junk, sizeof(junk)});
	take();
	ck_assert_uint_eq(batch_type(), PB_BATCH_CLOSE);
	ck_assert_ptr_nonnull(find(ACT_END));
}
END_TEST

START_TEST(close_while_the_server_works_ends)
{
	open_with(0);
	client(PB_BATCH_CDATA, true);
	client(PB_BATCH_CLOSE, false);
	ck_assert_uint_eq(batch_type(), 0);
	ck_assert_ptr_nonnull(find(ACT_IKE_CLOSE));
	ck_assert_ptr_nonnull(find(ACT_END));
}
END_TEST

START_TEST(solicit_then_result)
{
	reach_solicit();
	imv_rec(OS, 1, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MINOR);
	ck_assert_uint_eq(batch_type(), PB_BATCH_RESULT);
	ck_assert_uint_eq(find(ACT_IKE_RESULT)->rec, IMV_REC_ISOLATE);
	ck_assert_uint_eq(find(ACT_IKE_RESULT)->eval, IMV_EVAL_NONCOMPLIANT_MINOR);
}
END_TEST

/* Problem 1: an IMV that dies and comes back while the session waits for a
 * solicited recommendation must not count as "allow, compliant". */
static void
solicit_race(enum rec_policy policy, uint8_t os_rec)
{
	setup_env(policy);
	reach_solicit();
	imv_dies(SWIMA);
	ck_assert_int_eq(s.slot[SWIMA].state, SLOT_LOST);
	imv_returns(SWIMA);
	ck_assert_int_eq(s.slot[SWIMA].state, SLOT_REJOINED);
	ck_assert_uint_eq(count_conn(SWIMA, IMV_CONN_CREATE), 1);
	ck_assert_uint_eq(batch_type(), 0);
	imv_rec(OS, 1, os_rec, IMV_EVAL_NONCOMPLIANT_MINOR);
	/* no decision with a new instance that saw nothing: the handshake is retried */
	ck_assert_uint_eq(batch_type(), PB_BATCH_SRETRY);
	ck_assert_ptr_null(find(ACT_IKE_RESULT));
	ck_assert_uint_eq(count_conn(OS, IMV_CONN_HANDSHAKE), 1);
	ck_assert_int_eq(s.slot[SWIMA].state, SLOT_ACTIVE);
	ck_assert_uint_eq(s.slot[SWIMA].gen, 2);
	/* the retried handshake runs with the new instance */
	client(PB_BATCH_CDATA, true);
	ck_assert_uint_eq(count(ACT_IMV_BATCH_END, SWIMA), 1);
	ck_assert_uint_eq(find(ACT_IMV_BATCH_END)->gen, 1); /* OS: still the first instance */
	imv_rec(OS, 1, os_rec, IMV_EVAL_NONCOMPLIANT_MINOR);
	imv_rec(SWIMA, 2, IMV_REC_NONE, IMV_EVAL_DONT_KNOW);
	imv_rec(ATTEST, 1, IMV_REC_NONE, IMV_EVAL_DONT_KNOW);
	done_all();
	ck_assert_uint_eq(batch_type(), PB_BATCH_RESULT);
	ck_assert_uint_ne(find(ACT_IKE_RESULT)->rec, IMV_REC_ALLOW);
}

START_TEST(solicit_race_default_policy_no_evidence)
{
	solicit_race(REC_POLICY_DEFAULT, IMV_REC_NONE);
	ck_assert_uint_eq(find(ACT_IKE_RESULT)->rec, IMV_REC_NO_ACCESS);
}
END_TEST

START_TEST(solicit_race_any_policy_forwarding)
{
	solicit_race(REC_POLICY_ANY, IMV_REC_ISOLATE);
	ck_assert_uint_eq(find(ACT_IKE_RESULT)->rec, IMV_REC_ISOLATE);
}
END_TEST

/* No retry left: the new instance counts as lost, never as allow. */
START_TEST(solicit_race_without_retries_left)
{
	setup_env(REC_POLICY_ANY);
	reach_solicit();
	s.retries = ENGINE_RETRIES_MAX;
	imv_dies(SWIMA);
	imv_returns(SWIMA);
	imv_rec(OS, 1, IMV_REC_NONE, IMV_EVAL_DONT_KNOW);
	ck_assert_uint_eq(batch_type(), PB_BATCH_RESULT);
	ck_assert_uint_eq(find(ACT_IKE_RESULT)->rec, IMV_REC_NO_ACCESS);
	ck_assert_uint_eq(find(ACT_IKE_RESULT)->eval, IMV_EVAL_ERROR);
}
END_TEST

START_TEST(answers_of_an_earlier_instance_are_ignored)
{
	open_with(0);
	client(PB_BATCH_CDATA, true);
	imv_dies(OS);
	imv_returns(OS); /* generation 2, waiting for the retry */
	imv_rec(OS, 1, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
	ck_assert(!s.slot[OS].has_rec);
	imv_rec(OS, 2, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT); /* rejoined: no say yet */
	ck_assert(!s.slot[OS].has_rec);
	struct ipc_msg pa = {.type = IPC_IMV_SEND};
	pa.u.pa_msg.msg = (struct bytes){(const uint8_t *)"x", 1};
	engine_imv_msg(&s, &env, OS, 1, &pa);
	ck_assert_ptr_null(s.out);
	take();
	/* the BATCH_DONE of the old instance does not finish its part either */
	done_all();
	ck_assert_uint_eq(batch_type(), PB_BATCH_SRETRY);
}
END_TEST

/* Whatever the policy, slots without a recommendation never make allow. */
START_TEST(no_policy_allows_with_a_missing_slot)
{
	static const enum rec_policy policies[] = {REC_POLICY_DEFAULT, REC_POLICY_ANY, REC_POLICY_ALL};
	for (unsigned p = 0; p < 3; p++) {
		static const uint8_t os_recs[] = {IMV_REC_NONE, IMV_REC_ISOLATE, IMV_REC_NO_ACCESS};
		for (unsigned r = 0; r < 3; r++) {
			setup_env(policies[p]);
			env.imvs[SWIMA].expected = false; /* gone for good: nothing to wait for */
			open_with(0);
			client(PB_BATCH_CDATA, false);
			imv_dies(SWIMA);
			imv_rec(OS, 1, os_recs[r], IMV_EVAL_DONT_KNOW);
			done_all(); /* attest has none: solicited */
			ck_assert_uint_eq(count(ACT_IMV_SOLICIT, ATTEST), 1);
			imv_rec(ATTEST, 1, IMV_REC_NONE, IMV_EVAL_DONT_KNOW);
			ck_assert_uint_eq(batch_type(), PB_BATCH_RESULT);
			ck_assert_msg(find(ACT_IKE_RESULT)->rec != IMV_REC_ALLOW,
			    "policy %u, OS %u: allow", p, os_recs[r]);
			forget_actions();
			engine_session_clear(&s, &env);
		}
	}
}
END_TEST

START_TEST(imv_timeout_fails_closed)
{
	env.imvs[OS].expected = false;
	open_with(0);
	client(PB_BATCH_CDATA, true);
	imv_rec(SWIMA, 1, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
	imv_rec(ATTEST, 1, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
	imv_msg(SWIMA, 1, IPC_IMV_BATCH_DONE);
	imv_msg(ATTEST, 1, IPC_IMV_BATCH_DONE);
	engine_timer(&s, &env); /* the OS IMV never finishes */
	take();
	ck_assert_int_eq(s.slot[OS].state, SLOT_LOST);
	ck_assert_uint_eq(batch_type(), PB_BATCH_RESULT);
	ck_assert_uint_eq(find(ACT_IKE_RESULT)->rec, IMV_REC_NO_ACCESS);
}
END_TEST

START_TEST(lost_imv_is_awaited_then_retried)
{
	open_with(0);
	client(PB_BATCH_CDATA, true);
	imv_dies(OS);
	done_all();
	ck_assert_int_eq(s.phase, PHASE_REVIVE);
	ck_assert_uint_eq(batch_type(), 0);
	ck_assert_uint_eq(find(ACT_TIMER_START)->timeout_ms, env.cfg.imv_timeout_ms);
	imv_returns(OS);
	ck_assert_uint_eq(batch_type(), PB_BATCH_SRETRY);
	ck_assert_uint_eq(s.retries, 1);
}
END_TEST

START_TEST(lost_imv_that_stays_away_counts_as_no_access)
{
	open_with(0);
	client(PB_BATCH_CDATA, true);
	imv_rec(SWIMA, 1, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
	imv_rec(ATTEST, 1, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
	imv_dies(OS);
	done_all();
	engine_timer(&s, &env);
	take();
	ck_assert_uint_eq(batch_type(), PB_BATCH_RESULT);
	ck_assert_uint_eq(find(ACT_IKE_RESULT)->rec, IMV_REC_NO_ACCESS);
}
END_TEST

START_TEST(retry_request_sends_sretry)
{
	open_with(0);
	client(PB_BATCH_CDATA, true);
	imv_msg(OS, 1, IPC_IMV_RETRY);
	done_all();
	ck_assert_uint_eq(batch_type(), PB_BATCH_SRETRY);
	ck_assert_int_eq(s.state, PB_STATE_CLIENT_WORKING);
	ck_assert_uint_eq(count_conn(SWIMA, IMV_CONN_HANDSHAKE), 1);
}
END_TEST

START_TEST(cretry_after_result_restarts)
{
	open_with(0);
	client(PB_BATCH_CDATA, true);
	for (unsigned i = 0; i < 3; i++)
		imv_rec(i, 1, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
	done_all();
	ck_assert_uint_eq(batch_type(), PB_BATCH_RESULT);
	client(PB_BATCH_CRETRY, true);
	ck_assert_uint_eq(count_conn(OS, IMV_CONN_HANDSHAKE), 1);
	ck_assert(!s.slot[OS].has_rec);
	ck_assert(!s.decided);
	ck_assert_uint_eq(count(ACT_IMV_BATCH_END, -1), 3);
}
END_TEST

START_TEST(imv_that_failed_gets_the_next_handshake)
{
	env.imvs[OS].expected = false;
	open_with(0);
	client(PB_BATCH_CDATA, true);
	imv_rec(SWIMA, 1, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
	imv_rec(ATTEST, 1, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
	imv_msg(SWIMA, 1, IPC_IMV_BATCH_DONE);
	imv_msg(ATTEST, 1, IPC_IMV_BATCH_DONE);
	engine_timer(&s, &env); /* OS too slow: lost for this handshake */
	take();
	ck_assert_uint_eq(find(ACT_IKE_RESULT)->rec, IMV_REC_NO_ACCESS);
	client(PB_BATCH_CRETRY, true);
	/* the same instance, still up: its old state goes, it joins afresh */
	ck_assert_uint_eq(count_conn(OS, IMV_CONN_DELETE), 1);
	ck_assert_uint_eq(count_conn(OS, IMV_CONN_CREATE), 1);
	ck_assert_int_eq(s.slot[OS].state, SLOT_ACTIVE);
	ck_assert_uint_eq(count(ACT_IMV_RECEIVE, OS), 1);
	ck_assert_uint_eq(count(ACT_IMV_BATCH_END, OS), 1);
}
END_TEST

START_TEST(resumed_client_waits_gets_sretry_at_once)
{
	open_with(TNCCS_OPEN_RESUMED | TNCCS_OPEN_CLIENT_WAITS);
	ck_assert_uint_eq(batch_type(), PB_BATCH_SRETRY);
	ck_assert_int_eq(s.state, PB_STATE_CLIENT_WORKING);
	ck_assert_uint_eq(count_conn(OS, IMV_CONN_CREATE), 1);
	ck_assert_uint_eq(s.retries, 0);
	client(PB_BATCH_CDATA, true); /* the new handshake */
	ck_assert_uint_eq(count(ACT_IMV_RECEIVE, OS), 1);
}
END_TEST

START_TEST(resumed_next_batch_is_discarded_and_retried)
{
	open_with(TNCCS_OPEN_RESUMED);
	ck_assert_uint_eq(batch_type(), 0);
	client(PB_BATCH_CDATA, true);
	ck_assert_uint_eq(batch_type(), PB_BATCH_SRETRY);
	ck_assert_uint_eq(count(ACT_IMV_RECEIVE, -1), 0);
	ck_assert_uint_eq(count(ACT_IMV_BATCH_END, -1), 0);
	client(PB_BATCH_CDATA, true);
	ck_assert_uint_eq(count(ACT_IMV_RECEIVE, OS), 1);
	/* a client that had its result closes: that is all */
	engine_session_clear(&s, &env);
	open_with(TNCCS_OPEN_RESUMED);
	client(PB_BATCH_CLOSE, false);
	ck_assert_ptr_nonnull(find(ACT_END));
}
END_TEST

START_TEST(silent_client_is_removed)
{
	open_with(0);
	engine_timer(&s, &env);
	take();
	ck_assert_int_eq(find(ACT_IKE_CLOSE)->status, TNC_ETIMEOUT);
	ck_assert_uint_eq(count_conn(OS, IMV_CONN_DELETE), 1);
	ck_assert_ptr_nonnull(find(ACT_END));
}
END_TEST

START_TEST(imv_messages_carry_the_manifest_id)
{
	open_with(0);
	client(PB_BATCH_CDATA, true);
	struct ipc_msg pa = {.type = IPC_IMV_SEND};
	pa.u.pa_msg = (struct ipc_pa_msg){.vendor = 0, .subtype = 1, .imc_id = 1, .imv_id = 3,
	    .msg = {(const uint8_t *)"\x01\x00\x00\x00\x00\x00\x00\x02", 8}};
	engine_imv_msg(&s, &env, OS, 1, &pa);
	ck_assert_uint_eq(env.queued_bytes, 8);
	done_all();
	ck_assert_uint_eq(batch_type(), PB_BATCH_SDATA);
	ck_assert_uint_eq(env.queued_bytes, 0);
	const struct engine_action *a = find(ACT_IKE_BATCH);
	struct pb_limits lim = {65536, 16, PB_DIR_TO_CLIENT};
	struct pb_batch b;
	struct parse_error pe;
	ck_assert_int_eq(pb_batch_parse(a->batch.ptr, a->batch.len, &lim, &b, &pe), 0);
	ck_assert_uint_eq(b.count, 1);
	ck_assert_uint_eq(b.msgs[0].u.pa.validator_id, env.imvs[OS].m->imv_id);
	pb_batch_clear(&b);
}
END_TEST

/* The messages of the one SDATA for the client among the actions, parsed
 * into *b (cleared by the caller). */
static void
sdata_msgs(struct pb_batch *b)
{
	struct pb_limits lim = {65536, 16, PB_DIR_TO_CLIENT};
	struct parse_error pe;
	ck_assert_uint_eq(batch_type(), PB_BATCH_SDATA);
	const struct engine_action *a = find(ACT_IKE_BATCH);
	ck_assert_int_eq(pb_batch_parse(a->batch.ptr, a->batch.len, &lim, b, &pe), 0);
}

/* With pdp_server set, a connection over EAP gets the PB-PDP-Referral as
 * the first message of its first SDATA, before the IMVs' messages, and
 * never again; a PT-TLS connection never. */
static void
referral_case(uint8_t flags, bool referred)
{
	struct pb_batch b;
	struct ipc_msg pa = {.type = IPC_IMV_SEND};
	pa.u.pa_msg = (struct ipc_pa_msg){.vendor = 0, .subtype = 1, .imc_id = 1, .imv_id = 3,
	    .msg = {(const uint8_t *)"\x01\x00\x00\x00\x00\x00\x00\x02", 8}};
	int len = pb_pdp_build("pdp.example", 271, env.cfg.pdp_id, sizeof(env.cfg.pdp_id),
	    &env.cfg.pdp_type);
	ck_assert_int_gt(len, 0);
	env.cfg.pdp_len = (size_t)len;

	open_with(flags);
	client(PB_BATCH_CDATA, true);
	engine_imv_msg(&s, &env, OS, 1, &pa);
	done_all();
	sdata_msgs(&b);
	ck_assert_uint_eq(b.count, referred ? 2 : 1);
	if (referred) {
		ck_assert_uint_eq(b.msgs[0].vendor, PB_VENDOR_TCG);
		ck_assert_uint_eq(b.msgs[0].type, PB_TCG_MSG_PDP_REFERRAL);
		ck_assert_uint_eq(b.msgs[0].u.pdp_referral.id_type, PB_PDP_ID_FQDN);
		ck_assert_mem_eq(b.msgs[0].u.pdp_referral.id.ptr, "\x00\x06\x01\x0fpdp.example", 15);
	}
	ck_assert_uint_eq(b.msgs[b.count - 1].type, PB_MSG_PA);
	pb_batch_clear(&b);

	client(PB_BATCH_CDATA, true);
	engine_imv_msg(&s, &env, OS, 1, &pa);
	done_all();
	sdata_msgs(&b);
	ck_assert_uint_eq(b.count, 1);
	ck_assert_uint_eq(b.msgs[0].type, PB_MSG_PA);
	pb_batch_clear(&b);
}

START_TEST(first_sdata_over_eap_refers_to_the_pdp)
{
	referral_case(TNCCS_OPEN_EAP, true);
}
END_TEST

START_TEST(pt_tls_gets_no_referral)
{
	referral_case(0, false);
}
END_TEST

START_TEST(imv_sending_too_much_fails_closed)
{
	open_with(0);
	client(PB_BATCH_CDATA, true);
	static uint8_t big[70000];
	struct ipc_msg pa = {.type = IPC_IMV_SEND};
	pa.u.pa_msg.msg = (struct bytes){big, sizeof(big)}; /* over max_msg */
	engine_imv_msg(&s, &env, OS, 1, &pa);
	take();
	ck_assert_int_eq(s.slot[OS].state, SLOT_LOST);
	ck_assert_uint_eq(env.queued_bytes, 0);
}
END_TEST

START_TEST(unreachable_imv_drops_its_queued_actions)
{
	open_with(0);
	client(PB_BATCH_CDATA, true);
	/* the glue failed to send the first action to the OS IMV */
	struct ipc_msg done = {.type = IPC_IMV_BATCH_DONE};
	engine_imv_msg(&s, &env, SWIMA, 1, &done);
	engine_imv_lost(&s, &env, OS, "cannot be reached");
	take();
	ck_assert_uint_eq(count(ACT_IMV_RECEIVE, OS) + count(ACT_IMV_BATCH_END, OS), 0);
	ck_assert_int_eq(s.slot[OS].state, SLOT_LOST);
}
END_TEST

START_TEST(too_many_rounds_are_cut_off)
{
	env.cfg.max_rounds = 2;
	open_with(0);
	client(PB_BATCH_CDATA, true);
	done_all();
	ck_assert_uint_eq(batch_type(), PB_BATCH_SDATA);
	client(PB_BATCH_CDATA, true);
	done_all();
	ck_assert_uint_eq(batch_type(), PB_BATCH_SDATA);
	client(PB_BATCH_CDATA, true);
	ck_assert_uint_eq(batch_type(), PB_BATCH_CLOSE);
	ck_assert_ptr_nonnull(find(ACT_END));
}
END_TEST

START_TEST(ike_gone_ends_without_a_word_to_it)
{
	open_with(0);
	engine_ike_gone(&s, &env, "tnc-ike is gone");
	take();
	ck_assert_ptr_null(find(ACT_IKE_CLOSE));
	ck_assert_ptr_nonnull(find(ACT_END));
	engine_ike_unreachable(&s, &env); /* over: nothing more */
	take();
	ck_assert_uint_eq(nacts, 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *su = suite_create("tnccs_engine");
	TCase *tc = tcase_create("engine");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, state_table);
	tcase_add_test(tc, open_joins_the_available_imvs);
	tcase_add_test(tc, open_with_unusable_limits_is_refused);
	tcase_add_test(tc, cdata_is_routed_by_the_manifest);
	tcase_add_test(tc, all_recommend_result_then_close);
	tcase_add_test(tc, unexpected_batch_types_are_fatal);
	tcase_add_test(tc, close_while_the_server_works_ends);
	tcase_add_test(tc, solicit_then_result);
	tcase_add_test(tc, solicit_race_default_policy_no_evidence);
	tcase_add_test(tc, solicit_race_any_policy_forwarding);
	tcase_add_test(tc, solicit_race_without_retries_left);
	tcase_add_test(tc, answers_of_an_earlier_instance_are_ignored);
	tcase_add_test(tc, no_policy_allows_with_a_missing_slot);
	tcase_add_test(tc, imv_timeout_fails_closed);
	tcase_add_test(tc, lost_imv_is_awaited_then_retried);
	tcase_add_test(tc, lost_imv_that_stays_away_counts_as_no_access);
	tcase_add_test(tc, retry_request_sends_sretry);
	tcase_add_test(tc, cretry_after_result_restarts);
	tcase_add_test(tc, imv_that_failed_gets_the_next_handshake);
	tcase_add_test(tc, resumed_client_waits_gets_sretry_at_once);
	tcase_add_test(tc, resumed_next_batch_is_discarded_and_retried);
	tcase_add_test(tc, silent_client_is_removed);
	tcase_add_test(tc, imv_messages_carry_the_manifest_id);
	tcase_add_test(tc, first_sdata_over_eap_refers_to_the_pdp);
	tcase_add_test(tc, pt_tls_gets_no_referral);
	tcase_add_test(tc, imv_sending_too_much_fails_closed);
	tcase_add_test(tc, unreachable_imv_drops_its_queued_actions);
	tcase_add_test(tc, too_many_rounds_are_cut_off);
	tcase_add_test(tc, ike_gone_ends_without_a_word_to_it);
	suite_add_tcase(su, tc);
	return su;
}

int
main(void)
{
	return tl_run_suite(suite());
}
