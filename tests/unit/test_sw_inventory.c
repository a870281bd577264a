/* test_sw_inventory.c - the SWIMA IMC's software inventory: the seed dpkg
 * status file, Software Identifiers in the form strongSwan's IMC sent in
 * tests/data/strongswan-session-os-swima, the generated SWID tag read back,
 * a generated status file of 5000 packages (sorted, found, one entry per
 * identifier), and each refusal with its "path:line: field" reason. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "package_list.h"
#include "sw_inventory.h"
#include "swid_tag.h"
#include "testlib.h"

static char dir[64];

static const struct sw_naming debian12 = {"debian.org", "tnc test", "Debian", "12 x86_64", SW_SYNTAX_DEBIAN};

static void
setup(void)
{
	log_set_all_levels(-1);
	snprintf(dir, sizeof(dir), "/tmp/test_sw_inventory.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *
put_file(const char *name, const char *content)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

START_TEST(seed_status)
{
	struct sw_inventory inv;
	char reason[SW_REASON_MAX], path[512];
	static const char *const want[][2] = {
		{"bash", "5.2.15-2"}, {"openssl", "3.0.11-1"},
		{"rsh-server", "0.17-22"}, {"telnetd", "0.17-44"},
	};

	snprintf(path, sizeof(path), "%s/dpkg-seed/status", TNC_TESTDATA_DIR);
	sw_inventory_init(&inv);
	ck_assert_int_eq(sw_inventory_load_dpkg(&inv, path, &debian12, reason, sizeof(reason)), 0);
	ck_assert_str_eq(reason, "");
	ck_assert_uint_eq(inv.count, 4);
	for (size_t i = 0; i < 4; i++) {
		char id[256];
		snprintf(id, sizeof(id), "debian.org__Debian_12-x86_64-%s-%s", want[i][0], want[i][1]);
		ck_assert_str_eq(inv.v[i].name, want[i][0]);
		ck_assert_str_eq(inv.v[i].version, want[i][1]);
		ck_assert_str_eq(inv.v[i].arch, "amd64");
		ck_assert_str_eq(inv.v[i].sw_id, id);
		ck_assert_str_eq(inv.v[i].tag_id, id + strlen("debian.org__"));
		ck_assert_uint_eq(inv.v[i].record_id, sw_inventory_record_id(id));
		ck_assert_ptr_eq(sw_inventory_find(&inv, id, strlen(id)), &inv.v[i]);
	}
	ck_assert_ptr_null(sw_inventory_find(&inv, "debian.org__Debian_12-x86_64-bash-5.2.15", 40));
	ck_assert_ptr_null(sw_inventory_find(&inv, "debian.org__Debian_12-x86_64-bash-5.2.15-2x", 43));
	/* A loaded inventory is replaced, not appended to. */
	ck_assert_int_eq(sw_inventory_load_dpkg(&inv, path, &debian12, reason, sizeof(reason)), 0);
	ck_assert_uint_eq(inv.count, 4);
	sw_inventory_clear(&inv);
	ck_assert_uint_eq(inv.count, 0);
}
END_TEST

/* The identifiers strongSwan's SWIMA IMC sent for these packages in the
 * real session (CDATA batch 3, SW ID Events): ours must be the same bytes. */
START_TEST(identifiers_as_strongswan)
{
	static const char *const pkgs[][3] = {
		{"libstdc++6", "12.2.0-14+deb12u1", "libstdc~~6-12.2.0-14~deb12u1"},
		{"bsdutils", "1:2.38.1-5+deb12u3", "bsdutils-1~2.38.1-5~deb12u3"},
		{"libbz2-1.0", "1.0.8-5+b1", "libbz2-1.0-1.0.8-5~b1"},
		{"hostname", "3.23+nmu1", "hostname-3.23~nmu1"},
		{"adduser", "3.134", "adduser-3.134"},
	};
	size_t len;
	uint8_t *batch = tl_read_testdata("strongswan-session-os-swima/03-c2s-CDATA-109512.bin", &len);

	for (size_t i = 0; i < sizeof(pkgs) / sizeof(pkgs[0]); i++) {
		struct sw_package p;
		const char *why = NULL;
		char want[256];
		ck_assert_int_eq(sw_inventory_package_init(&p, &debian12, pkgs[i][0], pkgs[i][1],
		    "amd64", &why), 0);
		snprintf(want, sizeof(want), "debian.org__Debian_12-x86_64-%s", pkgs[i][2]);
		ck_assert_str_eq(p.sw_id, want);
		/* On the wire: a 16-bit length, then the identifier. */
		uint8_t field[258] = {(uint8_t)(strlen(want) >> 8), (uint8_t)strlen(want)};
		memcpy(field + 2, want, strlen(want));
		ck_assert_ptr_nonnull(memmem(batch, len, field, strlen(want) + 2));
		sw_inventory_package_clear(&p);
	}
	free(batch);
	/* Product blanks become '_', OS version blanks '-'. */
	struct sw_naming mint = {"example.org", "x", "Linux Mint", "21.3 x86_64", SW_SYNTAX_DEBIAN};
	struct sw_package p;
	const char *why;
	ck_assert_int_eq(sw_inventory_package_init(&p, &mint, "a", "1", "", &why), 0);
	ck_assert_str_eq(p.sw_id, "example.org__Linux_Mint_21.3-x86_64-a-1");
	ck_assert_str_eq(p.tag_id, "Linux_Mint_21.3-x86_64-a-1");
	sw_inventory_package_clear(&p);
	/* FNV-1a 32: the published value for "a". */
	ck_assert_uint_eq(sw_inventory_record_id("a"), 0xe40c292cu);
	ck_assert_uint_eq(sw_inventory_record_id(""), 0x811c9dc5u);
}
END_TEST

START_TEST(tag_reads_back)
{
	struct sw_package p;
	struct swid_tag t;
	const char *why = NULL;
	uint8_t *xml = NULL;
	size_t len = 0;

	ck_assert_int_eq(sw_inventory_package_init(&p, &debian12, "libstdc++6", "12.2.0-14+deb12u1",
	    "amd64", &why), 0);
	ck_assert_int_eq(sw_inventory_package_tag(&debian12, &p, &xml, &len), 0);
	ck_assert_uint_eq(strlen((char *)xml), len);
	ck_assert_int_eq(swid_tag_parse(xml, len, &t, &why), 0);
	ck_assert_str_eq(t.tag_id, "Debian_12-x86_64-libstdc~~6-12.2.0-14~deb12u1");
	ck_assert_str_eq(t.name, "libstdc++6");
	ck_assert_str_eq(t.version, "12.2.0-14+deb12u1");
	ck_assert_str_eq(t.version_scheme, "alphanumeric");
	ck_assert_str_eq(t.tag_creator_regid, "debian.org");
	ck_assert_str_eq(t.tag_creator_name, "tnc test");
	char *id = swid_tag_software_id(&t);
	ck_assert_str_eq(id, p.sw_id);
	free(id);
	swid_tag_clear(&t);
	free(xml);
	sw_inventory_package_clear(&p);
}
END_TEST

/* A status file of n installed packages in reverse name order, with a
 * removed package and a half-installed one between them. */
static const char *
generated_status(unsigned n)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/status-%u", dir, n);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (unsigned i = n; i > 0; i--) {
		fprintf(f, "Package: pkg%06u\nStatus: install ok installed\nPriority: optional\n"
		    "Architecture: amd64\nVersion: 1:%u.0-%u+b1\nDescription: package %u\n"
		    " of a generated inventory\n\n", i, i % 97, i, i);
		if (i == n / 2)
			fputs("Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\n"
			    "Package: half\nStatus: install ok half-configured\nVersion: 2\n\n", f);
	}
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

START_TEST(five_thousand_packages)
{
	struct sw_inventory inv;
	char reason[SW_REASON_MAX], id[128];

	sw_inventory_init(&inv);
	ck_assert_int_eq(sw_inventory_load_dpkg(&inv, generated_status(5000), &debian12, reason,
	    sizeof(reason)), 0);
	ck_assert_uint_eq(inv.count, 5000);
	for (size_t i = 1; i < inv.count; i++)
		ck_assert_int_lt(strcmp(inv.v[i - 1].sw_id, inv.v[i].sw_id), 0);
	ck_assert_str_eq(inv.v[0].name, "pkg000001");
	ck_assert_str_eq(inv.v[0].version, "1:1.0-1+b1");
	ck_assert_str_eq(inv.v[0].sw_id, "debian.org__Debian_12-x86_64-pkg000001-1~1.0-1~b1");
	ck_assert_str_eq(inv.v[4999].name, "pkg005000");
	for (unsigned i = 1; i <= 5000; i += 499) {
		int n = snprintf(id, sizeof(id), "debian.org__Debian_12-x86_64-pkg%06u-1~%u.0-%u~b1", i,
		    i % 97, i);
		const struct sw_package *p = sw_inventory_find(&inv, id, (size_t)n);
		ck_assert_ptr_nonnull(p);
		ck_assert_str_eq(p->sw_id, id);
	}
	ck_assert_ptr_null(sw_inventory_find(&inv, "debian.org__Debian_12-x86_64-gone-1", 35));
	ck_assert_ptr_null(sw_inventory_find(&inv, "debian.org__Debian_12-x86_64-half-2", 35));
	sw_inventory_clear(&inv);
}
END_TEST

/* libc6 for two architectures has one Software Identifier: one entry, the
 * first architecture in file order. */
START_TEST(multiarch_is_one_entry)
{
	struct sw_inventory inv;
	char reason[SW_REASON_MAX];
	const char *path = put_file("ma",
	    "Package: libc6\nStatus: install ok installed\nArchitecture: i386\nVersion: 2.36-9\n\n"
	    "Package: zsh\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.9-4\n\n"
	    "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9\n");

	sw_inventory_init(&inv);
	ck_assert_int_eq(sw_inventory_load_dpkg(&inv, path, &debian12, reason, sizeof(reason)), 0);
	ck_assert_uint_eq(inv.count, 2);
	ck_assert_str_eq(inv.v[0].sw_id, "debian.org__Debian_12-x86_64-libc6-2.36-9");
	ck_assert_str_eq(inv.v[0].arch, "i386");
	ck_assert_str_eq(inv.v[1].name, "zsh");
	sw_inventory_clear(&inv);
}
END_TEST

static void
refused(const char *name, const char *text, int want_err, const char *want_reason)
{
	struct sw_inventory inv;
	char reason[SW_REASON_MAX], want[SW_REASON_MAX];
	const char *path = put_file(name, text);

	snprintf(want, sizeof(want), "%s:%s", path, want_reason);
	sw_inventory_init(&inv);
	ck_assert_int_eq(sw_inventory_load_dpkg(&inv, path, &debian12, reason, sizeof(reason)),
	    want_err);
	ck_assert_str_eq(reason, want);
	ck_assert_uint_eq(inv.count, 0);
	ck_assert_ptr_null(inv.v);
}

START_TEST(refusals)
{
	char big[400];
	const char *ok = "Package: a\nStatus: install ok installed\nVersion: 1\n\n";

	refused("upper", "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
	    "Package: Foo\nStatus: install ok installed\nVersion: 1\n", TNC_EINVALID,
	    "5: Package: not a Debian package name");
	refused("dash", "Package: -a\nStatus: install ok installed\nVersion: 1\n", TNC_EINVALID,
	    "1: Package: not a Debian package name");
	refused("blank", "Package: a\nStatus: install ok installed\nVersion: 1.0 beta\n",
	    TNC_EINVALID, "1: Version: not a Debian version");
	refused("nover", "Package: a\nStatus: install ok installed\n", TNC_EINVALID,
	    "1: Version: missing");
	refused("arch", "Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: AMD\n",
	    TNC_EINVALID, "1: Architecture: not a Debian architecture");
	/* two packages in one stanza: the first would hide behind the second */
	refused("twice", "Package: telnetd\nPackage: a\nStatus: install ok installed\nVersion: 1\n",
	    TNC_EINVALID, " a stanza gives Package, Version, Architecture or Status twice");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	char text[600];
	snprintf(text, sizeof(text), "%sPackage: %.300s\nStatus: install ok installed\nVersion: 1\n",
	    ok, big);
	refused("long", text, TNC_ETOOLONG, "5: Package: over 255 octets");
	/* A name and version of 255 octets each fit the fields but not SW_ID_MAX. */
	snprintf(text, sizeof(text), "Package: %.255s\nStatus: install ok installed\nVersion: %.255s\n",
	    big, "1111111111111111111111111111111111111111111111111111111111111111111111111111111111"
	    "1111111111111111111111111111111111111111111111111111111111111111111111111111111111"
	    "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111");
	struct sw_naming wide = debian12;
	char product[700];
	memset(product, 'P', sizeof(product) - 1);
	product[sizeof(product) - 1] = 0;
	wide.product = product;
	struct sw_inventory inv;
	char reason[SW_REASON_MAX], want[SW_REASON_MAX];
	const char *path = put_file("wide", text);
	sw_inventory_init(&inv);
	ck_assert_int_eq(sw_inventory_load_dpkg(&inv, path, &wide, reason, sizeof(reason)),
	    TNC_ETOOLONG);
	snprintf(want, sizeof(want), "%s:1: Software Identifier: over 1024 octets", path);
	ck_assert_str_eq(reason, want);
	/* Naming, the file itself, a line over 64 KiB. */
	wide.regid = "";
	ck_assert_int_eq(sw_inventory_load_dpkg(&inv, path, &wide, reason, sizeof(reason)),
	    TNC_EINVALID);
	ck_assert_str_eq(reason, "naming: regid is not text");
	snprintf(want, sizeof(want), "%s/none", dir);
	ck_assert_int_eq(sw_inventory_load_dpkg(&inv, want, &debian12, reason, sizeof(reason)),
	    -ENOENT);
	char *huge = malloc(DPKG_STATUS_LINE_MAX + 64);
	ck_assert_ptr_nonnull(huge);
	int n = snprintf(huge, 64, "Package: a\nDescription: ");
	memset(huge + n, 'x', DPKG_STATUS_LINE_MAX);
	strcpy(huge + n + DPKG_STATUS_LINE_MAX, "\n");
	path = put_file("huge", huge);
	free(huge);
	ck_assert_int_eq(sw_inventory_load_dpkg(&inv, path, &debian12, reason, sizeof(reason)),
	    TNC_ETOOLONG);
	snprintf(want, sizeof(want), "%s: over 64 MiB, or a line over 64 KiB", path);
	ck_assert_str_eq(reason, want);
	ck_assert_uint_eq(inv.count, 0);
}
END_TEST

START_TEST(over_the_entry_limit)
{
	struct sw_inventory inv;
	char reason[SW_REASON_MAX], want[2 * SW_REASON_MAX];
	const char *path = generated_status(SW_INVENTORY_MAX + 1);

	sw_inventory_init(&inv);
	ck_assert_int_eq(sw_inventory_load_dpkg(&inv, path, &debian12, reason, sizeof(reason)),
	    TNC_ETOOLONG);
	/* Stanzas of 8 lines, the removed and half-installed ones (8 lines)
	 * after the first 50000: the 100001st package starts at line 800009. */
	snprintf(want, sizeof(want), "%s:800009: over 100000 installed packages", path);
	ck_assert_str_eq(reason, want);
	ck_assert_uint_eq(inv.count, 0);
}
END_TEST

/* The OS IMC's reader on the same stanzas: over-long entries skipped, the
 * rest in file order (package_list.h is a caller of package_list_read_dpkg()). */
START_TEST(os_imc_list_unchanged)
{
	struct package_list l;

	package_list_init(&l);
	ck_assert_int_eq(package_list_load_dpkg(&l, generated_status(300)), 0);
	ck_assert_uint_eq(l.count, 300);
	ck_assert_str_eq(l.v[0].name, "pkg000300");
	ck_assert_str_eq(l.v[0].version, "1:9.0-300+b1");
	package_list_clear(&l);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("sw_inventory");
	TCase *tc = tcase_create("inventory");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, seed_status);
	tcase_add_test(tc, identifiers_as_strongswan);
	tcase_add_test(tc, tag_reads_back);
	tcase_add_test(tc, five_thousand_packages);
	tcase_add_test(tc, multiarch_is_one_entry);
	tcase_add_test(tc, refusals);
	tcase_add_test(tc, over_the_entry_limit);
	tcase_add_test(tc, os_imc_list_unchanged);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
