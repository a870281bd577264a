/* test_swid_tag.c - SWID tags (codec/swid_tag.h): the eight real tags of
 * tests/data/swid-tags/ (swidGenerator's deb, rpm, pacman, evidence and
 * signed tags, NIST's minimal and authoritative tags) parse to the tagId,
 * name, version, versionScheme, tagCreator Entity and Software Identifier
 * of their .expected files; malformed XML, a DOCTYPE with an external
 * entity, billion laughs (also in UTF-16, which hides the DOCTYPE from a
 * byte scan), an undeclared entity, an oversized tag, too many elements,
 * too deep a nesting, a long attribute, octets that are not UTF-8 and tags
 * that are not SWID tags are refused with their reason, each in bounded
 * time; a tag is read as UTF-8 whatever encoding it declares; a generated
 * tag parses
 * back to what it was made from, markup in its fields escaped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "swid_tag.h"
#include "testlib.h"

static const char *const tags[] = {
	"swidgen-deb-docker.xml",
	"swidgen-deb-docker-no-payload.xml",
	"swidgen-deb-docker-signed.xml",
	"swidgen-rpm-docker.xml",
	"swidgen-pacman-docker.xml",
	"swidgen-evidence-tmp_folder.xml",
	"nist-minimal.xml",
	"nist-authoritative.swidtag",
};

/* The text after "key " on the .expected line of key, up to the comment
 * ("   # ..."), into out; false if there is no such line. */
static bool
expected(const char *text, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);

	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *end = strchr(line, '\n'), *comment;
		size_t len;

		if (strncmp(line, key, klen) != 0 || line[klen] != ' ')
			continue;
		line += klen + 1;
		len = end ? (size_t)(end - line) : strlen(line);
		comment = strstr(line, "   # ");
		if (comment && comment < line + len)
			len = (size_t)(comment - line);
		ck_assert_uint_lt(len, size);
		memcpy(out, line, len);
		out[len] = 0;
		return true;
	}
	return false;
}

/* The value of field (name="..." or regid=...) of an entity line. */
static void
entity_field(const char *line, const char *field, char *out, size_t size)
{
	char pat[32];
	const char *at, *end;

	snprintf(pat, sizeof(pat), "%s=", field);
	at = strstr(line, pat);
	ck_assert_ptr_nonnull(at);
	at += strlen(pat);
	if (*at == '"')
		end = strchr(++at, '"');
	else
		end = at + strcspn(at, " ");
	ck_assert_ptr_nonnull(end);
	ck_assert_uint_lt((size_t)(end - at), size);
	memcpy(out, at, (size_t)(end - at));
	out[end - at] = 0;
}

static void
assert_opt(const char *got, const char *exp_text, const char *key)
{
	char want[512];

	if (!expected(exp_text, key, want, sizeof(want)) || strncmp(want, "(absent", 7) == 0)
		ck_assert_ptr_null(got);
	else
		ck_assert_str_eq(got, want);
}

START_TEST(real_tags)
{
	char path[128], want[512], entity[512], field[256];
	size_t len, exp_len;
	uint8_t *buf, *exp;
	struct swid_tag t;
	const char *reason = NULL;
	char *id;

	snprintf(path, sizeof(path), "swid-tags/%s", tags[_i]);
	buf = tl_read_testdata(path, &len);
	snprintf(path, sizeof(path), "swid-tags/%s.expected", tags[_i]);
	exp = tl_read_testdata(path, &exp_len);

	ck_assert_int_eq(swid_tag_parse(buf, len, &t, &reason), 0);
	ck_assert(expected((char *)exp, "size", want, sizeof(want)));
	ck_assert_uint_eq(strtoul(want, NULL, 10), len);
	ck_assert(expected((char *)exp, "tagId", want, sizeof(want)));
	ck_assert_str_eq(t.tag_id, want);
	ck_assert(expected((char *)exp, "name", want, sizeof(want)));
	ck_assert_str_eq(t.name, want);
	assert_opt(t.version, (char *)exp, "version");
	assert_opt(t.version_scheme, (char *)exp, "versionScheme");
	ck_assert(expected((char *)exp, "entity", entity, sizeof(entity)));
	entity_field(entity, "name", field, sizeof(field));
	ck_assert_str_eq(t.tag_creator_name, field);
	entity_field(entity, "regid", field, sizeof(field));
	ck_assert_str_eq(t.tag_creator_regid, field);
	entity_field(entity, "role", field, sizeof(field));
	if (strstr(field, "softwareCreator")) {
		ck_assert_str_eq(t.software_creator_regid, t.tag_creator_regid);
	} else {
		ck_assert_ptr_null(t.software_creator_name);
	}
	ck_assert(!t.corpus && !t.patch && !t.supplemental);
	ck_assert(expected((char *)exp, "software_identifier", want, sizeof(want)));
	id = swid_tag_software_id(&t);
	ck_assert_ptr_nonnull(id);
	ck_assert_str_eq(id, want);
	free(id);
	swid_tag_clear(&t);
	free(exp);
	free(buf);
}
END_TEST

/* A few fields of one tag, checked by value (not only against .expected). */
START_TEST(known_values)
{
	size_t len;
	uint8_t *buf = tl_read_testdata("swid-tags/nist-authoritative.swidtag", &len);
	struct swid_tag t;
	const char *reason;
	char *id;

	ck_assert_int_eq(swid_tag_parse(buf, len, &t, &reason), 0);
	ck_assert_str_eq(t.tag_id, "gov.nist.decima-swidval-0.5.0.1");
	ck_assert_str_eq(t.version_scheme, "multipartnumeric");
	ck_assert_str_eq(t.software_creator_name, "National Institute of Standards and Technology");
	ck_assert_uint_gt(t.elements, 3);
	id = swid_tag_software_id(&t);
	ck_assert_str_eq(id, "nist.gov__gov.nist.decima-swidval-0.5.0.1");
	free(id);
	swid_tag_clear(&t);
	free(buf);
}
END_TEST

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* buf[0..len) is refused with err and reason within 2 s (ASan included). */
static void
assert_refused(const void *buf, size_t len, int err, const char *reason)
{
	struct swid_tag t;
	const char *got = NULL;
	long start = now_ms();

	ck_assert_int_eq(swid_tag_parse(buf, len, &t, &got), err);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, reason);
	ck_assert_ptr_null(t.tag_id);
	ck_assert_int_lt(now_ms() - start, 2000);
}

static void
refused_text(const char *xml, int err, const char *reason)
{
	assert_refused(xml, strlen(xml), err, reason);
}

#define ROOT "<SoftwareIdentity xmlns=\"" SWID_TAG_NAMESPACE "\" name=\"n\" tagId=\"t\">"
#define CREATOR "<Entity name=\"e\" regid=\"e.org\" role=\"tagCreator\"/>"
#define END "</SoftwareIdentity>"

static const char billion_laughs[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE lolz [\n"
    " <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
    "]>\n" ROOT CREATOR "<Meta product=\"&lol9;\"/>" END;

START_TEST(hostile)
{
	static const char xxe[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE SoftwareIdentity [<!ENTITY e SYSTEM "
	    "\"file:///etc/passwd\">]>" ROOT CREATOR "<Meta product=\"&e;\"/>" END;
	size_t n = sizeof(billion_laughs) - 1;
	uint8_t *utf16 = malloc(2 * n + 2);

	refused_text(xxe, TNC_EINVALID, "tag has a DOCTYPE (DTDs and entities are refused)");
	refused_text(billion_laughs, TNC_EINVALID,
	    "tag has a DOCTYPE (DTDs and entities are refused)");
	/* The same in UTF-16LE with a BOM: no "<!DOCTYPE" octets to find. */
	ck_assert_ptr_nonnull(utf16);
	utf16[0] = 0xff;
	utf16[1] = 0xfe;
	for (size_t i = 0; i < n; i++) {
		utf16[2 + 2 * i] = (uint8_t)billion_laughs[i];
		utf16[3 + 2 * i] = 0;
	}
	assert_refused(utf16, 2 * n + 2, TNC_EINVALID, "tag is not UTF-8 text without NUL");
	/* Latin-1 octets, and a declaration that would have libxml2 convert. */
	refused_text("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" ROOT CREATOR
	    "<Meta product=\"caf\xe9\"/>" END, TNC_EINVALID, "tag is not UTF-8 text without NUL");
	free(utf16);
	/* An entity declaration anywhere, even in a comment. */
	refused_text(ROOT CREATOR "<!-- <!ENTITY x \"y\"> -->" END, TNC_EINVALID,
	    "tag declares an entity");
	/* Without a DTD an entity reference is not well-formed. */
	refused_text(ROOT CREATOR "<Meta product=\"&e;\"/>" END, TNC_EINVALID,
	    "tag is not well-formed XML");
}
END_TEST

START_TEST(malformed)
{
	refused_text("", TNC_EINVALID, "tag is empty");
	refused_text(ROOT CREATOR, TNC_EINVALID, "tag is not well-formed XML");
	refused_text("<SoftwareIdentity", TNC_EINVALID, "tag is not well-formed XML");
	refused_text(ROOT CREATOR "</Entity>" END, TNC_EINVALID, "tag is not well-formed XML");
	refused_text("just text", TNC_EINVALID, "tag is not well-formed XML");
	refused_text("<SoftwareIdentity name=\"n\" tagId=\"t\">" CREATOR END, TNC_EINVALID,
	    "root element is not an ISO/IEC 19770-2:2015 SoftwareIdentity");
	refused_text("<Other xmlns=\"" SWID_TAG_NAMESPACE "\"/>", TNC_EINVALID,
	    "root element is not an ISO/IEC 19770-2:2015 SoftwareIdentity");
	refused_text("<SoftwareIdentity xmlns=\"" SWID_TAG_NAMESPACE "\" name=\"n\">" CREATOR END,
	    TNC_EINVALID, "SoftwareIdentity has no tagId");
	refused_text("<SoftwareIdentity xmlns=\"" SWID_TAG_NAMESPACE "\" tagId=\"t\">" CREATOR END,
	    TNC_EINVALID, "SoftwareIdentity has no name");
	refused_text(ROOT "<Entity name=\"e\" regid=\"e.org\" role=\"softwareCreator\"/>" END,
	    TNC_EINVALID, "tag has no Entity with role tagCreator");
	refused_text(ROOT "<Entity regid=\"e.org\" role=\"tagCreator\"/>" END, TNC_EINVALID,
	    "tagCreator Entity has no name");
}
END_TEST

START_TEST(limits)
{
	size_t big = SWID_TAG_MAX_LEN + 1, at;
	char *buf = malloc(big + 64);

	ck_assert_ptr_nonnull(buf);
	/* Oversized: refused before any parsing. */
	at = (size_t)sprintf(buf, "%s%s<!--", ROOT, CREATOR);
	memset(buf + at, 'x', big - at);
	assert_refused(buf, big, TNC_ETOOLONG, "tag is larger than 4 MiB");

	/* One element too many. */
	at = (size_t)sprintf(buf, "%s%s", ROOT, CREATOR);
	for (size_t i = 0; i < SWID_TAG_MAX_ELEMENTS - 1; i++)
		at += (size_t)sprintf(buf + at, "<a/>");
	at += (size_t)sprintf(buf + at, "%s", END);
	assert_refused(buf, at, TNC_ETOOLONG, "tag has more than 100000 elements");

	/* The deepest nesting accepted, then one level more. */
	for (size_t levels = SWID_TAG_MAX_DEPTH - 1; levels <= SWID_TAG_MAX_DEPTH; levels++) {
		struct swid_tag t;
		const char *reason;

		at = (size_t)sprintf(buf, "%s%s", ROOT, CREATOR);
		for (size_t i = 0; i < levels; i++)
			at += (size_t)sprintf(buf + at, "<a>");
		for (size_t i = 0; i < levels; i++)
			at += (size_t)sprintf(buf + at, "</a>");
		at += (size_t)sprintf(buf + at, "%s", END);
		if (levels < SWID_TAG_MAX_DEPTH) {
			ck_assert_int_eq(swid_tag_parse((uint8_t *)buf, at, &t, &reason), 0);
			swid_tag_clear(&t);
		} else {
			assert_refused(buf, at, TNC_ETOOLONG,
			    "tag nests elements deeper than 32 levels");
		}
	}

	/* An attribute we keep, longer than SWID_TAG_MAX_TEXT. */
	at = (size_t)sprintf(buf, "<SoftwareIdentity xmlns=\"%s\" name=\"", SWID_TAG_NAMESPACE);
	memset(buf + at, 'n', SWID_TAG_MAX_TEXT + 1);
	at += SWID_TAG_MAX_TEXT + 1;
	at += (size_t)sprintf(buf + at, "\" tagId=\"t\">%s%s", CREATOR, END);
	assert_refused(buf, at, TNC_ETOOLONG, "attribute longer than 4096 octets");
	free(buf);
}
END_TEST

/* Read as UTF-8 whatever the declaration names: no conversion happens. */
START_TEST(declared_encoding)
{
	static const char *const decls[] = {"ISO-8859-1", "UTF-16", "no-such-encoding"};
	char xml[512];
	struct swid_tag t;
	const char *reason;

	for (size_t i = 0; i < sizeof(decls) / sizeof(decls[0]); i++) {
		int n = snprintf(xml, sizeof(xml), "<?xml version=\"1.0\" encoding=\"%s\"?>"
		    "<SoftwareIdentity xmlns=\"%s\" name=\"caf\xc3\xa9\" tagId=\"t\">%s</SoftwareIdentity>",
		    decls[i], SWID_TAG_NAMESPACE, "<Entity name=\"e\" regid=\"e.org\" role=\"tagCreator\"/>");

		ck_assert_int_eq(swid_tag_parse((uint8_t *)xml, (size_t)n, &t, &reason), 0);
		ck_assert_str_eq(t.name, "caf\xc3\xa9");
		swid_tag_clear(&t);
	}
}
END_TEST

START_TEST(generate)
{
	struct swid_tag_spec spec = {
		.tag_id = "Debian_12-x86_64-openssl-3.0.15-1~deb12u1",
		.name = "openssl <&\"'>",
		.version = "3.0.15-1~deb12u1",
		.version_scheme = "alphanumeric",
		.entity_name = "Debian",
		.regid = "debian.org",
	};
	struct swid_tag t;
	const char *reason;
	uint8_t *xml;
	size_t len;
	char *id;

	ck_assert_int_eq(swid_tag_generate(&spec, &xml, &len), 0);
	ck_assert_uint_eq(strlen((char *)xml), len);
	ck_assert_ptr_null(strstr((char *)xml, "<&"));
	ck_assert_int_eq(swid_tag_parse(xml, len, &t, &reason), 0);
	ck_assert_str_eq(t.tag_id, spec.tag_id);
	ck_assert_str_eq(t.name, spec.name);
	ck_assert_str_eq(t.version, spec.version);
	ck_assert_str_eq(t.version_scheme, spec.version_scheme);
	ck_assert_str_eq(t.tag_creator_name, "Debian");
	ck_assert_str_eq(t.tag_creator_regid, "debian.org");
	ck_assert_uint_eq(t.elements, 2);
	id = swid_tag_software_id(&t);
	ck_assert_str_eq(id, "debian.org__Debian_12-x86_64-openssl-3.0.15-1~deb12u1");
	free(id);
	swid_tag_clear(&t);
	free(xml);

	spec.version_scheme = NULL;
	ck_assert_int_eq(swid_tag_generate(&spec, &xml, &len), 0);
	ck_assert_int_eq(swid_tag_parse(xml, len, &t, &reason), 0);
	ck_assert_ptr_null(t.version_scheme);
	swid_tag_clear(&t);
	free(xml);

	spec.name = "";
	ck_assert_int_eq(swid_tag_generate(&spec, &xml, &len), TNC_EINVALID);
	spec.name = "bad \xff utf-8";
	ck_assert_int_eq(swid_tag_generate(&spec, &xml, &len), TNC_EINVALID);
	spec.name = "n";
	spec.regid = NULL;
	ck_assert_int_eq(swid_tag_generate(&spec, &xml, &len), TNC_EINVALID);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("swid_tag");
	TCase *tc = tcase_create("tags");
	tcase_add_loop_test(tc, real_tags, 0, (int)(sizeof(tags) / sizeof(tags[0])));
	tcase_add_test(tc, known_values);
	tcase_add_test(tc, declared_encoding);
	tcase_add_test(tc, generate);
	suite_add_tcase(s, tc);
	tc = tcase_create("refused");
	tcase_add_test(tc, hostile);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, limits);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
