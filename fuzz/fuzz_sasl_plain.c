/* fuzz_sasl_plain.c - libFuzzer harness for the SASL PLAIN parser
 * (RFC 4616).
 *
 * The input is one PLAIN message.  A message that parses must have fields
 * of at most 255 octets of UTF-8 without NUL, authcid and passwd not
 * empty, and encode back to the same octets; a refused one must report an
 * offset inside (or at the end of) the message and a reason.  Any mismatch
 * aborts. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sasl_plain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static void
check_field(struct bytes f, bool may_be_empty)
{
	check(f.len <= SASL_PLAIN_FIELD_MAX && (may_be_empty || f.len > 0));
	check(sasl_utf8_ok(f) && (f.len == 0 || !memchr(f.ptr, 0, f.len)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sasl_plain p;
	struct parse_error e = {0};
	struct wire_writer w;

	if (sasl_plain_parse((struct bytes){data, size}, &p, &e) != 0) {
		check(e.reason != NULL && e.offset <= size);
		return 0;
	}
	check(size <= SASL_PLAIN_MSG_MAX);
	check_field(p.authzid, true);
	check_field(p.authcid, false);
	check_field(p.passwd, false);
	check(p.authzid.len + p.authcid.len + p.passwd.len + 2 == size);
	check(sasl_plain_authzid_ok(&p) == (p.authzid.len == 0 ||
	    (p.authzid.len == p.authcid.len && !memcmp(p.authzid.ptr, p.authcid.ptr, p.authcid.len))));
	wire_writer_init(&w, SASL_PLAIN_MSG_MAX);
	check(sasl_plain_put(&w, p.authzid, p.authcid, p.passwd) == 0);
	check(w.len == size && memcmp(w.buf, data, size) == 0);
	wire_writer_clear(&w);
	return 0;
}
