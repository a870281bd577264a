/* test_eap.c - the EAP codecs: packets (RFC 3748) with Identity, Nak,
 * Notification and MD5-Challenge; the EAP-TTLS packet and its Diameter AVPs
 * (RFC 5281); EAP-TNC (TCG, type 38) fragmentation and PT-EAP (RFC 7171);
 * the TTLS MSK/EMSK derivation.  Layouts are written out octet by octet
 * from the RFC figures; every malformed case checks its error, the offset
 * of the field and the reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/ssl.h>

#include "eap.h"
#include "eap_frag.h"
#include "eap_md5.h"
#include "eap_tnc.h"
#include "eap_ttls.h"
#include "eap_ttls_keys.h"
#include "pb_tnc.h"
#include "testlib.h"

#define MAX_PKT 65536u

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

static void
assert_bytes(struct bytes b, const void *p, size_t n)
{
	ck_assert_uint_eq(b.len, n);
	if (n)
		ck_assert_mem_eq(b.ptr, p, n);
}

static void
assert_err(int got, int err, const struct parse_error *e, uint32_t offset, const char *reason)
{
	ck_assert_int_eq(got, err);
	ck_assert_uint_eq(e->offset, offset);
	ck_assert_str_eq(e->reason, reason);
}

static struct eap_packet
parse_ok(const uint8_t *buf, size_t len)
{
	struct eap_packet p;
	struct parse_error e;

	ck_assert_msg(eap_parse(buf, len, &p, &e) == 0, "%s at %u", e.reason, e.offset);
	return p;
}

static void
assert_parse_fails(const uint8_t *buf, size_t len, int err, uint32_t offset, const char *reason)
{
	struct eap_packet p;
	struct parse_error e;

	assert_err(eap_parse(buf, len, &p, &e), err, &e, offset, reason);
}

/* Re-encodes p and checks the octets are buf[0..len). */
static void
assert_reencodes(const struct eap_packet *p, const uint8_t *buf, size_t len)
{
	struct wire_writer w;

	wire_writer_init(&w, MAX_PKT);
	eap_put(&w, p);
	ck_assert_int_eq(wire_writer_status(&w), 0);
	ck_assert_uint_eq(w.len, len);
	ck_assert_mem_eq(w.buf, buf, len);
	wire_writer_clear(&w);
}

START_TEST(identity_layout)
{
	/* RFC 3748 4 and 5.1: Code 2, Identifier 7, Length 25, Type 1. */
	static const uint8_t pkt[] = {0x02, 0x07, 0x00, 0x19, 0x01, 'c', 'a', 'r', 'o', 'l',
	    '@', 's', 't', 'r', 'o', 'n', 'g', 's', 'w', 'a', 'n', '.', 'o', 'r', 'g'};
	struct eap_packet p = parse_ok(pkt, sizeof(pkt));
	char sum[32];

	ck_assert_uint_eq(p.code, EAP_RESPONSE);
	ck_assert_uint_eq(p.id, 7);
	ck_assert_uint_eq(p.length, 25);
	ck_assert_uint_eq(p.type, EAP_TYPE_IDENTITY);
	ck_assert_uint_eq(p.data_offset, 5);
	assert_bytes(p.data, "carol@strongswan.org", 20);
	ck_assert_str_eq(eap_summary(&p, sum, sizeof(sum)), "EAP/RES/ID");
	assert_reencodes(&p, pkt, sizeof(pkt));
}
END_TEST

START_TEST(success_failure_expanded)
{
	/* Success: header only; octets past Length are link padding (4.1). */
	static const uint8_t succ[] = {0x03, 0x2a, 0x00, 0x04, 0xff, 0xff};
	static const uint8_t fail[] = {0x04, 0x2b, 0x00, 0x04};
	/* RFC 3748 5.7: Type 254, Vendor-Id 0x005597, Vendor-Type 3. */
	static const uint8_t exp[] = {0x01, 0x01, 0x00, 0x0e, 0xfe, 0x00, 0x55, 0x97, 0x00, 0x00,
	    0x00, 0x03, 0xaa, 0xbb};
	struct eap_packet p;
	char sum[40];

	p = parse_ok(succ, sizeof(succ));
	ck_assert_uint_eq(p.code, EAP_SUCCESS);
	ck_assert_uint_eq(p.length, 4);
	ck_assert_uint_eq(p.data.len, 0);
	ck_assert_str_eq(eap_summary(&p, sum, sizeof(sum)), "EAP/SUCC");
	assert_reencodes(&p, succ, 4);
	p = parse_ok(fail, sizeof(fail));
	ck_assert_str_eq(eap_summary(&p, sum, sizeof(sum)), "EAP/FAIL");
	p = parse_ok(exp, sizeof(exp));
	ck_assert_uint_eq(p.type, EAP_TYPE_EXPANDED);
	ck_assert_uint_eq(p.vendor_id, 0x5597);
	ck_assert_uint_eq(p.vendor_type, 3);
	ck_assert_uint_eq(p.data_offset, 12);
	assert_bytes(p.data, "\xaa\xbb", 2);
	ck_assert_str_eq(eap_summary(&p, sum, sizeof(sum)), "EAP/REQ/EXP(21911/3)");
	assert_reencodes(&p, exp, sizeof(exp));
	/* A short buffer truncates the summary but terminates it. */
	ck_assert_str_eq(eap_summary(&p, sum, 5), "EAP/");
}
END_TEST

START_TEST(malformed_packets)
{
	static const uint8_t short_hdr[] = {0x01, 0x01, 0x00};
	static const uint8_t bad_code[] = {0x05, 0x01, 0x00, 0x04};
	static const uint8_t past_end[] = {0x01, 0x01, 0x00, 0x10, 0x01};
	static const uint8_t below_4[] = {0x03, 0x01, 0x00, 0x03};
	static const uint8_t succ_data[] = {0x03, 0x01, 0x00, 0x05, 0x00};
	static const uint8_t no_type[] = {0x01, 0x01, 0x00, 0x04};
	static const uint8_t exp_short[] = {0x01, 0x01, 0x00, 0x08, 0xfe, 0x00, 0x00, 0x00};

	assert_parse_fails(short_hdr, 0, TNC_ETRUNCATED, 0, "EAP header truncated");
	assert_parse_fails(short_hdr, sizeof(short_hdr), TNC_ETRUNCATED, 2, "EAP header truncated");
	assert_parse_fails(bad_code, sizeof(bad_code), TNC_ETYPE, 0, "unknown EAP code");
	assert_parse_fails(past_end, sizeof(past_end), TNC_ETRUNCATED, 2,
	    "EAP length past the end of the data");
	assert_parse_fails(below_4, sizeof(below_4), TNC_EINVALID, 2, "EAP length below 4");
	assert_parse_fails(succ_data, sizeof(succ_data), TNC_EINVALID, 2,
	    "EAP Success or Failure with data");
	assert_parse_fails(no_type, sizeof(no_type), TNC_ETRUNCATED, 2,
	    "EAP Request or Response without a type");
	assert_parse_fails(exp_short, sizeof(exp_short), TNC_ETRUNCATED, 2,
	    "EAP length shorter than the expanded type header");
}
END_TEST

START_TEST(notification_and_nak)
{
	static const uint8_t ntf_req[] = {0x01, 0x01, 0x00, 0x07, 0x02, 'h', 'i'};
	static const uint8_t ntf_req_empty[] = {0x01, 0x01, 0x00, 0x05, 0x02};
	static const uint8_t ntf_res[] = {0x02, 0x01, 0x00, 0x05, 0x02};
	static const uint8_t ntf_res_data[] = {0x02, 0x01, 0x00, 0x06, 0x02, 'x'};
	/* Legacy Nak asking for EAP-TTLS or EAP-MD5 (RFC 3748 5.3.1). */
	static const uint8_t nak[] = {0x02, 0x03, 0x00, 0x07, 0x03, 0x15, 0x04};
	static const uint8_t nak_none[] = {0x02, 0x03, 0x00, 0x06, 0x03, 0x00};
	static const uint8_t nak_empty[] = {0x02, 0x03, 0x00, 0x05, 0x03};
	static const uint8_t nak_identity[] = {0x02, 0x03, 0x00, 0x07, 0x03, 0x15, 0x01};
	static const uint8_t nak_request[] = {0x01, 0x03, 0x00, 0x06, 0x03, 0x15};
	struct eap_packet p;
	struct parse_error e;

	p = parse_ok(ntf_req, sizeof(ntf_req));
	ck_assert_int_eq(eap_check_notification(&p, &e), 0);
	p = parse_ok(ntf_res, sizeof(ntf_res));
	ck_assert_int_eq(eap_check_notification(&p, &e), 0);
	p = parse_ok(ntf_req_empty, sizeof(ntf_req_empty));
	assert_err(eap_check_notification(&p, &e), TNC_EINVALID, &e, 5,
	    "EAP Notification request without a message");
	p = parse_ok(ntf_res_data, sizeof(ntf_res_data));
	assert_err(eap_check_notification(&p, &e), TNC_ETRAILING, &e, 5,
	    "EAP Notification response with data");

	p = parse_ok(nak, sizeof(nak));
	ck_assert_int_eq(eap_check_nak(&p, &e), 0);
	assert_bytes(p.data, "\x15\x04", 2);
	p = parse_ok(nak_none, sizeof(nak_none));
	ck_assert_int_eq(eap_check_nak(&p, &e), 0);
	p = parse_ok(nak_empty, sizeof(nak_empty));
	assert_err(eap_check_nak(&p, &e), TNC_ETRUNCATED, &e, 5, "EAP Nak without a desired type");
	p = parse_ok(nak_identity, sizeof(nak_identity));
	assert_err(eap_check_nak(&p, &e), TNC_EINVALID, &e, 6,
	    "EAP Nak desires a non-authentication type");
	p = parse_ok(nak_request, sizeof(nak_request));
	assert_err(eap_check_nak(&p, &e), TNC_EINVALID, &e, 0, "EAP Nak in a request");
}
END_TEST

static void
assert_md5(uint8_t id, const char *secret, const char *challenge, const char *hex)
{
	uint8_t out[EAP_MD5_RESPONSE_LEN];
	char got[2 * EAP_MD5_RESPONSE_LEN + 1];

	ck_assert_int_eq(eap_md5_response(id, B(secret), B(challenge), out), 0);
	for (size_t i = 0; i < sizeof(out); i++)
		snprintf(got + 2 * i, 3, "%02x", out[i]);
	ck_assert_str_eq(got, hex);
}

START_TEST(md5_known_answers)
{
	/* The response hashes Identifier || secret || challenge (RFC 1994 4.1,
	 * RFC 3748 5.4), so split RFC 1321 A.5's test inputs across the three:
	 * MD5("abc") and MD5("message digest"). */
	assert_md5('a', "b", "c", "900150983cd24fb0d6963f7d28e17f72");
	assert_md5('m', "essage ", "digest", "f96b697d7cb7938d525a2f31aaf161d0");
}
END_TEST

START_TEST(md5_challenge_round_trip)
{
	static const uint8_t challenge[16] = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	    0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};
	/* python3: hashlib.md5(bytes([0x2a]) + b"carol-eap-secret" +
	 * bytes(range(0x10, 0x20))).hexdigest() */
	static const uint8_t expect[16] = {0x74, 0x1d, 0x1f, 0xf4, 0x01, 0xf9, 0xa7, 0x69, 0xaa,
	    0x68, 0xf1, 0xc7, 0xe7, 0x5b, 0x1b, 0xa6};
	struct bytes ch = {challenge, sizeof(challenge)};
	uint8_t resp[EAP_MD5_RESPONSE_LEN];
	struct wire_writer w;
	struct eap_packet p;
	struct eap_md5 m;
	struct parse_error e;
	char sum[32];

	wire_writer_init(&w, MAX_PKT);
	eap_md5_put(&w, EAP_REQUEST, 0x2a, ch, B("moon"));
	ck_assert_int_eq(wire_writer_status(&w), 0);
	/* Value-Size 16, Value, Name: 5 + 1 + 16 + 4 octets. */
	ck_assert_uint_eq(w.len, 26);
	ck_assert_mem_eq(w.buf, "\x01\x2a\x00\x1a\x04\x10\x10\x11", 8);
	ck_assert_mem_eq(w.buf + 22, "moon", 4);
	p = parse_ok(w.buf, w.len);
	ck_assert_str_eq(eap_summary(&p, sum, sizeof(sum)), "EAP/REQ/MD5");
	ck_assert_int_eq(eap_md5_parse(&p, &m, &e), 0);
	assert_bytes(m.value, challenge, 16);
	assert_bytes(m.name, "moon", 4);
	wire_writer_clear(&w);

	ck_assert_int_eq(eap_md5_response(0x2a, B("carol-eap-secret"), ch, resp), 0);
	ck_assert_mem_eq(resp, expect, 16);
	wire_writer_init(&w, MAX_PKT);
	eap_md5_put(&w, EAP_RESPONSE, 0x2a, (struct bytes){resp, 16}, B("carol"));
	p = parse_ok(w.buf, w.len);
	ck_assert_int_eq(eap_md5_parse(&p, &m, &e), 0);
	ck_assert(eap_md5_verify(0x2a, B("carol-eap-secret"), ch, m.value));
	ck_assert(!eap_md5_verify(0x2a, B("carol-eap-secreT"), ch, m.value));
	ck_assert(!eap_md5_verify(0x2b, B("carol-eap-secret"), ch, m.value));
	ck_assert(!eap_md5_verify(0x2a, B("carol-eap-secret"), ch, (struct bytes){resp, 15}));
	wire_writer_clear(&w);
}
END_TEST

START_TEST(md5_malformed)
{
	static const uint8_t no_size[] = {0x01, 0x01, 0x00, 0x05, 0x04};
	static const uint8_t size_0[] = {0x01, 0x01, 0x00, 0x06, 0x04, 0x00};
	static const uint8_t past[] = {0x01, 0x01, 0x00, 0x07, 0x04, 0x05, 0xaa};
	uint8_t resp15[21] = {0x02, 0x01, 0x00, 0x15, 0x04, 0x0f};
	static const uint8_t identity[] = {0x02, 0x01, 0x00, 0x05, 0x01};
	struct eap_packet p;
	struct eap_md5 m;
	struct parse_error e;
	struct wire_writer w;
	uint8_t big[256] = {0};

	p = parse_ok(no_size, sizeof(no_size));
	assert_err(eap_md5_parse(&p, &m, &e), TNC_ETRUNCATED, &e, 5,
	    "MD5-Challenge without Value-Size");
	p = parse_ok(size_0, sizeof(size_0));
	assert_err(eap_md5_parse(&p, &m, &e), TNC_EINVALID, &e, 5, "MD5-Challenge Value-Size 0");
	p = parse_ok(past, sizeof(past));
	assert_err(eap_md5_parse(&p, &m, &e), TNC_ETRUNCATED, &e, 5,
	    "MD5-Challenge Value-Size past the end of the packet");
	p = parse_ok(resp15, sizeof(resp15));
	assert_err(eap_md5_parse(&p, &m, &e), TNC_EINVALID, &e, 5,
	    "MD5-Challenge response value not 16 octets");
	p = parse_ok(identity, sizeof(identity));
	assert_err(eap_md5_parse(&p, &m, &e), TNC_ETYPE, &e, 0, "not an EAP MD5-Challenge packet");

	wire_writer_init(&w, MAX_PKT);
	eap_md5_put(&w, EAP_REQUEST, 1, (struct bytes){big, 0}, B(""));
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
	wire_writer_init(&w, MAX_PKT);
	eap_md5_put(&w, EAP_REQUEST, 1, (struct bytes){big, 256}, B(""));
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
}
END_TEST

START_TEST(encoder_errors)
{
	static uint8_t big[EAP_MAX_LEN];
	struct wire_writer w;

	/* 5 + 65531 octets: one over the 16-bit Length. */
	wire_writer_init(&w, 2 * MAX_PKT);
	eap_put(&w, &(struct eap_packet){.code = EAP_REQUEST, .type = EAP_TYPE_IDENTITY,
	    .data = {big, EAP_MAX_LEN - 4}});
	ck_assert_int_eq(wire_writer_status(&w), TNC_ETOOLONG);
	wire_writer_clear(&w);
	wire_writer_init(&w, 2 * MAX_PKT);
	eap_put(&w, &(struct eap_packet){.code = EAP_REQUEST, .type = EAP_TYPE_IDENTITY,
	    .data = {big, EAP_MAX_LEN - 5}});
	ck_assert_int_eq(wire_writer_status(&w), 0);
	ck_assert_uint_eq(w.len, EAP_MAX_LEN);
	wire_writer_clear(&w);
	wire_writer_init(&w, MAX_PKT);
	eap_put(&w, &(struct eap_packet){.code = EAP_SUCCESS, .data = {big, 1}});
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
	wire_writer_init(&w, MAX_PKT);
	eap_put(&w, &(struct eap_packet){.code = EAP_REQUEST, .type = EAP_TYPE_EXPANDED,
	    .vendor_id = 0x1000000});
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
	wire_writer_init(&w, MAX_PKT);
	pt_eap_put(&w, EAP_REQUEST, 1, 0, (struct bytes){big, PT_EAP_MAX_BATCH + 1});
	ck_assert_int_eq(wire_writer_status(&w), TNC_ETOOLONG);
	wire_writer_clear(&w);
}
END_TEST

/* Encodes one packet of type with Type-Data f and compares the octets. */
static void
assert_frag_put(uint8_t code, uint8_t id, uint8_t type, const struct eap_frag *f,
    const uint8_t *expect, size_t len)
{
	struct wire_writer w;

	wire_writer_init(&w, MAX_PKT);
	eap_frag_put(&w, code, id, type, f);
	ck_assert_int_eq(wire_writer_status(&w), 0);
	ck_assert_uint_eq(w.len, len);
	ck_assert_mem_eq(w.buf, expect, len);
	wire_writer_clear(&w);
}

START_TEST(start_and_ack_layouts)
{
	/* RFC 5281 9.1: S = 0x20, version 0 in the low 3 bits. */
	static const uint8_t ttls_start[] = {0x01, 0x05, 0x00, 0x06, 0x15, 0x20};
	/* TCG EAP-TNC: the same flags, version 1. */
	static const uint8_t tnc_start[] = {0x01, 0x05, 0x00, 0x06, 0x26, 0x21};
	/* RFC 7171 3.1: S is the top bit, version 1. */
	static const uint8_t pt_start[] = {0x01, 0x05, 0x00, 0x06, 0x36, 0x81};
	static const uint8_t ttls_ack[] = {0x02, 0x09, 0x00, 0x06, 0x15, 0x00};
	struct eap_packet p;
	struct eap_frag f;
	struct pt_eap pt;
	struct parse_error e;
	struct wire_writer w;

	assert_frag_put(EAP_REQUEST, 5, EAP_TYPE_TTLS,
	    &(struct eap_frag){.flags = EAP_FRAG_FLAG_S, .version = EAP_TTLS_VERSION}, ttls_start, 6);
	assert_frag_put(EAP_REQUEST, 5, EAP_TYPE_TNC,
	    &(struct eap_frag){.flags = EAP_FRAG_FLAG_S, .version = EAP_TNC_VERSION}, tnc_start, 6);
	assert_frag_put(EAP_RESPONSE, 9, EAP_TYPE_TTLS, &(struct eap_frag){0}, ttls_ack, 6);

	p = parse_ok(ttls_start, sizeof(ttls_start));
	ck_assert_int_eq(eap_ttls_parse(&p, &f, &e), 0);
	ck_assert_uint_eq(f.flags, EAP_FRAG_FLAG_S);
	ck_assert(!eap_frag_is_ack(&f));
	p = parse_ok(tnc_start, sizeof(tnc_start));
	ck_assert_int_eq(eap_tnc_parse(&p, &f, &e), 0);
	ck_assert_uint_eq(f.version, 1);
	p = parse_ok(ttls_ack, sizeof(ttls_ack));
	ck_assert_int_eq(eap_ttls_parse(&p, &f, &e), 0);
	ck_assert(eap_frag_is_ack(&f));

	wire_writer_init(&w, MAX_PKT);
	pt_eap_put(&w, EAP_REQUEST, 5, PT_EAP_FLAG_S, (struct bytes){NULL, 0});
	ck_assert_uint_eq(w.len, sizeof(pt_start));
	ck_assert_mem_eq(w.buf, pt_start, sizeof(pt_start));
	wire_writer_clear(&w);
	p = parse_ok(pt_start, sizeof(pt_start));
	ck_assert_int_eq(pt_eap_parse(&p, &pt, &e), 0);
	ck_assert_uint_eq(pt.flags, PT_EAP_FLAG_S);
	ck_assert_uint_eq(pt.version, 1);
	ck_assert_uint_eq(pt.batch.len, 0);
}
END_TEST

START_TEST(pt_eap_batch)
{
	static const uint8_t v2[] = {0x02, 0x01, 0x00, 0x06, 0x36, 0x02};
	static const uint8_t no_flags[] = {0x02, 0x01, 0x00, 0x05, 0x36};
	struct pb_builder b;
	struct bytes batch;
	struct wire_writer w;
	struct eap_packet p;
	struct pt_eap pt;
	struct pb_batch pb;
	struct parse_error e;
	struct pb_limits lim = {65536, 16, PB_DIR_TO_SERVER};

	pb_builder_init(&b, PB_DIR_TO_SERVER, PB_BATCH_CDATA, 65536);
	pb_builder_add_language_preference(&b, B("Accept-Language: en"));
	ck_assert_int_eq(pb_builder_finish(&b, &batch), 0);
	wire_writer_init(&w, MAX_PKT);
	pt_eap_put(&w, EAP_RESPONSE, 3, 0, batch);
	ck_assert_uint_eq(w.len, 6 + batch.len);
	ck_assert_mem_eq(w.buf, "\x02\x03", 2);
	ck_assert_uint_eq(w.buf[4], EAP_TYPE_PT_EAP);
	ck_assert_uint_eq(w.buf[5], 0x01);
	p = parse_ok(w.buf, w.len);
	ck_assert_int_eq(pt_eap_parse(&p, &pt, &e), 0);
	ck_assert_uint_eq(pt.flags, 0);
	ck_assert_uint_eq(pt.batch_offset, 6);
	assert_bytes(pt.batch, batch.ptr, batch.len);
	ck_assert_int_eq(pb_batch_parse(pt.batch.ptr, pt.batch.len, &lim, &pb, &e), 0);
	ck_assert_uint_eq(pb.count, 1);
	ck_assert_uint_eq(pb.msgs[0].type, PB_MSG_LANGUAGE_PREFERENCE);
	pb_batch_clear(&pb);
	wire_writer_clear(&w);
	pb_builder_clear(&b);

	p = parse_ok(v2, sizeof(v2));
	assert_err(pt_eap_parse(&p, &pt, &e), TNC_EVERSION, &e, 5, "unsupported PT-EAP version");
	p = parse_ok(no_flags, sizeof(no_flags));
	assert_err(pt_eap_parse(&p, &pt, &e), TNC_ETRUNCATED, &e, 5, "PT-EAP flags octet missing");
	assert_err(eap_tnc_parse(&p, &(struct eap_frag){0}, &e), TNC_ETYPE, &e, 0,
	    "not an EAP-TNC packet");
}
END_TEST

/* Sends msg through a fragmenter (max_data octets per packet) and a
 * reassembler; returns the number of packets; each packet is checked for
 * the flags the RFC asks for. */
static size_t
fragment_and_reassemble(uint8_t type, uint8_t version, struct bytes msg, size_t max_data,
    struct eap_reasm *r)
{
	struct eap_fragmenter fr;
	size_t n = 0;
	bool complete = false;

	eap_fragmenter_init(&fr, msg, max_data);
	while (!eap_fragmenter_done(&fr)) {
		struct wire_writer w;
		struct eap_packet p;
		struct eap_frag f;
		struct parse_error e;
		bool first = n == 0, fragmented = msg.len > max_data;
		size_t left = msg.len - fr.sent, chunk = left < max_data ? left : max_data;

		ck_assert(!complete);
		wire_writer_init(&w, MAX_PKT);
		eap_fragmenter_put(&fr, &w, EAP_REQUEST, (uint8_t)n, type, version, 0);
		ck_assert_int_eq(wire_writer_status(&w), 0);
		ck_assert_uint_eq(w.len, 6 + (first && fragmented ? 4 : 0) + chunk);
		p = parse_ok(w.buf, w.len);
		ck_assert_uint_eq(p.type, type);
		ck_assert_int_eq(type == EAP_TYPE_TTLS ? eap_ttls_parse(&p, &f, &e)
		                                       : eap_tnc_parse(&p, &f, &e), 0);
		ck_assert_uint_eq(!!(f.flags & EAP_FRAG_FLAG_L), first && fragmented);
		ck_assert_uint_eq(!!(f.flags & EAP_FRAG_FLAG_M), chunk < left);
		if (f.flags & EAP_FRAG_FLAG_L)
			ck_assert_uint_eq(f.msg_len, msg.len);
		ck_assert_msg(eap_reasm_add(r, &f, &complete, &e) == 0, "%s", e.reason);
		wire_writer_clear(&w);
		n++;
	}
	ck_assert(complete);
	assert_bytes(eap_reasm_message(r), msg.ptr, msg.len);
	return n;
}

START_TEST(tnc_100k_batch)
{
	/* A 100 KB PB-TNC batch: header 8 + message header 12 + PB-PA 12 +
	 * body. */
	enum { BATCH = 100 * 1024, BODY = BATCH - 8 - 12 - 12 };
	uint8_t *body = malloc(BODY);
	struct pb_builder b;
	struct bytes batch;
	struct eap_reasm r;
	struct pb_batch pb;
	struct parse_error e;
	struct pb_limits lim = {1u << 20, 16, PB_DIR_TO_SERVER};
	struct bytes msg;

	for (size_t i = 0; i < BODY; i++)
		body[i] = (uint8_t)(i * 7 + (i >> 8));
	pb_builder_init(&b, PB_DIR_TO_SERVER, PB_BATCH_CDATA, 1u << 20);
	pb_builder_add_pa(&b, 0, PB_VENDOR_IETF, 1, 1, PB_PA_ID_ANY, (struct bytes){body, BODY});
	ck_assert_int_eq(pb_builder_finish(&b, &batch), 0);
	ck_assert_uint_eq(batch.len, BATCH);

	eap_reasm_init(&r, 1u << 20);
	ck_assert_uint_eq(
	    fragment_and_reassemble(EAP_TYPE_TNC, EAP_TNC_VERSION, batch, 1024, &r), 100);
	msg = eap_reasm_message(&r);
	ck_assert_int_eq(pb_batch_parse(msg.ptr, msg.len, &lim, &pb, &e), 0);
	ck_assert_uint_eq(pb.count, 1);
	ck_assert_uint_eq(pb.msgs[0].type, PB_MSG_PA);
	assert_bytes(pb.msgs[0].u.pa.body, body, BODY);
	pb_batch_clear(&pb);
	/* Ready for the next message: a small one goes in one packet. */
	eap_reasm_next(&r);
	ck_assert_uint_eq(r.state, EAP_REASM_IDLE);
	ck_assert_uint_eq(
	    fragment_and_reassemble(EAP_TYPE_TNC, EAP_TNC_VERSION, B("small"), 1024, &r), 1);
	eap_reasm_clear(&r);
	pb_builder_clear(&b);
	free(body);
}
END_TEST

START_TEST(ttls_record_stream)
{
	uint8_t stream[3000];
	struct eap_reasm r;
	struct eap_fragmenter fr;
	struct wire_writer w;

	for (size_t i = 0; i < sizeof(stream); i++)
		stream[i] = (uint8_t)i;
	eap_reasm_init(&r, 16384);
	ck_assert_uint_eq(fragment_and_reassemble(EAP_TYPE_TTLS, EAP_TTLS_VERSION,
	    (struct bytes){stream, sizeof(stream)}, 1024, &r), 3);
	eap_reasm_next(&r);
	/* Exactly max_data: one packet, no L, no M. */
	ck_assert_uint_eq(fragment_and_reassemble(EAP_TYPE_TTLS, EAP_TTLS_VERSION,
	    (struct bytes){stream, 1024}, 1024, &r), 1);
	eap_reasm_clear(&r);

	/* The first fragment's octets, RFC 5281 9.1: Flags L|M, version 0,
	 * TLS Message Length 3000; S only on the first. */
	eap_fragmenter_init(&fr, (struct bytes){stream, sizeof(stream)}, 1024);
	wire_writer_init(&w, MAX_PKT);
	eap_fragmenter_put(&fr, &w, EAP_RESPONSE, 9, EAP_TYPE_TTLS, 0, EAP_FRAG_FLAG_S);
	ck_assert_mem_eq(w.buf, "\x02\x09\x04\x0a\x15\xe0\x00\x00\x0b\xb8\x00\x01", 12);
	wire_writer_clear(&w);
	wire_writer_init(&w, MAX_PKT);
	eap_fragmenter_put(&fr, &w, EAP_RESPONSE, 10, EAP_TYPE_TTLS, 0, EAP_FRAG_FLAG_S);
	ck_assert_mem_eq(w.buf, "\x02\x0a\x04\x06\x15\x40\x00\x01", 8);
	wire_writer_clear(&w);
	wire_writer_init(&w, MAX_PKT);
	eap_fragmenter_put(&fr, &w, EAP_RESPONSE, 11, EAP_TYPE_TTLS, 0, 0);
	ck_assert_mem_eq(w.buf, "\x02\x0b\x03\xbe\x15\x00", 6);
	ck_assert(eap_fragmenter_done(&fr));
	wire_writer_clear(&w);
	/* Nothing left to put; a zero fragment size is refused. */
	wire_writer_init(&w, MAX_PKT);
	eap_fragmenter_put(&fr, &w, EAP_RESPONSE, 12, EAP_TYPE_TTLS, 0, 0);
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
	eap_fragmenter_init(&fr, (struct bytes){stream, 10}, 0);
	wire_writer_init(&w, MAX_PKT);
	eap_fragmenter_put(&fr, &w, EAP_RESPONSE, 12, EAP_TYPE_TTLS, 0, 0);
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
}
END_TEST

/* Parses an EAP-TTLS packet given as its Type-Data (after Type 21) and adds
 * it to r. */
static int
feed(struct eap_reasm *r, const uint8_t *type_data, size_t n, bool *complete,
    struct parse_error *e)
{
	uint8_t pkt[64] = {0x02, 0x01, 0x00, (uint8_t)(5 + n), EAP_TYPE_TTLS};
	struct eap_packet p;
	struct eap_frag f;
	int err;

	ck_assert_uint_le(n, sizeof(pkt) - 5);
	memcpy(pkt + 5, type_data, n);
	p = parse_ok(pkt, 5 + n);
	if ((err = eap_ttls_parse(&p, &f, e)))
		return err;
	return eap_reasm_add(r, &f, complete, e);
}

#define FEED(r, complete, e, ...)                                                      \
	feed(r, (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}), \
	    complete, e)

/* A fresh reassembler (bound 1000) that already holds "ab" of 6 octets. */
static void
start_partial(struct eap_reasm *r)
{
	struct parse_error e;
	bool complete;

	eap_reasm_init(r, 1000);
	ck_assert_int_eq(FEED(r, &complete, &e, 0xc0, 0, 0, 0, 6, 'a', 'b'), 0);
	ck_assert(!complete);
	ck_assert_uint_eq(r->state, EAP_REASM_PARTIAL);
}

START_TEST(reassembly_refusals)
{
	struct eap_reasm r;
	struct parse_error e;
	bool complete;

	eap_reasm_init(&r, 1000);
	/* L flag without the Message Length. */
	assert_err(FEED(&r, &complete, &e, 0x80, 0, 0), TNC_ETRUNCATED, &e, 5,
	    "EAP L flag without the Message Length");
	/* A first fragment (M) must announce the total. */
	assert_err(FEED(&r, &complete, &e, 0x40, 'a', 'b'), TNC_EINVALID, &e, 5,
	    "EAP first fragment without the L flag");
	ck_assert_uint_eq(r.state, EAP_REASM_FAILED);
	/* Once refused, nothing more is taken. */
	assert_err(FEED(&r, &complete, &e, 0x00, 'a'), TNC_ESTATE, &e, 5,
	    "EAP reassembly failed earlier");
	eap_reasm_clear(&r);

	/* Total over the bound, refused on the first fragment. */
	eap_reasm_init(&r, 1000);
	assert_err(FEED(&r, &complete, &e, 0xc0, 0, 0, 0x07, 0xd0, 'a', 'b'), TNC_ETOOLONG, &e, 6,
	    "EAP Message Length over the bound");
	eap_reasm_clear(&r);
	eap_reasm_init(&r, 1);
	assert_err(FEED(&r, &complete, &e, 0x00, 'a', 'b'), TNC_ETOOLONG, &e, 6,
	    "EAP Message Length over the bound");
	eap_reasm_clear(&r);
	/* Length mismatch in an unfragmented message. */
	eap_reasm_init(&r, 1000);
	assert_err(FEED(&r, &complete, &e, 0x80, 0, 0, 0, 5, 'a', 'b'), TNC_EINVALID, &e, 6,
	    "EAP Message Length does not match the unfragmented data");
	eap_reasm_clear(&r);
	/* M on a first fragment that already holds everything. */
	eap_reasm_init(&r, 1000);
	assert_err(FEED(&r, &complete, &e, 0xc0, 0, 0, 0, 2, 'a', 'b'), TNC_EINVALID, &e, 5,
	    "EAP M flag on the fragment that completes the message");
	eap_reasm_clear(&r);
	eap_reasm_init(&r, 1000);
	assert_err(FEED(&r, &complete, &e, 0xc0, 0, 0, 0, 2, 'a', 'b', 'c'), TNC_ETOOLONG, &e, 10,
	    "EAP fragments run past the Message Length");
	eap_reasm_clear(&r);

	/* Continuations of "ab" of 6. */
	start_partial(&r);
	assert_err(FEED(&r, &complete, &e, 0x00, 'c', 'd'), TNC_ETRUNCATED, &e, 5,
	    "EAP last fragment ends before the Message Length");
	eap_reasm_clear(&r);
	start_partial(&r);
	assert_err(FEED(&r, &complete, &e, 0x40, 'c', 'd', 'e', 'f', 'g'), TNC_ETOOLONG, &e, 6,
	    "EAP fragments run past the Message Length");
	eap_reasm_clear(&r);
	start_partial(&r);
	assert_err(FEED(&r, &complete, &e, 0x80, 0, 0, 0, 7, 'c'), TNC_EINVALID, &e, 6,
	    "EAP Message Length changed between fragments");
	eap_reasm_clear(&r);
	start_partial(&r);
	assert_err(FEED(&r, &complete, &e, 0x20, 'c'), TNC_EINVALID, &e, 5,
	    "EAP S flag inside a fragmented message");
	eap_reasm_clear(&r);
	start_partial(&r);
	assert_err(FEED(&r, &complete, &e, 0x40), TNC_EINVALID, &e, 6,
	    "EAP empty fragment inside a message");
	eap_reasm_clear(&r);
	start_partial(&r);
	assert_err(FEED(&r, &complete, &e, 0x40, 'c', 'd', 'e', 'f'), TNC_EINVALID, &e, 5,
	    "EAP M flag on the fragment that completes the message");
	eap_reasm_clear(&r);

	/* A repeated L with the same total is taken; then fragments after the
	 * last one are refused. */
	start_partial(&r);
	ck_assert_int_eq(FEED(&r, &complete, &e, 0xc0, 0, 0, 0, 6, 'c', 'd'), 0);
	ck_assert(!complete);
	ck_assert_int_eq(FEED(&r, &complete, &e, 0x00, 'e', 'f'), 0);
	ck_assert(complete);
	assert_bytes(eap_reasm_message(&r), "abcdef", 6);
	assert_err(FEED(&r, &complete, &e, 0x00, 'g'), TNC_ESTATE, &e, 5,
	    "EAP fragment after the last one");
	ck_assert_uint_eq(eap_reasm_message(&r).len, 0);
	eap_reasm_clear(&r);
}
END_TEST

START_TEST(method_versions)
{
	static const uint8_t ttls_v1[] = {0x02, 0x01, 0x00, 0x06, 0x15, 0x01};
	static const uint8_t tnc_v0[] = {0x02, 0x01, 0x00, 0x06, 0x26, 0x00};
	static const uint8_t ttls_empty[] = {0x02, 0x01, 0x00, 0x05, 0x15};
	static const uint8_t md5[] = {0x02, 0x01, 0x00, 0x06, 0x04, 0x00};
	struct eap_packet p;
	struct eap_frag f;
	struct parse_error e;

	p = parse_ok(ttls_v1, sizeof(ttls_v1));
	assert_err(eap_ttls_parse(&p, &f, &e), TNC_EVERSION, &e, 5, "unsupported EAP-TTLS version");
	p = parse_ok(tnc_v0, sizeof(tnc_v0));
	assert_err(eap_tnc_parse(&p, &f, &e), TNC_EVERSION, &e, 5, "unsupported EAP-TNC version");
	p = parse_ok(ttls_empty, sizeof(ttls_empty));
	assert_err(eap_ttls_parse(&p, &f, &e), TNC_ETRUNCATED, &e, 5, "EAP flags octet missing");
	p = parse_ok(md5, sizeof(md5));
	assert_err(eap_ttls_parse(&p, &f, &e), TNC_ETYPE, &e, 0, "not an EAP-TTLS packet");
}
END_TEST

START_TEST(avp_layouts)
{
	static const uint8_t identity[] = {0x02, 0x07, 0x00, 0x19, 0x01, 'c', 'a', 'r', 'o', 'l',
	    '@', 's', 't', 'r', 'o', 'n', 'g', 's', 'w', 'a', 'n', '.', 'o', 'r', 'g'};
	/* RFC 5281 10.1: Code 79, flags M, Length 8 + 25, data, 3 octets of
	 * padding; then a vendor AVP: Code 1, V|M, Length 14, Vendor-ID. */
	static const uint8_t expect[] = {0x00, 0x00, 0x00, 0x4f, 0x40, 0x00, 0x00, 0x21, 0x02, 0x07,
	    0x00, 0x19, 0x01, 'c', 'a', 'r', 'o', 'l', '@', 's', 't', 'r', 'o', 'n', 'g', 's', 'w',
	    'a', 'n', '.', 'o', 'r', 'g', 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xc0, 0x00,
	    0x00, 0x0e, 0x00, 0x00, 0x55, 0x97, 'a', 'b', 0x00, 0x00};
	struct wire_writer w;
	struct ttls_avp_iter it;
	struct ttls_avp a;
	struct parse_error e;
	struct bytes eap;
	char sum[32];

	wire_writer_init(&w, MAX_PKT);
	ttls_avp_put_eap_message(&w, (struct bytes){identity, sizeof(identity)});
	ttls_avp_put(&w, &(struct ttls_avp){.code = 1, .flags = TTLS_AVP_FLAG_V | TTLS_AVP_FLAG_M,
	    .vendor = 0x5597, .data = B("ab")});
	ck_assert_int_eq(wire_writer_status(&w), 0);
	ck_assert_uint_eq(w.len, sizeof(expect));
	ck_assert_mem_eq(w.buf, expect, sizeof(expect));

	ttls_avp_iter_init(&it, (struct bytes){w.buf, w.len});
	ck_assert_int_eq(ttls_avp_next(&it, &a, &e), 1);
	ck_assert_uint_eq(a.code, TTLS_AVP_EAP_MESSAGE);
	ck_assert_uint_eq(a.flags, TTLS_AVP_FLAG_M);
	ck_assert_uint_eq(a.vendor, 0);
	ck_assert_uint_eq(a.offset, 0);
	assert_bytes(a.data, identity, sizeof(identity));
	ck_assert_int_eq(ttls_avp_next(&it, &a, &e), 1);
	ck_assert_uint_eq(a.code, 1);
	ck_assert_uint_eq(a.flags, TTLS_AVP_FLAG_V | TTLS_AVP_FLAG_M);
	ck_assert_uint_eq(a.vendor, 0x5597);
	ck_assert_uint_eq(a.offset, 36);
	assert_bytes(a.data, "ab", 2);
	ck_assert_int_eq(ttls_avp_next(&it, &a, &e), 0);

	/* The tunneled EAP packet, as logged "received tunneled EAP-TTLS AVP
	 * [EAP/RES/ID]". */
	wire_writer_clear(&w);
	wire_writer_init(&w, MAX_PKT);
	ttls_avp_put(&w, &(struct ttls_avp){.code = 2, .data = B("xyz")});
	ttls_avp_put_eap_message(&w, (struct bytes){identity, sizeof(identity)});
	ck_assert_int_eq(ttls_avp_find_eap_message((struct bytes){w.buf, w.len}, &eap, &e), 0);
	struct eap_packet p = parse_ok(eap.ptr, eap.len);
	ck_assert_str_eq(eap_summary(&p, sum, sizeof(sum)), "EAP/RES/ID");
	wire_writer_clear(&w);
}
END_TEST

static void
assert_avp_fails(const uint8_t *buf, size_t len, int err, uint32_t offset, const char *reason)
{
	struct ttls_avp_iter it;
	struct ttls_avp a;
	struct parse_error e;
	int n;

	ttls_avp_iter_init(&it, (struct bytes){buf, len});
	while ((n = ttls_avp_next(&it, &a, &e)) == 1)
		;
	assert_err(n, err, &e, offset, reason);
	/* The iterator stays stopped. */
	ck_assert_int_eq(ttls_avp_next(&it, &a, &e), 0);
}

START_TEST(avp_malformed)
{
	static const uint8_t short_hdr[] = {0, 0, 0, 1, 0, 0, 0};
	static const uint8_t below_8[] = {0, 0, 0, 1, 0x00, 0, 0, 7};
	static const uint8_t below_12[] = {0, 0, 0, 1, 0x80, 0, 0, 10, 0, 0, 0, 0};
	static const uint8_t vendor_short[] = {0, 0, 0, 1, 0x80, 0, 0, 12, 0, 0};
	static const uint8_t past_end[] = {0, 0, 0, 1, 0x00, 0, 0, 16, 'a', 'b'};
	static const uint8_t no_pad[] = {0, 0, 0, 1, 0x00, 0, 0, 9, 'a'};
	static const uint8_t bad_pad[] = {0, 0, 0, 1, 0x00, 0, 0, 9, 'a', 0, 1, 0};
	static const uint8_t second_bad[] = {0, 0, 0, 1, 0x00, 0, 0, 9, 'a', 0, 0, 0, 0, 0, 0, 79};
	/* Unknown mandatory (code 2, M) before an EAP-Message; two
	 * EAP-Messages; none at all. */
	static const uint8_t mandatory[] = {0, 0, 0, 2, 0x40, 0, 0, 8, 0, 0, 0, 79, 0x40, 0, 0, 12,
	    0x03, 0x01, 0x00, 0x04};
	static const uint8_t twice[] = {0, 0, 0, 79, 0x40, 0, 0, 12, 0x03, 0x01, 0x00, 0x04, 0, 0,
	    0, 79, 0x40, 0, 0, 12, 0x03, 0x01, 0x00, 0x04};
	static const uint8_t none[] = {0, 0, 0, 2, 0x00, 0, 0, 8};
	struct parse_error e;
	struct bytes eap;

	assert_avp_fails(short_hdr, sizeof(short_hdr), TNC_ETRUNCATED, 0, "AVP header truncated");
	assert_avp_fails(below_8, sizeof(below_8), TNC_EINVALID, 5, "AVP length below its header");
	assert_avp_fails(below_12, sizeof(below_12), TNC_EINVALID, 5,
	    "AVP length below its header");
	assert_avp_fails(vendor_short, sizeof(vendor_short), TNC_ETRUNCATED, 8,
	    "AVP Vendor-ID truncated");
	assert_avp_fails(past_end, sizeof(past_end), TNC_ETRUNCATED, 5,
	    "AVP length past the end of the data");
	assert_avp_fails(no_pad, sizeof(no_pad), TNC_ETRUNCATED, 9, "AVP padding missing");
	assert_avp_fails(bad_pad, sizeof(bad_pad), TNC_EINVALID, 10, "AVP padding not zero");
	assert_avp_fails(second_bad, sizeof(second_bad), TNC_ETRUNCATED, 12,
	    "AVP header truncated");

	assert_err(ttls_avp_find_eap_message((struct bytes){mandatory, sizeof(mandatory)}, &eap, &e),
	    TNC_ETYPE, &e, 0, "unsupported mandatory AVP");
	assert_err(ttls_avp_find_eap_message((struct bytes){twice, sizeof(twice)}, &eap, &e),
	    TNC_EINVALID, &e, 12, "second EAP-Message AVP");
	assert_err(ttls_avp_find_eap_message((struct bytes){none, sizeof(none)}, &eap, &e),
	    TNC_ENOTFOUND, &e, 0, "no EAP-Message AVP");
	assert_err(ttls_avp_find_eap_message((struct bytes){no_pad, sizeof(no_pad)}, &eap, &e),
	    TNC_ETRUNCATED, &e, 9, "AVP padding missing");
	ck_assert_int_eq(ttls_avp_find_eap_message((struct bytes){twice, 12}, &eap, &e), 0);
	assert_bytes(eap, "\x03\x01\x00\x04", 4);
}
END_TEST

/* --- keying material over a real TLS handshake (PSK: no certificates) --- */

static const char test_psk[] = "h39-eap-ttls-psk";
#define TEST_PSK_LEN (sizeof(test_psk) - 1)

static unsigned int
psk_server(SSL *ssl, const char *identity, unsigned char *psk, unsigned int max)
{
	(void)ssl;
	(void)identity;
	ck_assert_uint_ge(max, TEST_PSK_LEN);
	memcpy(psk, test_psk, TEST_PSK_LEN);
	return TEST_PSK_LEN;
}

static unsigned int
psk_client(SSL *ssl, const char *hint, char *identity, unsigned int max_identity,
    unsigned char *psk, unsigned int max_psk)
{
	(void)ssl;
	(void)hint;
	snprintf(identity, max_identity, "carol");
	ck_assert_uint_ge(max_psk, TEST_PSK_LEN);
	memcpy(psk, test_psk, TEST_PSK_LEN);
	return TEST_PSK_LEN;
}

/* A completed in-memory handshake of the given version. */
static void
handshake(int version, SSL_CTX **ctx, SSL **client, SSL **server)
{
	BIO *a, *b;
	int done_c = 0, done_s = 0;

	*ctx = SSL_CTX_new(TLS_method());
	ck_assert_ptr_nonnull(*ctx);
	SSL_CTX_set_security_level(*ctx, 0);
	ck_assert(SSL_CTX_set_min_proto_version(*ctx, version));
	ck_assert(SSL_CTX_set_max_proto_version(*ctx, version));
	ck_assert(SSL_CTX_set_cipher_list(*ctx, "PSK-AES128-GCM-SHA256"));
	ck_assert(SSL_CTX_set_ciphersuites(*ctx, "TLS_AES_128_GCM_SHA256"));
	SSL_CTX_set_psk_server_callback(*ctx, psk_server);
	SSL_CTX_set_psk_client_callback(*ctx, psk_client);
	*client = SSL_new(*ctx);
	*server = SSL_new(*ctx);
	ck_assert(BIO_new_bio_pair(&a, 0, &b, 0));
	SSL_set_bio(*client, a, a);
	SSL_set_bio(*server, b, b);
	SSL_set_connect_state(*client);
	SSL_set_accept_state(*server);
	for (int i = 0; i < 20 && !(done_c && done_s); i++) {
		if (!done_c)
			done_c = SSL_do_handshake(*client) == 1;
		if (!done_s)
			done_s = SSL_do_handshake(*server) == 1;
	}
	ck_assert(done_c && done_s);
	ck_assert_int_eq(SSL_version(*client), version);
}

static void
export(SSL *ssl, bool tls13, uint8_t out[EAP_TTLS_KEY_MATERIAL_LEN])
{
	struct eap_ttls_exporter x;

	eap_ttls_exporter(tls13, &x);
	ck_assert_int_eq(SSL_export_keying_material(ssl, out, EAP_TTLS_KEY_MATERIAL_LEN, x.label,
	    x.label_len, x.context, x.context_len, x.use_context), 1);
}

static void
free_tls(SSL_CTX *ctx, SSL *client, SSL *server)
{
	SSL_free(client);
	SSL_free(server);
	SSL_CTX_free(ctx);
}

START_TEST(exporter_parameters)
{
	struct eap_ttls_exporter x;

	eap_ttls_exporter(false, &x);
	ck_assert_str_eq(x.label, "ttls keying material");
	ck_assert_uint_eq(x.label_len, 20);
	ck_assert(!x.use_context);
	ck_assert_uint_eq(x.context_len, 0);
	eap_ttls_exporter(true, &x);
	ck_assert_str_eq(x.label, "EXPORTER_EAP_TLS_Key_Material");
	ck_assert_uint_eq(x.label_len, 29);
	ck_assert(x.use_context);
	ck_assert_uint_eq(x.context_len, 1);
	ck_assert_uint_eq(x.context[0], 0x15);
}
END_TEST

START_TEST(tls12_keys_match_exporter)
{
	SSL_CTX *ctx;
	SSL *client, *server;
	uint8_t master[SSL_MAX_MASTER_KEY_LENGTH], cr[32], sr[32];
	uint8_t mat_c[EAP_TTLS_KEY_MATERIAL_LEN], mat_s[EAP_TTLS_KEY_MATERIAL_LEN];
	size_t master_len;
	struct eap_keys from_exporter, from_master;

	handshake(TLS1_2_VERSION, &ctx, &client, &server);
	export(client, false, mat_c);
	export(server, false, mat_s);
	ck_assert_mem_eq(mat_c, mat_s, sizeof(mat_c));
	eap_keys_from_material(mat_c, &from_exporter);
	ck_assert_mem_eq(from_exporter.msk, mat_c, EAP_MSK_LEN);
	ck_assert_mem_eq(from_exporter.emsk, mat_c + EAP_MSK_LEN, EAP_EMSK_LEN);

	/* RFC 5281 8 computed from the raw values: the same 128 octets. */
	master_len = SSL_SESSION_get_master_key(SSL_get_session(client), master, sizeof(master));
	ck_assert_uint_eq(master_len, 48);
	ck_assert_uint_eq(SSL_get_client_random(client, cr, sizeof(cr)), 32);
	ck_assert_uint_eq(SSL_get_server_random(client, sr, sizeof(sr)), 32);
	ck_assert_int_eq(eap_ttls_keys_from_master("SHA256", (struct bytes){master, master_len},
	    cr, sr, &from_master), 0);
	ck_assert_mem_eq(from_master.msk, from_exporter.msk, EAP_MSK_LEN);
	ck_assert_mem_eq(from_master.emsk, from_exporter.emsk, EAP_EMSK_LEN);
	/* Another PRF hash gives other keys; a bad digest name is refused. */
	ck_assert_int_eq(eap_ttls_keys_from_master("SHA384", (struct bytes){master, master_len},
	    cr, sr, &from_master), 0);
	ck_assert(memcmp(from_master.msk, from_exporter.msk, EAP_MSK_LEN) != 0);
	ck_assert_int_eq(eap_ttls_keys_from_master("NO-SUCH-HASH", (struct bytes){master, master_len},
	    cr, sr, &from_master), TNC_EINVALID);
	ck_assert_int_eq(eap_ttls_keys_from_master("SHA256", (struct bytes){master, 0}, cr, sr,
	    &from_master), TNC_EINVALID);
	eap_keys_cleanse(&from_master);
	ck_assert_uint_eq(from_master.msk[0] | from_master.emsk[63], 0);
	free_tls(ctx, client, server);
}
END_TEST

START_TEST(tls13_exporter_agrees)
{
	SSL_CTX *ctx;
	SSL *client, *server;
	uint8_t mat_c[EAP_TTLS_KEY_MATERIAL_LEN], mat_s[EAP_TTLS_KEY_MATERIAL_LEN];
	uint8_t old_label[EAP_TTLS_KEY_MATERIAL_LEN];

	handshake(TLS1_3_VERSION, &ctx, &client, &server);
	export(client, true, mat_c);
	export(server, true, mat_s);
	ck_assert_mem_eq(mat_c, mat_s, sizeof(mat_c));
	/* Not the RFC 5281 label's output on the same connection. */
	export(client, false, old_label);
	ck_assert(memcmp(mat_c, old_label, sizeof(mat_c)) != 0);
	free_tls(ctx, client, server);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(eap_type_name(EAP_TYPE_TTLS), "EAP_TTLS");
	ck_assert_str_eq(eap_type_name(EAP_TYPE_MD5), "EAP_MD5");
	ck_assert_str_eq(eap_type_name(EAP_TYPE_TNC), "EAP_TNC");
	ck_assert_str_eq(eap_type_name(EAP_TYPE_PT_EAP), "EAP_PT_EAP");
	ck_assert_str_eq(eap_type_name(EAP_TYPE_IDENTITY), "EAP_IDENTITY");
	ck_assert_str_eq(eap_type_name(99), "unknown");
	ck_assert_str_eq(eap_type_short(EAP_TYPE_TTLS), "TTLS");
	ck_assert_str_eq(eap_type_short(EAP_TYPE_TNC), "TNC");
	ck_assert_str_eq(eap_type_short(EAP_TYPE_MD5), "MD5");
	ck_assert_str_eq(eap_type_short(0), "unknown");
	ck_assert_str_eq(eap_code_name(EAP_REQUEST), "Request");
	ck_assert_str_eq(eap_code_name(EAP_FAILURE), "Failure");
	ck_assert_str_eq(eap_code_name(9), "unknown");
	ck_assert_str_eq(eap_code_short(EAP_RESPONSE), "RES");
	ck_assert_str_eq(eap_code_short(EAP_SUCCESS), "SUCC");
	ck_assert_str_eq(eap_code_short(0), "unknown");
	ck_assert_str_eq(ttls_avp_name(0, TTLS_AVP_EAP_MESSAGE), "EAP-Message");
	ck_assert_str_eq(ttls_avp_name(0, TTLS_AVP_USER_NAME), "User-Name");
	ck_assert_str_eq(ttls_avp_name(0x5597, TTLS_AVP_EAP_MESSAGE), "unknown");

	struct eap_packet p = {.code = EAP_REQUEST, .type = EAP_TYPE_TNC};
	char sum[32];
	ck_assert_str_eq(eap_summary(&p, sum, sizeof(sum)), "EAP/REQ/TNC");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("eap");
	TCase *eap = tcase_create("eap");
	tcase_add_test(eap, identity_layout);
	tcase_add_test(eap, success_failure_expanded);
	tcase_add_test(eap, malformed_packets);
	tcase_add_test(eap, notification_and_nak);
	tcase_add_test(eap, md5_known_answers);
	tcase_add_test(eap, md5_challenge_round_trip);
	tcase_add_test(eap, md5_malformed);
	tcase_add_test(eap, encoder_errors);
	tcase_add_test(eap, names);
	suite_add_tcase(s, eap);
	TCase *frag = tcase_create("fragments");
	tcase_add_test(frag, start_and_ack_layouts);
	tcase_add_test(frag, pt_eap_batch);
	tcase_add_test(frag, tnc_100k_batch);
	tcase_add_test(frag, ttls_record_stream);
	tcase_add_test(frag, reassembly_refusals);
	tcase_add_test(frag, method_versions);
	suite_add_tcase(s, frag);
	TCase *avp = tcase_create("avps");
	tcase_add_test(avp, avp_layouts);
	tcase_add_test(avp, avp_malformed);
	suite_add_tcase(s, avp);
	TCase *keys = tcase_create("keys");
	tcase_add_test(keys, exporter_parameters);
	tcase_add_test(keys, tls12_keys_match_exporter);
	tcase_add_test(keys, tls13_exporter_agrees);
	suite_add_tcase(s, keys);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
