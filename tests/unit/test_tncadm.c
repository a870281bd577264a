/* test_tncadm.c - tncadm as an operator and a script use it, on either
 * engine (the _pg run is ctest's test_tncadm_pg): every subcommand,
 * options anywhere, JSON with typed fields (parsed back with jansson), exit
 * codes and messages for bad arguments and unknown names, import-strongswan
 * against config.db.expected, and migrate --to: a site with sessions
 * copied to a new database (SQLite, or PostgreSQL in the _pg run) gives
 * every listing of the original, a database that is not new is refused.
 * The "sqlite" case has what only a file has (a newer schema, a corrupt
 * file, not SQLite: refused, the file's hash unchanged); the _pg run has
 * PostgreSQL's own: the password file, a newer schema and another
 * application's tables refused untouched, import-strongswan through a
 * temporary SQLite database giving what an import into SQLite gives. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy_software.h"
#include "policy_store.h"
#include "testlib.h"
#include "tl_pg_sql.h"
#include "tl_policy_db.h"
#include "tl_policy_open.h"

#define OUT_MAX (1 << 20)
#define NOW 1800000000

/* The database the commands below run on: the test's own (own_db) but
 * where a test points them at a file it made. */
static char dir[64], own_db[256], db[256], pwfile[512];
static char *out;

static void
setup(void)
{
	strcpy(dir, "/tmp/test_tncadm.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	tl_policy_db(own_db, sizeof(own_db), pwfile, sizeof(pwfile));
	snprintf(db, sizeof(db), "%s", own_db);
	out = malloc(OUT_MAX);
	ck_assert_ptr_nonnull(out);
}

static void
teardown(void)
{
	char cmd[128];
	tl_policy_db_drop(own_db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(out);
}

/* "--db 'D'", and "--db-password-file 'P'" when P is not "". */
static const char *
db_options(char *buf, size_t size, const char *d, const char *p)
{
	int n = snprintf(buf, size, "--db '%s'%s%s%s", d, p[0] ? " --db-password-file '" : "", p,
	    p[0] ? "'" : "");
	ck_assert_int_lt(n, (int)size);
	return buf;
}

/* Runs tncadm ARGS in dir (stderr into the output too); returns the exit code. */
static int
adm(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
adm(const char *fmt, ...)
{
	char args[1536];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	ck_assert_int_lt(n, (int)sizeof(args));
	return tl_sh(out, OUT_MAX, "cd %s && %s/tncadm %s 2>&1", dir, TNC_BIN_DIR, args);
}

/* tncadm --json ARGS on database d (password file p); asserts exit 0 and
 * returns the parsed JSON. */
static json_t *
adm_json_on(const char *d, const char *p, const char *args)
{
	char opts[1024];
	int rc = tl_sh(out, OUT_MAX, "cd %s && %s/tncadm %s %s --json", dir, TNC_BIN_DIR,
	    db_options(opts, sizeof(opts), d, p), args);
	ck_assert_msg(rc == 0, "tncadm %s: exit %d: %s", args, rc, out);
	json_error_t e;
	json_t *j = json_loads(out, 0, &e);
	ck_assert_msg(j != NULL, "tncadm %s: not JSON (%s): %s", args, e.text, out);
	return j;
}

static json_t *
adm_json(const char *args)
{
	return adm_json_on(db, pwfile, args);
}

static void
ok(const char *args)
{
	json_decref(adm_json(args));
}

/* Exit code and a piece of the message. */
static void
fails(int code, const char *message, const char *args)
{
	char opts[1024];
	int rc = adm("%s %s", db_options(opts, sizeof(opts), db, pwfile), args);
	ck_assert_msg(rc == code, "tncadm %s: exit %d, not %d: %s", args, rc, code, out);
	ck_assert_msg(strstr(out, message) != NULL, "tncadm %s: '%s' lacks '%s'", args, out, message);
}

static json_t *
row_where(json_t *rows, const char *key, const char *value)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		const char *v = json_string_value(json_object_get(row, key));
		if (v && !strcmp(v, value))
			return row;
	}
	return NULL;
}

/* Writes a file of text into dir. */
static void
write_file(const char *name, const char *text)
{
	char path[192];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

static const char dpkg_status[] =
    "Package: openssl\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u2\n"
    "Description: x\n continuation: not a field\n\n"
    "Package: gone\nStatus: deinstall ok config-files\nVersion: 1.0\n\n"
    "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n";
static const char debian_packages[] =
    "Package: openssl\nVersion: 3.0.13-1~deb12u1\n\nPackage: curl\nVersion: 7.88.1-10\n";

/* What tncadm init says of a database that has the schema already. */
static const char *
init_refusal(void)
{
	static char pg[64];
	snprintf(pg, sizeof(pg), "holds schema %d already", policy_store_schema_latest());
	return tl_policy_db_is_pg() ? pg : "exists already";
}

/* A session as tnc-policy wrote one call by call: its row, its device,
 * its workitems with the first `answered` of them given rec and result,
 * and the final rec and eval. */
struct call_session {
	int64_t time;
	uint32_t connection;
	const char *identity_type, *identity_value, *product, *device;
	size_t answered;
	enum imv_recommendation rec;
	const char *result;
	enum imv_evaluation eval;
};

/* Writes x into database d (password file p); returns the session's id,
 * and its number of workitems in *ret_n. */
static int64_t
session_by_calls(const char *d, const char *p, const struct call_session *x, size_t *ret_n)
{
	struct policy_store *s;
	char err[256];
	int64_t id;
	struct ps_device dev;
	struct ps_workitem *w;
	ck_assert_msg(tl_policy_open(d, p, 0, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(policy_store_session_create(s, x->time, x->connection, x->identity_type,
	                     x->identity_value, &id), 0);
	ck_assert_int_eq(policy_store_session_device(s, id, x->time, x->product, x->device, &dev), 0);
	ck_assert_int_eq(policy_store_workitems_create(s, id, x->time, &w, ret_n), 0);
	for (size_t i = 0; i < *ret_n && i < x->answered; i++)
		ck_assert_int_eq(policy_store_workitem_result(s, w[i].id, 1, x->rec, x->result), 0);
	policy_store_workitems_free(w, *ret_n);
	ck_assert_int_eq(policy_store_session_finish(s, id, x->rec, x->eval), 0);
	policy_store_close(s);
	return id;
}

START_TEST(help_version_and_bad_command_lines)
{
	ck_assert_int_eq(adm("--help"), 0);
	ck_assert_ptr_nonnull(strstr(out, "import-strongswan FILE"));
	ck_assert_int_eq(adm("device --help"), 0);
	ck_assert_int_eq(adm("--version"), 0);
	ck_assert_ptr_nonnull(strstr(out, "policy schema"));
	static const struct {
		const char *args, *message;
	} bad[] = {
	    {"", "no command"},
	    {"frobnicate", "unknown command 'frobnicate'"},
	    {"product", "needs one of its subcommands"},
	    {"product rename a b", "needs one of its subcommands"},
	    {"product add", "usage: tncadm product add NAME"},
	    {"product add a b", "usage: tncadm product add NAME"},
	    {"product list --frob", "unknown option --frob"},
	    {"product list --parent x", "--parent does not apply to 'product list'"},
	    {"product list --limit", "--limit needs N"},
	    {"product list --limit -3", "a non-negative number is needed"},
	    {"product list --limit 2x", "a non-negative number is needed"},
	    {"group add g --parent a --parent b", "--parent given twice"},
	    {"policy add p", "'policy add' needs --type"},
	    {"policy add p --type NOPE", "unknown policy type 'NOPE'"},
	    {"policy add p --type PCKGS --fail maybe", "one of allow, no_access, isolate, none"},
	    {"enforcement add p g --max-age soon", "a non-negative number is needed"},
	    {"policy set p --type PCKGS", "--type does not apply to 'policy set'"},
	    {"package security openssl", "'package security' needs --product"},
	    {"package blacklist openssl --product P", "--product and --release go together"},
	    {"--db", "--db needs a DATABASE"},
	    {"--db-password-file", "--db-password-file needs a FILE"},
	    {"migrate --to", "--to needs DATABASE"},
	    {"migrate --to-password-file pw", "--to-password-file goes with --to"},
	    {"product list --to x.db", "--to does not apply to 'product list'"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		fails(2, bad[i].message, bad[i].args);
	/* a password file is for PostgreSQL only */
	ck_assert_int_eq(adm("--db x.db --db-password-file pw init"), 1);
	ck_assert_msg(strstr(out, "a password file is only for a PostgreSQL URI"), "%s", out);
	/* no database yet: refused, nothing created */
	if (tl_policy_db_is_pg()) {
		fails(1, "empty database; run 'tncadm init'", "product list");
		char *dump = tl_pg_dump(db, pwfile);
		ck_assert_str_eq(dump, "");
		free(dump);
	} else {
		fails(1, "No such file or directory", "product list");
		ck_assert_int_ne(access(db, F_OK), 0);
	}
}
END_TEST

START_TEST(model_commands_and_typed_json)
{
	char opts[1024];
	ok("init");
	fails(1, init_refusal(), "init");
	ok("check");
	ok("migrate");
	ck_assert_ptr_nonnull(strstr(out, "at schema"));
	/* options anywhere, before and between the command words */
	ck_assert_int_eq(adm("--json product %s add 'Debian 12 x86_64'",
	                     db_options(opts, sizeof(opts), db, pwfile)), 0);
	ok("product add Other");
	fails(1, "product 'Other' exists already", "product add Other");
	json_t *j = adm_json("product list");
	ck_assert_uint_eq(json_array_size(j), 2);
	json_t *p = row_where(j, "name", "Debian 12 x86_64");
	ck_assert(json_is_integer(json_object_get(p, "id")));
	ck_assert(json_is_integer(json_object_get(p, "versions")));
	json_decref(j);
	ok("product remove Other");
	fails(1, "no product 'Other'", "product remove Other");

	ok("group add Linux");
	ok("group add Servers --parent Linux");
	fails(1, "no group 'Nope'", "group add X --parent Nope");
	ok("group add-product Linux 'Debian 12 x86_64'");
	fails(1, "is a member of 'Linux' already", "group add-product Linux 'Debian 12 x86_64'");
	j = adm_json("group members Linux");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0), "kind")), "product");
	json_decref(j);
	j = adm_json("group list");
	json_t *g = row_where(j, "name", "Servers");
	ck_assert_str_eq(json_string_value(json_object_get(g, "parent")), "Linux");
	ck_assert(json_is_false(json_object_get(g, "default")));
	ck_assert(json_is_true(json_object_get(row_where(j, "name", "Default"), "default")));
	ck_assert(json_is_null(json_object_get(row_where(j, "name", "Linux"), "parent")));
	json_decref(j);
	ok("group default Linux");
	j = adm_json("group list");
	ck_assert(json_is_true(json_object_get(row_where(j, "name", "Linux"), "default")));
	ck_assert(json_is_false(json_object_get(row_where(j, "name", "Default"), "default")));
	json_decref(j);
	ok("group remove-product Linux 'Debian 12 x86_64'");
	fails(1, "is not a member", "group remove-product Linux 'Debian 12 x86_64'");

	j = adm_json("policy types");
	ck_assert_uint_eq(json_object_size(j), PS_POLICY_TYPE_COUNT);
	ck_assert(json_is_integer(json_object_get(j, "TPMRA")));
	json_decref(j);
	ok("policy add 'Open TCP' --type TCPOP --argument '22 443' --fail isolate --noresult none");
	ok("policy add 'Measure sshd' --type FMEAS --path /usr/sbin/sshd");
	fails(1, "a FMEAS policy needs a path", "policy add 'Measure x' --type FMEAS");
	fails(1, "policy 'Open TCP' exists already", "policy add 'Open TCP' --type TCPOP");
	j = adm_json("policy list");
	json_t *pol = row_where(j, "name", "Open TCP");
	ck_assert_str_eq(json_string_value(json_object_get(pol, "argument")), "22 443");
	ck_assert_str_eq(json_string_value(json_object_get(pol, "rec_noresult")), "none");
	ck_assert(json_is_null(json_object_get(pol, "path")));
	ck_assert_str_eq(json_string_value(json_object_get(row_where(j, "name", "Measure sshd"),
	                     "path")), "/usr/sbin/sshd");
	json_decref(j);

	ok("enforcement add 'Open TCP' Servers --max-age 3600 --fail no_access");
	fails(1, "enforces 'Open TCP' already", "enforcement add 'Open TCP' Servers");
	fails(1, "no policy 'Nope'", "enforcement add Nope Servers");
	j = adm_json("enforcement list");
	json_t *e = row_where(j, "policy", "Open TCP");
	ck_assert_int_eq(json_integer_value(json_object_get(e, "max_age")), 3600);
	ck_assert_str_eq(json_string_value(json_object_get(e, "rec_fail")), "no_access");
	ck_assert(json_is_null(json_object_get(e, "rec_noresult")));
	json_decref(j);
	/* changed in place: only what is given */
	fails(2, "give --argument, --fail or --noresult", "policy set 'Open TCP'");
	fails(2, "give --max-age, --fail or --noresult", "enforcement set 'Open TCP' Servers");
	ok("enforcement set 'Open TCP' Servers --noresult isolate");
	ok("policy set 'Open TCP' --argument '22' --fail allow");
	fails(1, "no policy 'Nope'", "policy set Nope --fail allow");
	fails(1, "no group 'Nope'", "enforcement set 'Open TCP' Nope --max-age 1");
	fails(1, "'Linux' does not enforce 'Open TCP'", "enforcement set 'Open TCP' Linux --max-age 1");
	j = adm_json("enforcement list");
	e = row_where(j, "policy", "Open TCP");
	ck_assert_int_eq(json_integer_value(json_object_get(e, "max_age")), 3600);
	ck_assert_str_eq(json_string_value(json_object_get(e, "rec_fail")), "no_access");
	ck_assert_str_eq(json_string_value(json_object_get(e, "rec_noresult")), "isolate");
	json_decref(j);
	j = adm_json("policy list");
	pol = row_where(j, "name", "Open TCP");
	ck_assert_str_eq(json_string_value(json_object_get(pol, "argument")), "22");
	ck_assert_str_eq(json_string_value(json_object_get(pol, "rec_fail")), "allow");
	ck_assert_str_eq(json_string_value(json_object_get(pol, "rec_noresult")), "none");
	json_decref(j);
	ok("enforcement set 'Open TCP' Servers --max-age 0");
	j = adm_json("enforcement list");
	ck_assert_int_eq(json_integer_value(json_object_get(row_where(j, "policy", "Open TCP"),
	                     "max_age")), 0);
	json_decref(j);
	ok("enforcement remove 'Open TCP' Servers");
	fails(1, "does not enforce", "enforcement remove 'Open TCP' Servers");
	ok("policy remove 'Open TCP'");
	ok("group remove Servers");
	fails(1, "no group 'Servers'", "group remove Servers");
	ok("tables");
	ok("check");
}
END_TEST

START_TEST(device_package_files_session_commands)
{
	ok("init");
	ok("product add 'Debian 12 x86_64'");
	ok("group add Servers");
	ok("device add 3d1219c7 --product 'Debian 12 x86_64' --description 'web 1' --aik 0a1b2c");
	fails(1, "device '3d1219c7' exists already", "device add 3d1219c7");
	fails(1, "AIK key id 'XYZ'", "device add other --aik XYZ");
	fails(1, "no product 'Nope'", "device add other --product Nope");
	ok("device join 3d1219c7 Servers");
	fails(1, "no device 'ffff'", "device join ffff Servers");
	ok("device trust 3d1219c7");
	json_t *j = adm_json("device show 3d1219c7");
	json_t *d = json_object_get(j, "device");
	ck_assert(json_is_true(json_object_get(d, "trusted")));
	ck_assert_str_eq(json_string_value(json_object_get(d, "aik_keyid")), "0a1b2c");
	ck_assert_str_eq(json_string_value(json_object_get(d, "description")), "web 1");
	ck_assert(json_is_integer(json_object_get(d, "first_seen")));
	ck_assert_uint_eq(json_array_size(json_object_get(j, "groups")), 2); /* Servers, Default */
	ck_assert_uint_eq(json_array_size(json_object_get(j, "identities")), 0);
	json_decref(j);
	ok("device untrust 3d1219c7");
	j = adm_json("device list");
	ck_assert(json_is_false(json_object_get(json_array_get(j, 0), "trusted")));
	json_decref(j);
	ok("device leave 3d1219c7 Servers");
	fails(1, "is not a member", "device leave 3d1219c7 Servers");
	fails(1, "no device 'nope'", "device show nope");

	/* a dpkg status file: only installed packages; a Packages file: all */
	write_file("status", dpkg_status);
	j = adm_json("package import 'Debian 12 x86_64' status");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "stanzas")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "added")), 2);
	json_decref(j);
	write_file("Packages", debian_packages);
	ok("package import 'Debian 12 x86_64' Packages --security");
	write_file("bad", "Package: x\nVersion: 1:\n");
	fails(1, "bad:2: x 1:", "package import 'Debian 12 x86_64' bad");
	fails(1, "no package stanza", "package import 'Debian 12 x86_64' /dev/null");
	fails(1, "No such file", "package import 'Debian 12 x86_64' missing");
	fails(1, "no product 'Nope'", "package import Nope Packages");
	ok("package blacklist curl");
	ok("package security openssl --product 'Debian 12 x86_64' --release 3.0.11-1~deb12u2");
	ok("package unsecurity openssl --product 'Debian 12 x86_64' --release 3.0.11-1~deb12u2");
	fails(1, "no package 'telnet'", "package blacklist telnet");
	j = adm_json("package list 'Debian 12 x86_64'");
	ck_assert_uint_eq(json_array_size(j), 4);
	json_t *old = row_where(j, "release", "3.0.11-1~deb12u2");
	ck_assert(json_is_true(json_object_get(old, "outdated")));
	ck_assert(json_is_false(json_object_get(old, "security")));
	json_t *new = row_where(j, "release", "3.0.13-1~deb12u1");
	ck_assert(json_is_false(json_object_get(new, "outdated")));
	ck_assert(json_is_true(json_object_get(new, "security")));
	ck_assert(json_is_true(json_object_get(row_where(j, "package", "curl"), "blacklist")));
	json_decref(j);
	ok("package unblacklist curl");
	fails(1, "no product 'Nope'", "package list Nope");

	/* reference hashes of a tree, named as on the endpoint */
	ck_assert_int_eq(tl_sh(out, OUT_MAX, "mkdir -p %s/tree/sbin && printf abc > %s/tree/sbin/tool",
	                     dir, dir), 0);
	ok("files import 'Debian 12 x86_64' tree --prefix /usr --algo sha1");
	ok("files import 'Debian 12 x86_64' tree --prefix /usr");
	fails(1, "unknown hash algorithm 'md5'", "files import 'Debian 12 x86_64' tree --algo md5");
	fails(1, "not a directory", "files import 'Debian 12 x86_64' status");
	j = adm_json("files list 'Debian 12 x86_64'");
	ck_assert_uint_eq(json_array_size(j), 2);
	json_t *h = row_where(j, "algo", "sha256");
	ck_assert_str_eq(json_string_value(json_object_get(h, "path")), "/usr/sbin/tool");
	ck_assert_str_eq(json_string_value(json_object_get(h, "hash")),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ck_assert_int_eq(json_integer_value(json_object_get(h, "size")), 3);
	json_decref(j);

	/* a session, as tnc-policy wrote them */
	size_t n;
	int64_t id = session_by_calls(db, pwfile, &(struct call_session){.time = NOW, .connection = 7,
	    .identity_type = "dn", .identity_value = "CN=client", .product = "Debian 12 x86_64",
	    .device = "3d1219c7", .answered = 1, .rec = IMV_REC_ISOLATE, .result = "2 outdated",
	    .eval = IMV_EVAL_NONCOMPLIANT_MINOR}, &n);
	ck_assert_uint_eq(n, 3);
	j = adm_json("session list --limit 5");
	ck_assert_uint_eq(json_array_size(j), 1);
	json_t *row = json_array_get(j, 0);
	ck_assert_str_eq(json_string_value(json_object_get(row, "rec")), "isolate");
	ck_assert_str_eq(json_string_value(json_object_get(row, "identity")), "dn:CN=client");
	ck_assert_int_eq(json_integer_value(json_object_get(row, "connection")), 7);
	json_decref(j);
	char args[64];
	snprintf(args, sizeof(args), "session show %lld", (long long)id);
	j = adm_json(args);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "session"), "eval")),
	    "noncompliant_minor");
	json_t *items = json_object_get(j, "workitems");
	ck_assert_uint_eq(json_array_size(items), 3);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "result")),
	    "2 outdated");
	ck_assert(json_is_null(json_object_get(json_array_get(items, 1), "rec")));
	json_decref(j);
	fails(1, "no session '999'", "session show 999");
	fails(1, "no session 'x'", "session show x");
	j = adm_json("device show 3d1219c7");
	ck_assert_uint_eq(json_array_size(json_object_get(j, "identities")), 1);
	json_decref(j);
	ok("device remove 3d1219c7");
	fails(1, "no device '3d1219c7'", "device remove 3d1219c7");
	ok("check");
}
END_TEST

/* What every command on a refused database must refuse, with exit 1. */
static const char *const refusing_cmds[] = {"product list", "product add X", "device list",
    "device add d", "session list", "tables", "check", "migrate", "policy list",
    "import-strongswan /dev/null", "package list P"};
#define REFUSING_CMDS (sizeof(refusing_cmds) / sizeof(refusing_cmds[0]))

/* Every command on a refused file: exit 1, the reason, the file unchanged. */
static void
file_refused_everywhere(const char *path, const char *message)
{
	unsigned char before[32], after[32];
	tl_sha256_file(path, before);
	snprintf(db, sizeof(db), "%s", path);
	for (size_t i = 0; i < REFUSING_CMDS; i++)
		fails(1, message, refusing_cmds[i]);
	fails(1, "exists already", "init");
	tl_sha256_file(path, after);
	ck_assert_mem_eq(before, after, 32);
}

START_TEST(newer_and_corrupt_files_are_refused_untouched)
{
	file_refused_everywhere(tl_copy_testdata("policy-db/v99-future.db", dir, "future.db"),
	    "schema version 99 is newer than this build knows");
	const char *path = tl_copy_testdata("policy-db/v1.db", dir, "corrupt.db");
	ck_assert_int_eq(tl_sh(out, OUT_MAX,
	                     "dd if=/dev/urandom of=%s bs=4096 seek=3 count=4 conv=notrunc 2>&1", path),
	    0);
	file_refused_everywhere(path, "corrupt");
	path = tl_copy_testdata("strongswan-policy-db/PROVENANCE.md", dir, "text.db");
	file_refused_everywhere(path, "not a SQLite database");
}
END_TEST

/* config.db.expected: "rows T N", "product ID NAME", "group ID NAME",
 * "enforcement ID POLICY GROUP MAX_AGE". */
START_TEST(import_strongswan_matches_expected)
{
	char ss[128];
	snprintf(ss, sizeof(ss), "%s", tl_copy_testdata("strongswan-policy-db/config.db", dir,
	                                   "config.db"));
	unsigned char before[32], after[32];
	tl_sha256_file(ss, before);
	ok("init");
	json_t *counts = adm_json("import-strongswan config.db");
	json_t *groups = adm_json("group list");
	json_t *enf = adm_json("enforcement list");
	json_t *pols = adm_json("policy list");
	json_t *prods = adm_json("product list");
	json_t *tables = adm_json("tables");
	size_t len;
	char *expected = (char *)tl_read_testdata("strongswan-policy-db/config.db.expected", &len);
	static const char *const compared[] = {"products", "packages", "versions", "groups",
	    "enforcements", "policies", "devices", "files", "file_hashes", "directories"};
	int checked_rows = 0, checked_groups = 0, checked_enf = 0, checked_products = 0;
	for (char *line = strtok(expected, "\n"); line; line = strtok(NULL, "\n")) {
		char name[128];
		long long a, b, c, d;
		if (sscanf(line, "rows %127s %lld", name, &a) == 2) {
			for (size_t i = 0; i < sizeof(compared) / sizeof(compared[0]); i++) {
				if (strcmp(name, compared[i]))
					continue;
				json_t *t = row_where(tables, "table", name);
				ck_assert_msg(json_integer_value(json_object_get(t, "rows")) == a, "%s", name);
				ck_assert_msg(json_integer_value(json_object_get(counts, name)) == a, "%s", name);
				checked_rows++;
			}
		} else if (sscanf(line, "group %lld %127[^\n]", &a, name) == 2) {
			json_t *g = row_where(groups, "name", name);
			ck_assert_msg(g && json_integer_value(json_object_get(g, "id")) == a, "%s", line);
			checked_groups++;
		} else if (sscanf(line, "product %lld %127[^\n]", &a, name) == 2) {
			json_t *p = row_where(prods, "name", name);
			ck_assert_msg(p && json_integer_value(json_object_get(p, "id")) == a, "%s", line);
			checked_products++;
		} else if (sscanf(line, "enforcement %lld %lld %lld %lld", &a, &b, &c, &d) == 4) {
			json_t *e = json_array_get(enf, (size_t)a - 1);
			ck_assert_int_eq(json_integer_value(json_object_get(e, "id")), a);
			ck_assert_int_eq(json_integer_value(json_object_get(e, "max_age")), d);
			json_t *p = row_where(pols, "name", json_string_value(json_object_get(e, "policy")));
			json_t *g = row_where(groups, "name", json_string_value(json_object_get(e, "group")));
			ck_assert_msg(json_integer_value(json_object_get(p, "id")) == b, "%s", line);
			ck_assert_msg(json_integer_value(json_object_get(g, "id")) == c, "%s", line);
			checked_enf++;
		}
	}
	ck_assert_int_eq(checked_rows, 10);
	ck_assert_int_eq(checked_groups, 18);
	ck_assert_int_eq(checked_enf, 27);
	ck_assert_int_eq(checked_products, 1);
	ck_assert_uint_eq(json_array_size(enf), 27);
	/* product 28's package versions, and the strongSwan-only policy types */
	json_t *v = adm_json("package list 'Debian 7.2 x86_64'");
	ck_assert_uint_eq(json_array_size(v), 4);
	ck_assert_str_eq(json_string_value(json_object_get(row_where(v, "package", "openssl"),
	                     "release")), "1.0.1e-2");
	json_decref(v);
	ck_assert_str_eq(json_string_value(json_object_get(row_where(pols, "name", "SWID Tag IDs"),
	                     "type")), "SWIDI");
	ck_assert_str_eq(json_string_value(json_object_get(row_where(pols, "name",
	                     "TPM BIOS/IMA Measurements"), "type")), "TPMRA");
	json_decref(counts);
	json_decref(groups);
	json_decref(enf);
	json_decref(pols);
	json_decref(prods);
	json_decref(tables);
	free(expected);
	ok("check");
	/* a second import, or one into a database with its own rows, is refused */
	fails(1, "import into a new one", "import-strongswan config.db");
	tl_copy_testdata("policy-db/v1.db", dir, "tnc.db");
	fails(1, "not a strongSwan IMV policy database", "import-strongswan tnc.db");
	tl_sha256_file(ss, after);
	ck_assert_mem_eq(before, after, 32);
}
END_TEST

/* --- migrate --to, and the listings two databases are compared by --- */

/* Adds to all, under "COMMAND KEY", that listing for each row of list:
 * KEY is the row's key (a name, or an id); with count, only rows where
 * that column is positive. */
static void
listing_per_row(json_t *all, const char *d, const char *p, json_t *list, const char *key,
    const char *count, const char *command)
{
	size_t i;
	json_t *row;
	json_array_foreach(list, i, row) {
		if (count && json_integer_value(json_object_get(row, count)) <= 0)
			continue;
		json_t *k = json_object_get(row, key);
		char args[320];
		if (json_is_integer(k)) {
			snprintf(args, sizeof(args), "%s %lld", command, (long long)json_integer_value(k));
		} else {
			const char *name = json_string_value(k);
			ck_assert_msg(name && !strchr(name, '\''), "%s: key %s", command, key);
			snprintf(args, sizeof(args), "%s '%s'", command, name);
		}
		json_object_set_new(all, args, adm_json_on(d, p, args));
	}
}

/* Every tncadm --json listing of a site, keyed by its command: the whole
 * tables, and each group's members, device, session, and each product's
 * packages and files (the products with releases: a strongSwan database
 * has a hundred without). */
static json_t *
site_listings(const char *d, const char *p)
{
	static const char *const whole[] = {"tables", "product list", "group list", "policy list",
	    "enforcement list", "device list", "session list --limit 0"};
	json_t *all = json_object();
	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++)
		json_object_set_new(all, whole[i], adm_json_on(d, p, whole[i]));
	json_t *products = json_object_get(all, "product list");
	listing_per_row(all, d, p, products, "name", "versions", "package list");
	listing_per_row(all, d, p, products, "name", "versions", "files list");
	listing_per_row(all, d, p, json_object_get(all, "group list"), "name", NULL, "group members");
	listing_per_row(all, d, p, json_object_get(all, "device list"), "device", NULL, "device show");
	listing_per_row(all, d, p, json_object_get(all, "device list"), "device", NULL,
	    "sw inventory");
	listing_per_row(all, d, p, json_object_get(all, "device list"), "device", NULL, "sw events");
	listing_per_row(all, d, p, json_object_get(all, "session list --limit 0"), "id", NULL,
	    "session show");
	return all;
}

/* The same listings, each the same; else the first that differs. */
static void
assert_same_listings(json_t *want, json_t *got, const char *what)
{
	const char *key;
	json_t *v;
	json_object_foreach(want, key, v) {
		json_t *g = json_object_get(got, key);
		if (json_equal(v, g))
			continue;
		char *a = json_dumps(v, JSON_COMPACT), *b = g ? json_dumps(g, JSON_COMPACT) : NULL;
		ck_abort_msg("%s: tncadm %s differs:\n%.1500s\n%.1500s", what, key, a,
		    b ? b : "(missing)");
	}
	ck_assert_msg(json_object_size(want) == json_object_size(got), "%s: %zu listings, not %zu",
	    what, json_object_size(got), json_object_size(want));
}

/* A site as an operator and tnc-policy leave it, in the SQLite file
 * dir/SITE: products, a group with a parent and a product, policies and
 * enforcements with overrides, a trusted device in a group, releases with
 * marks, reference hashes, a device's software (inventory, an event, a tag,
 * an advisory's mark), and three sessions: one recorded whole with its
 * workitems (one unanswered), one unfinished, one written call by call. */
static void
build_site(const char *site)
{
	static const char *const cmds[] = {"init", "product add 'Debian 12 x86_64'",
	    "product add 'Ubuntu 24.04 x86_64'", "group add Linux", "group add Servers --parent Linux",
	    "group add-product Linux 'Debian 12 x86_64'",
	    "policy add 'Open TCP' --type TCPOP --argument '22 443' --fail isolate --noresult none",
	    "policy add 'Measure sshd' --type FMEAS --path /usr/sbin/sshd",
	    "enforcement add 'Open TCP' Servers --max-age 3600 --fail no_access",
	    "enforcement add 'Measure sshd' Linux",
	    "device add 3d1219c7 --product 'Debian 12 x86_64' --description 'web 1' --aik 0a1b2c",
	    "device join 3d1219c7 Servers", "device trust 3d1219c7",
	    "package import 'Debian 12 x86_64' status",
	    "package import 'Debian 12 x86_64' Packages --security", "package blacklist curl",
	    "package blacklist bash --product 'Debian 12 x86_64' --release 5.2.15-2+b2",
	    "files import 'Debian 12 x86_64' tree --prefix /usr"};
	write_file("status", dpkg_status);
	write_file("Packages", debian_packages);
	ck_assert_int_eq(tl_sh(out, OUT_MAX, "mkdir -p %s/tree/sbin && printf abc > %s/tree/sbin/sshd",
	                     dir, dir), 0);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		json_decref(adm_json_on(site, "", cmds[i]));

	struct policy_store *s;
	char path[128], err[256];
	struct ps_workitem *w;
	size_t n;
	int64_t id;
	snprintf(path, sizeof(path), "%s/%s", dir, site);
	ck_assert_msg(tl_policy_open(path, "", 0, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(policy_store_workitems_plan(s, "Debian 12 x86_64", "3d1219c7", NOW, &w, &n),
	    0);
	ck_assert_uint_ge(n, 2);
	struct ps_workitem_outcome o[8];
	for (size_t i = 0; i < n && i < 8; i++)
		o[i] = (struct ps_workitem_outcome){&w[i], i + 1 < n, 1,
		    i ? IMV_REC_ALLOW : IMV_REC_ISOLATE, i ? "fine" : "2 outdated"};
	const struct ps_session_record r = {.time = NOW, .connection = 7, .identity_type = "dn",
	    .identity_value = "CN=web1", .product = "Debian 12 x86_64", .device_value = "3d1219c7",
	    .workitems = o, .nworkitems = n < 8 ? n : 8, .rec = IMV_REC_ISOLATE,
	    .eval = IMV_EVAL_NONCOMPLIANT_MINOR};
	ck_assert_int_eq(policy_store_session_record(s, &r, &id), 0);
	policy_store_workitems_free(w, n);
	ck_assert_int_eq(policy_store_session_create(s, NOW + 120, 9, NULL, NULL, &id), 0);
	/* software: an inventory, an event after it, a tag and an advisory's mark */
	const struct ps_sw_id ids[] = {
	    {"debian.org__Debian_12-x86_64-openssl-3.0.9-1", "openssl", "3.0.9-1", "debian.org"},
	    {"debian.org__Debian_12-x86_64-bash-5.2.15-2~b2", "bash", "5.2.15-2+b2", "debian.org"}};
	ck_assert_int_eq(policy_store_sw_inventory_replace(s, "3d1219c7", NOW, 0x107edf02, 16, ids,
	                     2), 0);
	const struct ps_sw_event ev = {17, "2026-11-23T11:34:42Z", PS_SW_CREATE,
	    {"debian.org__Debian_12-x86_64-curl-7.88.1-10", "curl", "7.88.1-10", "debian.org"}};
	ck_assert_int_eq(policy_store_sw_events_apply(s, "3d1219c7", NOW + 30, 0x107edf02, 17, &ev, 1,
	                     NULL), 0);
	const struct ps_sw_tag tag = {ids[0], "<SoftwareIdentity name=\"openssl\"/>"};
	ck_assert_int_eq(policy_store_sw_tags_store(s, &tag, 1, NOW), 0);
	const struct ps_sw_advisory mark = {"openssl", "3.0.11-1~deb12u1", "DSA-5532-1", false};
	ck_assert_int_eq(policy_store_sw_advisories_import(s, "dsa-list", &mark, 1, NULL), 0);
	policy_store_close(s);
	session_by_calls(path, "", &(struct call_session){.time = NOW + 60, .connection = 8,
	    .identity_type = "ar", .identity_value = "alice", .product = "Ubuntu 24.04 x86_64",
	    .device = "5e77a0b1", .answered = SIZE_MAX, .rec = IMV_REC_ALLOW, .result = "ok",
	    .eval = IMV_EVAL_COMPLIANT}, &n);
}

/* tncadm migrate from database from (password file from_p) --to to
 * (to_p); the exit code. */
static int
migrate_to(const char *from, const char *from_p, const char *to, const char *to_p)
{
	char opts[1024];
	return adm("%s migrate --to '%s'%s%s%s --json", db_options(opts, sizeof(opts), from, from_p),
	    to, to_p[0] ? " --to-password-file '" : "", to_p, to_p[0] ? "'" : "");
}

/* A target whose default policy an operator changed is not new: the copy
 * would silently replace the change, so it is refused and the change kept. */
START_TEST(migrate_to_a_changed_default_policy_is_refused)
{
	build_site("site.db");
	ok("init");
	ok("enforcement set 'Installed Packages' Default --max-age 77");
	ck_assert_int_eq(migrate_to("site.db", "", db, pwfile), 1);
	ck_assert_msg(strstr(out, "changed default policy"), "%s", out);
	json_t *e = adm_json("enforcement list");
	ck_assert_int_eq(json_integer_value(json_object_get(row_where(e, "policy",
	                     "Installed Packages"), "max_age")), 77);
	json_decref(e);
}
END_TEST

/* A site with sessions in a SQLite file, copied to the test's database (a
 * SQLite file, or PostgreSQL in the _pg run), and back to a SQLite file:
 * every listing of each copy is the original's.  A second copy into the
 * database, now not new, is refused and changes nothing there. */
START_TEST(migrate_to_copies_every_listing)
{
	build_site("site.db");
	json_t *site = site_listings("site.db", "");
	json_t *tables = json_object_get(site, "tables");
	ck_assert_int_eq(json_integer_value(json_object_get(row_where(tables, "table", "sessions"),
	                     "rows")), 3);
	ck_assert_int_ge(json_object_size(site), 15);

	ck_assert_msg(migrate_to("site.db", "", db, pwfile) == 0, "%s", out);
	ck_assert_msg(strstr(out, "row counts and checksums verified"), "%s", out);
	json_t *copy = site_listings(db, pwfile);
	assert_same_listings(site, copy, "the copy");
	ck_assert_msg(migrate_to(db, pwfile, "back.db", "") == 0, "%s", out);
	json_t *back = site_listings("back.db", "");
	assert_same_listings(site, back, "the copy of the copy");

	ck_assert_int_eq(migrate_to("site.db", "", db, pwfile), 1);
	ck_assert_msg(strstr(out, "of its own"), "%s", out);
	json_t *again = site_listings(db, pwfile);
	assert_same_listings(copy, again, "the refused target");

	/* the copy takes new rows: their ids follow the copied ones */
	ok("product add 'Debian 13 x86_64'");
	ok("group add Desktops --parent Linux");
	ok("policy add 'Open UDP' --type UDPOP");
	ok("enforcement add 'Open UDP' Desktops");
	ok("device add 9f00 --product 'Debian 13 x86_64'");
	ok("package import 'Debian 13 x86_64' Packages");
	ck_assert_int_eq(tl_sh(out, OUT_MAX, "mkdir -p %s/tree2/bin && printf x > %s/tree2/bin/ls",
	                     dir, dir), 0);
	ok("files import 'Debian 13 x86_64' tree2 --prefix /usr");
	size_t n;
	ck_assert_int_eq(session_by_calls(db, pwfile, &(struct call_session){.time = NOW + 180,
	                     .connection = 10, .identity_type = "dn", .identity_value = "CN=new",
	                     .product = "Debian 13 x86_64", .device = "9f00", .rec = IMV_REC_ALLOW,
	                     .eval = IMV_EVAL_COMPLIANT}, &n), 4);
	ck_assert_uint_eq(n, 3);
	ok("check");
	json_decref(site);
	json_decref(copy);
	json_decref(back);
	json_decref(again);
}
END_TEST

/* --- PostgreSQL only --- */

/* The password comes from a private file, named by --db-password-file or
 * $TNC_POLICY_DB_PASSWORD_FILE, never from the URI; a refused password
 * creates nothing. */
START_TEST(pg_password_from_a_private_file_only)
{
	char loose[128], uri[512];
	ck_assert_int_eq(adm("--db '%s' init", db), 1);
	ck_assert_msg(strstr(out, "password"), "%s", out);
	snprintf(loose, sizeof(loose), "%s/loose-password", dir);
	ck_assert_int_eq(tl_sh(out, OUT_MAX, "cp '%s' '%s' && chmod 0644 '%s'", pwfile, loose, loose),
	    0);
	ck_assert_int_eq(adm("--db '%s' --db-password-file '%s' init", db, loose), 1);
	ck_assert_msg(strstr(out, "must be mode 0600 or 0400"), "%s", out);
	snprintf(uri, sizeof(uri), "postgresql://tnc:hunter2-secret@%s", strchr(db, '@') + 1);
	ck_assert_int_eq(adm("--db '%s' --db-password-file '%s' init", uri, pwfile), 1);
	ck_assert_msg(strstr(out, "holds a password") && !strstr(out, "hunter2"), "%s", out);
	char *dump = tl_pg_dump(db, pwfile);
	ck_assert_str_eq(dump, "");
	free(dump);

	ck_assert_msg(tl_sh(out, OUT_MAX, "cd %s && TNC_POLICY_DB_PASSWORD_FILE='%s' %s/tncadm --db '%s'"
	                  " init 2>&1", dir, pwfile, TNC_BIN_DIR, db) == 0, "%s", out);
	/* the option over the environment */
	ck_assert_msg(tl_sh(out, OUT_MAX, "cd %s && TNC_POLICY_DB_PASSWORD_FILE='%s' %s/tncadm --db '%s'"
	                  " --db-password-file '%s' tables 2>&1", dir, loose, TNC_BIN_DIR, db, pwfile) == 0,
	    "%s", out);
}
END_TEST

/* Every command, init, and a copy into the database: exit 1 with the
 * reason, and a dump of the database the same before and after. */
static void
pg_refused_everywhere(const char *message)
{
	char *before = tl_pg_dump(db, pwfile);
	for (size_t i = 0; i < REFUSING_CMDS; i++)
		fails(1, message, refusing_cmds[i]);
	fails(1, message, "init");
	json_decref(adm_json_on("site.db", "", "init"));
	ck_assert_int_eq(migrate_to("site.db", "", db, pwfile), 1);
	ck_assert_msg(strstr(out, message), "'%s' lacks '%s'", out, message);
	char *after = tl_pg_dump(db, pwfile);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}

START_TEST(pg_newer_schema_is_refused_untouched)
{
	ok("init");
	ok("product add 'Debian 12 x86_64'");
	tl_pg_exec(db, pwfile, "INSERT INTO schema_version (version, applied) VALUES (99, 0)");
	pg_refused_everywhere("schema version 99 is newer than this build knows");
}
END_TEST

START_TEST(pg_foreign_database_is_refused_untouched)
{
	tl_pg_exec(db, pwfile,
	    "CREATE TABLE devices (id SERIAL PRIMARY KEY, value TEXT NOT NULL);"
	    "INSERT INTO devices (value) VALUES ('a'), ('b')");
	pg_refused_everywhere("not a tnc policy database");
}
END_TEST

/* The import into PostgreSQL goes through a temporary SQLite database:
 * it gives every listing an import into SQLite gives. */
START_TEST(pg_import_strongswan_same_as_into_sqlite)
{
	tl_copy_testdata("strongswan-policy-db/config.db", dir, "config.db");
	json_decref(adm_json_on("sqlite.db", "", "init"));
	json_t *sqlite_counts = adm_json_on("sqlite.db", "", "import-strongswan config.db");
	ok("init");
	json_t *pg_counts = adm_json("import-strongswan config.db");
	ck_assert(json_equal(sqlite_counts, pg_counts));
	json_t *sqlite = site_listings("sqlite.db", ""), *pg = site_listings(db, pwfile);
	assert_same_listings(sqlite, pg, "import-strongswan into PostgreSQL");
	ck_assert_int_ge(json_object_size(pg), 20);
	json_decref(sqlite_counts);
	json_decref(pg_counts);
	json_decref(sqlite);
	json_decref(pg);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tncadm");
	TCase *both = tcase_create(tl_policy_db_is_pg() ? "postgresql" : "sqlite");
	tcase_add_checked_fixture(both, setup, teardown);
	tcase_set_timeout(both, 60);
	tcase_add_test(both, help_version_and_bad_command_lines);
	tcase_add_test(both, model_commands_and_typed_json);
	tcase_add_test(both, device_package_files_session_commands);
	tcase_add_test(both, import_strongswan_matches_expected);
	tcase_add_test(both, migrate_to_copies_every_listing);
	tcase_add_test(both, migrate_to_a_changed_default_policy_is_refused);
	suite_add_tcase(s, both);
	TCase *own = tcase_create(tl_policy_db_is_pg() ? "postgresql_database" : "sqlite_file");
	tcase_add_checked_fixture(own, setup, teardown);
	tcase_set_timeout(own, 60);
	if (tl_policy_db_is_pg()) {
		tcase_add_test(own, pg_password_from_a_private_file_only);
		tcase_add_test(own, pg_newer_schema_is_refused_untouched);
		tcase_add_test(own, pg_foreign_database_is_refused_untouched);
		tcase_add_test(own, pg_import_strongswan_same_as_into_sqlite);
	} else {
		tcase_add_test(own, newer_and_corrupt_files_are_refused_untouched);
	}
	suite_add_tcase(s, own);
	return tl_run_suite(s);
}
