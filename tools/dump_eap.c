/* dump_eap.c - EAP packets for tncdump (RFC 3748 4-5, RFC 5281, TCG IF-T
 * for Tunneled EAP Methods, RFC 7171).
 *
 * Fragments go into one reassembler per tunnel level, side (Request or
 * Response) and method (EAP-TTLS, EAP-TNC), so the two sides' messages may
 * interleave as they do in a capture.  An EAP-TTLS message is TLS records
 * on the wire; when it is not (the tunneled data, decrypted), its AVPs are
 * decoded and the tunneled EAP packet printed one level down.  Deeper
 * tunnels are shown as hex: the nesting is bounded.
 */
#include "dump_eap.h"

#include "dump.h"
#include "dump_pb.h"
#include "eap.h"
#include "eap_frag.h"
#include "eap_md5.h"
#include "eap_tnc.h"
#include "eap_ttls.h"

/* The outer EAP conversation and the one tunneled in EAP-TTLS. */
#define LEVELS 2
#define SIDES 2
#define METHODS 2
/* TLS record: content type, version, length (RFC 8446 5.1). */
#define TLS_RECORD_HEADER_LEN 5
#define TLS_CONTENT_FIRST 20 /* change_cipher_spec */
#define TLS_CONTENT_LAST 24  /* heartbeat */

enum method { TTLS, TNC };

struct eap_dump {
	struct tree *t;
	unsigned level;
	struct eap_reasm reasm[LEVELS][SIDES][METHODS];
};

static void dump_one(struct eap_dump *d, struct bytes pkt, size_t *ret_len);

static void
eap_dump_init(struct eap_dump *d, struct tree *t)
{
	d->t = t;
	d->level = 0;
	for (size_t l = 0; l < LEVELS; l++)
		for (size_t s = 0; s < SIDES; s++)
			for (size_t m = 0; m < METHODS; m++)
				eap_reasm_init(&d->reasm[l][s][m], DUMP_MAX_INPUT);
}

/* Frees the buffers; for a whole conversation, reports the messages the
 * input ended inside of (one packet alone may well be a first fragment). */
static void
eap_dump_finish(struct eap_dump *d, bool conversation, size_t end)
{
	for (size_t l = 0; l < LEVELS; l++)
		for (size_t s = 0; s < SIDES; s++)
			for (size_t m = 0; m < METHODS; m++) {
				struct eap_reasm *r = &d->reasm[l][s][m];
				if (conversation && r->state == EAP_REASM_PARTIAL)
					tree_fail(d->t, m == TTLS ?
					    "input ends inside a fragmented EAP-TTLS message" :
					    "input ends inside a fragmented EAP-TNC message", end);
				eap_reasm_clear(r);
			}
}

static void
dump_tls_records(struct tree *t, struct bytes msg)
{
	struct wire_reader r;
	uint8_t type, major, minor;
	uint16_t len;
	size_t n = 0, limit = tree_list_limit(t, SIZE_MAX);

	tree_line(t, "TLS records (%zu bytes), the tunnel's content encrypted", msg.len);
	tree_push(t);
	wire_reader_init(&r, msg.ptr, msg.len);
	while (wire_remaining(&r) > 0 && n < limit) {
		const uint8_t *at = msg.ptr + wire_offset(&r);
		if (wire_get_u8(&r, &type) || wire_get_u8(&r, &major) || wire_get_u8(&r, &minor) ||
		    wire_get_u16(&r, &len) || wire_skip(&r, len)) {
			tree_line(t, "TLS record @%zu cut short: %zu bytes left", tree_at(t, at),
			    msg.len - (size_t)(at - msg.ptr));
			break;
		}
		tree_line(t, "TLS record type %u, version %u.%u, %u bytes @%zu", type, major, minor,
		    len, tree_at(t, at));
		n++;
	}
	if (wire_remaining(&r) > 0 && n == limit)
		tree_line(t, "... more records");
	tree_pop(t);
}

static void
dump_avps_at(struct eap_dump *d, struct bytes data)
{
	struct tree *t = d->t;
	struct ttls_avp_iter it;
	struct ttls_avp a;
	struct parse_error e;
	char text[TREE_QUOTE_MAX];
	size_t used;
	int rc;

	if (d->level + 1 >= LEVELS) {
		tree_hex(t, "tunneled data inside a tunnel, not decoded", data);
		return;
	}
	ttls_avp_iter_init(&it, data);
	while ((rc = ttls_avp_next(&it, &a, &e)) > 0) {
		tree_line(t, "AVP %s (%u), flags 0x%02x%s%s, vendor %u, %zu bytes of data @%zu",
		    ttls_avp_name(a.vendor, a.code), a.code, a.flags, a.flags & TTLS_AVP_FLAG_V ? " V" : "",
		    a.flags & TTLS_AVP_FLAG_M ? " M" : "", a.vendor, a.data.len,
		    tree_at(t, data.ptr + a.offset));
		tree_push(t);
		if (a.vendor == 0 && a.code == TTLS_AVP_EAP_MESSAGE) {
			d->level++;
			dump_one(d, a.data, &used);
			d->level--;
		} else if (a.vendor == 0 && a.code == TTLS_AVP_USER_NAME) {
			tree_line(t, "user name %s", tree_quote(text, a.data));
		} else {
			tree_hex(t, "data", a.data);
		}
		tree_pop(t);
	}
	if (rc < 0)
		tree_error(t, data.ptr, &e);
}

/* A whole message of method m (a view into the input, or a reassembled
 * copy whose offsets the caller has made count from its first octet). */
static void
dump_message(struct eap_dump *d, enum method m, struct bytes msg)
{
	if (msg.len == 0)
		tree_line(d->t, "empty message");
	else if (m == TNC)
		dump_pb_batch(d->t, msg);
	else if (msg.ptr[0] >= TLS_CONTENT_FIRST && msg.ptr[0] <= TLS_CONTENT_LAST)
		dump_tls_records(d->t, msg);
	else {
		tree_line(d->t, "not TLS records: tunneled data, decrypted");
		dump_avps_at(d, msg);
	}
}

static void
dump_frag(struct eap_dump *d, const struct eap_packet *p, const struct eap_frag *f, enum method m)
{
	struct tree *t = d->t;
	struct eap_reasm *r = &d->reasm[d->level][p->code == EAP_RESPONSE][m];
	bool whole = r->state == EAP_REASM_IDLE && !(f->flags & (EAP_FRAG_FLAG_L | EAP_FRAG_FLAG_M));
	bool complete;
	struct parse_error e;
	const uint8_t *origin;

	tree_line(t, "flags 0x%02x%s%s%s, version %u, %zu bytes of data", f->flags,
	    f->flags & EAP_FRAG_FLAG_L ? " L" : "", f->flags & EAP_FRAG_FLAG_M ? " M" : "",
	    f->flags & EAP_FRAG_FLAG_S ? " S" : "", f->version, f->data.len);
	if (f->flags & EAP_FRAG_FLAG_L)
		tree_line(t, "message length %u", f->msg_len);
	if (eap_frag_is_ack(f)) {
		tree_line(t, "acknowledgement");
		return;
	}
	if (f->data.len == 0 && f->flags == EAP_FRAG_FLAG_S) {
		tree_line(t, "start");
		return;
	}
	if (eap_reasm_add(r, f, &complete, &e)) {
		tree_error(t, p->data.ptr - p->data_offset, &e);
		eap_reasm_clear(r);
		return;
	}
	if (!complete) {
		tree_line(t, "fragment: %zu of %zu bytes so far", r->msg.len, r->total);
		return;
	}
	if (whole) {
		dump_message(d, m, f->data);
	} else {
		struct bytes msg = eap_reasm_message(r);
		tree_line(t, "reassembled message (%zu bytes), offsets below from its first octet",
		    msg.len);
		tree_push(t);
		origin = t->origin;
		t->origin = msg.ptr;
		dump_message(d, m, msg);
		t->origin = origin;
		tree_pop(t);
	}
	eap_reasm_next(r);
}

static void
dump_nak(struct tree *t, const struct eap_packet *p)
{
	for (size_t i = 0; i < p->data.len; i++)
		tree_line(t, "desired type %s (%u)",
		    p->data.ptr[i] ? eap_type_name(p->data.ptr[i]) : "none", p->data.ptr[i]);
}

/* The Type-Data of a Request or Response by its method's codec. */
static void
dump_type_data(struct eap_dump *d, const struct eap_packet *p, const uint8_t *base)
{
	struct tree *t = d->t;
	struct parse_error e;
	struct eap_frag f;
	struct eap_md5 md5;
	struct pt_eap pt;
	char text[TREE_QUOTE_MAX];

	switch (p->type) {
	case EAP_TYPE_IDENTITY:
		tree_line(t, "identity %s", tree_quote(text, p->data));
		return;
	case EAP_TYPE_NOTIFICATION:
		if (eap_check_notification(p, &e))
			break;
		if (p->data.len)
			tree_line(t, "text %s", tree_quote(text, p->data));
		return;
	case EAP_TYPE_NAK:
		if (eap_check_nak(p, &e))
			break;
		dump_nak(t, p);
		return;
	case EAP_TYPE_MD5:
		if (eap_md5_parse(p, &md5, &e))
			break;
		tree_hex(t, p->code == EAP_REQUEST ? "challenge" : "response", md5.value);
		tree_line(t, "name %s", tree_quote(text, md5.name));
		return;
	case EAP_TYPE_TTLS:
		if (eap_ttls_parse(p, &f, &e))
			break;
		dump_frag(d, p, &f, TTLS);
		return;
	case EAP_TYPE_TNC:
		if (eap_tnc_parse(p, &f, &e))
			break;
		dump_frag(d, p, &f, TNC);
		return;
	case EAP_TYPE_PT_EAP:
		if (pt_eap_parse(p, &pt, &e))
			break;
		tree_line(t, "flags 0x%02x%s, version %u", pt.flags,
		    pt.flags & PT_EAP_FLAG_S ? " S" : "", pt.version);
		if (pt.batch.len)
			dump_pb_batch(t, pt.batch);
		return;
	default:
		if (p->data.len)
			tree_hex(t, "type data", p->data);
		return;
	}
	tree_error(t, base, &e);
}

/* The packet at the front of pkt; *ret_len is its Length, 0 when refused. */
static void
dump_one(struct eap_dump *d, struct bytes pkt, size_t *ret_len)
{
	struct tree *t = d->t;
	struct eap_packet p;
	struct parse_error e;
	char sum[64];

	*ret_len = 0;
	if (eap_parse(pkt.ptr, pkt.len, &p, &e)) {
		tree_line(t, "EAP packet @%zu", tree_at(t, pkt.ptr));
		tree_sub_error(t, pkt.ptr, &e);
		return;
	}
	*ret_len = p.length;
	eap_summary(&p, sum, sizeof(sum));
	if (p.code != EAP_REQUEST && p.code != EAP_RESPONSE)
		tree_line(t, "%s packet (%u bytes) @%zu: %s, identifier %u", sum, p.length,
		    tree_at(t, pkt.ptr), eap_code_name(p.code), p.id);
	else if (p.type == EAP_TYPE_EXPANDED)
		tree_line(t, "%s packet (%u bytes) @%zu: %s, identifier %u, vendor 0x%06x, "
		    "vendor type %u", sum, p.length, tree_at(t, pkt.ptr), eap_code_name(p.code),
		    p.id, p.vendor_id, p.vendor_type);
	else
		tree_line(t, "%s packet (%u bytes) @%zu: %s, identifier %u, type %s (%u)", sum,
		    p.length, tree_at(t, pkt.ptr), eap_code_name(p.code), p.id,
		    eap_type_name(p.type), p.type);
	if (p.code != EAP_REQUEST && p.code != EAP_RESPONSE)
		return;
	tree_push(t);
	dump_type_data(d, &p, pkt.ptr);
	tree_pop(t);
}

bool
dump_eap_looks(const uint8_t *buf, size_t len)
{
	struct eap_packet p;
	size_t off = 0;

	while (off < len) {
		if (eap_parse(buf + off, len - off, &p, NULL) || p.length == 0)
			return false;
		off += p.length;
	}
	return len > 0;
}

void
dump_eap_stream(struct tree *t, struct bytes stream)
{
	struct eap_dump d;
	size_t off = 0, n = 1;

	eap_dump_init(&d, t);
	while (off < stream.len && n > 0) {
		dump_one(&d, (struct bytes){stream.ptr + off, stream.len - off}, &n);
		off += n;
	}
	eap_dump_finish(&d, true, tree_at(t, stream.ptr + stream.len));
}

void
dump_eap_packet(struct tree *t, struct bytes packet)
{
	struct eap_dump d;
	size_t n;

	eap_dump_init(&d, t);
	dump_one(&d, packet, &n);
	eap_dump_finish(&d, false, 0);
}

void
dump_ttls_avps(struct tree *t, struct bytes data)
{
	struct eap_dump d;

	eap_dump_init(&d, t);
	dump_avps_at(&d, data);
	eap_dump_finish(&d, false, 0);
}
