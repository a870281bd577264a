/* test_check_config.c - `tncd --check-config` refuses, in well under a
 * second and with file:line, every value a child would trip over at start
 * (empty choices, an [imv-os] value out of range, the [imv-os] policy keys
 * the policy database replaced, TLS files that are missing, unreadable or
 * do not match, gid 0, a read-only state directory, two children on one
 * uid, a database that is neither a path nor a postgresql:// URI, a URI
 * holding its password, which it never echoes, a password file without a
 * URI, missing or open to others), and passes the shipped etc/tncd.conf. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

static char dir[64], conf[128];

/* text with every '@' replaced by the test's directory, "@@" by '@' */
static void
expand(const char *text, char *buf, size_t size)
{
	size_t n = 0;
	for (; *text && n + sizeof(dir) + 1 < size; text++) {
		if (text[0] == '@' && text[1] == '@')
			buf[n++] = *text++;
		else if (*text == '@')
			n += (size_t)snprintf(buf + n, size - n, "%s", dir);
		else
			buf[n++] = *text;
	}
	buf[n] = 0;
}

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/tnc-check-XXXXXX");
	tl_mkdtemp(dir);
	snprintf(conf, sizeof(conf), "%s/tncd.conf", dir);
	tl_make_cert(dir, "a");
	tl_make_cert(dir, "b");
}

struct result {
	int rc;   /* exit code; 124: it hung (the timeout killed it) */
	long ms;
	char out[4096];
};

/* tncd --check-config on the file; a hang fails the test instead of hanging it. */
static void
check_file(const char *path, struct result *r)
{
	long start = tl_now_ms();
	r->rc = tl_sh(r->out, sizeof(r->out), "timeout 5 %s/tncd --check-config --config %s 2>&1",
	    TNC_BIN_DIR, path);
	r->ms = tl_now_ms() - start;
}

static void
check_text(const char *text, struct result *r)
{
	char body[2048];
	expand(text, body, sizeof(body));
	FILE *f = fopen(conf, "w");
	ck_assert_ptr_nonnull(f);
	fputs(body, f);
	fclose(f);
	check_file(conf, r);
}

static void
expect_refused(const struct result *r, const char *expect_after_conf)
{
	char want[1024], tail[768];
	expand(expect_after_conf, tail, sizeof(tail));
	snprintf(want, sizeof(want), "%s:%s", conf, tail);
	ck_assert_msg(r->rc == 1, "exit code %d (124: hung), output: %s", r->rc, r->out);
	ck_assert_msg(strstr(r->out, want), "got '%s', want '%s'", r->out, want);
	ck_assert_msg(r->ms < 1000, "took %ld ms", r->ms);
}

static const struct bad {
	const char *text;   /* "@" = the test directory (a.crt/a.key, b.crt/b.key), "@@" = "@" */
	const char *expect; /* after "<conf>:" */
} bad[] = {
	/* empty values of choice keys (used to spin for ever) */
	{"[tnccs]\nrecommendation_policy =\n",
	    "2: recommendation_policy: not one of the allowed words (default any all)"},
	{"[tnccs]\nrecommendation_policy = defaul\n", "2: recommendation_policy: not one of"},
	{"[tnccs]\npdp_server = pdp_1.example\n",
	    "2: pdp_server: must be an IPv4 address or a DNS name"},
	{"[tnccs]\npdp_server = 10.1.2\n", "2: pdp_server: must be an IPv4 address or a DNS name"},
	{"[tnccs]\npdp_port = 0\n", "2: pdp_port: not a number from 1 to 65535"},
	/* [imv-os] values */
	{"[imv-os]\nmax_segment_size = 100\n", "2: max_segment_size: not a number from 512 to 1000000"},
	{"[imv-os]\nmax_segment_size =\n", "2: max_segment_size: not a number from 512 to 1000000"},
	/* the OS IMV's policy is the database's now: its old keys are unknown */
	{"[imv-os]\nallowed_products = Debian GNU/Linux 12 x86_64\n",
	    "2: unknown key 'allowed_products' in section [imv-os]"},
	{"[imv-os]\nremediation_uri = https://nac.example/\nunknown_product = block\n",
	    "3: unknown key 'unknown_product' in section [imv-os]"},
	{"[imv-os]\nblacklisted_packages = telnetd\n",
	    "2: unknown key 'blacklisted_packages' in section [imv-os]"},
	{"[imv-os]\nmin_package_versions = bash>=5\n",
	    "2: unknown key 'min_package_versions' in section [imv-os]"},
	/* TLS files: missing, unreadable, not PEM, not matching */
	{"[ike]\ntls_cert = @/missing.crt\ntls_key = @/a.key\n",
	    "2: [ike] tls_cert: cannot open @/missing.crt: No such file or directory"},
	{"[ike]\ntls_cert = @\ntls_key = @/a.key\n", "2: [ike] tls_cert: @ is not a regular file"},
	{"[ike]\ntls_cert = @/a.crt\ntls_key = @/a.key\ntls_ca = @/fifo\n",
	    "4: [ike] tls_ca: @/fifo is not a regular file"},
	{"[ike]\ntls_cert = @/a.key\ntls_key = @/a.key\n",
	    "2: [ike] tls_cert: no usable PEM certificate chain in @/a.key"},
	{"[ike]\ntls_cert = @/a.crt\ntls_key = @/b.key\n",
	    "3: [ike] tls_key: the certificate in @/a.crt does not match the key in @/b.key"},
	{"[ike]\ntls_cert = @/a.crt\ntls_key = @/a.crt\n",
	    "3: [ike] tls_key: no usable unencrypted PEM private key in @/a.crt"},
	{"[ike]\ntls_key = @/a.key\n", "2: [ike] tls_key: set without tls_cert"},
	{"[ike]\ntls_cert = @/a.crt\n", "2: [ike] tls_cert: set without tls_key"},
	{"[ike]\ntls_ca = @/empty\n", "2: [ike] tls_ca: cannot read @/empty: empty"},
	{"[ike]\ntls_ca = @/big\n", "2: [ike] tls_ca: @/big is larger than 1048576 bytes"},
	/* ids */
	{"[imv-os]\ngroup = 0\n", "2: group '0' is gid 0: children never run with the root group"},
	{"[tnccs]\ngroup = root\n", "2: group 'root' is gid 0"},
	{"[ike]\nuser = 5000\n[tnccs]\nuser = 5000\n", "4: [tnccs] user 5000 is also the user of [ike]"},
	/* binaries and directories */
	{"[imv-os]\npath = @/a.crt\n", "2: [imv-os] path: cannot run @/a.crt: Permission denied"},
	{"[daemon]\nstate_dir = @/no/such/dir\n",
	    "2: state_dir @/no/such/dir: cannot use @/no/such: No such file or directory"},
	{"[daemon]\nstate_dir = @/a.crt\n", "2: state_dir @/a.crt: @/a.crt is not a directory"},
	/* [policy]: a database file or server, the server's password file */
	{"[policy]\ndatabase = tnc.db\n",
	    "2: database: must be an absolute path or a postgresql:// URI"},
	{"[policy]\ndatabase = mysql://127.0.0.1/tnc\n",
	    "2: database: must be an absolute path or a postgresql:// URI"},
	{"[policy]\ndatabase = postgresql://tnc:s3cret@@127.0.0.1:5432/tnc\n",
	    "2: database: the URI must not hold the password: put it in password_file"},
	{"[policy]\ndatabase = postgres://127.0.0.1/tnc?sslmode=require&password=s3cret\n",
	    "2: database: the URI must not hold the password: put it in password_file"},
	{"[policy]\npassword_file = @/pw600\n",
	    "2: [policy] password_file: set, but database is not a postgresql:// URI"},
	{"[policy]\ndatabase = @/state/policy/tnc.db\npassword_file = @/pw600\n",
	    "3: [policy] password_file: set, but database is not a postgresql:// URI"},
	{"[policy]\ndatabase = postgresql://tnc@@127.0.0.1/tnc\npassword_file = pw600\n",
	    "3: password_file: must be an absolute path"},
	{"[policy]\ndatabase = postgresql://tnc@@127.0.0.1/tnc\npassword_file = @/missing\n",
	    "3: [policy] password_file: cannot use @/missing: No such file or directory"},
	{"[policy]\ndatabase = postgresql://tnc@@127.0.0.1/tnc\npassword_file = @/fifo\n",
	    "3: [policy] password_file: @/fifo is not a regular file"},
	{"[policy]\ndatabase = postgresql://tnc@@127.0.0.1/tnc\npassword_file = @/pw640\n",
	    "3: [policy] password_file: @/pw640 is open to group or others: chmod 600 it"},
};

/* DIR/name holding text, grown with zeros to size bytes when size is
 * larger, with mode */
static void
make_file(const char *name, const char *text, off_t size, mode_t mode)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	if (size > (off_t)strlen(text))
		ck_assert_int_eq(truncate(path, size), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

START_TEST(bad_values_are_refused_with_file_and_line)
{
	struct result r;
	char path[128];
	setup();
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	make_file("empty", "", 0, 0644);
	make_file("big", "", 1024 * 1024 + 1, 0644); /* one byte past the cap on PEM files */
	make_file("pw600", "s3cret\n", 0, 0600);
	make_file("pw640", "s3cret\n", 0, 0640);
	check_text(bad[_i].text, &r);
	expect_refused(&r, bad[_i].expect);
	/* a password never reaches the output, wherever it was written */
	ck_assert_msg(!strstr(r.out, "s3cret"), "the password was echoed: %s", r.out);
}
END_TEST

/* A read-only mount and an immutable directory, as root meets them. */
START_TEST(read_only_state_dir_is_refused)
{
	struct result top, below, imm;
	char path[128], sh[256];
	setup();
	snprintf(path, sizeof(path), "%s/ro", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_msg(mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=64k") == 0, "mount: %m");
	check_text("[daemon]\nstate_dir = @/ro\n", &top);
	check_text("[daemon]\n\nstate_dir = @/ro/tnc\n", &below);
	umount(path); /* before any assertion can end the test */
	expect_refused(&top, "2: state_dir @/ro: cannot write in @/ro: Read-only file system");
	expect_refused(&below, "3: state_dir @/ro/tnc: cannot write in @/ro: Read-only file system");

	/* an existing child directory neither tncd nor the child could change */
	snprintf(path, sizeof(path), "%s/state/imv-os", dir);
	ck_assert_int_eq(tl_sh(sh, sizeof(sh), "mkdir -p %s && chattr +i %s", path, path), 0);
	check_text("[daemon]\nstate_dir = @/state\n", &imm);
	tl_sh(sh, sizeof(sh), "chattr -i %s", path);
	expect_refused(&imm, "2: state_dir @/state: cannot write in @/state/imv-os: "
	    "Operation not permitted");
}
END_TEST

START_TEST(good_files_pass)
{
	struct result r;
	setup();
	check_file(TNC_SOURCE_DIR "/etc/tncd.conf", &r);
	ck_assert_msg(r.rc == 0, "etc/tncd.conf refused: %s", r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "configuration is valid"));
	ck_assert_int_lt(r.ms, 1000);
	check_text("[daemon]\nstate_dir = @/state\ncontrol_group = 0\n"
	    "[ike]\ntls_cert = @/a.crt\ntls_key = @/a.key\ntls_ca = @/b.crt\n"
	    "[tnccs]\nrecommendation_policy = all\n"
	    "[imv-os]\ngroup = 64710\nremediation_uri = https://nac.example/remediation\n"
	    "max_segment_size = 4096\n", &r);
	ck_assert_msg(r.rc == 0, "refused: %s", r.out);
	ck_assert_int_lt(r.ms, 1000);
	/* a PostgreSQL server, with and without a password file (0400 too) */
	make_file("pw400", "s3cret\n", 0, 0400);
	check_text("[daemon]\nstate_dir = @/state\n[policy]\n"
	    "database = postgresql://tnc@@db.example:5432/tnc?sslmode=require\n"
	    "password_file = @/pw400\n", &r);
	ck_assert_msg(r.rc == 0, "refused: %s", r.out);
	check_text("[policy]\ndatabase = postgres://tnc@@127.0.0.1/tnc\n", &r);
	ck_assert_msg(r.rc == 0, "refused: %s", r.out);
	check_text("[policy]\ndatabase = @/state/policy/sessions.db\n", &r);
	ck_assert_msg(r.rc == 0, "refused: %s", r.out);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("check_config");
	TCase *tc = tcase_create("check_config");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, bad_values_are_refused_with_file_and_line, 0,
	    sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, read_only_state_dir_is_refused);
	tcase_add_test(tc, good_files_pass);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
