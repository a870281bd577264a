/* ike_frag.c - SKF reassembly (see ike_frag.h). */
#include "ike_frag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

void
ike_frag_reset(struct ike_frag *f)
{
	if (f->parts) {
		for (size_t i = 0; i < f->total; i++) {
			if (f->parts[i].ptr)
				OPENSSL_cleanse(f->parts[i].ptr, f->parts[i].len);
			free(f->parts[i].ptr);
		}
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
start(struct ike_frag *f, uint32_t mid, uint16_t total)
{
	ike_frag_reset(f);
	if (!(f->parts = calloc(total, sizeof(*f->parts))))
		return -ENOMEM;
	f->active = true;
	f->mid = mid;
	f->total = total;
	return 0;
}

int
ike_frag_add(struct ike_frag *f, const struct ike_frag_limits *lim, uint32_t mid,
    uint16_t num, uint16_t total, uint8_t next, struct bytes plain, uint8_t *out,
    size_t *ret_len, uint8_t *ret_first, const char **ret_reason)
{
	int err;

	if (total == 0 || num == 0 || num > total)
		return refuse(ret_reason, TNC_EINVALID, "Fragment Number not within 1..Total Fragments");
	if (total > lim->max_fragments)
		return refuse(ret_reason, TNC_ETOOLONG, "Total Fragments above the limit");
	if (f->active && f->mid == mid && total < f->total)
		return refuse(ret_reason, TNC_EINVALID, "Total Fragments below that of stored fragments");
	if (!f->active || f->mid != mid || total > f->total)
		if ((err = start(f, mid, total)))
			return refuse(ret_reason, err, "no memory for fragments");
	struct ike_frag_part *part = &f->parts[num - 1];
	if (part->ptr) {
		*ret_reason = "duplicate fragment ignored";
		return 0;
	}
	if (plain.len > lim->max_bytes - f->bytes)
		return refuse(ret_reason, TNC_ETOOLONG, "reassembled message above the limit");
	/* an empty fragment still counts: keep a non-NULL pointer */
	if (!(part->ptr = malloc(plain.len ? plain.len : 1)))
		return refuse(ret_reason, -ENOMEM, "no memory for fragments");
	if (plain.len)
		memcpy(part->ptr, plain.ptr, plain.len);
	part->len = plain.len;
	f->bytes += plain.len;
	f->have++;
	if (num == 1)
		f->first = next;
	if (f->have < f->total) {
		*ret_reason = "fragment stored";
		return 0;
	}
	size_t at = 0;
	for (size_t i = 0; i < f->total; i++) {
		if (f->parts[i].len)
			memcpy(out + at, f->parts[i].ptr, f->parts[i].len);
		at += f->parts[i].len;
	}
	*ret_len = at;
	*ret_first = f->first;
	ike_frag_reset(f);
	*ret_reason = NULL;
	return 1;
}
