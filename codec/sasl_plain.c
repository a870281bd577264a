/* sasl_plain.c - SASL PLAIN message codec (see sasl_plain.h). */
#include "sasl_plain.h"

#include <string.h>

/* Octets of the UTF-8 sequence starting at p[0..n), 0 if it is not one. */
static size_t
utf8_seq_len(const uint8_t *p, size_t n)
{
	uint8_t c = p[0];
	size_t len;
	uint8_t lo = 0x80, hi = 0xbf; /* the range of the second octet */

	if (c == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		return 0;
	}
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

/* Index of the first octet of b that does not start well-formed UTF-8, or
 * b.len when every octet does. */
static size_t
utf8_first_bad(struct bytes b)
{
	size_t i = 0, n;

	while (i < b.len && (n = utf8_seq_len(b.ptr + i, b.len - i)) > 0)
		i += n;
	return i;
}

bool
sasl_utf8_ok(struct bytes b)
{
	return utf8_first_bad(b) == b.len;
}

/* One field starting at offset at of the message. */
static int
check_field(struct bytes f, size_t at, bool may_be_empty, const char *name_empty,
    const char *name_long, const char *name_utf8, struct parse_error *e)
{
	size_t bad;

	if (f.len == 0 && !may_be_empty)
		return parse_fail(e, TNC_EINVALID, 0, at, name_empty);
	if (f.len > SASL_PLAIN_FIELD_MAX)
		return parse_fail(e, TNC_ETOOLONG, 0, at + SASL_PLAIN_FIELD_MAX, name_long);
	if ((bad = utf8_first_bad(f)) < f.len)
		return parse_fail(e, TNC_EINVALID, 0, at + bad, name_utf8);
	return 0;
}

int
sasl_plain_parse(struct bytes msg, struct sasl_plain *ret, struct parse_error *ret_err)
{
	const uint8_t *nul1 = msg.len ? memchr(msg.ptr, 0, msg.len) : NULL;
	const uint8_t *nul2 = NULL;
	struct sasl_plain p;
	int err;

	if (nul1)
		nul2 = memchr(nul1 + 1, 0, msg.len - (size_t)(nul1 + 1 - msg.ptr));
	if (!nul2)
		return parse_fail(ret_err, TNC_ETRUNCATED, 0, msg.len,
		    "PLAIN message without its two NUL separators");
	p.authzid = (struct bytes){msg.ptr, (size_t)(nul1 - msg.ptr)};
	p.authcid = (struct bytes){nul1 + 1, (size_t)(nul2 - nul1 - 1)};
	p.passwd = (struct bytes){nul2 + 1, msg.len - (size_t)(nul2 + 1 - msg.ptr)};
	if ((err = check_field(p.authzid, 0, true, NULL, "authzid longer than 255 octets",
	    "authzid is not UTF-8", ret_err)) ||
	    (err = check_field(p.authcid, p.authzid.len + 1, false, "authcid is empty",
	    "authcid longer than 255 octets", "authcid is not UTF-8", ret_err)) ||
	    (err = check_field(p.passwd, (size_t)(p.passwd.ptr - msg.ptr), false,
	    "passwd is empty", "passwd longer than 255 octets",
	    "passwd is not UTF-8 (or holds a NUL)", ret_err)))
		return err;
	*ret = p;
	return 0;
}

bool
sasl_plain_authzid_ok(const struct sasl_plain *p)
{
	return p->authzid.len == 0 || (p->authzid.len == p->authcid.len &&
	    memcmp(p->authzid.ptr, p->authcid.ptr, p->authcid.len) == 0);
}

static bool
field_ok(struct bytes f, bool may_be_empty)
{
	return (f.len > 0 || may_be_empty) && f.len <= SASL_PLAIN_FIELD_MAX && sasl_utf8_ok(f);
}

int
sasl_plain_put(struct wire_writer *w, struct bytes authzid, struct bytes authcid,
    struct bytes passwd)
{
	if (!field_ok(authzid, true) || !field_ok(authcid, false) || !field_ok(passwd, false))
		return TNC_EINVALID;
	wire_put_bytes(w, authzid.ptr, authzid.len);
	wire_put_u8(w, 0);
	wire_put_bytes(w, authcid.ptr, authcid.len);
	wire_put_u8(w, 0);
	wire_put_bytes(w, passwd.ptr, passwd.len);
	return wire_writer_status(w);
}
