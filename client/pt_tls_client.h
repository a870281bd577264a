/* pt_tls_client.h - the client end of PT-TLS (RFC 6876) over tls_client:
 * version negotiation, the SASL phase (none, or PLAIN (RFC 4616) with the
 * credentials the caller gives) and PB-TNC batches in PT-TLS messages.  Messages are framed and validated by
 * codec/pt_tls.h; a PT-TLS Error from the server ends the connection.
 */
#ifndef TNC_PT_TLS_CLIENT_H
#define TNC_PT_TLS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "tls_client.h"
#include "wire.h"

/* The largest PT-TLS message taken from the server, header included. */
#define PT_TLS_CLIENT_MAX_MSG (4u * 1024 * 1024 + 16)

/* SASL PLAIN credentials (RFC 4616: each 1-255 octets of UTF-8). */
struct pt_tls_client_sasl {
	const char *user;
	const char *password; /* borrowed; the caller wipes it */
	size_t password_len;
};

struct pt_tls_client {
	struct tls_client *tls; /* borrowed */
	const struct pt_tls_client_sasl *sasl; /* borrowed; NULL: no credentials */
	bool auth_failed; /* negotiation failed on SASL: not offered what we can do,
	                   * no credentials for it, or refused by the server */
	uint32_t next_id;       /* Message Identifier of our next message */
	uint8_t *rx;            /* received octets not yet consumed */
	size_t rx_len, rx_cap;
	size_t consumed; /* length of the message last returned, dropped on the next read */
};

void pt_tls_client_init(struct pt_tls_client *c, struct tls_client *tls);
void pt_tls_client_clear(struct pt_tls_client *c);
/* RFC 6876 3.7-3.8: Version Request/Response, then the server's SASL
 * Mechanisms: none, or PLAIN, answered with c->sasl's credentials in the
 * Mechanism Selection (or in Authentication Data if the server asks again),
 * then the server's SASL Result.  c->auth_failed tells a SASL failure. */
int pt_tls_client_negotiate(struct pt_tls_client *c) TNC_MUST_CHECK;
int pt_tls_client_send_batch(struct pt_tls_client *c, struct bytes batch) TNC_MUST_CHECK;
/* The next PB-TNC batch from the server; *ret views the receive buffer and
 * is valid until the next call or pt_tls_client_clear(). */
int pt_tls_client_recv_batch(struct pt_tls_client *c, struct bytes *ret) TNC_MUST_CHECK;

#endif
