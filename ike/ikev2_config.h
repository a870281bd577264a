/* ikev2_config.h - the IKEv2 responder's configuration from the [ike] keys
 * (settings.h): our transform sets, the two connections the TNC result
 * chooses between (rw-allow for group allow, rw-isolate for isolate: their
 * traffic selectors and virtual-IP pools), the EAP conversation's methods
 * and limits, and the bounds on SAs.  Built once before the sandbox. */
#ifndef TNC_IKEV2_CONFIG_H
#define TNC_IKEV2_CONFIG_H

#include <openssl/ssl.h>
#include <stdbool.h>

#include "eap_secrets.h"
#include "eap_server.h"
#include "ike_sa.h"
#include "settings.h"

enum { IKEV2_CONN_ALLOW, IKEV2_CONN_ISOLATE, IKEV2_CONN_COUNT };

struct ikev2_config {
	struct ike_sa_config sa;
	struct ike_conn_cfg conns[IKEV2_CONN_COUNT];
	struct eap_server_config eap;
	struct eap_secrets secrets;
	char id[IKE_PATH_MAX];
	uint8_t *cert_der; /* the gateway's certificate for CERT (sa.cert_der) */
	/* bounds on SAs: all, per source address (IPv6: /64), and of those the
	 * half-open ones (IKE_SA_INIT answered, IKE_AUTH not done) */
	unsigned max_sas, max_sas_per_address;
	unsigned max_half_open, max_half_open_per_address;
	unsigned cookie_threshold; /* half-open SAs above which cookies are asked for */
	bool kernel_xfrm;          /* ikev2_kernel = xfrm: CHILD_SAs go to tnc-xfrm */
};

/* Fills cfg from s; tls is tnc-ike's TLS context (EAP-TTLS's server
 * side).  0, or TNC_ECONFIG after logging which key is wrong. */
int ikev2_config_build(const struct ike_settings *s, SSL_CTX *tls, struct ikev2_config *cfg)
    TNC_MUST_CHECK;
/* Parses "a.b.c.d/len" into an inclusive host-order range. */
int ikev2_config_prefix(const char *text, uint32_t *first, uint32_t *last) TNC_MUST_CHECK;
/* The connection named name, or NULL. */
const struct ike_conn_cfg *ikev2_config_conn(const struct ikev2_config *cfg, const char *name);

#endif
