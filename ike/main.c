/* tnc-ike: the network-facing process.  For now it serves PT-TLS (RFC 6876);
 * IKEv2 with EAP-TTLS/EAP-TNC arrives with its own issue.  PT-TLS lives here
 * rather than in a process of its own because it is the same kind of work
 * (TLS and untrusted framing from the network, handed on as PB-TNC batches)
 * under the same sandbox profile, and one network process keeps tnccs's
 * peer set small. */
#include "acceptor.h"
#include "log.h"
#include "pt_tls_server.h"
#include "sasl_server.h"
#include "settings.h"
#include "tls_context.h"
#include "tnccs_link.h"

static int
pre_sandbox(struct child *c, const struct ipc_config *cfg)
{
	static struct ike_settings s;
	SSL_CTX *tls;

	ike_settings_parse(cfg, &s);
	struct tls_settings ts = {s.tls_cert, s.tls_key, s.tls_ca, s.state_dir, s.uid, s.gid};
	if (tls_context_new(&ts, &tls) != 0)
		return -1;
	if (sasl_server_init(&s) != 0)
		return -1;
	acceptor_init(c, &s);
	pt_tls_server_init(c, &s, tls);
	tnccs_link_init(c, s.tnccs_wait_ms, s.max_batch);
	return 0;
}

static void
on_msg(struct child *c, enum tnc_role peer, struct ipc_received *rx)
{
	if (peer == ROLE_TNCD && rx->hdr.type == IPC_IKE_LISTENER)
		acceptor_listen(rx);
	else if (peer == ROLE_TNCCS)
		pt_tls_server_from_tnccs(rx);
	else
		LOG(IPC, 1, "'%s' is not for tnc-ike", ipc_type_name(rx->hdr.type));
}

static void
peer_attached(struct child *c, enum tnc_role peer, struct ipc_channel *ch)
{
	if (peer == ROLE_TNCCS)
		tnccs_link_attached();
}

static void
peer_closed(struct child *c, enum tnc_role peer)
{
	if (peer == ROLE_TNCCS)
		tnccs_link_closed();
}

static void
peer_drained(struct child *c, enum tnc_role peer)
{
	if (peer == ROLE_TNCCS)
		tnccs_link_drained();
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
	return child_main(argc, argv, ROLE_IKE, &ops);
}
