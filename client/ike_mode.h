/* ike_mode.h - tncclient --ikev2: the seeds' flow as the road warrior
 * runs it.  IKE_SA_INIT, IKE_AUTH with EAP-TTLS (inside: EAP-Identity,
 * EAP-MD5, EAP-TNC carrying the TNCC's PB-TNC batches, pb_client.h as in
 * PT-TLS mode), the MSK-keyed AUTH, the CHILD_SA the server's TNC result
 * chose; the result printed as in PT-TLS mode with what the client knows
 * of the SA (virtual IP, traffic selectors), then an INFORMATIONAL DELETE
 * unless stay.
 */
#ifndef TNC_IKE_MODE_H
#define TNC_IKE_MODE_H

#include <stdbool.h>
#include <stdint.h>

#include "imc_attest.h"
#include "imc_swima.h"
#include "os_facts.h"

#define IKE_MODE_PORT 500
#define IKE_MODE_NATT_PORT 4500
#define IKE_MODE_FRAGMENT_SIZE 1280     /* strongSwan's charon.fragment_size */
#define IKE_MODE_EAP_FRAGMENT_SIZE 9000 /* tnc-ike's eap_fragment_size default */

struct ike_mode_options {
	const char *host;     /* the responder */
	uint16_t port, natt_port;
	const char *ca;       /* the EAP-TTLS server certificate's anchors (PEM) */
	const char *server_name; /* NULL: host */
	const char *cert, *key;  /* an EAP-TTLS client certificate, or NULL */
	const char *identity;
	const char *secret_file; /* the EAP-MD5 secret's file, or NULL */
	unsigned ike_fragment_size, eap_fragment_size;
	bool request_vip;
	bool stay; /* keep the SA until SIGINT or SIGTERM */
	bool gateway_cert; /* the server's certificate AUTH, not EAP-only (RFC 5998) */
	unsigned delay_ms; /* the TNCC's (pb_client.h) */
	bool quiet; /* no summary on stdout (bench_ikev2 runs sessions in-process) */
};

/* Splits "HOST[:PORT]" ("[v6]:PORT", a bare IPv6 address) into host
 * (NUL-terminated, in buf) and *port (left as it is without one).
 * TNC_EINVALID for an empty host, a bad port, a host over size - 1. */
int ike_mode_parse_target(const char *text, char *buf, size_t size, uint16_t *port)
    TNC_MUST_CHECK;

/* The whole run; the exit code (outcome.h's: 0 allow, 2 isolate, 3 no
 * access, 4 IKE/EAP/protocol error or timeout, 5 EAP authentication
 * failed before a TNC result, 64 a credential file unreadable).
 * round_trips (NULL: not wanted): the IKE_AUTH exchanges it took. */
int ike_mode_run(const struct ike_mode_options *o, const struct os_facts *facts,
    struct imc_attest *attest, struct imc_swima *swima, unsigned *round_trips);

#endif
