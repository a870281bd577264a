/* settings.h - tnc-ike's [ike] keys as tncd hands them over in CONFIG
 * (tncd validated each against its row in supervisor/config_roles.c). */
#ifndef TNC_IKE_SETTINGS_H
#define TNC_IKE_SETTINGS_H

#include <stdint.h>

#include "ipc_msg.h"
#include "tls_conn.h"

#define IKE_PATH_MAX 1024

struct ike_settings {
	char tls_cert[IKE_PATH_MAX], tls_key[IKE_PATH_MAX], tls_ca[IKE_PATH_MAX];
	char state_dir[IKE_PATH_MAX];
	unsigned uid, gid;           /* tnc-ike's own, for the files it writes */
	unsigned max_batch;          /* largest PB-TNC batch either way */
	unsigned max_connections;    /* at once */
	unsigned max_per_address;    /* at once from one source address (IPv6: /64) */
	unsigned handshake_ms;       /* TCP accept to PT-TLS data phase */
	unsigned idle_ms;            /* without a complete PT-TLS message either way */
	unsigned message_ms;         /* first to last byte of one PT-TLS message */
	unsigned tnccs_wait_ms;      /* connections wait this long for a new tnc-tnccs */
	struct tls_conn_limits out;  /* queued output per client */
	size_t max_receive;          /* all clients' partial PT-TLS messages together */
	char sasl[IKE_PATH_MAX];     /* "none" or "plain" (sasl_server.h) */
	char sasl_credentials[IKE_PATH_MAX];
	unsigned sasl_per_address;   /* password verifications per second from one address */
	unsigned sasl_total;         /* ... and from all addresses together */
	/* IKEv2 (ikev2_config.h) */
	char ikev2[IKE_PATH_MAX];    /* "yes" or "no" */
	char ikev2_id[IKE_PATH_MAX]; /* our IDr (FQDN) */
	char ikev2_gateway_auth[IKE_PATH_MAX]; /* "auto" or "pubkey" */
	char eap_secrets[IKE_PATH_MAX];
	char eap_tnc[IKE_PATH_MAX];  /* "eap-tnc", "pt-eap" or "no" */
	unsigned ikev2_fragment_size, eap_fragment_size;
	unsigned ikev2_max_sas, ikev2_max_sas_per_address;
	unsigned ikev2_max_half_open, ikev2_max_half_open_per_address, ikev2_cookie_threshold;
	char ikev2_kernel[IKE_PATH_MAX]; /* "xfrm" or "none" (ikev2_kernel.h) */
	unsigned ikev2_dpd_ms;       /* idle time before a liveness check; 0: none */
	unsigned ikev2_auth_ms;      /* IKE_SA_INIT to IKE_AUTH done, EAP and TNC included */
	unsigned ikev2_ike_lifetime_s;   /* N(AUTH_LIFETIME); the IKE SA is deleted after it */
	unsigned ikev2_child_lifetime_s; /* a CHILD_SA the peer did not rekey within it ends */
	char rw_allow_ts[IKE_PATH_MAX], rw_allow_pool[IKE_PATH_MAX];
	char rw_isolate_ts[IKE_PATH_MAX], rw_isolate_pool[IKE_PATH_MAX];
};

/* The built-in defaults (etc/tncd.conf), then the keys of cfg. */
void ike_settings_parse(const struct ipc_config *cfg, struct ike_settings *s);

#endif
