/* fuzz_ikev2.c - libFuzzer harness for the IKEv2 message codec (RFC 7296,
 * RFC 7383).
 *
 * The input is a datagram.  When it parses: every payload is iterated and
 * its sub-structures walked (proposals, transforms, selectors, CP
 * attributes), the summary is made in a large and a tiny buffer (same
 * length reported), and the Encrypted field of an SK / SKF payload is also
 * parsed as if it were the decrypted inner chain.  Then the message is
 * re-encoded from its decoded payloads (unknown payloads, reserved bits
 * and transform attributes other than Key Length dropped): that encoding
 * must be no longer, parse, hold exactly the payloads yielded, give the
 * same summary, and encode to itself again (the canonical form is a fixed
 * point).  Any mismatch aborts.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ikev2.h"

#define MAX_MSG 65536u
#define MAX_PAYLOADS 64
#define SUMMARY_MAX 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct ikev2_limits lim = {MAX_MSG, MAX_PAYLOADS};

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static void
walk_payload(const struct ikev2_payload *p, bool response)
{
	struct bytes list;
	struct ikev2_proposal prop;
	struct ikev2_transform t;
	struct ikev2_ts ts;
	struct ikev2_cp_attr a;
	struct ikev2_chain inner;
	struct bytes iv, ct, icv;
	char str[256];
	size_t n = 0;

	switch (p->type) {
	case IKEV2_PL_SA:
		list = p->u.sa;
		while (ikev2_proposal_next(&list, &prop)) {
			size_t transforms = 0;
			ikev2_proposal_str(&prop, str, sizeof(str));
			while (ikev2_transform_next(&prop.transforms, &t))
				transforms++;
			check(transforms == prop.transform_count && prop.transforms.len == 0);
		}
		check(list.len == 0);
		break;
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR:
		list = p->u.ts.selectors;
		while (ikev2_ts_next(&list, &ts))
			n++;
		check(n == p->u.ts.count && list.len == 0);
		break;
	case IKEV2_PL_CP:
		list = p->u.cp.attrs;
		while (ikev2_cp_next(&list, &a))
			;
		check(list.len == 0);
		break;
	case IKEV2_PL_SK:
	case IKEV2_PL_SKF:
		if (ikev2_sk_split(p->u.sk.encrypted, 8, 12, 1, &iv, &ct, &icv) == 0)
			check(iv.len + ct.len + icv.len == p->u.sk.encrypted.len);
		if (ikev2_chain_parse(p->next, p->offset, p->u.sk.encrypted.ptr,
		    p->u.sk.encrypted.len, p->offset + IKEV2_PAYLOAD_HEADER_LEN, response, &lim,
		    &inner, NULL) == 0) {
			struct ikev2_iter it;
			struct ikev2_payload q;
			ikev2_iter_init(&it, &inner);
			while (ikev2_iter_next(&it, &q))
				check(q.type != IKEV2_PL_NONE);
		}
		break;
	}
}

/* Encodes m from its decoded payloads; *out views b's buffer. */
static void
reencode(const struct ikev2_msg *m, struct ikev2_builder *b, struct bytes *out)
{
	struct ikev2_iter it;
	struct ikev2_payload p;

	ikev2_builder_init(b, &m->hdr, MAX_MSG);
	ikev2_iter_init(&it, &m->chain);
	while (ikev2_iter_next(&it, &p))
		ikev2_builder_add(b, &p);
	check(ikev2_builder_finish(b, out) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ikev2_msg m, again;
	struct ikev2_iter it;
	struct ikev2_payload p;
	struct ikev2_builder one, two;
	struct bytes first, second;
	static char big[SUMMARY_MAX], big2[SUMMARY_MAX];
	char tiny[8];
	size_t yielded = 0;

	if (ikev2_msg_parse(data, size, &lim, &m, NULL))
		return 0;
	ikev2_iter_init(&it, &m.chain);
	while (ikev2_iter_next(&it, &p)) {
		walk_payload(&p, m.hdr.flags & IKEV2_FLAG_RESPONSE);
		yielded++;
	}
	check(yielded <= m.chain.count);
	size_t n = ikev2_summary(&m.hdr, &m.chain, big, sizeof(big));
	check(n < sizeof(big) && strlen(big) == n);
	check(ikev2_summary(&m.hdr, &m.chain, tiny, sizeof(tiny)) == n);
	check(strlen(tiny) < sizeof(tiny));

	reencode(&m, &one, &first);
	check(first.len <= size);
	check(ikev2_msg_parse(first.ptr, first.len, &lim, &again, NULL) == 0);
	check(again.chain.count == yielded);
	check(ikev2_summary(&again.hdr, &again.chain, big2, sizeof(big2)) == n);
	check(memcmp(big, big2, n) == 0);
	reencode(&again, &two, &second);
	check(second.len == first.len && memcmp(second.ptr, first.ptr, first.len) == 0);
	ikev2_builder_clear(&two);
	ikev2_builder_clear(&one);
	return 0;
}
