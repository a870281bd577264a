/* test_pt_tls_errors.c - a raw client breaks the rules against the real
 * tncd: malformed and out-of-state PB-TNC batches get a CLOSE batch with a
 * fatal PB-Error carrying the RFC 5793 code and offset, the connection
 * ends, and the server keeps serving; PT-TLS violations get PT-TLS Errors. */
#include <stdlib.h>
#include <string.h>

#include "pb_tnc.h"
#include "testlib.h"
#include "tl_ptls.h"

static struct tl_tncd server;

static void
setup(void)
{
	tl_tncd_start(&server, NULL, true);
}

static void
teardown(void)
{
	tl_tncd_stop(&server);
}

/* Sends batch, expects a CLOSE batch whose only message is a fatal IETF
 * PB-Error with code and (for codes that carry one) offset; then EOF. */
static void
expect_pb_error(const uint8_t *batch, size_t n, uint16_t code, uint32_t offset)
{
	struct tl_ptls c;
	uint8_t *m;
	size_t len;
	ck_assert_int_eq(tl_ptls_connect(&c, server.port, 1), 0);
	ck_assert_int_eq(tl_ptls_send_batch(&c, batch, n), 0);
	ck_assert_msg(tl_ptls_recv(&c, &m, &len, 5000) == 0, "no answer to the bad batch");
	ck_assert_uint_eq(m[7], 7); /* PT-TLS PB-TNC Batch */
	struct pb_limits lim = {len, 16, PB_DIR_TO_CLIENT};
	struct pb_batch b;
	struct parse_error pe;
	ck_assert_int_eq(pb_batch_parse(m + 16, len - 16, &lim, &b, &pe), 0);
	ck_assert_uint_eq(b.type, PB_BATCH_CLOSE);
	ck_assert_uint_eq(b.count, 1);
	ck_assert_uint_eq(b.msgs[0].vendor, PB_VENDOR_IETF);
	ck_assert_uint_eq(b.msgs[0].type, PB_MSG_ERROR);
	ck_assert(b.msgs[0].u.error.flags & PB_ERROR_FLAG_FATAL);
	ck_assert_uint_eq(b.msgs[0].u.error.code, code);
	if (code == PB_ERROR_INVALID_PARAMETER || code == PB_ERROR_UNSUPPORTED_MANDATORY_MESSAGE)
		ck_assert_uint_eq(b.msgs[0].u.error.offset, offset);
	if (code == PB_ERROR_VERSION_NOT_SUPPORTED) {
		ck_assert_uint_eq(b.msgs[0].u.error.max_version, 2);
		ck_assert_uint_eq(b.msgs[0].u.error.min_version, 2);
	}
	pb_batch_clear(&b);
	free(m);
	ck_assert_msg(tl_ptls_closed(&c, 5000), "the server kept the connection open");
	tl_ptls_close(&c);
}

/* A well-behaved connection still gets a normal server batch. */
static void
expect_service(void)
{
	static const uint8_t cdata[] = {
		0x02, 0x00, 0x00, 0x01, 0, 0, 0, 39,          /* CDATA, 39 bytes */
		0x00, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 31,        /* Language-Preference */
		'A', 'c', 'c', 'e', 'p', 't', '-', 'L', 'a', 'n', 'g', 'u', 'a', 'g', 'e', ':',
		' ', 'e', 'n',
	};
	struct tl_ptls c;
	uint8_t *m;
	size_t len;
	ck_assert_int_eq(tl_ptls_connect(&c, server.port, 1), 0);
	ck_assert_int_eq(tl_ptls_send_batch(&c, cdata, sizeof(cdata)), 0);
	ck_assert_msg(tl_ptls_recv(&c, &m, &len, 10000) == 0, "no answer to a good batch");
	struct pb_limits lim = {len, 64, PB_DIR_TO_CLIENT};
	struct pb_batch b;
	struct parse_error pe;
	ck_assert_int_eq(pb_batch_parse(m + 16, len - 16, &lim, &b, &pe), 0);
	ck_assert_msg(b.type == PB_BATCH_SDATA || b.type == PB_BATCH_RESULT, "got %s",
	    pb_batch_type_name(b.type));
	pb_batch_clear(&b);
	free(m);
	tl_ptls_close(&c);
}

/* The type of the next server batch on c; -1 on error. */
static int
next_batch_type(struct tl_ptls *c)
{
	uint8_t *m;
	size_t len;
	struct pb_batch b;
	struct parse_error pe;
	if (tl_ptls_recv(c, &m, &len, 10000) != 0)
		return -1;
	struct pb_limits lim = {len, 64, PB_DIR_TO_CLIENT};
	int type = pb_batch_parse(m + 16, len - 16, &lim, &b, &pe) == 0 ? b.type : -1;
	if (type >= 0)
		pb_batch_clear(&b);
	free(m);
	return type;
}

/* RFC 5793 3.2: after RESULT a client may ask for a new assessment. */
START_TEST(cretry_after_result_starts_over)
{
	static const uint8_t cdata_lang[] = {0x02, 0x00, 0x00, 0x01, 0, 0, 0, 39,
		0x00, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 31,
		'A', 'c', 'c', 'e', 'p', 't', '-', 'L', 'a', 'n', 'g', 'u', 'a', 'g', 'e', ':',
		' ', 'e', 'n'};
	static const uint8_t cdata_empty[] = {0x02, 0x00, 0x00, 0x01, 0, 0, 0, 8};
	static const uint8_t cretry[] = {0x02, 0x00, 0x00, 0x04, 0, 0, 0, 8};
	struct tl_ptls c;
	ck_assert_int_eq(tl_ptls_connect(&c, server.port, 1), 0);
	ck_assert_int_eq(tl_ptls_send_batch(&c, cdata_lang, sizeof(cdata_lang)), 0);
	/* the OS IMV asks for what it was not told */
	ck_assert_int_eq(next_batch_type(&c), PB_BATCH_SDATA);
	/* nothing more from this client: the IMVs are asked to decide */
	ck_assert_int_eq(tl_ptls_send_batch(&c, cdata_empty, sizeof(cdata_empty)), 0);
	ck_assert_int_eq(next_batch_type(&c), PB_BATCH_RESULT);
	/* CRETRY in Decided: a new handshake, the OS IMV asks again */
	ck_assert_int_eq(tl_ptls_send_batch(&c, cretry, sizeof(cretry)), 0);
	ck_assert_int_eq(next_batch_type(&c), PB_BATCH_SDATA);
	ck_assert(tl_log_contains(&server, "restarts the assessment of Connection ID", 2000));
	/* CRETRY while the server already answered with SDATA is allowed too;
	 * a second RESULT-type batch from a client never is */
	static const uint8_t result[] = {0x02, 0x00, 0x00, 0x03, 0, 0, 0, 8};
	ck_assert_int_eq(tl_ptls_send_batch(&c, result, sizeof(result)), 0);
	ck_assert_int_eq(next_batch_type(&c), PB_BATCH_CLOSE);
	tl_ptls_close(&c);
}
END_TEST

/* A batch far above the IPC default frame size still reaches tnccs whole:
 * 600 KB of PB-Experimental (skipped, no NOSKIP) after the language. */
START_TEST(large_batch_crosses_to_tnccs)
{
	enum { PAD = 600000, LEN = 8 + 31 + 12 + PAD };
	uint8_t *b = calloc(1, LEN);
	static const uint8_t head[] = {0x02, 0x00, 0x00, 0x01, LEN >> 24, (LEN >> 16) & 0xff,
		(LEN >> 8) & 0xff, LEN & 0xff,
		0x00, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 31,
		'A', 'c', 'c', 'e', 'p', 't', '-', 'L', 'a', 'n', 'g', 'u', 'a', 'g', 'e', ':',
		' ', 'e', 'n',
		0x00, 0, 0, 0, 0, 0, 0, 0, (PAD + 12) >> 24, ((PAD + 12) >> 16) & 0xff,
		((PAD + 12) >> 8) & 0xff, (PAD + 12) & 0xff};
	ck_assert_ptr_nonnull(b);
	memcpy(b, head, sizeof(head));
	struct tl_ptls c;
	ck_assert_int_eq(tl_ptls_connect(&c, server.port, 1), 0);
	ck_assert_int_eq(tl_ptls_send_batch(&c, b, LEN), 0);
	int type = next_batch_type(&c);
	ck_assert_msg(type == PB_BATCH_SDATA || type == PB_BATCH_RESULT, "got %d", type);
	ck_assert(tl_log_contains(&server, "received TNCCS batch (600051 bytes)", 1000));
	tl_ptls_close(&c);
	free(b);
}
END_TEST

START_TEST(wrong_version)
{
	static const uint8_t b[] = {0x03, 0x00, 0x00, 0x01, 0, 0, 0, 8};
	expect_pb_error(b, sizeof(b), PB_ERROR_VERSION_NOT_SUPPORTED, 0);
	expect_service();
}
END_TEST

START_TEST(batch_length_mismatch)
{
	static const uint8_t b[] = {0x02, 0x00, 0x00, 0x01, 0, 0, 0, 40};
	expect_pb_error(b, sizeof(b), PB_ERROR_INVALID_PARAMETER, 4);
	expect_service();
}
END_TEST

START_TEST(message_length_past_the_end)
{
	/* CDATA of 20 bytes whose one message claims 100 */
	static const uint8_t b[] = {0x02, 0x00, 0x00, 0x01, 0, 0, 0, 20,
	    0x00, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 100};
	expect_pb_error(b, sizeof(b), PB_ERROR_INVALID_PARAMETER, 16);
	expect_service();
}
END_TEST

START_TEST(unknown_mandatory_message)
{
	/* a PB-Language-Preference, then vendor 0x000099 type 7 with NOSKIP at offset 23 */
	static const uint8_t b[] = {0x02, 0x00, 0x00, 0x01, 0, 0, 0, 35,
	    0x00, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 15, 'e', 'n', ' ',
	    0x80, 0x00, 0x00, 0x99, 0, 0, 0, 7, 0, 0, 0, 12};
	expect_pb_error(b, sizeof(b), PB_ERROR_UNSUPPORTED_MANDATORY_MESSAGE, 23);
	expect_service();
}
END_TEST

START_TEST(out_of_state_batch)
{
	/* a client may not open with RESULT (nor with SDATA, a server type) */
	static const uint8_t result[] = {0x02, 0x00, 0x00, 0x03, 0, 0, 0, 8};
	expect_pb_error(result, sizeof(result), PB_ERROR_UNEXPECTED_BATCH_TYPE, 0);
	static const uint8_t cretry[] = {0x02, 0x00, 0x00, 0x04, 0, 0, 0, 8};
	expect_pb_error(cretry, sizeof(cretry), PB_ERROR_UNEXPECTED_BATCH_TYPE, 0);
	expect_service();
}
END_TEST

START_TEST(pt_tls_violations)
{
	struct tl_ptls c;
	uint8_t *m;
	size_t len;
	/* a Message Length below 16: PT-TLS Error, connection closed */
	static const uint8_t short_len[16] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 8, 0, 0, 0, 0};
	ck_assert_int_eq(tl_ptls_connect(&c, server.port, 0), 0);
	ck_assert_int_eq(tl_ptls_send_raw(&c, short_len, sizeof(short_len)), 0);
	ck_assert_int_eq(tl_ptls_recv(&c, &m, &len, 5000), 0);
	ck_assert_uint_eq(m[7], 8); /* PT-TLS Error */
	ck_assert_uint_eq(m[23], 6); /* Invalid Parameter */
	free(m);
	ck_assert(tl_ptls_closed(&c, 5000));
	tl_ptls_close(&c);
	/* only version 2 wanted: Version Not Supported */
	static const uint8_t v2[20] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 20, 0, 0, 0, 0, 0, 2, 2, 2};
	ck_assert_int_eq(tl_ptls_connect(&c, server.port, 0), 0);
	ck_assert_int_eq(tl_ptls_send_raw(&c, v2, sizeof(v2)), 0);
	ck_assert_int_eq(tl_ptls_recv(&c, &m, &len, 5000), 0);
	ck_assert_uint_eq(m[7], 8);
	ck_assert_uint_eq(m[23], 2); /* Version Not Supported */
	free(m);
	ck_assert(tl_ptls_closed(&c, 5000));
	tl_ptls_close(&c);
	expect_service();
	ck_assert(tl_log_contains(&server, "[TNC] Connection ID", 1000));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("pt_tls_errors");
	TCase *tc = tcase_create("errors");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, wrong_version);
	tcase_add_test(tc, batch_length_mismatch);
	tcase_add_test(tc, message_length_past_the_end);
	tcase_add_test(tc, unknown_mandatory_message);
	tcase_add_test(tc, out_of_state_batch);
	tcase_add_test(tc, pt_tls_violations);
	tcase_add_test(tc, cretry_after_result_starts_over);
	tcase_add_test(tc, large_batch_crosses_to_tnccs);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
