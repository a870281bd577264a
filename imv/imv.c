/* imv.c - the IMV side of IF-IMV over IPC (see imv.h). */
#include "imv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child_subscribe.h"
#include "id_table.h"
#include "imv_budget.h"
#include "log.h"

#define CONNS_MAX 4096 /* connections an IMV tracks at once */

struct imv_conn {
	struct id_table_entry entry; /* first: the table's entries are conns */
	void *state;
	unsigned handshakes; /* HANDSHAKE notifications so far */
	bool recommended;
	bool held; /* the batch end awaits imv_batch_done() */
	uint32_t max_msg;
	char identity[256], peer[64], language[32];
};

static struct imv {
	struct child *child;
	const struct role_manifest *m;
	const struct imv_ops *ops;
	struct id_table conns; /* by Connection ID */
} imv;

static struct ipc_channel *
tnccs(void)
{
	return child_peer(imv.child, ROLE_TNCCS);
}

static int
send_to_tnccs(const struct imv_conn *c, const struct ipc_msg *m)
{
	struct ipc_channel *ch = tnccs();
	if (!ch)
		return TNC_ECLOSED;
	uint32_t id = c ? c->entry.id : 0;
	int err = ipc_channel_send(ch, m, id, 0, 0, -1);
	if (err)
		LOG(IMV, 1, "IMV %u cannot send '%s' for Connection ID %u: %s", imv.m->imv_id,
		    ipc_type_name(m->type), id, tnc_strerror(err));
	return err;
}

static struct imv_conn *
find(uint32_t id)
{
	return (struct imv_conn *)id_table_find(&imv.conns, id);
}

/* Frees c, already out of the table, and its IMV state. */
static void
conn_free(struct imv_conn *c)
{
	if (imv.ops->conn_free)
		imv.ops->conn_free(c->state);
	free(c);
}

/* The connection's transport and AR identities, as strongSwan's IMVs log
 * them: the user's (authenticated as tnc-ike says) and the machine's (its
 * address, which nothing authenticates). */
static void
log_identities(const struct imv_conn *c, const struct ipc_imv_connection *m)
{
	static const char *const auth[] = {"unknown method", "password", "certificate"};
	char transport[64], addr[64];

	bytes_cstr(m->transport, transport, sizeof(transport));
	LOG(IMV, 2, "  over %s with maximum PA-TNC message size of %u bytes", transport,
	    c->max_msg);
	if (c->identity[0])
		LOG(IMV, 2, "  user AR identity '%s' of type %s authenticated by %s", c->identity,
		    strchr(c->identity, '=') ? "X.500 DN" : "username", auth[m->id_auth]);
	/* "192.0.2.1:4500" or "[2001:db8::1]:4500" without the port */
	const bool v6 = c->peer[0] == '[';
	snprintf(addr, sizeof(addr), "%s", c->peer + v6);
	char *end = v6 ? strchr(addr, ']') : strrchr(addr, ':');
	if (end)
		*end = 0;
	LOG(IMV, 2, "  machine AR identity '%s' of type %s address authenticated by unknown "
	    "method", addr, v6 ? "IPv6" : "IPv4");
}

static void
on_connection(uint32_t id, const struct ipc_imv_connection *m)
{
	struct imv_conn *c = find(id);

	if (m->state == IMV_CONN_CREATE) {
		if (c || imv.conns.count >= CONNS_MAX) {
			LOG(IMV, 1, "IMV %u \"%s\" refuses Connection ID %u: %s", imv.m->imv_id,
			    imv.m->imv_name, id, c ? "already exists" : "too many connections");
			return;
		}
		c = calloc(1, sizeof(*c));
		if (!c)
			abort();
		c->entry.id = id;
		c->max_msg = m->max_msg;
		bytes_cstr(m->identity, c->identity, sizeof(c->identity));
		bytes_cstr(m->peer, c->peer, sizeof(c->peer));
		bytes_cstr(m->language, c->language, sizeof(c->language));
		id_table_add(&imv.conns, &c->entry);
		c->state = imv.ops->conn_new ? imv.ops->conn_new(c) : NULL;
		LOG(IMV, 2, "IMV %u \"%s\" created a state for Connection ID %u", imv.m->imv_id,
		    imv.m->imv_name, id);
		log_identities(c, m);
		return;
	}
	if (!c) {
		LOG(IMV, 1, "IMV %u: state change for unknown Connection ID %u", imv.m->imv_id, id);
		return;
	}
	if (m->state == IMV_CONN_DELETE) {
		id_table_remove(&imv.conns, &c->entry);
		conn_free(c);
		LOG(IMV, 2, "IMV %u \"%s\" deleted the state of Connection ID %u (%zu left, %zu bytes "
		    "reserved for reassembly)", imv.m->imv_id, imv.m->imv_name, id, imv.conns.count,
		    imv_budget_used());
		return;
	}
	if (m->state == IMV_CONN_HANDSHAKE && c->handshakes++ > 0) {
		/* A retry (SRETRY, CRETRY): the IMV starts over and owes a new
		 * recommendation (see imv_ops.conn_restart). */
		LOG(IMV, 1, "IMV %u \"%s\" restarts the assessment of Connection ID %u", imv.m->imv_id,
		    imv.m->imv_name, id);
		if (c->state)
			imv.ops->conn_restart(c->state);
		c->recommended = false;
	}
	if (m->language.len)
		bytes_cstr(m->language, c->language, sizeof(c->language));
	LOG(IMV, 2, "IMV %u \"%s\" changed state of Connection ID %u to '%s'", imv.m->imv_id,
	    imv.m->imv_name, id, imv_conn_state_name(m->state));
}

static void
on_receive(struct imv_conn *c, const struct ipc_pa_msg *m)
{
	struct imv_pa pa = {
		.vendor = m->vendor, .subtype = m->subtype, .imc_id = m->imc_id,
		.excl = m->flags & PA_FLAG_EXCL, .msg = m->msg.ptr, .len = m->msg.len,
	};
	LOG(IMV, 2, "IMV %u \"%s\" received message for Connection ID %u from IMC %u%s",
	    imv.m->imv_id, imv.m->imv_name, c->entry.id, m->imc_id,
	    m->imv_id == imv.m->imv_id ? " to this IMV" : "");
	if (imv.ops->receive)
		imv.ops->receive(c, &pa);
}

static void
on_solicit(struct imv_conn *c)
{
	if (imv.ops->solicit)
		imv.ops->solicit(c);
	if (!c->recommended && imv_recommend(c, IMV_REC_NONE, IMV_EVAL_DONT_KNOW,
	    "no recommendation") != 0)
		LOG(IMV, 1, "IMV %u cannot answer the solicitation of Connection ID %u", imv.m->imv_id,
		    c->entry.id);
}

/* Answers of tnc-policy go to the connection they were asked for; one
 * whose connection is gone is dropped. */
static void
on_policy_msg(struct ipc_received *rx)
{
	struct imv_conn *c = find(rx->hdr.session);
	if (!c) {
		LOG(IMV, 2, "IMV %u: '%s' for Connection ID %u, which is gone", imv.m->imv_id,
		    ipc_type_name(rx->hdr.type), rx->hdr.session);
		return;
	}
	if (imv.ops->policy_reply)
		imv.ops->policy_reply(c, rx);
}

static void
on_msg(struct child *ch, enum tnc_role peer, struct ipc_received *rx)
{
	uint32_t id = rx->hdr.session;
	struct ipc_msg done = {.type = IPC_IMV_BATCH_DONE};

	if (peer == ROLE_POLICY) {
		on_policy_msg(rx);
		return;
	}
	if (peer != ROLE_TNCCS) {
		LOG(IPC, 1, "unexpected '%s' from %s", ipc_type_name(rx->hdr.type),
		    manifest_role(peer)->name);
		return;
	}
	if (rx->hdr.type == IPC_IMV_CONNECTION) {
		on_connection(id, &rx->msg.u.imv_connection);
		return;
	}
	struct imv_conn *c = find(id);
	if (!c) {
		LOG(IMV, 1, "IMV %u: '%s' for unknown Connection ID %u", imv.m->imv_id,
		    ipc_type_name(rx->hdr.type), id);
		if (rx->hdr.type == IPC_IMV_BATCH_END) /* tnccs waits for it */
			(void)send_to_tnccs(&(struct imv_conn){.entry = {.id = id}}, &done);
		return;
	}
	switch (rx->hdr.type) {
	case IPC_IMV_RECEIVE:
		on_receive(c, &rx->msg.u.pa_msg);
		break;
	case IPC_IMV_BATCH_END:
		c->held = false;
		if (imv.ops->batch_ending)
			imv.ops->batch_ending(c);
		if (!c->held)
			(void)send_to_tnccs(c, &done);
		break;
	case IPC_IMV_SOLICIT:
		on_solicit(c);
		break;
	default:
		LOG(IPC, 1, "IMV %u: unexpected '%s' from tnccs", imv.m->imv_id, ipc_type_name(rx->hdr.type));
	}
}

/* Connections of a tnccs that is gone: no DELETE will come for them. */
static void
drop_all_connections(const char *why)
{
	size_t n = imv.conns.count;

	for (struct id_table_entry *e = id_table_next(&imv.conns, NULL), *next; e; e = next) {
		next = id_table_next(&imv.conns, e);
		id_table_remove(&imv.conns, e);
		conn_free((struct imv_conn *)e);
	}
	if (n)
		LOG(IMV, 1, "IMV %u \"%s\" deleted the state of %zu connection%s, %zu bytes "
		    "reserved for reassembly: %s", imv.m->imv_id, imv.m->imv_name, n,
		    n == 1 ? "" : "s", imv_budget_used(), why);
}

/* Calls fn for every connection; fn must not add or remove any. */
static void
each_conn(void (*fn)(struct imv_conn *c))
{
	for (struct id_table_entry *e = id_table_next(&imv.conns, NULL); e;
	    e = id_table_next(&imv.conns, e))
		fn((struct imv_conn *)e);
}

static void
on_peer_drained(struct child *ch, enum tnc_role peer)
{
	(void)ch;
	if (peer == ROLE_POLICY && imv.ops->policy_drained)
		each_conn(imv.ops->policy_drained);
}

static void
on_peer_closed(struct child *ch, enum tnc_role peer)
{
	(void)ch;
	if (peer == ROLE_TNCCS)
		drop_all_connections("the channel to tnccs closed");
	else if (peer == ROLE_POLICY && imv.ops->policy_lost) /* none will be answered */
		each_conn(imv.ops->policy_lost);
}

static void
on_peer_attached(struct child *ch, enum tnc_role peer, struct ipc_channel *channel)
{
	if (peer != ROLE_TNCCS)
		return;
	drop_all_connections("a new tnccs knows none of them");
	struct ipc_msg m = child_imv_subscription(imv.m);
	if (send_to_tnccs(NULL, &m) == 0)
		LOG(IMV, 1, "IMV %u \"%s\" subscribed to %u PA message type%s", imv.m->imv_id,
		    imv.m->imv_name, imv.m->nsubs, imv.m->nsubs == 1 ? "" : "s");
}

/* The keys every IMV takes (the reassembly budget), then the IMV's own. */
static int
pre_sandbox(struct child *ch, const struct ipc_config *cfg)
{
	char key[64], value[64];

	imv.child = ch; /* the first callback: peers attach only after READY */
	for (unsigned i = 0; i < cfg->count; i++) {
		bytes_cstr(cfg->key[i], key, sizeof(key));
		bytes_cstr(cfg->value[i], value, sizeof(value));
		const char *err = imv_budget_set(key, value);
		if (err && err[0]) {
			LOG_ERR(CFG, "[%s] %s: %s", imv.m->section, key, err);
			return -1;
		}
	}
	LOG(IMV, 1, "IMV %u \"%s\" reassembles segmented attributes of up to %zu bytes per "
	    "connection, %zu bytes in all", imv.m->imv_id, imv.m->imv_name, imv_budget_conn_max(),
	    imv_budget_total_max());
	return imv.ops->pre_sandbox ? imv.ops->pre_sandbox(cfg) : 0;
}

int
imv_main(int argc, char **argv, enum tnc_role role, const struct imv_ops *ops)
{
	static const struct child_ops child_ops = {
		.pre_sandbox = pre_sandbox,
		.peer_attached = on_peer_attached,
		.peer_closed = on_peer_closed,
		.peer_drained = on_peer_drained,
		.on_msg = on_msg,
	};
	imv.ops = ops;
	imv.m = manifest_role(role);
	if (!imv.m || imv.m->kind != KIND_IMV)
		return 2;
	id_table_init(&imv.conns, CONNS_MAX);
	int rc = child_main(argc, argv, role, &child_ops);
	drop_all_connections("the IMV stops");
	id_table_clear(&imv.conns);
	return rc;
}

int
imv_send(struct imv_conn *c, uint32_t vendor, uint32_t subtype, uint16_t imc_id, bool excl,
    const uint8_t *msg, size_t len)
{
	struct ipc_msg m = {.type = IPC_IMV_SEND};
	m.u.pa_msg = (struct ipc_pa_msg){
		.flags = excl ? PA_FLAG_EXCL : 0, .vendor = vendor, .subtype = subtype,
		.imc_id = imc_id, .imv_id = imv.m->imv_id, .msg = {msg, len},
	};
	if (len > c->max_msg)
		return TNC_ETOOLONG;
	return send_to_tnccs(c, &m);
}

int
imv_recommend(struct imv_conn *c, enum imv_recommendation rec, enum imv_evaluation eval,
    const char *reason)
{
	struct ipc_msg m = {.type = IPC_IMV_RECOMMEND};
	m.u.imv_recommend = (struct ipc_imv_recommend){
		.recommendation = (uint8_t)rec, .evaluation = (uint8_t)eval,
		.reason = {(const uint8_t *)reason, strlen(reason)},
		.language = {(const uint8_t *)"en", 2},
	};
	int err = send_to_tnccs(c, &m);
	if (err == 0)
		c->recommended = true;
	return err;
}

void
imv_batch_hold(struct imv_conn *c)
{
	c->held = true;
}

int
imv_batch_done(struct imv_conn *c)
{
	struct ipc_msg done = {.type = IPC_IMV_BATCH_DONE};
	if (!c->held)
		return 0;
	c->held = false;
	return send_to_tnccs(c, &done);
}

void
imv_deliver(struct imv_conn *c, uint32_t vendor, uint32_t subtype, const struct imv_out *out)
{
	unsigned id = imv.m->imv_id;
	if (out->send &&
	    imv_send(c, vendor, subtype, out->imc_id, out->excl, out->msg.ptr, out->msg.len) != 0)
		LOG_ERR(IMV, "IMV %u cannot send its %zu-byte PA message for Connection ID %u", id,
		    out->msg.len, c->entry.id);
	if (out->recommend && imv_recommend(c, out->rec, out->eval, out->reason) != 0)
		LOG_ERR(IMV, "IMV %u cannot give its recommendation for Connection ID %u", id,
		    c->entry.id);
	if (out->hold)
		imv_batch_hold(c);
	else if (out->done && imv_batch_done(c) != 0)
		LOG(IMV, 1, "IMV %u cannot end the batch of Connection ID %u", id, c->entry.id);
}

int
imv_policy_request(struct imv_conn *c, const struct ipc_msg *m, uint32_t seq)
{
	struct ipc_channel *ch = child_peer(imv.child, ROLE_POLICY);
	return ch ? ipc_channel_send(ch, m, c->entry.id, seq, 0, -1) : TNC_ECLOSED;
}

int
imv_policy_send(struct imv_conn *c, const struct ipc_msg *m)
{
	return imv_policy_request(c, m, 0);
}

int
imv_request_retry(struct imv_conn *c)
{
	struct ipc_msg m = {.type = IPC_IMV_RETRY};
	return send_to_tnccs(c, &m);
}

uint32_t imv_conn_id(const struct imv_conn *c) { return c->entry.id; }
void *imv_conn_state(const struct imv_conn *c) { return c->state; }
bool imv_conn_recommended(const struct imv_conn *c) { return c->recommended; }
uint32_t imv_conn_max_msg(const struct imv_conn *c) { return c->max_msg; }
const char *imv_conn_identity(const struct imv_conn *c) { return c->identity; }
const char *imv_conn_peer(const struct imv_conn *c) { return c->peer; }
const char *imv_conn_language(const struct imv_conn *c) { return c->language; }
const struct role_manifest *imv_manifest(void) { return imv.m; }
