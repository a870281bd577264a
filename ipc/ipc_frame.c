/* ipc_frame.c - IPC frame header encode/validate (see ipc_frame.h). */
#include "ipc_frame.h"

#include "bit_names.h"
#include "wire.h"

static const struct ipc_type_info type_rows[] = {
#define X(name, num, from, to, fd, once, text) {num, from, to, fd, once, text},
#include "messages.def"
#undef X
};

#define NROWS (sizeof(type_rows) / sizeof(type_rows[0]))

int
ipc_type_index(uint16_t type)
{
	for (size_t i = 0; i < NROWS; i++)
		if (type_rows[i].type == type)
			return (int)i;
	return -1;
}

static const struct ipc_type_info *
find_type(uint16_t type)
{
	int i = ipc_type_index(type);
	return i < 0 ? NULL : &type_rows[i];
}

unsigned
ipc_type_count(void)
{
	return NROWS;
}

const struct ipc_type_info *
ipc_type_at(unsigned index)
{
	return index < NROWS ? &type_rows[index] : NULL;
}

const char *
ipc_end_names(unsigned ends, char *buf, size_t size)
{
	static const struct bit_name names[] = {
		{IPC_END_TNCD, "tncd"}, {IPC_END_IKE, "ike"}, {IPC_END_TNCCS, "tnccs"},
		{IPC_END_IMV, "imv"}, {IPC_END_CTL, "tncctl"}, {IPC_END_POLICY, "policy"},
		{IPC_END_XFRM, "xfrm"},
	};
	return bit_names_join(names, sizeof(names) / sizeof(names[0]), ends, "|", buf, size);
}

const char *
ipc_type_name(uint16_t type)
{
	const struct ipc_type_info *row = find_type(type);
	return row ? row->name : NULL;
}

bool
ipc_type_allowed(uint16_t type, unsigned from, unsigned to)
{
	const struct ipc_type_info *row = find_type(type);
	bool one_each = from && to && !(from & (from - 1)) && !(to & (to - 1));
	return row && one_each && (row->from & from) && (row->to & to);
}

int
ipc_type_has_fd(uint16_t type)
{
	const struct ipc_type_info *row = find_type(type);
	return row ? row->fd : 0;
}

int
ipc_type_once(uint16_t type)
{
	const struct ipc_type_info *row = find_type(type);
	return row ? row->once : 0;
}

int
ipc_frame_parse_header(const uint8_t *buf, size_t len, uint32_t max,
    struct ipc_header *ret)
{
	struct wire_reader r;
	struct ipc_header h;

	wire_reader_init(&r, buf, len);
	if (wire_get_u8(&r, &h.version) || wire_get_u8(&r, &h.flags) ||
	    wire_get_u16(&r, &h.type) || wire_get_u32(&r, &h.length) ||
	    wire_get_u32(&r, &h.session) || wire_get_u32(&r, &h.seq))
		return TNC_ETRUNCATED;
	if (h.version != IPC_FRAME_VERSION)
		return TNC_EVERSION;
	if (h.flags & ~IPC_FLAGS_KNOWN)
		return TNC_ERESERVED;
	const struct ipc_type_info *row = find_type(h.type);
	if (!row)
		return TNC_ETYPE;
	if (!!(h.flags & IPC_FLAG_FD) != row->fd)
		return TNC_EINVALID;
	if (max > IPC_FRAME_MAX_HARD)
		max = IPC_FRAME_MAX_HARD;
	if (h.length > max)
		return TNC_ETOOLONG;
	*ret = h;
	return 0;
}

void
ipc_frame_write_header(const struct ipc_header *h, uint8_t out[IPC_HEADER_LEN])
{
	const uint32_t words[3] = {h->length, h->session, h->seq};
	out[0] = h->version;
	out[1] = h->flags;
	out[2] = (uint8_t)(h->type >> 8);
	out[3] = (uint8_t)h->type;
	for (int i = 0; i < 3; i++)
		for (int b = 0; b < 4; b++)
			out[4 + 4 * i + b] = (uint8_t)(words[i] >> (24 - 8 * b));
}
