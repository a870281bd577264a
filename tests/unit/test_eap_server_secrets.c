/* test_eap_server_secrets.c - the EAP-MD5 secrets file of the EAP server
 * (ike/credentials/eap_secrets.h): the format, each refusal with its line
 * and reason (never the secret), the lookup, loading from a file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eap_secrets.h"
#include "testlib.h"

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

static void
assert_secret(const struct eap_secrets *s, const char *identity, const char *secret)
{
	struct bytes got;
	ck_assert_int_eq(eap_secrets_find(s, B(identity), &got), 0);
	ck_assert_uint_eq(got.len, strlen(secret));
	ck_assert_mem_eq(got.ptr, secret, got.len);
}

START_TEST(test_parse_and_find)
{
	static const char text[] =
	    "# EAP-MD5 secrets of tnc-ike\n"
	    "\n"
	    "carol@strongswan.org : \"Ar3etTnp\"\n"
	    "  dave@strongswan.org:\"W7R0g3do\"   \n"
	    "\tcarol:\"a b:c#d\"\n"
	    "# the end";
	struct eap_secrets s = {0};
	char err[256] = "";
	ck_assert_int_eq(eap_secrets_parse(text, strlen(text), "f", &s, err, sizeof(err)), 0);
	ck_assert_uint_eq(s.n, 3);
	assert_secret(&s, "carol@strongswan.org", "Ar3etTnp");
	assert_secret(&s, "dave@strongswan.org", "W7R0g3do");
	assert_secret(&s, "carol", "a b:c#d");
	ck_assert_uint_eq(s.v[1].line, 4);
	struct bytes got = {0};
	ck_assert_int_eq(eap_secrets_find(&s, B("carol@strongswan.or"), &got), TNC_ENOTFOUND);
	ck_assert_int_eq(eap_secrets_find(&s, B("carol@strongswan.orgx"), &got), TNC_ENOTFOUND);
	ck_assert_int_eq(eap_secrets_find(&s, B(""), &got), TNC_ENOTFOUND);
	ck_assert_ptr_null(got.ptr);
	eap_secrets_clear(&s);
	ck_assert_uint_eq(s.n, 0);
	ck_assert_ptr_null(s.v);
}
END_TEST

static void
assert_refused(const char *text, const char *want)
{
	struct eap_secrets s = {0};
	char err[256] = "";
	ck_assert_int_eq(eap_secrets_parse(text, strlen(text), "f", &s, err, sizeof(err)),
	    TNC_ECONFIG);
	ck_assert_str_eq(err, want);
	ck_assert_uint_eq(s.n, 0);
	ck_assert_ptr_null(s.v);
}

START_TEST(test_refusals)
{
	assert_refused("a \"x\"\n", "f:1: no ':' between identity and secret");
	assert_refused("# c\n : \"x\"\n", "f:2: empty identity");
	assert_refused("a b : \"x\"\n", "f:1: identity holds a control character, a blank, ':' or '\"'");
	assert_refused("a : x\n", "f:1: the secret is not in double quotes");
	assert_refused("a : \"x\n", "f:1: the secret is not in double quotes");
	assert_refused("a : \"\"\n", "f:1: the secret is empty or longer than 255 octets");
	assert_refused("a : \"x\"y\"\n", "f:1: the secret holds a control character or '\"'");
	assert_refused("a : \"x\ty\"\n", "f:1: the secret holds a control character or '\"'");
	assert_refused("a : \"x\"\nb : \"y\"\na : \"z\"\n",
	    "f:3: identity 'a' is listed twice (first at line 1)");
	char line[700];
	memset(line, 'i', 256);
	snprintf(line + 256, sizeof(line) - 256, " : \"x\"\n");
	assert_refused(line, "f:1: identity longer than 255 octets");
	snprintf(line, sizeof(line), "a : \"");
	memset(line + 5, 's', 256);
	snprintf(line + 261, sizeof(line) - 261, "\"\n");
	assert_refused(line, "f:1: the secret is empty or longer than 255 octets");
	memset(line, 'x', 601);
	line[601] = 0;
	assert_refused(line, "f:1: line longer than 600 octets");
}
END_TEST

/* 255 octets each way is the most; the secret never shows in a reason. */
START_TEST(test_bounds)
{
	char text[600];
	memset(text, 'i', 255);
	snprintf(text + 255, sizeof(text) - 255, " : \"");
	size_t at = strlen(text);
	memset(text + at, 's', 255);
	snprintf(text + at + 255, sizeof(text) - at - 255, "\"\n");
	struct eap_secrets s = {0};
	char err[256] = "";
	ck_assert_int_eq(eap_secrets_parse(text, strlen(text), "f", &s, err, sizeof(err)), 0);
	ck_assert_uint_eq(s.v[0].identity_len, 255);
	ck_assert_uint_eq(s.v[0].secret_len, 255);
	eap_secrets_clear(&s);

	/* A bad line after a good one: the good secret is not quoted. */
	static const char two[] = "carol : \"Ar3etTnp\"\ndave : Ar3etTnq\n";
	ck_assert_int_eq(eap_secrets_parse(two, strlen(two), "f", &s, err, sizeof(err)), TNC_ECONFIG);
	ck_assert_ptr_null(strstr(err, "Ar3et"));
}
END_TEST

START_TEST(test_entry_bound)
{
	size_t cap = (EAP_SECRETS_ENTRIES_MAX + 1) * 16;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	size_t len = 0;
	for (unsigned i = 0; i <= EAP_SECRETS_ENTRIES_MAX; i++)
		len += (size_t)snprintf(text + len, cap - len, "u%u:\"s\"\n", i);
	struct eap_secrets s = {0};
	char err[256] = "";
	ck_assert_int_eq(eap_secrets_parse(text, len, "f", &s, err, sizeof(err)), TNC_ECONFIG);
	ck_assert_str_eq(err, "f:10001: more than 10000 identities");
	/* One fewer: all taken, the last one found. */
	len -= strlen("u10000:\"s\"\n");
	ck_assert_int_eq(eap_secrets_parse(text, len, "f", &s, err, sizeof(err)), 0);
	ck_assert_uint_eq(s.n, EAP_SECRETS_ENTRIES_MAX);
	assert_secret(&s, "u9999", "s");
	eap_secrets_clear(&s);
	free(text);
}
END_TEST

START_TEST(test_load)
{
	char dir[] = "/tmp/tnc-eap-secrets-XXXXXX";
	tl_mkdtemp(dir);
	char path[256];
	snprintf(path, sizeof(path), "%s/eap-secrets", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("carol@strongswan.org : \"Ar3etTnp\"\n", f);
	fclose(f);
	struct eap_secrets s = {0};
	char err[512] = "";
	ck_assert_int_eq(eap_secrets_load(path, &s, err, sizeof(err)), 0);
	assert_secret(&s, "carol@strongswan.org", "Ar3etTnp");
	eap_secrets_clear(&s);
	ck_assert_int_eq(eap_secrets_load(dir, &s, err, sizeof(err)), TNC_ECONFIG);
	char want[512];
	snprintf(want, sizeof(want), "%s: not a regular file of at most %u octets", dir,
	    EAP_SECRETS_FILE_MAX);
	ck_assert_str_eq(err, want);
	unlink(path);
	ck_assert_int_eq(eap_secrets_load(path, &s, err, sizeof(err)), TNC_ECONFIG);
	snprintf(want, sizeof(want), "%s: cannot open: No such file or directory", path);
	ck_assert_str_eq(err, want);
}
END_TEST

static Suite *
eap_secrets_suite(void)
{
	Suite *s = suite_create("eap_server_secrets");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_parse_and_find);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_bounds);
	tcase_add_test(tc, test_entry_bound);
	tcase_add_test(tc, test_load);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(eap_secrets_suite());
}
