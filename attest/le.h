/* le.h - little-endian fields through the bounded reader of codec/wire.h.
 *
 * TCG event logs and IMA measurement lists are written in the byte order
 * of the machine that made them, little-endian on every platform we meet;
 * the wire cursor (big-endian, for network protocols) still does the
 * bounds checks: these read the bytes through it and only reorder them.
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

static inline int
le_get_u32(struct wire_reader *r, uint32_t *ret)
{
	struct bytes b;
	int err = wire_get_bytes(r, 4, &b);
	if (err == 0)
		*ret = le32(b.ptr);
	return err;
}

static inline int
le_get_u16(struct wire_reader *r, uint16_t *ret)
{
	struct bytes b;
	int err = wire_get_bytes(r, 2, &b);
	if (err == 0)
		*ret = le16(b.ptr);
	return err;
}

#endif
