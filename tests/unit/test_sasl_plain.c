/* test_sasl_plain.c - the SASL PLAIN codec (RFC 4616): the three fields,
 * empty and oversized fields, missing NULs, UTF-8, authzid, encoding. */
#include <string.h>

#include "sasl_plain.h"
#include "testlib.h"

#define B(s) ((struct bytes){(const uint8_t *)(s), sizeof(s) - 1})

static int
parse(struct bytes msg, struct sasl_plain *p, struct parse_error *e)
{
	memset(e, 0, sizeof(*e));
	return sasl_plain_parse(msg, p, e);
}

START_TEST(good_message_splits_into_fields)
{
	struct sasl_plain p;
	struct parse_error e;
	ck_assert_int_eq(parse(B("alice\0alice\0correct horse"), &p, &e), 0);
	ck_assert_uint_eq(p.authzid.len, 5);
	ck_assert_uint_eq(p.authcid.len, 5);
	ck_assert(memcmp(p.authcid.ptr, "alice", 5) == 0);
	ck_assert_uint_eq(p.passwd.len, 13);
	ck_assert(memcmp(p.passwd.ptr, "correct horse", 13) == 0);
	ck_assert(sasl_plain_authzid_ok(&p));
	/* no authzid */
	ck_assert_int_eq(parse(B("\0bob\0x"), &p, &e), 0);
	ck_assert_uint_eq(p.authzid.len, 0);
	ck_assert(sasl_plain_authzid_ok(&p));
	/* UTF-8 names and passwords */
	ck_assert_int_eq(parse(B("\0J\xc3\xbcrgen\0\xe2\x82\xac\xf0\x9f\x94\x91"), &p, &e), 0);
	ck_assert_uint_eq(p.authcid.len, 7);
}
END_TEST

START_TEST(empty_fields_are_refused)
{
	struct sasl_plain p;
	struct parse_error e;
	ck_assert_int_eq(parse(B("\0\0pw"), &p, &e), TNC_EINVALID);
	ck_assert_str_eq(e.reason, "authcid is empty");
	ck_assert_uint_eq(e.offset, 1);
	ck_assert_int_eq(parse(B("\0alice\0"), &p, &e), TNC_EINVALID);
	ck_assert_str_eq(e.reason, "passwd is empty");
	ck_assert_uint_eq(e.offset, 7);
	ck_assert_int_eq(parse((struct bytes){NULL, 0}, &p, &e), TNC_ETRUNCATED);
}
END_TEST

START_TEST(missing_nuls_are_refused)
{
	struct sasl_plain p;
	struct parse_error e;
	ck_assert_int_eq(parse(B("alice"), &p, &e), TNC_ETRUNCATED);
	ck_assert_str_eq(e.reason, "PLAIN message without its two NUL separators");
	ck_assert_int_eq(parse(B("\0alice"), &p, &e), TNC_ETRUNCATED);
	/* a third NUL lies inside the password */
	ck_assert_int_eq(parse(B("\0alice\0pass\0word"), &p, &e), TNC_EINVALID);
	ck_assert_uint_eq(e.offset, 11);
}
END_TEST

START_TEST(oversized_fields_are_refused)
{
	uint8_t msg[SASL_PLAIN_MSG_MAX + 2];
	struct sasl_plain p;
	struct parse_error e;

	/* 255 octets each: the largest message */
	memset(msg, 'a', sizeof(msg));
	msg[255] = 0;
	msg[511] = 0;
	ck_assert_int_eq(parse((struct bytes){msg, SASL_PLAIN_MSG_MAX}, &p, &e), 0);
	ck_assert_uint_eq(p.authzid.len, 255);
	ck_assert_uint_eq(p.passwd.len, 255);
	/* 256 in each place */
	ck_assert_int_eq(parse((struct bytes){msg, SASL_PLAIN_MSG_MAX + 1}, &p, &e), TNC_ETOOLONG);
	ck_assert_str_eq(e.reason, "passwd longer than 255 octets");
	memset(msg, 'a', sizeof(msg));
	msg[256] = 0;
	msg[300] = 0;
	ck_assert_int_eq(parse((struct bytes){msg, 310}, &p, &e), TNC_ETOOLONG);
	ck_assert_str_eq(e.reason, "authzid longer than 255 octets");
	msg[0] = 0;
	msg[256] = 'a';
	msg[257] = 0;
	ck_assert_int_eq(parse((struct bytes){msg, 300}, &p, &e), TNC_ETOOLONG);
	ck_assert_str_eq(e.reason, "authcid longer than 255 octets");
}
END_TEST

START_TEST(bad_utf8_is_refused)
{
	struct sasl_plain p;
	struct parse_error e;
	ck_assert_int_eq(parse(B("\0al\xffice\0pw"), &p, &e), TNC_EINVALID);
	ck_assert_str_eq(e.reason, "authcid is not UTF-8");
	ck_assert_uint_eq(e.offset, 3);
	ck_assert_int_eq(parse(B("\xc0\xaf\0alice\0pw"), &p, &e), TNC_EINVALID); /* overlong */
	ck_assert_str_eq(e.reason, "authzid is not UTF-8");
	ck_assert_int_eq(parse(B("\0alice\0\xed\xa0\x80"), &p, &e), TNC_EINVALID); /* surrogate */
	ck_assert_int_eq(parse(B("\0alice\0\xf4\x90\x80\x80"), &p, &e), TNC_EINVALID); /* > U+10FFFF */
	ck_assert_int_eq(parse(B("\0alice\0\xe2\x82"), &p, &e), TNC_EINVALID); /* cut short */
	ck_assert(!sasl_utf8_ok(B("\xf8\x88\x80\x80\x80")));
	ck_assert(sasl_utf8_ok(B("\xf4\x8f\xbf\xbf")));
}
END_TEST

START_TEST(authzid_other_than_authcid_is_refused)
{
	struct sasl_plain p;
	struct parse_error e;
	ck_assert_int_eq(parse(B("bob\0alice\0pw"), &p, &e), 0);
	ck_assert(!sasl_plain_authzid_ok(&p));
	ck_assert_int_eq(parse(B("alic\0alice\0pw"), &p, &e), 0);
	ck_assert(!sasl_plain_authzid_ok(&p));
	ck_assert_int_eq(parse(B("alicex\0alice\0pw"), &p, &e), 0);
	ck_assert(!sasl_plain_authzid_ok(&p));
}
END_TEST

START_TEST(encoder_round_trips_and_refuses_what_parse_refuses)
{
	struct wire_writer w;
	struct sasl_plain p;
	struct parse_error e;
	uint8_t long_name[256];

	wire_writer_init(&w, 1024);
	ck_assert_int_eq(sasl_plain_put(&w, (struct bytes){NULL, 0}, B("alice"), B("pw")), 0);
	ck_assert_uint_eq(w.len, 9);
	ck_assert(memcmp(w.buf, "\0alice\0pw", 9) == 0);
	ck_assert_int_eq(parse((struct bytes){w.buf, w.len}, &p, &e), 0);
	wire_writer_clear(&w);
	memset(long_name, 'a', sizeof(long_name));
	wire_writer_init(&w, 1024);
	ck_assert_int_eq(sasl_plain_put(&w, (struct bytes){NULL, 0},
	    (struct bytes){long_name, 256}, B("pw")), TNC_EINVALID);
	ck_assert_int_eq(sasl_plain_put(&w, (struct bytes){NULL, 0}, B(""), B("pw")), TNC_EINVALID);
	ck_assert_int_eq(sasl_plain_put(&w, (struct bytes){NULL, 0}, B("a"), B("p\0w")), TNC_EINVALID);
	ck_assert_uint_eq(w.len, 0);
	wire_writer_clear(&w);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sasl_plain");
	TCase *tc = tcase_create("codec");
	tcase_add_test(tc, good_message_splits_into_fields);
	tcase_add_test(tc, empty_fields_are_refused);
	tcase_add_test(tc, missing_nuls_are_refused);
	tcase_add_test(tc, oversized_fields_are_refused);
	tcase_add_test(tc, bad_utf8_is_refused);
	tcase_add_test(tc, authzid_other_than_authcid_is_refused);
	tcase_add_test(tc, encoder_round_trips_and_refuses_what_parse_refuses);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
