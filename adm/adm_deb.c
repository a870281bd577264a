/* adm_deb.c - the files of a .deb and their hashes (see adm_deb.h).
 *
 * deb(5): an ar archive whose first member is debian-binary ("2.x\n"),
 * then control.tar[.ext] and data.tar[.ext] (ext: gz xz zst bz2 lzma, or
 * none).  data.tar is read as a stream out of the ar member, never
 * unpacked to disk; its paths are relative to the root ("./usr/bin/x").
 */
#include "adm_deb.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK 65536
#define DEB_VERSION_MAX 16 /* bytes of debian-binary read */

struct deb {
	const char *path;
	const EVP_MD *md;
	const char *algo;
	struct archive *ar; /* the .deb */
	uint8_t buf[READ_CHUNK];
	char *err;
	size_t errlen;
};

/* libarchive's read callback for data.tar: the bytes of the ar member. */
static la_ssize_t
on_member_read(struct archive *inner, void *ctx, const void **ret)
{
	struct deb *d = ctx;
	la_ssize_t n = archive_read_data(d->ar, d->buf, sizeof(d->buf));
	if (n < 0)
		archive_set_error(inner, ARCHIVE_FATAL, "%s", archive_error_string(d->ar));
	*ret = d->buf;
	return n;
}

/* "./usr/bin/x" -> "/usr/bin/x"; NULL for a path that leaves the root or
 * is too long for the store. */
static const char *
installed_path(const char *member, char *out, size_t size)
{
	while (member[0] == '.' && member[1] == '/')
		member += 2;
	while (member[0] == '/')
		member++;
	int n = snprintf(out, size, "/%s", member);
	if (n < 0 || (size_t)n >= size || n > PS_VALUE_MAX)
		return NULL;
	size_t len = (size_t)n;
	while (len > 1 && out[len - 1] == '/')
		out[--len] = '\0';
	for (const char *p = out; (p = strstr(p, "/..")); p += 3)
		if (p[3] == '/' || p[3] == '\0')
			return NULL;
	return out;
}

static int
hash_member(struct deb *d, struct archive *in, char *hex, int64_t *ret_size)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	int64_t size = 0;
	la_ssize_t n = 0;
	int ok = ctx && EVP_DigestInit_ex(ctx, d->md, NULL);
	while (ok && (n = archive_read_data(in, d->buf, sizeof(d->buf))) > 0) {
		ok = EVP_DigestUpdate(ctx, d->buf, (size_t)n);
		size += n;
	}
	ok = ok && n == 0 && EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	for (unsigned i = 0; ok && i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	*ret_size = size;
	return ok ? 0 : -1;
}

/* The hash of an earlier file of this package (a hard link's target). */
static const struct ps_file_hash *
find(const struct adm_hashes *h, size_t from, const char *path)
{
	for (size_t i = h->n; i-- > from;)
		if (!strcmp(h->h[i].path, path))
			return &h->h[i];
	return NULL;
}

static int
fail(struct deb *d, const char *member, const char *what)
{
	snprintf(d->err, d->errlen, "%s%s%s: %s", d->path, member ? ": " : "", member ? member : "",
	    what);
	return -1;
}

/* Reads data.tar (the current member of d->ar) into h. */
static int
read_data(struct deb *d, const char *member, struct adm_hashes *h, size_t from,
    struct adm_deb_counts *c)
{
	struct archive *in = archive_read_new();
	struct archive_entry *e;
	char path[PS_VALUE_MAX + 2], target[PS_VALUE_MAX + 2], hex[2 * EVP_MAX_MD_SIZE + 1];
	int rc = 0, r = ARCHIVE_EOF;
	if (!in)
		abort();
	archive_read_support_filter_all(in);
	archive_read_support_format_tar(in);
	if (archive_read_open(in, d, NULL, on_member_read, NULL) != ARCHIVE_OK) {
		rc = fail(d, member, archive_error_string(in));
		goto out;
	}
	while (!rc && (r = archive_read_next_header(in, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e), *link = archive_entry_hardlink(e);
		if (!name || !installed_path(name, path, sizeof(path))) {
			rc = fail(d, name ? name : member, "a path outside the root, or too long");
		} else if (link) {
			const struct ps_file_hash *t =
			    installed_path(link, target, sizeof(target)) ? find(h, from, target) : NULL;
			if (!t)
				rc = fail(d, name, "a hard link to no earlier file of the package");
			else if (h->n - from == ADM_HASH_MAX_FILES)
				rc = fail(d, NULL, "more files than a package may have");
			else
				adm_hashes_add(h, path, d->algo, t->hash, t->size);
			c->hardlinks += !rc;
		} else if (archive_entry_filetype(e) == AE_IFLNK) {
			c->symlinks++;
		} else if (archive_entry_filetype(e) != AE_IFREG) {
			c->others++;
		} else if (h->n - from == ADM_HASH_MAX_FILES) {
			rc = fail(d, NULL, "more files than a package may have");
		} else {
			int64_t size;
			if (hash_member(d, in, hex, &size) < 0)
				rc = fail(d, name, archive_error_string(in) ? archive_error_string(in)
				                                            : "cannot be read");
			else
				adm_hashes_add(h, path, d->algo, hex, size);
			c->files += !rc;
		}
	}
	if (!rc && r != ARCHIVE_EOF)
		rc = fail(d, member, archive_error_string(in));
out:
	archive_read_free(in);
	return rc;
}

/* The first member must say this is a deb of format 2. */
static int
check_version(struct deb *d, struct archive_entry *e)
{
	char v[DEB_VERSION_MAX + 1];
	const char *name = archive_entry_pathname(e);
	la_ssize_t n = !name || strcmp(name, "debian-binary")
	                   ? -1
	                   : archive_read_data(d->ar, v, DEB_VERSION_MAX);
	if (n < 2 || v[0] != '2' || v[1] != '.')
		return fail(d, NULL, "not a Debian binary package (no debian-binary 2.x)");
	return 0;
}

int
adm_deb_read(const char *path, const char *algo, struct adm_hashes *h,
    struct adm_deb_counts *counts, char *err, size_t errlen)
{
	struct deb *d = calloc(1, sizeof(*d));
	struct archive_entry *e;
	size_t from = h->n;
	int rc = 0, r = ARCHIVE_EOF, members = 0, fd = -1;
	bool data = false;
	if (!d)
		abort();
	*d = (struct deb){.path = path, .md = adm_hash_md(algo), .algo = algo, .err = err,
	    .errlen = errlen};
	*counts = (struct adm_deb_counts){0};
	if (!d->md) {
		snprintf(err, errlen, "unknown hash algorithm '%s' (sha1 sha256 sha384 sha512)", algo);
		free(d);
		return -1;
	}
	d->ar = archive_read_new();
	if (!d->ar)
		abort();
	archive_read_support_format_ar(d->ar);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		rc = fail(d, NULL, strerror(errno));
		goto out;
	}
	if (archive_read_open_fd(d->ar, fd, READ_CHUNK) != ARCHIVE_OK) {
		char why[256];
		snprintf(why, sizeof(why), "not a Debian binary package: %s", archive_error_string(d->ar));
		rc = fail(d, NULL, why);
		goto out;
	}
	while (!rc && !data && (r = archive_read_next_header(d->ar, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		if (members++ == 0)
			rc = check_version(d, e);
		else if (name && !strncmp(name, "data.tar", 8)) {
			rc = read_data(d, name, h, from, counts);
			data = true;
		}
	}
	if (!rc && !data && r != ARCHIVE_EOF) {
		char why[256];
		snprintf(why, sizeof(why), "%s%s", members ? "" : "not a Debian binary package: ",
		    archive_error_string(d->ar) ? archive_error_string(d->ar) : "cannot be read");
		rc = fail(d, NULL, why);
	} else if (!rc && !data) {
		rc = fail(d, NULL, members ? "no data.tar member" : "not a Debian binary package: empty");
	}
out:
	archive_read_free(d->ar);
	if (fd >= 0)
		close(fd);
	free(d);
	if (rc) {
		while (h->n > from) {
			h->n--;
			free((char *)h->h[h->n].path);
			free((char *)h->h[h->n].hash);
		}
	}
	return rc;
}
