/* adm_ima_keys.c - tncadm ima-key: the IMA signing keys the attestation
 * IMV verifies ima-sig signatures with, kept as files in a directory
 * (tncd.conf [imv-attest] ima_keys_dir), which the IMV reads before it
 * enters its sandbox.  A key is written as a PEM public key named by its
 * IMA key id (what an ima-sig signature names its key by, computed here as
 * the IMV computes it: attest/ima_sig.h): DIR/<keyid>.pem.  Every regular
 * file in DIR whose name does not start with '.' is a key. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adm.h"
#include "adm_key.h"
#include "ima_sig.h"

#define KEYID_HEX 9 /* 4 bytes in hex, and the NUL */

static const char *
keys_dir(const struct adm *a)
{
	return a->opt[ADM_OPT_DIR] ? a->opt[ADM_OPT_DIR] : ADM_IMA_KEYS_DIR;
}

/* The IMA key id of k, by the attestation IMV's own code; -1 and err when
 * it refuses the key. */
static int
ima_keyid(const struct adm_key *k, const char *label, char hex[KEYID_HEX], char *err,
    size_t errlen)
{
	struct ima_keyring *ring = ima_keyring_new();
	struct attest_error ae = {0};
	uint32_t id;
	int rc = ima_keyring_add(ring, label, k->der, k->der_len, &id, &ae);
	ima_keyring_free(ring);
	if (rc < 0) {
		/* a long path may cut the reason short: the message says so */
		if (snprintf(err, errlen, "%s: %s", label, ae.reason) >= (int)errlen && errlen > 4)
			memcpy(err + errlen - 4, "...", 4);
		return -1;
	}
	snprintf(hex, KEYID_HEX, "%08x", id);
	return 0;
}

/* One key file of the directory: its key id, or why it is no key. */
struct key_file {
	const char *name;
	char keyid[KEYID_HEX];
	bool ok;
	struct adm_key key;
	char err[256];
};

typedef int key_file_fn(void *ctx, struct key_file *f);

/* Calls fn for every key file of dir in name order; 0, a non-zero return of
 * fn, or -1 when dir cannot be read (message printed). */
static int
each_key_file(const char *dir, key_file_fn *fn, void *ctx)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort), rc = 0;
	if (n < 0) {
		fprintf(stderr, "tncadm: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX];
		struct stat sb;
		struct key_file f = {.name = names[i]->d_name};
		snprintf(path, sizeof(path), "%s/%s", dir, f.name);
		if (!rc && f.name[0] != '.' && lstat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			f.ok = adm_key_read(path, &f.key, f.err, sizeof(f.err)) == 0 &&
			       ima_keyid(&f.key, path, f.keyid, f.err, sizeof(f.err)) == 0;
			rc = fn(ctx, &f);
			adm_key_clear(&f.key);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Writes k as PEM to dir/<keyid>.pem without replacing anything: a
 * temporary file, linked to its name.  0, or -1 with err. */
static int
write_key(const char *dir, const char *keyid, const struct adm_key *k, char *err,
    size_t errlen)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s.pem", dir, keyid);
	snprintf(tmp, sizeof(tmp), "%s/.%s.pem.XXXXXX", dir, keyid);
	int fd = mkstemp(tmp), rc = -1;
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* public keys: the IMV's user reads them */
	bool written = fchmod(fd, 0644) == 0 && PEM_write_PUBKEY(f, k->pkey) && fflush(f) == 0 &&
	               fsync(fd) == 0;
	if (fclose(f) != 0 || !written)
		snprintf(err, errlen, "%s: cannot write", tmp);
	else if (link(tmp, path) < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	else
		rc = 0;
	unlink(tmp);
	return rc;
}

/* A key already there with the same key id. */
struct twin {
	const char *keyid;
	const struct adm_key *key;
	char file[256];
	bool same;
};

static int
on_twin(void *ctx, struct key_file *f)
{
	struct twin *t = ctx;
	if (!f->ok || strcmp(f->keyid, t->keyid) || t->file[0])
		return 0;
	snprintf(t->file, sizeof(t->file), "%s", f->name);
	t->same = f->key.der_len == t->key->der_len && !memcmp(f->key.der, t->key->der, t->key->der_len);
	return 0;
}

int
cmd_ima_key_add(struct adm *a)
{
	char err[PATH_MAX + 128], keyid[KEYID_HEX];
	const char *dir = keys_dir(a);
	struct adm_key k;
	if (adm_key_read(a->args[0], &k, err, sizeof(err)) < 0 ||
	    ima_keyid(&k, a->args[0], keyid, err, sizeof(err)) < 0) {
		fprintf(stderr, "tncadm: %s\n", err);
		adm_key_clear(&k);
		return ADM_FAIL;
	}
	struct twin t = {.keyid = keyid, .key = &k};
	int code = ADM_OK;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "tncadm: %s: %s\n", dir, strerror(errno));
		code = ADM_FAIL;
	} else if (each_key_file(dir, on_twin, &t) < 0) {
		code = ADM_FAIL;
	} else if (t.file[0]) {
		fprintf(stderr, "tncadm: %s/%s: key id %s is there already (%s)\n", dir, t.file, keyid,
		    t.same ? "the same key" : "another key with the same key id");
		code = ADM_FAIL;
	} else if (write_key(dir, keyid, &k, err, sizeof(err)) < 0) {
		fprintf(stderr, "tncadm: %s\n", err);
		code = ADM_FAIL;
	} else {
		code = adm_done(a, 0, "IMA key %s (%s%s) added: %s/%s.pem", keyid, k.what,
		    k.from_certificate ? " from a certificate" : "", dir, keyid);
	}
	adm_key_clear(&k);
	return code;
}

static const struct ps_column key_columns[] = {
    {"keyid", PS_COL_TEXT}, {"file", PS_COL_TEXT}, {"key", PS_COL_TEXT}};

struct listing {
	ps_row_fn *row;
	void *row_ctx;
};

static int
on_list(void *ctx, struct key_file *f)
{
	struct listing *l = ctx;
	struct ps_cell cells[3] = {
	    {.null = !f->ok, .s = f->keyid}, {.s = f->name}, {.s = f->ok ? f->key.what : f->err}};
	return l->row(l->row_ctx, key_columns, cells, 3);
}

static int
fill_list(void *ctx, ps_row_fn *row, void *row_ctx)
{
	struct listing l = {row, row_ctx};
	return each_key_file(ctx, on_list, &l) < 0 ? -EIO : 0;
}

int
cmd_ima_key_list(struct adm *a)
{
	const char *dir = keys_dir(a);
	struct stat sb;
	/* what each_key_file() would refuse, before the listing starts */
	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "tncadm: %s: %s\n", dir, errno ? strerror(errno) : "not a directory");
		return ADM_FAIL;
	}
	return adm_print_rows(a, key_columns, 3, fill_list, (void *)dir);
}

struct removal {
	const char *dir, *keyid;
	size_t removed;
	int failed;
};

static int
on_remove(void *ctx, struct key_file *f)
{
	struct removal *r = ctx;
	char path[PATH_MAX];
	if (!f->ok || strcmp(f->keyid, r->keyid))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", r->dir, f->name);
	if (unlink(path) < 0) {
		fprintf(stderr, "tncadm: %s: %s\n", path, strerror(errno));
		r->failed = 1;
		return 1;
	}
	r->removed++;
	return 0;
}

int
cmd_ima_key_remove(struct adm *a)
{
	char keyid[KEYID_HEX];
	const char *id = a->args[0];
	if (strlen(id) != 8 || strspn(id, "0123456789abcdefABCDEF") != 8)
		return adm_usage_fail(a, "IMA key id '%s': 8 hex digits, as 'tncadm ima-key list'"
		                         " shows", id);
	for (int i = 0; i < KEYID_HEX; i++)
		keyid[i] = (char)(id[i] >= 'A' && id[i] <= 'F' ? id[i] - 'A' + 'a' : id[i]);
	struct removal r = {.dir = keys_dir(a), .keyid = keyid};
	if (each_key_file(r.dir, on_remove, &r) < 0 || r.failed)
		return ADM_FAIL;
	if (!r.removed) {
		fprintf(stderr, "tncadm: no IMA key '%s' in %s\n", keyid, r.dir);
		return ADM_FAIL;
	}
	return adm_done(a, 0, "IMA key %s removed from %s (%zu file%s)", keyid, r.dir, r.removed,
	    r.removed == 1 ? "" : "s");
}
