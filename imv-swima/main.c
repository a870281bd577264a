/* tnc-imv-swima: the SWIMA IMV (IMV ID 2, "SWIMA"; RFC 8412), subscribed
 * to IETF/SWIMA and IETF/Operating System messages.
 *
 * It judges the SWIDT and SWIDI workitems tnc-policy plans: the IF-IMV
 * callbacks and tnc-policy's answers go to each connection's struct
 * swima_state, whose requests to tnc-policy (the policy-sw-* messages of
 * ipc/messages.def; those every IMV makes: imv_policy.h) become IPC frames
 * here and whose struct imv_out becomes imv_send(), imv_recommend() and
 * the end of a held batch.  It
 * takes only the reassembly budget keys of its section (imv.h); after
 * start it opens no file and no socket.  libxml2 initialises itself at
 * its first parse: one tag is parsed before the sandbox, so the first
 * endpoint's tags cannot trip it.
 */
#include <stdlib.h>
#include <string.h>

#include "imv.h"
#include "imv_policy.h"
#include "log.h"
#include "swid_tag.h"
#include "swima_state.h"

static const struct swima_config config = {.max_segment_size = SWIMA_SEGMENT_DEFAULT,
    .max_records = SWIMA_RECORDS_DEFAULT, .max_bytes = SWIMA_BYTES_DEFAULT};

/* A tag of our own through swid_tag_parse(), before the sandbox. */
static int
prewarm_libxml2(void)
{
	const struct swid_tag_spec spec = {"prewarm-1.0", "prewarm", "1.0", NULL, "tnc",
	    "example.org"};
	struct swid_tag t;
	const char *reason;
	uint8_t *tag;
	size_t len;
	int err = swid_tag_generate(&spec, &tag, &len);
	if (!err) {
		err = swid_tag_parse(tag, len, &t, &reason);
		free(tag);
	}
	if (err) {
		LOG_ERR(IMV, "IMV %u cannot parse a SWID tag: %s", SWIMA_IMV_ID, tnc_strerror(err));
		return err;
	}
	swid_tag_clear(&t);
	return 0;
}

static int
pre_sandbox(const struct ipc_config *cfg)
{
	(void)cfg;
	int err = prewarm_libxml2();
	if (err)
		return err;
	LOG(IMV, 1, "IMV %u \"SWIMA\" judges SWIDT and SWIDI workitems, segments of %u bytes, at "
	    "most %u records and %u bytes per answer", SWIMA_IMV_ID, config.max_segment_size,
	    config.max_records, config.max_bytes);
	return 0;
}

static int
ask_state(void *ctx, uint32_t seq)
{
	struct ipc_msg m = {.type = IPC_POLICY_SW_STATE_GET};
	return imv_policy_request(ctx, &m, seq);
}

static int
store(void *ctx, uint32_t seq, const struct ipc_msg *m)
{
	return imv_policy_request(ctx, m, seq);
}

static int
ask_untagged(void *ctx, uint32_t seq, uint16_t max)
{
	struct ipc_msg m = {.type = IPC_POLICY_SW_UNTAGGED_GET};
	m.u.policy_sw_untagged_get.max = max;
	return imv_policy_request(ctx, &m, seq);
}

static int
ask_verdict(void *ctx, uint32_t seq, uint32_t workitem)
{
	struct ipc_msg m = {.type = IPC_POLICY_SW_VERDICT_GET};
	m.u.policy_sw_verdict_get.workitem = workitem;
	return imv_policy_request(ctx, &m, seq);
}

static const struct swima_policy_port port = {
	.workitems = imv_policy_ask_workitems, .state = ask_state, .store = store,
	.untagged = ask_untagged, .verdict = ask_verdict, .result = imv_policy_tell_result,
};

static void *
conn_new(struct imv_conn *c)
{
	return swima_state_new(&config, &port, c, imv_conn_id(c), imv_conn_max_msg(c));
}

static void
conn_free(void *state)
{
	swima_state_free(state);
}

static void
conn_restart(void *state)
{
	swima_state_restart(state);
}

static struct swima_state *
state(struct imv_conn *c)
{
	struct swima_state *st = imv_conn_state(c);
	if (st->phase == SWIMA_PHASE_DECIDED && !imv_conn_recommended(c))
		swima_state_restart(st);
	return st;
}

static void
deliver(struct imv_conn *c, const struct imv_out *out)
{
	imv_deliver(c, PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_SWIMA, out);
}

static void
receive(struct imv_conn *c, const struct imv_pa *pa)
{
	bool swima = pa->vendor == PA_TNC_VENDOR_IETF && pa->subtype == PA_TNC_SUBTYPE_IETF_SWIMA;
	swima_state_receive(state(c), swima, pa->imc_id, pa->msg, pa->len);
}

static void
batch_ending(struct imv_conn *c)
{
	struct imv_out out;
	swima_state_batch_ending(state(c), &out);
	deliver(c, &out);
}

static void
solicit(struct imv_conn *c)
{
	struct imv_out out;
	swima_state_solicit(state(c), &out);
	deliver(c, &out);
}

static void
policy_reply(struct imv_conn *c, const struct ipc_received *rx)
{
	struct swima_state *st = imv_conn_state(c);
	struct imv_out out;

	switch (rx->hdr.type) {
	case IPC_POLICY_WORKITEMS:
		swima_state_workitems(st, rx->hdr.seq, &rx->msg.u.policy_workitems, &out);
		break;
	case IPC_POLICY_SW_STATE:
		swima_state_sw_state(st, rx->hdr.seq, &rx->msg.u.policy_sw_state, &out);
		break;
	case IPC_POLICY_SW_UNTAGGED:
		swima_state_untagged(st, rx->hdr.seq, &rx->msg.u.policy_sw_untagged, &out);
		break;
	case IPC_POLICY_SW_VERDICT:
		swima_state_verdict(st, rx->hdr.seq, &rx->msg.u.policy_sw_verdict, &out);
		break;
	default:
		LOG(IPC, 1, "IMV %u: unexpected '%s' from tnc-policy", SWIMA_IMV_ID,
		    ipc_type_name(rx->hdr.type));
		return;
	}
	deliver(c, &out);
}

static void
policy_drained(struct imv_conn *c)
{
	struct imv_out out;
	swima_state_policy_drained(imv_conn_state(c), &out);
	deliver(c, &out);
}

static void
policy_lost(struct imv_conn *c)
{
	struct imv_out out;
	swima_state_policy_lost(imv_conn_state(c), &out);
	deliver(c, &out);
}

int
main(int argc, char **argv)
{
	static const struct imv_ops ops = {
		.pre_sandbox = pre_sandbox, .conn_new = conn_new, .conn_free = conn_free,
		.conn_restart = conn_restart,
		.receive = receive, .batch_ending = batch_ending, .solicit = solicit,
		.policy_reply = policy_reply, .policy_drained = policy_drained,
		.policy_lost = policy_lost,
	};
	return imv_main(argc, argv, ROLE_IMV_SWIMA, &ops);
}
