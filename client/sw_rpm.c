/* sw_rpm.c - the SWIMA IMC's inventory from an rpm database (see sw_rpm.h).
 * The only file that calls librpm.
 */
#include "sw_rpm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmtag.h>
#include <rpm/rpmts.h>

#include "log.h"
#include "reason.h"

#define RPM_MESSAGE_MAX 256

/* librpm's first error while the database is read; its warnings are logged. */
struct rpm_errors {
	char first[RPM_MESSAGE_MAX];
};

static int
on_rpm_log(rpmlogRec rec, rpmlogCallbackData data)
{
	struct rpm_errors *e = data;
	const char *msg = rpmlogRecMessage(rec);
	size_t len = strcspn(msg ? msg : "", "\n");

	if (rpmlogRecPriority(rec) <= RPMLOG_ERR && !e->first[0])
		snprintf(e->first, sizeof(e->first), "%.*s", (int)len, msg);
	else if (len > 0)
		LOG(IMV, 2, "librpm: %.*s", (int)len, msg);
	return 0; /* not to stderr */
}

/* rpmrc and the macro files, once per process; false if they cannot be read. */
static bool
rpm_configured(void)
{
	static int status = -1;

	if (status < 0)
		status = rpmReadConfigFiles(NULL, NULL) == 0;
	return status == 1;
}

int
sw_rpm_db_dir(const struct sw_rpm_db *db, char *path, size_t size)
{
	const char *root = db->root ? db->root : SW_RPM_ROOT;
	char *dbpath = db->dbpath ? NULL : (rpm_configured() ? rpmExpand("%{?_dbpath}", NULL) :
	    NULL);
	const char *dir = db->dbpath ? db->dbpath : dbpath ? dbpath : "";
	size_t root_len = strlen(root);
	int n;

	while (root_len > 0 && root[root_len - 1] == '/')
		root_len--; /* "/" and "/x/" join as "/x" */
	n = snprintf(path, size, "%.*s%s%s", (int)root_len, root, dir[0] == '/' ? "" : "/", dir);
	free(dbpath);
	return n < 0 || (size_t)n >= size ? TNC_ETOOLONG : 0;
}

static const char *const db_files[SW_RPM_DB_FILES] = {"rpmdb.sqlite", "Packages",
	"Packages.db"};

bool
sw_rpm_db_file(const struct sw_rpm_db *db, size_t i, char *path, size_t size)
{
	char dir[4096];

	return i < SW_RPM_DB_FILES && sw_rpm_db_dir(db, dir, sizeof(dir)) == 0 &&
	    (size_t)snprintf(path, size, "%s/%s", dir, db_files[i]) < size;
}

/* The backend whose file the directory holds, SW_RPM_DB_FILES for none. */
static size_t
db_backend(const struct sw_rpm_db *db)
{
	char path[4200];
	size_t i;

	for (i = 0; i < SW_RPM_DB_FILES; i++)
		if (sw_rpm_db_file(db, i, path, sizeof(path)) && access(path, F_OK) == 0)
			break;
	return i;
}

bool
sw_rpm_db_exists(const struct sw_rpm_db *db)
{
	return db_backend(db) < SW_RPM_DB_FILES;
}

/* 0 when the directory of db holds a database librpm may open, else
 * -ENOENT (none) or TNC_EINVALID with the reason in *ret_why. */
static int
check_db_file(const struct sw_rpm_db *db, const char **ret_why)
{
	static const char magic[16] = "SQLite format 3"; /* with its NUL */
	char path[4200], head[sizeof(magic)];
	size_t backend = db_backend(db);

	if (backend == SW_RPM_DB_FILES) {
		*ret_why = "no rpmdb.sqlite, Packages or Packages.db in it";
		return -ENOENT;
	}
	if (backend != 0 || !sw_rpm_db_file(db, 0, path, sizeof(path)))
		return 0;
	FILE *f = fopen(path, "re");
	size_t n = f ? fread(head, 1, sizeof(head), f) : 0;
	if (f)
		fclose(f);
	if (n == sizeof(head) && memcmp(head, magic, sizeof(magic)) == 0)
		return 0;
	*ret_why = f ? "rpmdb.sqlite: not an SQLite database" : "rpmdb.sqlite cannot be read";
	return TNC_EINVALID;
}

/* The inventory entry of header h, or the reason (static or in buf) it
 * cannot be one; NULL also for a header that is skipped. */
static const char *
add_header(struct sw_inventory *inv, const struct sw_naming *n, Header h, char *buf,
    size_t size, int *ret_err)
{
	const char *name = headerGetString(h, RPMTAG_NAME);
	const char *version = headerGetString(h, RPMTAG_VERSION);
	const char *release = headerGetString(h, RPMTAG_RELEASE);
	const char *arch = headerGetString(h, RPMTAG_ARCH);
	char evr[SW_FIELD_MAX + 2], epoch[24] = "";
	const char *why;
	int len;

	*ret_err = TNC_EINVALID;
	if (!name)
		return "Name: missing";
	if (strcmp(name, "gpg-pubkey") == 0)
		return NULL;
	if (!version || !release) {
		snprintf(buf, size, "%.64s: %s: missing", name, version ? "Release" : "Version");
		return buf;
	}
	if (headerIsEntry(h, RPMTAG_EPOCH))
		snprintf(epoch, sizeof(epoch), "%llu:",
		    (unsigned long long)headerGetNumber(h, RPMTAG_EPOCH));
	len = snprintf(evr, sizeof(evr), "%s%s-%s", epoch, version, release);
	if (len < 0 || (size_t)len > SW_FIELD_MAX) {
		*ret_err = TNC_ETOOLONG;
		snprintf(buf, size, "%.64s: Version: over %u octets", name, SW_FIELD_MAX);
		return buf;
	}
	*ret_err = sw_inventory_add(inv, n, name, evr, arch ? arch : "", &why);
	if (*ret_err) {
		snprintf(buf, size, "%.64s: %s", name, why);
		return buf;
	}
	inv->v[inv->count - 1].install_time = (int64_t)headerGetNumber(h, RPMTAG_INSTALLTIME);
	return NULL;
}

/* Reads the opened database of ts into inv; the reason in buf on failure. */
static int
read_headers(rpmts ts, struct sw_inventory *inv, const struct sw_naming *n,
    const struct rpm_errors *errors, char *buf, size_t size)
{
	rpmdbMatchIterator mi = rpmtsInitIterator(ts, RPMDBI_PACKAGES, NULL, 0);
	const char *why = NULL;
	Header h;
	int err = 0;

	if (!mi) {
		snprintf(buf, size, "%s", errors->first[0] ? errors->first : "cannot be iterated");
		return TNC_EINVALID;
	}
	while (!why && (h = rpmdbNextIterator(mi)) != NULL)
		why = add_header(inv, n, h, buf, size, &err);
	rpmdbFreeIterator(mi);
	if (why) {
		if (why != buf)
			snprintf(buf, size, "%s", why);
		return err;
	}
	/* a header that fails its digest is skipped by the iterator, with an error */
	if (errors->first[0]) {
		snprintf(buf, size, "%s", errors->first);
		return TNC_EINVALID;
	}
	return 0;
}

int
sw_inventory_load_rpm(struct sw_inventory *inv, const struct sw_rpm_db *db,
    const struct sw_naming *n, char *reason, size_t reason_size)
{
	struct rpm_errors errors = {""};
	char dir[4096], why[RPM_MESSAGE_MAX + 128] = "";
	const char *root = db->root ? db->root : SW_RPM_ROOT;
	int err;

	sw_inventory_clear(inv);
	if (!rpm_configured()) {
		reason_set(reason, reason_size, "rpmdb: librpm's configuration cannot be read");
		return TNC_EINVALID;
	}
	if (sw_rpm_db_dir(db, dir, sizeof(dir)) != 0) {
		reason_set(reason, reason_size, "rpmdb: root and dbpath: over %zu octets",
		    sizeof(dir) - 1);
		return TNC_ETOOLONG;
	}
	struct stat st;
	err = stat(dir, &st) != 0 ? -errno : !S_ISDIR(st.st_mode) ? -ENOTDIR : 0;
	if (err) {
		reason_set(reason, reason_size, "rpmdb %s: %s", dir, tnc_strerror(err));
		return err;
	}
	const char *bad;
	if ((err = check_db_file(db, &bad)) != 0) {
		reason_set(reason, reason_size, "rpmdb %s: %s", dir, bad);
		return err;
	}
	rpmlogSetCallback(on_rpm_log, &errors);
	if (db->dbpath)
		rpmPushMacro(NULL, "_dbpath", NULL, db->dbpath, RMIL_CMDLINE);
	rpmts ts = rpmtsCreate();
	if (rpmtsSetRootDir(ts, root) != 0) {
		snprintf(why, sizeof(why), "root %s: not an absolute directory", root);
		err = TNC_EINVALID;
	} else if (rpmtsOpenDB(ts, O_RDONLY) != 0) {
		snprintf(why, sizeof(why), "%s", errors.first[0] ? errors.first : "cannot be opened");
		err = TNC_EINVALID;
	} else {
		err = read_headers(ts, inv, n, &errors, why, sizeof(why));
	}
	rpmtsFree(ts);
	if (db->dbpath)
		rpmPopMacro(NULL, "_dbpath");
	rpmlogSetCallback(NULL, NULL);
	if (err) {
		reason_set(reason, reason_size, "rpmdb %s: %s", dir, why);
		sw_inventory_clear(inv);
		return err;
	}
	sw_inventory_sort(inv);
	reason_set(reason, reason_size, "%s", "");
	return 0;
}
