/* test_tncdump.c - tncdump's decoder run in-process (dump_input() into an
 * open_memstream buffer): the seed batch, the strongSwan session, the jtnc
 * PT-TLS, PA-TNC and PB-TNC vectors (malformed ones exit 1 with the offset
 * their .expected names, counted from the start of the input), truncations,
 * --as, detection, and what the dump shows of inputs built with the codec
 * builders (offsets through PT-TLS, NOSKIP types, a bad PA message between
 * good ones, escaping, --all, the PTS attributes of the seed's session). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "pa_ietf.h"
#include "pa_pts.h"
#include "pa_pts_comp.h"
#include "pa_pts_final.h"
#include "pa_pts_symlinks.h"
#include "pa_tnc.h"
#include "pb_tnc.h"
#include "pt_tls.h"
#include "testlib.h"

#define MAX_TEST_BUF (1u << 20)

struct dumped {
	char *out;
	int status;
};

static struct dumped
run(const uint8_t *buf, size_t len, enum dump_format as, bool all)
{
	struct dump_opts o = {.as = as, .all = all};
	struct dumped d;
	size_t n;
	FILE *f = open_memstream(&d.out, &n);

	ck_assert_ptr_nonnull(f);
	d.status = dump_input(f, buf, len, &o);
	ck_assert_int_eq(fclose(f), 0);
	return d;
}

static void
assert_has(const struct dumped *d, const char *needle)
{
	ck_assert_msg(strstr(d->out, needle) != NULL, "'%s' not in:\n%s", needle, d->out);
}

static void
assert_starts(const struct dumped *d, const char *head)
{
	ck_assert_msg(strncmp(d->out, head, strlen(head)) == 0, "no '%s' first in:\n%s", head,
	    d->out);
}

static size_t
count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Lines indented by exactly depth levels that start with prefix. */
static size_t
lines_at(const char *out, unsigned depth, const char *prefix)
{
	size_t n = 0;

	for (const char *p = out; *p; p = strchr(p, '\n') + 1) {
		size_t sp = strspn(p, " ");
		if (sp == 2 * depth && strncmp(p + sp, prefix, strlen(prefix)) == 0)
			n++;
	}
	return n;
}

/* The one error line's offset; fails unless there is exactly one. */
static unsigned
error_offset(const struct dumped *d)
{
	const char *e = strstr(d->out, "error: "), *at;
	unsigned off;

	ck_assert_msg(e != NULL, "no error line in:\n%s", d->out);
	ck_assert_msg(count_of(d->out, "error: ") == 1, "several errors in:\n%s", d->out);
	at = strstr(e, " at byte offset ");
	ck_assert_ptr_nonnull(at);
	ck_assert_int_eq(sscanf(at, " at byte offset %u\n", &off), 1);
	return off;
}

START_TEST(seed_cdata_105)
{
	size_t len;
	uint8_t *buf = tl_read_testdata("seed/pb-tnc-cdata-105.bin", &len);
	struct dumped d = run(buf, len, DUMP_AUTO, false);

	ck_assert_int_eq(d.status, 0);
	assert_starts(&d, "PB-TNC CDATA batch (105 bytes) @0: version 2, to server (D=0), "
	    "type 1, 2 messages\n");
	assert_has(&d, "IETF/PB-Language-Preference message (31 bytes) @8");
	assert_has(&d, "'Accept-Language: en'");
	assert_has(&d, "IETF/PB-PA message (66 bytes) @39: type 0x000000/0x00000001, flags 0x80 NOSKIP");
	assert_has(&d, "PA subtype TCG/PTS 0x005597/0x00000001, collector 1, validator 65535 (any)");
	assert_has(&d, "PA-TNC message with ID 0x569e528e (42 bytes) @63: version 1, 1 attribute");
	assert_has(&d, "IETF/Product Information 0x000000/0x00000002 (34 bytes) @71");
	assert_has(&d, "product vendor 0 (0x000000), product ID 0, name 'Ubuntu 11.10 i686'");
	ck_assert_uint_eq(count_of(d.out, "error"), 0);
	free(d.out);
	free(buf);
}
END_TEST

/* The counts of PROVENANCE.md: PB messages, PB-PA messages, attributes. */
static const struct {
	const char *file;
	const char *head;
	size_t msgs, pb_pa, attrs;
} session[] = {
	{"01-c2s-CDATA-310.bin", "PB-TNC CDATA batch (310 bytes) @0", 3, 2, 8},
	{"02-s2c-SDATA-208.bin", "PB-TNC SDATA batch (208 bytes) @0: version 2, to client (D=1)",
	    3, 3, 5},
	{"03-c2s-CDATA-109512.bin", "PB-TNC CDATA batch (109512 bytes) @0", 2, 2, 4},
	{"04-s2c-RESULT-136.bin", "PB-TNC RESULT batch (136 bytes) @0", 4, 2, 2},
	{"05-c2s-CLOSE-8.bin", "PB-TNC CLOSE batch (8 bytes) @0", 0, 0, 0},
};

START_TEST(strongswan_session)
{
	char path[256];
	size_t len;
	uint8_t *buf;
	struct dumped d;

	snprintf(path, sizeof(path), "strongswan-session-os-swima/%s", session[_i].file);
	buf = tl_read_testdata(path, &len);
	d = run(buf, len, DUMP_AUTO, false);
	ck_assert_int_eq(d.status, 0);
	assert_starts(&d, session[_i].head);
	ck_assert_uint_eq(lines_at(d.out, 1, "IETF/PB-"), session[_i].msgs);
	ck_assert_uint_eq(lines_at(d.out, 1, "IETF/PB-PA message"), session[_i].pb_pa);
	ck_assert_uint_eq(lines_at(d.out, 2, "PA-TNC message with ID"), session[_i].pb_pa);
	ck_assert_uint_eq(lines_at(d.out, 3, ""), session[_i].attrs);
	ck_assert_uint_eq(count_of(d.out, "error"), 0);
	free(d.out);
	free(buf);
}
END_TEST

/* Values from the .expected files, at the offsets they give. */
START_TEST(strongswan_values)
{
	size_t len;
	uint8_t *buf = tl_read_testdata("strongswan-session-os-swima/01-c2s-CDATA-310.bin", &len);
	struct dumped d = run(buf, len, DUMP_AUTO, false);

	assert_has(&d, "PA-TNC message with ID 0x90b3f372 (195 bytes) @63: version 1, 7 attributes");
	assert_has(&d, "product vendor 9586 (0x002572), product ID 0, name 'Debian'");
	assert_has(&d, "IETF/String Version 0x000000/0x00000004 (24 bytes) @94");
	assert_has(&d, "version '12 x86_64', build '', configuration ''");
	assert_has(&d, "major 12, minor 0, build 0, service pack 0.0");
	assert_has(&d, "status operational (3), result successful (1), last use '2026-11-23T11:28:15Z'");
	assert_has(&d, "IETF/Forwarding Enabled 0x000000/0x0000000b (16 bytes) @182");
	assert_has(&d, "IETF/Factory Default Password Enabled 0x000000/0x0000000c (16 bytes) @198");
	assert_has(&d, "ITA-HSR/Device ID 0x00902a/0x00000008 (44 bytes) @214");
	assert_has(&d, "device ID '3d1219c7c4c5404aaa1f6d2a48adfda4'");
	assert_has(&d, "TCG/Segmentation Contract Request 0x005597/0x00000021 (20 bytes) @290");
	assert_has(&d, "max message size 0xffffffff (no limit), max segment size 2097080 (0x001fffb8)");
	free(d.out);
	free(buf);

	buf = tl_read_testdata("strongswan-session-os-swima/02-s2c-SDATA-208.bin", &len);
	d = run(buf, len, DUMP_AUTO, false);
	assert_has(&d, "collector 2, validator 2, flags 0x80 EXCL");
	assert_has(&d, "1 attribute type requested");
	assert_has(&d, "IETF/Installed Packages 0x000000/0x00000007");
	assert_has(&d, "IETF/SWIMA Request 0x000000/0x0000000d (24 bytes) @184");
	assert_has(&d, "flags 0x20 [R], request ID 3196, earliest EID 1, 0 software identifiers");
	free(d.out);
	free(buf);

	buf = tl_read_testdata("strongswan-session-os-swima/04-s2c-RESULT-136.bin", &len);
	d = run(buf, len, DUMP_AUTO, false);
	assert_has(&d, "IETF/PB-Assessment-Result message (16 bytes) @104");
	assert_has(&d, "IETF/PB-Access-Recommendation message (16 bytes) @120: type "
	    "0x000000/0x00000003, flags 0x00\n    recommendation Access Allowed (1)");
	ck_assert_uint_eq(count_of(d.out, "result compliant (0)"), 3);
	free(d.out);
	free(buf);
}
END_TEST

/* 836 packages and 965 SW ID events: ten of each and "... N more", or all of
 * them with --all. */
START_TEST(installed_packages_cut)
{
	size_t len;
	uint8_t *buf = tl_read_testdata("strongswan-session-os-swima/03-c2s-CDATA-109512.bin", &len);
	struct dumped d = run(buf, len, DUMP_AUTO, false);

	assert_has(&d, "IETF/Installed Packages 0x000000/0x00000007 (21091 bytes) @60");
	assert_has(&d, "836 packages\n        'adduser' '3.134'\n");
	assert_has(&d, "        ... 826 more\n");
	ck_assert_uint_eq(lines_at(d.out, 4, "'"), 10);
	assert_has(&d, "IETF/SW Identifier Events 0x000000/0x0000000f (88309 bytes) @21203");
	assert_has(&d, "flags 0x00, request ID 3196, EID epoch 0x107edf02, last EID 16, last "
	    "consulted EID 16, 965 events (903 creations, 62 deletions, 0 alterations)\n"
	    "        EID 1 '2025-05-20T00:00:00Z' creation: record 822, ISO/IEC 19770-2:2015 "
	    "(0x000000/0), source 1, 'debian.org__Debian_12-x86_64-adduser-3.134'\n");
	assert_has(&d, "        ... 955 more\n");
	free(d.out);

	d = run(buf, len, DUMP_AUTO, true);
	ck_assert_int_eq(d.status, 0);
	ck_assert_uint_eq(lines_at(d.out, 4, "'"), 836);
	ck_assert_uint_eq(count_of(d.out, "more"), 0);
	/* Every SW ID event, one line each. */
	ck_assert_uint_eq(lines_at(d.out, 4, "EID "), 965);
	free(d.out);
	free(buf);
}
END_TEST

/* jtnc's vectors: exit status, the error offset (from the start of the
 * input) and a line of the decode.  Where our codecs and jtnc disagree the
 * codecs follow RFC 5793 (see test_pb_tnc.c and test_pt_tls.c). */
static const struct {
	const char *file;
	int status;
	unsigned offset;
	const char *has;
} jtnc[] = {
	{"pt-version-request.bin", 0, 0, "PT-TLS Version Request message (20 bytes) @0: ID 1, "
	    "type 0x000000/0x00000001\n  min version 1, max version 1, preferred version 1\n"},
	{"pt-version-response.bin", 0, 0, "PT-TLS Version Response message (20 bytes) @0: ID 2"},
	{"pt-sasl-mechanisms.bin", 0, 0, "  1 mechanism\n  'PLAIN'\n"},
	{"pt-sasl-mechanism-selection.bin", 0, 0,
	    "mechanism 'PLAIN'\n  initial SASL message (4 bytes): 50 57 4e 44\n"},
	{"pt-sasl-authentication-data.bin", 0, 0, "SASL data (4 bytes): 50 57 4e 44"},
	{"pt-error.bin", 0, 0, "error Version Not Supported 0x000000/0x00000002\n"
	    "  copy of the offending message:\n"
	    "    PT-TLS Version Response message (20 bytes) @24: ID 2"},
	/* jtnc: the type field (4). */
	{"pt-version-request-bad-type.bin", 1, 4, "PT-TLS message (20 bytes) @0\n"},
	/* A RESULT batch from the client: Unexpected Batch Type at the batch's
	 * B-Type (3), 16 + 3 in the input; jtnc does not check D. */
	{"pt-pb-batch.bin", 1, 19, "PT-TLS PB-TNC Batch message (56 bytes) @0: ID 8"},
	{"pa-numeric-version.bin", 0, 0, "major 1, minor 7, build 258, service pack 0.1"},
	{"pa-assessment-result.bin", 0, 0, "result minor non-compliance (1)"},
	{"pa-installed-packages.bin", 0, 0, "2 packages\n    'iptables' '1.4.12'\n    'java' "
	    "'1.7.0_40'\n"},
	{"pa-mixed.bin", 0, 0, "PA-TNC message with ID 0x0000002d (98 bytes) @0: version 1, "
	    "3 attributes"},
	/* jtnc: the attribute's Length field (8 + 8). */
	{"pa-numeric-version-bad-length.bin", 1, 16, "PA-TNC message (36 bytes) @0\n"},
	{"pb-result-recommendation.bin", 0, 0, "recommendation Access Allowed (1)"},
	/* jtnc: the recommendation field (22). */
	{"pb-result-bad-recommendation.bin", 1, 22, "PB-TNC batch (40 bytes) @0\n"},
	/* The PA payload "PWND" is no PA-TNC message: version 0x50 at 8+12+12,
	 * reported under its PB-PA, whose header did decode. */
	{"pb-cdata-pa.bin", 1, 32, "collector 1, validator 65535 (any)"},
	/* A client sending PB-Access-Recommendation: its type field (36 + 4). */
	{"pb-cdata-mixed.bin", 1, 40, "PB-TNC batch (128 bytes) @0\n"},
};

START_TEST(jtnc_vectors)
{
	char path[256];
	size_t len;
	uint8_t *buf;
	struct dumped d;

	snprintf(path, sizeof(path), "tnc-messages-jtnc/%s", jtnc[_i].file);
	buf = tl_read_testdata(path, &len);
	d = run(buf, len, DUMP_AUTO, false);
	ck_assert_msg(d.status == jtnc[_i].status, "%s: status %d\n%s", jtnc[_i].file, d.status,
	    d.out);
	assert_has(&d, jtnc[_i].has);
	if (jtnc[_i].status)
		ck_assert_uint_eq(error_offset(&d), jtnc[_i].offset);
	else
		ck_assert_uint_eq(count_of(d.out, "error: "), 0);
	free(d.out);
	free(buf);
}
END_TEST

/* A real batch cut short: exit 1 with the Batch Length (4) as the
 * offending field, or the header field the cut falls into. */
START_TEST(truncated_batch)
{
	static const size_t cuts[] = {1, 3, 4, 7, 8, 20, 39, 63, 100, 257, 309};
	size_t len;
	uint8_t *buf = tl_read_testdata("strongswan-session-os-swima/01-c2s-CDATA-310.bin", &len);

	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		uint8_t *cut = malloc(cuts[i]);
		memcpy(cut, buf, cuts[i]);
		struct dumped d = run(cut, cuts[i], DUMP_AUTO, false);
		unsigned off = error_offset(&d);

		ck_assert_int_eq(d.status, 1);
		ck_assert_uint_le(off, cuts[i]);
		if (cuts[i] >= PB_BATCH_HEADER_LEN)
			ck_assert_uint_eq(off, 4);
		assert_has(&d, "note: not a well-formed PB-TNC batch");
		free(d.out);
		free(cut);
	}
	free(buf);
}
END_TEST

/* The session as a PT-TLS stream, as it travelled (RFC 6876 3.6). */
static struct bytes
session_stream(struct wire_writer *w)
{
	struct bytes out;

	wire_writer_init(w, MAX_TEST_BUF);
	for (size_t i = 0; i < sizeof(session) / sizeof(session[0]); i++) {
		char path[256];
		size_t len;
		uint8_t *buf;

		if (i == 2)
			continue; /* keep the stream small */
		snprintf(path, sizeof(path), "strongswan-session-os-swima/%s", session[i].file);
		buf = tl_read_testdata(path, &len);
		ck_assert_int_eq(pt_tls_put_pb_batch(w, (uint32_t)i + 1, (struct bytes){buf, len}),
		    0);
		free(buf);
	}
	out.ptr = w->buf;
	out.len = w->len;
	return out;
}

START_TEST(pt_tls_stream)
{
	struct wire_writer w;
	struct bytes s = session_stream(&w);
	struct dumped d = run(s.ptr, s.len, DUMP_AUTO, false);
	bool sure;

	ck_assert_int_eq(dump_detect(s.ptr, s.len, &sure), DUMP_PT_TLS);
	ck_assert(sure);
	ck_assert_int_eq(d.status, 0);
	ck_assert_uint_eq(lines_at(d.out, 0, "PT-TLS PB-TNC Batch message"), 4);
	assert_has(&d, "PT-TLS PB-TNC Batch message (326 bytes) @0: ID 1, type 0x000000/0x00000007\n"
	    "  PB-TNC CDATA batch (310 bytes) @16");
	/* Offsets count from the start of the stream: 71 + 16. */
	assert_has(&d, "IETF/Product Information 0x000000/0x00000002 (23 bytes) @87");
	assert_has(&d, "PB-TNC SDATA batch (208 bytes) @342");
	assert_has(&d, "PB-TNC CLOSE batch (8 bytes) @718");
	free(d.out);

	/* Cut inside the second message: the first is printed whole, then the
	 * error at that message's Length field (326 + 8). */
	d = run(s.ptr, 400, DUMP_AUTO, false);
	ck_assert_int_eq(d.status, 1);
	assert_has(&d, "device ID '3d1219c7c4c5404aaa1f6d2a48adfda4'");
	assert_has(&d, "PT-TLS message (74 bytes) @326\n  error: message length past the end of "
	    "the data at byte offset 334\n");
	ck_assert_uint_eq(error_offset(&d), 334);
	free(d.out);
	/* Cut inside the second header. */
	d = run(s.ptr, 330, DUMP_AUTO, false);
	ck_assert_int_eq(d.status, 1);
	ck_assert_uint_le(error_offset(&d), 330);
	free(d.out);
	wire_writer_clear(&w);
}
END_TEST

/* --as decodes as told, whatever detection says. */
START_TEST(as_overrides_detection)
{
	size_t len;
	uint8_t *buf = tl_read_testdata("strongswan-session-os-swima/01-c2s-CDATA-310.bin", &len);
	struct dumped d = run(buf, len, DUMP_PA, false);

	ck_assert_int_eq(d.status, 1);
	assert_has(&d, "PA-TNC message (310 bytes) @0\n  error: unsupported PA-TNC version at "
	    "byte offset 0\n");
	free(d.out);
	d = run(buf, len, DUMP_PT_TLS, false);
	ck_assert_int_eq(d.status, 1);
	ck_assert_uint_eq(count_of(d.out, "PB-TNC"), 0);
	free(d.out);
	d = run(buf, len, DUMP_PB, false);
	ck_assert_int_eq(d.status, 0);
	ck_assert_uint_eq(count_of(d.out, "note:"), 0);
	free(d.out);
	free(buf);

	buf = tl_read_testdata("tnc-messages-jtnc/pa-numeric-version.bin", &len);
	d = run(buf, len, DUMP_PB, false);
	ck_assert_int_eq(d.status, 1);
	ck_assert_uint_eq(error_offset(&d), 0);
	assert_has(&d, "unsupported PB-TNC version");
	free(d.out);
	free(buf);
}
END_TEST

START_TEST(detection)
{
	static const uint8_t odd[] = {0x7f, 1, 2, 3};
	size_t len;
	bool sure;
	uint8_t *buf = tl_read_testdata("tnc-messages-jtnc/pa-mixed.bin", &len);
	enum dump_format f;
	struct dumped d;

	ck_assert_int_eq(dump_detect(buf, len, &sure), DUMP_PA);
	ck_assert(sure);
	ck_assert_int_eq(dump_detect(buf, 20, &sure), DUMP_PA);
	ck_assert(!sure);
	free(buf);
	buf = tl_read_testdata("tnc-messages-jtnc/pt-version-request-bad-type.bin", &len);
	ck_assert_int_eq(dump_detect(buf, len, &sure), DUMP_PT_TLS);
	ck_assert(sure);
	free(buf);
	buf = tl_read_testdata("strongswan-session-os-swima/05-c2s-CLOSE-8.bin", &len);
	ck_assert_int_eq(dump_detect(buf, len, &sure), DUMP_PB);
	ck_assert(sure);
	free(buf);
	ck_assert_int_eq(dump_detect(odd, sizeof(odd), &sure), DUMP_AUTO);
	ck_assert(!sure);

	d = run(odd, sizeof(odd), DUMP_AUTO, false);
	ck_assert_int_eq(d.status, 1);
	ck_assert_str_eq(d.out, "error: neither a PB-TNC batch, a PA-TNC message, a PT-TLS "
	    "stream, an IKEv2 message nor EAP packets at byte offset 0\n");
	free(d.out);
	d = run(odd, 0, DUMP_PT_TLS, false);
	ck_assert_int_eq(d.status, 1);
	ck_assert_str_eq(d.out, "error: empty input at byte offset 0\n");
	free(d.out);

	ck_assert_int_eq(dump_format_parse("pb", &f), 0);
	ck_assert_int_eq(f, DUMP_PB);
	ck_assert_int_eq(dump_format_parse("pa", &f), 0);
	ck_assert_int_eq(f, DUMP_PA);
	ck_assert_int_eq(dump_format_parse("pt-tls", &f), 0);
	ck_assert_int_eq(f, DUMP_PT_TLS);
	ck_assert_int_eq(dump_format_parse("PB", &f), TNC_EINVALID);
	ck_assert_int_eq(dump_format_parse("", &f), TNC_EINVALID);
}
END_TEST

/* A PA-TNC message of the given attributes (flags, vendor, type, value). */
struct attr_spec {
	uint8_t flags;
	uint32_t vendor, type;
	const char *value;
	size_t len;
};

static struct bytes
build_pa(struct pa_tnc_builder *b, uint32_t id, const struct attr_spec *a, size_t n)
{
	struct bytes out;

	pa_tnc_builder_init(b, id, MAX_TEST_BUF);
	for (size_t i = 0; i < n; i++)
		pa_tnc_builder_add(b, a[i].flags, a[i].vendor, a[i].type,
		    (struct bytes){(const uint8_t *)a[i].value, a[i].len});
	ck_assert_int_eq(pa_tnc_builder_finish(b, &out), 0);
	return out;
}

/* A bad PA-TNC message is reported under its PB-PA; the next one is still
 * decoded; the status is 1.  Unknown NOSKIP attributes are shown, text is
 * escaped, value errors point into the value. */
START_TEST(bad_pa_between_good)
{
	static const struct attr_spec good[] = {
		{PA_TNC_ATTR_FLAG_NOSKIP, 0x123456, 7, "\x1b[31mred\n", 9},
		{PA_TNC_ATTR_FLAG_NOSKIP, PA_TNC_VENDOR_TCG, 0x01000000, "\x00\x00\x00\x0e", 4},
		{0, PA_TNC_VENDOR_IETF, 2, "\x00\x00\x00\x00\x00Tux\xff", 9},
		{0, PA_TNC_VENDOR_IETF, 9, "\x00\x00\x00\x02", 4},
		{0, PA_TNC_VENDOR_ITA, 8, "\x1b[31mred\n", 9},
	};
	static const uint8_t junk[] = {2, 0, 0, 0, 0, 0, 0, 1};
	struct pa_tnc_builder pa;
	struct pb_builder pb;
	struct bytes msg = build_pa(&pa, 0xabcdef01, good, 5), batch;
	struct dumped d;

	pb_builder_init(&pb, PB_DIR_TO_SERVER, PB_BATCH_CDATA, MAX_TEST_BUF);
	pb_builder_add_pa(&pb, 0, PA_TNC_VENDOR_IETF, 1, 1, PB_PA_ID_ANY,
	    (struct bytes){junk, sizeof(junk)});
	pb_builder_add_pa(&pb, PB_PA_FLAG_EXCL, PA_TNC_VENDOR_IETF, 1, 1, 1, msg);
	ck_assert_int_eq(pb_builder_finish(&pb, &batch), 0);
	d = run(batch.ptr, batch.len, DUMP_AUTO, false);

	ck_assert_int_eq(d.status, 1);
	/* The first body starts at 8 + 12 + 12. */
	assert_has(&d, "    PA-TNC message (8 bytes) @32\n      error: unsupported PA-TNC version "
	    "at byte offset 32\n  IETF/PB-PA message");
	assert_has(&d, "PA-TNC message with ID 0xabcdef01");
	assert_has(&d, "unknown 0x123456/0x00000007 (21 bytes) @72: flags 0x80 NOSKIP\n"
	    "        value (9 bytes): 1b 5b 33 31 6d 72 65 64 0a\n");
	assert_has(&d, "TCG/Request PTS Protocol Capabilities 0x005597/0x01000000 (16 bytes) @93: "
	    "flags 0x80 NOSKIP\n        PTS protocol capabilities .VDT. (0x0e)\n");
	/* Product name at 109 + 12 + 5; its fourth octet is no UTF-8. */
	assert_has(&d, "IETF/Product Information 0x000000/0x00000002 (21 bytes) @109: flags 0x00\n"
	    "        error: string is not UTF-8 text without NUL at byte offset 129\n");
	assert_has(&d, "result significant non-compliance (2)");
	assert_has(&d, "device ID '\\x1b[31mred\\x0a'\n");
	ck_assert_uint_eq(count_of(d.out, "error: "), 2);
	free(d.out);
	pb_builder_clear(&pb);

	/* The same message alone: text is escaped, nothing raw leaks. */
	d = run(msg.ptr, msg.len, DUMP_AUTO, false);
	ck_assert_int_eq(d.status, 1);
	ck_assert_ptr_null(strchr(d.out, 0x1b));
	ck_assert_uint_eq(error_offset(&d), 129 - 64);
	free(d.out);
	pa_tnc_builder_clear(&pa);
}
END_TEST

/* A PTS message of the seed's session, built with the PTS encoders: the
 * tree carries the values the seed's log lines show, and the TPM 2.0 quote
 * fields cut out of the seed's TPMS_ATTEST spelled out; a malformed PTS
 * value gets its error offset in the input. */
START_TEST(pts_attributes)
{
	static const uint8_t nonce[20], pub[64], sig[8], hash[32];
	static const struct pa_pts_symlink links[] = {
		{{(const uint8_t *)"/lib", 4}, {(const uint8_t *)"/usr/lib", 8}},
		{{(const uint8_t *)"/bin", 4}, {(const uint8_t *)"/usr/bin", 8}},
	};
	const struct pa_pts_comp_request_entry comps[] = {
		{PA_PTS_REQ_FLAG_PCR, 0, {PA_TNC_VENDOR_ITA, 0x21, PA_PTS_ITA_COMP_IMA}},
		{PA_PTS_REQ_FLAG_PCR, 0, {PA_TNC_VENDOR_ITA, 0x22, PA_PTS_ITA_COMP_IMA}},
	};
	const struct pa_pts_dh_response dh = {PA_PTS_DH_ECP256, PA_PTS_ALGO_SHA256,
	    {nonce, sizeof(nonce)}, {pub, sizeof(pub)}};
	const struct pa_pts_tpm_version tpm = {.tag = PA_PTS_TPM20_VERSION_TAG,
	    .vendor = 0x53544d20, .locality = 3, .revision = 138, .year = 2018};
	const struct pa_pts_comp_evidence ima = {.flags = PA_PTS_VALIDATION_PASSED,
	    .name = {PA_TNC_VENDOR_ITA, 0x22, PA_PTS_ITA_COMP_IMA}, .pcr = 10,
	    .hash_algo = PA_PTS_ALGO_SHA256, .transform = PA_PTS_TRANSFORM_MATCH,
	    .time = {(const uint8_t *)"2022-05-31T08:26:24Z", 20},
	    .policy_uri = {(const uint8_t *)"sha256:/usr/bin/tpm2", 20},
	    .measurement = {hash, sizeof(hash)}};
	size_t qlen, bad_at;
	uint8_t *q = tl_read_testdata("seed/tpms-attest-quote.bin", &qlen);
	const struct pa_pts_final final = {.mode = PA_PTS_QUOTE_TPM2,
	    .composite_algo = PA_PTS_ALGO_SHA256, .composite = {q + 113, 32},
	    .qualified_signer = {q + 8, 34}, .clock_info = {q + 76, 17},
	    .firmware_version = {q + 93, 8}, .pcr_select = {q + 101, 10},
	    .quote_sig = {sig, sizeof(sig)}};
	struct pa_tnc_builder b;
	struct bytes msg;
	struct dumped d;

	ck_assert_uint_eq(qlen, 145);
	pa_tnc_builder_init(&b, 0x895b637c, MAX_TEST_BUF);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_PTS_PROTO_CAPS);
	pa_pts_caps_encode(&b.w, PA_PTS_CAP_V | PA_PTS_CAP_D | PA_PTS_CAP_T);
	pa_tnc_builder_end(&b);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO);
	pa_pts_algo_encode(&b.w, PA_PTS_ALGO_SHA256);
	pa_tnc_builder_end(&b);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_RESP);
	pa_pts_dh_response_encode(&b.w, &dh);
	pa_tnc_builder_end(&b);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_PTS_TPM_VERSION_INFO);
	pa_pts_tpm_version_encode(&b.w, &tpm);
	pa_tnc_builder_end(&b);
	pa_tnc_builder_begin(&b, PA_TNC_ATTR_FLAG_NOSKIP, PA_TNC_VENDOR_TCG,
	    PA_PTS_REQ_FUNC_COMP_EVID);
	pa_pts_comp_request_encode(&b.w, comps, 2);
	pa_tnc_builder_end(&b);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_ITA, PA_ITA_SYMLINKS);
	pa_pts_symlinks_encode(&b.w, links, 2);
	pa_tnc_builder_end(&b);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_COMP_EVID);
	pa_pts_comp_evidence_encode(&b.w, &ima);
	pa_tnc_builder_end(&b);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_EVID_FINAL);
	pa_pts_final_encode(&b.w, &final);
	pa_tnc_builder_end(&b);
	bad_at = b.w.len + PA_TNC_ATTR_HEADER_LEN;
	pa_tnc_builder_add(&b, 0, PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_EVID_FINAL,
	    (struct bytes){(const uint8_t *)"\x50\x00\x00\x00", 4});
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &msg), 0);
	d = run(msg.ptr, msg.len, DUMP_AUTO, false);

	ck_assert_int_eq(d.status, 1);
	assert_has(&d, "TCG/PTS Protocol Capabilities 0x005597/0x02000000 (16 bytes) @8: flags 0x00\n"
	    "    PTS protocol capabilities .VDT. (0x0e)\n");
	assert_has(&d, "  selected measurement algorithm HASH_SHA2_256 (0x4000)\n");
	assert_has(&d, "  D-H group ECP_256 (0x1000), hash algorithms HASH_SHA2_256 (0x4000), "
	    "nonce length 20\n    responder nonce (20 bytes): 00 00");
	assert_has(&d, "    responder public value (64 bytes): ");
	assert_has(&d, "  TPM 2.0 rev. 1.38 2018 STM - startup locality: 3\n");
	assert_has(&d, "  2 components\n    ITA-HSR functional component 'Linux IMA' [K.] 'Trusted "
	    "Platform', depth 0, flags 0x10 ...P\n    ITA-HSR functional component 'Linux IMA' [K.] "
	    "'Operating System', depth 0, flags 0x10 ...P\n");
	assert_has(&d, "  2 directory symlinks\n    '/lib' -> '/usr/lib'\n    '/bin' -> '/usr/bin'\n");
	assert_has(&d, "  ITA-HSR functional component 'Linux IMA' [K.] 'Operating System', depth 0\n"
	    "    extended into PCR 10, HASH_SHA2_256, hash size matches PCR, measured "
	    "'2022-05-31T08:26:24Z'\n    flags 0x60: verification passed\n    policy URI "
	    "'sha256:/usr/bin/tpm2'\n    IMA file '/usr/bin/tpm2', template hash algorithm 'sha256'\n"
	    "    measurement (32 bytes): 00 00");
	assert_has(&d, "  TPM 2.0 quote info (0x10), composite hash algorithm HASH_SHA2_256 (0x4000)\n"
	    "    PCR digest (32 bytes): 86 88 05 24 23 5e 82 d2 4e 3a 21 88 2a f6 f0 e0 ...\n"
	    "    qualified signer (34 bytes): 00 0b bd e2 f1 f3 e7 b6 0c a6 6d 93 1c ec ac 7d ...\n"
	    "    clock 0x5fae07c5, reset count 275, restart count 0, safe 1\n"
	    "    firmware version 0x0001010200000000\n"
	    "    PCR selection SHA-256 (0x000b): PCRs 0,1,2,3,4,5,6,7,8,9,10,14\n"
	    "    quote signature (8 bytes): 00 00 00 00 00 00 00 00\n");
	ck_assert_uint_eq(error_offset(&d), bad_at);
	assert_has(&d, "error: unknown quote info flags at byte offset");
	free(d.out);
	pa_tnc_builder_clear(&b);
	free(q);
}
END_TEST

/* Messages pb_batch_parse() skips are shown as ignored octets; the other
 * IETF message types are decoded. */
START_TEST(pb_message_types)
{
	static const uint8_t secret[] = {'s', 'k', 'i', 'p'};
	struct pb_builder pb;
	struct pb_msg unknown = {.vendor = 0x999999, .type = 5, .value = {secret, 4}};
	struct pb_error err = {.flags = PB_ERROR_FLAG_FATAL, .vendor = PB_VENDOR_IETF,
	    .code = PB_ERROR_INVALID_PARAMETER, .offset = 33};
	struct bytes batch;
	struct dumped d;

	pb_builder_init(&pb, PB_DIR_TO_CLIENT, PB_BATCH_SDATA, MAX_TEST_BUF);
	pb_builder_add(&pb, &unknown);
	pb_builder_add_error(&pb, &err);
	pb_builder_add_reason_string(&pb, (struct bytes){(const uint8_t *)"why", 3},
	    (struct bytes){(const uint8_t *)"de", 2});
	pb_builder_add_remediation_uri(&pb, (struct bytes){(const uint8_t *)"http://fix/", 11});
	pb_builder_add_assessment_result(&pb, PB_ASSESSMENT_COMPLIANT);
	pb_builder_add_pdp_referral(&pb, 0, 0, (struct bytes){(const uint8_t *)"pdp", 3});
	pb_builder_add_pdp_referral(&pb, PB_VENDOR_TCG, 0,
	    (struct bytes){(const uint8_t *)"\x00\x06\x01\x0fpdp.example", 15});
	ck_assert_int_eq(pb_builder_finish(&pb, &batch), 0);
	d = run(batch.ptr, batch.len, DUMP_AUTO, false);

	ck_assert_int_eq(d.status, 0);
	assert_has(&d, "5 messages, 2 ignored");
	assert_has(&d, "  ignored (16 bytes) @8: ");
	assert_has(&d, "IETF/PB-Error message (24 bytes) @24: type 0x000000/0x00000005, flags 0x80 "
	    "NOSKIP\n    error Invalid Parameter 0x000000/1, flags 0x80 FATAL\n    offset 33\n");
	assert_has(&d, "reason 'why', language 'de'");
	assert_has(&d, "URI 'http://fix/'");
	/* PB-Assessment-Result outside RESULT is skipped (RFC 5793 4.6). */
	assert_has(&d, "  ignored (16 bytes) @");
	assert_has(&d, "TCG/PB-PDP-Referral message");
	/* the identifier read as a client reads it */
	assert_has(&d, "    error: PDP identifier type not known\n");
	assert_has(&d, "    PDP pdp.example, protocol 6 (TCP), port 271\n");
	assert_has(&d, "identifier 'pdp'");
	free(d.out);
	pb_builder_clear(&pb);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("tncdump");
	TCase *vec = tcase_create("vectors");
	tcase_add_test(vec, seed_cdata_105);
	tcase_add_loop_test(vec, strongswan_session, 0, sizeof(session) / sizeof(session[0]));
	tcase_add_test(vec, strongswan_values);
	tcase_add_test(vec, installed_packages_cut);
	tcase_add_loop_test(vec, jtnc_vectors, 0, sizeof(jtnc) / sizeof(jtnc[0]));
	tcase_add_test(vec, truncated_batch);
	suite_add_tcase(s, vec);
	TCase *dump = tcase_create("dump");
	tcase_add_test(dump, pt_tls_stream);
	tcase_add_test(dump, as_overrides_detection);
	tcase_add_test(dump, detection);
	tcase_add_test(dump, bad_pa_between_good);
	tcase_add_test(dump, pb_message_types);
	tcase_add_test(dump, pts_attributes);
	suite_add_tcase(s, dump);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
