/* dump_pa.c - PA-TNC messages for tncdump (RFC 5792 4.1, 4.2).
 *
 * pa_tnc_msg_parse() refuses a message with a NOSKIP attribute of a type
 * its caller does not support; a dump supports every type, so each refused
 * type (named by pa_ietf_error_from_parse(), as a receiver's PA-TNC Error
 * would name it) joins the supported set and the parse is repeated, at most
 * MAX_NOSKIP_TYPES times.
 */
#include "dump_pa.h"

#include "dump_attr.h"
#include "pa_ietf_error.h"

#define MAX_NOSKIP_TYPES 64

int
dump_pa_parse(struct bytes msg, struct pa_tnc_msg *ret, struct parse_error *e)
{
	struct pa_tnc_type types[MAX_NOSKIP_TYPES];
	struct pa_tnc_limits lim = {
		.max_msg_len = msg.len,
		.max_attrs = msg.len / PA_TNC_ATTR_HEADER_LEN + 1,
		.supported = types,
		.n_supported = 0,
	};
	struct pa_ietf_error refused;
	int err;

	while ((err = pa_tnc_msg_parse(msg.ptr, msg.len, &lim, ret, e)) == TNC_ETYPE &&
	    lim.n_supported < MAX_NOSKIP_TYPES) {
		pa_ietf_error_from_parse(msg.ptr, msg.len, e, &refused);
		types[lim.n_supported++] =
		    (struct pa_tnc_type){refused.attr_vendor, refused.attr_type};
	}
	return err;
}

static void
dump_attr(struct tree *t, struct bytes msg, const struct pa_tnc_attr *a)
{
	tree_line(t, "%s 0x%06x/0x%08x (%zu bytes) @%zu: flags 0x%02x%s",
	    pa_tnc_attr_name(a->vendor, a->type), a->vendor, a->type,
	    a->value.len + PA_TNC_ATTR_HEADER_LEN, tree_at(t, msg.ptr) + a->offset, a->flags,
	    a->flags & PA_TNC_ATTR_FLAG_NOSKIP ? " NOSKIP" : "");
	dump_attr_value(t, a);
}

void
dump_pa_msg(struct tree *t, struct bytes msg)
{
	struct pa_tnc_msg m;
	struct parse_error e;

	if (dump_pa_parse(msg, &m, &e)) {
		tree_line(t, "PA-TNC message (%zu bytes) @%zu", msg.len, tree_at(t, msg.ptr));
		tree_sub_error(t, msg.ptr, &e);
		return;
	}
	tree_line(t, "PA-TNC message with ID 0x%08x (%zu bytes) @%zu: version %u, %zu attribute%s",
	    m.msg_id, msg.len, tree_at(t, msg.ptr), m.version, m.count, tree_plural(m.count));
	tree_push(t);
	for (size_t i = 0; i < m.count; i++)
		dump_attr(t, msg, &m.attrs[i]);
	tree_pop(t);
	pa_tnc_msg_clear(&m);
}
