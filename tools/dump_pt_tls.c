/* dump_pt_tls.c - PT-TLS messages for tncdump (RFC 6876 3.5-3.9).
 *
 * pt_tls_deframe() cuts the stream; pt_tls_parse() checks each message.
 * The copy of the offending message inside a PT-TLS Error is decoded one
 * level deep when it parses; a copy's own copy is shown as hex and its
 * PB-TNC batch only sized, since a copy may be cut short and its faults
 * are not the input's.
 */
#include "dump_pt_tls.h"

#include <string.h>

#include "dump_pb.h"
#include "pt_tls.h"

static void dump_msg(struct tree *t, const uint8_t *at, const struct pt_tls_msg *m, bool copy);

static void
dump_mechanisms(struct tree *t, const struct pt_tls_sasl_mechanisms *s)
{
	struct bytes list = s->list, name;
	char text[TREE_QUOTE_MAX];
	size_t n = tree_list_limit(t, s->count), i = 0;

	if (s->count == 0) {
		tree_line(t, "no mechanisms: no SASL authentication needed");
		return;
	}
	tree_line(t, "%zu mechanism%s", s->count, tree_plural(s->count));
	while (i < n && pt_tls_sasl_mechanisms_next(&list, &name)) {
		tree_line(t, "%s", tree_quote(text, name));
		i++;
	}
	tree_more(t, i, s->count);
}

static void
dump_error(struct tree *t, const struct pt_tls_error *pe, bool copy)
{
	struct pt_tls_msg orig;
	struct parse_error e;

	tree_line(t, "error %s 0x%06x/0x%08x", pt_tls_error_code_name(pe->vendor, pe->code),
	    pe->vendor, pe->code);
	if (copy || pt_tls_parse(pe->original.ptr, pe->original.len, &orig, &e)) {
		tree_hex(t, "copy of the offending message", pe->original);
		return;
	}
	tree_line(t, "copy of the offending message:");
	tree_push(t);
	dump_msg(t, pe->original.ptr, &orig, true);
	tree_pop(t);
}

static void
dump_value(struct tree *t, const struct pt_tls_msg *m, bool copy)
{
	char text[TREE_QUOTE_MAX];

	switch (m->hdr.type) {
	case PT_TLS_VERSION_REQUEST:
		tree_line(t, "min version %u, max version %u, preferred version %u",
		    m->u.version_request.min, m->u.version_request.max,
		    m->u.version_request.preferred);
		break;
	case PT_TLS_VERSION_RESPONSE:
		tree_line(t, "version %u", m->u.version);
		break;
	case PT_TLS_SASL_MECHANISMS:
		dump_mechanisms(t, &m->u.sasl_mechanisms);
		break;
	case PT_TLS_SASL_MECHANISM_SELECTION:
		tree_line(t, "mechanism %s", tree_quote(text, m->u.sasl_selection.name));
		if (m->u.sasl_selection.initial.len) /* optional (RFC 6876 3.8.2) */
			tree_hex(t, "initial SASL message", m->u.sasl_selection.initial);
		break;
	case PT_TLS_SASL_AUTHENTICATION_DATA:
		tree_hex(t, "SASL data", m->u.sasl_data);
		break;
	case PT_TLS_SASL_RESULT:
		tree_line(t, "result %s (%u)", pt_tls_sasl_result_name(m->u.sasl_result.code),
		    m->u.sasl_result.code);
		if (m->u.sasl_result.data.len) /* optional (RFC 6876 3.8.6) */
			tree_hex(t, "result data", m->u.sasl_result.data);
		break;
	case PT_TLS_PB_TNC_BATCH:
		if (copy)
			tree_line(t, "PB-TNC batch (%zu bytes)", m->u.batch.len);
		else
			dump_pb_batch(t, m->u.batch);
		break;
	default: /* PT_TLS_ERROR: pt_tls_parse() refuses every other type */
		dump_error(t, &m->u.error, copy);
		break;
	}
}

static void
dump_msg(struct tree *t, const uint8_t *at, const struct pt_tls_msg *m, bool copy)
{
	const char *name = pt_tls_msg_type_name(m->hdr.vendor, m->hdr.type);

	/* "PT-TLS Error message", not "PT-TLS PT-TLS Error message". */
	if (strncmp(name, "PT-TLS ", 7) == 0)
		name += 7;
	tree_line(t, "PT-TLS %s message (%u bytes) @%zu: ID %u, type 0x%06x/0x%08x", name,
	    m->hdr.length, tree_at(t, at), m->hdr.id, m->hdr.vendor, m->hdr.type);
	tree_push(t);
	dump_value(t, m, copy);
	tree_pop(t);
}

/* The message at p, rem octets before the end of the input; false when the
 * framing is lost, else *ret_len is how far the dump goes on. */
static bool
dump_one(struct tree *t, const uint8_t *p, size_t rem, size_t *ret_len)
{
	struct pt_tls_msg m;
	struct parse_error e;
	size_t need;
	int err = pt_tls_deframe(p, rem, UINT32_MAX, &need, &e);

	if (err && err != TNC_EAGAIN) {
		tree_line(t, "PT-TLS message @%zu", tree_at(t, p));
		tree_sub_error(t, p, &e);
		return false;
	}
	/* The input ends inside this message: pt_tls_parse() of what there
	 * is names the field that runs past the end. */
	if (err == TNC_EAGAIN)
		need = rem;
	*ret_len = need;
	if (pt_tls_parse(p, need, &m, &e)) {
		tree_line(t, "PT-TLS message (%zu bytes) @%zu", need, tree_at(t, p));
		tree_sub_error(t, p, &e);
	} else {
		dump_msg(t, p, &m, false);
	}
	return true;
}

void
dump_pt_tls_stream(struct tree *t, struct bytes stream)
{
	size_t off = 0, n;

	while (off < stream.len && dump_one(t, stream.ptr + off, stream.len - off, &n))
		off += n;
}
