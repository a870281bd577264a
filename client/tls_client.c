/* tls_client.c - blocking TCP + OpenSSL TLS client under one deadline
 * (see tls_client.h).  RFC 6876 3.2: TLS 1.2 or later, the client
 * authenticates the server by its certificate.
 *
 * The socket is non-blocking and every OpenSSL call that wants to read or
 * write waits in poll() for at most the time left, so a silent server costs
 * at most --timeout.  A stream that ends without close_notify reads as an
 * orderly end: PT-TLS framing itself tells a truncated message apart.
 */
#include "tls_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "address.h"
#include "deadline.h"
#include "log.h"

struct tls_client {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
};

static void
log_openssl(const char *what)
{
	char buf[256];
	unsigned long e = ERR_get_error();

	ERR_error_string_n(e, buf, sizeof(buf));
	LOG(TLS, 0, "%s: %s", what, e ? buf : "unknown error");
	ERR_clear_error();
}

static int
wait_fd(int fd, short events)
{
	for (;;) {
		int left = deadline_left_ms();
		struct pollfd p = {fd, events, 0};
		if (left == 0)
			return TNC_ETIMEOUT;
		int n = poll(&p, 1, left);
		if (n > 0)
			return 0;
		if (n == 0)
			return TNC_ETIMEOUT;
		if (errno != EINTR)
			return -errno;
	}
}

/* After an OpenSSL call returned rc <= 0: 0 to call it again once the
 * socket is ready, else the error that ends the connection. */
static int
retry_or_fail(struct tls_client *c, int rc, const char *what)
{
	int e = SSL_get_error(c->ssl, rc);
	int err;

	switch (e) {
	case SSL_ERROR_WANT_READ:
		return wait_fd(c->fd, POLLIN);
	case SSL_ERROR_WANT_WRITE:
		return wait_fd(c->fd, POLLOUT);
	case SSL_ERROR_ZERO_RETURN:
		return TNC_ECLOSED;
	case SSL_ERROR_SYSCALL:
		err = errno ? -errno : TNC_ECLOSED;
		if (err != TNC_ECLOSED)
			LOG(TLS, 0, "%s: %s", what, strerror(errno));
		ERR_clear_error();
		return err;
	default:
		log_openssl(what);
		return TNC_EPEER;
	}
}

int
tls_client_parse_server(const char *server, char *host, size_t hsize, char *port, size_t psize)
{
	const char *colon;
	const char *h = server;
	size_t hlen;

	if (server[0] == '[') {
		const char *close = strchr(server, ']');
		if (!close || close[1] != ':')
			return TNC_EINVALID;
		h = server + 1;
		hlen = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strrchr(server, ':');
		if (!colon)
			return TNC_EINVALID;
		hlen = (size_t)(colon - server);
	}
	const char *p = colon + 1;
	size_t plen = strlen(p);
	if (hlen == 0 || hlen >= hsize || plen == 0 || plen > 5 || plen >= psize ||
	    strspn(p, "0123456789") != plen || atoi(p) < 1 || atoi(p) > 65535)
		return TNC_EINVALID;
	snprintf(host, hsize, "%.*s", (int)hlen, h);
	snprintf(port, psize, "%s", p);
	return 0;
}

static int
connect_one(const struct addrinfo *ai, int *ret_fd)
{
	char text[80];
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    ai->ai_protocol);
	int err = 0;
	socklen_t len = sizeof(err);

	if (fd < 0)
		return -errno;
	address_format(ai->ai_addr, text, sizeof(text));
	LOG(NET, 1, "connecting to %s", text);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		if (errno != EINPROGRESS) {
			err = -errno;
			goto out;
		}
		err = wait_fd(fd, POLLOUT);
		if (!err && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0)
			err = -err;
		if (err)
			goto out;
	}
	/* Each batch is written whole and then awaited: Nagle's algorithm would
	 * hold the tail of every message for the peer's delayed ACK (~40 ms). */
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	*ret_fd = fd;
	return 0;
out:
	LOG(NET, 1, "cannot connect to %s: %s", text, tnc_strerror(err));
	close(fd);
	return err;
}

static int
tcp_connect(const char *host, const char *port, int *ret_fd)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *list;
	int err = TNC_ENOTFOUND;

	int rc = getaddrinfo(host, port, &hints, &list);
	if (rc != 0) {
		LOG(NET, 0, "cannot resolve '%s': %s", host, gai_strerror(rc));
		return TNC_ENOTFOUND;
	}
	for (const struct addrinfo *ai = list; ai; ai = ai->ai_next) {
		err = connect_one(ai, ret_fd);
		if (!err || err == TNC_ETIMEOUT)
			break;
	}
	freeaddrinfo(list);
	if (err && err != TNC_ETIMEOUT)
		LOG(NET, 0, "cannot connect to %s port %s: %s", host, port, tnc_strerror(err));
	return err;
}

static int
make_ctx(const struct tls_client_config *cfg, SSL_CTX **ret)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx) {
		log_openssl("cannot create the TLS context");
		return TNC_EINVALID;
	}
	if (SSL_CTX_set_min_proto_version(ctx, cfg->version ? cfg->version : TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, cfg->version) != 1) {
		log_openssl("cannot set the TLS version");
		goto fail;
	}
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (cfg->ca) {
		if (SSL_CTX_load_verify_locations(ctx, cfg->ca, NULL) != 1) {
			log_openssl("cannot load the CA certificate");
			goto fail;
		}
		LOG(TLS, 1, "verifying the server certificate against %s", cfg->ca);
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		log_openssl("cannot load the system's trusted certificates");
		goto fail;
	} else {
		LOG(TLS, 1, "verifying the server certificate against the system's trust store");
	}
	if (cfg->cert) {
		if (SSL_CTX_use_certificate_chain_file(ctx, cfg->cert) != 1 ||
		    SSL_CTX_use_PrivateKey_file(ctx, cfg->key, SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_check_private_key(ctx) != 1) {
			log_openssl("cannot load the client certificate and key");
			goto fail;
		}
		LOG(TLS, 1, "client certificate from %s", cfg->cert);
	}
	*ret = ctx;
	return 0;
fail:
	SSL_CTX_free(ctx);
	return TNC_ECONFIG;
}

/* The certificate must name host: an IP address entry for an IP literal,
 * else a DNS name (also sent as SNI). */
static int
expect_peer(SSL *ssl, const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1)
		return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 ? 0 :
		    TNC_EINVALID;
	if (SSL_set_tlsext_host_name(ssl, host) != 1 || SSL_set1_host(ssl, host) != 1)
		return TNC_EINVALID;
	return 0;
}

static int
handshake(struct tls_client *c)
{
	for (;;) {
		ERR_clear_error();
		int rc = SSL_connect(c->ssl);
		if (rc == 1)
			break;
		long v = SSL_get_verify_result(c->ssl);
		if (v != X509_V_OK) {
			LOG(TLS, 0, "server certificate not accepted: %s",
			    X509_verify_cert_error_string(v));
			return TNC_EPEER;
		}
		int err = retry_or_fail(c, rc, "TLS handshake failed");
		if (err == TNC_ECLOSED)
			LOG(TLS, 0, "the server closed the connection during the TLS handshake");
		if (err)
			return err;
	}
	char subject[256] = "?";
	X509 *cert = SSL_get0_peer_certificate(c->ssl);
	if (cert)
		X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof(subject));
	LOG(TLS, 1, "negotiated %s with suite %s", SSL_get_version(c->ssl),
	    SSL_CIPHER_get_name(SSL_get_current_cipher(c->ssl)));
	LOG(TLS, 1, "server certificate '%s' verified", subject);
	return 0;
}

int
tls_client_connect(const struct tls_client_config *cfg, struct tls_client **ret)
{
	char host[256], port[8];
	struct tls_client *c = calloc(1, sizeof(*c));
	int err;

	if (!c)
		abort();
	c->fd = -1;
	err = tls_client_parse_server(cfg->server, host, sizeof(host), port, sizeof(port));
	if (err) {
		LOG(NET, 0, "bad server address '%s' (want ADDR:PORT)", cfg->server);
		goto fail;
	}
	err = make_ctx(cfg, &c->ctx);
	if (err)
		goto fail;
	err = tcp_connect(host, port, &c->fd);
	if (err)
		goto fail;
	c->ssl = SSL_new(c->ctx);
	if (!c->ssl || SSL_set_fd(c->ssl, c->fd) != 1 || expect_peer(c->ssl, host) != 0) {
		log_openssl("cannot set up the TLS connection");
		err = TNC_EINVALID;
		goto fail;
	}
	err = handshake(c);
	if (err)
		goto fail;
	*ret = c;
	return 0;
fail:
	tls_client_free(c);
	return err;
}

int
tls_client_write(struct tls_client *c, const void *p, size_t n)
{
	while (n > 0) {
		size_t done = 0;
		ERR_clear_error();
		int rc = SSL_write_ex(c->ssl, p, n, &done);
		if (rc == 1) {
			p = (const uint8_t *)p + done;
			n -= done;
			continue;
		}
		int err = retry_or_fail(c, rc, "TLS write failed");
		if (err)
			return err;
	}
	return 0;
}

int
tls_client_read(struct tls_client *c, void *p, size_t n, size_t *ret_n)
{
	for (;;) {
		size_t done = 0;
		ERR_clear_error();
		int rc = SSL_read_ex(c->ssl, p, n, &done);
		if (rc == 1) {
			*ret_n = done;
			return 0;
		}
		int err = retry_or_fail(c, rc, "TLS read failed");
		if (err)
			return err;
	}
}

void
tls_client_free(struct tls_client *c)
{
	if (!c)
		return;
	if (c->ssl) {
		ERR_clear_error();
		(void)SSL_shutdown(c->ssl); /* one try: close_notify if it fits */
		SSL_free(c->ssl);
	}
	SSL_CTX_free(c->ctx);
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}
