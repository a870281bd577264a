/* test_pa_segment.c - TCG IF-M Segmentation: the strongSwan contracts
 * decode and re-encode identically; envelope, Next Segment and Cancel
 * codecs with exact error offsets; a 200 KB Installed Packages attribute
 * split into envelopes of at most 32698 octets travels in PA-TNC messages
 * of at most 32722 octets and reassembles to the identical attribute; the
 * reassembler refuses what is out of order, over its cap or inconsistent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pa_ietf.h"
#include "pa_segment.h"
#include "pa_tnc.h"
#include "testlib.h"

static struct bytes
BN(const void *p, size_t n)
{
	return (struct bytes){p, n};
}

#define V(s) BN(s, sizeof(s) - 1)

START_TEST(strongswan_contract)
{
	size_t len;
	uint8_t *batch = tl_read_testdata("strongswan-session-os-swima/01-c2s-CDATA-310.bin", &len);
	struct pa_tnc_attr a;
	struct pa_segment_contract c;
	struct parse_error e;
	struct wire_writer w;

	/* The SWIMA IMC's Segmentation Contract Request at batch offset 290. */
	ck_assert_int_eq(pa_tnc_attr_parse(batch + 290, 20, &a, &e), 0);
	ck_assert_uint_eq(a.vendor, PA_TNC_VENDOR_TCG);
	ck_assert_uint_eq(a.type, PA_SEGMENT_CONTRACT_REQUEST);
	ck_assert_int_eq(pa_segment_contract_decode(a.value, &c, &e), 0);
	ck_assert_uint_eq(c.max_msg_size, PA_SEGMENT_NO_LIMIT);
	ck_assert_uint_eq(c.max_seg_size, 0x001fffb8);
	wire_writer_init(&w, 64);
	pa_segment_contract_encode(&w, &c);
	ck_assert_int_eq(wire_writer_status(&w), 0);
	ck_assert_uint_eq(w.len, 8);
	ck_assert_mem_eq(w.buf, a.value.ptr, 8);
	wire_writer_clear(&w);
	free(batch);

	ck_assert_int_eq(pa_segment_contract_decode(V("\0\0\0\0\0\0\0"), &c, &e), TNC_ETRUNCATED);
	ck_assert_uint_eq(e.offset, 4);
	ck_assert_int_eq(pa_segment_contract_decode(V("\0\0\0\0\0\0\0\0\0"), &c, &e), TNC_ETRAILING);
	ck_assert_uint_eq(e.offset, 8);
}
END_TEST

START_TEST(envelope_next_cancel)
{
	struct pa_segment_envelope env;
	struct pa_segment_next next;
	struct parse_error e;
	struct wire_writer w;
	uint32_t id;

	/* Reserved flag bits are ignored; the segment is the rest. */
	ck_assert_int_eq(pa_segment_envelope_decode(V("\xff\x12\x34\x56" "abc"), &env, &e), 0);
	ck_assert_uint_eq(env.flags, PA_SEGMENT_FLAG_MORE | PA_SEGMENT_FLAG_START);
	ck_assert_uint_eq(env.base_msg_id, 0x123456);
	ck_assert(bytes_eq_str(env.segment, "abc"));
	ck_assert_int_eq(pa_segment_envelope_decode(V("\x40\0\0\x01"), &env, &e), 0);
	ck_assert_uint_eq(env.segment.len, 0);
	ck_assert_int_eq(pa_segment_envelope_decode(V("\x40\0\0"), &env, &e), TNC_ETRUNCATED);
	ck_assert_uint_eq(e.offset, 1);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_INVALID_PARAMETER);
	wire_writer_init(&w, 64);
	env = (struct pa_segment_envelope){0xff, 0xabcdef, V("xy")};
	pa_segment_envelope_encode(&w, &env);
	ck_assert_int_eq(wire_writer_status(&w), 0);
	ck_assert_mem_eq(w.buf, "\xc0\xab\xcd\xef" "xy", 6);
	env.base_msg_id = 0x1000000;
	pa_segment_envelope_encode(&w, &env);
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);

	/* Next Segment: C as the spec's first bit, or as strongSwan sets it. */
	ck_assert_int_eq(pa_segment_next_decode(V("\x80\0\0\x07"), &next, &e), 0);
	ck_assert(next.cancel);
	ck_assert_uint_eq(next.base_msg_id, 7);
	ck_assert_int_eq(pa_segment_next_decode(V("\x01\0\0\x07"), &next, &e), 0);
	ck_assert(next.cancel);
	ck_assert_int_eq(pa_segment_next_decode(V("\x7e\xff\xff\xff"), &next, &e), 0);
	ck_assert(!next.cancel);
	ck_assert_uint_eq(next.base_msg_id, 0xffffff);
	ck_assert_int_eq(pa_segment_next_decode(V("\0\0"), &next, &e), TNC_ETRUNCATED);
	ck_assert_uint_eq(e.offset, 1);
	ck_assert_int_eq(pa_segment_next_decode(V("\0\0\0\0\0"), &next, &e), TNC_ETRAILING);
	ck_assert_uint_eq(e.offset, 4);
	wire_writer_init(&w, 64);
	next = (struct pa_segment_next){true, 0x010203};
	pa_segment_next_encode(&w, &next);
	next.cancel = false;
	pa_segment_next_encode(&w, &next);
	ck_assert_int_eq(wire_writer_status(&w), 0);
	ck_assert_mem_eq(w.buf, "\x80\x01\x02\x03\x00\x01\x02\x03", 8);
	wire_writer_clear(&w);

	/* Cancel Segment Exchange. */
	ck_assert_int_eq(pa_segment_cancel_decode(V("\0\x12\x34\x56"), &id, &e), 0);
	ck_assert_uint_eq(id, 0x123456);
	ck_assert_int_eq(pa_segment_cancel_decode(V("\0\x12\x34"), &id, &e), TNC_ETRUNCATED);
	ck_assert_uint_eq(e.offset, 1);
	ck_assert_int_eq(pa_segment_cancel_decode(V("\0\x12\x34\x56\0"), &id, &e), TNC_ETRAILING);
	ck_assert_uint_eq(e.offset, 4);
	wire_writer_init(&w, 64);
	pa_segment_cancel_encode(&w, 0x123456);
	ck_assert_int_eq(wire_writer_status(&w), 0);
	ck_assert_mem_eq(w.buf, "\0\x12\x34\x56", 4);
	pa_segment_cancel_encode(&w, 0x1000000);
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
}
END_TEST

#define NPKGS 2900
#define MAX_SEG 32698          /* strongSwan's segment size over PT-TLS */
#define MAX_PA_MSG (MAX_SEG + 24) /* 32722: its PA-TNC message size */

/* A PA-TNC message holding one attribute; *ret_attr views the attribute
 * (header and value) inside the finished message. */
static void
one_attr_msg(struct pa_tnc_builder *b, uint32_t vendor, uint32_t type, struct bytes value,
    struct bytes *ret_attr)
{
	struct bytes msg;

	pa_tnc_builder_init(b, 0x0badcafe, 1u << 20);
	pa_tnc_builder_add(b, 0, vendor, type, value);
	ck_assert_int_eq(pa_tnc_builder_finish(b, &msg), 0);
	*ret_attr = BN(msg.ptr + PA_TNC_HEADER_LEN, msg.len - PA_TNC_HEADER_LEN);
}

START_TEST(split_and_reassemble_200k)
{
	static char names[NPKGS][64], versions[NPKGS][32];
	struct pa_ietf_package *pkgs = calloc(NPKGS, sizeof(*pkgs));
	struct wire_writer w;
	struct pa_tnc_builder holder;
	struct bytes attr;

	for (size_t i = 0; i < NPKGS; i++) {
		snprintf(names[i], sizeof(names[i]),
		    "package-%04zu-with-a-rather-long-and-descriptive-name-xyz", i);
		snprintf(versions[i], sizeof(versions[i]), "%zu.%zu.%zu-1+deb12u%zu", i / 100,
		    i % 100, i % 7, i % 3);
		pkgs[i].name = BN(names[i], strlen(names[i]));
		pkgs[i].version = BN(versions[i], strlen(versions[i]));
	}
	wire_writer_init(&w, 1u << 20);
	pa_ietf_installed_packages_encode(&w, pkgs, NPKGS);
	ck_assert_int_eq(wire_writer_status(&w), 0);
	ck_assert_uint_ge(w.len, 200 * 1024);
	one_attr_msg(&holder, PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES,
	    BN(w.buf, w.len), &attr);

	/* Sender: envelopes, each in its own PA-TNC message. */
	struct pa_segment_splitter sp;
	struct pa_segment_envelope env;
	uint8_t *msgs[16];
	size_t lens[16], n = 0;
	ck_assert_int_eq(pa_segment_splitter_init(&sp, attr, 0x00c0de, MAX_SEG), 0);
	while (pa_segment_splitter_next(&sp, &env)) {
		struct pa_tnc_builder b;
		struct bytes out;
		ck_assert_uint_lt(n, 16);
		ck_assert_uint_le(env.segment.len, MAX_SEG);
		ck_assert_uint_eq(env.flags & PA_SEGMENT_FLAG_START, n == 0 ? PA_SEGMENT_FLAG_START : 0);
		pa_tnc_builder_init(&b, 0x1000 + (uint32_t)n, MAX_PA_MSG);
		pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE);
		pa_segment_envelope_encode(&b.w, &env);
		pa_tnc_builder_end(&b);
		ck_assert_int_eq(pa_tnc_builder_finish(&b, &out), 0);
		ck_assert_uint_le(out.len, MAX_PA_MSG);
		msgs[n] = malloc(out.len);
		memcpy(msgs[n], out.ptr, out.len);
		lens[n++] = out.len;
		pa_tnc_builder_clear(&b);
	}
	ck_assert_uint_eq(n, (attr.len + MAX_SEG - 1) / MAX_SEG);
	ck_assert_uint_eq(lens[0], MAX_PA_MSG);

	/* Receiver: parse each message, decode its envelope, reassemble. */
	static const struct pa_tnc_type seg[] = {{PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE}};
	const struct pa_tnc_limits lim = {MAX_PA_MSG, 16, seg, 1};
	struct pa_segment_reasm *r = pa_segment_reasm_new(256 * 1024);
	bool done = false;
	for (size_t i = 0; i < n; i++) {
		struct pa_tnc_msg m;
		struct parse_error e;
		ck_assert(!done);
		ck_assert_int_eq(pa_tnc_msg_parse(msgs[i], lens[i], &lim, &m, &e), 0);
		ck_assert_uint_eq(m.count, 1);
		ck_assert_int_eq(pa_segment_envelope_decode(m.attrs[0].value, &env, &e), 0);
		ck_assert_uint_eq(env.base_msg_id, 0x00c0de);
		ck_assert_uint_eq(env.flags & PA_SEGMENT_FLAG_MORE, i + 1 < n ? PA_SEGMENT_FLAG_MORE : 0);
		ck_assert_int_eq(pa_segment_reasm_feed(r, &env, &done, &e), 0);
		pa_tnc_msg_clear(&m);
		free(msgs[i]);
	}
	ck_assert(done);
	struct pa_tnc_attr whole;
	ck_assert_int_eq(pa_segment_reasm_attr(r, &whole), 0);
	ck_assert_uint_eq(whole.vendor, PA_TNC_VENDOR_IETF);
	ck_assert_uint_eq(whole.type, PA_IETF_INSTALLED_PACKAGES);
	ck_assert_uint_eq(whole.value.len + 12, attr.len);
	ck_assert_mem_eq(whole.value.ptr - 12, attr.ptr, attr.len);
	struct pa_ietf_installed_packages ip;
	struct pa_ietf_packages_iter it;
	struct pa_ietf_package p;
	struct parse_error e;
	size_t count = 0;
	ck_assert_int_eq(pa_ietf_installed_packages_decode(whole.value, &ip, &e), 0);
	ck_assert_uint_eq(ip.count, NPKGS);
	pa_ietf_packages_iter_init(&it, &ip);
	while (pa_ietf_packages_next(&it, &p)) {
		ck_assert(bytes_eq_str(p.name, names[count]));
		ck_assert(bytes_eq_str(p.version, versions[count]));
		count++;
	}
	ck_assert_uint_eq(count, NPKGS);
	pa_segment_reasm_free(r);
	pa_tnc_builder_clear(&holder);
	wire_writer_clear(&w);
	free(pkgs);
}
END_TEST

START_TEST(splitter_edges)
{
	uint8_t attr[40];
	struct pa_segment_splitter sp;
	struct pa_segment_envelope env;

	memset(attr, 'a', sizeof(attr));
	memcpy(attr, "\0\0\0\0\0\0\0\x09\0\0\0\x28", 12); /* Length 40 */
	ck_assert_int_eq(pa_segment_splitter_init(&sp, BN(attr, 40), 1, 11), TNC_EINVALID);
	ck_assert_int_eq(pa_segment_splitter_init(&sp, BN(attr, 39), 1, 12), TNC_EINVALID);
	ck_assert_int_eq(pa_segment_splitter_init(&sp, BN(attr, 11), 1, 12), TNC_EINVALID);
	ck_assert_int_eq(pa_segment_splitter_init(&sp, BN(attr, 40), 0x1000000, 12), TNC_EINVALID);
	/* Fits one segment: a START envelope without MORE. */
	ck_assert_int_eq(pa_segment_splitter_init(&sp, BN(attr, 40), 5, 40), 0);
	ck_assert(pa_segment_splitter_next(&sp, &env));
	ck_assert_uint_eq(env.flags, PA_SEGMENT_FLAG_START);
	ck_assert_uint_eq(env.segment.len, 40);
	ck_assert(!pa_segment_splitter_next(&sp, &env));
	/* One octet more than a segment: START|MORE, then the last octet. */
	ck_assert_int_eq(pa_segment_splitter_init(&sp, BN(attr, 40), 5, 39), 0);
	ck_assert(pa_segment_splitter_next(&sp, &env));
	ck_assert_uint_eq(env.flags, PA_SEGMENT_FLAG_START | PA_SEGMENT_FLAG_MORE);
	ck_assert_uint_eq(env.segment.len, 39);
	ck_assert(pa_segment_splitter_next(&sp, &env));
	ck_assert_uint_eq(env.flags, 0);
	ck_assert_uint_eq(env.segment.len, 1);
	ck_assert_ptr_eq(env.segment.ptr, attr + 39);
	ck_assert(!pa_segment_splitter_next(&sp, &env));
	/* Segments of exactly the header size. */
	ck_assert_int_eq(pa_segment_splitter_init(&sp, BN(attr, 40), 5, 12), 0);
	size_t n = 0;
	while (pa_segment_splitter_next(&sp, &env))
		n++;
	ck_assert_uint_eq(n, 4);
}
END_TEST

/* An envelope whose segment is a base attribute header of Length length
 * followed by extra octets of value. */
static struct pa_segment_envelope
first(uint8_t flags, uint32_t id, uint32_t length, size_t extra, uint8_t *buf)
{
	memcpy(buf, "\0\0\0\0\0\0\0\x07", 8);
	buf[8] = (uint8_t)(length >> 24);
	buf[9] = (uint8_t)(length >> 16);
	buf[10] = (uint8_t)(length >> 8);
	buf[11] = (uint8_t)length;
	memset(buf + 12, 'x', extra);
	return (struct pa_segment_envelope){flags, id, BN(buf, 12 + extra)};
}

static struct pa_segment_envelope
more(uint8_t flags, uint32_t id, size_t n)
{
	static const uint8_t data[64];
	return (struct pa_segment_envelope){flags, id, BN(data, n)};
}

static void
assert_refused(struct pa_segment_reasm *r, struct pa_segment_envelope env, int err,
    uint32_t offset)
{
	struct parse_error e;
	bool done = true;

	ck_assert_int_eq(pa_segment_reasm_feed(r, &env, &done, &e), err);
	ck_assert_msg(e.offset == offset, "want offset %u, got %u (%s)", offset, e.offset, e.reason);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_INVALID_PARAMETER);
	ck_assert(done); /* untouched on failure */
}

static void
feed_ok(struct pa_segment_reasm *r, struct pa_segment_envelope env, bool want_done)
{
	struct parse_error e;
	bool done;

	ck_assert_int_eq(pa_segment_reasm_feed(r, &env, &done, &e), 0);
	ck_assert(done == want_done);
}

#define S PA_SEGMENT_FLAG_START
#define M PA_SEGMENT_FLAG_MORE

START_TEST(reassembler_refusals)
{
	uint8_t buf[128];
	struct pa_segment_reasm *r = pa_segment_reasm_new(100);
	struct pa_tnc_attr a;

	pa_segment_reasm_free(NULL);
	ck_assert_int_eq(pa_segment_reasm_attr(r, &a), TNC_ESTATE);
	/* Over the cap, by declared Length: refused before buffering. */
	assert_refused(r, first(S | M, 1, 101, 4, buf), TNC_ETOOLONG, 12);
	assert_refused(r, first(S | M, 1, 0xffffffff, 4, buf), TNC_ETOOLONG, 12);
	/* A Length below 12, a first segment shorter than a header. */
	assert_refused(r, first(S | M, 1, 11, 4, buf), TNC_EINVALID, 12);
	assert_refused(r, (struct pa_segment_envelope){S | M, 1, BN(buf, 11)}, TNC_ETRUNCATED, 4);
	/* MORE (or a last segment) without START. */
	assert_refused(r, more(M, 1, 4), TNC_ESTATE, 0);
	assert_refused(r, more(0, 1, 4), TNC_ESTATE, 0);
	/* START while an exchange is open; the exchange is dropped. */
	feed_ok(r, first(S | M, 1, 40, 4, buf), false);
	assert_refused(r, first(S | M, 2, 40, 4, buf), TNC_ESTATE, 0);
	assert_refused(r, more(0, 1, 24), TNC_ESTATE, 0);
	/* Another Base Message ID. */
	feed_ok(r, first(S | M, 1, 40, 4, buf), false);
	assert_refused(r, more(0, 2, 24), TNC_EINVALID, 1);
	/* More octets than declared: the first one too many. */
	feed_ok(r, first(S | M, 1, 40, 4, buf), false);
	feed_ok(r, more(M, 1, 10), false);
	assert_refused(r, more(0, 1, 15), TNC_ETRAILING, 4 + 14);
	assert_refused(r, first(S, 1, 20, 9, buf), TNC_ETRAILING, 4 + 20);
	/* MORE although the attribute is complete. */
	assert_refused(r, first(S | M, 1, 20, 8, buf), TNC_EINVALID, 0);
	/* A last segment short of the declared Length. */
	feed_ok(r, first(S | M, 1, 40, 4, buf), false);
	assert_refused(r, more(0, 1, 23), TNC_ETRUNCATED, 0);
	assert_refused(r, first(S, 1, 20, 7, buf), TNC_ETRUNCATED, 0);
	ck_assert_int_eq(pa_segment_reasm_attr(r, &a), TNC_ESTATE);
	/* Empty MORE segments are allowed; then the exchange completes. */
	feed_ok(r, first(S | M, 3, 40, 4, buf), false);
	feed_ok(r, more(M, 3, 0), false);
	feed_ok(r, more(M, 3, 20), false);
	feed_ok(r, more(0, 3, 4), true);
	ck_assert_int_eq(pa_segment_reasm_attr(r, &a), 0);
	ck_assert_uint_eq(a.type, 7);
	ck_assert_uint_eq(a.value.len, 28);
	/* After completion: no continuation, but a new START. */
	assert_refused(r, more(0, 3, 4), TNC_ESTATE, 0);
	feed_ok(r, first(S, 4, 12, 0, buf), true);
	ck_assert_int_eq(pa_segment_reasm_attr(r, &a), 0);
	ck_assert_uint_eq(a.value.len, 0);
	feed_ok(r, first(S, 5, 100, 88, buf), true);
	ck_assert_int_eq(pa_segment_reasm_attr(r, &a), 0);
	ck_assert_uint_eq(a.value.len, 88);
	pa_segment_reasm_free(r);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("pa_segment");
	TCase *tc = tcase_create("segment");
	tcase_add_test(tc, strongswan_contract);
	tcase_add_test(tc, envelope_next_cancel);
	tcase_add_test(tc, split_and_reassemble_200k);
	tcase_add_test(tc, splitter_edges);
	tcase_add_test(tc, reassembler_refusals);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
