/* pt_tls_server.h - PT-TLS (RFC 6876) server side in tnc-ike: accepts on
 * the listening socket tncd hands over, runs TLS, version negotiation and
 * (skipped) SASL, then carries PB-TNC batches between the client and
 * tnc-tnccs.  TLS, TCP and PT-TLS bytes are parsed here and nowhere else. */
#ifndef TNC_PT_TLS_SERVER_H
#define TNC_PT_TLS_SERVER_H

#include <openssl/ssl.h>
#include <uv.h>

#include "child.h"

struct pt_tls_settings {
	SSL_CTX *tls;
	uint32_t max_batch;       /* largest PB-TNC batch either way */
	unsigned max_connections;
	unsigned idle_timeout_ms;
};

void pt_tls_server_init(struct child *c, const struct pt_tls_settings *s);
/* Takes the listening socket of an IKE_LISTENER frame. */
void pt_tls_server_listen(struct ipc_received *rx);
/* A TNCCS_BATCH, TNCCS_CLOSE or TNCCS_RESULT from tnc-tnccs. */
void pt_tls_server_from_tnccs(struct ipc_received *rx);
/* tnc-tnccs is gone: its connections cannot go on. */
void pt_tls_server_drop_all(const char *why);

#endif
