/* test_os_state.c - the OS IMV's whole exchanges without a process,
 * driven through struct os_state (os_state.c, os_attrs.c) with a recording
 * tnc-policy port, including strongSwan's recorded messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imv_budget.h"
#include "log.h"
#include "os_state.h"
#include "pa_ietf.h"
#include "pa_segment.h"
#include "testlib.h"

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

static void
setup(void)
{
	imv_budget_reset();
}

/* --- exchanges through struct os_state --- */

#define SS "strongswan-session-os-swima/"
#define SS_DEVICE "3d1219c7c4c5404aaa1f6d2a48adfda4"
#define FAKE_LISTS 8

/* tnc-policy as the port of the OS IMV meets it: every call recorded; the
 * verdicts of the packages asked noted by name, for the test to answer. */
struct fake_list {
	uint32_t seq;
	uint16_t count;
	char first[256], last[256]; /* names of its first and last packages */
	uint8_t verdicts[IPC_POLICY_PACKAGES_MAX];
};

struct fake_result {
	uint32_t id;
	enum imv_recommendation rec;
	char text[OS_RESULT_MAX];
};

struct fake_policy {
	int workitems_err, packages_err; /* what those calls return */
	/* space-separated names; any other package gets the verdict rest */
	const char *blacklisted, *vulnerable, *unknown;
	enum os_pkg_verdict rest;
	unsigned workitems_calls;
	uint32_t workitems_seq;
	char product[2 * OS_TEXT_MAX], device[OS_TEXT_MAX];
	unsigned lists, answered;
	struct fake_list list[FAKE_LISTS];
	unsigned results;
	struct fake_result result[IPC_POLICY_WORKITEMS_MAX];
};

static bool
named_in(const char *words, struct bytes name)
{
	for (const char *p = words; p && *p;) {
		size_t n = strcspn(p, " ");
		if (n == name.len && !memcmp(p, name.ptr, n))
			return true;
		p += n;
		p += *p == ' ';
	}
	return false;
}

static int
fake_workitems(void *ctx, uint32_t seq, const char *product, const char *device)
{
	struct fake_policy *fp = ctx;
	fp->workitems_calls++;
	fp->workitems_seq = seq;
	snprintf(fp->product, sizeof(fp->product), "%s", product);
	snprintf(fp->device, sizeof(fp->device), "%s", device);
	return fp->workitems_err;
}

static int
fake_packages(void *ctx, uint32_t seq, uint16_t count, struct bytes list)
{
	struct fake_policy *fp = ctx;
	struct ipc_policy_packages m = {count, list};
	struct bytes name, version;
	size_t pos = 0;

	ck_assert_uint_lt(fp->lists, FAKE_LISTS);
	struct fake_list *l = &fp->list[fp->lists++];
	*l = (struct fake_list){.seq = seq, .count = count};
	ck_assert_uint_ge(count, 1);
	ck_assert_uint_le(count, IPC_POLICY_PACKAGES_MAX);
	for (unsigned i = 0; i < count; i++) {
		ck_assert_int_eq(ipc_policy_package_next(&m, &pos, &name, &version), 0);
		l->verdicts[i] = named_in(fp->blacklisted, name) ? OS_PKG_BLACKLISTED :
		    named_in(fp->vulnerable, name) ? OS_PKG_VULNERABLE :
		    named_in(fp->unknown, name) ? OS_PKG_UNKNOWN : fp->rest;
		bytes_cstr(name, i == 0 ? l->first : l->last, sizeof(l->last));
	}
	ck_assert_uint_eq(pos, list.len); /* count told the truth */
	return fp->packages_err;
}

static int
fake_result(void *ctx, uint32_t workitem, enum imv_recommendation rec, const char *text)
{
	struct fake_policy *fp = ctx;
	ck_assert_uint_lt(fp->results, IPC_POLICY_WORKITEMS_MAX);
	struct fake_result *r = &fp->result[fp->results++];
	r->id = workitem;
	r->rec = rec;
	snprintf(r->text, sizeof(r->text), "%s", text);
	return 0;
}

static const struct os_policy_port fake_port = {fake_workitems, fake_packages, fake_result};
static const struct os_config plain = {"", OS_SEGMENT_DEFAULT};

/* tnc-policy answers the workitems request last made. */
static void
answer_workitems(struct os_state *st, struct fake_policy *fp, const char *types,
    struct imv_out *out)
{
	struct ipc_policy_workitems w = tl_policy_workitems(types);
	os_state_workitems(st, fp->workitems_seq, &w, out);
}

/* tnc-policy answers packages request i with the verdicts it noted. */
static void
answer_list(struct os_state *st, struct fake_policy *fp, unsigned i, struct imv_out *out)
{
	ck_assert_uint_lt(i, fp->lists);
	struct ipc_policy_package_verdicts v = {0, {fp->list[i].verdicts, fp->list[i].count}};
	os_state_verdicts(st, fp->list[i].seq, &v, out);
}

/* tnc-policy answers whatever the held batch waits for, in order, until
 * it is done. */
static void
answer_held(struct os_state *st, struct fake_policy *fp, const char *types, struct imv_out *out)
{
	for (int round = 0; out->hold; round++) {
		ck_assert_int_lt(round, FAKE_LISTS + 1);
		if (st->phase == OS_PHASE_POLICY)
			answer_workitems(st, fp, types, out);
		else
			answer_list(st, fp, fp->answered++, out);
	}
}

static void
assert_idle(const struct imv_out *out)
{
	ck_assert(!out->send && !out->recommend && !out->hold && !out->done);
}

/* The batch ending waits for tnc-policy, having sent nothing. */
static void
assert_held(const struct imv_out *out)
{
	ck_assert(out->hold && !out->done && !out->send && !out->recommend);
}

static void
assert_decided(const struct imv_out *out, enum imv_recommendation rec, enum imv_evaluation eval)
{
	ck_assert(out->recommend);
	ck_assert(!out->hold);
	ck_assert_int_eq(out->rec, rec);
	ck_assert_int_eq(out->eval, eval);
}

static void
assert_result_sent(const struct fake_policy *fp, unsigned i, uint32_t id,
    enum imv_recommendation rec, const char *text)
{
	ck_assert_uint_lt(i, fp->results);
	ck_assert_uint_eq(fp->result[i].id, id);
	ck_assert_int_eq(fp->result[i].rec, rec);
	ck_assert_str_eq(fp->result[i].text, text);
}

/* The pushed facts as strongSwan's OS IMC sends them. */
static void
add_facts(struct pa_tnc_builder *b, uint32_t fwd, uint32_t pwd)
{
	struct pa_ietf_product_info pi = {9586, 0, B("Debian")};
	struct pa_ietf_string_version sv = {B("12 x86_64"), B(""), B("")};

	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION);
	pa_ietf_product_info_encode(&b->w, &pi);
	pa_tnc_builder_end(b);
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_STRING_VERSION);
	pa_ietf_string_version_encode(&b->w, &sv);
	pa_tnc_builder_end(b);
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_FORWARDING_ENABLED);
	pa_ietf_forwarding_enabled_encode(&b->w, fwd);
	pa_tnc_builder_end(b);
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED);
	pa_ietf_default_password_encode(&b->w, pwd);
	pa_tnc_builder_end(b);
}

static void
add_device(struct pa_tnc_builder *b, const char *id)
{
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_ITA, PA_ITA_DEVICE_ID);
	pa_ietf_device_id_encode(&b->w, B(id));
	pa_tnc_builder_end(b);
}

static void
add_packages(struct pa_tnc_builder *b, const struct pa_ietf_package *pkgs, size_t n)
{
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES);
	pa_ietf_installed_packages_encode(&b->w, pkgs, n);
	pa_tnc_builder_end(b);
}

/* Hands the builder's message to the state and clears the builder. */
static void
send_msg(struct os_state *st, uint16_t imc, struct pa_tnc_builder *b)
{
	struct bytes msg;
	ck_assert_int_eq(pa_tnc_builder_finish(b, &msg), 0);
	os_state_receive(st, imc, msg.ptr, msg.len);
	pa_tnc_builder_clear(b);
}

/* The facts strongSwan's IMC pushes, with a Device ID unless it is NULL. */
static void
push_facts(struct os_state *st, uint16_t imc, uint32_t fwd, uint32_t pwd, const char *device)
{
	struct pa_tnc_builder b;
	pa_tnc_builder_init(&b, 1, 1 << 20);
	add_facts(&b, fwd, pwd);
	if (device)
		add_device(&b, device);
	send_msg(st, imc, &b);
}

static const struct pa_ietf_package three[] = {
	{{(const uint8_t *)"bash", 4}, {(const uint8_t *)"5.2.15-2", 8}},
	{{(const uint8_t *)"telnetd", 7}, {(const uint8_t *)"0.17-44", 7}},
	{{(const uint8_t *)"mytool", 6}, {(const uint8_t *)"0.1", 3}},
};

/* The IMC's answer to an Attribute Request for the installed packages. */
static void
push_packages(struct os_state *st, const struct pa_ietf_package *pkgs, size_t n)
{
	struct pa_tnc_builder b;
	pa_tnc_builder_init(&b, 2, 1 << 20);
	add_packages(&b, pkgs, n);
	send_msg(st, 1, &b);
}

/* An Installed Packages attribute (header and value) of n packages. */
static struct bytes
packages_attr(struct pa_tnc_builder *b, unsigned n)
{
	struct pa_ietf_package *pkgs = calloc(n, sizeof(*pkgs));
	char (*names)[16] = calloc(n, sizeof(*names)), (*versions)[16] = calloc(n, sizeof(*versions));
	struct bytes msg;

	ck_assert(pkgs && names && versions);
	for (unsigned i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "pkg-%u", i);
		snprintf(versions[i], sizeof(versions[i]), "1.%u", i);
		pkgs[i] = (struct pa_ietf_package){B(names[i]), B(versions[i])};
	}
	pa_tnc_builder_init(b, 2, 1 << 24);
	add_packages(b, pkgs, n);
	ck_assert_int_eq(pa_tnc_builder_finish(b, &msg), 0);
	free(pkgs);
	free(names);
	free(versions);
	return (struct bytes){msg.ptr + PA_TNC_HEADER_LEN, msg.len - PA_TNC_HEADER_LEN};
}

/* A first batch from IMC 1 with product, version, device ID "dev-1" and
 * the two flags: its ending asks tnc-policy for the workitems. */
static void
first_batch(struct os_state *st, struct fake_policy *fp, uint32_t fwd, uint32_t pwd)
{
	struct imv_out out;
	unsigned calls = fp->workitems_calls;

	push_facts(st, 1, fwd, pwd, "dev-1");
	os_state_batch_ending(st, &out);
	assert_held(&out);
	ck_assert_uint_eq(fp->workitems_calls, calls + 1);
	ck_assert_str_eq(fp->product, "Debian 12 x86_64");
	ck_assert_str_eq(fp->device, "dev-1");
	ck_assert_int_eq(st->phase, OS_PHASE_POLICY);
}

/* The assessment up to the package verdicts: the workitems of types
 * (PCKGS among them) had the IMC asked for its packages, it sent three,
 * and the batch ending sent them to tnc-policy and is held. */
static void
awaiting_verdicts(struct os_state *st, struct fake_policy *fp, const char *types)
{
	struct imv_out out;

	first_batch(st, fp, 0, 0);
	answer_workitems(st, fp, types, &out);
	ck_assert(out.send && out.done && !out.hold && !out.recommend);
	push_packages(st, three, 3);
	os_state_batch_ending(st, &out);
	assert_held(&out);
	ck_assert_int_eq(st->phase, OS_PHASE_LOOKUP);
}

/* The IMV's message, parsed; attribute values stay valid with out. */
static void
parse_out(const struct imv_out *out, struct pa_tnc_msg *m)
{
	static const struct pa_tnc_limits lim = {1 << 24, 64, NULL, 0};
	struct parse_error pe;
	ck_assert(out->send);
	ck_assert_int_eq(pa_tnc_msg_parse(out->msg.ptr, out->msg.len, &lim, m, &pe), 0);
}

static void
assert_attr(const struct pa_tnc_msg *m, size_t i, uint32_t vendor, uint32_t type)
{
	ck_assert_uint_gt(m->count, i);
	ck_assert_uint_eq(m->attrs[i].vendor, vendor);
	ck_assert_uint_eq(m->attrs[i].type, type);
	ck_assert_uint_eq(m->attrs[i].flags, 0);
}

static uint32_t
assessment(const struct pa_tnc_msg *m, size_t i)
{
	uint32_t v;
	struct parse_error pe;
	assert_attr(m, i, PA_TNC_VENDOR_IETF, PA_IETF_ASSESSMENT_RESULT);
	ck_assert_int_eq(pa_ietf_assessment_result_decode(m->attrs[i].value, &v, &pe), 0);
	return v;
}

/* The message is an Assessment Result alone. */
static void
assert_only_assessment(const struct imv_out *out, uint32_t result)
{
	struct pa_tnc_msg m;
	parse_out(out, &m);
	ck_assert_uint_eq(m.count, 1);
	ck_assert_uint_eq(assessment(&m, 0), result);
	pa_tnc_msg_clear(&m);
}

static struct pa_ietf_error
error_attr(const struct pa_tnc_msg *m, size_t i)
{
	struct pa_ietf_error e;
	struct parse_error pe;
	assert_attr(m, i, PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR);
	ck_assert_int_eq(pa_ietf_error_decode(m->attrs[i].value, &e, &pe), 0);
	return e;
}

/* Attribute i of m is an Attribute Request for exactly these types. */
static void
assert_request(const struct pa_tnc_msg *m, size_t i, const struct pa_tnc_type *want, size_t n)
{
	struct pa_ietf_attr_request req;
	struct parse_error pe;

	assert_attr(m, i, PA_TNC_VENDOR_IETF, PA_IETF_ATTRIBUTE_REQUEST);
	ck_assert_int_eq(pa_ietf_attr_request_decode(m->attrs[i].value, &req, &pe), 0);
	ck_assert_uint_eq(req.count, n);
	for (size_t k = 0; k < n; k++) {
		ck_assert_uint_eq(pa_ietf_attr_request_get(&req, k).vendor, want[k].vendor);
		ck_assert_uint_eq(pa_ietf_attr_request_get(&req, k).type, want[k].type);
	}
}

static const struct pa_tnc_type installed_packages = {PA_TNC_VENDOR_IETF,
    PA_IETF_INSTALLED_PACKAGES};

/* strongSwan's session to the IMV's decision, tnc-policy giving the
 * workitems PCKGS, FWDEN and PWDEN (strongSwan's numbers) and fp's
 * verdicts; checks each step on the way.  out: the decision. */
static struct os_state *
strongswan_session(struct fake_policy *fp, struct imv_out *out)
{
	size_t n1, n3;
	uint8_t *b1 = tl_read_testdata(SS "01-c2s-CDATA-310.bin", &n1);
	uint8_t *b3 = tl_read_testdata(SS "03-c2s-CDATA-109512.bin", &n3);
	struct os_state *st = os_state_new(&plain, &fake_port, fp, 1, 2097104);
	struct ipc_policy_workitems w = tl_policy_workitems("PCKGS FWDEN PWDEN");
	struct pa_tnc_msg m;
	struct pa_segment_contract c;
	struct parse_error pe;

	ck_assert_uint_eq(n1, 310);
	ck_assert_uint_eq(n3, 109512);
	/* Batch 1: the pushed OS attributes (PA-TNC message at 63, 195 bytes). */
	os_state_receive(st, 1, b1 + 63, 195);
	ck_assert_str_eq(st->facts.product, "Debian");
	ck_assert_str_eq(st->facts.version, "12 x86_64");
	ck_assert_str_eq(st->facts.device_id, SS_DEVICE);
	ck_assert_uint_eq(st->have, (1u << OS_HAVE_PACKAGES) - 1); /* all but the packages */
	os_state_batch_ending(st, out);
	assert_held(out);
	ck_assert_uint_eq(fp->workitems_calls, 1);
	ck_assert_str_eq(fp->product, "Debian 12 x86_64");
	ck_assert_str_eq(fp->device, SS_DEVICE);

	/* The workitems: the IMC is asked for its installed packages. */
	for (unsigned i = 0; i < w.count; i++)
		w.item[i].id = 3193 + i;
	os_state_workitems(st, fp->workitems_seq, &w, out);
	ck_assert(out->done && !out->hold && !out->recommend);
	ck_assert_uint_eq(out->imc_id, 1);
	ck_assert(out->excl);
	parse_out(out, &m);
	ck_assert_uint_eq(m.count, 2);
	assert_attr(&m, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST);
	ck_assert_int_eq(pa_segment_contract_decode(m.attrs[0].value, &c, &pe), 0);
	ck_assert_uint_eq(c.max_msg_size, OS_REASM_MAX);
	ck_assert_uint_eq(c.max_seg_size, 65466);
	assert_request(&m, 1, &installed_packages, 1);
	pa_tnc_msg_clear(&m);
	ck_assert_uint_eq(fp->lists, 0);
	os_state_batch_ending(st, out); /* a round without an answer: nothing */
	assert_idle(out);

	/* Batch 3: Contract Response and 836 Installed Packages (at 32, 21119
	 * bytes); they go to tnc-policy in one list. */
	os_state_receive(st, 1, b3 + 32, 21119);
	ck_assert(st->facts.have_packages);
	ck_assert_uint_eq(st->facts.packages.total, 0); /* no verdicts yet */
	ck_assert_uint_gt(imv_budget_used(), 0);
	os_state_batch_ending(st, out);
	assert_held(out);
	ck_assert_uint_eq(fp->lists, 1);
	ck_assert_uint_eq(fp->list[0].count, 836);
	ck_assert_str_eq(fp->list[0].first, "adduser");
	ck_assert_str_eq(fp->list[0].last, "zstd");
	ck_assert_uint_eq(fp->results, 0);

	answer_list(st, fp, 0, out);
	ck_assert(out->done && out->recommend);
	ck_assert_uint_eq(fp->results, 3);
	ck_assert_uint_eq(st->facts.packages.total, 836);
	ck_assert_uint_eq(imv_budget_used(), 0);
	free(b1);
	free(b3);
	return st;
}

START_TEST(exchange_strongswan_session)
{
	struct fake_policy fp = {.blacklisted = "zstd", .vulnerable = "adduser",
	    .rest = OS_PKG_OK};
	struct imv_out out;
	struct pa_tnc_msg m;
	struct pa_ietf_remediation rem;
	struct parse_error pe;
	struct os_state *st = strongswan_session(&fp, &out);

	assert_decided(&out, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR);
	ck_assert_str_eq(out.reason,
	    "blacklisted package zstd (1.5.4+dfsg2-5), vulnerable package adduser (3.134)");
	assert_result_sent(&fp, 0, 3193, IMV_REC_ISOLATE,
	    "processed 836 packages: 1 blacklisted, 1 vulnerable, 0 outdated, 834 ok, 0 unknown; "
	    "blacklisted package zstd (1.5.4+dfsg2-5), vulnerable package adduser (3.134)");
	assert_result_sent(&fp, 1, 3194, IMV_REC_ALLOW, "IPv4 forwarding is disabled");
	assert_result_sent(&fp, 2, 3195, IMV_REC_ALLOW, "factory default password is not enabled");
	parse_out(&out, &m);
	ck_assert_uint_eq(m.count, 2);
	ck_assert_uint_eq(assessment(&m, 0), PA_IETF_ASSESSMENT_SIGNIFICANT_NON_COMPLIANCE);
	assert_attr(&m, 1, PA_TNC_VENDOR_IETF, PA_IETF_REMEDIATION_INSTRUCTIONS);
	ck_assert_int_eq(pa_ietf_remediation_decode(m.attrs[1].value, &rem, &pe), 0);
	ck_assert_uint_eq(rem.type, PA_IETF_REMEDIATION_STRING);
	ck_assert(bytes_eq_str(rem.text, "remove package zstd (1.5.4+dfsg2-5)\n"
	    "install the security update of adduser (3.134)\n"));
	ck_assert(bytes_eq_str(rem.lang, "en"));
	pa_tnc_msg_clear(&m);
	os_state_solicit(st, &out); /* decided: nothing more */
	assert_idle(&out);
	ck_assert_uint_eq(fp.results, 3);
	os_state_free(st);

	/* Every package known and fine: allow, compliant, and only the
	 * Assessment Result, as strongSwan's batch 4. */
	fp = (struct fake_policy){.rest = OS_PKG_OK};
	st = strongswan_session(&fp, &out);
	assert_decided(&out, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
	ck_assert_str_eq(out.reason, "operating system is compliant");
	assert_only_assessment(&out, PA_IETF_ASSESSMENT_COMPLIANT);
	ck_assert_uint_eq(out.msg.len, 24); /* as strongSwan's */
	for (unsigned i = 0; i < 3; i++)
		ck_assert_int_eq(fp.result[i].rec, IMV_REC_ALLOW);
	os_state_free(st);

	/* A database without this product: PCKGS has no result. */
	fp = (struct fake_policy){.rest = OS_PKG_UNKNOWN};
	st = strongswan_session(&fp, &out);
	assert_decided(&out, IMV_REC_ALLOW, IMV_EVAL_DONT_KNOW);
	ck_assert_str_eq(out.reason, "PCKGS: no result (unknown product 'Debian 12 x86_64')");
	assert_result_sent(&fp, 0, 3193, IMV_REC_ALLOW,
	    "processed 836 packages: 0 blacklisted, 0 vulnerable, 0 outdated, 0 ok, 836 unknown; "
	    "the database knows none of them for product 'Debian 12 x86_64'");
	assert_only_assessment(&out, PA_IETF_ASSESSMENT_DONT_KNOW);
	os_state_free(st);
}
END_TEST

/* A first message with the facts, Device ID "dev-2" and three packages:
 * its batch ending asks tnc-policy for the workitems and is held. */
static void
push_everything(struct os_state *st)
{
	struct pa_tnc_builder b;
	struct imv_out out;

	pa_tnc_builder_init(&b, 1, 1 << 20);
	add_facts(&b, 0, 0);
	add_device(&b, "dev-2");
	add_packages(&b, three, 3);
	send_msg(st, 1, &b);
	os_state_batch_ending(st, &out);
	assert_held(&out);
}

/* Packages pushed before the workitems are known wait for them; workitems
 * that need no packages drop them. */
START_TEST(exchange_packages_first)
{
	struct fake_policy fp = {.unknown = "mytool", .rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&plain, &fake_port, &fp, 2, 65536);
	struct pa_ietf_remediation rem;
	struct parse_error pe;
	struct pa_tnc_msg m;
	struct imv_out out;

	push_everything(st);
	ck_assert_uint_eq(fp.lists, 0); /* not before the workitems */
	ck_assert_uint_eq(imv_budget_used(), (2 + 4 + 8) + (2 + 7 + 7) + (2 + 6 + 3));

	answer_workitems(st, &fp, "UNSRC", &out);
	assert_held(&out); /* now the verdicts are awaited */
	ck_assert_uint_eq(fp.lists, 1);
	ck_assert_uint_eq(fp.list[0].count, 3);
	answer_list(st, &fp, 0, &out);
	ck_assert(out.done);
	assert_decided(&out, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR);
	ck_assert_str_eq(out.reason, "unknown package mytool (0.1)");
	assert_result_sent(&fp, 0, 1, IMV_REC_ISOLATE,
	    "processed 3 packages: 0 blacklisted, 0 vulnerable, 0 outdated, 2 ok, 1 unknown; "
	    "unknown package mytool (0.1)");
	parse_out(&out, &m);
	ck_assert_uint_eq(m.count, 2);
	ck_assert_int_eq(pa_ietf_remediation_decode(m.attrs[1].value, &rem, &pe), 0);
	ck_assert(bytes_eq_str(rem.text,
	    "remove package mytool (0.1), which is not from a known source\n"));
	pa_tnc_msg_clear(&m);

	/* Only FWDEN: the packages are not looked up, and nothing is asked. */
	os_state_restart(st);
	push_everything(st);
	answer_workitems(st, &fp, "FWDEN", &out);
	ck_assert(out.done);
	assert_decided(&out, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
	ck_assert_uint_eq(fp.lists, 1);
	ck_assert_uint_eq(imv_budget_used(), 0);
	os_state_free(st);
}
END_TEST

/* An answer meant for an earlier assessment, or for nothing asked, is
 * ignored. */
START_TEST(exchange_stale_answers)
{
	struct fake_policy fp = {.rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&plain, &fake_port, &fp, 3, 65536);
	struct ipc_policy_workitems w = tl_policy_workitems("FWDEN");
	uint8_t verdict = OS_PKG_OK;
	struct ipc_policy_package_verdicts v = {0, {&verdict, 1}};
	struct imv_out out;

	first_batch(st, &fp, 0, 0);
	uint32_t old = fp.workitems_seq;
	os_state_restart(st);
	first_batch(st, &fp, 0, 0);
	ck_assert_uint_ne(fp.workitems_seq, old);
	os_state_workitems(st, old, &w, &out);
	assert_idle(&out);
	ck_assert(!st->have_items);
	ck_assert_int_eq(st->phase, OS_PHASE_POLICY);
	os_state_verdicts(st, fp.workitems_seq, &v, &out); /* no packages were asked */
	assert_idle(&out);
	ck_assert_uint_eq(st->facts.packages.total, 0);

	os_state_workitems(st, fp.workitems_seq, &w, &out);
	ck_assert(out.done);
	assert_decided(&out, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
	assert_result_sent(&fp, 0, 1, IMV_REC_ALLOW, "IPv4 forwarding is disabled");
	os_state_workitems(st, fp.workitems_seq, &w, &out); /* twice */
	assert_idle(&out);
	ck_assert_uint_eq(fp.results, 1);
	os_state_free(st);
}
END_TEST

/* Whatever goes wrong with tnc-policy: no access, evaluation error. */
START_TEST(exchange_policy_failures)
{
	struct fake_policy fp = {.rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&plain, &fake_port, &fp, 4, 65536);
	struct ipc_policy_workitems w = tl_policy_workitems("PCKGS");
	struct imv_out out;

	/* It cannot give the workitems. */
	first_batch(st, &fp, 0, 0);
	w.status = TNC_ENOTFOUND;
	os_state_workitems(st, fp.workitems_seq, &w, &out);
	ck_assert(out.done);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR);
	ck_assert_str_eq(out.reason, "no workitems from tnc-policy: no such object");
	assert_only_assessment(&out, PA_IETF_ASSESSMENT_ERROR);
	ck_assert_uint_eq(fp.results, 0);

	/* It is not there: the batch ending is not held. */
	os_state_restart(st);
	fp.workitems_err = TNC_ECLOSED;
	push_facts(st, 1, 0, 0, "dev-1");
	os_state_batch_ending(st, &out);
	ck_assert_uint_eq(fp.workitems_calls, 2);
	ck_assert(!out.done);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR);
	ck_assert_str_eq(out.reason, "no workitems from tnc-policy: channel closed");
	assert_only_assessment(&out, PA_IETF_ASSESSMENT_ERROR);

	/* Nor when the packages are to be judged. */
	os_state_restart(st);
	fp.workitems_err = 0;
	fp.packages_err = TNC_ECLOSED;
	first_batch(st, &fp, 0, 0);
	answer_workitems(st, &fp, "PCKGS", &out);
	ck_assert(out.send && out.done && !out.recommend); /* asks the IMC */
	push_packages(st, three, 3);
	os_state_batch_ending(st, &out);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR);
	ck_assert_str_eq(out.reason, "cannot ask tnc-policy for package verdicts: channel closed");
	ck_assert_uint_eq(imv_budget_used(), 0);

	/* Its verdicts are an error: PCKGS has no result. */
	os_state_restart(st);
	fp.packages_err = 0;
	first_batch(st, &fp, 0, 0);
	w = tl_policy_workitems("PCKGS");
	w.item[0].rec_noresult = IMV_REC_ISOLATE;
	os_state_workitems(st, fp.workitems_seq, &w, &out);
	push_packages(st, three, 3);
	os_state_batch_ending(st, &out);
	assert_held(&out);
	struct ipc_policy_package_verdicts failed = {TNC_ECLOSED, {NULL, 0}};
	os_state_verdicts(st, fp.list[fp.lists - 1].seq, &failed, &out);
	ck_assert(out.done);
	assert_decided(&out, IMV_REC_ISOLATE, IMV_EVAL_DONT_KNOW);
	ck_assert_str_eq(out.reason, "PCKGS: no result (the package versions could not be looked up)");
	assert_result_sent(&fp, 0, 1, IMV_REC_ISOLATE,
	    "the package versions could not be looked up: channel closed");
	os_state_free(st);
}
END_TEST

START_TEST(exchange_policy_lost)
{
	struct fake_policy fp = {.rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&plain, &fake_port, &fp, 5, 65536);
	struct imv_out out;

	os_state_policy_lost(st, &out); /* nothing awaited */
	assert_idle(&out);

	/* While the workitems are awaited. */
	first_batch(st, &fp, 0, 0);
	os_state_policy_lost(st, &out);
	ck_assert(out.done);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR);
	ck_assert_str_eq(out.reason, "tnc-policy went away");
	assert_only_assessment(&out, PA_IETF_ASSESSMENT_ERROR);
	answer_workitems(st, &fp, "FWDEN", &out); /* too late */
	assert_idle(&out);

	/* While the verdicts are awaited. */
	os_state_restart(st);
	awaiting_verdicts(st, &fp, "PCKGS");
	os_state_policy_lost(st, &out);
	ck_assert(out.done);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR);
	ck_assert_uint_eq(imv_budget_used(), 0);
	answer_list(st, &fp, fp.lists - 1, &out);
	assert_idle(&out);

	/* While the IMC is asked: tnc-policy is not waited for. */
	os_state_restart(st);
	first_batch(st, &fp, 0, 0);
	answer_workitems(st, &fp, "PCKGS", &out);
	os_state_policy_lost(st, &out);
	assert_idle(&out);
	ck_assert_int_eq(st->phase, OS_PHASE_ASKED);
	ck_assert_uint_eq(fp.results, 0);
	os_state_free(st);
}
END_TEST

/* tnc-policy's channel pushes back: the lists wait for it to drain. */
START_TEST(exchange_back_pressure)
{
	struct fake_policy fp = {.blacklisted = "pkg-2499", .rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&plain, &fake_port, &fp, 11, 2097104);
	struct pa_tnc_builder pb;
	struct bytes attr = packages_attr(&pb, 2500);
	struct pa_tnc_builder b;
	struct imv_out out;

	os_state_policy_drained(st, &out); /* nothing waits */
	assert_idle(&out);
	first_batch(st, &fp, 0, 0);
	answer_workitems(st, &fp, "PCKGS", &out);
	pa_tnc_builder_init(&b, 9, 1 << 20);
	pa_tnc_builder_add(&b, 0, PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES,
	    (struct bytes){attr.ptr + PA_TNC_ATTR_HEADER_LEN, attr.len - PA_TNC_ATTR_HEADER_LEN});
	send_msg(st, 1, &b);

	/* The first list is refused: none went, the batch is held. */
	fp.packages_err = TNC_EAGAIN;
	os_state_batch_ending(st, &out);
	assert_held(&out);
	ck_assert_uint_eq(fp.lists, 1);
	ck_assert_ptr_null(st->lookups.sent);
	os_state_policy_drained(st, &out); /* still full */
	assert_idle(&out);
	ck_assert_uint_eq(fp.lists, 2);

	/* Drained: all three go, each with a new seq. */
	fp.packages_err = 0;
	os_state_policy_drained(st, &out);
	assert_idle(&out);
	ck_assert_uint_eq(fp.lists, 5);
	ck_assert_uint_ne(fp.list[2].seq, fp.list[0].seq);
	ck_assert_str_eq(fp.list[2].first, "pkg-0");
	ck_assert_str_eq(fp.list[4].first, "pkg-2000");
	ck_assert_uint_eq(fp.list[4].count, 500);
	answer_list(st, &fp, 0, &out); /* the refused request: never answered */
	assert_idle(&out);
	answer_list(st, &fp, 2, &out);
	answer_list(st, &fp, 3, &out);
	assert_idle(&out);
	answer_list(st, &fp, 4, &out);
	ck_assert(out.done);
	assert_decided(&out, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR);
	ck_assert_str_eq(out.reason, "blacklisted package pkg-2499 (1.2499)");
	ck_assert_uint_eq(st->facts.packages.total, 2500);
	ck_assert_uint_eq(imv_budget_used(), 0);

	/* The channel fails when it drains: no access. */
	os_state_restart(st);
	first_batch(st, &fp, 0, 0);
	answer_workitems(st, &fp, "PCKGS", &out);
	push_packages(st, three, 3);
	fp.packages_err = TNC_EAGAIN;
	os_state_batch_ending(st, &out);
	assert_held(&out);
	fp.packages_err = TNC_ECLOSED;
	os_state_policy_drained(st, &out);
	ck_assert(out.done);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR);
	ck_assert_str_eq(out.reason, "cannot ask tnc-policy for package verdicts: channel closed");
	ck_assert_uint_eq(imv_budget_used(), 0);
	pa_tnc_builder_clear(&pb);
	os_state_free(st);
}
END_TEST

/* tnccs wants the recommendation now. */
START_TEST(exchange_solicit)
{
	struct fake_policy fp = {.rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&plain, &fake_port, &fp, 6, 65536);
	struct imv_out out;

	/* Nothing from an OS IMC at all. */
	os_state_solicit(st, &out);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_DONT_KNOW);
	ck_assert_str_eq(out.reason, "no operating system information received");
	assert_only_assessment(&out, PA_IETF_ASSESSMENT_DONT_KNOW);

	/* Before the workitems came. */
	os_state_restart(st);
	first_batch(st, &fp, 0, 0);
	os_state_solicit(st, &out);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_DONT_KNOW);
	ck_assert_str_eq(out.reason, "no workitems from tnc-policy");
	answer_workitems(st, &fp, "FWDEN", &out);
	assert_idle(&out);

	/* Before the verdicts came. */
	os_state_restart(st);
	awaiting_verdicts(st, &fp, "PCKGS");
	os_state_solicit(st, &out);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR);
	ck_assert_str_eq(out.reason, "package verdicts still outstanding");
	ck_assert_uint_eq(imv_budget_used(), 0);
	ck_assert_uint_eq(fp.results, 0);

	/* With the workitems but no packages yet: judged on what is there. */
	os_state_restart(st);
	first_batch(st, &fp, 0, 0);
	answer_workitems(st, &fp, "PCKGS FWDEN", &out);
	os_state_solicit(st, &out);
	assert_decided(&out, IMV_REC_ALLOW, IMV_EVAL_DONT_KNOW);
	ck_assert_str_eq(out.reason, "PCKGS: no result (no installed packages received)");
	assert_result_sent(&fp, 0, 1, IMV_REC_ALLOW, "no installed packages received");
	assert_result_sent(&fp, 1, 2, IMV_REC_ALLOW, "IPv4 forwarding is disabled");
	os_state_free(st);
}
END_TEST

/* tnc-policy plans by product and device: without them, no access. */
START_TEST(exchange_no_identity)
{
	static const struct pa_tnc_type device = {PA_TNC_VENDOR_ITA, PA_ITA_DEVICE_ID};
	static const struct pa_tnc_type all[] = {
		{PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION},
		{PA_TNC_VENDOR_IETF, PA_IETF_STRING_VERSION},
		{PA_TNC_VENDOR_IETF, PA_IETF_FORWARDING_ENABLED},
		{PA_TNC_VENDOR_IETF, PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED},
		{PA_TNC_VENDOR_ITA, PA_ITA_DEVICE_ID},
	};
	struct fake_policy fp = {.rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&plain, &fake_port, &fp, 7, 65536);
	struct pa_tnc_msg m;
	struct imv_out out;

	/* No Device ID: asked for once. */
	push_facts(st, 1, 0, 0, NULL);
	os_state_batch_ending(st, &out);
	ck_assert(!out.hold && !out.recommend);
	parse_out(&out, &m);
	assert_request(&m, 1, &device, 1);
	pa_tnc_msg_clear(&m);
	push_facts(st, 1, 0, 0, NULL);
	os_state_batch_ending(st, &out);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_DONT_KNOW);
	ck_assert_str_eq(out.reason,
	    "the endpoint reported no usable product, version and device ID");
	assert_only_assessment(&out, PA_IETF_ASSESSMENT_DONT_KNOW);
	ck_assert_uint_eq(fp.workitems_calls, 0);

	/* No OS message at all: any IMC is asked for everything, once. */
	os_state_restart(st);
	os_state_batch_ending(st, &out);
	ck_assert_uint_eq(out.imc_id, IMV_ID_ANY);
	ck_assert(!out.excl);
	parse_out(&out, &m);
	assert_request(&m, 1, all, 5);
	pa_tnc_msg_clear(&m);
	os_state_batch_ending(st, &out); /* no answer yet: wait */
	assert_idle(&out);
	struct pa_tnc_builder b;
	pa_tnc_builder_init(&b, 4, 1024);
	add_device(&b, "dev-7");
	send_msg(st, 1, &b);
	os_state_batch_ending(st, &out);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_DONT_KNOW);
	ck_assert_uint_eq(fp.workitems_calls, 0);

	/* Without a String Version: asked for, then the product alone. */
	os_state_restart(st);
	struct pa_ietf_product_info pi = {9586, 0, B("Debian")};
	pa_tnc_builder_init(&b, 5, 1024);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION);
	pa_ietf_product_info_encode(&b.w, &pi);
	pa_tnc_builder_end(&b);
	add_device(&b, "dev-7");
	send_msg(st, 1, &b);
	os_state_batch_ending(st, &out);
	ck_assert(!out.hold);
	parse_out(&out, &m);
	assert_request(&m, 1, all + 1, 3);
	pa_tnc_msg_clear(&m);
	pa_tnc_builder_init(&b, 6, 1024);
	add_device(&b, "dev-7");
	send_msg(st, 1, &b);
	os_state_batch_ending(st, &out);
	assert_held(&out);
	ck_assert_str_eq(fp.product, "Debian");
	ck_assert_str_eq(fp.device, "dev-7");

	/* Everything reported, but the Device ID is not text: nothing to ask
	 * for (no empty Attribute Request), refused at once. */
	os_state_restart(st);
	push_facts(st, 1, 0, 0, "dev\x01binary");
	os_state_batch_ending(st, &out);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_DONT_KNOW);
	ck_assert_str_eq(out.reason,
	    "the endpoint reported no usable product, version and device ID");
	assert_only_assessment(&out, PA_IETF_ASSESSMENT_DONT_KNOW);
	ck_assert_uint_eq(fp.workitems_calls, 1);
	os_state_free(st);
}
END_TEST

/* Installed packages that can no longer count (the connection is decided)
 * hold none of the budget segments share. */
START_TEST(exchange_packages_that_do_not_count)
{
	struct fake_policy fp = {.rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&plain, &fake_port, &fp, 9, 65536);
	struct imv_out out;

	awaiting_verdicts(st, &fp, "PCKGS");
	answer_list(st, &fp, 0, &out);
	assert_decided(&out, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
	for (int i = 0; i < 5; i++) /* decided */
		push_packages(st, three, 3);
	ck_assert_uint_eq(imv_budget_used(), 0);
	os_state_restart(st);
	push_facts(st, 1, 0, 0, "dev-1");
	push_packages(st, three, 3); /* pushed before the workitems: kept */
	ck_assert_uint_gt(imv_budget_used(), 0);
	os_state_free(st);
	ck_assert_uint_eq(imv_budget_used(), 0);
}
END_TEST

START_TEST(exchange_no_workitems)
{
	struct fake_policy fp = {.rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&plain, &fake_port, &fp, 8, 65536);
	struct imv_out out;

	first_batch(st, &fp, 1, 1);
	answer_workitems(st, &fp, "", &out);
	ck_assert(out.done);
	assert_decided(&out, IMV_REC_ALLOW, IMV_EVAL_DONT_KNOW);
	ck_assert_str_eq(out.reason, "no workitems - no evaluation requested");
	assert_only_assessment(&out, PA_IETF_ASSESSMENT_DONT_KNOW);
	ck_assert_uint_eq(fp.results, 0);
	os_state_free(st);
}
END_TEST

/* A new handshake drops the workitems, the lists and their budget. */
START_TEST(exchange_restart)
{
	struct fake_policy fp = {.rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&plain, &fake_port, &fp, 9, 65536);
	struct imv_out out;

	awaiting_verdicts(st, &fp, "PCKGS FWDEN");
	ck_assert_uint_gt(imv_budget_used(), 0);
	os_state_restart(st);
	ck_assert_uint_eq(imv_budget_used(), 0);
	ck_assert_int_eq(st->phase, OS_PHASE_START);
	ck_assert(!st->have_items);
	ck_assert_uint_eq(st->items.n, 0);
	ck_assert(!os_lookups_pending(&st->lookups));
	ck_assert(!st->facts.have_packages);
	answer_list(st, &fp, 0, &out);
	assert_idle(&out);
	ck_assert_uint_eq(st->facts.packages.total, 0);
	first_batch(st, &fp, 0, 0); /* from the beginning */
	os_state_free(st);
}
END_TEST

/* More packages than the IMV's budget holds: PCKGS has no result. */
START_TEST(exchange_package_budget)
{
	struct fake_policy fp = {.rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&plain, &fake_port, &fp, 10, 2097104);
	struct pa_ietf_package *pkgs = calloc(200, sizeof(*pkgs));
	char name[255], version[255];
	struct pa_tnc_builder b;
	struct imv_out out;

	ck_assert_ptr_nonnull(pkgs);
	memset(name, 'n', sizeof(name));
	memset(version, 'v', sizeof(version));
	for (int i = 0; i < 200; i++)
		pkgs[i] = (struct pa_ietf_package){{(const uint8_t *)name, sizeof(name)},
		    {(const uint8_t *)version, sizeof(version)}};
	ck_assert_ptr_null(imv_budget_set("reassembly_total_max", "65536"));
	first_batch(st, &fp, 0, 0);
	answer_workitems(st, &fp, "PCKGS", &out);
	pa_tnc_builder_init(&b, 2, 1 << 20);
	add_packages(&b, pkgs, 200);
	send_msg(st, 1, &b);
	ck_assert(st->facts.packages.lookup_failed);
	ck_assert_uint_eq(imv_budget_used(), 0);
	os_state_batch_ending(st, &out);
	ck_assert_uint_eq(fp.lists, 0);
	assert_decided(&out, IMV_REC_ALLOW, IMV_EVAL_DONT_KNOW);
	assert_result_sent(&fp, 0, 1, IMV_REC_ALLOW, "the package versions could not be looked up: "
	    "a package name or version too long, or more packages than the IMV's budget holds");
	os_state_free(st);
	free(pkgs);
}
END_TEST

static void
send_envelope(struct os_state *st, const struct pa_segment_envelope *env, bool contract)
{
	struct pa_tnc_builder b;
	pa_tnc_builder_init(&b, 3, 1 << 20);
	if (contract) {
		struct pa_segment_contract c = {PA_SEGMENT_NO_LIMIT, 1000};
		pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE);
		pa_segment_contract_encode(&b.w, &c);
		pa_tnc_builder_end(&b);
	}
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE);
	pa_segment_envelope_encode(&b.w, env);
	pa_tnc_builder_end(&b);
	send_msg(st, 3, &b);
}

START_TEST(exchange_segmented)
{
	struct fake_policy fp = {.vulnerable = "pkg-1999", .rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&plain, &fake_port, &fp, 7, 4096);
	struct pa_tnc_builder pb;
	struct bytes attr = packages_attr(&pb, 2000);
	struct pa_segment_splitter sp;
	struct pa_segment_envelope env;
	struct pa_segment_contract c;
	struct pa_segment_next next;
	struct parse_error pe;
	struct imv_out out;
	struct pa_tnc_msg m;
	unsigned segments = 0;

	push_facts(st, 3, 0, 0, "dev-7");
	os_state_batch_ending(st, &out);
	assert_held(&out);
	answer_workitems(st, &fp, "PCKGS UNSRC", &out);
	parse_out(&out, &m);
	ck_assert_int_eq(pa_segment_contract_decode(m.attrs[0].value, &c, &pe), 0);
	ck_assert_uint_eq(c.max_seg_size, 4096 - 24); /* cut to fit this connection */
	assert_request(&m, 1, &installed_packages, 1);
	pa_tnc_msg_clear(&m);

	ck_assert_int_eq(pa_segment_splitter_init(&sp, attr, 0x4242, 1000), 0);
	while (pa_segment_splitter_next(&sp, &env)) {
		send_envelope(st, &env, segments++ == 0);
		os_state_batch_ending(st, &out);
		if (env.flags & PA_SEGMENT_FLAG_MORE) {
			ck_assert(!out.recommend && !out.hold);
			ck_assert_uint_gt(os_state_reasm_bytes(), 0);
			parse_out(&out, &m);
			ck_assert_uint_eq(m.count, 1);
			assert_attr(&m, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_NEXT);
			ck_assert_int_eq(pa_segment_next_decode(m.attrs[0].value, &next, &pe), 0);
			ck_assert(!next.cancel);
			ck_assert_uint_eq(next.base_msg_id, 0x4242);
			pa_tnc_msg_clear(&m);
		}
	}
	ck_assert_uint_eq(segments, (attr.len + 999) / 1000);
	ck_assert_uint_gt(segments, 20);
	/* The whole attribute is in: its packages go to tnc-policy in two lists,
	 * which hold budget until their verdicts are back. */
	assert_held(&out);
	ck_assert_ptr_null(st->reasm);
	ck_assert_uint_eq(fp.lists, 2);
	ck_assert_str_eq(fp.list[0].first, "pkg-0");
	ck_assert_str_eq(fp.list[1].first, "pkg-1000");
	ck_assert_str_eq(fp.list[1].last, "pkg-1999");
	ck_assert_uint_gt(os_state_reasm_bytes(), 0);
	answer_list(st, &fp, 1, &out);
	assert_idle(&out);
	answer_list(st, &fp, 0, &out);
	ck_assert(out.done);
	assert_decided(&out, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR);
	ck_assert_str_eq(out.reason, "vulnerable package pkg-1999 (1.1999)");
	ck_assert_uint_eq(os_state_reasm_bytes(), 0);
	ck_assert_uint_eq(st->facts.packages.total, 2000);
	ck_assert_uint_eq(st->facts.packages.count[OS_PKG_VULNERABLE], 1);
	pa_tnc_builder_clear(&pb);
	os_state_free(st);
}
END_TEST

START_TEST(exchange_segment_limits)
{
	struct fake_policy fp = {.rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&plain, &fake_port, &fp, 8, 65536);
	struct os_state *other = os_state_new(&plain, &fake_port, &fp, 9, 65536);
	uint8_t head[12] = {0, 0, 0, 0, 0, 0, 0, PA_IETF_INSTALLED_PACKAGES, 0x01, 0, 0, 13};
	struct pa_segment_envelope env = {PA_SEGMENT_FLAG_START | PA_SEGMENT_FLAG_MORE, 1,
	    {head, sizeof(head)}};
	struct imv_out out;
	struct pa_tnc_msg m;

	/* A declared Length of 16 MiB + 1 is refused: no access, error. */
	send_envelope(st, &env, false);
	ck_assert(st->failed);
	ck_assert_uint_eq(os_state_reasm_bytes(), 0);
	os_state_batch_ending(st, &out);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR);
	parse_out(&out, &m);
	ck_assert_uint_eq(error_attr(&m, 0).code, PA_TNC_ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(assessment(&m, 1), PA_IETF_ASSESSMENT_ERROR);
	pa_tnc_msg_clear(&m);

	/* The budget over all connections. */
	ck_assert_int_eq(os_state_reserve(st, OS_REASM_BUDGET), 0);
	ck_assert_int_eq(os_state_reserve(other, 1), TNC_ETOOLONG);
	os_state_drop_segments(st);
	ck_assert_int_eq(os_state_reserve(other, 1), 0);
	os_state_free(other); /* returns its byte */
	ck_assert_uint_eq(os_state_reasm_bytes(), 0);

	/* Without START, or cancelled: the exchange is over. */
	os_state_restart(st);
	head[8] = 0;
	env.flags = PA_SEGMENT_FLAG_MORE;
	send_envelope(st, &env, false);
	ck_assert(st->failed);
	os_state_restart(st);
	env.flags |= PA_SEGMENT_FLAG_START;
	send_envelope(st, &env, false);
	ck_assert(!st->failed);
	ck_assert_ptr_nonnull(st->reasm);
	struct pa_tnc_builder b;
	pa_tnc_builder_init(&b, 4, 1024);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CANCEL);
	pa_segment_cancel_encode(&b.w, 1);
	pa_tnc_builder_end(&b);
	send_msg(st, 3, &b);
	ck_assert_ptr_null(st->reasm);
	ck_assert_uint_eq(os_state_reasm_bytes(), 0);

	/* A reassembled attribute with NOSKIP that the IMV does not know. */
	static const uint8_t unknown[14] = {0x80, 0x00, 0x12, 0x34, 0, 0, 0, 9, 0, 0, 0, 14, 1, 2};
	env = (struct pa_segment_envelope){PA_SEGMENT_FLAG_START, 2, {unknown, sizeof(unknown)}};
	send_envelope(st, &env, false);
	ck_assert(!st->failed);
	ck_assert_ptr_null(st->reasm);
	os_state_batch_ending(st, &out);
	parse_out(&out, &m);
	struct pa_ietf_error e = error_attr(&m, 0);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED);
	ck_assert_uint_eq(e.attr_vendor, 0x1234);
	ck_assert_uint_eq(e.attr_type, 9);
	pa_tnc_msg_clear(&m);

	/* An envelope inside a reassembled attribute is refused. */
	uint8_t nested[12 + 4 + 12] = {0, 0x00, 0x55, 0x97, 0, 0, 0, PA_SEGMENT_ENVELOPE, 0, 0, 0, 28,
	    PA_SEGMENT_FLAG_START, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 12};
	env = (struct pa_segment_envelope){PA_SEGMENT_FLAG_START, 3, {nested, sizeof(nested)}};
	send_envelope(st, &env, false);
	ck_assert(st->failed);
	ck_assert_uint_eq(os_state_reasm_bytes(), 0);
	ck_assert_uint_eq(fp.workitems_calls, 0);
	os_state_free(st);
}
END_TEST

START_TEST(exchange_malformed)
{
	struct fake_policy fp = {.rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&plain, &fake_port, &fp, 2, 65536);
	static const uint8_t truncated[] = {1, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0};
	struct pa_tnc_builder b;
	struct pa_ietf_error e;
	struct imv_out out;
	struct pa_tnc_msg m;

	os_state_receive(st, 1, truncated, sizeof(truncated));
	ck_assert(st->failed);
	push_facts(st, 1, 0, 0, "dev-1"); /* ignored after a malformed message */
	ck_assert(!st->facts.have_product);
	os_state_batch_ending(st, &out);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR);
	ck_assert_str_eq(out.reason, "malformed PA-TNC message from IMC 1 at offset 8");
	ck_assert_uint_eq(fp.workitems_calls, 0);
	parse_out(&out, &m);
	e = error_attr(&m, 0);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(e.offset, 8);
	ck_assert_mem_eq(e.msg_info, truncated, 8);
	ck_assert_uint_eq(assessment(&m, 1), PA_IETF_ASSESSMENT_ERROR);
	pa_tnc_msg_clear(&m);

	/* A value that does not decode: its offset within the message. */
	os_state_restart(st);
	ck_assert(!st->failed);
	pa_tnc_builder_init(&b, 5, 1024);
	add_facts(&b, 0, 0);
	pa_tnc_builder_add(&b, 0, PA_TNC_VENDOR_IETF, PA_IETF_FORWARDING_ENABLED,
	    (struct bytes){(const uint8_t *)"\0\0\0\7", 4});
	send_msg(st, 1, &b);
	ck_assert(st->failed);
	os_state_solicit(st, &out);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR);
	parse_out(&out, &m);
	e = error_attr(&m, 0);
	ck_assert_uint_eq(e.offset, 8 + 23 + 24 + 16 + 16 + 12); /* the fifth attribute's value */
	pa_tnc_msg_clear(&m);

	/* A malformed PA-TNC Error fails the connection but is not answered. */
	os_state_restart(st);
	pa_tnc_builder_init(&b, 5, 1024);
	pa_tnc_builder_add(&b, 0, PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR, B("abc"));
	send_msg(st, 1, &b);
	ck_assert(st->failed);
	os_state_batch_ending(st, &out);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR);
	assert_only_assessment(&out, PA_IETF_ASSESSMENT_ERROR);

	/* The IMC's answer to the workitems' request is malformed: no results. */
	os_state_restart(st);
	first_batch(st, &fp, 0, 0);
	answer_workitems(st, &fp, "PCKGS", &out);
	os_state_receive(st, 1, truncated, sizeof(truncated));
	os_state_batch_ending(st, &out);
	assert_decided(&out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR);
	ck_assert_uint_eq(fp.lists, 0);
	ck_assert_uint_eq(fp.results, 0);
	os_state_free(st);
}
END_TEST

START_TEST(exchange_unsupported)
{
	struct fake_policy fp = {.rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&plain, &fake_port, &fp, 3, 65536);
	struct pa_tnc_builder b;
	struct pa_ietf_error e;
	struct imv_out out;
	struct pa_tnc_msg m;
	uint8_t v2[8] = {2, 0, 0, 0, 0, 0, 0, 1};

	/* An unknown attribute without NOSKIP is skipped, the rest taken. */
	pa_tnc_builder_init(&b, 6, 1024);
	pa_tnc_builder_add(&b, 0, 0x001234, 9, B("whatever"));
	add_facts(&b, 0, 0);
	send_msg(st, 1, &b);
	ck_assert(st->facts.have_product);
	ck_assert(!st->failed);

	/* With NOSKIP: the whole message is ignored and refused. */
	os_state_restart(st);
	pa_tnc_builder_init(&b, 7, 1024);
	add_facts(&b, 1, 1);
	pa_tnc_builder_add(&b, PA_TNC_ATTR_FLAG_NOSKIP, 0x001234, 9, B("whatever"));
	send_msg(st, 1, &b);
	ck_assert(!st->facts.have_product);
	ck_assert_int_eq(st->facts.forwarding, OS_FACT_UNSET);
	/* So is a PA-TNC version we do not speak. */
	os_state_receive(st, 1, v2, sizeof(v2));
	ck_assert(!st->failed);
	os_state_batch_ending(st, &out);
	ck_assert(!out.recommend);
	parse_out(&out, &m);
	ck_assert_uint_eq(m.count, 4);
	e = error_attr(&m, 0);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED);
	ck_assert_uint_eq(e.attr_flags, PA_TNC_ATTR_FLAG_NOSKIP);
	ck_assert_uint_eq(e.attr_vendor, 0x001234);
	ck_assert_uint_eq(e.attr_type, 9);
	e = error_attr(&m, 1);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_VERSION_NOT_SUPPORTED);
	ck_assert_mem_eq(e.msg_info, v2, 8);
	assert_attr(&m, 2, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST);
	assert_attr(&m, 3, PA_TNC_VENDOR_IETF, PA_IETF_ATTRIBUTE_REQUEST);
	pa_tnc_msg_clear(&m);

	/* The IMC's Segmentation Contract Request is answered in the next message. */
	os_state_restart(st);
	struct pa_segment_contract c = {PA_SEGMENT_NO_LIMIT, 2097080};
	pa_tnc_builder_init(&b, 8, 1024);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST);
	pa_segment_contract_encode(&b.w, &c);
	pa_tnc_builder_end(&b);
	add_facts(&b, 0, 0);
	send_msg(st, 1, &b);
	os_state_batch_ending(st, &out);
	parse_out(&out, &m);
	ck_assert_uint_eq(m.count, 3);
	assert_attr(&m, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE);
	assert_attr(&m, 1, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST);
	pa_tnc_msg_clear(&m);
	os_state_batch_ending(st, &out); /* answered once */
	ck_assert(!out.send);
	os_state_free(st);
}
END_TEST

START_TEST(exchange_remediation)
{
	static const struct os_config with_uri = {"https://fix.test", OS_SEGMENT_DEFAULT};
	struct fake_policy fp = {.rest = OS_PKG_OK};
	struct os_state *st = os_state_new(&with_uri, &fake_port, &fp, 4, 65536);
	struct pa_ietf_remediation rem;
	struct parse_error pe;
	struct imv_out out;
	struct pa_tnc_msg m;

	/* What the workitems need is there: decided with their answer. */
	first_batch(st, &fp, 1, 0);
	answer_workitems(st, &fp, "FWDEN PWDEN", &out);
	ck_assert(out.done);
	assert_decided(&out, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR);
	ck_assert_str_eq(out.reason, "IPv4 forwarding enabled");
	assert_result_sent(&fp, 0, 1, IMV_REC_ISOLATE, "IPv4 forwarding is enabled");
	assert_result_sent(&fp, 1, 2, IMV_REC_ALLOW, "factory default password is not enabled");
	parse_out(&out, &m);
	ck_assert_uint_eq(m.count, 3);
	ck_assert_uint_eq(assessment(&m, 0), PA_IETF_ASSESSMENT_SIGNIFICANT_NON_COMPLIANCE);
	assert_attr(&m, 1, PA_TNC_VENDOR_IETF, PA_IETF_REMEDIATION_INSTRUCTIONS);
	ck_assert_int_eq(pa_ietf_remediation_decode(m.attrs[1].value, &rem, &pe), 0);
	ck_assert_uint_eq(rem.type, PA_IETF_REMEDIATION_STRING);
	ck_assert(bytes_eq_str(rem.text, "disable IPv4 forwarding\nsee https://fix.test\n"));
	assert_attr(&m, 2, PA_TNC_VENDOR_IETF, PA_IETF_REMEDIATION_INSTRUCTIONS);
	ck_assert_int_eq(pa_ietf_remediation_decode(m.attrs[2].value, &rem, &pe), 0);
	ck_assert_uint_eq(rem.type, PA_IETF_REMEDIATION_URI);
	ck_assert(bytes_eq_str(rem.text, "https://fix.test"));
	pa_tnc_msg_clear(&m);

	/* Compliant: no remediation, not even the URI. */
	os_state_restart(st);
	first_batch(st, &fp, 0, 0);
	answer_workitems(st, &fp, "FWDEN PWDEN", &out);
	assert_decided(&out, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
	assert_only_assessment(&out, PA_IETF_ASSESSMENT_COMPLIANT);

	/* A small connection: the remediation does not fit, the result goes. */
	os_state_free(st);
	st = os_state_new(&with_uri, &fake_port, &fp, 5, 40);
	first_batch(st, &fp, 1, 1);
	answer_workitems(st, &fp, "FWDEN PWDEN", &out);
	assert_decided(&out, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR);
	ck_assert_uint_le(out.msg.len, 40);
	assert_only_assessment(&out, PA_IETF_ASSESSMENT_SIGNIFICANT_NON_COMPLIANCE);
	os_state_free(st);
}
END_TEST

/* Whatever bytes arrive, the state neither crashes nor leaks (ASan), and
 * every assessment ends with a recommendation. */
START_TEST(exchange_robust)
{
	size_t n1, n3;
	uint8_t *b1 = tl_read_testdata(SS "01-c2s-CDATA-310.bin", &n1);
	uint8_t *b3 = tl_read_testdata(SS "03-c2s-CDATA-109512.bin", &n3);
	const char *types = "PCKGS UNSRC FWDEN PWDEN SWIDT";
	struct imv_out out;
	uint8_t msg[256];

	log_set_all_levels(-1);
	for (size_t i = 0; i < 195; i++) {
		for (unsigned x = 1; x < 256; x <<= 1) {
			struct fake_policy fp = {.blacklisted = "zstd", .rest = OS_PKG_OK};
			struct os_state *st = os_state_new(&plain, &fake_port, &fp, 1, 65536);
			memcpy(msg, b1 + 63, 195);
			msg[i] ^= (uint8_t)x;
			os_state_receive(st, 1, msg, 195);
			os_state_batch_ending(st, &out);
			answer_held(st, &fp, types, &out);
			os_state_receive(st, 1, b3 + 32, 21119);
			os_state_batch_ending(st, &out);
			answer_held(st, &fp, types, &out);
			os_state_solicit(st, &out);
			ck_assert_int_eq(st->phase, OS_PHASE_DECIDED);
			os_state_free(st);
		}
	}
	for (size_t len = 0; len <= 21119; len += len < 400 ? 1 : 97) {
		struct fake_policy fp = {.rest = OS_PKG_UNKNOWN};
		struct os_state *st = os_state_new(&plain, &fake_port, &fp, 1, 65536);
		os_state_receive(st, 1, b1 + 63, 195);
		os_state_batch_ending(st, &out);
		answer_held(st, &fp, types, &out);
		os_state_receive(st, 1, b3 + 32, len);
		os_state_solicit(st, &out);
		ck_assert(out.recommend);
		os_state_free(st);
	}
	ck_assert_uint_eq(os_state_reasm_bytes(), 0);
	free(b1);
	free(b3);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("os_state");
	TCase *tc = tcase_create("exchange");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, exchange_strongswan_session);
	tcase_add_test(tc, exchange_packages_first);
	tcase_add_test(tc, exchange_stale_answers);
	tcase_add_test(tc, exchange_policy_failures);
	tcase_add_test(tc, exchange_policy_lost);
	tcase_add_test(tc, exchange_back_pressure);
	tcase_add_test(tc, exchange_solicit);
	tcase_add_test(tc, exchange_no_identity);
	tcase_add_test(tc, exchange_no_workitems);
	tcase_add_test(tc, exchange_packages_that_do_not_count);
	tcase_add_test(tc, exchange_restart);
	tcase_add_test(tc, exchange_package_budget);
	tcase_add_test(tc, exchange_segmented);
	tcase_add_test(tc, exchange_segment_limits);
	tcase_add_test(tc, exchange_malformed);
	tcase_add_test(tc, exchange_unsupported);
	tcase_add_test(tc, exchange_remediation);
	tcase_add_test(tc, exchange_robust);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
