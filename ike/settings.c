/* settings.c - CONFIG keys to struct ike_settings (see settings.h). */
#include "settings.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sasl_credentials.h"

enum unit {
	TEXT,    /* char[IKE_PATH_MAX] */
	NUMBER,  /* unsigned */
	SECONDS, /* unsigned, kept in milliseconds */
	BYTES,   /* size_t */
};

struct key {
	const char *name;
	enum unit unit;
	size_t offset;
};

#define AT(field) offsetof(struct ike_settings, field)

static const struct key keys[] = {
	{"tls_cert", TEXT, AT(tls_cert)},
	{"tls_key", TEXT, AT(tls_key)},
	{"tls_ca", TEXT, AT(tls_ca)},
	{"state_dir", TEXT, AT(state_dir)},
	{"uid", NUMBER, AT(uid)},
	{"gid", NUMBER, AT(gid)},
	{"max_batch_size", NUMBER, AT(max_batch)},
	{"max_connections", NUMBER, AT(max_connections)},
	{"max_connections_per_address", NUMBER, AT(max_per_address)},
	{"handshake_timeout", SECONDS, AT(handshake_ms)},
	{"idle_timeout", SECONDS, AT(idle_ms)},
	{"message_timeout", SECONDS, AT(message_ms)},
	{"tnccs_wait", SECONDS, AT(tnccs_wait_ms)},
	{"output_pause", BYTES, AT(out.out_pause)},
	{"max_output_queue", BYTES, AT(out.out_max)},
	{"max_receive_buffers", BYTES, AT(max_receive)},
	{"sasl", TEXT, AT(sasl)},
	{"sasl_credentials", TEXT, AT(sasl_credentials)},
	{"sasl_attempts_per_address", NUMBER, AT(sasl_per_address)},
	{"sasl_attempts", NUMBER, AT(sasl_total)},
	{"ikev2", TEXT, AT(ikev2)},
	{"ikev2_id", TEXT, AT(ikev2_id)},
	{"ikev2_gateway_auth", TEXT, AT(ikev2_gateway_auth)},
	{"eap_secrets", TEXT, AT(eap_secrets)},
	{"eap_tnc", TEXT, AT(eap_tnc)},
	{"ikev2_fragment_size", NUMBER, AT(ikev2_fragment_size)},
	{"eap_fragment_size", NUMBER, AT(eap_fragment_size)},
	{"ikev2_max_sas", NUMBER, AT(ikev2_max_sas)},
	{"ikev2_max_sas_per_address", NUMBER, AT(ikev2_max_sas_per_address)},
	{"ikev2_max_half_open", NUMBER, AT(ikev2_max_half_open)},
	{"ikev2_max_half_open_per_address", NUMBER, AT(ikev2_max_half_open_per_address)},
	{"ikev2_cookie_threshold", NUMBER, AT(ikev2_cookie_threshold)},
	{"ikev2_kernel", TEXT, AT(ikev2_kernel)},
	{"ikev2_dpd_delay", SECONDS, AT(ikev2_dpd_ms)},
	{"ikev2_auth_timeout", SECONDS, AT(ikev2_auth_ms)},
	{"ikev2_ike_lifetime", NUMBER, AT(ikev2_ike_lifetime_s)},
	{"ikev2_child_lifetime", NUMBER, AT(ikev2_child_lifetime_s)},
	{"rw_allow_ts", TEXT, AT(rw_allow_ts)},
	{"rw_allow_pool", TEXT, AT(rw_allow_pool)},
	{"rw_isolate_ts", TEXT, AT(rw_isolate_ts)},
	{"rw_isolate_pool", TEXT, AT(rw_isolate_pool)},
};

void
ike_settings_parse(const struct ipc_config *cfg, struct ike_settings *s)
{
	char key[64], value[IKE_PATH_MAX];

	*s = (struct ike_settings){
		.uid = geteuid(), .gid = getegid(),
		.max_batch = 1040000, .max_connections = 1000, .max_per_address = 100,
		.handshake_ms = 10000, .idle_ms = 60000, .message_ms = 30000,
		.tnccs_wait_ms = 10000, .out = {.out_pause = 262144, .out_max = 8388608},
		.max_receive = 268435456,
		.sasl = "none", .sasl_credentials = SASL_CREDS_DEFAULT_PATH,
		.sasl_per_address = 5, .sasl_total = 100,
		.ikev2 = "no", .ikev2_id = "tnc-gateway", .ikev2_gateway_auth = "auto",
		.eap_secrets = "/etc/tnc/eap-secrets",
		.eap_tnc = "eap-tnc", .ikev2_fragment_size = 1280, .eap_fragment_size = 4000,
		.ikev2_max_sas = 10000, .ikev2_max_sas_per_address = 100,
		.ikev2_max_half_open = 5000, .ikev2_max_half_open_per_address = 10,
		.ikev2_cookie_threshold = 100, .ikev2_kernel = "xfrm", .ikev2_dpd_ms = 30000,
		.ikev2_auth_ms = 30000, .ikev2_ike_lifetime_s = 10800, .ikev2_child_lifetime_s = 4200,
		.rw_allow_ts = "10.1.0.0/28", .rw_isolate_ts = "10.1.0.16/28",
	};
	for (unsigned i = 0; i < cfg->count; i++) {
		bytes_cstr(cfg->key[i], key, sizeof(key));
		bytes_cstr(cfg->value[i], value, sizeof(value));
		unsigned long n = strtoul(value, NULL, 10);
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			if (strcmp(key, keys[k].name) != 0)
				continue;
			char *field = (char *)s + keys[k].offset;
			if (keys[k].unit == TEXT)
				snprintf(field, IKE_PATH_MAX, "%s", value);
			else if (keys[k].unit == NUMBER)
				*(unsigned *)field = (unsigned)n;
			else if (keys[k].unit == SECONDS)
				*(unsigned *)field = (unsigned)n * 1000;
			else
				*(size_t *)field = n;
		}
	}
}
