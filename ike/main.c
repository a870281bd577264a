/* tnc-ike: the network-facing process: PT-TLS (RFC 6876) and, with
 * `ikev2 = yes`, IKEv2 with EAP-TTLS/EAP-TNC (ikev2_server.h).  PT-TLS lives here
 * rather than in a process of its own because it is the same kind of work
 * (TLS and untrusted framing from the network, handed on as PB-TNC batches)
 * under the same sandbox profile, and one network process keeps tnccs's
 * peer set small. */
#include <string.h>

#include "acceptor.h"
#include "ikev2_kernel.h"
#include "ikev2_server.h"
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
	static struct ikev2_config ikev2;
	SSL_CTX *tls;

	ike_settings_parse(cfg, &s);
	struct tls_settings ts = {s.tls_cert, s.tls_key, s.tls_ca, s.state_dir, s.uid, s.gid};
	if (tls_context_new(&ts, &tls) != 0)
		return -1;
	if (sasl_server_init(&s) != 0)
		return -1;
	bool ike = strcmp(s.ikev2, "yes") == 0;
	if (ike && ikev2_config_build(&s, tls, &ikev2) != 0)
		return -1;
	acceptor_init(c, &s);
	pt_tls_server_init(c, &s, tls);
	tnccs_link_init(c, s.tnccs_wait_ms, s.max_connections + (ike ? s.ikev2_max_sas : 0));
	if (ike)
		ikev2_server_init(c, &ikev2);
	return 0;
}

static void
on_msg(struct child *c, enum tnc_role peer, struct ipc_received *rx)
{
	if (peer == ROLE_TNCD && rx->hdr.type == IPC_IKE_LISTENER) {
		if (!ikev2_server_listen(rx))
			acceptor_listen(rx);
	}
	else if (peer == ROLE_TNCCS)
		tnccs_link_from_tnccs(rx);
	else if (peer == ROLE_XFRM)
		ikev2_kernel_answer(rx);
	else
		LOG(IPC, 1, "'%s' is not for tnc-ike", ipc_type_name(rx->hdr.type));
}

static void
peer_attached(struct child *c, enum tnc_role peer, struct ipc_channel *ch)
{
	if (peer == ROLE_TNCCS)
		tnccs_link_attached();
	else if (peer == ROLE_XFRM)
		ikev2_kernel_attached(ch);
}

static void
peer_closed(struct child *c, enum tnc_role peer)
{
	if (peer == ROLE_TNCCS)
		tnccs_link_closed();
	else if (peer == ROLE_XFRM)
		ikev2_kernel_closed();
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
