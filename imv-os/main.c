/* tnc-imv-os: the OS IMV (IMV ID 1, "OS"), subscribed to PA messages of
 * subtype IETF/Operating System (RFC 5792 3.5).
 *
 * pre_sandbox applies the [imv-os] policy keys (os_policy.h; a bad value
 * stops the process, so it never judges with half a policy); the IF-IMV
 * callbacks hand each connection's events to its struct os_state and turn
 * what it owes into imv_send() and imv_recommend(), and reports the
 * product and device ID to tnc-policy.  After start it opens no file and
 * no socket.
 */

#include "imv.h"
#include "log.h"
#include "os_state.h"

static struct os_policy policy;

static int
pre_sandbox(const struct ipc_config *cfg)
{
	char key[64], value[1024];

	os_policy_init(&policy);
	for (unsigned i = 0; i < cfg->count; i++) {
		bytes_cstr(cfg->key[i], key, sizeof(key));
		bytes_cstr(cfg->value[i], value, sizeof(value));
		const char *err = os_policy_set(&policy, key, value);
		if (err && err[0]) {
			LOG_ERR(CFG, "[imv-os] %s: %s", key, err);
			return -1;
		}
	}
	LOG(IMV, 1, "IMV %u \"OS\" policy: %zu allowed product%s (unknown products: %s), "
	    "%zu blacklisted package%s, %zu minimum version%s, segments of %u bytes", OS_IMV_ID,
	    policy.nproducts, policy.nproducts == 1 ? "" : "s",
	    policy.unknown_product == OS_UNKNOWN_ALLOW ? "allow" :
	    policy.unknown_product == OS_UNKNOWN_ISOLATE ? "isolate" : "block",
	    policy.nblacklist, policy.nblacklist == 1 ? "" : "s", policy.nmin,
	    policy.nmin == 1 ? "" : "s", policy.max_segment_size);
	return 0;
}

static void *
conn_new(struct imv_conn *c)
{
	return os_state_new(&policy, imv_conn_id(c), imv_conn_max_msg(c));
}

static void
conn_free(void *state)
{
	os_state_free(state);
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

/* The product and device ID it learned go to tnc-policy before the
 * recommendation, which makes tnccs end the assessment. */
static void
report_device(struct imv_conn *c, const struct os_state *st)
{
	char product[2 * OS_TEXT_MAX];
	if (!st->facts.have_product || st->facts.product_cut || !st->facts.device_id[0])
		return;
	os_facts_product(&st->facts, product, sizeof(product));
	int err = imv_report_device(c, product, st->facts.device_id);
	if (err)
		LOG(IMV, err == TNC_ECLOSED ? 2 : 1, "IMV %u cannot report the device of Connection "
		    "ID %u to tnc-policy: %s", OS_IMV_ID, imv_conn_id(c), tnc_strerror(err));
}

static void
deliver(struct imv_conn *c, const struct os_out *out)
{
	if (out->recommend)
		report_device(c, imv_conn_state(c));
	if (out->send && imv_send(c, PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_OPERATING_SYSTEM,
	    out->imc_id, out->excl, out->msg.ptr, out->msg.len) != 0)
		LOG_ERR(IMV, "IMV %u cannot send its %zu-byte PA message for Connection ID %u",
		    OS_IMV_ID, out->msg.len, imv_conn_id(c));
	if (out->recommend && imv_recommend(c, out->rec, out->eval, out->reason) != 0)
		LOG_ERR(IMV, "IMV %u cannot give its recommendation for Connection ID %u", OS_IMV_ID,
		    imv_conn_id(c));
}

static void
receive(struct imv_conn *c, const struct imv_pa *pa)
{
	os_state_receive(state(c), pa->imc_id, pa->msg, pa->len);
}

static void
batch_ending(struct imv_conn *c)
{
	struct os_out out;
	os_state_batch_ending(state(c), &out);
	deliver(c, &out);
}

static void
solicit(struct imv_conn *c)
{
	struct os_out out;
	os_state_solicit(state(c), &out);
	deliver(c, &out);
}

int
main(int argc, char **argv)
{
	static const struct imv_ops ops = {
		.pre_sandbox = pre_sandbox, .conn_new = conn_new, .conn_free = conn_free,
		.receive = receive, .batch_ending = batch_ending, .solicit = solicit,
	};
	int rc = imv_main(argc, argv, ROLE_IMV_OS, &ops);
	os_policy_clear(&policy);
	return rc;
}
