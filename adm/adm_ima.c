/* adm_ima.c - reference hashes from an IMA measurement list, parsed and
 * checked by tnc_attest's ima_replay() (see adm_ima.h). */
#include "adm_ima.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ima.h"

struct collect {
	int algo; /* enum digest_alg; -1: every one */
	struct adm_hashes *out;
	struct adm_ima_counts *c;
	char *err;
	size_t errlen;
};

/* The whole file, at most ADM_IMA_LIST_MAX bytes; NULL with err set. */
static uint8_t *
read_list(const char *path, size_t *ret_len, char *err, size_t errlen)
{
	struct stat sb;
	uint8_t *buf = NULL;
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > (off_t)ADM_IMA_LIST_MAX) {
		snprintf(err, errlen, "%s: %s", path,
		    S_ISREG(sb.st_mode) ? "larger than an IMA list may be" : "not a regular file");
		goto out;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (!buf)
		abort();
	ssize_t n;
	while (len < (size_t)sb.st_size && (n = read(fd, buf + len, (size_t)sb.st_size - len)) > 0)
		len += (size_t)n;
	if (len == 0 || len < (size_t)sb.st_size) {
		snprintf(err, errlen, "%s: %s", path, len == (size_t)sb.st_size ? "empty" : "cannot read");
		free(buf);
		buf = NULL;
	}
out:
	if (fd >= 0)
		close(fd);
	*ret_len = len;
	return buf;
}

static bool
is_file(const struct ima_entry *e)
{
	return e->path.len > 0 && e->path.ptr[0] == '/' && !e->buf.ptr &&
	       !memchr(e->path.ptr, '\0', e->path.len);
}

static int
on_entry(void *ctx, const struct ima_entry *e)
{
	struct collect *k = ctx;
	struct adm_ima_counts *c = k->c;
	c->entries++;
	if (e->violation) {
		c->violations++;
		return 0;
	}
	if (!e->template_hash_ok) {
		snprintf(k->err, k->errlen,
		    "entry %u: the template hash does not match the entry's data: not the list IMA wrote",
		    e->index);
		return TNC_EINVALID;
	}
	if (e->path.len == 14 && !memcmp(e->path.ptr, "boot_aggregate", 14)) {
		c->boot_aggregate++;
		return 0;
	}
	if (!is_file(e)) {
		c->not_files++;
		return 0;
	}
	if (e->file_hash_digest < 0 || e->file_hash.len != digest_size(e->file_hash_digest) ||
	    (k->algo >= 0 && e->file_hash_digest != k->algo)) {
		c->other_algo++;
		return 0;
	}
	if (e->path.len > PS_VALUE_MAX) {
		snprintf(k->err, k->errlen, "entry %u: the path is longer than %d bytes", e->index,
		    PS_VALUE_MAX);
		return TNC_ETOOLONG;
	}
	char path[PS_VALUE_MAX + 1], hex[2 * DIGEST_MAX + 1];
	memcpy(path, e->path.ptr, e->path.len);
	path[e->path.len] = '\0';
	for (size_t i = 0; i < e->file_hash.len; i++)
		snprintf(hex + 2 * i, 3, "%02x", e->file_hash.ptr[i]);
	adm_hashes_add(k->out, path, digest_name(e->file_hash_digest), hex, -1);
	return 0;
}

/* qsort has no context argument: the hashes whose positions are sorted. */
static const struct ps_file_hash *sort_base;

/* By path and algorithm, then by position: the order of the entries. */
static int
by_path_algo_position(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int d = strcmp(sort_base[i].path, sort_base[j].path);
	if (!d)
		d = strcmp(sort_base[i].algo, sort_base[j].algo);
	return d ? d : i < j ? -1 : i > j;
}

static bool
same_file(const struct ps_file_hash *x, const struct ps_file_hash *y)
{
	return !strcmp(x->path, y->path) && !strcmp(x->algo, y->algo);
}

/* Keeps the last measurement of each (path, algorithm): the file as it
 * was when the list ended.  The hashes end up sorted by path. */
static void
keep_last(struct adm_hashes *h, size_t *ret_repeated)
{
	size_t *pos = malloc(h->n * sizeof(*pos) + 1);
	struct ps_file_hash *kept = malloc(h->n * sizeof(*kept) + 1);
	size_t n = 0;
	if (!pos || !kept)
		abort();
	for (size_t i = 0; i < h->n; i++)
		pos[i] = i;
	sort_base = h->h;
	qsort(pos, h->n, sizeof(*pos), by_path_algo_position);
	sort_base = NULL;
	for (size_t i = 0; i < h->n; i++) {
		struct ps_file_hash *x = &h->h[pos[i]];
		if (i + 1 < h->n && same_file(x, &h->h[pos[i + 1]])) {
			free((char *)x->path);
			free((char *)x->hash);
			continue;
		}
		kept[n++] = *x;
	}
	free(pos);
	free(h->h);
	*ret_repeated = h->n - n;
	h->h = kept;
	h->n = n;
}

int
adm_ima_read(const char *path, const char *algo, struct adm_hashes *ret,
    struct adm_ima_counts *counts, char *err, size_t errlen)
{
	struct collect k = {.algo = -1, .out = ret, .c = counts, .err = err, .errlen = errlen};
	struct ima_options o;
	struct ima_summary sum;
	struct attest_error ae = {0};
	struct digest_ctx d;
	size_t len;
	enum digest_alg alg;
	*ret = (struct adm_hashes){0};
	*counts = (struct adm_ima_counts){0};
	err[0] = '\0';
	if (algo && digest_from_name(algo, strlen(algo), &alg) < 0) {
		snprintf(err, errlen, "unknown hash algorithm '%s' (sha1 sha256 sha384 sha512)", algo);
		return -1;
	}
	if (algo)
		k.algo = (int)alg;
	uint8_t *list = read_list(path, &len, err, errlen);
	if (!list)
		return -1;
	ima_options_default(&o);
	digest_ctx_init(&d);
	int rc = ima_replay(list, len, &o, &d, on_entry, &k, &sum, &ae);
	digest_ctx_clear(&d);
	free(list);
	if (rc < 0) { /* the callback's reason, else the parser's */
		char why[256];
		snprintf(why, sizeof(why), "%s", err[0] ? err : ae.reason);
		snprintf(err, errlen, "%s: %s", path, why);
	}
	if (rc < 0) {
		adm_hashes_clear(ret);
		return -1;
	}
	keep_last(ret, &counts->repeated);
	counts->imported = ret->n;
	return 0;
}
