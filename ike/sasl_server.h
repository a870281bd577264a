/* sasl_server.h - PT-TLS SASL (RFC 6876 3.8) with the PLAIN mechanism
 * (RFC 4616) in tnc-ike.
 *
 * `sasl = plain`: the server offers PLAIN alone and a client reaches the
 * data phase only by authenticating (no anonymous fallback); the user
 * becomes the connection's AR identity.  `sasl = none`: nothing is offered.
 * The credentials file (sasl_credentials.h) is read once, before the
 * sandbox: a changed file takes effect when tnc-ike restarts (`tncctl
 * restart tnc-ike`).  Each PLAIN message costs one Argon2id verification
 * in the loop, counted by sasl_rate.h before it runs; an unknown user is
 * verified against a dummy hash of tncadm's parameters, so it costs what a
 * wrong password costs.  Passwords are never logged; user names are
 * logged with every octet outside printable ASCII escaped. */
#ifndef TNC_SASL_SERVER_H
#define TNC_SASL_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "ptconn.h"
#include "settings.h"
#include "wire.h"

enum sasl_verdict {
	SASL_SUCCESS,   /* c->sasl_user is set */
	SASL_FAILURE,   /* send SASL Result *ret_code and close */
};

/* Before the sandbox: loads the credentials when s->sasl is "plain".
 * 0, or -1 (logged). */
int sasl_server_init(const struct ike_settings *s) TNC_MUST_CHECK;
/* true when clients must authenticate (sasl = plain). */
bool sasl_server_required(void);
/* The one mechanism offered. */
struct bytes sasl_server_mechanism(void);
/* The PLAIN message plain of c at loop time now_ms: its verdict, and for a
 * failure the SASL Result code (Failure: wrong credentials, authzid not
 * the user, too many verifications; Mechanism Failure: a malformed
 * message).  Logs the outcome.  The caller wipes plain afterwards. */
enum sasl_verdict sasl_server_check(struct ptconn *c, struct bytes plain, uint64_t now_ms,
    uint16_t *ret_code);

#endif
