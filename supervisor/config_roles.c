/* config_roles.c - the table of per-role configuration keys (see
 * config_roles.h); etc/tncd.conf documents each of them. */
#include "config_roles.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"

static const struct role_key keys[] = {
	/* PT-TLS (RFC 6876) listener; tncd binds it and hands it to tnc-ike. */
	{ROLE_IKE, "pt_tls_listen", KEY_ADDRESS, 0, 0, NULL, "127.0.0.1:271"},
	/* Server certificate and key (PEM); empty: an ephemeral self-signed
	 * certificate, written to <state_dir>/ike/pt-tls-cert.pem for clients. */
	{ROLE_IKE, "tls_cert", KEY_CERT_CHAIN, 0, 0, NULL, ""},
	{ROLE_IKE, "tls_key", KEY_PRIVATE_KEY, 0, 0, NULL, ""},
	/* CA (PEM) for client certificates: set, clients must present one. */
	{ROLE_IKE, "tls_ca", KEY_CA_FILE, 0, 0, NULL, ""},
	/* Largest PB-TNC batch either side may send. */
	{ROLE_IKE, "max_batch_size", KEY_UINT, 1024, 1040000, NULL, "1040000"},
	/* Concurrent PT-TLS connections; more wait in the listen queue. */
	{ROLE_IKE, "max_connections", KEY_UINT, 1, 3500, NULL, "1000"},
	/* Concurrent connections from one address (IPv6: one /64); more are closed. */
	{ROLE_IKE, "max_connections_per_address", KEY_UINT, 1, 3500, NULL, "100"},
	/* Seconds from TCP accept to the PT-TLS data phase. */
	{ROLE_IKE, "handshake_timeout", KEY_UINT, 1, 600, NULL, "10"},
	/* Seconds without a complete PT-TLS message, either way. */
	{ROLE_IKE, "idle_timeout", KEY_UINT, 1, 3600, NULL, "60"},
	/* Seconds from the first to the last byte of one PT-TLS message. */
	{ROLE_IKE, "message_timeout", KEY_UINT, 1, 3600, NULL, "30"},
	/* Bytes queued for a client above which it is not read; past
	 * max_output_queue it is dropped (the ranges keep room for one batch). */
	{ROLE_IKE, "output_pause", KEY_UINT, 16384, 1048576, NULL, "262144"},
	{ROLE_IKE, "max_output_queue", KEY_UINT, 2097152, 268435456, NULL, "8388608"},
	/* Bytes all clients' partial PT-TLS messages may hold together; a
	 * client whose message would go beyond is dropped. */
	{ROLE_IKE, "max_receive_buffers", KEY_UINT, 4194304, 805306368, NULL, "268435456"},
	/* Seconds connections wait for a restarted tnc-tnccs before they are closed. */
	{ROLE_IKE, "tnccs_wait", KEY_UINT, 1, 600, NULL, "10"},
	/* PT-TLS SASL (RFC 6876 3.8): plain, clients must authenticate with
	 * SASL PLAIN against sasl_credentials (written by tncadm sasl; read
	 * when tnc-ike starts). */
	{ROLE_IKE, "sasl", KEY_CHOICE, 0, 0, "none plain", "none"},
	{ROLE_IKE, "sasl_credentials", KEY_SASL_CREDENTIALS, 0, 0, NULL,
	    "/etc/tnc/sasl-credentials"},
	/* Password verifications per second from one address, and from all. */
	{ROLE_IKE, "sasl_attempts_per_address", KEY_UINT, 1, 1000, NULL, "5"},
	{ROLE_IKE, "sasl_attempts", KEY_UINT, 1, 1000, NULL, "100"},

	/* How the IMVs' recommendations combine (README: "Recommendation policy"). */
	{ROLE_TNCCS, "recommendation_policy", KEY_CHOICE, 0, 0, "default any all", "default"},
	{ROLE_TNCCS, "max_message_size", KEY_UINT, 1024, 1040000, NULL, "1000000"},
	/* Client batches one assessment may take before it is cut off. */
	{ROLE_TNCCS, "max_rounds", KEY_UINT, 2, 1000, NULL, "100"},
	/* Milliseconds tnccs waits for an IMV before going on without it. */
	{ROLE_TNCCS, "imv_timeout_ms", KEY_UINT, 100, 600000, NULL, "10000"},

	/* The OS IMV judges the workitems of the policy database (tnc-policy);
	 * here only: the URI named in remediation instructions, and the largest
	 * PA-TNC segment it proposes in a segmentation contract. */
	{ROLE_IMV_OS, "remediation_uri", KEY_TEXT, 0, 0, NULL, ""},
	{ROLE_IMV_OS, "max_segment_size", KEY_UINT, 512, 1000000, NULL, "65466"},

	/* The Attestation IMV: the largest PTS segment it proposes, the
	 * evidence measurements it takes per connection, and a directory of CA
	 * certificates an AIK certificate may chain to (read before the
	 * sandbox; empty: AIKs are trusted only through the database), and a
	 * directory of the IMA keys signed files are checked with (empty:
	 * signatures are not checked). */
	{ROLE_IMV_ATTEST, "max_segment_size", KEY_UINT, 512, 1000000, NULL, "65466"},
	{ROLE_IMV_ATTEST, "max_events", KEY_UINT, 1000, 10000000, NULL, "200000"},
	{ROLE_IMV_ATTEST, "aik_ca_dir", KEY_TEXT, 0, 0, NULL, ""},
	{ROLE_IMV_ATTEST, "ima_keys_dir", KEY_TEXT, 0, 0, NULL, ""},

	/* The policy database tnc-policy records sessions in: a SQLite file
	 * inside its state directory (its chroot; empty: <state_dir>/policy/tnc.db,
	 * created on first start with the schema and the default policy), or a
	 * PostgreSQL server's "postgresql://user@host:port/dbname" URI, whose
	 * password is the first line of password_file. */
	{ROLE_POLICY, "database", KEY_DATABASE, 0, 0, NULL, ""},
	{ROLE_POLICY, "password_file", KEY_DB_PASSWORD_FILE, 0, 0, NULL, ""},

	/* Every IMV: bytes one connection may hold in a segmented attribute
	 * being reassembled, and all connections of the IMV together. */
	{ROLE_IMV_OS, "reassembly_conn_max", KEY_UINT, 65536, 536870912, NULL, "4194304"},
	{ROLE_IMV_OS, "reassembly_total_max", KEY_UINT, 65536, 536870912, NULL, "134217728"},
	{ROLE_IMV_SWIMA, "reassembly_conn_max", KEY_UINT, 65536, 536870912, NULL, "4194304"},
	{ROLE_IMV_SWIMA, "reassembly_total_max", KEY_UINT, 65536, 536870912, NULL, "134217728"},
	{ROLE_IMV_ATTEST, "reassembly_conn_max", KEY_UINT, 65536, 536870912, NULL, "4194304"},
	{ROLE_IMV_ATTEST, "reassembly_total_max", KEY_UINT, 65536, 536870912, NULL, "134217728"},
};

const struct role_key *
config_role_keys(unsigned *ret_count)
{
	*ret_count = sizeof(keys) / sizeof(keys[0]);
	return keys;
}

int
config_role_key_find(enum tnc_role role, const char *key)
{
	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].role == role && strcmp(keys[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* Whether word is one of the space-separated words of list (never the
 * empty word). */
static bool
word_in(const char *word, const char *list)
{
	size_t n = strlen(word);
	while (n > 0 && *list) {
		size_t len = strcspn(list, " ");
		if (len == n && strncmp(list, word, n) == 0)
			return true;
		list += len;
		list += strspn(list, " ");
	}
	return false;
}

bool
config_database_is_server(const struct role_key *k, const char *v)
{
	const struct cap_condition *c = manifest_cap_condition(manifest_role(k->role),
	    RCAP_DB_CLIENT);
	return c && strcmp(c->key, k->key) == 0 && manifest_cap_condition_met(c, v);
}

/* Whether the URI carries a password, as "user:password@" before its host
 * or as a password= parameter: it would reach CONFIG and the logs. */
static bool
uri_has_password(const char *uri)
{
	const char *authority = strstr(uri, "://");
	authority = authority ? authority + 3 : uri;
	size_t len = strcspn(authority, "/?#");
	const char *at = memrchr(authority, '@', len);
	if (at && memchr(authority, ':', (size_t)(at - authority)))
		return true;
	const char *query = strchr(authority, '?');
	for (const char *p = query; p; p = strchr(p + 1, '&'))
		if (strncmp(p + 1, "password=", 9) == 0)
			return true;
	return false;
}

const char *
config_role_key_check(const struct role_key *k, const char *v)
{
	if (strlen(v) >= ROLE_VALUE_MAX)
		return "value too long";
	for (const char *p = v; *p; p++)
		if (!isprint((unsigned char)*p))
			return "value has a control character";
	switch (k->kind) {
	case KEY_TEXT:
		return NULL;
	case KEY_CERT_CHAIN:
	case KEY_PRIVATE_KEY:
	case KEY_CA_FILE:
		return v[0] == 0 || v[0] == '/' ? NULL : "must be an absolute path";
	case KEY_SASL_CREDENTIALS:
		return v[0] == '/' ? NULL : "must be an absolute path";
	case KEY_DATABASE:
		if (config_database_is_server(k, v))
			return uri_has_password(v) ? "the URI must not hold the password: put it in "
			    "password_file" : NULL;
		return v[0] == 0 || v[0] == '/' ? NULL : "must be an absolute path or a "
		    "postgresql:// URI";
	case KEY_DB_PASSWORD_FILE:
		return v[0] == 0 || v[0] == '/' ? NULL : "must be an absolute path";
	case KEY_UINT: {
		static char why[64]; /* tncd is single-threaded */
		char *end;
		errno = 0;
		unsigned long n = strtoul(v, &end, 10);
		if (isdigit((unsigned char)v[0]) && !*end && !errno && n >= k->min && n <= k->max)
			return NULL;
		snprintf(why, sizeof(why), "not a number from %lu to %lu", k->min, k->max);
		return why;
	}
	case KEY_CHOICE:
		return word_in(v, k->choices) ? NULL : "not one of the allowed words";
	case KEY_ADDRESS: {
		struct address a;
		return strcmp(v, "no") == 0 || address_parse(v, &a) == 0 ? NULL :
		    "must be IPv4:port, [IPv6]:port or no";
	}
	}
	return "unknown kind";
}
