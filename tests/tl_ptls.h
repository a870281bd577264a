/* tl_ptls.h - a raw PT-TLS client for tests: TLS + PT-TLS negotiation done
 * right, then any bytes the test wants to send, including malformed ones. */
#ifndef TNC_TL_PTLS_H
#define TNC_TL_PTLS_H

#include <openssl/ssl.h>
#include <stddef.h>
#include <stdint.h>

struct tl_ptls {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
	uint32_t next_id;
};

/* TCP + TLS to 127.0.0.1:port, then Version Request/Response and the SASL
 * Mechanisms message (negotiate = 0 stops after TLS).  0 or -1. */
int tl_ptls_connect(struct tl_ptls *c, int port, int negotiate);
int tl_ptls_send_raw(struct tl_ptls *c, const void *p, size_t n);
/* One PB-TNC Batch message around batch[0..n). */
int tl_ptls_send_batch(struct tl_ptls *c, const void *batch, size_t n);
/* One whole PT-TLS message (header included, malloc'd); -1 on EOF, error
 * or timeout. */
int tl_ptls_recv(struct tl_ptls *c, uint8_t **ret, size_t *ret_len, int timeout_ms);
/* 1 if the server closed the connection within timeout_ms. */
int tl_ptls_closed(struct tl_ptls *c, int timeout_ms);
void tl_ptls_close(struct tl_ptls *c);

#endif

/* tl_ptls_connect() from a chosen local address ("127.0.0.2"; NULL: any). */
int tl_ptls_connect_from(struct tl_ptls *c, const char *from, int port, int negotiate);
