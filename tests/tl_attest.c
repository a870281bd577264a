/* tl_attest.c - the attestation integration tests' endpoint, server,
 * client and checks (see tl_attest.h). */
#include "tl_attest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testlib.h"
#include "tpm_conn.h"
#include "tpm_replay.h"

char tl_attest_base[64];

void
tl_attest_base_setup(void)
{
	snprintf(tl_attest_base, sizeof(tl_attest_base), "/tmp/%s.XXXXXX",
	    program_invocation_short_name);
	ck_assert_ptr_nonnull(mkdtemp(tl_attest_base));
	ck_assert_int_eq(chmod(tl_attest_base, 0755), 0);
	setenv("TSS2_LOG", "all+none", 1);
}

void
tl_attest_base_teardown(void)
{
	char o[256];
	ck_assert_int_eq(tl_sh(o, sizeof(o),
	    "for d in '%s'/*/tpm; do [ ! -e \"$d\" ] || '%s' stop \"$d\"; done; rm -rf '%s'",
	    tl_attest_base, TL_SWTPM_START, tl_attest_base), 0);
}

void
tl_endpoint_make(struct tl_endpoint *e, const char *mode)
{
	char o[512];

	snprintf(e->dir, sizeof(e->dir), "%s/XXXXXX", tl_attest_base);
	ck_assert_ptr_nonnull(mkdtemp(e->dir));
	ck_assert_int_eq(chmod(e->dir, 0755), 0);
	ck_assert_int_eq(tl_sh(e->tcti, sizeof(e->tcti), "'%s' start '%s/tpm' --no-startup 2>&1",
	    TL_SWTPM_START, e->dir), 0);
	e->tcti[strcspn(e->tcti, "\n")] = 0;
	/* the helper prints the number of entries of ima.bin */
	int rc = tl_sh(o, sizeof(o), "%s/tnc-test-attest-evidence %s '%s/%s' '%s/%s' %d '%s' 2>&1",
	    TNC_BIN_DIR, mode, TNC_TESTDATA_DIR, TL_BIOS_LOG, TNC_TESTDATA_DIR, TL_IMA_LIST,
	    TL_ATTEST_UNKNOWN, e->dir);
	ck_assert_msg(rc == 0, "%s", o);
	e->ima_entries = (unsigned)atoi(o);
	ck_assert_uint_gt(e->ima_entries, TL_ATTEST_UNKNOWN + 100);
	snprintf(e->bios, sizeof(e->bios), "%s/%s", TNC_TESTDATA_DIR, TL_BIOS_LOG);
	snprintf(e->ima, sizeof(e->ima), "%s/ima.bin", e->dir);
	snprintf(e->aik_dir, sizeof(e->aik_dir), "%s/aik", e->dir);
	ck_assert_int_eq(mkdir(e->aik_dir, 0700), 0);
}

void
tl_endpoint_replay(struct tl_endpoint *e)
{
	char err[256];
	struct tpm *t;
	struct tpm_aik *aik;
	struct tpm_replay r;
	size_t len;

	ck_assert_msg(tpm_open(e->tcti, &t, err, sizeof(err)) == 0, "%s", err);
	uint8_t *bios = tl_read_file(e->bios, &len);
	ck_assert_ptr_nonnull(bios);
	ck_assert_msg(tpm_replay_boot(t, bios, len, &r) == 0, "%s", tpm_error(t));
	free(bios);
	uint8_t *ima = tl_read_file(e->ima, &len);
	ck_assert_ptr_nonnull(ima);
	ck_assert_msg(tpm_replay_ima(t, ima, len, &r) == 0, "%s", tpm_error(t));
	free(ima);
	ck_assert_msg(tpm_aik_load(t, e->aik_dir, TPM_AIK_ECC_P256, &aik) == 0, "%s", tpm_error(t));
	for (size_t i = 0; i < TPM_AIK_KEYID_SIZE; i++)
		snprintf(e->keyid + 2 * i, 3, "%02x", tpm_aik_keyid(aik)[i]);
	tpm_aik_free(aik);
	tpm_close(t);
}

void
tl_attest_server_start(struct tl_tncd *t, const struct tl_endpoint *e,
    const char *imv_attest_conf, bool trust)
{
	char conf[512];

	snprintf(conf, sizeof(conf), "[imv-attest]\nlog.imv = 2\nlog.pts = 2\n%s",
	    imv_attest_conf ? imv_attest_conf : "");
	tl_tncd_start(t, conf, true);
	tl_policy_seed(t);
	tl_adm(t, "policy add 'TPM Remote Attestation' --type TPMRA --fail isolate "
	    "--noresult no_access");
	tl_adm(t, "enforcement add 'TPM Remote Attestation' Default");
	tl_adm(t, "files import-ima '%s' '%s/ima-known.bin' --algo sha256", TL_PRODUCT, e->dir);
	tl_adm(t, "device add %s --product '%s' --aik %s", e->keyid, TL_PRODUCT, e->keyid);
	tl_adm(t, "device aik %s --file '%s/aik.pem'%s", e->keyid, e->aik_dir,
	    trust ? " --trust" : "");
}

int
tl_attest_client(struct tl_tncd *t, const struct tl_endpoint *e, const char *bios,
    const char *ima, const char *env, char *out, size_t size)
{
	char facts[256], text[128];

	snprintf(text, sizeof(text), "device_id = %s\n", e->keyid);
	tl_facts_file(t, "attest", text, facts, sizeof(facts));
	return tl_sh(out, size, "%s %s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
	    "--timeout 60 --verbose --tpm '%s' --aik-dir '%s' --bios-log '%s' --ima-list '%s' 2>&1",
	    env ? env : "", TNC_BIN_DIR, t->port, t->ca, facts, e->tcti, e->aik_dir,
	    bios ? bios : e->bios, ima ? ima : e->ima);
}

void
tl_assert_stored(struct tl_tncd *t, const char *type, const char *needle)
{
	const char *list = tl_adm(t, "session list --limit 1");
	int id = 0;
	for (const char *p = list; *p && !id; p++)
		if (*p >= '1' && *p <= '9')
			id = atoi(p);
	ck_assert_int_gt(id, 0);
	const char *show = tl_adm(t, "session show %d", id);
	ck_assert_msg(strstr(show, type) && strstr(show, needle),
	    "session %d does not show %s with '%s':\n%s", id, type, needle, show);
}
