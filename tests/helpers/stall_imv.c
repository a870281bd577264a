/* stall_imv.c - tnc-test-stall-imv: started by tncd in place of an IMV
 * (`path =` in its section), it subscribes as that IMV's manifest row and
 * judges one fact: an endpoint reporting IPv4 forwarding enabled (IETF
 * Forwarding Enabled) gets isolate; any other gets no recommendation.  It
 * never recommends at the end of a batch, so tnccs must solicit, and it
 * holds every solicitation while its IMV log level is below 3: the test
 * releases them with `tncctl loglevel NAME imv 3`.  Holding does not block
 * the loop, so the process keeps answering tncd's pings.  Log lines
 * ("stall: ...") tell the test where it is. */
#include <string.h>

#include "child.h"
#include "child_subscribe.h"
#include "log.h"
#include "pa_ietf.h"
#include "pa_tnc.h"

#define CONNS 64
#define RELEASE_LEVEL 3
#define POLL_MS 20

struct conn {
	uint32_t id; /* 0: free */
	bool forwarding;
	bool held; /* a solicitation waits for the release */
};

static struct conn conns[CONNS];
static struct child *self;
static uv_timer_t poll_timer;

static struct conn *
conn_find(uint32_t id)
{
	for (int i = 0; i < CONNS; i++)
		if (conns[i].id == id)
			return &conns[i];
	return NULL;
}

static void
send_tnccs(uint32_t id, const struct ipc_msg *m)
{
	struct ipc_channel *ch = child_peer(self, ROLE_TNCCS);
	if (!ch || ipc_channel_send(ch, m, id, 0, 0, -1) != 0)
		LOG(IMV, 0, "stall: cannot send '%s' for Connection ID %u", ipc_type_name(m->type), id);
}

static void
recommend(struct conn *c, uint32_t id)
{
	bool fwd = c && c->forwarding;
	const char *reason = fwd ? "IPv4 forwarding is enabled" : "";
	struct ipc_msg m = {.type = IPC_IMV_RECOMMEND};
	m.u.imv_recommend = (struct ipc_imv_recommend){
		.recommendation = fwd ? IMV_REC_ISOLATE : IMV_REC_NONE,
		.evaluation = fwd ? IMV_EVAL_NONCOMPLIANT_MINOR : IMV_EVAL_DONT_KNOW,
		.reason = {(const uint8_t *)reason, strlen(reason)},
		.language = {(const uint8_t *)"en", 2},
	};
	LOG(IMV, 0, "stall: answering Connection ID %u with '%s'", id,
	    imv_recommendation_name(m.u.imv_recommend.recommendation));
	send_tnccs(id, &m);
}

static void
on_poll(uv_timer_t *t)
{
	if (log_level(LOG_IMV) < RELEASE_LEVEL)
		return;
	for (int i = 0; i < CONNS; i++)
		if (conns[i].id && conns[i].held) {
			LOG(IMV, 0, "stall: released Connection ID %u", conns[i].id);
			conns[i].held = false;
			recommend(&conns[i], conns[i].id);
		}
}

static void
on_receive(struct conn *c, const struct ipc_pa_msg *pa)
{
	struct pa_tnc_limits lim = {pa->msg.len, 64, NULL, 0};
	struct pa_tnc_msg m;
	struct parse_error pe;
	if (pa_tnc_msg_parse(pa->msg.ptr, pa->msg.len, &lim, &m, &pe) != 0)
		return;
	for (size_t i = 0; i < m.count; i++) {
		uint32_t status;
		if (m.attrs[i].vendor == PA_TNC_VENDOR_IETF &&
		    m.attrs[i].type == PA_IETF_FORWARDING_ENABLED &&
		    pa_ietf_forwarding_enabled_decode(m.attrs[i].value, &status, &pe) == 0)
			c->forwarding = status == PA_IETF_FORWARDING_STATUS_ENABLED;
	}
	pa_tnc_msg_clear(&m);
}

static void
on_connection(uint32_t id, uint8_t state)
{
	struct conn *c = conn_find(id);
	if (state == IMV_CONN_CREATE && !c && (c = conn_find(0)))
		*c = (struct conn){.id = id};
	else if (state == IMV_CONN_DELETE && c)
		*c = (struct conn){0};
	else if (state == IMV_CONN_HANDSHAKE && c)
		c->forwarding = false; /* a retry: the evidence comes again */
}

static void
on_msg(struct child *ch, enum tnc_role peer, struct ipc_received *rx)
{
	uint32_t id = rx->hdr.session;
	struct conn *c = id ? conn_find(id) : NULL;
	struct ipc_msg done = {.type = IPC_IMV_BATCH_DONE};

	switch (rx->hdr.type) {
	case IPC_IMV_CONNECTION:
		on_connection(id, rx->msg.u.imv_connection.state);
		return;
	case IPC_IMV_RECEIVE:
		if (c)
			on_receive(c, &rx->msg.u.pa_msg);
		return;
	case IPC_IMV_BATCH_END:
		send_tnccs(id, &done);
		return;
	case IPC_IMV_SOLICIT:
		if (c && log_level(LOG_IMV) < RELEASE_LEVEL) {
			LOG(IMV, 0, "stall: holding the solicitation of Connection ID %u", id);
			c->held = true;
			return;
		}
		recommend(c, id);
		return;
	default:
		return;
	}
}

static void
peer_attached(struct child *c, enum tnc_role peer, struct ipc_channel *ch)
{
	const struct role_manifest *m = child_role(c);
	if (peer != ROLE_TNCCS) /* tnc-policy is a peer too */
		return;
	memset(conns, 0, sizeof(conns)); /* a new tnccs knows none of them */
	struct ipc_msg s = child_imv_subscription(m);
	send_tnccs(0, &s);
	LOG(IMV, 0, "stall: subscribed as IMV %u \"%s\"", m->imv_id, m->imv_name);
}

static void
on_ready(struct child *c)
{
	self = c;
	uv_timer_init(child_loop(c), &poll_timer);
	uv_timer_start(&poll_timer, on_poll, POLL_MS, POLL_MS);
}

static const struct child_ops ops = {
	.ready = on_ready, .peer_attached = peer_attached, .on_msg = on_msg,
};

int
main(int argc, char **argv)
{
	return child_main(argc, argv, ROLE_COUNT, &ops);
}
