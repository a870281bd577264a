/* test_tncadm.c - tncadm as an operator and a script use it: every
 * subcommand, options anywhere, JSON with typed fields (parsed back with
 * jansson), exit codes and messages for bad arguments and unknown names, a
 * database of a newer schema and a corrupt file (refused, the file's hash
 * unchanged), and import-strongswan against config.db.expected. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy_store.h"
#include "testlib.h"

#define OUT_MAX (1 << 20)

static char dir[64], db[128];
static char *out;

static void
setup(void)
{
	strcpy(dir, "/tmp/test_tncadm.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/tnc.db", dir);
	out = malloc(OUT_MAX);
	ck_assert_ptr_nonnull(out);
}

static void
teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(out);
}

/* Runs tncadm ARGS (stderr into the output too); returns the exit code. */
static int
adm(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
adm(const char *fmt, ...)
{
	char args[1536];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	return tl_sh(out, OUT_MAX, "cd %s && %s/tncadm %s 2>&1", dir, TNC_BIN_DIR, args);
}

/* Runs tncadm --json --db DB ARGS; asserts exit 0 and returns the parsed JSON. */
static json_t *
adm_json(const char *args)
{
	int rc = tl_sh(out, OUT_MAX, "cd %s && %s/tncadm --db %s %s --json", dir, TNC_BIN_DIR, db,
	    args);
	ck_assert_msg(rc == 0, "tncadm %s: exit %d: %s", args, rc, out);
	json_error_t e;
	json_t *j = json_loads(out, 0, &e);
	ck_assert_msg(j != NULL, "tncadm %s: not JSON (%s): %s", args, e.text, out);
	return j;
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
	int rc = adm("--db %s %s", db, args);
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
	    {"--db", "--db needs a FILE"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		fails(2, bad[i].message, bad[i].args);
	/* no database at all: refused with the path, nothing created */
	fails(1, "No such file or directory", "product list");
	ck_assert_int_ne(access(db, F_OK), 0);
}
END_TEST

START_TEST(model_commands_and_typed_json)
{
	ok("init");
	fails(1, "exists already", "init");
	ok("check");
	ok("migrate");
	ck_assert_ptr_nonnull(strstr(out, "at schema"));
	/* options anywhere, before and between the command words */
	ck_assert_int_eq(adm("--json product --db %s add 'Debian 12 x86_64'", db), 0);
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
	char path[192];
	snprintf(path, sizeof(path), "%s/status", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("Package: openssl\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u2\n"
	      "Description: x\n continuation: not a field\n\n"
	      "Package: gone\nStatus: deinstall ok config-files\nVersion: 1.0\n\n"
	      "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n", f);
	fclose(f);
	j = adm_json("package import 'Debian 12 x86_64' status");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "stanzas")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "added")), 2);
	json_decref(j);
	snprintf(path, sizeof(path), "%s/Packages", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("Package: openssl\nVersion: 3.0.13-1~deb12u1\n\nPackage: curl\nVersion: 7.88.1-10\n", f);
	fclose(f);
	ok("package import 'Debian 12 x86_64' Packages --security");
	snprintf(path, sizeof(path), "%s/bad", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("Package: x\nVersion: 1:\n", f);
	fclose(f);
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

	/* sessions, as tnc-policy will write them */
	struct policy_store *s;
	char err[256];
	int64_t id;
	struct ps_device dev;
	struct ps_workitem *w;
	size_t n;
	ck_assert_int_eq(policy_store_open(db, 0, &s, err, sizeof(err)), 0);
	ck_assert_int_eq(policy_store_session_create(s, 1800000000, 7, "dn", "CN=client", &id), 0);
	ck_assert_int_eq(policy_store_session_device(s, id, 1800000000, "Debian 12 x86_64",
	                     "3d1219c7", &dev), 0);
	ck_assert_int_eq(policy_store_workitems_create(s, id, 1800000000, &w, &n), 0);
	ck_assert_int_eq(policy_store_workitem_result(s, w[0].id, 1, IMV_REC_ISOLATE, "2 outdated"),
	    0);
	ck_assert_int_eq(policy_store_session_finish(s, id, IMV_REC_ISOLATE,
	                     IMV_EVAL_NONCOMPLIANT_MINOR), 0);
	policy_store_workitems_free(w, n);
	policy_store_close(s);
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

/* Every command on a refused file: exit 1, the reason, the file unchanged. */
static void
refused_everywhere(const char *path, const char *message)
{
	static const char *const cmds[] = {"product list", "product add X", "device list",
	    "device add d", "session list", "tables", "check", "migrate", "policy list",
	    "import-strongswan /dev/null", "package list P"};
	unsigned char before[32], after[32];
	tl_sha256_file(path, before);
	snprintf(db, sizeof(db), "%s", path);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fails(1, message, cmds[i]);
	fails(1, "exists already", "init");
	tl_sha256_file(path, after);
	ck_assert_mem_eq(before, after, 32);
}


START_TEST(newer_and_corrupt_databases_are_refused_untouched)
{
	refused_everywhere(tl_copy_testdata("policy-db/v99-future.db", dir, "future.db"),
	    "schema version 99 is newer than this build knows");
	const char *path = tl_copy_testdata("policy-db/v1.db", dir, "corrupt.db");
	ck_assert_int_eq(tl_sh(out, OUT_MAX,
	                     "dd if=/dev/urandom of=%s bs=4096 seek=3 count=4 conv=notrunc 2>&1", path),
	    0);
	refused_everywhere(path, "corrupt");
	path = tl_copy_testdata("strongswan-policy-db/PROVENANCE.md", dir, "text.db");
	refused_everywhere(path, "not a SQLite database");
}
END_TEST

/* config.db.expected: "rows T N", "product ID NAME", "group ID NAME",
 * "enforcement ID POLICY GROUP MAX_AGE". */
START_TEST(import_strongswan_matches_expected)
{
	const char *ss = tl_copy_testdata("strongswan-policy-db/config.db", dir, "config.db");
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
	fails(1, "not a strongSwan IMV policy database", "import-strongswan tnc.db");
	tl_sha256_file(ss, after);
	ck_assert_mem_eq(before, after, 32);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tncadm");
	TCase *tc = tcase_create("cli");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, help_version_and_bad_command_lines);
	tcase_add_test(tc, model_commands_and_typed_json);
	tcase_add_test(tc, device_package_files_session_commands);
	tcase_add_test(tc, newer_and_corrupt_databases_are_refused_untouched);
	tcase_add_test(tc, import_strongswan_matches_expected);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
