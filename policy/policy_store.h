/* policy_store.h - the policy database behind a small interface.
 *
 * The store is the one module of the project that holds SQL, on SQLite (one
 * gateway) or PostgreSQL (a fleet sharing one database): the same schema,
 * migrations and calls; store_int.h has the engines' interface.  tncadm and the
 * tnc-policy process link it.  Every call is one transaction; writers take
 * the write lock at once and wait for it (busy timeout), so concurrent users
 * never see "database is locked".  Functions return 0 or a negative TNC_E*
 * / -errno code; policy_store_error() then says what went wrong.
 * policy_admin.h has the operator's side (tncadm).
 */
#ifndef TNC_POLICY_STORE_H
#define TNC_POLICY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ipc_msg.h" /* enum imv_recommendation, enum imv_evaluation */

struct policy_store;

#define PS_BUSY_TIMEOUT_MS 10000 /* how long a caller waits for another writer */
#define PS_ERROR_MAX 256

enum ps_open_flag {
	PS_OPEN_CREATE = 1 << 0,  /* no schema yet: create the schema and default policy */
	PS_OPEN_MIGRATE = 1 << 1, /* older schema: migrate forward (else TNC_EVERSION) */
};

/* Where the database is: a SQLite file's path, or a PostgreSQL URI
 * ("postgresql://user@host:port/dbname?sslmode=require"; no password in
 * it).  ps_target_make() does what needs files and DNS, so a sandboxed
 * process can connect (and reconnect) later: it reads password_file (may
 * be NULL; the first line is the password, the file must not be readable
 * by group or others) and resolves the URI's host to a numeric address.
 * Only TCP: a Unix socket path is refused. */
struct ps_target;
/* Whether db names a PostgreSQL database (a postgresql:// or postgres://
 * URI) rather than a SQLite file. */
bool ps_db_is_pg(const char *db);
int ps_target_make(const char *db, const char *password_file, struct ps_target **ret, char *err,
    size_t errlen) TNC_MUST_CHECK;
void ps_target_free(struct ps_target *t); /* NULL: no-op */
bool ps_target_is_pg(const struct ps_target *t);
/* What to show of the target in logs and errors: the path, or the URI
 * (never the password). */
const char *ps_target_name(const struct ps_target *t);

/* Opens (and with the flags creates or migrates) the database.  Before
 * anything is written it is checked: a file that is not SQLite, corrupt
 * (quick_check), a database that is not a policy database or a schema
 * newer than this build are refused and left untouched; an older schema
 * without PS_OPEN_MIGRATE gives TNC_EVERSION.  A created SQLite file (and
 * its missing parent directory) is mode 0600 (0700).  Stores creating or
 * migrating one PostgreSQL database at once take turns.  On failure *ret
 * is NULL and err (may be NULL) holds the reason. */
int policy_store_open_target(const struct ps_target *t, unsigned flags, struct policy_store **ret,
    char *err, size_t errlen) TNC_MUST_CHECK;
/* ps_target_make(db, NULL) and policy_store_open_target(). */
int policy_store_open(const char *db, unsigned flags, struct policy_store **ret, char *err,
    size_t errlen) TNC_MUST_CHECK;
void policy_store_close(struct policy_store *s); /* NULL: no-op */

/* After -ENOTCONN (the server went away): connects again; 0 or
 * -ENOTCONN.  A store whose connection is fine is left alone. */
int policy_store_reconnect(struct policy_store *s) TNC_MUST_CHECK;

/* The process id of the database server's process serving this store
 * (PostgreSQL's backend), 0 when the engine runs inside this process. */
int policy_store_server_pid(const struct policy_store *s);

/* The detail of the last failed call on s (static until the next call). */
const char *policy_store_error(const struct policy_store *s);

int policy_store_schema_version(const struct policy_store *s); /* the open database's */
int policy_store_schema_latest(void);                         /* this build's */

/* The schema version of the database without changing it: 0 on success
 * with *ret_version set; the errors of policy_store_open. */
int policy_store_peek_version(const struct ps_target *t, int *ret_version, char *err,
    size_t errlen) TNC_MUST_CHECK;

/* The engine's consistency check (SQLite: integrity_check and
 * foreign_key_check; PostgreSQL enforces foreign keys itself): 0 when
 * clean, TNC_EINVALID with the first problem in policy_store_error(). */
int policy_store_check(struct policy_store *s) TNC_MUST_CHECK;

/* --- names used in the database and on tncadm's command line --- */

#define PS_POLICY_TYPE_MAP(X)                                                  \
	X(PCKGS, "installed packages (OS IMV)")                                 \
	X(UNSRC, "packages from unknown sources")                               \
	X(FWDEN, "IP forwarding enabled (OS IMV)")                              \
	X(PWDEN, "factory default password enabled (OS IMV)")                   \
	X(FREFM, "reference measurement of a file")                             \
	X(FMEAS, "measurement of a file")                                       \
	X(FMETA, "metadata of a file")                                          \
	X(DREFM, "reference measurements of a directory")                       \
	X(DMEAS, "measurements of a directory")                                 \
	X(DMETA, "metadata of a directory")                                     \
	X(TCPOP, "open TCP ports (argument: the allowed ones)")                 \
	X(TCPBL, "blocked TCP ports (argument: the forbidden ones)")            \
	X(UDPOP, "open UDP ports (argument: the allowed ones)")                 \
	X(UDPBL, "blocked UDP ports (argument: the forbidden ones)")            \
	X(SWIDT, "software inventory with SWID tags (SWIMA IMV)")               \
	X(SWIDI, "software identifiers only (SWIMA IMV)")                       \
	X(TPMRA, "TPM remote attestation (argument: B BIOS, I IMA, T TBOOT)")

enum ps_policy_type {
#define PS_POLICY_TYPE_ENUM(name, text) PS_POLICY_##name,
	PS_POLICY_TYPE_MAP(PS_POLICY_TYPE_ENUM)
#undef PS_POLICY_TYPE_ENUM
	PS_POLICY_TYPE_COUNT
};

const char *ps_policy_type_name(enum ps_policy_type t); /* "PCKGS" */
const char *ps_policy_type_text(enum ps_policy_type t); /* what it checks */
int ps_policy_type_parse(const char *name);             /* -1 when unknown */
/* The IF-IMV ID of the IMV that judges workitems of type t: the OS IMV (1)
 * PCKGS UNSRC FWDEN PWDEN, the SWIMA IMV (2) SWIDT SWIDI, the attestation
 * IMV (3) the file, directory, port and TPM types. */
unsigned ps_policy_type_imv(enum ps_policy_type t);
/* Recommendations and evaluations as the database spells them:
 * allow no_access isolate none / compliant noncompliant_minor
 * noncompliant_major error dont_know; parse gives -1 when unknown. */
const char *ps_rec_name(enum imv_recommendation r);
int ps_rec_parse(const char *name);
const char *ps_eval_name(enum imv_evaluation e);
int ps_eval_parse(const char *name);

/* --- what a session needs (tnc-policy) --- */

#define PS_VALUE_MAX 255    /* names, device IDs, package names, releases */
#define PS_RESULT_MAX 4096  /* a workitem's result text */
#define PS_LOOKUP_MAX 65536 /* package names in one lookup */

struct ps_device {
	int64_t id;
	int64_t product; /* 0: not known yet */
	bool trusted;
	char aik_keyid[129]; /* lower-case hex; "" when none */
};

/* A new session row for a TNCCS connection; identity may be NULL (none)
 * or is created if new ({type, value}: "dn", "C=CH, CN=x"). */
int policy_store_session_create(struct policy_store *s, int64_t now, uint32_t connection,
    const char *identity_type, const char *identity_value, int64_t *ret_session) TNC_MUST_CHECK;

/* The OS IMV named the product and the device: both are created if new,
 * the device's last_seen (and product) updated, the session's identity
 * recorded for the device, and the session tied to both. */
int policy_store_session_device(struct policy_store *s, int64_t session, int64_t now,
    const char *product, const char *device_value, struct ps_device *ret) TNC_MUST_CHECK;

/* A device by its device ID (TNC_ENOTFOUND if unknown). */
int policy_store_device_lookup(struct policy_store *s, const char *device_value,
    struct ps_device *ret) TNC_MUST_CHECK;

struct ps_workitem {
	int64_t id; /* the workitem's row; 0 while only planned */
	enum ps_policy_type type;
	char *argument; /* owned by the array */
	enum imv_recommendation rec_fail, rec_noresult;
	int64_t policy, enforcement; /* what it was made from */
};

/* The session's workitems, made from every enforcement of the groups its
 * device belongs to (by membership, by product, the default group); an
 * enforcement with max_age > 0 is skipped while the device has a result
 * for that policy younger than max_age.  A policy enforced by several groups
 * gives one workitem, with the most restrictive recommendations.  *ret is
 * freed with policy_store_workitems_free(). */
int policy_store_workitems_create(struct policy_store *s, int64_t session, int64_t now,
    struct ps_workitem **ret, size_t *ret_n) TNC_MUST_CHECK;
void policy_store_workitems_free(struct ps_workitem *w, size_t n);

/* The workitems a session of the device (device ID, product "name
 * version") would get now, as policy_store_workitems_create() makes them,
 * without writing anything: a device or product not in the database yet
 * has the groups of what is known (the default group, the product's).
 * The ids are 0; policy_store_session_record() writes them with their
 * results.  Free with policy_store_workitems_free(). */
int policy_store_workitems_plan(struct policy_store *s, const char *product,
    const char *device_value, int64_t now, struct ps_workitem **ret, size_t *ret_n)
    TNC_MUST_CHECK;

/* One workitem's outcome: the IMV that judged it, its recommendation and
 * result text (at most PS_RESULT_MAX bytes). */
int policy_store_workitem_result(struct policy_store *s, int64_t workitem, uint32_t imv_id,
    enum imv_recommendation rec, const char *result) TNC_MUST_CHECK;

/* The session's final recommendation and evaluation. */
int policy_store_session_finish(struct policy_store *s, int64_t session,
    enum imv_recommendation rec, enum imv_evaluation eval) TNC_MUST_CHECK;

/* A planned workitem and what an IMV answered for it (answered false: no
 * result came; stored with rec NULL, so it counts for no max_age). */
struct ps_workitem_outcome {
	const struct ps_workitem *item; /* from policy_store_workitems_plan() */
	bool answered;
	uint32_t imv;
	enum imv_recommendation rec;
	const char *result; /* at most PS_RESULT_MAX bytes */
};

/* A whole session at once (tnc-policy): its row with the identity, the
 * product and device when both are known (as policy_store_session_device),
 * its workitems with their results (only with a device), and the final
 * recommendation, in one transaction: a session is in the database whole
 * or not at all. */
struct ps_session_record {
	int64_t time;
	uint32_t connection;
	const char *identity_type, *identity_value; /* both NULL: none */
	const char *product, *device_value;         /* both NULL: not reported */
	const struct ps_workitem_outcome *workitems;
	size_t nworkitems;
	enum imv_recommendation rec;
	enum imv_evaluation eval;
};
int policy_store_session_record(struct policy_store *s, const struct ps_session_record *r,
    int64_t *ret_session) TNC_MUST_CHECK;

struct ps_release {
	const char *release;
	bool security, blacklist;
};

struct ps_package {
	const char *name;      /* as asked */
	bool known;            /* the product has releases of it, or it is blacklisted */
	bool blacklist;        /* the whole package is blacklisted */
	size_t nreleases;      /* of this product */
	struct ps_release *releases;
};

struct ps_package_set {
	size_t n;
	struct ps_package *pkgs; /* in the order asked */
};

/* The stored releases of many packages of one product in one call (at most
 * PS_LOOKUP_MAX names), served from memory while no other connection has
 * committed since the product's releases were read.  Free with
 * policy_store_package_set_free(). */
int policy_store_package_versions(struct policy_store *s, int64_t product,
    const char *const *names, size_t n, struct ps_package_set **ret) TNC_MUST_CHECK;
void policy_store_package_set_free(struct ps_package_set *set);

/* What each installed package (names[i] at versions[i]) of product ("name
 * version") is against the database: ret[i] is an enum pkg_verdict
 * (pkg_verdict.h); every package of a product not in the database is
 * unknown.  At most PS_LOOKUP_MAX packages, in one read snapshot. */
int policy_store_package_verdicts(struct policy_store *s, const char *product,
    const char *const *names, const char *const *versions, size_t n, uint8_t *ret)
    TNC_MUST_CHECK;

#define PS_PATH_MAX 4096     /* a measured file's path */
#define PS_HASH_HEX_MAX 128  /* a SHA-512 in hex */

enum ps_file_verdict {
	PS_FILE_OK,      /* the product's reference hash of the file, equal */
	PS_FILE_UNKNOWN, /* no reference hash of the file with that algorithm */
	PS_FILE_DIFFER,  /* a reference hash, not equal */
};

struct ps_file_measurement {
	const char *path; /* absolute, as on the endpoint (symlinks resolved by the caller) */
	const char *hash; /* lower-case hex */
};

/* What each measured file of product ("name version"), measured with algo
 * (sha1 sha256 sha384 sha512), is against the product's reference hashes:
 * ret[i] is an enum ps_file_verdict; every file of a product not in the
 * database is unknown.  At most PS_LOOKUP_MAX files, in one read snapshot,
 * served from memory while no store changed reference hashes. */
int policy_store_file_verdicts(struct policy_store *s, const char *product, const char *algo,
    const struct ps_file_measurement *m, size_t n, uint8_t *ret) TNC_MUST_CHECK;
/* The reference hash (lower-case hex, "" when there is none) of each file
 * of product with algo, for a caller that compares something derived
 * from it (an IMA template hash holds the file hash and the name the
 * kernel measured).  The same bounds, snapshot and cache as above. */
int policy_store_file_references(struct policy_store *s, const char *product, const char *algo,
    const char *const *paths, size_t n, char (*ret)[PS_HASH_HEX_MAX + 1]) TNC_MUST_CHECK;

#endif
