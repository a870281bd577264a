/* fuzz_pt_tls.c - libFuzzer harness for the PT-TLS deframer and parser
 * (RFC 6876).
 *
 * The input is a received byte stream: messages are deframed one after the
 * other until the deframer wants more or refuses a length.  Each complete
 * message that parses is re-encoded from its decoded fields; that must give
 * a message of the same length which parses to the same header and encodes
 * to the same octets again.  Any mismatch aborts.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pt_tls.h"

#define MAX_MSG (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static bool
same_header(const struct pt_tls_header *a, const struct pt_tls_header *b)
{
	return a->vendor == b->vendor && a->type == b->type && a->length == b->length &&
	    a->id == b->id;
}

static void
check_mechanisms(const struct pt_tls_msg *m)
{
	struct bytes list = m->u.sasl_mechanisms.list, name;
	size_t n = 0;

	while (pt_tls_sasl_mechanisms_next(&list, &name))
		n++;
	check(n == m->u.sasl_mechanisms.count && list.len == 0);
}

static void
round_trip(const struct pt_tls_msg *m, size_t len)
{
	struct wire_writer one, two;
	struct pt_tls_msg again;
	struct parse_error e;

	wire_writer_init(&one, MAX_MSG);
	wire_writer_init(&two, MAX_MSG);
	check(pt_tls_put(&one, m) == 0 && one.len == len);
	check(pt_tls_parse(one.buf, one.len, &again, &e) == 0);
	check(same_header(&m->hdr, &again.hdr));
	check(pt_tls_put(&two, &again) == 0);
	check(one.len == two.len && memcmp(one.buf, two.buf, one.len) == 0);
	wire_writer_clear(&two);
	wire_writer_clear(&one);
}

static void
parse_one(const uint8_t *p, size_t len)
{
	struct pt_tls_msg m;
	struct parse_error e;

	if (pt_tls_parse(p, len, &m, &e) != 0) {
		check(e.reason != NULL && e.offset < len);
		check(e.code <= PT_TLS_ERROR_INVALID_PARAMETER);
		return;
	}
	check(m.hdr.length == len && pt_tls_msg_type_name(m.hdr.vendor, m.hdr.type) != NULL);
	if (m.hdr.type == PT_TLS_SASL_MECHANISMS)
		check_mechanisms(&m);
	round_trip(&m, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0, need;
	struct parse_error e;

	while (off < size) {
		int err = pt_tls_deframe(data + off, size - off, MAX_MSG, &need, &e);
		if (err == TNC_EAGAIN) {
			check(need > size - off);
			break;
		}
		if (err) {
			check(e.code == PT_TLS_ERROR_INVALID_PARAMETER && e.offset == 8);
			break;
		}
		check(need >= PT_TLS_HEADER_LEN && need <= size - off);
		parse_one(data + off, need);
		off += need;
	}
	return 0;
}
