/* tnc-tnccs: the TNCCS-2.0 server process (see tnccs.h). */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "session.h"

struct tnccs tnccs;

static int
pre_sandbox(struct child *c, const struct ipc_config *cfg)
{
	char key[64], value[1024];

	tnccs.child = c;
	tnccs.loop = child_loop(c);
	tnccs.cfg = (struct tnccs_config){REC_POLICY_DEFAULT, 1000000, 100, 10000};
	for (unsigned i = 0; i < cfg->count; i++) {
		bytes_cstr(cfg->key[i], key, sizeof(key));
		bytes_cstr(cfg->value[i], value, sizeof(value));
		if (!strcmp(key, "recommendation_policy") && rec_policy_parse(value) >= 0)
			tnccs.cfg.policy = (enum rec_policy)rec_policy_parse(value);
		else if (!strcmp(key, "max_message_size"))
			tnccs.cfg.max_msg = (uint32_t)strtoul(value, NULL, 10);
		else if (!strcmp(key, "max_rounds"))
			tnccs.cfg.max_rounds = (unsigned)strtoul(value, NULL, 10);
		else if (!strcmp(key, "imv_timeout_ms"))
			tnccs.cfg.imv_timeout_ms = (unsigned)strtoul(value, NULL, 10);
		else if (!strcmp(key, "peers"))
			for (int r = ROLE_IMV_OS; r <= ROLE_IMV_ATTEST; r++)
				imvs_by_role(r)->expected = strstr(value, manifest_role(r)->name) != NULL;
	}
	imvs_init();
	LOG(TNC, 1, "TNC recommendation policy is '%s'", rec_policy_name(tnccs.cfg.policy));
	return 0;
}

static void
peer_attached(struct child *c, enum tnc_role peer, struct ipc_channel *ch)
{
	if (peer == ROLE_IKE) {
		/* a new tnc-ike knows none of the old connections */
		session_drop_all("tnc-ike restarted");
		return;
	}
	imvs_attached(peer, ch);
}

static void
on_msg(struct child *c, enum tnc_role peer, struct ipc_received *rx)
{
	uint32_t id = rx->hdr.session;

	if (peer == ROLE_IKE) {
		switch (rx->hdr.type) {
		case IPC_TNCCS_OPEN:
			session_open(id, &rx->msg.u.tnccs_open);
			return;
		case IPC_TNCCS_BATCH:
			session_batch(id, rx->msg.u.tnccs_batch.batch);
			return;
		case IPC_TNCCS_CLOSE:
			session_peer_closed(id, &rx->msg.u.tnccs_close);
			return;
		}
	} else if (imvs_by_role(peer)) {
		if (rx->hdr.type == IPC_IMV_SUBSCRIBE) {
			imvs_subscribe(peer, &rx->msg.u.imv_subscribe);
			return;
		}
		session_imv_msg(imvs_by_role(peer), id, rx);
		return;
	}
	LOG(IPC, 1, "'%s' from %s is not for tnc-tnccs", ipc_type_name(rx->hdr.type),
	    manifest_role(peer)->name);
}

static void
peer_closed(struct child *c, enum tnc_role peer)
{
	if (peer == ROLE_IKE)
		session_drop_all("tnc-ike is gone");
	else
		imvs_detached(peer);
}

static const struct child_ops ops = {
	.pre_sandbox = pre_sandbox,
	.peer_attached = peer_attached,
	.peer_closed = peer_closed,
	.on_msg = on_msg,
};

int
main(int argc, char **argv)
{
	return child_main(argc, argv, ROLE_TNCCS, &ops);
}
