/* tnc-ike: the network-facing process.  For now it serves PT-TLS (RFC 6876);
 * IKEv2 with EAP-TTLS/EAP-TNC arrives with its own issue.  PT-TLS lives here
 * rather than in a process of its own because it is the same kind of work
 * (TLS and untrusted framing from the network, handed on as PB-TNC batches)
 * under the same sandbox profile, and one network process keeps tnccs's
 * peer set small. */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pt_tls_server.h"
#include "tls_context.h"

static int
pre_sandbox(struct child *c, const struct ipc_config *cfg)
{
	char key[64], value[1024];
	static char cert[1024], tkey[1024], ca[1024], state_dir[1024];
	struct pt_tls_settings s = {.max_batch = 1040000, .max_connections = 1000,
	    .idle_timeout_ms = 60000};

	for (unsigned i = 0; i < cfg->count; i++) {
		bytes_cstr(cfg->key[i], key, sizeof(key));
		bytes_cstr(cfg->value[i], value, sizeof(value));
		if (!strcmp(key, "tls_cert"))
			snprintf(cert, sizeof(cert), "%s", value);
		else if (!strcmp(key, "tls_key"))
			snprintf(tkey, sizeof(tkey), "%s", value);
		else if (!strcmp(key, "tls_ca"))
			snprintf(ca, sizeof(ca), "%s", value);
		else if (!strcmp(key, "state_dir"))
			snprintf(state_dir, sizeof(state_dir), "%s", value);
		else if (!strcmp(key, "max_batch_size"))
			s.max_batch = (uint32_t)strtoul(value, NULL, 10);
		else if (!strcmp(key, "max_connections"))
			s.max_connections = (unsigned)strtoul(value, NULL, 10);
		else if (!strcmp(key, "idle_timeout"))
			s.idle_timeout_ms = (unsigned)strtoul(value, NULL, 10) * 1000;
	}
	struct tls_settings ts = {cert, tkey, ca, state_dir};
	if (tls_context_new(&ts, &s.tls) != 0)
		return -1;
	pt_tls_server_init(c, &s);
	return 0;
}

static void
on_msg(struct child *c, enum tnc_role peer, struct ipc_received *rx)
{
	if (peer == ROLE_TNCD && rx->hdr.type == IPC_IKE_LISTENER)
		pt_tls_server_listen(rx);
	else if (peer == ROLE_TNCCS)
		pt_tls_server_from_tnccs(rx);
	else
		LOG(IPC, 1, "'%s' is not for tnc-ike", ipc_type_name(rx->hdr.type));
}

static void
peer_closed(struct child *c, enum tnc_role peer)
{
	if (peer == ROLE_TNCCS)
		pt_tls_server_drop_all("tnc-tnccs is gone");
}

static const struct child_ops ops = {
	.pre_sandbox = pre_sandbox,
	.peer_closed = peer_closed,
	.on_msg = on_msg,
};

int
main(int argc, char **argv)
{
	return child_main(argc, argv, ROLE_IKE, &ops);
}
