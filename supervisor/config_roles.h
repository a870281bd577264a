/* config_roles.h - configuration keys that belong to one child role.
 *
 * tncd validates them when it reads the file and hands each child its own
 * keys in CONFIG; children never read configuration files.  Adding a key to
 * a role is one row in config_roles.c.  Its kind says how it is checked, on
 * its line and (files) once the whole file is read, so that --check-config,
 * the start and SIGHUP refuse what the child would refuse. */
#ifndef TNC_CONFIG_ROLES_H
#define TNC_CONFIG_ROLES_H

#include <stdbool.h>

#include "manifest.h"

#define ROLE_VALUE_MAX 1024

enum role_key_kind {
	KEY_TEXT,        /* any printable text */
	KEY_UINT,        /* decimal number in [min, max] */
	KEY_CHOICE,      /* one of the space-separated words in choices */
	KEY_ADDRESS,     /* "IPv4:port", "[IPv6]:port", or "no" */
	/* Paths (or empty) of PEM files a child loads, checked once the file is
	 * read (config_check.c) as the child will load them: */
	KEY_CERT_CHAIN,  /* a certificate chain; needs its role's KEY_PRIVATE_KEY */
	KEY_PRIVATE_KEY, /* an unencrypted key matching its role's KEY_CERT_CHAIN */
	KEY_CA_FILE,     /* CA certificates */
	/* The SASL credentials file of its role, loaded (sasl_credentials.h)
	 * when the role's "sasl" key is "plain". */
	KEY_SASL_CREDENTIALS,
	/* The EAP-MD5 secrets file of its role, loaded (eap_secrets.h) when the
	 * role's "ikev2" key is "yes". */
	KEY_EAP_SECRETS,
	/* "a.b.c.d/len", or empty */
	KEY_IPV4_PREFIX,
	/* An IPv4 address, a DNS name (pb_pdp_name_valid()), or empty */
	KEY_PDP_HOST,
	/* A database: a SQLite file's absolute path, empty, or a server's URI
	 * (the prefixes of the role's RCAP_DB_CLIENT condition in the
	 * manifest) without a password in it. */
	KEY_DATABASE,
	/* Empty, or the absolute path of the password for its role's
	 * KEY_DATABASE, which must then be a URI: a regular file that group
	 * and others can neither read nor write. */
	KEY_DB_PASSWORD_FILE,
};

struct role_key {
	enum tnc_role role;
	const char *key;
	enum role_key_kind kind;
	unsigned long min, max;
	const char *choices;
	const char *def; /* built-in default */
};

/* All rows; *ret_count gets their number. */
const struct role_key *config_role_keys(unsigned *ret_count);
/* The row for (role, key), or -1. */
int config_role_key_find(enum tnc_role role, const char *key);
/* ROLE_BIT()s of the other roles whose CONFIG carries k too. */
uint32_t config_role_key_also_to(const struct role_key *k);
/* NULL if value fits the row's kind on its own line, else a reason (static text). */
const char *config_role_key_check(const struct role_key *k, const char *value);
/* Whether v, the value of a KEY_DATABASE row, names a database server
 * (a URI) rather than a file. */
bool config_database_is_server(const struct role_key *k, const char *v);

#endif
