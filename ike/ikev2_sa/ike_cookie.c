/* ike_cookie.c - stateless IKE_SA_INIT cookies (see ike_cookie.h). */
#include "ike_cookie.h"

#include <string.h>

#include <openssl/crypto.h>

#include "ikev2_prf.h"

void
ike_cookies_init(struct ike_cookies *c, const uint8_t secret[IKE_COOKIE_SECRET_LEN])
{
	memset(c, 0, sizeof(*c));
	memcpy(c->secret, secret, IKE_COOKIE_SECRET_LEN);
}

void
ike_cookies_rotate(struct ike_cookies *c, const uint8_t secret[IKE_COOKIE_SECRET_LEN])
{
	memcpy(c->previous, c->secret, IKE_COOKIE_SECRET_LEN);
	c->has_previous = true;
	memcpy(c->secret, secret, IKE_COOKIE_SECRET_LEN);
	c->version++;
}

void
ike_cookies_cleanse(struct ike_cookies *c)
{
	OPENSSL_cleanse(c, sizeof(*c));
}

/* version | HMAC-SHA256(secret, Ni | IPi | SPIi) into out. */
static bool
make_cookie(const uint8_t *secret, uint8_t version, struct bytes ni,
    const struct ike_endpoint *peer, uint64_t spi_i, uint8_t out[IKE_COOKIE_LEN])
{
	uint8_t spi[8], mac[IKEV2_PRF_MAX_LEN];
	size_t n;

	for (int i = 0; i < 8; i++)
		spi[i] = (uint8_t)(spi_i >> (56 - 8 * i));
	const struct bytes data[] = {ni, {peer->addr, peer->addr_len}, {spi, sizeof(spi)}};
	if (ikev2_hmac("SHA256", (struct bytes){secret, IKE_COOKIE_SECRET_LEN}, data, 3, mac, &n) ||
	    n != IKE_COOKIE_LEN - 1)
		return false;
	out[0] = version;
	memcpy(out + 1, mac, IKE_COOKIE_LEN - 1);
	OPENSSL_cleanse(mac, sizeof(mac));
	return true;
}

static enum ike_cookie_verdict
drop(struct ike_cookie_result *ret, const char *reason)
{
	ret->reason = reason;
	return IKE_COOKIE_DROP;
}

/* A response carrying a fresh cookie (2.6: SPIr zero, N(COOKIE) only). */
static enum ike_cookie_verdict
challenge(const struct ike_cookies *c, const struct ikev2_header *req, struct bytes ni,
    const struct ike_endpoint *peer, struct ike_cookie_result *ret, const char *reason)
{
	const struct ikev2_header h = {.spi_i = req->spi_i, .major = IKEV2_MAJOR_VERSION,
	    .exchange = IKEV2_IKE_SA_INIT, .flags = IKEV2_FLAG_RESPONSE};
	uint8_t cookie[IKE_COOKIE_LEN];
	struct ikev2_builder b;
	struct bytes msg;

	if (!make_cookie(c->secret, c->version, ni, peer, req->spi_i, cookie))
		return drop(ret, "cookie computation failed");
	ikev2_builder_init(&b, &h, IKE_COOKIE_REPLY_LEN);
	ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, (struct bytes){NULL, 0}, IKEV2_N_COOKIE,
	    (struct bytes){cookie, sizeof(cookie)});
	if (ikev2_builder_finish(&b, &msg) || msg.len != IKE_COOKIE_REPLY_LEN) {
		ikev2_builder_clear(&b);
		return drop(ret, "cookie reply does not build");
	}
	memcpy(ret->reply, msg.ptr, msg.len);
	ret->reply_len = msg.len;
	ikev2_builder_clear(&b);
	ret->reason = reason;
	return IKE_COOKIE_REPLY;
}

enum ike_cookie_verdict
ike_cookie_check(const struct ike_cookies *c, const uint8_t *msg, size_t len,
    const struct ikev2_limits *lim, const struct ike_endpoint *peer,
    struct ike_cookie_result *ret)
{
	struct ikev2_msg m;
	struct parse_error e;
	struct ikev2_iter it;
	struct ikev2_payload p;
	struct bytes ni = {NULL, 0}, echoed = {NULL, 0};
	bool first = true;
	uint8_t want[IKE_COOKIE_LEN];

	ret->reply_len = 0;
	if (ikev2_msg_parse(msg, len, lim, &m, &e))
		return drop(ret, e.reason);
	if (m.hdr.exchange != IKEV2_IKE_SA_INIT || (m.hdr.flags & IKEV2_FLAG_RESPONSE) ||
	    !(m.hdr.flags & IKEV2_FLAG_INITIATOR) || m.hdr.message_id != 0 || m.hdr.spi_r != 0)
		return drop(ret, "not an IKE_SA_INIT request");
	ikev2_iter_init(&it, &m.chain);
	while (ikev2_iter_next(&it, &p)) {
		if (p.type == IKEV2_PL_NONCE)
			ni = p.u.nonce;
		/* 2.6: the cookie is the first payload of the retried request */
		else if (first && p.type == IKEV2_PL_NOTIFY && p.u.notify.type == IKEV2_N_COOKIE)
			echoed = p.u.notify.data;
		first = false;
	}
	if (!ni.ptr)
		return drop(ret, "IKE_SA_INIT request without Nonce");
	if (!echoed.ptr)
		return challenge(c, &m.hdr, ni, peer, ret, "cookie required");
	const uint8_t *secret = echoed.len == IKE_COOKIE_LEN && echoed.ptr[0] == c->version
	    ? c->secret
	    : echoed.len == IKE_COOKIE_LEN && c->has_previous &&
		    echoed.ptr[0] == (uint8_t)(c->version - 1)
		? c->previous
		: NULL;
	if (!secret)
		return challenge(c, &m.hdr, ni, peer, ret, "cookie of an unknown secret version (stale)");
	if (!make_cookie(secret, echoed.ptr[0], ni, peer, m.hdr.spi_i, want))
		return drop(ret, "cookie computation failed");
	if (CRYPTO_memcmp(want, echoed.ptr, IKE_COOKIE_LEN) != 0)
		return challenge(c, &m.hdr, ni, peer, ret, "cookie does not match the request");
	ret->reason = NULL;
	return IKE_COOKIE_ACCEPT;
}
