/* test_os_facts.c - the client's OS facts: collection from os-release,
 * /proc and machine-id style files (and what missing sources give), names
 * and numeric versions, dpkg status parsing, the --facts override file with
 * its "file:line: reason" errors, the first PA-TNC message byte for byte
 * against strongSwan's on Debian 12, and the OS IMC's answers: Attribute
 * Request, Segmentation Contract, Segment Envelopes on Next Segment (and
 * CANCEL), PA-TNC Error for a bad message, Assessment Result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "facts_file.h"
#include "imc_attrs.h"
#include "imc_os.h"
#include "log.h"
#include "os_facts.h"
#include "outcome.h"
#include "pa_ietf.h"
#include "pa_ietf_error.h"
#include "pa_segment.h"
#include "pa_tnc.h"
#include "testlib.h"

static char dir[64];

static void
setup(void)
{
	log_set_all_levels(-1);
	snprintf(dir, sizeof(dir), "/tmp/test_os_facts.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Writes dir/name and returns its path (static buffer per slot). */
static const char *
put_file(const char *name, const char *content)
{
	static char paths[8][256];
	static int next;
	char *p = paths[next++ % 8];

	snprintf(p, 256, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	fclose(f);
	return p;
}

/* dir/name, a file no test writes (static buffer per slot). */
static const char *
missing(const char *name)
{
	static char paths[8][256];
	static int next;
	char *p = paths[next++ % 8];

	snprintf(p, 256, "%s/%s", dir, name);
	return p;
}

static const char dpkg_status[] =
	"Package: base-files\n"
	"Status: install ok installed\n"
	"Priority: required\n"
	"Version: 12.4+deb12u5\n"
	"Description: Debian base system\n"
	" Status: install ok installed\n"
	"\n"
	"Package: removed-pkg\n"
	"Status: deinstall ok config-files\n"
	"Version: 1.0\n"
	"\n"
	"Package: half\n"
	"Status: install ok half-configured\n"
	"Version: 2.0\n"
	"\n"
	"\n"
	"Package: zlib1g\n"
	"Version: 1:1.2.13.dfsg-1\n"
	"Status: install ok installed\n"
	"Architecture: amd64\n";

static void
collect(struct os_facts *f, const char *os_release, const char *uptime, const char *fwd,
    const char *machine_id)
{
	struct os_facts_sources src = {
		os_release ? put_file("os-release", os_release) : missing("no-os-release"),
		missing("no-fallback-os-release"),
		uptime ? put_file("uptime", uptime) : missing("no-uptime"),
		fwd ? put_file("ip_forward", fwd) : missing("no-ip_forward"),
		machine_id ? put_file("machine-id", machine_id) : missing("no-machine-id"),
		put_file("status", dpkg_status),
	};
	os_facts_init(f);
	os_facts_collect(f, &src);
}

START_TEST(collect_debian)
{
	struct os_facts f;
	struct utsname u;
	char want[128];

	collect(&f, "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
	    "VERSION_ID=\"12\"\nID=debian\n", "1769.65 3424.32\n", "0\n",
	    "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
	ck_assert_int_eq(uname(&u), 0);
	snprintf(want, sizeof(want), "12 %s", u.machine);
	ck_assert_str_eq(f.product, "Debian");
	ck_assert_uint_eq(f.product_vendor, 9586);
	ck_assert_str_eq(f.version, want);
	ck_assert_uint_eq(f.major, 12);
	ck_assert_uint_eq(f.minor, 0);
	ck_assert_uint_eq(f.forwarding, OS_FORWARDING_DISABLED);
	ck_assert_uint_eq(f.default_password, 0);
	ck_assert_str_eq(f.device_id, "3d1219c7c4c5404aaa1f6d2a48adfda4");
	time_t now = time(NULL);
	ck_assert_int_ge(f.boot_time, now - 1769 - 2);
	ck_assert_int_le(f.boot_time, now - 1769);
	ck_assert_int_eq(os_facts_load_packages(&f), 0);
	ck_assert_uint_eq(f.pkgs.count, 2);
	ck_assert_str_eq(f.pkgs.v[0].name, "base-files");
	ck_assert_str_eq(f.pkgs.v[0].version, "12.4+deb12u5");
	ck_assert_str_eq(f.pkgs.v[1].name, "zlib1g");
	ck_assert_str_eq(f.pkgs.v[1].version, "1:1.2.13.dfsg-1");
	os_facts_clear(&f);
}
END_TEST

START_TEST(collect_other_values)
{
	struct os_facts f;

	/* unquoted and single-quoted values, an escape, forwarding on */
	collect(&f, "NAME=Ubuntu\nVERSION_ID='22.04'\n", "5.00 1.00\n", "1\n", "abc\n");
	ck_assert_str_eq(f.product, "Ubuntu");
	ck_assert_uint_eq(f.product_vendor, 28978);
	ck_assert_uint_eq(f.major, 22);
	ck_assert_uint_eq(f.minor, 4);
	ck_assert_uint_eq(f.forwarding, OS_FORWARDING_ENABLED);
	os_facts_clear(&f);
	collect(&f, "NAME=\"Say \\\"Hi\\\" Linux\"\nVERSION_ID=rolling\n", "x\n", "7\n", NULL);
	ck_assert_str_eq(f.product, "Say \"Hi\" Linux");
	ck_assert_uint_eq(f.product_vendor, 0);
	ck_assert_uint_eq(f.major, 0);
	ck_assert_uint_eq(f.boot_time, 0);
	ck_assert_uint_eq(f.forwarding, OS_FORWARDING_UNKNOWN);
	ck_assert_str_eq(f.device_id, "");
	os_facts_clear(&f);
}
END_TEST

START_TEST(collect_missing_sources)
{
	struct os_facts f;
	struct utsname u;

	collect(&f, NULL, NULL, NULL, NULL);
	ck_assert_int_eq(uname(&u), 0);
	ck_assert_str_eq(f.product, "Linux");
	ck_assert_str_eq(f.version, u.machine);
	ck_assert_uint_eq(f.major, 0);
	ck_assert_uint_eq(f.boot_time, 0);
	ck_assert_uint_eq(f.forwarding, OS_FORWARDING_UNKNOWN);
	ck_assert_str_eq(f.device_id, "");
	/* no dpkg status file on the system: no packages, no error */
	snprintf(f.packages_path, sizeof(f.packages_path), "%s", missing("nostatus"));
	ck_assert_int_eq(os_facts_load_packages(&f), 0);
	ck_assert_uint_eq(f.pkgs.count, 0);
	/* ... but an error when a facts file named it */
	f.packages_required = true;
	ck_assert_int_ne(os_facts_load_packages(&f), 0);
	os_facts_clear(&f);
}
END_TEST

START_TEST(product_names)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"Debian GNU/Linux", "Debian"}, {"Fedora Linux", "Fedora"}, {"Arch Linux", "Arch"},
		{"Red Hat Enterprise Linux", "Red Hat Enterprise Linux"}, {"Ubuntu", "Ubuntu"},
		{"Linux", "Linux"}, {"GNU/Linux", "GNU/Linux"},
	};
	char out[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		os_facts_product_name(cases[i].in, out, sizeof(out));
		ck_assert_str_eq(out, cases[i].out);
	}
	ck_assert_uint_eq(os_facts_product_vendor("Red Hat Enterprise Linux"), 2312);
	ck_assert_uint_eq(os_facts_product_vendor("Fedora"), 30401);
	ck_assert_uint_eq(os_facts_product_vendor("Gentoo"), 0);
}
END_TEST

START_TEST(numeric_versions)
{
	uint32_t ma = 7, mi = 7;

	ck_assert_int_eq(os_facts_parse_numeric("22.04", &ma, &mi), 0);
	ck_assert_uint_eq(ma, 22);
	ck_assert_uint_eq(mi, 4);
	ck_assert_int_eq(os_facts_parse_numeric("12", &ma, &mi), 0);
	ck_assert_uint_eq(ma, 12);
	ck_assert_uint_eq(mi, 0);
	ck_assert_int_eq(os_facts_parse_numeric("4294967295.1", &ma, &mi), 0);
	ck_assert_uint_eq(ma, 4294967295u);
	static const char *const bad[] = {"", ".", "1.", ".1", "1.2.3", "a", "-1", "1 .2",
	    "4294967296", "12345678901"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(os_facts_parse_numeric(bad[i], &ma, &mi) == TNC_EINVALID, "%s",
		    bad[i]);
	ck_assert_uint_eq(ma, 4294967295u); /* untouched on failure */
}
END_TEST

START_TEST(time_format)
{
	char out[21];

	os_facts_format_time(0, out);
	ck_assert_str_eq(out, "0000-00-00T00:00:00Z");
	os_facts_format_time(86400 + 3661, out);
	ck_assert_str_eq(out, "1970-01-02T01:01:01Z");
}
END_TEST

START_TEST(dpkg_edge_cases)
{
	struct package_list l;
	char longname[300], text[1024];

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	snprintf(text, sizeof(text),
	    "Package: %s\nStatus: install ok installed\nVersion: 1\n\n"
	    "Package: nover\r\nStatus: install ok installed\r\n\r\n"
	    "Status: install ok installed\nVersion: 3\n\n" /* no Package field */
	    "Package: last\nStatus: install ok installed\nVersion: 9", longname);
	package_list_init(&l);
	ck_assert_int_eq(package_list_load_dpkg(&l, put_file("s", text)), 0);
	ck_assert_uint_eq(l.count, 2);
	ck_assert_str_eq(l.v[0].name, "nover");
	ck_assert_str_eq(l.v[0].version, "");
	ck_assert_str_eq(l.v[1].name, "last");
	ck_assert_str_eq(l.v[1].version, "9");
	ck_assert_int_lt(package_list_load_dpkg(&l, missing("none")), 0);
	package_list_clear(&l);
}
END_TEST

START_TEST(package_pairs_and_synthetic)
{
	struct package_list l;

	package_list_init(&l);
	ck_assert_int_eq(package_list_parse_pairs(&l, " a = 1 ,b=2.0-1, c= "), 0);
	ck_assert_uint_eq(l.count, 3);
	ck_assert_str_eq(l.v[0].name, "a");
	ck_assert_str_eq(l.v[0].version, "1");
	ck_assert_str_eq(l.v[1].version, "2.0-1");
	ck_assert_str_eq(l.v[2].name, "c");
	ck_assert_str_eq(l.v[2].version, "");
	ck_assert_int_eq(package_list_parse_pairs(&l, "x"), TNC_EINVALID);
	ck_assert_int_eq(package_list_parse_pairs(&l, "=1"), TNC_EINVALID);
	ck_assert_int_eq(package_list_parse_pairs(&l, "a=1,,b=2"), TNC_EINVALID);
	package_list_clear(&l);
	ck_assert_int_eq(package_list_add_synthetic(&l, 3), 0);
	ck_assert_uint_eq(l.count, 3);
	ck_assert_str_eq(l.v[0].name, "pkg00001");
	ck_assert_str_eq(l.v[0].version, "1.0-1");
	ck_assert_str_eq(l.v[2].name, "pkg00003");
	ck_assert_str_eq(l.v[2].version, "1.0-3");
	package_list_clear(&l);
	ck_assert_int_eq(package_list_add_synthetic(&l, PACKAGE_LIST_MAX), 0);
	ck_assert_str_eq(l.v[PACKAGE_LIST_MAX - 1].name, "pkg65535");
	ck_assert_int_eq(package_list_add(&l, "one", 3, "more", 4), TNC_ETOOLONG);
	package_list_clear(&l);
}
END_TEST

START_TEST(facts_file_overrides)
{
	struct os_facts f;
	char err[256] = "";

	collect(&f, "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n", "1 1\n", "0\n", "id\n");
	const char *path = put_file("facts",
	    "# every key\n"
	    "\n"
	    "product = Ubuntu\n"
	    "version=22.04 x86_64\n"
	    "  numeric_version = 22.4  \n"
	    "forwarding = 1\n"
	    "default_password = 1\n"
	    "device_id = 0123456789abcdef\n"
	    "packages_extra = openssl=3.0.1, bash = 5.2\n"
	    "packages_extra = extra=1\n"
	    "packages_count = 2\n");
	ck_assert_msg(facts_file_load(path, &f, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(f.product, "Ubuntu");
	ck_assert_uint_eq(f.product_vendor, 28978);
	ck_assert_str_eq(f.version, "22.04 x86_64");
	ck_assert_uint_eq(f.major, 22);
	ck_assert_uint_eq(f.minor, 4);
	ck_assert_uint_eq(f.forwarding, 1);
	ck_assert_uint_eq(f.default_password, 1);
	ck_assert_str_eq(f.device_id, "0123456789abcdef");
	ck_assert_int_eq(os_facts_load_packages(&f), 0);
	/* dpkg entries, then the extras in order, then the synthetic ones */
	ck_assert_uint_eq(f.pkgs.count, 2 + 3 + 2);
	ck_assert_str_eq(f.pkgs.v[2].name, "openssl");
	ck_assert_str_eq(f.pkgs.v[3].name, "bash");
	ck_assert_str_eq(f.pkgs.v[3].version, "5.2");
	ck_assert_str_eq(f.pkgs.v[4].name, "extra");
	ck_assert_str_eq(f.pkgs.v[6].name, "pkg00002");
	/* packages = another status file replaces the system's */
	snprintf(err, sizeof(err), "packages = %s\n",
	    put_file("other", "Package: only\nStatus: install ok installed\nVersion: 1\n"));
	ck_assert_int_eq(facts_file_load(put_file("facts2", err), &f, err, sizeof(err)), 0);
	ck_assert_int_eq(os_facts_load_packages(&f), 0);
	ck_assert_uint_eq(f.pkgs.count, 1 + 3 + 2);
	ck_assert_str_eq(f.pkgs.v[0].name, "only");
	os_facts_clear(&f);
}
END_TEST

START_TEST(facts_file_errors)
{
	static const struct {
		const char *text, *want; /* want: the message after "<path>:" */
	} cases[] = {
		{"product = x\nfoo = 1\n", "2: unknown key 'foo'"},
		{"# c\n\nforwarding\n", "3: expected 'key = value'"},
		{"forwarding = 2\n", "1: value must be 0 or 1"},
		{"default_password = yes\n", "1: value must be 0 or 1"},
		{"numeric_version = twelve\n", "1: value must be MAJOR.MINOR (digits)"},
		{"numeric_version = 1.2.3\n", "1: value must be MAJOR.MINOR (digits)"},
		{"packages_count = -1\n", "1: value must be a number from 0 to 65535"},
		{"packages_count = 65536\n", "1: value must be a number from 0 to 65535"},
		{"packages_count = 12x\n", "1: value must be a number from 0 to 65535"},
		{"packages_extra = a\n", "1: value must be name=version[, name=version...]"},
		{"product =\n", "1: empty value"},
		{"= 1\n", "1: unknown key ''"},
		{"packages =\n", "1: value must be a path"},
	};
	char err[512], want[512];
	struct os_facts f;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		os_facts_init(&f);
		const char *path = put_file("bad", cases[i].text);
		ck_assert_int_eq(facts_file_load(path, &f, err, sizeof(err)), TNC_ECONFIG);
		snprintf(want, sizeof(want), "%s:%s", path, cases[i].want);
		ck_assert_str_eq(err, want);
		os_facts_clear(&f);
	}
	/* a value over 255 bytes */
	char line[400];
	memset(line, 'v', sizeof(line));
	memcpy(line, "version = ", 10);
	memcpy(line + sizeof(line) - 2, "\n", 2);
	os_facts_init(&f);
	ck_assert_int_eq(facts_file_load(put_file("long", line), &f, err, sizeof(err)),
	    TNC_ECONFIG);
	ck_assert_ptr_nonnull(strstr(err, ":1: value longer than 255 bytes"));
	/* no such file */
	ck_assert_int_lt(facts_file_load(missing("nofile"), &f, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "nofile: "));
	os_facts_clear(&f);
}
END_TEST

/* Facts as strongSwan's OS IMC reported them in the testdata session. */
static void
strongswan_facts(struct os_facts *f)
{
	struct tm tm = {.tm_year = 2026 - 1900, .tm_mon = 10, .tm_mday = 23, .tm_hour = 11,
	    .tm_min = 28, .tm_sec = 15};

	os_facts_init(f);
	snprintf(f->product, sizeof(f->product), "Debian");
	f->product_vendor = os_facts_product_vendor(f->product);
	snprintf(f->version, sizeof(f->version), "12 x86_64");
	f->major = 12;
	f->boot_time = timegm(&tm);
	f->forwarding = OS_FORWARDING_DISABLED;
	snprintf(f->device_id, sizeof(f->device_id), "3d1219c7c4c5404aaa1f6d2a48adfda4");
}

START_TEST(first_message_as_strongswan)
{
	size_t len;
	uint8_t *batch = tl_read_testdata("strongswan-session-os-swima/01-c2s-CDATA-310.bin", &len);
	struct pa_tnc_builder b;
	struct os_facts f;
	struct bytes msg;

	ck_assert_uint_eq(len, 310);
	strongswan_facts(&f);
	pa_tnc_builder_init(&b, 0x90b3f372, 65536); /* the message ID of the capture */
	imc_attrs_add_first(&b, &f);
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &msg), 0);
	/* .expected: the PA-TNC message at offset 63, 195 bytes */
	ck_assert_uint_eq(msg.len, 195);
	ck_assert_mem_eq(msg.ptr, batch + 63, 195);
	pa_tnc_builder_clear(&b);
	os_facts_clear(&f);
	free(batch);
}
END_TEST

/* --- the OS IMC --- */

#define IMV_ID 5

struct rx {
	struct pa_tnc_msg m;
	struct imc_msg *raw;
};

/* Hands the IMC one PA message from IMV_ID and parses its one answer (or
 * returns false when it did not answer). */
static bool
exchange(struct imc_os *imc, struct pa_tnc_builder *b, struct rx *ret)
{
	struct pa_tnc_limits lim = {1u << 24, 100000, NULL, 0};
	struct parse_error pe;
	struct bytes msg;

	ck_assert_int_eq(pa_tnc_builder_finish(b, &msg), 0);
	struct pb_pa pa = {0, PB_VENDOR_IETF, IMC_OS_SUBTYPE, PB_PA_ID_ANY, IMV_ID, msg};
	ck_assert(imc_os_wants(&pa));
	imc_os_receive(imc, &pa);
	pa_tnc_builder_clear(b);
	ret->raw = imc_os_take(imc);
	if (!ret->raw)
		return false;
	ck_assert_ptr_null(ret->raw->next);
	ck_assert_uint_eq(ret->raw->validator_id, IMV_ID);
	ck_assert_uint_eq(ret->raw->flags, PB_PA_FLAG_EXCL);
	ck_assert_int_eq(pa_tnc_msg_parse(ret->raw->data, ret->raw->len, &lim, &ret->m, &pe), 0);
	return true;
}

static void
rx_clear(struct rx *r)
{
	pa_tnc_msg_clear(&r->m);
	free(r->raw);
}

static void
add_request(struct pa_tnc_builder *b, uint32_t vendor, uint32_t type)
{
	struct pa_tnc_type t[] = {{vendor, type}};
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_ATTRIBUTE_REQUEST);
	pa_ietf_attr_request_encode(&b->w, t, 1);
	pa_tnc_builder_end(b);
}

static void
add_next(struct pa_tnc_builder *b, uint32_t base_id, bool cancel)
{
	pa_tnc_builder_init(b, 2, 1u << 20);
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_NEXT);
	pa_segment_next_encode(&b->w, &(struct pa_segment_next){cancel, base_id});
	pa_tnc_builder_end(b);
}

START_TEST(imc_first_message_and_requests)
{
	struct os_facts f;
	struct outcome out;
	struct pa_tnc_builder b;
	struct pa_tnc_msg m;
	struct parse_error pe;
	struct pa_tnc_limits lim = {1u << 20, 64, NULL, 0};
	struct rx r;

	strongswan_facts(&f);
	ck_assert_int_eq(package_list_add_synthetic(&f.pkgs, 100), 0);
	outcome_init(&out);
	struct imc_os *imc = imc_os_new(&f, &out);
	imc_os_begin_handshake(imc);
	struct imc_msg *first = imc_os_take(imc);
	ck_assert_ptr_nonnull(first);
	ck_assert_ptr_null(first->next);
	ck_assert_uint_eq(first->flags, 0);
	ck_assert_uint_eq(first->validator_id, PB_PA_ID_ANY);
	ck_assert_int_eq(pa_tnc_msg_parse(first->data, first->len, &lim, &m, &pe), 0);
	ck_assert_uint_eq(m.count, 7);
	ck_assert_uint_eq(m.attrs[6].vendor, PA_TNC_VENDOR_ITA);
	pa_tnc_msg_clear(&m);
	free(first);

	pa_tnc_builder_init(&b, 1, 1u << 20);
	add_request(&b, PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES);
	add_request(&b, PA_TNC_VENDOR_IETF, PA_IETF_PORT_FILTER); /* not provided */
	add_request(&b, PA_TNC_VENDOR_IETF, PA_IETF_FORWARDING_ENABLED);
	ck_assert(exchange(imc, &b, &r));
	ck_assert_uint_eq(r.m.count, 2);
	struct pa_ietf_installed_packages p;
	ck_assert_uint_eq(r.m.attrs[0].type, PA_IETF_INSTALLED_PACKAGES);
	ck_assert_int_eq(pa_ietf_installed_packages_decode(r.m.attrs[0].value, &p, &pe), 0);
	ck_assert_uint_eq(p.count, 100);
	ck_assert_uint_eq(r.m.attrs[1].type, PA_IETF_FORWARDING_ENABLED);
	rx_clear(&r);
	imc_os_free(imc);
	outcome_clear(&out);
	os_facts_clear(&f);
}
END_TEST

START_TEST(imc_segments_installed_packages)
{
	struct os_facts f;
	struct outcome out;
	struct pa_tnc_builder b;
	struct parse_error pe;
	struct rx r;
	struct pa_segment_contract c;
	struct pa_segment_envelope env;
	bool done = false;
	unsigned segments = 1;

	strongswan_facts(&f);
	ck_assert_int_eq(package_list_add_synthetic(&f.pkgs, 3000), 0);
	outcome_init(&out);
	struct imc_os *imc = imc_os_new(&f, &out);
	imc_os_begin_handshake(imc);
	free(imc_os_take(imc));

	pa_tnc_builder_init(&b, 1, 1u << 20);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST);
	pa_segment_contract_encode(&b.w, &(struct pa_segment_contract){PA_SEGMENT_NO_LIMIT, 1000});
	pa_tnc_builder_end(&b);
	add_request(&b, PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES);
	ck_assert(exchange(imc, &b, &r));
	ck_assert_uint_eq(r.m.count, 2);
	ck_assert_uint_eq(r.m.attrs[0].vendor, PA_TNC_VENDOR_TCG);
	ck_assert_uint_eq(r.m.attrs[0].type, PA_SEGMENT_CONTRACT_RESPONSE);
	ck_assert_int_eq(pa_segment_contract_decode(r.m.attrs[0].value, &c, &pe), 0);
	ck_assert_uint_eq(c.max_msg_size, PA_SEGMENT_NO_LIMIT);
	ck_assert_uint_eq(c.max_seg_size, 1000);
	ck_assert_uint_eq(r.m.attrs[1].type, PA_SEGMENT_ENVELOPE);
	ck_assert_int_eq(pa_segment_envelope_decode(r.m.attrs[1].value, &env, &pe), 0);
	ck_assert_uint_eq(env.flags, PA_SEGMENT_FLAG_START | PA_SEGMENT_FLAG_MORE);
	ck_assert_uint_eq(env.segment.len, 1000);
	uint32_t base = env.base_msg_id;
	struct pa_segment_reasm *re = pa_segment_reasm_new(1u << 20);
	ck_assert_int_eq(pa_segment_reasm_feed(re, &env, &done, &pe), 0);
	rx_clear(&r);
	while (!done) {
		add_next(&b, base, false);
		ck_assert(exchange(imc, &b, &r));
		ck_assert_uint_eq(r.m.count, 1);
		ck_assert_int_eq(pa_segment_envelope_decode(r.m.attrs[0].value, &env, &pe), 0);
		ck_assert_uint_eq(env.base_msg_id, base);
		ck_assert_uint_le(env.segment.len, 1000);
		ck_assert_int_eq(pa_segment_reasm_feed(re, &env, &done, &pe), 0);
		ck_assert_uint_eq(!(env.flags & PA_SEGMENT_FLAG_MORE), done);
		segments++;
		rx_clear(&r);
	}
	struct pa_tnc_attr whole;
	struct pa_ietf_installed_packages p;
	struct pa_ietf_packages_iter it;
	struct pa_ietf_package pkg;
	ck_assert_int_eq(pa_segment_reasm_attr(re, &whole), 0);
	ck_assert_uint_eq(whole.type, PA_IETF_INSTALLED_PACKAGES);
	ck_assert_uint_eq(segments, (whole.value.len + 12 + 999) / 1000);
	ck_assert_int_eq(pa_ietf_installed_packages_decode(whole.value, &p, &pe), 0);
	ck_assert_uint_eq(p.count, 3000);
	pa_ietf_packages_iter_init(&it, &p);
	for (unsigned i = 0; i < 3000; i++) {
		ck_assert(pa_ietf_packages_next(&it, &pkg));
		ck_assert_uint_eq(pkg.name.len, 8);
		ck_assert_mem_eq(pkg.name.ptr, f.pkgs.v[i].name, 8);
	}
	pa_segment_reasm_free(re);
	/* the exchange is over: one more Next Segment is an Invalid Parameter */
	add_next(&b, base, false);
	ck_assert(exchange(imc, &b, &r));
	ck_assert_uint_eq(r.m.attrs[0].type, PA_IETF_PA_TNC_ERROR);
	struct pa_ietf_error e;
	ck_assert_int_eq(pa_ietf_error_decode(r.m.attrs[0].value, &e, &pe), 0);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(e.offset, 8 + 12 + 1); /* the Base Message ID field */
	rx_clear(&r);

	/* CANCEL drops the rest: no answer, then the ID is unknown */
	pa_tnc_builder_init(&b, 3, 1u << 20);
	add_request(&b, PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES);
	ck_assert(exchange(imc, &b, &r));
	ck_assert_int_eq(pa_segment_envelope_decode(r.m.attrs[0].value, &env, &pe), 0);
	ck_assert_uint_ne(env.base_msg_id, base);
	base = env.base_msg_id;
	rx_clear(&r);
	add_next(&b, base, true);
	ck_assert(!exchange(imc, &b, &r));
	add_next(&b, base, false);
	ck_assert(exchange(imc, &b, &r));
	ck_assert_uint_eq(r.m.attrs[0].type, PA_IETF_PA_TNC_ERROR);
	rx_clear(&r);
	imc_os_free(imc);
	outcome_clear(&out);
	os_facts_clear(&f);
}
END_TEST

START_TEST(imc_errors_and_results)
{
	struct os_facts f;
	struct outcome out;
	struct pa_tnc_builder b;
	struct parse_error pe;
	struct pa_ietf_error e;
	struct rx r;

	strongswan_facts(&f);
	outcome_init(&out);
	struct imc_os *imc = imc_os_new(&f, &out);
	/* a NOSKIP attribute the IMC does not know: Attribute Type Not Supported */
	pa_tnc_builder_init(&b, 1, 1u << 20);
	pa_tnc_builder_add(&b, PA_TNC_ATTR_FLAG_NOSKIP, 0x123456, 7, (struct bytes){NULL, 0});
	ck_assert(exchange(imc, &b, &r));
	ck_assert_uint_eq(r.m.count, 1);
	ck_assert_int_eq(pa_ietf_error_decode(r.m.attrs[0].value, &e, &pe), 0);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED);
	ck_assert_uint_eq(e.attr_vendor, 0x123456);
	rx_clear(&r);
	/* without NOSKIP it is ignored */
	pa_tnc_builder_init(&b, 1, 1u << 20);
	pa_tnc_builder_add(&b, 0, 0x123456, 7, (struct bytes){NULL, 0});
	ck_assert(!exchange(imc, &b, &r));
	/* a bad value: Invalid Parameter at its offset */
	pa_tnc_builder_init(&b, 1, 1u << 20);
	pa_tnc_builder_add(&b, 0, PA_TNC_VENDOR_IETF, PA_IETF_ATTRIBUTE_REQUEST,
	    (struct bytes){(const uint8_t *)"abc", 3});
	ck_assert(exchange(imc, &b, &r));
	ck_assert_int_eq(pa_ietf_error_decode(r.m.attrs[0].value, &e, &pe), 0);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_INVALID_PARAMETER);
	ck_assert_uint_ge(e.offset, 8 + 12);
	rx_clear(&r);
	/* an unsupported PA-TNC version */
	static const uint8_t v2[8] = {2, 0, 0, 0, 1, 2, 3, 4};
	struct pb_pa pa = {0, PB_VENDOR_IETF, IMC_OS_SUBTYPE, IMC_OS_ID, IMV_ID, {v2, 8}};
	imc_os_receive(imc, &pa);
	r.raw = imc_os_take(imc);
	ck_assert_ptr_nonnull(r.raw);
	ck_assert_uint_gt(r.raw->len, 8 + 12);
	free(r.raw);
	/* the IMV's verdict goes to the outcome */
	pa_tnc_builder_init(&b, 1, 1u << 20);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_IETF, PA_IETF_ASSESSMENT_RESULT);
	pa_ietf_assessment_result_encode(&b.w, PA_IETF_ASSESSMENT_MINOR_NON_COMPLIANCE);
	pa_tnc_builder_end(&b);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_IETF, PA_IETF_REMEDIATION_INSTRUCTIONS);
	pa_ietf_remediation_encode(&b.w, &(struct pa_ietf_remediation){PA_TNC_VENDOR_IETF,
	    PA_IETF_REMEDIATION_STRING, {NULL, 0}, {(const uint8_t *)"update\nnow\x1b\n", 12},
	    {(const uint8_t *)"en", 2}});
	pa_tnc_builder_end(&b);
	ck_assert(!exchange(imc, &b, &r));
	ck_assert_uint_eq(out.count, 2);
	ck_assert_uint_eq(out.items[0].kind, OUTCOME_IMV_ASSESSMENT);
	ck_assert_uint_eq(out.items[0].imv, IMV_ID);
	ck_assert_uint_eq(out.items[0].value, 1);
	ck_assert_uint_eq(out.items[1].kind, OUTCOME_IMV_REMEDIATION);
	ck_assert_str_eq(out.items[1].text, "update\nnow\x1b\n");
	char printed[512] = "";
	FILE *mem = fmemopen(printed, sizeof(printed) - 1, "w");
	outcome_print(&out, mem);
	fclose(mem);
	ck_assert_ptr_nonnull(strstr(printed, "access recommendation: no access"));
	ck_assert_ptr_nonnull(strstr(printed, "IMV 5 assessment result: minor non-compliance\n"));
	ck_assert_ptr_nonnull(strstr(printed,
	    "IMV 5 remediation instructions [en]: update now?\n"));
	ck_assert_int_eq(outcome_exit_code(&out), OUTCOME_EXIT_NO_ACCESS);
	/* an EXCL message for another IMC is not ours */
	struct pb_pa other = {PB_PA_FLAG_EXCL, PB_VENDOR_IETF, IMC_OS_SUBTYPE, 2, IMV_ID, {v2, 8}};
	ck_assert(!imc_os_wants(&other));
	imc_os_free(imc);
	outcome_clear(&out);
	os_facts_clear(&f);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("os_facts");
	TCase *facts = tcase_create("facts");
	tcase_add_checked_fixture(facts, setup, teardown);
	tcase_add_test(facts, collect_debian);
	tcase_add_test(facts, collect_other_values);
	tcase_add_test(facts, collect_missing_sources);
	tcase_add_test(facts, product_names);
	tcase_add_test(facts, numeric_versions);
	tcase_add_test(facts, time_format);
	tcase_add_test(facts, dpkg_edge_cases);
	tcase_add_test(facts, package_pairs_and_synthetic);
	tcase_add_test(facts, facts_file_overrides);
	tcase_add_test(facts, facts_file_errors);
	suite_add_tcase(s, facts);
	TCase *imc = tcase_create("imc");
	tcase_add_checked_fixture(imc, setup, teardown);
	tcase_add_test(imc, first_message_as_strongswan);
	tcase_add_test(imc, imc_first_message_and_requests);
	tcase_add_test(imc, imc_segments_installed_packages);
	tcase_add_test(imc, imc_errors_and_results);
	suite_add_tcase(s, imc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
