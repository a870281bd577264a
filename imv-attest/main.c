/* tnc-imv-attest: the Attestation IMV (IMV ID 3, "Attestation"; TCG
 * Attestation PTS Protocol: Binding to TNC IF-M), subscribed to TCG/PTS
 * and IETF/Operating System messages.
 *
 * It judges the TPMRA workitems tnc-policy plans: pre_sandbox takes the
 * [imv-attest] keys (max_segment_size, max_events, aik_ca_dir: the AIK CA
 * certificates, ima_keys_dir: the trusted IMA signing keys, both read here
 * before the sandbox); the IF-IMV callbacks and tnc-policy's answers go to
 * each connection's struct attest_state, whose requests to tnc-policy
 * become IPC frames here (those every IMV makes: imv_policy.h) and whose
 * struct imv_out becomes imv_send(), imv_recommend() and the end of a held
 * batch.  After start it opens no file and no socket.
 */
#include <stdlib.h>
#include <string.h>

#include "attest_prewarm.h"
#include "attest_state.h"
#include "imv.h"
#include "imv_policy.h"
#include "log.h"

static struct attest_config config = {.max_segment_size = ATTEST_SEGMENT_DEFAULT,
    .max_events = ATTEST_EVENTS_DEFAULT};

static int
pre_sandbox(const struct ipc_config *cfg)
{
	char key[64], value[1024], why[256];

	if (attest_prewarm())
		return TNC_EINVALID;
	for (unsigned i = 0; i < cfg->count; i++) {
		bytes_cstr(cfg->key[i], key, sizeof(key));
		bytes_cstr(cfg->value[i], value, sizeof(value));
		if (!strcmp(key, "max_segment_size")) {
			config.max_segment_size = (uint32_t)strtoul(value, NULL, 10);
		} else if (!strcmp(key, "max_events")) {
			config.max_events = (uint32_t)strtoul(value, NULL, 10);
		} else if (!strcmp(key, "aik_ca_dir") && value[0]) {
			int n = attest_aik_load_cas(value, why, sizeof(why));
			if (n < 0) {
				LOG_ERR(CFG, "[imv-attest] aik_ca_dir: %s", why);
				return n;
			}
			LOG(PTS, 1, "loaded %d AIK CA certificates from '%s'", n, value);
		} else if (!strcmp(key, "ima_keys_dir") && value[0]) {
			int n = attest_imasig_load_keys(value, why, sizeof(why));
			if (n < 0) {
				LOG_ERR(CFG, "[imv-attest] ima_keys_dir: %s", why);
				return n;
			}
			LOG(PTS, 1, "loaded %d IMA keys from '%s'", n, value);
		}
	}
	LOG(IMV, 1, "IMV %u \"Attestation\" judges TPMRA workitems, segments of %u bytes, at most "
	    "%u evidence measurements per connection", ATTEST_IMV_ID, config.max_segment_size,
	    config.max_events);
	return 0;
}

static int
ask_files(void *ctx, uint32_t seq, const struct ipc_policy_files *f)
{
	struct ipc_msg m = {.type = IPC_POLICY_FILES};
	m.u.policy_files = *f;
	return imv_policy_request(ctx, &m, seq);
}

static int
ask_aik(void *ctx, uint32_t seq)
{
	struct ipc_msg m = {.type = IPC_POLICY_AIK_GET};
	return imv_policy_request(ctx, &m, seq);
}

static const struct attest_policy_port port = {
	.workitems = imv_policy_ask_workitems, .files = ask_files, .aik = ask_aik,
	.result = imv_policy_tell_result,
};

static void *
conn_new(struct imv_conn *c)
{
	return attest_state_new(&config, &port, c, imv_conn_id(c), imv_conn_max_msg(c));
}

static void
conn_free(void *state)
{
	attest_state_free(state);
}

static void
conn_restart(void *state)
{
	attest_state_restart(state);
}

static struct attest_state *
state(struct imv_conn *c)
{
	struct attest_state *st = imv_conn_state(c);
	if (st->phase == ATTEST_PHASE_DECIDED && !imv_conn_recommended(c))
		attest_state_restart(st);
	return st;
}

static void
deliver(struct imv_conn *c, const struct imv_out *out)
{
	imv_deliver(c, PA_TNC_VENDOR_TCG, PA_TNC_SUBTYPE_TCG_PTS, out);
}

static void
receive(struct imv_conn *c, const struct imv_pa *pa)
{
	bool pts = pa->vendor == PA_TNC_VENDOR_TCG && pa->subtype == PA_TNC_SUBTYPE_TCG_PTS;
	attest_state_receive(state(c), pts, pa->imc_id, pa->msg, pa->len);
}

static void
batch_ending(struct imv_conn *c)
{
	struct imv_out out;
	attest_state_batch_ending(state(c), &out);
	deliver(c, &out);
}

static void
solicit(struct imv_conn *c)
{
	struct imv_out out;
	attest_state_solicit(state(c), &out);
	deliver(c, &out);
}

static void
policy_reply(struct imv_conn *c, const struct ipc_received *rx)
{
	struct attest_state *st = imv_conn_state(c);
	struct imv_out out;

	switch (rx->hdr.type) {
	case IPC_POLICY_WORKITEMS:
		attest_state_workitems(st, rx->hdr.seq, &rx->msg.u.policy_workitems, &out);
		break;
	case IPC_POLICY_FILE_VERDICTS:
		attest_state_file_verdicts(st, rx->hdr.seq, &rx->msg.u.policy_file_verdicts, &out);
		break;
	case IPC_POLICY_FILE_REFERENCES:
		attest_state_file_references(st, rx->hdr.seq, &rx->msg.u.policy_file_references,
		    &out);
		break;
	case IPC_POLICY_AIK:
		attest_state_aik(st, rx->hdr.seq, &rx->msg.u.policy_aik, &out);
		break;
	default:
		LOG(IPC, 1, "IMV %u: unexpected '%s' from tnc-policy", ATTEST_IMV_ID,
		    ipc_type_name(rx->hdr.type));
		return;
	}
	deliver(c, &out);
}

static void
policy_drained(struct imv_conn *c)
{
	struct imv_out out;
	attest_state_policy_drained(imv_conn_state(c), &out);
	deliver(c, &out);
}

static void
policy_lost(struct imv_conn *c)
{
	struct imv_out out;
	attest_state_policy_lost(imv_conn_state(c), &out);
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
	return imv_main(argc, argv, ROLE_IMV_ATTEST, &ops);
}
