/* bench_handshake - the server side of PT-TLS's TLS in one process: tnc-ike's
 * own TLS context (tls_context_new) against an OpenSSL client with
 * tncclient's defaults, over memory BIOs, no sockets.  Per connection the
 * server does what tls_conn does: SSL_new, the handshake, one small record
 * in and one out (PT-TLS negotiation), close_notify, SSL_free.  Prints the
 * server's CPU time per connection, the private-key operation alone (the
 * handshake's signature, timed on its own) and the difference: what is
 * not the signature.
 *
 *   bench_handshake [-n CONNECTIONS] [-k rsa3072|p256] [-v 1.2|1.3]
 *
 * Only the server's calls are timed (CLOCK_THREAD_CPUTIME_ID around each). */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_sign.h"
#include "log.h"
#include "tls_context.h"

struct side {
	SSL *ssl;
	BIO *in, *out;
};

static double server_ns; /* CPU time spent in the server's calls */

static double
cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void
fail(const char *what)
{
	fprintf(stderr, "bench_handshake: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static EVP_PKEY *
make_key(const char *kind)
{
	if (strcmp(kind, "rsa3072") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072);
	if (strcmp(kind, "p256") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	return NULL;
}

/* A self-signed certificate for 127.0.0.1 with key, written as PEM files
 * for tls_context_new. */
static void
write_cert(EVP_PKEY *key, const char *cert_path, const char *key_path)
{
	X509 *cert = X509_new();
	X509V3_CTX v3;
	if (!cert)
		fail("X509_new");
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
	X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(cert), 2 * 24 * 3600);
	X509_set_pubkey(cert, key);
	X509_NAME *name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1,
	    -1, 0);
	X509_set_issuer_name(cert, name);
	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, cert, cert, NULL, NULL, 0);
	X509_EXTENSION *san = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, "IP:127.0.0.1");
	if (!san || !X509_add_ext(cert, san, -1) || !X509_sign(cert, key, EVP_sha256()))
		fail("cannot make the certificate");
	X509_EXTENSION_free(san);
	FILE *c = fopen(cert_path, "w"), *k = fopen(key_path, "w");
	if (!c || !k || !PEM_write_X509(c, cert) || !PEM_write_PrivateKey(k, key, NULL, NULL, 0,
	    NULL, NULL))
		fail("cannot write the certificate");
	fclose(c);
	fclose(k);
	X509_free(cert);
}

/* The client as tncclient makes it: verifies the server against its
 * certificate, TLS 1.2 up to max_version. */
static SSL_CTX *
client_ctx(const char *cert_path, int max_version)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx || SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, max_version) != 1 ||
	    SSL_CTX_load_verify_locations(ctx, cert_path, NULL) != 1)
		fail("cannot make the client context");
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	return ctx;
}

static void
side_new(struct side *s, SSL_CTX *ctx, int server)
{
	s->ssl = SSL_new(ctx);
	s->in = BIO_new(BIO_s_mem());
	s->out = BIO_new(BIO_s_mem());
	if (!s->ssl || !s->in || !s->out)
		fail("SSL_new");
	SSL_set_bio(s->ssl, s->in, s->out);
	if (server)
		SSL_set_accept_state(s->ssl);
	else
		SSL_set_connect_state(s->ssl);
}

/* Moves what one side wrote to the other; returns the bytes moved. */
static int
carry(struct side *from, struct side *to)
{
	char buf[16384];
	int total = 0, n;
	while ((n = BIO_read(from->out, buf, sizeof(buf))) > 0) {
		if (BIO_write(to->in, buf, n) != n)
			fail("BIO_write");
		total += n;
	}
	return total;
}

/* The server's calls, each timed, and kept out of line so that profilers
 * (callgrind, perf) show the server's share by name. */
__attribute__((noinline)) static void
server_new(struct side *s, SSL_CTX *ctx)
{
	double t0 = cpu_ns();
	side_new(s, ctx, 1);
	server_ns += cpu_ns() - t0;
}

__attribute__((noinline)) static int
server_handshake(struct side *s)
{
	double t0 = cpu_ns();
	int r = SSL_do_handshake(s->ssl);
	server_ns += cpu_ns() - t0;
	if (r <= 0 && SSL_get_error(s->ssl, r) != SSL_ERROR_WANT_READ)
		fail("server handshake");
	return r == 1;
}

/* PT-TLS negotiation: a request in, the answer and close_notify out. */
__attribute__((noinline)) static void
server_exchange(struct side *s, const char *reply, size_t reply_len, size_t request_len)
{
	char buf[256];
	size_t n;
	double t0 = cpu_ns();
	int ok = SSL_read_ex(s->ssl, buf, sizeof(buf), &n) == 1 && n == request_len &&
	    SSL_write_ex(s->ssl, reply, reply_len, &n) == 1;
	SSL_shutdown(s->ssl);
	server_ns += cpu_ns() - t0;
	if (!ok)
		fail("server read or write");
}

__attribute__((noinline)) static void
server_free(struct side *s)
{
	double t0 = cpu_ns();
	SSL_free(s->ssl);
	server_ns += cpu_ns() - t0;
}

/* One connection, as tnc-ike serves it. */
static void
one_connection(SSL_CTX *sctx, SSL_CTX *cctx)
{
	static const char request[16] = "version request", reply[40] = "version response, sasl";
	struct side s, c;
	char buf[256];
	size_t n;

	server_new(&s, sctx);
	side_new(&c, cctx, 0);
	int server_done = 0, client_done = 0;
	for (int round = 0; round < 8 && !(server_done && client_done); round++) {
		int r = SSL_do_handshake(c.ssl);
		if (r <= 0 && SSL_get_error(c.ssl, r) != SSL_ERROR_WANT_READ)
			fail("client handshake");
		client_done = r == 1;
		carry(&c, &s);
		if (!server_done)
			server_done = server_handshake(&s);
		carry(&s, &c);
	}
	if (!server_done || !client_done)
		fail("the handshake did not finish");
	if (SSL_write_ex(c.ssl, request, sizeof(request), &n) != 1)
		fail("client write");
	carry(&c, &s);
	server_exchange(&s, reply, sizeof(reply), sizeof(request));
	carry(&s, &c);
	if (SSL_read_ex(c.ssl, buf, sizeof(buf), &n) != 1 || n != sizeof(reply))
		fail("client read");
	server_free(&s);
	SSL_free(c.ssl);
}

int
main(int argc, char **argv)
{
	const char *kind = "rsa3072";
	int n = 500, max_version = TLS1_3_VERSION, opt;
	while ((opt = getopt(argc, argv, "n:k:v:")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		else if (opt == 'k')
			kind = optarg;
		else if (opt == 'v' && (strcmp(optarg, "1.2") == 0 || strcmp(optarg, "1.3") == 0))
			max_version = strcmp(optarg, "1.2") == 0 ? TLS1_2_VERSION : TLS1_3_VERSION;
		else {
			fprintf(stderr, "usage: bench_handshake [-n CONNECTIONS] [-k rsa3072|p256] "
			    "[-v 1.2|1.3]\n");
			return 2;
		}
	}
	if (n < 1)
		fail("-n must be positive");
	log_set_all_levels(0);
	EVP_PKEY *key = make_key(kind);
	if (!key)
		fail("unknown certificate kind (rsa3072 or p256)");
	char dir[] = "/tmp/tnc-bench-hs-XXXXXX", cert_path[64], key_path[64];
	if (!mkdtemp(dir))
		fail("mkdtemp");
	snprintf(cert_path, sizeof(cert_path), "%s/cert.pem", dir);
	snprintf(key_path, sizeof(key_path), "%s/key.pem", dir);
	write_cert(key, cert_path, key_path);
	struct tls_settings ts = {.cert = cert_path, .key = key_path, .ca = "", .state_dir = dir,
	    .uid = getuid(), .gid = getgid()};
	SSL_CTX *sctx;
	if (tls_context_new(&ts, &sctx) != 0)
		fail("tls_context_new");
	SSL_CTX *cctx = client_ctx(cert_path, max_version);
	one_connection(sctx, cctx); /* warm-up: first fetches, caches */
	server_ns = 0;
	for (int i = 0; i < n; i++)
		one_connection(sctx, cctx);
	double per_conn = server_ns / n / 1e3, sign = bench_sign_us(key, n < 200 ? n : 200);
	printf("%-8s TLS %s  %d connections  server %7.1f us/connection  signature %7.1f us  "
	    "besides the signature %6.1f us\n", kind, max_version == TLS1_3_VERSION ? "1.3" : "1.2",
	    n, per_conn, sign, per_conn - sign);
	unlink(cert_path);
	unlink(key_path);
	rmdir(dir);
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	EVP_PKEY_free(key);
	return 0;
}
