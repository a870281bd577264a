/* test_pb_pdp.c - the PDP Identifier of a TCG PB-PDP-Referral (pb_pdp.h):
 * built and read back for a name and an IPv4 address, octet by octet, and
 * each malformed identifier refused with its reason. */
#include <string.h>

#include "pb_pdp.h"
#include "testlib.h"

#define ID(lit) ((struct bytes){(const uint8_t *)(lit), sizeof(lit) - 1})

/* A name and an IPv4 address: built octet by octet, read back. */
START_TEST(built_and_read)
{
	static const struct {
		const char *host;
		uint16_t port;
		uint32_t type;
		struct bytes id;
	} cases[] = {
	    {"pdp.sw-tnc.test", 271, PB_PDP_ID_FQDN, ID("\x00\x06\x01\x0fpdp.sw-tnc.test")},
	    {"192.168.0.1", 4271, PB_PDP_ID_IPV4, ID("\x00\x06\x10\xaf\xc0\xa8\x00\x01")},
	};
	uint8_t id[PB_PDP_ID_MAX];
	struct pb_pdp pdp;
	const char *why;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t type = 99;
		int len = pb_pdp_build(cases[i].host, cases[i].port, id, sizeof(id), &type);
		ck_assert_int_eq(len, (int)cases[i].id.len);
		ck_assert_uint_eq(type, cases[i].type);
		ck_assert_mem_eq(id, cases[i].id.ptr, cases[i].id.len);
		const struct pb_pdp_referral r = {PB_VENDOR_TCG, type, {id, (size_t)len}};
		ck_assert_int_eq(pb_pdp_parse(&r, &pdp, &why), 0);
		ck_assert_str_eq(pdp.host, cases[i].host);
		ck_assert_uint_eq(pdp.port, cases[i].port);
		ck_assert_uint_eq(pdp.protocol, PB_PDP_PROTOCOL_TCP);
		ck_assert_uint_eq(pdp.id_type, cases[i].type);
	}
}
END_TEST

START_TEST(names)
{
	char longest[PB_PDP_NAME_MAX + 2];
	static const char *const good[] = {"pdp", "moon.strongswan.org", "a-1.b2", "9pdp.example"};
	static const char *const bad[] = {"", ".", "a..b", "a.", ".a", "-a.b", "a-.b", "a_b.c",
	    "a b", "10.1.2", "1.2.3.4", "\xc3\xa4.example"};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(pb_pdp_name_valid(good[i]), "'%s' refused", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!pb_pdp_name_valid(bad[i]), "'%s' taken", bad[i]);
	/* 63-octet labels at most; 253 octets in all */
	char label[65];
	memset(label, 'a', 64);
	label[64] = 0;
	ck_assert(!pb_pdp_name_valid(label));
	label[63] = 0;
	ck_assert(pb_pdp_name_valid(label));
	for (size_t i = 0; i < sizeof(longest) - 1; i++)
		longest[i] = i % 2 ? '.' : 'a';
	longest[PB_PDP_NAME_MAX] = 0;
	ck_assert(pb_pdp_name_valid(longest));
	longest[PB_PDP_NAME_MAX] = 'a';
	longest[PB_PDP_NAME_MAX + 1] = 0;
	ck_assert(!pb_pdp_name_valid(longest));
}
END_TEST

START_TEST(build_refusals)
{
	uint8_t id[PB_PDP_ID_MAX];
	uint32_t type;

	ck_assert_int_eq(pb_pdp_build("pdp.example", 0, id, sizeof(id), &type), TNC_EINVALID);
	ck_assert_int_eq(pb_pdp_build("pdp_example", 271, id, sizeof(id), &type), TNC_EINVALID);
	ck_assert_int_eq(pb_pdp_build("10.1.2", 271, id, sizeof(id), &type), TNC_EINVALID);
	ck_assert_int_eq(pb_pdp_build("pdp.example", 271, id, sizeof(id) - 1, &type),
	    TNC_EINVALID);
}
END_TEST

/* Each malformed identifier: refused, with its reason. */
START_TEST(parse_refusals)
{
	static const struct {
		struct pb_pdp_referral r;
		const char *why;
	} cases[] = {
	    {{0, PB_PDP_ID_FQDN, ID("\x00\x06\x01\x0fpdp")}, "PDP identifier type not known"},
	    {{PB_VENDOR_TCG, 2, ID("\x00\x06\x01\x0fpdp")}, "PDP identifier type not known"},
	    {{PB_VENDOR_TCG, PB_PDP_ID_FQDN, ID("\x00\x06\x01")},
		"PDP identifier shorter than its header"},
	    {{PB_VENDOR_TCG, PB_PDP_ID_IPV4, ID("\x00\x06\x01\x0f\x7f\x00\x00")},
		"IPv4 PDP identifier not 4 octets"},
	    {{PB_VENDOR_TCG, PB_PDP_ID_IPV4, ID("\x00\x06\x01\x0f\x7f\x00\x00\x01\x00")},
		"IPv4 PDP identifier not 4 octets"},
	    {{PB_VENDOR_TCG, PB_PDP_ID_FQDN, ID("\x00\x06\x01\x0f")},
		"PDP FQDN empty or longer than 253 octets"},
	    {{PB_VENDOR_TCG, PB_PDP_ID_FQDN, ID("\x00\x06\x01\x0fpdp\x00x")},
		"PDP FQDN not a DNS name"},
	    {{PB_VENDOR_TCG, PB_PDP_ID_FQDN, ID("\x00\x06\x01\x0fpdp/x")},
		"PDP FQDN not a DNS name"},
	};
	uint8_t long_id[PB_PDP_ID_MAX + 1];
	struct pb_pdp pdp;
	const char *why;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(pb_pdp_parse(&cases[i].r, &pdp, &why), TNC_EINVALID);
		ck_assert_str_eq(why, cases[i].why);
	}
	memset(long_id, 'a', sizeof(long_id));
	const struct pb_pdp_referral r = {PB_VENDOR_TCG, PB_PDP_ID_FQDN,
	    {long_id, sizeof(long_id)}};
	ck_assert_int_eq(pb_pdp_parse(&r, &pdp, &why), TNC_EINVALID);
	ck_assert_str_eq(why, "PDP FQDN empty or longer than 253 octets");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("pb_pdp");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, built_and_read);
	tcase_add_test(tc, names);
	tcase_add_test(tc, build_refusals);
	tcase_add_test(tc, parse_refusals);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
