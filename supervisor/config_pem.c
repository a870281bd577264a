/* config_pem.c - checks of tnc-ike's PEM files (see config_pem.h). */
#include "config_pem.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PEM_FILE_MAX (1024 * 1024)

/* Opened without blocking (a FIFO must not hang --check-config), then
 * refused unless it is a regular file with something to read. */
static int
check_file(const char *path, char *why, size_t size)
{
	struct stat st;
	char byte;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, size, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = -1;
	if (fstat(fd, &st) != 0)
		snprintf(why, size, "cannot stat %s: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		snprintf(why, size, "%s is not a regular file", path);
	else if (st.st_size > PEM_FILE_MAX)
		snprintf(why, size, "%s is larger than %d bytes", path, PEM_FILE_MAX);
	else if (read(fd, &byte, 1) != 1)
		snprintf(why, size, "cannot read %s: %s", path, st.st_size ? strerror(errno) : "empty");
	else
		rc = 0;
	close(fd);
	return rc;
}

/* No passphrase prompt on the terminal: an encrypted key is refused, as
 * tnc-ike (no terminal) would refuse it. */
static int
no_passphrase(char *buf, int size, int rwflag, void *data)
{
	return 0;
}

static SSL_CTX *
server_ctx(void)
{
	ERR_clear_error();
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	if (ctx)
		SSL_CTX_set_default_passwd_cb(ctx, no_passphrase);
	return ctx;
}

static int
refuse(SSL_CTX *ctx, char *why, size_t size, const char *what, const char *path)
{
	unsigned long e = ERR_peek_last_error();
	const char *reason = e ? ERR_reason_error_string(e) : NULL;
	snprintf(why, size, "%s %s%s%s%s", what, path, reason ? " (" : "", reason ? reason : "",
	    reason ? ")" : "");
	ERR_clear_error();
	SSL_CTX_free(ctx);
	return -1;
}

int
config_pem_check_chain(const char *path, char *why, size_t size)
{
	if (check_file(path, why, size) != 0)
		return -1;
	SSL_CTX *ctx = server_ctx();
	if (!ctx || SSL_CTX_use_certificate_chain_file(ctx, path) != 1)
		return refuse(ctx, why, size, "no usable PEM certificate chain in", path);
	SSL_CTX_free(ctx);
	return 0;
}

int
config_pem_check_key(const char *path, const char *cert_path, char *why, size_t size)
{
	if (check_file(path, why, size) != 0)
		return -1;
	/* The key alone first, so that a broken key and a mismatch read differently. */
	SSL_CTX *ctx = server_ctx();
	if (!ctx || SSL_CTX_use_PrivateKey_file(ctx, path, SSL_FILETYPE_PEM) != 1)
		return refuse(ctx, why, size, "no usable unencrypted PEM private key in", path);
	SSL_CTX_free(ctx);
	ctx = server_ctx();
	if (!ctx || SSL_CTX_use_certificate_chain_file(ctx, cert_path) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, path, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		char what[1200];
		snprintf(what, sizeof(what), "the certificate in %s does not match the key in", cert_path);
		return refuse(ctx, why, size, what, path);
	}
	SSL_CTX_free(ctx);
	return 0;
}

int
config_pem_check_ca(const char *path, char *why, size_t size)
{
	if (check_file(path, why, size) != 0)
		return -1;
	SSL_CTX *ctx = server_ctx();
	if (!ctx || SSL_CTX_load_verify_locations(ctx, path, NULL) != 1)
		return refuse(ctx, why, size, "no PEM CA certificate in", path);
	SSL_CTX_free(ctx);
	return 0;
}
