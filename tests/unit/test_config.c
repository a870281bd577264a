/* test_config.c - tncd.conf: defaults, every key, and bad lines refused
 * with file:line and the reason. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "address.h"
#include "config.h"
#include "testlib.h"

static char path[64];

static int
load_text(const char *text, struct tncd_config *cfg, char *err, size_t errlen)
{
	snprintf(path, sizeof(path), "/tmp/tnc-cfg-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	int rc = config_load(path, cfg, err, errlen);
	unlink(path);
	return rc;
}

START_TEST(defaults_without_a_file)
{
	struct tncd_config cfg;
	char err[256];
	ck_assert_int_eq(config_load(NULL, &cfg, err, sizeof(err)), 0);
	ck_assert_str_eq(cfg.control_socket, "/run/tnc/tncd.ctl");
	ck_assert_str_eq(cfg.state_dir, "/var/lib/tnc");
	/* the system user named like the process, else the manifest's fallback */
	const struct passwd *os = getpwnam("tnc-imv-os"), *ike = getpwnam("tnc-ike");
	ck_assert_uint_eq(cfg.procs[ROLE_IMV_OS].uid, os ? os->pw_uid : 70710);
	ck_assert_uint_eq(cfg.procs[ROLE_IKE].gid, ike ? ike->pw_gid : 70701);
	ck_assert(cfg.procs[ROLE_IMV_ATTEST].enabled);
	ck_assert_int_eq(config_log_level(&cfg, ROLE_TNCCS, LOG_TNC), LOG_LEVEL_DEFAULT);
	ck_assert_str_eq(config_role_value(&cfg, ROLE_IKE, "pt_tls_listen"), "127.0.0.1:271");
	ck_assert_str_eq(config_role_value(&cfg, ROLE_TNCCS, "recommendation_policy"), "default");
	config_clear(&cfg);
}
END_TEST

START_TEST(the_shipped_config_is_valid)
{
	struct tncd_config cfg;
	char err[256];
	int rc = config_load(TNC_SOURCE_DIR "/etc/tncd.conf", &cfg, err, sizeof(err));
	ck_assert_msg(rc == 0, "%s", err);
	config_clear(&cfg);
}
END_TEST

START_TEST(every_key)
{
	struct tncd_config cfg;
	char err[256];
	const char *text =
	    "# comment\n"
	    "[daemon]\n"
	    "control_socket = /tmp/x.ctl\n"
	    "control_group = 4\n"
	    "state_dir = /tmp/state\n"
	    "restart_delay_ms = 50\n"
	    "restart_delay_max_ms = 800\n"
	    "restart_reset_ms = 1000\n"
	    "ready_timeout_ms = 2000\n"
	    "ping_interval_ms = 300\n"
	    "ping_timeout_ms = 900\n"
	    "stop_timeout_ms = 700\n"
	    "[log]\n"
	    "default = 2\n"
	    "tnc = 4\n"
	    "lines_per_second = 50000\n"
	    "[imv-attest]\n"
	    "user = 5000\n"
	    "group = 5001\n"
	    "enabled = no\n"
	    "path = /bin/true\n"
	    "log.pts = -1\n";
	ck_assert_msg(load_text(text, &cfg, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(cfg.control_socket, "/tmp/x.ctl");
	ck_assert_uint_eq(cfg.control_gid, 4);
	ck_assert_uint_eq(cfg.restart_delay_ms, 50);
	ck_assert_uint_eq(cfg.restart_delay_max_ms, 800);
	ck_assert_uint_eq(cfg.stop_timeout_ms, 700);
	ck_assert_uint_eq(cfg.log_lines_per_second, 50000);
	ck_assert_uint_eq(cfg.procs[ROLE_IMV_ATTEST].uid, 5000);
	ck_assert_uint_eq(cfg.procs[ROLE_IMV_ATTEST].gid, 5001);
	ck_assert(!cfg.procs[ROLE_IMV_ATTEST].enabled);
	ck_assert_str_eq(cfg.procs[ROLE_IMV_ATTEST].path, "/bin/true");
	ck_assert_int_eq(config_log_level(&cfg, ROLE_IMV_ATTEST, LOG_PTS), -1);
	ck_assert_int_eq(config_log_level(&cfg, ROLE_IMV_ATTEST, LOG_TNC), 4);
	ck_assert_int_eq(config_log_level(&cfg, ROLE_IKE, LOG_IKE), 2);
	config_clear(&cfg);
}

/* Values that fit: whole choice words, an empty remediation_uri, the root
 * group for control_group (root only), the smallest max_segment_size. */
START_TEST(good_values)
{
	struct tncd_config cfg;
	char err[512];
	const char *text = "[daemon]\ncontrol_group = 0\n"
	    "[tnccs]\nrecommendation_policy = any\n"
	    "[imv-os]\nremediation_uri =\nmax_segment_size = 512\n"
	    "[imv-swima]\nuser = 64799\nreassembly_total_max = 1048576\n";
	ck_assert_msg(load_text(text, &cfg, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(cfg.control_gid, 0);
	ck_assert_str_eq(config_role_value(&cfg, ROLE_TNCCS, "recommendation_policy"), "any");
	ck_assert_str_eq(config_role_value(&cfg, ROLE_IMV_OS, "remediation_uri"), "");
	ck_assert_str_eq(config_role_value(&cfg, ROLE_IMV_OS, "max_segment_size"), "512");
	ck_assert_uint_eq(cfg.procs[ROLE_IMV_SWIMA].uid, 64799);
	ck_assert_str_eq(config_role_value(&cfg, ROLE_IMV_SWIMA, "reassembly_total_max"), "1048576");
	ck_assert_str_eq(config_role_value(&cfg, ROLE_IMV_ATTEST, "reassembly_conn_max"), "4194304");
	config_clear(&cfg);
}
END_TEST

START_TEST(role_keys)
{
	struct tncd_config cfg;
	char err[256];
	const char *text = "[tnccs]\nrecommendation_policy = all\n[ike]\npt_tls_listen = [::1]:4000\n"
	    "[imv-os]\nremediation_uri = https://nac.example/remediation\n";
	ck_assert_msg(load_text(text, &cfg, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(config_role_value(&cfg, ROLE_TNCCS, "recommendation_policy"), "all");
	ck_assert_str_eq(config_role_value(&cfg, ROLE_IKE, "pt_tls_listen"), "[::1]:4000");
	ck_assert_str_eq(config_role_value(&cfg, ROLE_IMV_OS, "remediation_uri"),
	    "https://nac.example/remediation");
	ck_assert_str_eq(config_role_value(&cfg, ROLE_IKE, "no_such_key"), "");
	config_clear(&cfg);
}
END_TEST

static const struct bad {
	const char *text;
	const char *expect; /* after "path:" */
} bad[] = {
	{"[daemon]\nnope = 1\n", "2: unknown key 'nope' in section [daemon]"},
	{"[nowhere]\n", "1: unknown section [nowhere]"},
	{"[tncd]\n", "1: unknown section [tncd]"},
	{"key = 1\n", "1: key 'key' outside of any [section]"},
	{"[daemon]\njust words\n", "2: expected 'key = value' or '[section]'"},
	{"[daemon\n", "1: section header must look like [name]"},
	{"[daemon]\nrestart_delay_ms = fast\n", "2: restart_delay_ms must be a number of milliseconds from 10 to 600000, not 'fast'"},
	{"[daemon]\nrestart_delay_ms = 5\n", "2: restart_delay_ms must be a number"},
	{"[daemon]\ncontrol_socket = relative\n", "2: control_socket must be an absolute path"},
	{"[log]\nlines_per_second = 5\n", "2: lines_per_second must be a number from 10 to 1000000, not '5'"},
	{"[log]\ntnc = 9\n", "2: log level of 'tnc' must be a number from -1 to 4, not '9'"},
	{"[log]\nfoo = 1\n", "2: unknown log subsystem 'foo'"},
	{"[ike]\nuser = root\n", "2: user 'root' is root: children never run as root"},
	{"[ike]\nuser = no-such-user-here\n", "2: unknown user 'no-such-user-here'"},
	{"[ike]\nuser = 0\n", "2: unknown user '0'"},
	{"[imv-os]\nenabled = maybe\n", "2: enabled must be yes or no"},
	{"[imv-os]\n\n\nlog.nope = 1\n", "4: unknown log subsystem 'nope'"},
	{"[daemon]\nrestart_delay_ms = 500\nrestart_delay_max_ms = 100\n", " restart_delay_max_ms is below restart_delay_ms"},
	{"[tnccs]\nrecommendation_policy = most\n", "2: recommendation_policy: not one of the allowed words (default any all)"},
	{"[ike]\npt_tls_listen = localhost\n", "2: pt_tls_listen: must be IPv4:port, [IPv6]:port or no"},
	{"[ike]\nmax_batch_size = 10\n", "2: max_batch_size: not a number from 1024 to 1040000"},
	{"[imv-os]\npt_tls_listen = 127.0.0.1:1\n", "2: unknown key 'pt_tls_listen' in section [imv-os]"},
	/* choices: whole words only, never the empty one */
	{"[tnccs]\nrecommendation_policy =\n", "2: recommendation_policy: not one of the allowed words"},
	{"[tnccs]\nrecommendation_policy = an\n", "2: recommendation_policy: not one of"},
	{"[tnccs]\nrecommendation_policy = any all\n", "2: recommendation_policy: not one of"},
	{"[tnccs]\nrecommendation_policy = ll\n", "2: recommendation_policy: not one of"},
	/* [imv-os]: the policy keys the policy database replaced are unknown */
	{"[imv-os]\nallowed_products = Debian GNU/Linux 12 x86_64\n", "2: unknown key 'allowed_products' in section [imv-os]"},
	{"[imv-os]\nunknown_product = block\n", "2: unknown key 'unknown_product' in section [imv-os]"},
	{"[imv-os]\nblacklisted_packages = telnetd\n", "2: unknown key 'blacklisted_packages' in section [imv-os]"},
	{"[imv-os]\nmin_package_versions = bash>=5\n", "2: unknown key 'min_package_versions' in section [imv-os]"},
	{"[imv-os]\nmax_segment_size = 2000000\n", "2: max_segment_size: not a number from 512 to 1000000"},
	{"[imv-os]\nmax_segment_size = 511\n", "2: max_segment_size: not a number from 512 to 1000000"},
	{"[imv-attest]\nreassembly_conn_max = 4096\n", "2: reassembly_conn_max: not a number from 65536 to 536870912"},
	/* ids: no root group for children, one uid per child */
	{"[imv-os]\ngroup = 0\n", "2: group '0' is gid 0: children never run with the root group"},
	{"[imv-os]\nuser = 64799\n[imv-swima]\nuser = 64799\n", "4: [imv-swima] user 64799 is also the user of [imv-os]"},
	{"[imv-attest]\nuser = 70701\n", "2: [imv-attest] user 70701 is also the user of [ike]"},
	/* whole-file checks: the line the value was set on */
	{"[imv-os]\n\npath = /nonexistent/tnc\n", "3: [imv-os] path: cannot run /nonexistent/tnc"},
	{"[daemon]\nstate_dir = /nonexistent/a/b\n", "2: state_dir /nonexistent/a/b: cannot use /nonexistent/a"},
	{"[ike]\ntls_ca = /nonexistent.pem\n", "2: [ike] tls_ca: cannot open /nonexistent.pem"},
};

START_TEST(bad_lines_are_refused_with_file_and_line)
{
	struct tncd_config cfg;
	char err[512], expect[512];
	config_defaults(&cfg);
	cfg.restart_delay_ms = 4242;
	ck_assert_int_eq(load_text(bad[_i].text, &cfg, err, sizeof(err)), TNC_ECONFIG);
	snprintf(expect, sizeof(expect), "%s:%s", path, bad[_i].expect);
	ck_assert_msg(strncmp(err, expect, strlen(expect)) == 0, "got '%s', want '%s'", err, expect);
	/* nothing of a refused file is used */
	ck_assert_uint_eq(cfg.restart_delay_ms, 4242);
	config_clear(&cfg);
}
END_TEST

START_TEST(missing_file)
{
	struct tncd_config cfg;
	char err[256];
	ck_assert_int_lt(config_load("/nonexistent/tncd.conf", &cfg, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/tncd.conf: No such file"));
}
END_TEST

START_TEST(address_parsing)
{
	struct address a;
	char buf[64];
	ck_assert_int_eq(address_parse("127.0.0.1:271", &a), 0);
	ck_assert_str_eq(address_format((struct sockaddr *)&a.ss, buf, sizeof(buf)), "127.0.0.1:271");
	ck_assert_int_eq(address_parse("[::1]:4000", &a), 0);
	ck_assert_str_eq(address_format((struct sockaddr *)&a.ss, buf, sizeof(buf)), "[::1]:4000");
	ck_assert_int_ne(address_parse("127.0.0.1", &a), 0);
	ck_assert_int_ne(address_parse("127.0.0.1:0", &a), 0);
	ck_assert_int_ne(address_parse("127.0.0.1:65536", &a), 0);
	ck_assert_int_ne(address_parse("[::1:4000", &a), 0);
	ck_assert_int_ne(address_parse("host:80", &a), 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");
	tcase_add_test(tc, defaults_without_a_file);
	tcase_add_test(tc, the_shipped_config_is_valid);
	tcase_add_test(tc, every_key);
	tcase_add_loop_test(tc, bad_lines_are_refused_with_file_and_line, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, role_keys);
	tcase_add_test(tc, good_values);
	tcase_add_test(tc, address_parsing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
