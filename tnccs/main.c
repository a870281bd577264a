/* tnc-tnccs: the TNCCS-2.0 server process (see tnccs.h). */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "session.h"

struct tnccs tnccs;

/* The PB-PDP-Referral's identifier for server and port (tncd checked
 * both; a value it let through that the codec refuses stops the child). */
static int
pdp_referral(const char *server, uint16_t port)
{
	struct engine_config *c = &tnccs.env.cfg;
	int len = pb_pdp_build(server, port, c->pdp_id, sizeof(c->pdp_id), &c->pdp_type);
	if (len < 0) {
		LOG_ERR(CFG, "pdp_server '%s' (port %u) is no PDP identifier", server, port);
		return TNC_ECONFIG;
	}
	c->pdp_len = (size_t)len;
	LOG(TNC, 1, "clients over EAP are referred to the PDP %s, port %u", server, port);
	return 0;
}

static int
pre_sandbox(struct child *c, const struct ipc_config *cfg)
{
	char key[64], value[1024], peers[1024] = "", pdp_server[PB_PDP_NAME_MAX + 1] = "";
	uint16_t pdp_port = 271;

	tnccs.child = c;
	tnccs.loop = child_loop(c);
	tnccs.env.cfg = (struct engine_config){.policy = REC_POLICY_DEFAULT, .max_msg = 1000000,
	    .max_rounds = 100, .imv_timeout_ms = 10000};
	ike_out_init(&tnccs.ike);
	for (unsigned i = 0; i < cfg->count; i++) {
		bytes_cstr(cfg->key[i], key, sizeof(key));
		bytes_cstr(cfg->value[i], value, sizeof(value));
		if (!strcmp(key, "recommendation_policy") && rec_policy_parse(value) >= 0)
			tnccs.env.cfg.policy = (enum rec_policy)rec_policy_parse(value);
		else if (!strcmp(key, "max_message_size"))
			tnccs.env.cfg.max_msg = (uint32_t)strtoul(value, NULL, 10);
		else if (!strcmp(key, "max_rounds"))
			tnccs.env.cfg.max_rounds = (unsigned)strtoul(value, NULL, 10);
		else if (!strcmp(key, "imv_timeout_ms"))
			tnccs.env.cfg.imv_timeout_ms = (unsigned)strtoul(value, NULL, 10);
		else if (!strcmp(key, "peers"))
			snprintf(peers, sizeof(peers), "%s", value);
		else if (!strcmp(key, "pdp_server"))
			snprintf(pdp_server, sizeof(pdp_server), "%.*s", PB_PDP_NAME_MAX, value);
		else if (!strcmp(key, "pdp_port"))
			pdp_port = (uint16_t)strtoul(value, NULL, 10);
	}
	if (pdp_server[0] && pdp_referral(pdp_server, pdp_port) != 0)
		return TNC_ECONFIG;
	imvs_init(peers);
	tnccs.env.record = peers_name(peers, manifest_role(ROLE_POLICY)->name);
	LOG(TNC, 1, "TNC recommendation policy is '%s'", rec_policy_name(tnccs.env.cfg.policy));
	if (!tnccs.env.record)
		LOG(TNC, 1, "tnc-policy is not enabled: sessions are not recorded");
	return 0;
}

static void
peer_attached(struct child *c, enum tnc_role peer, struct ipc_channel *ch)
{
	int imv = imvs_index(peer);
	if (peer == ROLE_IKE) {
		/* a new tnc-ike knows none of the old connections */
		sessions_drop_all("tnc-ike restarted");
	} else if (peer == ROLE_POLICY) {
		tnccs.env.policy_available = true;
		sessions_policy_back();
	} else if (imv >= 0) {
		imvs_attached((unsigned)imv, ch);
	}
}

static void
on_ike_msg(struct ipc_received *rx)
{
	uint32_t id = rx->hdr.session;
	switch (rx->hdr.type) {
	case IPC_TNCCS_OPEN:
		session_open(id, &rx->msg.u.tnccs_open);
		return;
	case IPC_TNCCS_BATCH:
		session_batch(id, rx->msg.u.tnccs_batch.batch);
		return;
	case IPC_TNCCS_CLOSE:
		session_client_left(id, &rx->msg.u.tnccs_close);
		return;
	default:
		LOG(IPC, 1, "'%s' from tnc-ike is not for tnc-tnccs", ipc_type_name(rx->hdr.type));
	}
}

static void
on_msg(struct child *c, enum tnc_role peer, struct ipc_received *rx)
{
	int imv = imvs_index(peer);
	if (peer == ROLE_IKE)
		on_ike_msg(rx);
	else if (peer == ROLE_POLICY && rx->hdr.type == IPC_POLICY_RECORDED)
		session_policy_recorded(rx);
	else if (imv >= 0)
		imvs_msg((unsigned)imv, rx);
	else
		LOG(IPC, 1, "'%s' from %s is not for tnc-tnccs", ipc_type_name(rx->hdr.type),
		    manifest_role(peer)->name);
}

static void
peer_closed(struct child *c, enum tnc_role peer)
{
	int imv = imvs_index(peer);
	if (peer == ROLE_IKE) {
		sessions_drop_all("tnc-ike is gone");
	} else if (peer == ROLE_POLICY) {
		tnccs.env.policy_available = false;
		sessions_policy_lost("is gone");
	} else if (imv >= 0) {
		imvs_detached((unsigned)imv);
	}
}

static void
peer_drained(struct child *c, enum tnc_role peer)
{
	if (peer == ROLE_IKE)
		ike_out_flush(&tnccs.ike, child_peer(c, ROLE_IKE));
}

static const struct child_ops ops = {
	.pre_sandbox = pre_sandbox,
	.peer_attached = peer_attached,
	.peer_closed = peer_closed,
	.peer_drained = peer_drained,
	.on_msg = on_msg,
};

int
main(int argc, char **argv)
{
	id_table_init(&tnccs.sessions, TNCCS_SESSIONS_MAX);
	return child_main(argc, argv, ROLE_TNCCS, &ops);
}
