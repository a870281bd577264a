/* fuzz_eap.c - libFuzzer harness for the EAP codecs: EAP packets (RFC 3748)
 * and their methods, EAP-TTLS Diameter AVPs (RFC 5281), and the fragment
 * reassembly shared by EAP-TTLS and EAP-TNC.
 *
 * The input is read three ways:
 *  - as a stream of EAP packets, one after the other by their Length: each
 *    one that parses must re-encode to the same octets; its method's
 *    Type-Data is decoded; EAP-TTLS and EAP-TNC packets go into one
 *    reassembler (bound 64 KiB), and every message it completes is cut again
 *    by the fragmenter and reassembled to the same octets;
 *  - as tunneled EAP-TTLS data: every AVP the iterator yields re-encodes
 *    to an AVP that parses to the same fields;
 *  - the EAP-Message search over the same data must agree with the
 *    iterator.
 * Any broken invariant aborts.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "eap.h"
#include "eap_frag.h"
#include "eap_md5.h"
#include "eap_tnc.h"
#include "eap_ttls.h"

#define MAX_MSG 65536u
#define MAX_PKT 65536u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static void
check_refusal(const struct parse_error *e, size_t len)
{
	check(e->reason != NULL && e->offset <= len);
}

static void
check_reencodes(const struct eap_packet *p, const uint8_t *buf)
{
	struct wire_writer w;
	char sum[48];

	wire_writer_init(&w, MAX_PKT);
	eap_put(&w, p);
	check(wire_writer_status(&w) == 0 && w.len == p->length);
	check(memcmp(w.buf, buf, w.len) == 0);
	wire_writer_clear(&w);
	check(strncmp(eap_summary(p, sum, sizeof(sum)), "EAP/", 4) == 0);
}

/* Re-encodes a TTLS / EAP-TNC packet from its decoded fields: the same
 * octets but for the reserved flag bits, which are dropped. */
static void
check_frag_reencodes(const struct eap_packet *p, const struct eap_frag *f, const uint8_t *buf)
{
	struct wire_writer w;

	wire_writer_init(&w, MAX_PKT);
	eap_frag_put(&w, p->code, p->id, p->type, f);
	check(wire_writer_status(&w) == 0 && w.len == p->length);
	check(w.buf[5] == (buf[5] & (EAP_FRAG_FLAGS_MASK | EAP_FRAG_VERSION_MASK)));
	check(memcmp(w.buf, buf, 5) == 0 && memcmp(w.buf + 6, buf + 6, w.len - 6) == 0);
	wire_writer_clear(&w);
}

/* A complete message, cut again into fragments of a size taken from the
 * message itself, must reassemble to the same octets. */
static void
check_refragments(struct bytes msg, uint8_t type, uint8_t version)
{
	struct eap_fragmenter fr;
	struct eap_reasm r;
	size_t max_data = 1 + (msg.len ? msg.ptr[0] * 7u : 0), packets = 0;
	bool complete = false;

	eap_reasm_init(&r, MAX_MSG);
	eap_fragmenter_init(&fr, msg, max_data);
	while (!eap_fragmenter_done(&fr)) {
		struct wire_writer w;
		struct eap_packet p;
		struct eap_frag f;
		struct parse_error e;

		check(!complete);
		wire_writer_init(&w, MAX_PKT);
		eap_fragmenter_put(&fr, &w, EAP_RESPONSE, (uint8_t)packets, type, version, 0);
		check(wire_writer_status(&w) == 0);
		check(eap_parse(w.buf, w.len, &p, &e) == 0);
		check(eap_frag_parse(&p, &f, &e) == 0 && f.version == version);
		check(eap_reasm_add(&r, &f, &complete, &e) == 0);
		wire_writer_clear(&w);
		packets++;
	}
	check(complete && packets == (msg.len ? (msg.len + max_data - 1) / max_data : 1));
	struct bytes again = eap_reasm_message(&r);
	check(again.len == msg.len && (msg.len == 0 || memcmp(again.ptr, msg.ptr, msg.len) == 0));
	eap_reasm_clear(&r);
}

static void
reassemble(struct eap_reasm *r, const struct eap_packet *p, const uint8_t *buf)
{
	struct eap_frag f;
	struct parse_error e;
	bool complete;
	int err;

	err = p->type == EAP_TYPE_TTLS ? eap_ttls_parse(p, &f, &e) : eap_tnc_parse(p, &f, &e);
	if (err) {
		check_refusal(&e, p->length);
		return;
	}
	check(f.data_offset + f.data.len == p->length);
	check_frag_reencodes(p, &f, buf);
	if (eap_frag_is_ack(&f) || r->state == EAP_REASM_FAILED)
		return;
	if (eap_reasm_add(r, &f, &complete, &e) != 0) {
		check_refusal(&e, p->length);
		check(r->state == EAP_REASM_FAILED && eap_reasm_message(r).len == 0);
		return;
	}
	if (!complete) {
		check(r->state == EAP_REASM_PARTIAL && r->msg.len < r->total);
		return;
	}
	struct bytes msg = eap_reasm_message(r);
	check(msg.len == r->total && msg.len <= MAX_MSG);
	check_refragments(msg, p->type, f.version);
	eap_reasm_next(r);
	check(r->state == EAP_REASM_IDLE);
}

static void
decode_method(const struct eap_packet *p, const uint8_t *buf, struct eap_reasm *r)
{
	struct parse_error e;
	struct eap_md5 m;
	struct pt_eap pt;

	switch (p->type) {
	case EAP_TYPE_NOTIFICATION:
		if (eap_check_notification(p, &e))
			check_refusal(&e, p->length);
		break;
	case EAP_TYPE_NAK:
		if (eap_check_nak(p, &e))
			check_refusal(&e, p->length);
		break;
	case EAP_TYPE_MD5:
		if (eap_md5_parse(p, &m, &e) == 0)
			check(m.value.len > 0 && 1 + m.value.len + m.name.len == p->data.len);
		else
			check_refusal(&e, p->length);
		break;
	case EAP_TYPE_PT_EAP:
		if (pt_eap_parse(p, &pt, &e) == 0)
			check(pt.batch_offset + pt.batch.len == p->length);
		else
			check_refusal(&e, p->length);
		break;
	case EAP_TYPE_TTLS:
	case EAP_TYPE_TNC:
		reassemble(r, p, buf);
		break;
	default:
		break;
	}
}

static void
packets(const uint8_t *data, size_t size)
{
	struct eap_reasm r;
	size_t off = 0;

	eap_reasm_init(&r, MAX_MSG);
	while (off < size) {
		struct eap_packet p;
		struct parse_error e;

		if (eap_parse(data + off, size - off, &p, &e) != 0) {
			check_refusal(&e, size - off);
			break;
		}
		check(p.length >= EAP_HEADER_LEN && p.length <= size - off);
		check_reencodes(&p, data + off);
		if (p.code == EAP_REQUEST || p.code == EAP_RESPONSE)
			decode_method(&p, data + off, &r);
		off += p.length;
	}
	eap_reasm_clear(&r);
}

static void
check_avp_reencodes(const struct ttls_avp *a)
{
	struct wire_writer w;
	struct ttls_avp_iter it;
	struct ttls_avp b;
	struct parse_error e;

	wire_writer_init(&w, a->data.len + TTLS_AVP_VENDOR_HEADER_LEN + TTLS_AVP_ALIGN);
	ttls_avp_put(&w, a);
	check(wire_writer_status(&w) == 0 && w.len % TTLS_AVP_ALIGN == 0);
	ttls_avp_iter_init(&it, (struct bytes){w.buf, w.len});
	check(ttls_avp_next(&it, &b, &e) == 1);
	check(b.code == a->code && b.flags == a->flags && b.vendor == a->vendor);
	check(b.data.len == a->data.len &&
	    (a->data.len == 0 || memcmp(b.data.ptr, a->data.ptr, a->data.len) == 0));
	check(ttls_avp_next(&it, &b, &e) == 0);
	wire_writer_clear(&w);
}

static void
avps(const uint8_t *data, size_t size)
{
	struct bytes buf = {data, size}, eap;
	struct ttls_avp_iter it;
	struct ttls_avp a;
	struct parse_error e;
	size_t eap_messages = 0;
	bool mandatory_unknown = false;
	int n;

	ttls_avp_iter_init(&it, buf);
	while ((n = ttls_avp_next(&it, &a, &e)) == 1) {
		bool is_eap = !(a.flags & TTLS_AVP_FLAG_V) && a.code == TTLS_AVP_EAP_MESSAGE;
		check(a.offset < size && a.data.ptr >= data && a.data.ptr + a.data.len <= data + size);
		check(ttls_avp_name(a.vendor, a.code) != NULL);
		check_avp_reencodes(&a);
		eap_messages += is_eap;
		mandatory_unknown |= !is_eap && (a.flags & TTLS_AVP_FLAG_M);
	}
	if (n < 0)
		check_refusal(&e, size);
	int err = ttls_avp_find_eap_message(buf, &eap, &e);
	if (err == 0)
		check(n == 0 && eap_messages == 1 && !mandatory_unknown);
	else
		check(n < 0 || eap_messages != 1 || mandatory_unknown);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	packets(data, size);
	avps(data, size);
	return 0;
}
