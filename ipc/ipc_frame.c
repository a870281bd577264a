/* ipc_frame.c - IPC frame header encode/validate (see ipc_frame.h). */
#include "ipc_frame.h"

#include "wire.h"

struct type_row {
	uint16_t type;
	unsigned accepted_on;
	int fd;
	const char *name;
};

static const struct type_row type_rows[] = {
#define X(name, num, on, fd, text) {num, on, fd, text},
#include "messages.def"
#undef X
};

static const struct type_row *
find_type(uint16_t type)
{
	for (size_t i = 0; i < sizeof(type_rows) / sizeof(type_rows[0]); i++)
		if (type_rows[i].type == type)
			return &type_rows[i];
	return NULL;
}

const char *
ipc_type_name(uint16_t type)
{
	const struct type_row *row = find_type(type);
	return row ? row->name : NULL;
}

unsigned
ipc_type_accepted_on(uint16_t type)
{
	const struct type_row *row = find_type(type);
	return row ? row->accepted_on : 0;
}

int
ipc_type_has_fd(uint16_t type)
{
	const struct type_row *row = find_type(type);
	return row ? row->fd : 0;
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
	const struct type_row *row = find_type(h.type);
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
