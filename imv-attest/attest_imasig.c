/* attest_imasig.c - signed IMA entries and the IMA keys (see
 * attest_imasig.h). */
#include "attest_imasig.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "ima.h"

#define KEY_FILE_MAX 16384

static struct ima_keyring *keys;

int
attest_imasig_load_keys(const char *dir, char *why, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d) {
		snprintf(why, size, "cannot open '%s'", dir);
		return TNC_ECONFIG;
	}
	if (!keys)
		keys = ima_keyring_new();
	while ((de = readdir(d))) {
		char path[4096];
		uint8_t buf[KEY_FILE_MAX];
		struct attest_error ae = {0};
		if (de->d_name[0] == '.' || de->d_type == DT_DIR)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		FILE *fp = fopen(path, "rb");
		if (!fp) {
			snprintf(why, size, "cannot open '%s'", path);
			closedir(d);
			return TNC_ECONFIG;
		}
		size_t len = fread(buf, 1, sizeof(buf), fp);
		bool whole = feof(fp);
		fclose(fp);
		if (!whole || ima_keyring_add(keys, de->d_name, buf, len, NULL, &ae) != 0) {
			snprintf(why, size, "'%s': %s", path, whole ? ae.reason :
			    "larger than a key or certificate");
			closedir(d);
			return TNC_ECONFIG;
		}
		n++;
	}
	closedir(d);
	return n;
}

bool
attest_imasig_have_keys(void)
{
	return keys != NULL;
}

void
attest_imasig_free_keys(void)
{
	ima_keyring_free(keys);
	keys = NULL;
}

struct read_ctx {
	struct attest_imasig_entry *e;
	enum digest_alg bank;
	char *why;
	size_t size;
};

/* The one entry: copied, so nothing points into the parser's buffers. */
static int
on_entry(void *ctx, const struct ima_entry *ie)
{
	struct read_ctx *c = ctx;
	struct attest_imasig_entry *e = c->e;

	if (ie->violation || !ie->template_hash_ok)
		snprintf(c->why, c->size, "its template hash is not the %s hash of its data",
		    digest_name(c->bank));
	else if (!ie->sig.len)
		snprintf(c->why, c->size, "the entry carries no signature");
	else if (ie->file_hash_digest < 0 || ie->file_hash.len > sizeof(e->file_hash) ||
	    ie->file_hash_alg.len >= sizeof(e->file_algo))
		snprintf(c->why, c->size, "its file digest is of an unknown algorithm");
	else if (!ie->path.len || ie->path.len >= sizeof(e->path))
		snprintf(c->why, c->size, "its file name is empty or longer than %u octets",
		    IPC_POLICY_PATH_MAX);
	else
		c->why[0] = 0;
	if (c->why[0])
		return TNC_EINVALID;
	e->pcr = ie->pcr;
	memcpy(e->template_hash, ie->template_hash, digest_size(c->bank));
	memcpy(e->file_algo, ie->file_hash_alg.ptr, ie->file_hash_alg.len);
	e->file_algo[ie->file_hash_alg.len] = 0;
	memcpy(e->file_hash, ie->file_hash.ptr, ie->file_hash.len);
	e->file_hash_len = ie->file_hash.len;
	memcpy(e->path, ie->path.ptr, ie->path.len);
	e->path[ie->path.len] = 0;
	e->path_len = ie->path.len;
	e->sig = ie->sig_result;
	return 0;
}

int
attest_imasig_read(struct bytes value, enum digest_alg bank, struct attest_imasig_entry *ret,
    char *why, size_t size)
{
	static struct ima_summary s; /* 13 KB of PCR banks: not on the stack */
	struct ima_options o;
	struct attest_error ae = {0};
	struct digest_ctx d;
	struct read_ctx c = {ret, bank, why, size};

	memset(ret, 0, sizeof(*ret));
	why[0] = 0;
	ima_options_default(&o);
	o.max_entries = 1;
	o.template_hash_alg = (int)bank;
	o.keys = keys;
	/* a binary entry starts with its PCR index, never an ASCII digit */
	if (!value.len || (value.ptr[0] >= '0' && value.ptr[0] <= '9')) {
		snprintf(why, size, "not a binary IMA measurement list entry");
		return TNC_EINVALID;
	}
	digest_ctx_init(&d);
	int rc = ima_replay(value.ptr, value.len, &o, &d, on_entry, &c, &s, &ae);
	digest_ctx_clear(&d);
	if (rc == 0 && s.entries != 1)
		snprintf(why, size, "not one IMA entry");
	else if (rc != 0 && !why[0])
		snprintf(why, size, "%s", ae.reason);
	return why[0] ? TNC_EINVALID : 0;
}

bool
attest_imasig_judge(struct attest_imasig *s, const struct attest_imasig_entry *e, uint32_t n,
    char *why, size_t size)
{
	s->entries++;
	switch (e->sig.status) {
	case IMA_SIG_VALID:
	case IMA_SIG_UNCHECKED:
		return true;
	case IMA_SIG_NO_KEY:
		snprintf(why, size, "IMA evidence %u for '%.64s': signed with key id %08x, which no "
		    "trusted IMA key has", n, e->path, e->sig.keyid);
		break;
	default:
		snprintf(why, size, "IMA evidence %u for '%.64s': signature %s%s%s", n, e->path,
		    ima_sig_status_name(e->sig.status), e->sig.reason[0] ? ": " : "", e->sig.reason);
	}
	if (!s->failed++)
		snprintf(s->failure, sizeof(s->failure), "%s", why);
	return false;
}
