/* imc_attest_files.c - File Measurement and Unix-Style File Metadata of
 * this machine's files (see imc_attest_files.h). */
#include "imc_attest_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pa_pts.h"

#define READ_CHUNK (64u * 1024)

const struct imc_files_limits imc_files_default_limits = {1000, 256u << 20};

/* The files one request names: a directory (dirfd open) and the names
 * in it, or one file (its parent's path in dir, its name). */
struct target {
	char path[PATH_MAX];
	int dirfd;
	char **names;
	size_t n;
};

static void
target_clear(struct target *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t->names);
	if (t->dirfd >= 0)
		close(t->dirfd);
}

static uint32_t __attribute__((format(printf, 4, 5)))
fail(uint32_t code, char *why, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return code;
}

static uint32_t
errno_code(int e)
{
	return e == ENOENT || e == ENOTDIR ? PA_PTS_ERROR_FILE_NOT_FOUND : PA_PTS_ERROR_INVALID_PATH;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of directory t->path (all kinds), at most lim->max_files. */
static uint32_t
list_directory(struct target *t, const struct imc_files_limits *lim, char *why, size_t size)
{
	DIR *d;
	struct dirent *e;
	size_t cap = 0;

	t->dirfd = open(t->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->dirfd < 0)
		return fail(errno_code(errno), why, size, "'%s': %s", t->path, strerror(errno));
	int fd = dup(t->dirfd);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return fail(PA_PTS_ERROR_INVALID_PATH, why, size, "'%s': %s", t->path, strerror(errno));
	}
	uint32_t code = 0;
	while (!code && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (t->n == lim->max_files) {
			snprintf(why, size, "'%s' holds more than %zu files", t->path, lim->max_files);
			code = PA_PTS_ERROR_OPERATION_NOT_SUPPORTED;
			break;
		}
		if (t->n == cap) {
			cap = cap ? 2 * cap : 16;
			if (!(t->names = realloc(t->names, cap * sizeof(*t->names))))
				abort();
		}
		if (!(t->names[t->n++] = strdup(e->d_name)))
			abort();
	}
	closedir(d);
	if (!code)
		qsort(t->names, t->n, sizeof(*t->names), by_name);
	return code;
}

/* The request's path checked and split: a directory's entries, or a
 * file's parent and name. */
static uint32_t
target_open(struct target *t, struct bytes path, uint32_t delimiter, bool directory,
    const struct imc_files_limits *lim, char *why, size_t size)
{
	*t = (struct target){.dirfd = -1};
	if (delimiter != '/')
		return fail(PA_PTS_ERROR_INVALID_DELIMITER, why, size, "delimiter 0x%x is not '/'",
		    delimiter);
	if (path.len >= sizeof(t->path) || path.ptr[0] != '/')
		return fail(PA_PTS_ERROR_INVALID_PATH, why, size, "the path is not absolute or too long");
	memcpy(t->path, path.ptr, path.len);
	t->path[path.len] = 0;
	if (directory)
		return list_directory(t, lim, why, size);
	char *slash = strrchr(t->path, '/');
	if (!slash[1])
		return fail(PA_PTS_ERROR_INVALID_PATH, why, size, "'%s' names a directory, not a file",
		    t->path);
	*slash = 0;
	t->dirfd = open(slash == t->path ? "/" : t->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int e = errno;
	*slash = '/';
	if (t->dirfd < 0)
		return fail(errno_code(e), why, size, "'%s': %s", t->path, strerror(e));
	if (!(t->names = malloc(sizeof(*t->names))) || !(t->names[0] = strdup(slash + 1)))
		abort();
	t->n = 1;
	return 0;
}

static const EVP_MD *
evp_of(enum digest_alg alg)
{
	switch (alg) {
	case DIGEST_SHA1: return EVP_sha1();
	case DIGEST_SHA384: return EVP_sha384();
	case DIGEST_SHA512: return EVP_sha512();
	default: return EVP_sha256();
	}
}

/* The digest of regular file name in t (symlinks not followed in a
 * directory), charging *budget. */
static uint32_t
hash_file(const struct target *t, const char *name, bool follow, EVP_MD_CTX *ctx,
    const EVP_MD *md, uint64_t *budget, uint8_t *out, char *why, size_t size)
{
	static uint8_t buf[READ_CHUNK];
	struct stat st;
	ssize_t n;
	uint32_t code = 0;

	int fd = openat(t->dirfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return fail(errno_code(errno), why, size, "'%s': %s", name, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(PA_PTS_ERROR_INVALID_PATH, why, size, "'%s' is not a regular file", name);
	}
	if (EVP_DigestInit_ex(ctx, md, NULL) != 1)
		abort();
	while (!code && (n = read(fd, buf, sizeof(buf))) > 0) {
		if ((uint64_t)n > *budget) {
			code = fail(PA_PTS_ERROR_OPERATION_NOT_SUPPORTED, why, size,
			    "'%s': the request has more octets to hash than the IMC hashes", name);
			break;
		}
		*budget -= (uint64_t)n;
		EVP_DigestUpdate(ctx, buf, (size_t)n);
	}
	if (!code && n < 0)
		code = fail(PA_PTS_ERROR_INVALID_PATH, why, size, "'%s': %s", name, strerror(errno));
	close(fd);
	if (!code && EVP_DigestFinal_ex(ctx, out, NULL) != 1)
		abort();
	return code;
}

/* Whether name in the directory t is a regular file (not following links). */
static bool
is_regular(const struct target *t, const char *name)
{
	struct stat st;
	return fstatat(t->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

uint32_t
imc_files_measure(const struct pa_pts_file_meas_request *req, enum digest_alg alg,
    const struct imc_files_limits *lim, struct wire_writer *w, char *why, size_t why_size)
{
	struct target t;
	uint64_t budget = lim->max_bytes;
	size_t len = digest_size(alg), n = 0;
	uint32_t code = target_open(&t, req->path, req->delimiter, req->directory, lim, why,
	    why_size);
	if (code) {
		target_clear(&t);
		return code;
	}
	struct pa_pts_file_meas_entry *e = calloc(t.n ? t.n : 1, sizeof(*e));
	uint8_t *digests = malloc((t.n ? t.n : 1) * len);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!e || !digests || !ctx)
		abort();
	for (size_t i = 0; i < t.n && !code; i++) {
		if (req->directory && !is_regular(&t, t.names[i]))
			continue;
		code = hash_file(&t, t.names[i], !req->directory, ctx, evp_of(alg), &budget,
		    digests + n * len, why, why_size);
		e[n] = (struct pa_pts_file_meas_entry){{digests + n * len, len},
		    {(const uint8_t *)t.names[i], strlen(t.names[i])}};
		n++;
	}
	if (!code)
		pa_pts_file_meas_encode(w, req->request_id, (uint16_t)len, e, n);
	EVP_MD_CTX_free(ctx);
	free(digests);
	free(e);
	target_clear(&t);
	return code;
}

static uint8_t
file_type(mode_t m)
{
	return S_ISREG(m) ? PA_PTS_FILE_REGULAR : S_ISDIR(m) ? PA_PTS_FILE_DIRECTORY :
	    S_ISLNK(m) ? PA_PTS_FILE_SYMLINK : S_ISFIFO(m) ? PA_PTS_FILE_FIFO :
	    S_ISCHR(m) ? PA_PTS_FILE_CHAR_SPEC : S_ISBLK(m) ? PA_PTS_FILE_BLOCK_SPEC :
	    S_ISSOCK(m) ? PA_PTS_FILE_SOCKET : PA_PTS_FILE_OTHER;
}

uint32_t
imc_files_metadata(const struct pa_pts_file_meta_request *req,
    const struct imc_files_limits *lim, struct wire_writer *w, char *why, size_t why_size)
{
	struct target t;
	struct stat st;
	uint32_t code = target_open(&t, req->path, req->delimiter, req->directory, lim, why,
	    why_size);
	if (code) {
		target_clear(&t);
		return code;
	}
	struct pa_pts_file_meta_entry *e = calloc(t.n ? t.n : 1, sizeof(*e));
	if (!e)
		abort();
	for (size_t i = 0; i < t.n && !code; i++) {
		if (fstatat(t.dirfd, t.names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
			code = fail(errno_code(errno), why, why_size, "'%s': %s", t.names[i],
			    strerror(errno));
			break;
		}
		/* Unix keeps no creation time: the status change time stands in */
		e[i] = (struct pa_pts_file_meta_entry){file_type(st.st_mode), (uint64_t)st.st_size,
		    (uint64_t)st.st_ctime, (uint64_t)st.st_mtime, (uint64_t)st.st_atime, st.st_uid,
		    st.st_gid, {(const uint8_t *)t.names[i], strlen(t.names[i])}};
	}
	if (!code)
		pa_pts_file_meta_encode(w, e, t.n);
	free(e);
	target_clear(&t);
	return code;
}
