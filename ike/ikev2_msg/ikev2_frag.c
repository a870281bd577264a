/* ikev2_frag.c - SKF reassembly (see ikev2_frag.h). */
#include "ikev2_frag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void
ikev2_frag_reset(struct ikev2_frag *f)
{
	if (f->parts) {
		for (size_t i = 0; i < f->total; i++)
			ikev2_buf_free(&f->parts[i]);
		free(f->parts);
	}
	memset(f, 0, sizeof(*f));
}

static int
refuse(const char **ret_reason, int err, const char *reason)
{
	*ret_reason = reason;
	return err;
}

static int
start(struct ikev2_frag *f, bool response, uint32_t mid, uint16_t total)
{
	ikev2_frag_reset(f);
	if (!(f->parts = calloc(total, sizeof(*f->parts))))
		return -ENOMEM;
	f->active = true;
	f->response = response;
	f->mid = mid;
	f->total = total;
	return 0;
}

int
ikev2_frag_add(struct ikev2_frag *f, const struct ikev2_frag_limits *lim, bool response,
    uint32_t mid, uint16_t num, uint16_t total, uint8_t next, struct bytes plain, uint8_t *out,
    size_t *ret_len, uint8_t *ret_first, const char **ret_reason)
{
	const bool same = f->active && f->response == response && f->mid == mid;
	int err;

	if (total == 0 || num == 0 || num > total)
		return refuse(ret_reason, TNC_EINVALID, "Fragment Number not within 1..Total Fragments");
	if (total > lim->max_fragments)
		return refuse(ret_reason, TNC_ETOOLONG, "Total Fragments above the limit");
	if (same && total < f->total)
		return refuse(ret_reason, TNC_EINVALID, "Total Fragments below that of stored fragments");
	if (!same || total > f->total)
		if ((err = start(f, response, mid, total)))
			return refuse(ret_reason, err, "no memory for fragments");
	struct ikev2_buf *part = &f->parts[num - 1];
	if (part->ptr) /* an empty fragment is stored too: ptr is never NULL then */
		return refuse(ret_reason, 0, "duplicate fragment ignored");
	if (plain.len > lim->max_bytes - f->bytes)
		return refuse(ret_reason, TNC_ETOOLONG, "reassembled message above the limit");
	if (ikev2_buf_set(part, plain.ptr, plain.len))
		return refuse(ret_reason, -ENOMEM, "no memory for fragments");
	f->bytes += plain.len;
	f->have++;
	if (num == 1)
		f->first = next;
	if (f->have < f->total)
		return refuse(ret_reason, 0, "fragment stored");
	size_t at = 0;
	for (size_t i = 0; i < f->total; i++) {
		if (f->parts[i].len)
			memcpy(out + at, f->parts[i].ptr, f->parts[i].len);
		at += f->parts[i].len;
	}
	*ret_len = at;
	*ret_first = f->first;
	ikev2_frag_reset(f);
	*ret_reason = NULL;
	return 1;
}
