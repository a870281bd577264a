/* test_imv_endpoint.c - what the IMVs learn of the endpoint from IETF/
 * Operating System messages (imv/imv_endpoint.h): texts made printable and
 * cut, a Device ID kept exactly or not at all, the product as "name
 * version", and the reading of a whole message as the SWIMA and
 * Attestation IMVs do it. */
#include <string.h>

#include "imv_endpoint.h"
#include "pa_ietf.h"
#include "pa_tnc.h"
#include "testlib.h"

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

START_TEST(text_copy_makes_printable_and_cuts)
{
	char text[8];
	ck_assert(imv_text_copy(text, sizeof(text), B("a\tb\x7f" "c")));
	ck_assert_str_eq(text, "a?b?c");
	ck_assert(!imv_text_copy(text, 4, B("abcdef")));
	ck_assert_str_eq(text, "abc");
	ck_assert(imv_text_copy(text, 1, B("")));
	ck_assert_str_eq(text, "");
}
END_TEST

START_TEST(device_id_exactly_or_not_at_all)
{
	char id[8] = "old";
	ck_assert(imv_device_id_copy(id, sizeof(id), B("dev-1")));
	ck_assert_str_eq(id, "dev-1");
	ck_assert(imv_device_id_copy(id, sizeof(id), B("1234567"))); /* size - 1 fits */
	ck_assert_str_eq(id, "1234567");
	ck_assert(!imv_device_id_copy(id, sizeof(id), B("12345678"))); /* cut: another device */
	ck_assert_str_eq(id, "");
	strcpy(id, "old");
	ck_assert(!imv_device_id_copy(id, sizeof(id), B("de\tv")));
	ck_assert_str_eq(id, "");
	strcpy(id, "old");
	ck_assert(!imv_device_id_copy(id, sizeof(id), B("")));
	ck_assert_str_eq(id, "");
}
END_TEST

START_TEST(product_is_name_and_version)
{
	char p[64];
	imv_endpoint_product(p, sizeof(p), "Debian", true, "12 x86_64");
	ck_assert_str_eq(p, "Debian 12 x86_64");
	imv_endpoint_product(p, sizeof(p), "Debian", false, "12 x86_64");
	ck_assert_str_eq(p, "Debian");
	imv_endpoint_product(p, sizeof(p), "Debian", true, "");
	ck_assert_str_eq(p, "Debian ");
}
END_TEST

/* An Operating System message of the attributes given (name NULL: none). */
static struct bytes
os_message(struct pa_tnc_builder *b, struct bytes name, const char *version, const char *device)
{
	struct bytes msg;
	pa_tnc_builder_init(b, 1, 65536);
	if (name.ptr) {
		struct pa_ietf_product_info p = {9586, 0, name};
		pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION);
		pa_ietf_product_info_encode(&b->w, &p);
		pa_tnc_builder_end(b);
	}
	if (version) {
		struct pa_ietf_string_version v = {B(version), B(""), B("")};
		pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_STRING_VERSION);
		pa_ietf_string_version_encode(&b->w, &v);
		pa_tnc_builder_end(b);
	}
	if (device) {
		pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_ITA, PA_ITA_DEVICE_ID);
		pa_ietf_device_id_encode(&b->w, B(device));
		pa_tnc_builder_end(b);
	}
	ck_assert_int_eq(pa_tnc_builder_finish(b, &msg), 0);
	return msg;
}

START_TEST(read_takes_product_version_and_device)
{
	struct imv_endpoint e;
	struct pa_tnc_builder b;
	char product[2 * IMV_ENDPOINT_TEXT_MAX];

	imv_endpoint_clear(&e);
	ck_assert(!imv_endpoint_known(&e));
	struct bytes m = os_message(&b, B("Debian"), NULL, NULL);
	imv_endpoint_read(&e, m.ptr, m.len);
	pa_tnc_builder_clear(&b);
	ck_assert(e.have_product);
	ck_assert(!imv_endpoint_known(&e)); /* no device yet */

	m = os_message(&b, (struct bytes){0}, "12 x86_64", "dev-1");
	imv_endpoint_read(&e, m.ptr, m.len);
	pa_tnc_builder_clear(&b);
	ck_assert(imv_endpoint_known(&e));
	ck_assert_str_eq(e.device, "dev-1");
	imv_endpoint_product(product, sizeof(product), e.product, e.have_version, e.version);
	ck_assert_str_eq(product, "Debian 12 x86_64");

	imv_endpoint_clear(&e);
	ck_assert(!e.have_product && !e.have_version && !e.device[0]);
}
END_TEST

START_TEST(read_ignores_what_it_cannot_use)
{
	static uint8_t long_name[IMV_ENDPOINT_TEXT_MAX];
	struct imv_endpoint e;
	struct pa_tnc_builder b;

	memset(long_name, 'x', sizeof(long_name));
	imv_endpoint_clear(&e);
	/* a name that does not fit is no product: a cut one would be another */
	struct bytes m = os_message(&b, (struct bytes){long_name, sizeof(long_name)}, NULL,
	    "dev\x01");
	imv_endpoint_read(&e, m.ptr, m.len);
	ck_assert(!e.have_product);
	ck_assert_str_eq(e.device, "");
	/* a message that does not parse is the OS IMV's to answer */
	imv_endpoint_read(&e, m.ptr, m.len - 1);
	pa_tnc_builder_clear(&b);
	m = os_message(&b, B("Debian"), NULL, "dev-1");
	imv_endpoint_read(&e, m.ptr, 7);
	ck_assert(!e.have_product);
	ck_assert(!imv_endpoint_known(&e));
	imv_endpoint_read(&e, m.ptr, m.len);
	pa_tnc_builder_clear(&b);
	ck_assert(imv_endpoint_known(&e));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("imv_endpoint");
	TCase *tc = tcase_create("endpoint");
	tcase_add_test(tc, text_copy_makes_printable_and_cuts);
	tcase_add_test(tc, device_id_exactly_or_not_at_all);
	tcase_add_test(tc, product_is_name_and_version);
	tcase_add_test(tc, read_takes_product_version_and_device);
	tcase_add_test(tc, read_ignores_what_it_cannot_use);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
