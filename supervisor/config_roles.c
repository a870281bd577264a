/* config_roles.c - the table of per-role configuration keys (see
 * config_roles.h); etc/tncd.conf documents each of them. */
#include "config_roles.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "pb_pdp.h"

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
	/* IKEv2 (issue 13): yes also starts tnc-xfrm, which installs its IPsec SAs. */
	{ROLE_IKE, "ikev2", KEY_CHOICE, 0, 0, "yes no", "no"},
	/* The UDP ports tncd binds on all IPv4 addresses for IKEv2 and NAT-T. */
	{ROLE_IKE, "ikev2_port", KEY_UINT, 1, 65535, NULL, "500"},
	{ROLE_IKE, "ikev2_natt_port", KEY_UINT, 1, 65535, NULL, "4500"},
	/* The gateway's IKE identity (IDr, an FQDN). */
	{ROLE_IKE, "ikev2_id", KEY_TEXT, 0, 0, NULL, "tnc-gateway"},
	/* EAP-MD5 secrets (IDENTITY : "SECRET" lines, mode 0600), read when
	 * tnc-ike starts, checked when ikev2 is yes. */
	{ROLE_IKE, "eap_secrets", KEY_EAP_SECRETS, 0, 0, NULL, "/etc/tnc/eap-secrets"},
	/* The TNC method inside EAP-TTLS: EAP-TNC, PT-EAP (RFC 7171) or none. */
	{ROLE_IKE, "eap_tnc", KEY_CHOICE, 0, 0, "eap-tnc pt-eap no", "eap-tnc"},
	/* Octets above which an IKE message goes in fragments (RFC 7383), and
	 * PB-TNC octets per EAP-TNC packet (its IKE message stays under the
	 * 10000 octets strongSwan takes). */
	{ROLE_IKE, "ikev2_fragment_size", KEY_UINT, 576, 65000, NULL, "1280"},
	{ROLE_IKE, "eap_fragment_size", KEY_UINT, 512, 9000, NULL, "9000"},
	/* IKE SAs at once, from one address (IPv6: one /64), half-open (not
	 * established) in all and from one address, and the half-open count
	 * above which a new initiator must echo a cookie. */
	{ROLE_IKE, "ikev2_max_sas", KEY_UINT, 1, 100000, NULL, "10000"},
	{ROLE_IKE, "ikev2_max_sas_per_address", KEY_UINT, 1, 100000, NULL, "100"},
	{ROLE_IKE, "ikev2_max_half_open", KEY_UINT, 1, 100000, NULL, "5000"},
	{ROLE_IKE, "ikev2_max_half_open_per_address", KEY_UINT, 1, 100000, NULL, "10"},
	{ROLE_IKE, "ikev2_cookie_threshold", KEY_UINT, 0, 100000, NULL, "100"},
	/* Where a CHILD_SA's keys go: xfrm, the kernel through tnc-xfrm (an SA
	 * it cannot install ends the IKE SA); none, nowhere (TNC only, or a
	 * kernel without ESP): negotiated and logged.  tnc-xfrm runs only
	 * with xfrm. */
	{ROLE_IKE, "ikev2_kernel", KEY_CHOICE, 0, 0, "xfrm none", "xfrm"},
	/* How the gateway authenticates: auto, through EAP only when the peer
	 * offers it (RFC 5998), else with tls_cert and a signature AUTH;
	 * pubkey, always with the certificate (strongSwan always offers
	 * EAP-only; its remote auth = pubkey then needs this). */
	{ROLE_IKE, "ikev2_gateway_auth", KEY_CHOICE, 0, 0, "auto pubkey", "auto"},
	/* Seconds without a message from a peer before a liveness check (DPD);
	 * a peer that answers none of its retransmissions is closed.  0: none. */
	{ROLE_IKE, "ikev2_dpd_delay", KEY_UINT, 0, 86400, NULL, "30"},
	/* Seconds from IKE_SA_INIT until IKE_AUTH is done, EAP and the TNC
	 * assessment included; a half-open SA is closed then. */
	{ROLE_IKE, "ikev2_auth_timeout", KEY_UINT, 2, 600, NULL, "30"},
	{ROLE_IKE, "ikev2_ike_lifetime", KEY_UINT, 300, 604800, NULL, "10800"},
	{ROLE_IKE, "ikev2_child_lifetime", KEY_UINT, 60, 86400, NULL, "4200"},
	/* The connections the TNC result picks: group allow -> rw-allow,
	 * isolate -> rw-isolate; our side's traffic selector (a.b.c.d/len)
	 * and the peers' virtual IPs (a.b.c.d/len; empty: the peer's own address). */
	{ROLE_IKE, "rw_allow_ts", KEY_IPV4_PREFIX, 0, 0, NULL, "10.1.0.0/28"},
	{ROLE_IKE, "rw_allow_pool", KEY_IPV4_PREFIX, 0, 0, NULL, ""},
	{ROLE_IKE, "rw_isolate_ts", KEY_IPV4_PREFIX, 0, 0, NULL, "10.1.0.16/28"},
	{ROLE_IKE, "rw_isolate_pool", KEY_IPV4_PREFIX, 0, 0, NULL, ""},

	/* How the IMVs' recommendations combine (README: "Recommendation policy"). */
	{ROLE_TNCCS, "recommendation_policy", KEY_CHOICE, 0, 0, "default any all", "default"},
	{ROLE_TNCCS, "max_message_size", KEY_UINT, 1024, 1040000, NULL, "1000000"},
	/* Client batches one assessment may take before it is cut off. */
	{ROLE_TNCCS, "max_rounds", KEY_UINT, 2, 1000, NULL, "100"},
	/* Milliseconds tnccs waits for an IMV before going on without it. */
	{ROLE_TNCCS, "imv_timeout_ms", KEY_UINT, 100, 600000, NULL, "10000"},
	/* Where the PDP listens for PT-TLS, told to clients over EAP in a
	 * PB-PDP-Referral; empty: none sent. */
	{ROLE_TNCCS, "pdp_server", KEY_PDP_HOST, 0, 0, NULL, ""},
	{ROLE_TNCCS, "pdp_port", KEY_UINT, 1, 65535, NULL, "271"},

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

uint32_t
config_role_key_also_to(const struct role_key *k)
{
	/* tnc-xfrm admits only policies inside tnc-ike's connections. */
	static const char *const xfrm_keys[] = {"rw_allow_ts", "rw_allow_pool", "rw_isolate_ts",
	    "rw_isolate_pool"};
	if (k->role != ROLE_IKE)
		return 0;
	for (size_t i = 0; i < sizeof(xfrm_keys) / sizeof(xfrm_keys[0]); i++)
		if (strcmp(k->key, xfrm_keys[i]) == 0)
			return ROLE_BIT(ROLE_XFRM);
	return 0;
}

int
config_role_key_find(enum tnc_role role, const char *key)
{
	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].role == role && strcmp(keys[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* Whether v is "a.b.c.d/len" (len 0..32). */
static bool
ipv4_prefix(const char *v)
{
	char addr[16];
	struct in_addr in;
	const char *slash = strchr(v, '/');
	size_t n = slash ? (size_t)(slash - v) : 0;
	char *end;

	if (!slash || n == 0 || n >= sizeof(addr) || !isdigit((unsigned char)slash[1]))
		return false;
	memcpy(addr, v, n);
	addr[n] = 0;
	unsigned long len = strtoul(slash + 1, &end, 10);
	return inet_pton(AF_INET, addr, &in) == 1 && !*end && len <= 32;
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
	case KEY_EAP_SECRETS:
		return v[0] == '/' ? NULL : "must be an absolute path";
	case KEY_IPV4_PREFIX:
		return v[0] == 0 || ipv4_prefix(v) ? NULL : "must be an IPv4 prefix a.b.c.d/len";
	case KEY_PDP_HOST: {
		struct in_addr a;
		return v[0] == 0 || inet_pton(AF_INET, v, &a) == 1 || pb_pdp_name_valid(v) ? NULL :
		    "must be an IPv4 address or a DNS name";
	}
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
