/* adm_attest.c - tncadm for the attestation IMV: reference hashes from a
 * trusted IMA measurement list or from Debian packages, and a device's
 * AIK from its public key or certificate. */
#include <stdio.h>

#include "adm.h"
#include "adm_deb.h"
#include "adm_ima.h"
#include "adm_key.h"

int
cmd_files_import_ima(struct adm *a)
{
	char err[512];
	struct adm_hashes h;
	struct adm_ima_counts c;
	if (adm_ima_read(a->args[1], a->opt[ADM_OPT_ALGO], &h, &c, err, sizeof(err)) < 0) {
		fprintf(stderr, "tncadm: %s\n", err);
		return ADM_FAIL;
	}
	int e = policy_admin_files_import(a->store, a->args[0], h.h, h.n);
	int code = e ? adm_store_fail(a, e, a->args[1]) : ADM_OK;
	if (!code && a->json) {
		const char *names[] = {"entries", "imported", "repeated", "boot_aggregate",
		    "violations", "not_files", "other_algo"};
		int64_t values[] = {(int64_t)c.entries, (int64_t)c.imported, (int64_t)c.repeated,
		    (int64_t)c.boot_aggregate, (int64_t)c.violations, (int64_t)c.not_files,
		    (int64_t)c.other_algo};
		code = adm_print_counts(a, names, values, 7);
	} else if (!code) {
		code = adm_done(a, 0,
		    "%s: %zu entries, %zu file hashes for '%s'; skipped: %zu repeated, %zu boot_aggregate,"
		    " %zu violations, %zu not files, %zu of another algorithm",
		    a->args[1], c.entries, c.imported, a->args[0], c.repeated, c.boot_aggregate,
		    c.violations, c.not_files, c.other_algo);
	}
	adm_hashes_clear(&h);
	return code;
}

int
cmd_files_import_deb(struct adm *a)
{
	char err[512];
	struct adm_hashes h = {0};
	struct adm_deb_counts c, sum = {0};
	const char *algo = a->opt[ADM_OPT_ALGO] ? a->opt[ADM_OPT_ALGO] : "sha256";
	int code = ADM_OK;
	for (int i = 1; i < a->nargs && !code; i++) {
		if (adm_deb_read(a->args[i], algo, &h, &c, err, sizeof(err)) < 0) {
			fprintf(stderr, "tncadm: %s\n", err);
			code = ADM_FAIL;
		}
		sum.files += c.files;
		sum.hardlinks += c.hardlinks;
		sum.symlinks += c.symlinks;
	}
	/* all packages or none: one transaction */
	int e = code ? 0 : policy_admin_files_import(a->store, a->args[0], h.h, h.n);
	if (e)
		code = adm_store_fail(a, e, NULL);
	if (!code && a->json) {
		const char *names[] = {"packages", "files", "hardlinks", "symlinks"};
		int64_t values[] = {a->nargs - 1, (int64_t)sum.files, (int64_t)sum.hardlinks,
		    (int64_t)sum.symlinks};
		code = adm_print_counts(a, names, values, 4);
	} else if (!code) {
		code = adm_done(a, 0,
		    "%d packages: %zu %s hashes for '%s' (%zu files, %zu hard links); %zu symlinks"
		    " skipped",
		    a->nargs - 1, h.n, algo, a->args[0], sum.files, sum.hardlinks, sum.symlinks);
	}
	adm_hashes_clear(&h);
	return code;
}

int
cmd_device_aik(struct adm *a)
{
	char err[512], keyid[ADM_AIK_KEYID_HEX];
	struct adm_key k;
	bool trust = a->opt[ADM_OPT_TRUST] != NULL;
	if (adm_key_read(a->opt[ADM_OPT_FILE], &k, err, sizeof(err)) < 0) {
		fprintf(stderr, "tncadm: %s\n", err);
		return ADM_FAIL;
	}
	adm_key_aik_keyid(&k, keyid);
	int code = adm_done(a, policy_admin_device_aik(a->store, a->args[0], keyid, trust),
	    "device '%s': AIK %s (%s%s), key id %s, %s", a->args[0], a->opt[ADM_OPT_FILE], k.what,
	    k.from_certificate ? " from a certificate" : "", keyid,
	    trust ? "trusted" : "not trusted (tncadm device trust)");
	adm_key_clear(&k);
	return code;
}
