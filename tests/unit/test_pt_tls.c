/* test_pt_tls.c - PT-TLS (RFC 6876) framing: the jtnc vectors decode as their
 * .expected files say and re-encode to the same octets; the deframer waits
 * for partial input and refuses lengths below 16 or above the cap as soon as
 * the length field is in; malformed messages give the RFC 6876 error code
 * and the offset of the offending field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pb_tnc.h"
#include "pt_tls.h"
#include "testlib.h"

#define MAX_MSG 65536u

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

/* Reads a jtnc vector, deframes and parses it, and checks that pt_tls_put()
 * gives the same octets back. */
static uint8_t *
load(const char *name, struct pt_tls_msg *m, size_t *ret_len)
{
	char path[256];
	size_t len, need;
	struct parse_error e;
	struct wire_writer w;

	snprintf(path, sizeof(path), "tnc-messages-jtnc/%s", name);
	uint8_t *buf = tl_read_testdata(path, &len);
	ck_assert_int_eq(pt_tls_deframe(buf, len, MAX_MSG, &need, &e), 0);
	ck_assert_uint_eq(need, len);
	ck_assert_msg(pt_tls_parse(buf, len, m, &e) == 0, "%s: %s", name, e.reason);
	ck_assert_uint_eq(m->hdr.vendor, PT_TLS_VENDOR_IETF);
	ck_assert_uint_eq(m->hdr.length, len);
	wire_writer_init(&w, MAX_MSG);
	ck_assert_int_eq(pt_tls_put(&w, m), 0);
	ck_assert_uint_eq(w.len, len);
	ck_assert_mem_eq(w.buf, buf, len);
	wire_writer_clear(&w);
	*ret_len = len;
	return buf;
}

static void
assert_fails(const uint8_t *buf, size_t len, int err, uint32_t code, uint32_t offset)
{
	struct pt_tls_msg m;
	struct parse_error e;

	memset(&m, 0x5a, sizeof(m));
	ck_assert_int_eq(pt_tls_parse(buf, len, &m, &e), err);
	ck_assert_msg(e.code == code && e.offset == offset,
	    "want code %u offset %u, got code %u offset %u (%s)", code, offset, e.code,
	    e.offset, e.reason);
	ck_assert_uint_eq(m.hdr.id, 0x5a5a5a5a);
}

START_TEST(jtnc_version_request)
{
	struct pt_tls_msg m;
	size_t len;
	uint8_t *buf = load("pt-version-request.bin", &m, &len);

	ck_assert_uint_eq(len, 20);
	ck_assert_uint_eq(m.hdr.type, PT_TLS_VERSION_REQUEST);
	ck_assert_uint_eq(m.hdr.id, 1);
	ck_assert_uint_eq(m.u.version_request.min, 1);
	ck_assert_uint_eq(m.u.version_request.max, 1);
	ck_assert_uint_eq(m.u.version_request.preferred, 1);
	free(buf);
}
END_TEST

START_TEST(jtnc_version_response)
{
	struct pt_tls_msg m;
	size_t len;
	uint8_t *buf = load("pt-version-response.bin", &m, &len);

	ck_assert_uint_eq(m.hdr.type, PT_TLS_VERSION_RESPONSE);
	ck_assert_uint_eq(m.hdr.id, 2);
	ck_assert_uint_eq(m.hdr.length, 20);
	ck_assert_uint_eq(m.u.version, 1);
	free(buf);
}
END_TEST

START_TEST(jtnc_sasl_mechanisms)
{
	struct pt_tls_msg m;
	struct bytes list, name;
	size_t len;
	uint8_t *buf = load("pt-sasl-mechanisms.bin", &m, &len);

	ck_assert_uint_eq(m.hdr.type, PT_TLS_SASL_MECHANISMS);
	ck_assert_uint_eq(m.hdr.id, 3);
	ck_assert_uint_eq(m.hdr.length, 22);
	ck_assert_uint_eq(m.u.sasl_mechanisms.count, 1);
	list = m.u.sasl_mechanisms.list;
	ck_assert(pt_tls_sasl_mechanisms_next(&list, &name));
	ck_assert(bytes_eq_str(name, "PLAIN"));
	ck_assert(!pt_tls_sasl_mechanisms_next(&list, &name));
	free(buf);
}
END_TEST

START_TEST(jtnc_sasl_selection)
{
	struct pt_tls_msg m;
	size_t len;
	uint8_t *buf = load("pt-sasl-mechanism-selection.bin", &m, &len);

	ck_assert_uint_eq(m.hdr.type, PT_TLS_SASL_MECHANISM_SELECTION);
	ck_assert_uint_eq(m.hdr.id, 4);
	ck_assert(bytes_eq_str(m.u.sasl_selection.name, "PLAIN"));
	ck_assert(bytes_eq_str(m.u.sasl_selection.initial, "PWND"));
	ck_assert_ptr_eq(m.u.sasl_selection.initial.ptr, buf + len - 4);
	free(buf);
}
END_TEST

START_TEST(jtnc_sasl_authentication_data)
{
	struct pt_tls_msg m;
	size_t len;
	uint8_t *buf = load("pt-sasl-authentication-data.bin", &m, &len);

	ck_assert_uint_eq(m.hdr.type, PT_TLS_SASL_AUTHENTICATION_DATA);
	ck_assert_uint_eq(m.hdr.id, 5);
	ck_assert(bytes_eq_str(m.u.sasl_data, "PWND"));
	free(buf);
}
END_TEST

START_TEST(jtnc_error)
{
	struct pt_tls_msg m, orig;
	struct parse_error e;
	size_t len, rlen;
	uint8_t *buf = load("pt-error.bin", &m, &len);
	uint8_t *resp = tl_read_testdata("tnc-messages-jtnc/pt-version-response.bin", &rlen);

	ck_assert_uint_eq(m.hdr.type, PT_TLS_ERROR);
	ck_assert_uint_eq(m.hdr.id, 7);
	ck_assert_uint_eq(m.hdr.length, 44);
	ck_assert_uint_eq(m.u.error.vendor, PT_TLS_VENDOR_IETF);
	ck_assert_uint_eq(m.u.error.code, PT_TLS_ERROR_VERSION_NOT_SUPPORTED);
	assert_bytes(m.u.error.original, resp, rlen);
	/* The copy is itself a message. */
	ck_assert_int_eq(pt_tls_parse(m.u.error.original.ptr, m.u.error.original.len, &orig, &e), 0);
	ck_assert_uint_eq(orig.hdr.type, PT_TLS_VERSION_RESPONSE);
	free(resp);
	free(buf);
}
END_TEST

/* The PT-TLS framing is fine; the batch inside is a RESULT batch with D = 0,
 * which jtnc does not look at.  pb_batch_parse() refuses it: RESULT comes
 * only from a Posture Broker Server (RFC 5793 4.1), so Unexpected Batch
 * Type at the B-Type octet. */
START_TEST(jtnc_pb_batch)
{
	struct pt_tls_msg m;
	struct pb_batch b;
	struct parse_error e;
	size_t len, rlen;
	uint8_t *buf = load("pt-pb-batch.bin", &m, &len);
	uint8_t *rec = tl_read_testdata("tnc-messages-jtnc/pb-result-recommendation.bin", &rlen);
	const struct pb_limits lim = {MAX_MSG, 16, PB_DIR_ANY};

	ck_assert_uint_eq(m.hdr.type, PT_TLS_PB_TNC_BATCH);
	ck_assert_uint_eq(m.hdr.id, 8);
	ck_assert_uint_eq(m.hdr.length, 56);
	ck_assert_ptr_eq(m.u.batch.ptr, buf + PT_TLS_HEADER_LEN);
	ck_assert_uint_eq(m.u.batch.len, 40);
	ck_assert_uint_eq(rlen, 40);
	ck_assert_mem_eq(m.u.batch.ptr, rec, 1);
	ck_assert_mem_eq(m.u.batch.ptr + 2, rec + 2, 38);
	ck_assert_uint_eq(m.u.batch.ptr[1], rec[1] & ~PB_BATCH_FLAG_D);
	ck_assert_int_eq(pb_batch_parse(m.u.batch.ptr, m.u.batch.len, &lim, &b, &e), TNC_ETYPE);
	ck_assert_uint_eq(e.code, PB_ERROR_UNEXPECTED_BATCH_TYPE);
	ck_assert_uint_eq(e.offset, 3);
	free(rec);
	free(buf);
}
END_TEST

/* jtnc: "ValidationException at offset 4 (the message type field)"; RFC
 * 6876 3.9.1 calls an invalid header value Invalid Parameter. */
START_TEST(jtnc_bad_type)
{
	size_t len, need;
	struct parse_error e;
	uint8_t *buf = tl_read_testdata("tnc-messages-jtnc/pt-version-request-bad-type.bin", &len);

	ck_assert_int_eq(pt_tls_deframe(buf, len, MAX_MSG, &need, &e), 0);
	assert_fails(buf, len, TNC_EINVALID, PT_TLS_ERROR_INVALID_PARAMETER, 4);
	free(buf);
}
END_TEST

/* The strongSwan session went over PT-TLS: 310 octets of batch in a
 * 326-octet PB-TNC Batch message. */
START_TEST(strongswan_batch_framed)
{
	size_t len, need;
	struct wire_writer w;
	struct pt_tls_msg m;
	struct parse_error e;
	uint8_t *batch = tl_read_testdata("strongswan-session-os-swima/01-c2s-CDATA-310.bin", &len);

	wire_writer_init(&w, MAX_MSG);
	ck_assert_int_eq(pt_tls_put_pb_batch(&w, 1, (struct bytes){batch, len}), 0);
	ck_assert_uint_eq(w.len, 326);
	ck_assert_int_eq(pt_tls_deframe(w.buf, w.len, MAX_MSG, &need, &e), 0);
	ck_assert_int_eq(pt_tls_parse(w.buf, need, &m, &e), 0);
	assert_bytes(m.u.batch, batch, len);
	wire_writer_clear(&w);
	free(batch);
}
END_TEST

START_TEST(deframe_partial)
{
	uint8_t two[20 + 22];
	size_t need;
	struct parse_error e;
	struct wire_writer w;
	const struct bytes plain = B("PLAIN");

	wire_writer_init(&w, MAX_MSG);
	ck_assert_int_eq(pt_tls_put_version_request(&w, 0, 1, 1, 1), 0);
	ck_assert_int_eq(pt_tls_put_sasl_mechanisms(&w, 1, &plain, 1), 0);
	ck_assert_uint_eq(w.len, sizeof(two));
	memcpy(two, w.buf, w.len);
	wire_writer_clear(&w);
	/* Byte by byte: 16 wanted until the length field is in, then 20. */
	for (size_t n = 0; n < 20; n++) {
		need = 0;
		ck_assert_int_eq(pt_tls_deframe(two, n, MAX_MSG, &need, &e), TNC_EAGAIN);
		ck_assert_uint_eq(need, n < 12 ? 16 : 20);
	}
	/* A complete message, with or without the next one behind it. */
	ck_assert_int_eq(pt_tls_deframe(two, 20, MAX_MSG, &need, &e), 0);
	ck_assert_uint_eq(need, 20);
	ck_assert_int_eq(pt_tls_deframe(two, sizeof(two), MAX_MSG, &need, &e), 0);
	ck_assert_uint_eq(need, 20);
	ck_assert_int_eq(pt_tls_deframe(two + 20, 21, MAX_MSG, &need, &e), TNC_EAGAIN);
	ck_assert_uint_eq(need, 22);
	ck_assert_int_eq(pt_tls_deframe(two + 20, 22, MAX_MSG, &need, &e), 0);
	ck_assert_uint_eq(need, 22);
	/* A cap equal to the length is fine. */
	ck_assert_int_eq(pt_tls_deframe(two, 20, 20, &need, &e), 0);
}
END_TEST

START_TEST(deframe_bad_length)
{
	/* Only the first 12 octets have arrived: enough to refuse. */
	uint8_t h[12] = {0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 15};
	size_t need = 77;
	struct parse_error e;

	ck_assert_int_eq(pt_tls_deframe(h, sizeof(h), MAX_MSG, &need, &e), TNC_EINVALID);
	ck_assert_uint_eq(e.code, PT_TLS_ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(e.offset, 8);
	ck_assert_uint_eq(need, 77);
	h[11] = 0;
	ck_assert_int_eq(pt_tls_deframe(h, sizeof(h), MAX_MSG, &need, &e), TNC_EINVALID);
	/* One above the cap, and the largest length the field can hold. */
	h[8] = 0x00;
	h[9] = 0x01;
	h[10] = 0x00;
	h[11] = 0x01;
	ck_assert_int_eq(pt_tls_deframe(h, sizeof(h), MAX_MSG, &need, &e), TNC_ETOOLONG);
	ck_assert_uint_eq(e.code, PT_TLS_ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(e.offset, 8);
	memset(h + 8, 0xff, 4);
	ck_assert_int_eq(pt_tls_deframe(h, sizeof(h), MAX_MSG, &need, &e), TNC_ETOOLONG);
	ck_assert_uint_eq(need, 77);
}
END_TEST

START_TEST(bad_headers)
{
	/* Version Response, id 2; mutated below. */
	static const uint8_t ok[20] = {0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 20, 0, 0, 0, 2,
	    0, 0, 0, 1};
	uint8_t m[21];

	assert_fails(ok, 0, TNC_ETRUNCATED, PT_TLS_ERROR_INVALID_PARAMETER, 0);
	assert_fails(ok, 10, TNC_ETRUNCATED, PT_TLS_ERROR_INVALID_PARAMETER, 8);
	assert_fails(ok, 15, TNC_ETRUNCATED, PT_TLS_ERROR_INVALID_PARAMETER, 12);
	assert_fails(ok, 19, TNC_ETRUNCATED, PT_TLS_ERROR_INVALID_PARAMETER, 8);
	memcpy(m, ok, 20);
	m[20] = 0;
	assert_fails(m, 21, TNC_ETRAILING, PT_TLS_ERROR_INVALID_PARAMETER, 8);
	m[11] = 15;
	assert_fails(m, 20, TNC_EINVALID, PT_TLS_ERROR_INVALID_PARAMETER, 8);
	/* Vendor-specific and unknown IETF types: Type Not Supported, which RFC
	 * 6876 3.9.1 says to answer and then carry on. */
	memcpy(m, ok, 20);
	m[3] = 0x2a;
	assert_fails(m, 20, TNC_ETYPE, PT_TLS_ERROR_TYPE_NOT_SUPPORTED, 1);
	memcpy(m, ok, 20);
	m[7] = 9;
	assert_fails(m, 20, TNC_ETYPE, PT_TLS_ERROR_TYPE_NOT_SUPPORTED, 4);
	m[7] = PT_TLS_EXPERIMENTAL;
	assert_fails(m, 20, TNC_ETYPE, PT_TLS_ERROR_TYPE_NOT_SUPPORTED, 4);
	/* The reserved octet is ignored. */
	struct pt_tls_msg out;
	struct parse_error e;
	memcpy(m, ok, 20);
	m[0] = 0xff;
	m[16] = 0xff;
	ck_assert_int_eq(pt_tls_parse(m, 20, &out, &e), 0);
	ck_assert_uint_eq(out.u.version, 1);
}
END_TEST

/* A message of type type with the given value, in a static buffer. */
static const uint8_t *
msg(uint32_t type, const char *value, size_t vlen, size_t *ret_len)
{
	static uint8_t buf[256];
	struct wire_writer w;
	struct pt_tls_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.vendor = 0x0000ff; /* unknown vendor: the value goes out verbatim */
	m.hdr.type = type;
	m.hdr.id = 9;
	m.value = (struct bytes){(const uint8_t *)value, vlen};
	wire_writer_init(&w, sizeof(buf));
	ck_assert_int_eq(pt_tls_put(&w, &m), 0);
	memcpy(buf, w.buf, w.len);
	buf[3] = 0; /* now IETF */
	*ret_len = w.len;
	wire_writer_clear(&w);
	return buf;
}

START_TEST(bad_values)
{
	const uint8_t *m;
	size_t len;

	m = msg(PT_TLS_VERSION_REQUEST, "\0\1\1\1\0", 5, &len);
	assert_fails(m, len, TNC_EINVALID, PT_TLS_ERROR_MALFORMED_MESSAGE, 8);
	m = msg(PT_TLS_VERSION_REQUEST, "\0\2\1\1", 4, &len);
	assert_fails(m, len, TNC_EINVALID, PT_TLS_ERROR_MALFORMED_MESSAGE, 17);
	m = msg(PT_TLS_VERSION_REQUEST, "\0\1\2\3", 4, &len);
	assert_fails(m, len, TNC_EINVALID, PT_TLS_ERROR_MALFORMED_MESSAGE, 19);
	m = msg(PT_TLS_VERSION_RESPONSE, "\0\0\1", 3, &len);
	assert_fails(m, len, TNC_EINVALID, PT_TLS_ERROR_MALFORMED_MESSAGE, 8);
	/* SASL mechanisms: empty name, 21 octets, past the end, lower case in
	 * the second entry. */
	m = msg(PT_TLS_SASL_MECHANISMS, "\0", 1, &len);
	assert_fails(m, len, TNC_EINVALID, PT_TLS_ERROR_MALFORMED_MESSAGE, 16);
	m = msg(PT_TLS_SASL_MECHANISMS, "\x15" "ABCDEFGHIJKLMNOPQRSTU", 22, &len);
	assert_fails(m, len, TNC_EINVALID, PT_TLS_ERROR_MALFORMED_MESSAGE, 16);
	m = msg(PT_TLS_SASL_MECHANISMS, "\5PLAIN\6SCRAM", 12, &len);
	assert_fails(m, len, TNC_ETRUNCATED, PT_TLS_ERROR_MALFORMED_MESSAGE, 22);
	m = msg(PT_TLS_SASL_MECHANISMS, "\5PLAIN\4Plai", 11, &len);
	assert_fails(m, len, TNC_EINVALID, PT_TLS_ERROR_MALFORMED_MESSAGE, 24);
	m = msg(PT_TLS_SASL_MECHANISM_SELECTION, "", 0, &len);
	assert_fails(m, len, TNC_ETRUNCATED, PT_TLS_ERROR_MALFORMED_MESSAGE, 8);
	m = msg(PT_TLS_SASL_RESULT, "\0", 1, &len);
	assert_fails(m, len, TNC_ETRUNCATED, PT_TLS_ERROR_MALFORMED_MESSAGE, 8);
	m = msg(PT_TLS_SASL_RESULT, "\0\4", 2, &len);
	assert_fails(m, len, TNC_EINVALID, PT_TLS_ERROR_MALFORMED_MESSAGE, 16);
	m = msg(PT_TLS_ERROR, "\0\0\0\0\0\0\0", 7, &len);
	assert_fails(m, len, TNC_ETRUNCATED, PT_TLS_ERROR_MALFORMED_MESSAGE, 8);
	/* Reserved bits next to a mechanism length are ignored. */
	struct pt_tls_msg out;
	struct parse_error e;
	m = msg(PT_TLS_SASL_MECHANISMS, "\xe5PLAIN", 6, &len);
	ck_assert_int_eq(pt_tls_parse(m, len, &out, &e), 0);
	ck_assert_uint_eq(out.u.sasl_mechanisms.count, 1);
	/* An empty list says "no SASL"; so did strongSwan's 16-octet message. */
	m = msg(PT_TLS_SASL_MECHANISMS, "", 0, &len);
	ck_assert_uint_eq(len, 16);
	ck_assert_int_eq(pt_tls_parse(m, len, &out, &e), 0);
	ck_assert_uint_eq(out.u.sasl_mechanisms.count, 0);
}
END_TEST

START_TEST(encoders_round_trip)
{
	struct wire_writer w;
	struct pt_tls_msg m;
	struct parse_error e;
	struct bytes mechs[3] = {B("PLAIN"), B("SCRAM-SHA-256"), B("EXTERNAL")};
	uint8_t first[16];
	size_t off = 0, need;

	wire_writer_init(&w, MAX_MSG);
	ck_assert_int_eq(pt_tls_put_version_request(&w, 10, 1, 2, 1), 0);
	ck_assert_int_eq(pt_tls_put_version_response(&w, 11, 1), 0);
	ck_assert_int_eq(pt_tls_put_sasl_mechanisms(&w, 12, mechs, 3), 0);
	ck_assert_int_eq(pt_tls_put_sasl_mechanism_selection(&w, 13, mechs[1], B("n,,n=user")), 0);
	ck_assert_int_eq(pt_tls_put_sasl_authentication_data(&w, 14, B("c=biws")), 0);
	ck_assert_int_eq(pt_tls_put_sasl_result(&w, 15, PT_TLS_SASL_MECHANISM_FAILURE, B("v=x")), 0);
	ck_assert_int_eq(pt_tls_put_pb_batch(&w, 16,
	    (struct bytes){(const uint8_t *)"\2\0\0\6\0\0\0\10", 8}), 0);
	memcpy(first, w.buf, sizeof(first)); /* w.buf may move while appending */
	ck_assert_int_eq(pt_tls_put_error(&w, 17, 0, PT_TLS_ERROR_INVALID_MESSAGE,
	    (struct bytes){first, sizeof(first)}), 0);
	for (uint32_t id = 10; id <= 17; id++) {
		ck_assert_int_eq(pt_tls_deframe(w.buf + off, w.len - off, MAX_MSG, &need, &e), 0);
		ck_assert_int_eq(pt_tls_parse(w.buf + off, need, &m, &e), 0);
		ck_assert_uint_eq(m.hdr.id, id);
		ck_assert_uint_eq(m.hdr.type, id - 9);
		switch (m.hdr.type) {
		case PT_TLS_VERSION_REQUEST:
			ck_assert_uint_eq(m.u.version_request.max, 2);
			break;
		case PT_TLS_SASL_MECHANISMS: {
			struct bytes list = m.u.sasl_mechanisms.list, name;
			ck_assert_uint_eq(m.u.sasl_mechanisms.count, 3);
			for (int i = 0; i < 3; i++) {
				ck_assert(pt_tls_sasl_mechanisms_next(&list, &name));
				assert_bytes(name, mechs[i].ptr, mechs[i].len);
			}
			break;
		}
		case PT_TLS_SASL_MECHANISM_SELECTION:
			ck_assert(bytes_eq_str(m.u.sasl_selection.name, "SCRAM-SHA-256"));
			ck_assert(bytes_eq_str(m.u.sasl_selection.initial, "n,,n=user"));
			break;
		case PT_TLS_SASL_AUTHENTICATION_DATA:
			ck_assert(bytes_eq_str(m.u.sasl_data, "c=biws"));
			break;
		case PT_TLS_SASL_RESULT:
			ck_assert_uint_eq(m.u.sasl_result.code, PT_TLS_SASL_MECHANISM_FAILURE);
			ck_assert(bytes_eq_str(m.u.sasl_result.data, "v=x"));
			break;
		case PT_TLS_PB_TNC_BATCH:
			ck_assert_uint_eq(m.u.batch.len, 8);
			break;
		case PT_TLS_ERROR:
			ck_assert_uint_eq(m.u.error.code, PT_TLS_ERROR_INVALID_MESSAGE);
			assert_bytes(m.u.error.original, first, sizeof(first));
			break;
		default:
			break;
		}
		off += need;
	}
	ck_assert_uint_eq(off, w.len);
	wire_writer_clear(&w);
}
END_TEST

START_TEST(encoder_errors)
{
	struct wire_writer w;
	struct bytes bad[2] = {B("PLAIN"), B("plain")};
	char long_name[22];

	wire_writer_init(&w, MAX_MSG);
	ck_assert_int_eq(pt_tls_put_sasl_mechanisms(&w, 1, bad, 2), TNC_EINVALID);
	ck_assert_int_eq(pt_tls_put_sasl_mechanism_selection(&w, 1, B(""), B("")), TNC_EINVALID);
	memset(long_name, 'A', 21);
	long_name[21] = 0;
	ck_assert_int_eq(pt_tls_put_sasl_mechanism_selection(&w, 1, B(long_name), B("")), TNC_EINVALID);
	ck_assert_int_eq(pt_tls_put_error(&w, 1, 0x1000000, 1, B("")), TNC_EINVALID);
	ck_assert_uint_eq(w.len, 0); /* nothing appended */
	wire_writer_clear(&w);
	wire_writer_init(&w, 20);
	ck_assert_int_eq(pt_tls_put_pb_batch(&w, 1, B("12345")), TNC_ETOOLONG);
	wire_writer_clear(&w);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(pt_tls_msg_type_name(0, PT_TLS_VERSION_REQUEST), "Version Request");
	ck_assert_str_eq(pt_tls_msg_type_name(0, PT_TLS_PB_TNC_BATCH), "PB-TNC Batch");
	ck_assert_str_eq(pt_tls_msg_type_name(0, PT_TLS_ERROR), "PT-TLS Error");
	ck_assert_str_eq(pt_tls_msg_type_name(0, 9), "unknown");
	ck_assert_str_eq(pt_tls_msg_type_name(1, 1), "unknown");
	ck_assert_str_eq(pt_tls_error_code_name(0, PT_TLS_ERROR_INVALID_PARAMETER), "Invalid Parameter");
	ck_assert_str_eq(pt_tls_error_code_name(0, PT_TLS_ERROR_TYPE_NOT_SUPPORTED), "Type Not Supported");
	ck_assert_str_eq(pt_tls_error_code_name(0, 7), "unknown");
	ck_assert_str_eq(pt_tls_sasl_result_name(PT_TLS_SASL_ABORT), "Abort");
	ck_assert_str_eq(pt_tls_sasl_result_name(4), "unknown");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("pt_tls");
	TCase *vec = tcase_create("vectors");
	tcase_add_test(vec, jtnc_version_request);
	tcase_add_test(vec, jtnc_version_response);
	tcase_add_test(vec, jtnc_sasl_mechanisms);
	tcase_add_test(vec, jtnc_sasl_selection);
	tcase_add_test(vec, jtnc_sasl_authentication_data);
	tcase_add_test(vec, jtnc_error);
	tcase_add_test(vec, jtnc_pb_batch);
	tcase_add_test(vec, jtnc_bad_type);
	tcase_add_test(vec, strongswan_batch_framed);
	suite_add_tcase(s, vec);
	TCase *codec = tcase_create("codec");
	tcase_add_test(codec, deframe_partial);
	tcase_add_test(codec, deframe_bad_length);
	tcase_add_test(codec, bad_headers);
	tcase_add_test(codec, bad_values);
	tcase_add_test(codec, encoders_round_trip);
	tcase_add_test(codec, encoder_errors);
	tcase_add_test(codec, names);
	suite_add_tcase(s, codec);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
