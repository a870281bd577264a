/* test_attest_file_wi.c - a file workitem end to end, without a TPM: tncd
 * (tnc-tnccs, tnc-policy, tnc-imv-attest) and tncclient's attestation IMC
 * run with --tpm none, on loopback.
 *
 * The endpoint's file is one the test writes; its reference hash is
 * imported with `tncadm files import` and a FREFM policy on its path is
 * enforced for every device.  The matching file gives allow, with the
 * workitem's result stored; the file changed gives isolate, the file named
 * in tncd's log and in `tncadm session show`; the file removed gives
 * isolate with the IMC's File Not Found.  No session asks anything of a
 * TPM (no D-H nonce, no AIK). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "tl_attest.h"

#define POLICY "Reference app.conf"

static char dir[64], file[128];
static char out[1 << 16];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_attest_file_wi.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/etc/app.conf", dir);
}

static void
teardown(void)
{
	char o[256];
	ck_assert_int_eq(tl_sh(o, sizeof(o), "rm -rf '%s'", dir), 0);
}

static void
write_file(const char *text)
{
	char o[256];
	ck_assert_int_eq(tl_sh(o, sizeof(o), "mkdir -p '%s/etc' && printf '%%s' '%s' > '%s'", dir,
	    text, file), 0);
}

/* tncd with the FREFM policy enforced for the default group and the
 * file's reference hash (the directory imported as the endpoint's). */
static void
server_start(struct tl_tncd *t)
{
	tl_tncd_start(t, "[imv-attest]\nlog.imv = 2\nlog.pts = 2\n", true);
	tl_policy_seed(t);
	tl_adm(t, "files import '%s' '%s/etc'", TL_PRODUCT, dir);
	tl_adm(t, "policy add '%s' --type FREFM --path '%s' --fail isolate --noresult no_access",
	    POLICY, file);
	tl_adm(t, "enforcement add '%s' Default", POLICY);
}

static int
client(struct tl_tncd *t)
{
	char facts[256];
	tl_facts_file(t, "files", "device_id = 0123456789abcdef\n", facts, sizeof(facts));
	return tl_sh(out, sizeof(out), "%s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
	    "--timeout 30 --verbose --tpm none 2>&1", TNC_BIN_DIR, t->port, t->ca, facts);
}

START_TEST(reference_file_allows_then_changed_isolates)
{
	struct tl_tncd t;
	char line[300];

	write_file("listen = 127.0.0.1\n");
	server_start(&t);
	int rc = client(&t);
	ck_assert_msg(rc == 0, "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	ck_assert_msg(strstr(out, "access recommendation: allow"), "%s", tl_out_tail(out));
	ck_assert_msg(strstr(out, "initialized without a TPM"), "%s", tl_out_tail(out));
	snprintf(line, sizeof(line), "1 files of file '%s' match their reference", file);
	tl_assert_logged(&t, line);
	tl_assert_stored(&t, "FREFM", line);
	ck_assert_int_eq(tl_log_count(&t, "D-H Nonce"), 0);
	ck_assert_int_eq(tl_log_count(&t, "AIK"), 0);

	write_file("listen = 0.0.0.0\n");
	rc = client(&t);
	ck_assert_msg(rc == 2, "tncclient exit %d, wanted isolate:\n%s", rc, tl_out_tail(out));
	snprintf(line, sizeof(line), "'%s' differs from its reference", file);
	tl_assert_logged(&t, line);
	tl_assert_stored(&t, "FREFM", line);

	ck_assert_int_eq(remove(file), 0);
	rc = client(&t);
	ck_assert_msg(rc == 2, "tncclient exit %d, wanted isolate:\n%s", rc, tl_out_tail(out));
	snprintf(line, sizeof(line), "'%s': File Not Found", file);
	tl_assert_logged(&t, line);
	tl_assert_stored(&t, "FREFM", line);
	tl_tncd_stop(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("attest_file_wi");
	TCase *tc = tcase_create("no_tpm");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, reference_file_allows_then_changed_isolates);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
