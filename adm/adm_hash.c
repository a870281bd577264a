/* adm_hash.c - hashes a directory tree with OpenSSL's EVP digests (see
 * adm_hash.h). */
#include "adm_hash.h"

#include <fcntl.h>
#include <ftw.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK 65536

/* nftw() has no context argument: the walk in progress. */
static struct walk {
	const EVP_MD *md;
	const char *algo, *prefix;
	size_t root_len;
	struct adm_hashes *out;
	char *err;
	size_t errlen;
} *walk;

static int
hash_file(const char *path, char *hex, int64_t *ret_size)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char buf[READ_CHUNK], md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	int64_t size = 0;
	ssize_t n = 0;
	int ok = ctx && EVP_DigestInit_ex(ctx, walk->md, NULL);
	while (ok && (n = read(fd, buf, sizeof(buf))) > 0) {
		ok = EVP_DigestUpdate(ctx, buf, (size_t)n);
		size += n;
	}
	ok = ok && n == 0 && EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	close(fd);
	for (unsigned i = 0; ok && i < mdlen; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
	*ret_size = size;
	return ok ? 0 : -1;
}

static int
on_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	if (flag != FTW_F || !S_ISREG(sb->st_mode))
		return 0;
	struct adm_hashes *out = walk->out;
	if (out->n == ADM_HASH_MAX_FILES) {
		snprintf(walk->err, walk->errlen, "more than %d files", ADM_HASH_MAX_FILES);
		return 1;
	}
	char endpoint[PATH_MAX], hex[2 * EVP_MAX_MD_SIZE + 1];
	int len = snprintf(endpoint, sizeof(endpoint), "%s%s%s", walk->prefix,
	    walk->prefix[strlen(walk->prefix) - 1] == '/' ? "" : "/", path + walk->root_len + 1);
	if (len < 0 || len > PS_VALUE_MAX) {
		snprintf(walk->err, walk->errlen, "%s: the endpoint path is longer than %d bytes", path,
		    PS_VALUE_MAX);
		return 1;
	}
	int64_t size;
	if (hash_file(path, hex, &size) < 0) {
		snprintf(walk->err, walk->errlen, "%s: cannot read: %m", path);
		return 1;
	}
	adm_hashes_add(out, endpoint, walk->algo, hex, size);
	return 0;
}

const EVP_MD *
adm_hash_md(const char *algo)
{
	static const char *const algos[][2] = {{"sha1", "SHA1"}, {"sha256", "SHA256"},
	    {"sha384", "SHA384"}, {"sha512", "SHA512"}};
	for (size_t i = 0; i < 4; i++)
		if (!strcmp(algo, algos[i][0]))
			return EVP_get_digestbyname(algos[i][1]);
	return NULL;
}

int
adm_hash_tree(const char *dir, const char *prefix, const char *algo, struct adm_hashes *ret,
    char *err, size_t errlen)
{
	struct walk w = {.algo = algo, .prefix = prefix, .out = ret, .err = err, .errlen = errlen};
	*ret = (struct adm_hashes){0};
	if (!(w.md = adm_hash_md(algo))) {
		snprintf(err, errlen, "unknown hash algorithm '%s' (sha1 sha256 sha384 sha512)", algo);
		return -1;
	}
	if (prefix[0] != '/') {
		snprintf(err, errlen, "--prefix %s: an absolute path is needed", prefix);
		return -1;
	}
	struct stat sb;
	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a directory", dir);
		return -1;
	}
	w.root_len = strlen(dir);
	while (w.root_len > 1 && dir[w.root_len - 1] == '/')
		w.root_len--;
	if (w.root_len == 1 && dir[0] == '/')
		w.root_len = 0; /* the root itself: its entries start right after it */
	walk = &w;
	int rc = nftw(dir, on_entry, 32, FTW_PHYS | FTW_MOUNT);
	walk = NULL;
	if (rc != 0) {
		if (rc < 0)
			snprintf(err, errlen, "%s: %m", dir);
		adm_hashes_clear(ret);
		return -1;
	}
	return 0;
}

void
adm_hashes_add(struct adm_hashes *h, const char *path, const char *algo, const char *hex,
    int64_t size)
{
	if (h->n % 256 == 0) {
		h->h = realloc(h->h, (h->n + 256) * sizeof(*h->h));
		if (!h->h)
			abort();
	}
	char *p = strdup(path), *x = strdup(hex);
	if (!p || !x)
		abort();
	h->h[h->n++] = (struct ps_file_hash){p, algo, x, size};
}

void
adm_hashes_clear(struct adm_hashes *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free((char *)h->h[i].path);
		free((char *)h->h[i].hash);
	}
	free(h->h);
	*h = (struct adm_hashes){0};
}
