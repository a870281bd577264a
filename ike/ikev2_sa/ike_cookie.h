/* ike_cookie.h - stateless IKE_SA_INIT cookies (RFC 7296 2.6).
 *
 * The owner calls ike_cookie_check() for an IKE_SA_INIT request before it
 * creates an SA, when its half-open SAs exceed its threshold.  The cookie
 * is <version of the secret> | HMAC-SHA256(secret, Ni | IPi | SPIi): the
 * responder keeps no state per request, and a cookie made with the
 * previous secret stays valid until the next rotation, so a rotation does
 * not turn away an initiator caught in the middle.
 */
#ifndef TNC_IKE_COOKIE_H
#define TNC_IKE_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_sa.h"
#include "ikev2.h"

#define IKE_COOKIE_SECRET_LEN 32
#define IKE_COOKIE_LEN (1 + 32)
/* IKE header and one Notify payload carrying the cookie. */
#define IKE_COOKIE_REPLY_LEN (IKEV2_HEADER_LEN + 8 + IKE_COOKIE_LEN)

struct ike_cookies {
	uint8_t version;
	uint8_t secret[IKE_COOKIE_SECRET_LEN];
	bool has_previous;
	uint8_t previous[IKE_COOKIE_SECRET_LEN];
};

/* secret: random octets from the owner's source. */
void ike_cookies_init(struct ike_cookies *c, const uint8_t secret[IKE_COOKIE_SECRET_LEN]);
/* A new secret and version; the current one becomes the previous. */
void ike_cookies_rotate(struct ike_cookies *c, const uint8_t secret[IKE_COOKIE_SECRET_LEN]);
void ike_cookies_cleanse(struct ike_cookies *c);

enum ike_cookie_verdict {
	IKE_COOKIE_ACCEPT, /* the request echoes a valid cookie: create the SA */
	IKE_COOKIE_REPLY,  /* send reply (N(COOKIE)) to the peer; create nothing */
	IKE_COOKIE_DROP,   /* not an IKE_SA_INIT request: drop it */
};

struct ike_cookie_result {
	uint8_t reply[IKE_COOKIE_REPLY_LEN];
	size_t reply_len;
	const char *reason; /* for the log, with REPLY and DROP */
};

/* msg[0..len) from peer (its address and port; the address is hashed). */
enum ike_cookie_verdict ike_cookie_check(const struct ike_cookies *c, const uint8_t *msg,
    size_t len, const struct ikev2_limits *lim, const struct ike_endpoint *peer,
    struct ike_cookie_result *ret);

#endif
