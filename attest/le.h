/* le.h - little-endian fields through the bounded reader of codec/wire.h.
 *
 * TCG event logs and IMA measurement lists are written in the byte order
 * of the machine that made them, little-endian on every platform we meet;
 * these read them through the wire cursor (big-endian, for network
 * protocols), checking its bounds as it does, and only reorder them.
 */
#ifndef TNC_ATTEST_LE_H
#define TNC_ATTEST_LE_H

#include "wire.h"

static inline uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* wire_get_bytes() inlined, for the fields every measurement has: there
 * the call cost more than the check (bench_evidence).  The same bounds
 * check on the same cursor. */
static inline int
le_get_bytes(struct wire_reader *r, size_t len, struct bytes *ret)
{
	if (r->len - r->pos < len)
		return TNC_ETRUNCATED;
	ret->ptr = r->base + r->pos;
	ret->len = len;
	r->pos += len;
	return 0;
}

static inline int
le_get_u32(struct wire_reader *r, uint32_t *ret)
{
	struct bytes b;
	int err = le_get_bytes(r, 4, &b);
	if (err == 0)
		*ret = le32(b.ptr);
	return err;
}

static inline int
le_get_u16(struct wire_reader *r, uint16_t *ret)
{
	struct bytes b;
	int err = le_get_bytes(r, 2, &b);
	if (err == 0)
		*ret = le16(b.ptr);
	return err;
}

#endif
