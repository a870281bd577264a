/* tl_ptls.c - a raw PT-TLS client for tests (see tl_ptls.h). */
#include "tl_ptls.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int
send_msg(struct tl_ptls *c, uint32_t type, const void *value, size_t n)
{
	uint8_t *m = malloc(16 + n);
	if (!m)
		abort();
	put32(m, 0); /* reserved + IETF vendor */
	put32(m + 4, type);
	put32(m + 8, (uint32_t)(16 + n));
	put32(m + 12, c->next_id++);
	if (n)
		memcpy(m + 16, value, n);
	int rc = tl_ptls_send_raw(c, m, 16 + n);
	free(m);
	return rc;
}

static int
read_exact(struct tl_ptls *c, uint8_t *p, size_t n, int timeout_ms)
{
	while (n > 0) {
		if (SSL_pending(c->ssl) == 0) {
			struct pollfd pfd = {c->fd, POLLIN, 0};
			if (poll(&pfd, 1, timeout_ms) <= 0)
				return -1;
		}
		int r = SSL_read(c->ssl, p, (int)n);
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

int
tl_ptls_recv(struct tl_ptls *c, uint8_t **ret, size_t *ret_len, int timeout_ms)
{
	uint8_t hdr[16];
	if (read_exact(c, hdr, 16, timeout_ms) != 0)
		return -1;
	uint32_t len = get32(hdr + 8);
	if (len < 16 || len > 8u * 1024 * 1024)
		return -1;
	uint8_t *m = malloc(len);
	if (!m)
		abort();
	memcpy(m, hdr, 16);
	if (read_exact(c, m + 16, len - 16, timeout_ms) != 0) {
		free(m);
		return -1;
	}
	*ret = m;
	*ret_len = len;
	return 0;
}

int
tl_ptls_send_raw(struct tl_ptls *c, const void *p, size_t n)
{
	return SSL_write(c->ssl, p, (int)n) == (int)n ? 0 : -1;
}

int
tl_ptls_send_batch(struct tl_ptls *c, const void *batch, size_t n)
{
	return send_msg(c, 7, batch, n);
}

int
tl_ptls_connect(struct tl_ptls *c, int port, int negotiate)
{
	return tl_ptls_connect_from(c, NULL, port, negotiate);
}

int
tl_ptls_closed(struct tl_ptls *c, int timeout_ms)
{
	uint8_t b;
	struct pollfd pfd = {c->fd, POLLIN, 0};
	if (poll(&pfd, 1, timeout_ms) <= 0)
		return 0;
	return SSL_read(c->ssl, &b, 1) <= 0;
}

void
tl_ptls_close(struct tl_ptls *c)
{
	if (c->ssl)
		SSL_free(c->ssl);
	if (c->ctx)
		SSL_CTX_free(c->ctx);
	if (c->fd >= 0)
		close(c->fd);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

int
tl_ptls_connect_from(struct tl_ptls *c, const char *from, int port, int negotiate)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	struct sockaddr_in local = {.sin_family = AF_INET};
	memset(c, 0, sizeof(*c));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (from && inet_pton(AF_INET, from, &local.sin_addr) != 1)
		return -1;
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0 || (from && bind(c->fd, (struct sockaddr *)&local, sizeof(local)) != 0) ||
	    connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		return -1;
	c->ctx = SSL_CTX_new(TLS_client_method());
	c->ssl = SSL_new(c->ctx);
	SSL_set_fd(c->ssl, c->fd);
	if (SSL_connect(c->ssl) != 1)
		return -1;
	if (!negotiate)
		return 0;
	static const uint8_t version_request[4] = {0, 1, 1, 1};
	uint8_t *m;
	size_t len;
	if (send_msg(c, 1, version_request, 4) || tl_ptls_recv(c, &m, &len, 5000))
		return -1;
	int ok = get32(m + 4) == 2 && len == 20 && m[19] == 1;
	free(m);
	if (!ok || tl_ptls_recv(c, &m, &len, 5000)) /* SASL Mechanisms */
		return -1;
	ok = get32(m + 4) == 3 && len == 16;
	free(m);
	return ok ? 0 : -1;
}
