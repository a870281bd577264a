/* workitems_imv.c - tnc-test-workitems-imv: started by tncd in place of
 * tnc-imv-os (`path =` in [imv-os]), it subscribes as the OS IMV's
 * manifest row and drives tnc-policy's side of workitems for every
 * connection: at the first batch end it reports a fixed product and
 * device as a request, takes the workitems that come back, asks for the
 * verdicts of a full message of installed packages (telnetd 0.17-1, bash
 * 5.2.15-2 and 998 local ones) when it has PCKGS, and answers each workitem (PCKGS: isolate naming a
 * blacklisted package, else allow).  To prove tnc-policy keeps an IMV to
 * its own workitems it also answers its first workitem twice and a
 * workitem number past the plan.  It recommends the worst of its results
 * when tnccs solicits; without workitems it recommends no access (fail
 * closed).  Log lines ("wi: ...") tell the test what it got. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "child_subscribe.h"
#include "log.h"

#define CONNS 64
#define PRODUCT "Debian GNU/Linux 12 x86_64" /* as the OS and attestation IMVs name it */
#define DEVICE "wi-device-1"
#define SEQ_DEVICE 1
#define SEQ_PACKAGES 2

struct conn {
	uint32_t id; /* 0: free */
	bool asked, decided, solicited;
	uint16_t n;
	uint32_t item[IPC_POLICY_WORKITEMS_MAX];
	bool pckgs[IPC_POLICY_WORKITEMS_MAX];
	enum imv_recommendation rec;
};

static struct conn conns[CONNS];
static struct child *self;

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

static struct conn *
conn_find(uint32_t id)
{
	for (int i = 0; i < CONNS; i++)
		if (conns[i].id == id)
			return &conns[i];
	return NULL;
}

static void
send_to(enum tnc_role peer, uint32_t id, uint32_t seq, const struct ipc_msg *m)
{
	struct ipc_channel *ch = child_peer(self, peer);
	if (!ch || ipc_channel_send(ch, m, id, seq, 0, -1) != 0)
		LOG(IMV, 0, "wi: cannot send '%s' for Connection ID %u", ipc_type_name(m->type), id);
}

static void
recommend(struct conn *c)
{
	struct ipc_msg m = {.type = IPC_IMV_RECOMMEND};
	m.u.imv_recommend = (struct ipc_imv_recommend){c->rec,
	    c->rec == IMV_REC_ALLOW ? IMV_EVAL_COMPLIANT : IMV_EVAL_NONCOMPLIANT_MAJOR,
	    B(c->rec == IMV_REC_ISOLATE ? "blacklisted package telnetd" : ""), B("en")};
	LOG(IMV, 0, "wi: recommending '%s' for Connection ID %u", imv_recommendation_name(c->rec),
	    c->id);
	send_to(ROLE_TNCCS, c->id, 0, &m);
}

static void
result(struct conn *c, uint32_t item, enum imv_recommendation rec, const char *text)
{
	struct ipc_msg m = {.type = IPC_POLICY_WORKITEM_RESULT};
	m.u.policy_workitem_result = (struct ipc_policy_workitem_result){item, rec, B(text)};
	send_to(ROLE_POLICY, c->id, 0, &m);
}

/* Answers every workitem; blacklisted: whether telnetd's verdict was. */
static void
decide(struct conn *c, bool blacklisted)
{
	c->rec = c->n ? IMV_REC_ALLOW : IMV_REC_NO_ACCESS;
	for (unsigned i = 0; i < c->n; i++) {
		bool bad = c->pckgs[i] && blacklisted;
		result(c, c->item[i], bad ? IMV_REC_ISOLATE : IMV_REC_ALLOW,
		    bad ? "blacklisted package telnetd" : "ok");
		if (bad)
			c->rec = IMV_REC_ISOLATE;
	}
	if (c->n) {
		result(c, c->item[0], IMV_REC_ALLOW, "a second answer");
		result(c, 999, IMV_REC_ALLOW, "not planned");
	}
	c->decided = true;
	if (c->solicited)
		recommend(c);
}

static void
on_workitems(struct conn *c, const struct ipc_policy_workitems *w)
{
	bool pckgs = false;
	LOG(IMV, 0, "wi: %u workitems for Connection ID %u, status %d", w->count, c->id, w->status);
	c->n = w->status ? 0 : w->count;
	for (unsigned i = 0; i < c->n; i++) {
		char type[IPC_POLICY_TYPE_MAX + 1];
		bytes_cstr(w->item[i].type, type, sizeof(type));
		c->item[i] = w->item[i].id;
		c->pckgs[i] = !strcmp(type, "PCKGS");
		pckgs |= c->pckgs[i];
		LOG(IMV, 0, "wi: got %s workitem %u", type, w->item[i].id);
	}
	if (!pckgs) {
		decide(c, false);
		return;
	}
	struct wire_writer lw;
	wire_writer_init(&lw, IPC_FRAME_MAX_DEFAULT);
	if (ipc_policy_package_put(&lw, B("telnetd"), B("0.17-1")) != 0 ||
	    ipc_policy_package_put(&lw, B("bash"), B("5.2.15-2")) != 0)
		abort();
	for (unsigned i = 2; i < IPC_POLICY_PACKAGES_MAX; i++) { /* a full message */
		char name[32];
		snprintf(name, sizeof(name), "local-package-%u", i);
		if (ipc_policy_package_put(&lw, B(name), B("1.0-1")) != 0)
			abort();
	}
	struct ipc_msg m = {.type = IPC_POLICY_PACKAGES};
	m.u.policy_packages = (struct ipc_policy_packages){IPC_POLICY_PACKAGES_MAX,
	    {lw.buf, lw.len}};
	send_to(ROLE_POLICY, c->id, SEQ_PACKAGES, &m);
	wire_writer_clear(&lw);
}

static void
on_verdicts(struct conn *c, const struct ipc_policy_package_verdicts *v)
{
	LOG(IMV, 0, "wi: verdicts for Connection ID %u: status %d, %zu: telnetd %d bash %d", c->id,
	    v->status, v->verdicts.len, v->verdicts.len > 0 ? v->verdicts.ptr[0] : -1,
	    v->verdicts.len > 1 ? v->verdicts.ptr[1] : -1);
	decide(c, !v->status && v->verdicts.len == IPC_POLICY_PACKAGES_MAX &&
	    v->verdicts.ptr[0] == IPC_PKG_VERDICT_LAST);
}

static void
on_batch_end(struct conn *c, uint32_t id)
{
	struct ipc_msg done = {.type = IPC_IMV_BATCH_DONE};
	if (c && !c->asked) {
		struct ipc_msg m = {.type = IPC_POLICY_DEVICE};
		m.u.policy_device = (struct ipc_policy_device){B(PRODUCT), B(DEVICE)};
		c->asked = true;
		send_to(ROLE_POLICY, id, SEQ_DEVICE, &m);
	}
	send_to(ROLE_TNCCS, id, 0, &done);
}

static void
on_msg(struct child *ch, enum tnc_role peer, struct ipc_received *rx)
{
	uint32_t id = rx->hdr.session;
	struct conn *c = id ? conn_find(id) : NULL;
	uint8_t state;

	switch (rx->hdr.type) {
	case IPC_IMV_CONNECTION:
		state = rx->msg.u.imv_connection.state;
		if (state == IMV_CONN_CREATE && !c && (c = conn_find(0)))
			*c = (struct conn){.id = id};
		else if (state == IMV_CONN_DELETE && c)
			*c = (struct conn){0};
		return;
	case IPC_IMV_BATCH_END:
		on_batch_end(c, id);
		return;
	case IPC_IMV_SOLICIT:
		if (!c)
			return;
		c->solicited = true;
		if (c->decided)
			recommend(c);
		return;
	case IPC_POLICY_WORKITEMS:
		if (c)
			on_workitems(c, &rx->msg.u.policy_workitems);
		return;
	case IPC_POLICY_PACKAGE_VERDICTS:
		if (c)
			on_verdicts(c, &rx->msg.u.policy_package_verdicts);
		return;
	default:
		return;
	}
}

static void
peer_attached(struct child *c, enum tnc_role peer, struct ipc_channel *ch)
{
	const struct role_manifest *m = child_role(c);
	if (peer != ROLE_TNCCS)
		return;
	memset(conns, 0, sizeof(conns));
	struct ipc_msg s = child_imv_subscription(m);
	send_to(ROLE_TNCCS, 0, 0, &s);
	LOG(IMV, 0, "wi: subscribed as IMV %u \"%s\"", m->imv_id, m->imv_name);
}

static void
on_ready(struct child *c)
{
	self = c;
}

static const struct child_ops ops = {
	.ready = on_ready, .peer_attached = peer_attached, .on_msg = on_msg,
};

int
main(int argc, char **argv)
{
	return child_main(argc, argv, ROLE_COUNT, &ops);
}
