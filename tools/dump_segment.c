/* dump_segment.c - TCG IF-M Segmentation (1.0 Rev. 5) attribute values for
 * tncdump.  The codec checks the layouts; this file only words them.  An
 * envelope's segment is shown as hex: a dump of one message cannot know
 * the other segments of its exchange. */
#include "dump_segment.h"

#include "pa_segment.h"

/* "no limit" or the size in decimal and hex, into buf. */
static const char *
size_text(char *buf, size_t n, uint32_t size)
{
	if (size == PA_SEGMENT_NO_LIMIT)
		snprintf(buf, n, "0x%08x (no limit)", size);
	else
		snprintf(buf, n, "%u (0x%08x)", size, size);
	return buf;
}

int
dump_segment_contract(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_segment_contract v;
	char msg[32], seg[32];
	int err;

	if ((err = pa_segment_contract_decode(value, &v, e)))
		return err;
	tree_line(t, "max message size %s, max segment size %s",
	    size_text(msg, sizeof(msg), v.max_msg_size), size_text(seg, sizeof(seg), v.max_seg_size));
	return 0;
}

int
dump_segment_envelope(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_segment_envelope v;
	int err;

	if ((err = pa_segment_envelope_decode(value, &v, e)))
		return err;
	tree_line(t, "flags 0x%02x%s%s, base message ID 0x%06x", v.flags,
	    v.flags & PA_SEGMENT_FLAG_MORE ? " MORE" : "",
	    v.flags & PA_SEGMENT_FLAG_START ? " START" : "", v.base_msg_id);
	tree_hex(t, v.flags & PA_SEGMENT_FLAG_START ?
	    "segment (starts with the base attribute header)" : "segment", v.segment);
	return 0;
}

int
dump_segment_next(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_segment_next v;
	int err;

	if ((err = pa_segment_next_decode(value, &v, e)))
		return err;
	tree_line(t, "base message ID 0x%06x%s", v.base_msg_id,
	    v.cancel ? ", cancel the exchange" : "");
	return 0;
}

int
dump_segment_cancel(struct tree *t, struct bytes value, struct parse_error *e)
{
	uint32_t id;
	int err;

	if ((err = pa_segment_cancel_decode(value, &id, e)))
		return err;
	tree_line(t, "base message ID 0x%06x", id);
	return 0;
}
