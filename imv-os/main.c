/* tnc-imv-os: the OS IMV (IMV ID 1, "OS"), subscribed to PA messages of
 * subtype IETF/Operating System (RFC 5792 3.5).
 *
 * It judges the workitems tnc-policy plans from the policy database
 * (PCKGS, UNSRC, FWDEN, PWDEN): pre_sandbox takes the [imv-os] keys
 * (remediation_uri, max_segment_size); the IF-IMV callbacks and tnc-policy's
 * answers go to each connection's struct os_state, whose requests to
 * tnc-policy (struct os_policy_port) become IPC frames here (those every
 * IMV makes: imv_policy.h) and whose struct imv_out becomes imv_send(),
 * imv_recommend() and the end of a held batch.  After start it opens no
 * file and no socket.
 */
#include <stdlib.h>
#include <string.h>

#include "imv.h"
#include "imv_policy.h"
#include "log.h"
#include "os_state.h"

static char remediation_uri[1024];
static struct os_config config = {.remediation_uri = remediation_uri,
    .max_segment_size = OS_SEGMENT_DEFAULT};

/* tncd checked the values (supervisor/config_roles.c). */
static int
pre_sandbox(const struct ipc_config *cfg)
{
	char key[64], value[1024];

	for (unsigned i = 0; i < cfg->count; i++) {
		bytes_cstr(cfg->key[i], key, sizeof(key));
		bytes_cstr(cfg->value[i], value, sizeof(value));
		if (!strcmp(key, "remediation_uri"))
			memcpy(remediation_uri, value, sizeof(remediation_uri));
		else if (!strcmp(key, "max_segment_size"))
			config.max_segment_size = (uint32_t)strtoul(value, NULL, 10);
	}
	LOG(IMV, 1, "IMV %u \"OS\" judges the workitems of tnc-policy, segments of %u bytes%s%s",
	    OS_IMV_ID, config.max_segment_size, remediation_uri[0] ? ", remediation at " : "",
	    remediation_uri);
	return 0;
}

static int
ask_verdicts(void *ctx, uint32_t seq, uint16_t count, struct bytes list)
{
	struct ipc_msg m = {.type = IPC_POLICY_PACKAGES};
	m.u.policy_packages = (struct ipc_policy_packages){count, list};
	return imv_policy_request(ctx, &m, seq);
}

static const struct os_policy_port port = {
	.workitems = imv_policy_ask_workitems, .packages = ask_verdicts,
	.result = imv_policy_tell_result,
};

static void *
conn_new(struct imv_conn *c)
{
	return os_state_new(&config, &port, c, imv_conn_id(c), imv_conn_max_msg(c));
}

static void
conn_free(void *state)
{
	os_state_free(state);
}

static void
conn_restart(void *state)
{
	os_state_restart(state);
}

/* The connection's state; a decided one whose recommendation tnccs
 * dropped (a handshake retry) starts over. */
static struct os_state *
state(struct imv_conn *c)
{
	struct os_state *st = imv_conn_state(c);
	if (st->phase == OS_PHASE_DECIDED && !imv_conn_recommended(c))
		os_state_restart(st);
	return st;
}

static void
deliver(struct imv_conn *c, const struct imv_out *out)
{
	imv_deliver(c, PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_OPERATING_SYSTEM, out);
}

static void
receive(struct imv_conn *c, const struct imv_pa *pa)
{
	os_state_receive(state(c), pa->imc_id, pa->msg, pa->len);
}

static void
batch_ending(struct imv_conn *c)
{
	struct imv_out out;
	os_state_batch_ending(state(c), &out);
	deliver(c, &out);
}

static void
solicit(struct imv_conn *c)
{
	struct imv_out out;
	os_state_solicit(state(c), &out);
	deliver(c, &out);
}

static void
policy_reply(struct imv_conn *c, const struct ipc_received *rx)
{
	struct os_state *st = imv_conn_state(c);
	struct imv_out out;

	switch (rx->hdr.type) {
	case IPC_POLICY_WORKITEMS:
		os_state_workitems(st, rx->hdr.seq, &rx->msg.u.policy_workitems, &out);
		break;
	case IPC_POLICY_PACKAGE_VERDICTS:
		os_state_verdicts(st, rx->hdr.seq, &rx->msg.u.policy_package_verdicts, &out);
		break;
	default:
		LOG(IPC, 1, "IMV %u: unexpected '%s' from tnc-policy", OS_IMV_ID,
		    ipc_type_name(rx->hdr.type));
		return;
	}
	deliver(c, &out);
}

static void
policy_drained(struct imv_conn *c)
{
	struct imv_out out;
	os_state_policy_drained(imv_conn_state(c), &out);
	deliver(c, &out);
}

static void
policy_lost(struct imv_conn *c)
{
	struct imv_out out;
	os_state_policy_lost(imv_conn_state(c), &out);
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
	return imv_main(argc, argv, ROLE_IMV_OS, &ops);
}
