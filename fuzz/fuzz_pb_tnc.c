/* fuzz_pb_tnc.c - libFuzzer harness for pb_batch_parse() (RFC 5793).
 *
 * Each input is parsed as a batch by a server, by a client and by a dump
 * tool.  A failure must carry an RFC 5793 error code and an offset inside
 * the input.  A batch that parses is re-encoded from its decoded fields; the
 * result must parse to the same messages and re-encode to the same octets.
 * A PB-PDP-Referral's identifier is read as a client reads it
 * (pb_pdp_parse()); one that reads must build again to the same octets.
 * Any mismatch aborts.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pb_pdp.h"
#include "pb_tnc.h"

#define MAX_BATCH (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static struct bytes
encode(const struct pb_batch *b, struct pb_builder *pb)
{
	struct bytes out;

	pb_builder_init(pb, b->dir, b->type, MAX_BATCH);
	for (size_t i = 0; i < b->count; i++)
		pb_builder_add(pb, &b->msgs[i]);
	check(pb_builder_finish(pb, &out) == 0);
	return out;
}

static void
check_same_msgs(const struct pb_batch *a, const struct pb_batch *b)
{
	check(a->dir == b->dir && a->type == b->type && a->count == b->count);
	check(b->skipped == 0);
	for (size_t i = 0; i < a->count; i++) {
		const struct pb_msg *x = &a->msgs[i], *y = &b->msgs[i];
		/* Reserved bits may differ (zero on encode); widths may not. */
		check(x->flags == y->flags && x->vendor == y->vendor && x->type == y->type);
		check(x->value.len == y->value.len);
		check(pb_msg_type_name(x->vendor, x->type) != NULL);
	}
}

static void
round_trip(const struct pb_batch *b, const struct pb_limits *lim, size_t size)
{
	struct pb_builder pb1, pb2;
	struct pb_batch again;
	struct parse_error e;

	struct bytes one = encode(b, &pb1);
	if (b->skipped == 0)
		check(one.len == size);
	check(pb_batch_parse(one.ptr, one.len, lim, &again, &e) == 0);
	check_same_msgs(b, &again);
	struct bytes two = encode(&again, &pb2);
	check(one.len == two.len && memcmp(one.ptr, two.ptr, one.len) == 0);
	pb_batch_clear(&again);
	pb_builder_clear(&pb2);
	pb_builder_clear(&pb1);
}

static void
check_referrals(const struct pb_batch *b)
{
	for (size_t i = 0; i < b->count; i++) {
		const struct pb_msg *m = &b->msgs[i];
		struct pb_pdp pdp;
		const char *why;
		uint8_t id[PB_PDP_ID_MAX];
		uint32_t type;

		if (m->vendor != PB_VENDOR_TCG)
			continue;
		if (pb_pdp_parse(&m->u.pdp_referral, &pdp, &why) != 0) {
			check(why != NULL);
			continue;
		}
		check(strlen(pdp.host) <= PB_PDP_NAME_MAX);
		int len = pb_pdp_build(pdp.host, pdp.port, id, sizeof(id), &type);
		if (pdp.protocol != PB_PDP_PROTOCOL_TCP || pdp.port == 0)
			continue; /* built only for TCP and a port */
		check(len == (int)m->u.pdp_referral.id.len && type == m->u.pdp_referral.id_type);
		check(memcmp(id + 1, m->u.pdp_referral.id.ptr + 1, (size_t)len - 1) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t dirs[] = {PB_DIR_TO_SERVER, PB_DIR_TO_CLIENT, PB_DIR_ANY};

	for (size_t i = 0; i < sizeof(dirs); i++) {
		struct pb_limits lim = {MAX_BATCH, 256, dirs[i]};
		struct pb_batch b;
		struct parse_error e;
		int err = pb_batch_parse(data, size, &lim, &b, &e);

		if (err) {
			check(err < 0 && e.reason != NULL && e.offset <= size);
			check(e.code <= PB_ERROR_VERSION_NOT_SUPPORTED);
			continue;
		}
		check(b.length == size && pb_batch_type_name(b.type) != NULL);
		round_trip(&b, &lim, size);
		check_referrals(&b);
		pb_batch_clear(&b);
	}
	return 0;
}
