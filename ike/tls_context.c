/* tls_context.c - TLS 1.2/1.3 server context for PT-TLS (RFC 6876 3.2).
 *
 * Without a configured certificate tnc-ike makes an ephemeral P-256 key and
 * a self-signed certificate for "localhost"/127.0.0.1/::1 at every start and
 * writes the certificate (not the key) to <state_dir>/pt-tls-cert.pem, so a
 * local client can verify the server.  The key never leaves this process.
 */
#include "tls_context.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <unistd.h>

#include "log.h"
#include "prewarm.h"

static void
log_openssl(const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256];
	ERR_error_string_n(e, buf, sizeof(buf));
	LOG_ERR(TLS, "%s: %s", what, e ? buf : "unknown error");
}

static int
add_ext(X509 *cert, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return -1;
	int ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

/* Written with tnc-ike's own uid and gid as the file system ids: the 0700
 * state directory is tnc-ike's, and root under the unit has no
 * CAP_DAC_OVERRIDE (nor should root write where a child may have left a
 * symlink).  The directory is opened first, as root: its parent is root's
 * 0700 and a non-zero fsuid loses CAP_DAC_READ_SEARCH.  A new file renamed
 * over the old one also replaces a certificate a run as root left there. */
static int
write_cert_as(X509 *cert, const char *state_dir, uid_t uid, gid_t gid)
{
	static const char tmp[] = "pt-tls-cert.pem.new", name[] = "pt-tls-cert.pem";
	int dir = open(state_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		LOG_ERR(TLS, "cannot open %s: %s", state_dir, strerror(errno));
		return -1;
	}
	gid_t old_gid = (gid_t)setfsgid(gid);
	uid_t old_uid = (uid_t)setfsuid(uid);
	int rc = -1;

	unlinkat(dir, tmp, 0);
	int fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		LOG_ERR(TLS, "cannot create %s/%s: %s", state_dir, tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
	} else {
		int ok = PEM_write_X509(f, cert);
		if (fclose(f) != 0 || !ok)
			LOG_ERR(TLS, "cannot write %s/%s", state_dir, tmp);
		else if (renameat(dir, tmp, dir, name) != 0)
			LOG_ERR(TLS, "cannot rename %s/%s: %s", state_dir, tmp, strerror(errno));
		else
			rc = 0;
	}
	setfsuid(old_uid);
	setfsgid(old_gid);
	close(dir);
	return rc;
}

static int
publish_cert(X509 *cert, const struct tls_settings *s)
{
	char path[512];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char hex[3 * EVP_MAX_MD_SIZE + 1] = "";

	snprintf(path, sizeof(path), "%s/pt-tls-cert.pem", s->state_dir);
	if (write_cert_as(cert, s->state_dir, s->uid, s->gid) != 0)
		return -1;
	X509_digest(cert, EVP_sha256(), md, &mdlen);
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(hex + 3 * i, 4, "%02x%s", md[i], i + 1 < mdlen ? ":" : "");
	LOG(TLS, 1, "ephemeral PT-TLS certificate %s, SHA-256 %s", path, hex);
	return 0;
}

static int
make_ephemeral(SSL_CTX *ctx, const struct tls_settings *s)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *cert = X509_new();
	int rc = -1;

	if (!key || !cert)
		goto out;
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), (long)time(NULL));
	X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(cert), 365L * 24 * 3600);
	X509_set_pubkey(cert, key);
	X509_NAME *name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"tnc", -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1, 0);
	X509_set_issuer_name(cert, name);
	if (add_ext(cert, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") ||
	    add_ext(cert, NID_basic_constraints, "critical,CA:TRUE") ||
	    add_ext(cert, NID_key_usage, "critical,digitalSignature,keyCertSign") ||
	    !X509_sign(cert, key, EVP_sha256()) || SSL_CTX_use_certificate(ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, key) != 1)
		goto out;
	rc = publish_cert(cert, s);
out:
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

int
tls_context_new(const struct tls_settings *s, SSL_CTX **ret)
{
	if (prewarm_libraries() != 0)
		return TNC_EINVALID;
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx) {
		log_openssl("cannot create the TLS context");
		return TNC_EINVALID;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* OpenSSL 3.0's default key exchange groups less the finite-field ones
	 * (ffdhe2048..8192): a client offering only those made tnc-ike spend
	 * 4.5 ms (ffdhe2048) to 156 ms (ffdhe8192) on a handshake that costs
	 * 1 ms with X25519, and every TLS 1.3 client has P-256 (RFC 8446 9.1;
	 * TLS 1.2 has no DHE here: no DH parameters are set).  X25519 first:
	 * the cheapest, and what clients send a key share for. */
	if (SSL_CTX_set1_groups_list(ctx, "X25519:P-256:X448:P-521:P-384") != 1) {
		log_openssl("cannot set the TLS key exchange groups");
		SSL_CTX_free(ctx);
		return TNC_EINVALID;
	}
	/* TLS 1.3 with SHA-256 first: OpenSSL's default order picks
	 * AES-256-GCM-SHA384, whose key schedule hashes with SHA-384, which
	 * has no CPU instructions where SHA-256 has them (SHA-NI); AES-128 is
	 * as strong as the X25519/P-256 key exchange. */
	if (SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:"
	    "TLS_AES_256_GCM_SHA384") != 1) {
		log_openssl("cannot set the TLS 1.3 cipher suites");
		SSL_CTX_free(ctx);
		return TNC_EINVALID;
	}
	/* No resumption: no session cache, no TLS 1.2 tickets, and no TLS 1.3
	 * tickets (which would be made, encrypted and sent for nothing). */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
	    SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx, 0);
	/* The chain goes out as configured: no chain building (an X.509
	 * verification) in every handshake. */
	SSL_CTX_set_mode(ctx, SSL_MODE_NO_AUTO_CHAIN);
	int rc;
	if (s->cert[0] || s->key[0]) {
		rc = SSL_CTX_use_certificate_chain_file(ctx, s->cert) == 1 &&
		    SSL_CTX_use_PrivateKey_file(ctx, s->key, SSL_FILETYPE_PEM) == 1 &&
		    SSL_CTX_check_private_key(ctx) == 1 ? 0 : -1;
		if (rc)
			log_openssl("cannot load the PT-TLS certificate and key");
		else
			LOG(TLS, 1, "PT-TLS certificate from %s", s->cert);
	} else {
		rc = make_ephemeral(ctx, s);
		if (rc)
			log_openssl("cannot make an ephemeral certificate");
	}
	if (rc == 0 && s->ca[0]) {
		if (SSL_CTX_load_verify_locations(ctx, s->ca, NULL) != 1) {
			log_openssl("cannot load the client CA");
			rc = -1;
		} else {
			SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
			LOG(TLS, 1, "clients must present a certificate issued by %s", s->ca);
		}
	}
	if (rc) {
		SSL_CTX_free(ctx);
		return TNC_EINVALID;
	}
	prewarm_verification(ctx);
	*ret = ctx;
	return 0;
}
