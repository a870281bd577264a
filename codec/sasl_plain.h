/* sasl_plain.h - the SASL PLAIN message (RFC 4616):
 *
 *     message = [authzid] NUL authcid NUL passwd
 *
 * each field UTF-8 (RFC 3629) without NUL and at most 255 octets; authcid
 * and passwd are not empty.  Pure: no I/O, no logging, no globals.  The
 * views a parse returns point into the caller's buffer (which holds a
 * password: the caller wipes it). */
#ifndef TNC_SASL_PLAIN_H
#define TNC_SASL_PLAIN_H

#include <stdbool.h>

#include "wire.h"

#define SASL_PLAIN_MECHANISM "PLAIN"
#define SASL_PLAIN_FIELD_MAX 255
#define SASL_PLAIN_MSG_MAX (3 * SASL_PLAIN_FIELD_MAX + 2)

struct sasl_plain {
	struct bytes authzid; /* may be empty */
	struct bytes authcid;
	struct bytes passwd;
};

/* Splits msg into its three fields.  Failures: TNC_ETRUNCATED (fewer than
 * two NULs), TNC_ETOOLONG (a field above 255 octets), TNC_EINVALID (an
 * empty authcid or passwd, a NUL inside passwd, a field not UTF-8); *ret_err
 * gets the offset in msg and a reason that never quotes a field.  *ret is
 * written only on success. */
int sasl_plain_parse(struct bytes msg, struct sasl_plain *ret, struct parse_error *ret_err)
    TNC_MUST_CHECK;

/* The authorization identity is the authenticated one: authzid is empty or
 * equal to authcid (this server acts for nobody else). */
bool sasl_plain_authzid_ok(const struct sasl_plain *p);

/* Appends the message of the three fields to w: 0, TNC_EINVALID for fields
 * sasl_plain_parse() would refuse (nothing appended then), or the writer's
 * error. */
int sasl_plain_put(struct wire_writer *w, struct bytes authzid, struct bytes authcid,
    struct bytes passwd) TNC_MUST_CHECK;

/* True if b is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF) without NUL. */
bool sasl_utf8_ok(struct bytes b);

#endif
