/* fuzz_ipc_frame.c - libFuzzer harness for the IPC frame header and every
 * payload decoder.  A frame that parses is re-encoded and must decode to the
 * same bytes. */
#include <stdlib.h>
#include <string.h>

#include "ipc_metrics.h"
#include "ipc_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t metrics_ok; /* keeps the walk's result observable */

/* The list readers of the policy messages (packages, files, references,
 * and the software database's) must stay inside a list the
 * decoder validated, and walk it to its end. */
static void
walk_lists(const struct ipc_msg *m)
{
	struct bytes a, b;
	struct ipc_sw_id id;
	struct ipc_sw_event ev;
	size_t pos = 0, len;

	switch (m->type) {
	case IPC_POLICY_PACKAGES:
		while (ipc_policy_package_next(&m->u.policy_packages, &pos, &a, &b) == 0)
			;
		len = m->u.policy_packages.list.len;
		break;
	case IPC_POLICY_FILES:
		while (ipc_policy_file_next(&m->u.policy_files, &pos, &a, &b) == 0)
			;
		len = m->u.policy_files.list.len;
		break;
	case IPC_POLICY_FILE_REFERENCES:
		while (ipc_policy_file_reference_next(&m->u.policy_file_references, &pos, &a) == 0)
			;
		len = m->u.policy_file_references.list.len;
		break;
	case IPC_POLICY_SW_INVENTORY:
		while (ipc_sw_id_next(&m->u.policy_sw_list, &pos, &id) == 0)
			;
		len = m->u.policy_sw_list.list.len;
		break;
	case IPC_POLICY_SW_EVENTS:
		while (ipc_sw_event_next(&m->u.policy_sw_list, &pos, &ev) == 0)
			;
		len = m->u.policy_sw_list.list.len;
		break;
	case IPC_POLICY_SW_TAGS:
		while (ipc_sw_tag_next(&m->u.policy_sw_tags, &pos, &id, &a) == 0)
			;
		len = m->u.policy_sw_tags.list.len;
		break;
	case IPC_POLICY_SW_UNTAGGED:
		while (ipc_sw_name_next(&m->u.policy_sw_untagged, &pos, &a) == 0)
			;
		len = m->u.policy_sw_untagged.list.len;
		break;
	default:
		return;
	}
	if (pos != len)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipc_header h;
	struct ipc_msg m;

	while (size >= IPC_HEADER_LEN) {
		if (ipc_frame_parse_header(data, size, IPC_FRAME_MAX_DEFAULT, &h) != 0)
			return 0;
		if (size - IPC_HEADER_LEN < h.length)
			return 0;
		const uint8_t *payload = data + IPC_HEADER_LEN;
		if (ipc_msg_decode(h.type, payload, h.length, &m) == 0) {
			struct wire_writer w;
			wire_writer_init(&w, IPC_FRAME_MAX_HARD);
			if (ipc_msg_encode(&m, &w) != 0 || w.len != h.length ||
			    memcmp(w.buf, payload, h.length) != 0)
				abort();
			wire_writer_clear(&w);
			if (h.type == IPC_CTL_REPLY) {
				size_t pos = 0;
				struct bytes cell;
				uint8_t type;
				while (ipc_table_column(&m.u.ctl_reply, &pos, &cell, &type) == 0)
					;
				pos = 0;
				while (ipc_table_cell(&m.u.ctl_reply, &pos, &cell) == 0)
					;
			}
			if (h.type == IPC_METRICS && ipc_metrics_walk(m.u.metrics.data, NULL, NULL) == 0)
				metrics_ok++;
			walk_lists(&m);
		}
		data += IPC_HEADER_LEN + h.length;
		size -= IPC_HEADER_LEN + h.length;
	}
	return 0;
}
