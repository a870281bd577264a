/* adm.h - what tncadm's files share: the parsed command line, the open
 * store and the output (see tncadm.c for the command table). */
#ifndef TNC_ADM_H
#define TNC_ADM_H

#include <stdbool.h>
#include <stdint.h>

#include "policy_admin.h"

#define ADM_DEFAULT_DB "/var/lib/tnc/policy/tnc.db"
/* tncd.conf's [imv-attest] ima_keys_dir, where tnc-imv-attest reads them */
#define ADM_IMA_KEYS_DIR "/etc/tnc/ima-keys"

/* Exit codes. */
#define ADM_OK 0
#define ADM_FAIL 1  /* the store refused: unknown name, exists, wrong version, corrupt */
#define ADM_USAGE 2 /* bad command line */

#define ADM_OPTION_MAP(X)                                                              \
	X(PARENT, "parent", "GROUP", "the parent group")                                 \
	X(TYPE, "type", "TYPE", "policy type (PCKGS, FWDEN, ... see 'tncadm policy types')") \
	X(ARGUMENT, "argument", "TEXT", "policy argument (e.g. the allowed ports)")        \
	X(PATH, "path", "PATH", "the file or directory of a file or directory policy")    \
	X(FAIL, "fail", "REC", "recommendation on fail: allow no_access isolate none")    \
	X(NORESULT, "noresult", "REC", "recommendation when there is no result")          \
	X(MAX_AGE, "max-age", "SECONDS", "how long a result stays valid (0: always check)") \
	X(PRODUCT, "product", "NAME", "the product")                                      \
	X(DESCRIPTION, "description", "TEXT", "a device's description")                   \
	X(AIK, "aik", "KEYID", "a device's AIK key id (hex)")                             \
	X(RELEASE, "release", "VERSION", "a package release")                             \
	X(SECURITY, "security", NULL, "mark the imported releases as security updates")  \
	X(ALGO, "algo", "ALGO", "hash algorithm: sha1 sha256 sha384 sha512")              \
	X(PREFIX, "prefix", "PATH", "the endpoint's path of the hashed directory")       \
	X(LIMIT, "limit", "N", "at most N rows")                                          \
	X(FILE, "file", "FILE", "sasl: the credentials file (/etc/tnc/sasl-credentials); device aik: the AIK") \
	X(PASSWORD_FILE, "password-file", "FILE", "the password: FILE's first line (else stdin's)") \
	X(TO, "to", "DATABASE", "migrate: copy the whole site to this new database;"     \
	    " sw devices: the highest version (VERSION)")                                    \
	X(TO_PASSWORD_FILE, "to-password-file", "FILE", "the password for --to (PostgreSQL)") \
	X(TRUST, "trust", NULL, "device aik: trust the device with this AIK")           \
	X(DIR, "dir", "DIR", "the IMA keys directory (" ADM_IMA_KEYS_DIR ")")          \
	X(SINCE, "since", "EID", "sw events: only those after this event ID")            \
	X(BELOW, "below", "VERSION", "sw devices: versions below this one")              \
	X(FROM, "from", "VERSION", "sw devices: the lowest version")                     \
	X(SUITE, "suite", "CODENAME", "sw advisories import: the Debian release of a DSA list")

enum adm_option {
#define ADM_OPTION_ENUM(id, name, arg, text) ADM_OPT_##id,
	ADM_OPTION_MAP(ADM_OPTION_ENUM)
#undef ADM_OPTION_ENUM
	ADM_OPT_COUNT
};
#define OPT(id) (1u << ADM_OPT_##id)

struct adm {
	const char *db_path;
	const char *db_password_file; /* PostgreSQL's password; NULL: none */
	bool json;
	const char *opt[ADM_OPT_COUNT]; /* NULL: not given; "" for a flag */
	char **args;                    /* after the command words */
	int nargs;
	struct policy_store *store;
};

/* Opens the database (refusing every version but this build's); main()
 * does it for every command but those that need none. */
int adm_open(struct adm *a);
/* Opens a database (path or URI) with its password file into *ret;
 * ADM_OK, or ADM_FAIL with the reason printed. */
int adm_open_db(const char *db, const char *password_file, unsigned flags,
    struct policy_store **ret);
/* The schema version of a database without changing it; ADM_OK, or
 * ADM_FAIL with the reason printed when loud. */
int adm_peek(const char *db, const char *password_file, int *ret_version, bool loud);
/* A listing with the --limit option (dflt when absent). */
int adm_list(struct adm *a, enum ps_list what, const char *arg, int64_t dflt);
/* Prints the store's failure (or what) and returns ADM_FAIL. */
int adm_store_fail(struct adm *a, int err, const char *what);
/* A usage error about the arguments: message, ADM_USAGE. */
int adm_usage_fail(struct adm *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses a recommendation option; -1 when absent, -2 (and a message) when bad. */
int adm_rec_option(struct adm *a, enum adm_option o);
/* Parses a non-negative integer option; dflt when absent; -1 (message) when bad. */
int64_t adm_int_option(struct adm *a, enum adm_option o, int64_t dflt);

/* --- output (adm_out.c): a table for people, JSON (jansson) for scripts --- */

/* Prints one listing as a table or a JSON array; returns an exit code. */
int adm_print_list(struct adm *a, enum ps_list what, const char *arg, int64_t limit);
/* Prints several listings as one JSON object {"key": [rows], ...} or as
 * tables under a heading each; single[i] makes key i one object (or null). */
int adm_print_lists(struct adm *a, const char *const *keys, const enum ps_list *what,
    const bool *single, int n, const char *arg);
/* err from a store call: its failure (ADM_FAIL); 0: the action is done,
 * "message" for people, {"ok": true, "message": ...} for scripts (ADM_OK). */
int adm_done(struct adm *a, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Counts as a table or a JSON object of integers. */
int adm_print_counts(struct adm *a, const char *const *names, const int64_t *values, int n);
/* Rows that do not come from the store, printed as a listing: fill calls
 * row(row_ctx, cols, cells, ncols) once per row. */
typedef int adm_rows_fn(void *ctx, ps_row_fn *row, void *row_ctx);
int adm_print_rows(struct adm *a, const struct ps_column *cols, size_t ncols, adm_rows_fn *fill,
    void *ctx);

/* --- the commands (adm_model.c, adm_device.c, adm_data.c) --- */
typedef int adm_cmd_fn(struct adm *a);
adm_cmd_fn cmd_init, cmd_migrate, cmd_check, cmd_tables;
adm_cmd_fn cmd_product_list, cmd_product_add, cmd_product_remove;
adm_cmd_fn cmd_group_list, cmd_group_add, cmd_group_remove, cmd_group_default, cmd_group_members,
    cmd_group_add_product, cmd_group_remove_product;
adm_cmd_fn cmd_policy_list, cmd_policy_types, cmd_policy_add, cmd_policy_set, cmd_policy_remove;
adm_cmd_fn cmd_enforcement_list, cmd_enforcement_add, cmd_enforcement_set, cmd_enforcement_remove;
adm_cmd_fn cmd_device_list, cmd_device_show, cmd_device_add, cmd_device_remove, cmd_device_trust,
    cmd_device_untrust, cmd_device_join, cmd_device_leave;
adm_cmd_fn cmd_package_list, cmd_package_import, cmd_package_blacklist, cmd_package_unblacklist,
    cmd_package_security, cmd_package_unsecurity;
adm_cmd_fn cmd_files_list, cmd_files_import;
adm_cmd_fn cmd_files_import_ima, cmd_files_import_deb, cmd_device_aik; /* adm_attest.c */
adm_cmd_fn cmd_ima_key_add, cmd_ima_key_list, cmd_ima_key_remove;   /* adm_ima_keys.c */
adm_cmd_fn cmd_session_list, cmd_session_show;
adm_cmd_fn cmd_import_strongswan;
adm_cmd_fn cmd_sasl_add, cmd_sasl_remove, cmd_sasl_list, cmd_sasl_check; /* adm_sasl.c */
adm_cmd_fn cmd_sw_inventory, cmd_sw_events, cmd_sw_devices, cmd_sw_advisories; /* adm_sw.c */

#endif
