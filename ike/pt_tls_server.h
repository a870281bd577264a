/* pt_tls_server.h - PT-TLS (RFC 6876) server side in tnc-ike: runs TLS,
 * version negotiation and (skipped) SASL on the connections the acceptor
 * hands over, then carries PB-TNC batches between the client and
 * tnc-tnccs.  TLS, TCP and PT-TLS bytes are parsed here and nowhere else.
 *
 * Deadlines (settings.h): the data phase must be reached within
 * handshake_ms of the TCP accept; then only complete PT-TLS messages
 * count as activity (idle_ms), and a started message must arrive whole
 * within message_ms.  A connection held for tnc-tnccs has no deadline. */
#ifndef TNC_PT_TLS_SERVER_H
#define TNC_PT_TLS_SERVER_H

#include <openssl/ssl.h>
#include <sys/socket.h>

#include "child.h"
#include "settings.h"
#include "source_limit.h"

void pt_tls_server_init(struct child *c, const struct ike_settings *s, SSL_CTX *tls);
/* A new client: takes fd (closed on failure) and the source count under key. */
int pt_tls_server_accept(int fd, const struct sockaddr *peer, const struct source_key *key)
    TNC_MUST_CHECK;
unsigned pt_tls_server_count(void);

#endif
