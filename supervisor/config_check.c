/* config_check.c - whole-configuration checks (see config_check.h).  They
 * refuse what would otherwise only show when a child starts: a key its
 * process would reject, a uid shared by two children, a binary that cannot
 * run, a state directory tncd cannot create or a child cannot write. */
#include "config_check.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "config_pem.h"
#include "eap_secrets.h"
#include "sasl_credentials.h"

__attribute__((format(printf, 5, 6))) static int
refuse(char *err, size_t errlen, const char *file, unsigned line, const char *fmt, ...)
{
	char reason[1536];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (line)
		snprintf(err, errlen, "%s:%u: %s", file, line, reason);
	else
		snprintf(err, errlen, "%s: %s (built-in default)", file, reason);
	return TNC_ECONFIG;
}

/* The row of role whose kind is kind (its certificate for a key, its key
 * for a certificate), or -1. */
static int
row_of_kind(enum tnc_role role, enum role_key_kind kind)
{
	unsigned n;
	const struct role_key *rk = config_role_keys(&n);
	for (unsigned i = 0; i < n; i++)
		if (rk[i].role == role && rk[i].kind == kind)
			return (int)i;
	return -1;
}

/* A PEM file key, loaded as its child will load it; the key of a pair is
 * checked against the certificate, which is checked first (its row comes
 * first), so each line names its own problem. */
static int
check_pem(const struct tncd_config *cfg, const struct role_key *k, const char *v, char *why,
    size_t size)
{
	unsigned n;
	const struct role_key *rk = config_role_keys(&n);
	int pair = row_of_kind(k->role, k->kind == KEY_CERT_CHAIN ? KEY_PRIVATE_KEY : KEY_CERT_CHAIN);
	const char *pair_value = pair >= 0 ? cfg->role_values[pair] : "";

	if (!v[0] || k->kind == KEY_CA_FILE)
		return v[0] ? config_pem_check_ca(v, why, size) : 0;
	if (!pair_value[0]) {
		snprintf(why, size, "set without %s", pair >= 0 ? rk[pair].key : "its pair");
		return -1;
	}
	return k->kind == KEY_CERT_CHAIN ? config_pem_check_chain(v, why, size) :
	    config_pem_check_key(v, pair_value, why, size);
}

/* The SASL credentials file, loaded as tnc-ike loads it, when its role's
 * "sasl" is "plain" (unused otherwise, it need not exist). */
static int
check_sasl_credentials(const struct tncd_config *cfg, const struct role_key *k, const char *v,
    char *why, size_t size)
{
	int sasl = config_role_key_find(k->role, "sasl");
	struct sasl_creds creds = {0};

	if (sasl < 0 || strcmp(cfg->role_values[sasl], "plain") != 0)
		return 0;
	int rc = sasl_creds_load(v, &creds, why, size);
	sasl_creds_clear(&creds);
	return rc;
}

/* The EAP-MD5 secrets file, loaded as tnc-ike loads it, when its role's
 * "ikev2" is "yes" (unused otherwise, it need not exist). */
static int
check_eap_secrets(const struct tncd_config *cfg, const struct role_key *k, const char *v,
    char *why, size_t size)
{
	int ikev2 = config_role_key_find(k->role, "ikev2");
	struct eap_secrets secrets = {0};

	if (ikev2 < 0 || strcmp(cfg->role_values[ikev2], "yes") != 0)
		return 0;
	int rc = eap_secrets_load(v, &secrets, why, size);
	eap_secrets_clear(&secrets);
	return rc;
}

/* The password file of a server database, looked at as tnc-policy will
 * take it (read before its sandbox, as root when tncd is): a regular file,
 * no link, closed to group and others; its content is never read here. */
static int
check_db_password_file(const struct tncd_config *cfg, const struct role_key *k, const char *v,
    char *why, size_t size)
{
	int db = row_of_kind(k->role, KEY_DATABASE);
	unsigned n;
	const struct role_key *rk = config_role_keys(&n);
	struct stat st;

	if (!v[0])
		return 0;
	if (db < 0 || !config_database_is_server(&rk[db], cfg->role_values[db]))
		snprintf(why, size, "set, but database is not a postgresql:// URI");
	else if (lstat(v, &st) != 0)
		snprintf(why, size, "cannot use %s: %s", v, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		snprintf(why, size, "%s is not a regular file", v);
	else if (st.st_mode & 077)
		snprintf(why, size, "%s is open to group or others: chmod 600 it", v);
	else
		return 0;
	return -1;
}

static int
check_role_files(const struct tncd_config *cfg, const struct config_lines *lines,
    const char *file, char *err, size_t errlen)
{
	unsigned n;
	const struct role_key *rk = config_role_keys(&n);
	char why[1536];

	for (unsigned i = 0; i < n; i++) {
		if ((rk[i].kind == KEY_SASL_CREDENTIALS &&
		    check_sasl_credentials(cfg, &rk[i], cfg->role_values[i], why, sizeof(why)) != 0) ||
		    (rk[i].kind == KEY_EAP_SECRETS &&
		    check_eap_secrets(cfg, &rk[i], cfg->role_values[i], why, sizeof(why)) != 0) ||
		    (rk[i].kind == KEY_DB_PASSWORD_FILE &&
		    check_db_password_file(cfg, &rk[i], cfg->role_values[i], why, sizeof(why)) != 0))
			return refuse(err, errlen, file, lines->role_key[i], "[%s] %s: %s",
			    manifest_role(rk[i].role)->section, rk[i].key, why);
		if (rk[i].kind != KEY_CERT_CHAIN && rk[i].kind != KEY_PRIVATE_KEY &&
		    rk[i].kind != KEY_CA_FILE)
			continue;
		if (check_pem(cfg, &rk[i], cfg->role_values[i], why, sizeof(why)) != 0)
			return refuse(err, errlen, file, lines->role_key[i], "[%s] %s: %s",
			    manifest_role(rk[i].role)->section, rk[i].key, why);
	}
	return 0;
}

/* As root each child runs as its own uid: a uid shared by two children
 * would let a compromise of one reach the other's files and processes. */
static int
check_users(const struct tncd_config *cfg, const struct config_lines *lines, const char *file,
    char *err, size_t errlen)
{
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++)
		for (int q = ROLE_TNCD + 1; q < r; q++) {
			if (cfg->procs[r].uid != cfg->procs[q].uid)
				continue;
			int at = lines->user[r] ? r : q;
			return refuse(err, errlen, file, lines->user[at],
			    "[%s] user %u is also the user of [%s]: each child needs a uid of its own",
			    manifest_role(at)->section, (unsigned)cfg->procs[at].uid,
			    manifest_role(at == r ? q : r)->section);
		}
	return 0;
}

static int
check_paths(const struct tncd_config *cfg, const struct config_lines *lines, const char *file,
    char *err, size_t errlen)
{
	struct stat st;
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		const char *path = cfg->procs[r].path;
		if (!path[0])
			continue;
		if (stat(path, &st) != 0 || access(path, X_OK) != 0)
			return refuse(err, errlen, file, lines->path[r], "[%s] path: cannot run %s: %s",
			    manifest_role(r)->section, path, strerror(errno));
		if (!S_ISREG(st.st_mode))
			return refuse(err, errlen, file, lines->path[r],
			    "[%s] path: %s is not a regular file", manifest_role(r)->section, path);
	}
	return 0;
}

/* A directory tncd must be able to create entries in (access() also says
 * EROFS for a read-only mount and EPERM for an immutable directory). */
static int
writable_dir(const char *dir, char *why, size_t size)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		snprintf(why, size, "cannot use %s: %s", dir, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		snprintf(why, size, "%s is not a directory", dir);
	else if (access(dir, W_OK | X_OK) != 0)
		snprintf(why, size, "cannot write in %s: %s", dir, strerror(errno));
	else
		return 0;
	return -1;
}

/* A child's existing directory: the child writes there as its own uid and
 * tncd only chowns and chmods it, so tncd does not test writing (root
 * under the unit has no CAP_DAC_OVERRIDE); what stops the child is looked
 * at instead: not a directory, a read-only file system, the immutable flag
 * (read with CAP_DAC_READ_SEARCH, which the unit grants). */
static int
child_dir_usable(const char *dir, const struct stat *st, char *why, size_t size)
{
	struct statvfs vfs;
	int flags = 0, fd;

	if (!S_ISDIR(st->st_mode)) {
		snprintf(why, size, "%s is not a directory", dir);
		return -1;
	}
	if (statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) {
		snprintf(why, size, "cannot write in %s: %s", dir, strerror(EROFS));
		return -1;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
		int got = ioctl(fd, FS_IOC_GETFLAGS, &flags);
		close(fd);
		if (got == 0 && (flags & (FS_IMMUTABLE_FL | FS_APPEND_FL))) {
			snprintf(why, size, "cannot write in %s: %s", dir, strerror(EPERM));
			return -1;
		}
	}
	return 0;
}

/* tncd makes <state_dir> (one mkdir: its parent must exist) and in it
 * <state_dir>/<section> for each child, which writes in it: whichever of
 * them exists must be a directory tncd can write in. */
static int
check_state_dir(const struct tncd_config *cfg, const struct config_lines *lines,
    const char *file, char *err, size_t errlen)
{
	char dir[CONFIG_PATH_MAX], why[CONFIG_PATH_MAX * 2 + 64];
	struct stat st;
	bool exists = stat(cfg->state_dir, &st) == 0;

	snprintf(dir, sizeof(dir), "%s", cfg->state_dir);
	if (!exists) {
		char *slash = strrchr(dir, '/');
		slash[slash == dir] = 0; /* the parent: "/a" -> "/", "/a/b" -> "/a" */
	}
	int rc = writable_dir(dir, why, sizeof(why));
	for (int r = ROLE_TNCD + 1; exists && rc == 0 && r < ROLE_COUNT; r++) {
		char sub[CONFIG_PATH_MAX + 32];
		snprintf(sub, sizeof(sub), "%s/%s", cfg->state_dir, manifest_role(r)->section);
		if (lstat(sub, &st) == 0)
			rc = child_dir_usable(sub, &st, why, sizeof(why));
	}
	return rc ? refuse(err, errlen, file, lines->state_dir, "state_dir %s: %s", cfg->state_dir,
	    why) : 0;
}

/* ikev2_kernel = xfrm with IKEv2 on needs tnc-xfrm running: without it
 * every CHILD_SA would fail. */
static int
check_kernel(const struct tncd_config *cfg, const struct config_lines *lines, const char *file,
    char *err, size_t errlen)
{
	int kernel = config_role_key_find(ROLE_IKE, "ikev2_kernel");

	if (kernel < 0 || strcmp(config_role_value(cfg, ROLE_IKE, "ikev2"), "yes") != 0 ||
	    strcmp(cfg->role_values[kernel], "xfrm") != 0 || cfg->procs[ROLE_XFRM].enabled)
		return 0;
	return refuse(err, errlen, file, lines->role_key[kernel], "[ike] ikev2_kernel: xfrm, but "
	    "[xfrm] is not enabled: set ikev2_kernel = none to negotiate CHILD_SAs without "
	    "kernel SAs");
}

int
config_check(const struct tncd_config *cfg, const struct config_lines *lines, const char *file,
    char *err, size_t errlen)
{
	int rc = check_role_files(cfg, lines, file, err, errlen);
	if (!rc)
		rc = check_kernel(cfg, lines, file, err, errlen);
	if (!rc)
		rc = check_users(cfg, lines, file, err, errlen);
	if (!rc)
		rc = check_paths(cfg, lines, file, err, errlen);
	if (!rc)
		rc = check_state_dir(cfg, lines, file, err, errlen);
	return rc;
}
