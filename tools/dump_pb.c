/* dump_pb.c - PB-TNC batches and messages for tncdump (RFC 5793 4.1-4.11,
 * TCG PB-PDP-Referral).
 *
 * pb_batch_parse() runs with PB_DIR_ANY, so a dump takes batches of either
 * direction but still refuses what RFC 5793 forbids a sender.  Messages it
 * skips (unknown types, PB-Experimental, a result outside RESULT) are not
 * yielded; the octets between the messages it yields are shown as ignored.
 */
#include "dump_pb.h"

#include "dump_pa.h"
#include "pa_tnc.h"
#include "pb_pdp.h"
#include "pb_tnc.h"

/* "IETF/PB-PA" from the vendor's and the type's names, into buf. */
static const char *
msg_name(char *buf, size_t n, uint32_t vendor, uint32_t type)
{
	const char *v = pa_tnc_vendor_name(vendor), *name = pb_msg_type_name(vendor, type);

	snprintf(buf, n, "%s/%s", v, name);
	return buf;
}

static const char *
id_text(char *buf, size_t n, uint16_t id)
{
	if (id == PB_PA_ID_ANY)
		snprintf(buf, n, "%u (any)", id);
	else
		snprintf(buf, n, "%u", id);
	return buf;
}

static void
dump_pa(struct tree *t, const struct pb_pa *pa)
{
	char coll[16], val[16];

	tree_line(t, "PA subtype %s 0x%06x/0x%08x, collector %s, validator %s, flags 0x%02x%s",
	    pa_tnc_subtype_name(pa->vendor, pa->subtype), pa->vendor, pa->subtype,
	    id_text(coll, sizeof(coll), pa->collector_id),
	    id_text(val, sizeof(val), pa->validator_id), pa->flags,
	    pa->flags & PB_PA_FLAG_EXCL ? " EXCL" : "");
	dump_pa_msg(t, pa->body);
}

static void
dump_remediation(struct tree *t, const struct pb_remediation *r)
{
	char text[TREE_QUOTE_MAX], lang[TREE_QUOTE_MAX];

	tree_line(t, "parameters type 0x%06x/0x%08x", r->vendor, r->type);
	if (r->vendor == PB_VENDOR_IETF && r->type == PB_REMEDIATION_URI)
		tree_line(t, "URI %s", tree_quote(text, r->text));
	else if (r->vendor == PB_VENDOR_IETF && r->type == PB_REMEDIATION_STRING)
		tree_line(t, "string %s, language %s", tree_quote(text, r->text),
		    tree_quote(lang, r->lang));
	else
		tree_hex(t, "parameters", r->params);
}

static void
dump_error(struct tree *t, const struct pb_error *pe)
{
	tree_line(t, "error %s 0x%06x/%u, flags 0x%02x%s", pb_error_code_name(pe->vendor, pe->code),
	    pe->vendor, pe->code, pe->flags, pe->flags & PB_ERROR_FLAG_FATAL ? " FATAL" : "");
	if (pe->vendor == PB_VENDOR_IETF && (pe->code == PB_ERROR_INVALID_PARAMETER ||
	    pe->code == PB_ERROR_UNSUPPORTED_MANDATORY_MESSAGE))
		tree_line(t, "offset %u", pe->offset);
	else if (pe->vendor == PB_VENDOR_IETF && pe->code == PB_ERROR_VERSION_NOT_SUPPORTED)
		tree_line(t, "bad version %u, max version %u, min version %u", pe->bad_version,
		    pe->max_version, pe->min_version);
	else if (pe->params.len)
		tree_hex(t, "parameters", pe->params);
}

/* The value of an IETF message, decoded by pb_msg_decode(). */
static void
dump_ietf_value(struct tree *t, const struct pb_msg *m)
{
	char text[TREE_QUOTE_MAX], lang[TREE_QUOTE_MAX];

	switch (m->type) {
	case PB_MSG_PA:
		dump_pa(t, &m->u.pa);
		break;
	case PB_MSG_ASSESSMENT_RESULT:
		tree_line(t, "result %s (%u)", pb_assessment_result_name(m->u.assessment_result),
		    m->u.assessment_result);
		break;
	case PB_MSG_ACCESS_RECOMMENDATION:
		tree_line(t, "recommendation %s (%u)",
		    pb_access_recommendation_name(m->u.access_recommendation),
		    m->u.access_recommendation);
		break;
	case PB_MSG_REMEDIATION_PARAMETERS:
		dump_remediation(t, &m->u.remediation);
		break;
	case PB_MSG_ERROR:
		dump_error(t, &m->u.error);
		break;
	case PB_MSG_LANGUAGE_PREFERENCE:
		tree_line(t, "%s", tree_quote(text, m->u.language_preference));
		break;
	default: /* PB_MSG_REASON_STRING: pb_batch_parse() yields no other */
		tree_line(t, "reason %s, language %s", tree_quote(text, m->u.reason_string.reason),
		    tree_quote(lang, m->u.reason_string.lang));
		break;
	}
}

static void
dump_referral(struct tree *t, const struct pb_pdp_referral *p)
{
	char id[TREE_QUOTE_MAX];
	struct pb_pdp pdp;
	const char *why;

	tree_line(t, "identifier type 0x%06x/0x%08x, identifier %s", p->id_vendor, p->id_type,
	    tree_quote(id, p->id));
	if (pb_pdp_parse(p, &pdp, &why) == 0)
		tree_line(t, "PDP %s, protocol %u%s, port %u", pdp.host, pdp.protocol,
		    pdp.protocol == PB_PDP_PROTOCOL_TCP ? " (TCP)" : "", pdp.port);
	else
		tree_line(t, "error: %s", why);
}

static void
dump_msg(struct tree *t, const uint8_t *batch, const struct pb_msg *m)
{
	char name[64];

	tree_line(t, "%s message (%zu bytes) @%zu: type 0x%06x/0x%08x, flags 0x%02x%s",
	    msg_name(name, sizeof(name), m->vendor, m->type), m->value.len + PB_MSG_HEADER_LEN,
	    tree_at(t, batch) + m->offset, m->vendor, m->type, m->flags,
	    m->flags & PB_MSG_FLAG_NOSKIP ? " NOSKIP" : "");
	tree_push(t);
	if (m->vendor == PB_VENDOR_IETF)
		dump_ietf_value(t, m);
	else /* PB-PDP-Referral, the one other type pb_batch_parse() yields */
		dump_referral(t, &m->u.pdp_referral);
	tree_pop(t);
}

/* Octets of the batch between two yielded messages: skipped ones. */
static void
dump_ignored(struct tree *t, const uint8_t *batch, size_t from, size_t to)
{
	struct bytes gap = {batch + from, to - from};

	if (to <= from)
		return;
	tree_line(t, "ignored (%zu bytes) @%zu: unknown type, PB-Experimental, "
	    "or a result outside RESULT", gap.len, tree_at(t, gap.ptr));
	tree_push(t);
	tree_hex(t, "octets", gap);
	tree_pop(t);
}

void
dump_pb_batch(struct tree *t, struct bytes batch)
{
	const struct pb_limits lim = {
		.max_batch_len = batch.len,
		.max_msgs = batch.len / PB_MSG_HEADER_LEN + 1,
		.expect_dir = PB_DIR_ANY,
	};
	struct pb_batch b;
	struct parse_error e;
	size_t next = PB_BATCH_HEADER_LEN;
	char ignored[32];

	if (pb_batch_parse(batch.ptr, batch.len, &lim, &b, &e)) {
		tree_line(t, "PB-TNC batch (%zu bytes) @%zu", batch.len, tree_at(t, batch.ptr));
		tree_sub_error(t, batch.ptr, &e);
		return;
	}
	snprintf(ignored, sizeof(ignored), ", %zu ignored", b.skipped);
	tree_line(t, "PB-TNC %s batch (%u bytes) @%zu: version %u, to %s (D=%u), type %u, "
	    "%zu message%s%s", pb_batch_type_name(b.type), b.length, tree_at(t, batch.ptr),
	    b.version, b.dir == PB_DIR_TO_CLIENT ? "client" : "server", b.dir == PB_DIR_TO_CLIENT,
	    b.type, b.count, tree_plural(b.count), b.skipped ? ignored : "");
	tree_push(t);
	for (size_t i = 0; i < b.count; i++) {
		const struct pb_msg *m = &b.msgs[i];

		dump_ignored(t, batch.ptr, next, m->offset);
		dump_msg(t, batch.ptr, m);
		next = m->offset + PB_MSG_HEADER_LEN + m->value.len;
	}
	dump_ignored(t, batch.ptr, next, batch.len);
	tree_pop(t);
	pb_batch_clear(&b);
}
