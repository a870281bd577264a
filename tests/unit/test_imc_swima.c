/* test_imc_swima.c - the SWIMA IMC (client/imc_swima*.c): this test plays
 * the SWIMA IMV with the codecs (pa_swima.h, pa_segment.h, swid_tag.h) on
 * a dpkg status file of the seed's 4 packages plus 3000 made-up ones and
 * the dpkg logs of tests/data/dpkg-log (EIDs 1-9, see its PROVENANCE.md).
 *
 * Checked: the whole inventory of identifiers (count, order, names, record
 * IDs, epoch and Last EID of the event history); a targeted request for
 * SWID tags (the unknown target left out, the tag parsed back); the events
 * since EID 7, and one more after a new log line; events no longer kept
 * answered by the whole inventory; a subscription that fires with the new
 * event at the next handshake (and not again without one), and while
 * watched when the log grows, refuses its ID a second time, and is
 * cleared; SWIMA Response Too Large under a small contract; the inventory
 * in segments under a small segment size, reassembled; a malformed request
 * answered with Invalid Parameter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deadline.h"
#include "imc_swima.h"
#include "log.h"
#include "pa_ietf.h"
#include "pa_ietf_error.h"
#include "pa_segment.h"
#include "pa_swima.h"
#include "pa_tnc.h"
#include "swid_tag.h"
#include "testlib.h"

#define IMV_ID 2
#define SYNTHETIC 3000
#define PACKAGES (SYNTHETIC + 4) /* and the seed's openssl, bash, telnetd, rsh-server */
#define PREFIX "debian.org__Debian_12-x86_64-"

static char dir[64], status_path[128], log0[128], log1[128], state[128];
static struct imc_swima_config cfg;
static struct imc_swima *imc;

static void
setup(void)
{
	char out[256];

	log_set_all_levels(-1);
	setenv("TZ", "UTC0", 1);
	snprintf(dir, sizeof(dir), "/tmp/test_imc_swima.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	tl_copy_testdata("dpkg-log/dpkg.log.1", dir, "dpkg.log.1");
	tl_copy_testdata("dpkg-log/dpkg.log", dir, "dpkg.log");
	snprintf(log0, sizeof(log0), "%s/dpkg.log.1", dir);
	snprintf(log1, sizeof(log1), "%s/dpkg.log", dir);
	snprintf(state, sizeof(state), "%s/swima-state", dir);
	snprintf(status_path, sizeof(status_path), "%s/status", dir);
	ck_assert_int_eq(tl_sh(out, sizeof(out), "{ cat '%s/dpkg-seed/status'; echo; for i in "
	    "$(seq 1 %d); do printf 'Package: synth%%05d\\nStatus: install ok installed\\n"
	    "Architecture: amd64\\nVersion: 1.%%d-1\\n\\n' $i $i; done; } > '%s'", TNC_TESTDATA_DIR,
	    SYNTHETIC, status_path), 0);
	cfg = (struct imc_swima_config){.source = {.dpkg_status = status_path,
	    .events = {{log0, log1}, state}},
	    .naming = {"debian.org", "tnc test", "Debian", "12 x86_64", SW_SYNTAX_DEBIAN}};
	imc = imc_swima_new(&cfg);
}

static void
teardown(void)
{
	char out[64];

	imc_swima_free(imc);
	ck_assert_int_eq(tl_sh(out, sizeof(out), "rm -rf '%s'", dir), 0);
}

/* One message from the IMV with the attributes b holds. */
static void
deliver(struct pa_tnc_builder *b)
{
	struct bytes msg;

	ck_assert_int_eq(pa_tnc_builder_finish(b, &msg), 0);
	struct pb_pa pa = {.flags = PB_PA_FLAG_EXCL, .vendor = PB_VENDOR_IETF, .subtype = 9,
	    .collector_id = IMC_SWIMA_ID, .validator_id = IMV_ID, .body = msg};
	ck_assert(imc_swima_wants(&pa));
	imc_swima_receive(imc, &pa);
	pa_tnc_builder_clear(b);
}

static void
add_request(struct pa_tnc_builder *b, uint8_t flags, uint32_t id, uint32_t earliest,
    const char *const *targets, size_t n)
{
	struct bytes ids[4];

	ck_assert_uint_le(n, 4);
	for (size_t i = 0; i < n; i++)
		ids[i] = (struct bytes){(const uint8_t *)targets[i], strlen(targets[i])};
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_SWIMA_REQUEST);
	pa_swima_request_encode(&b->w, &(struct pa_swima_request){.flags = flags,
	    .request_id = id, .earliest_eid = earliest}, ids, n);
	pa_tnc_builder_end(b);
}

static void
request(uint8_t flags, uint32_t id, uint32_t earliest, const char *const *targets, size_t n)
{
	struct pa_tnc_builder b;

	pa_tnc_builder_init(&b, 1, 1 << 20);
	add_request(&b, flags, id, earliest, targets, n);
	deliver(&b);
}

/* The one queued answer, parsed; the caller clears m and frees *ret_raw. */
struct answer {
	struct imc_msg *raw;
	struct pa_tnc_msg m;
};

static void
take_one(struct answer *a)
{
	struct pa_tnc_limits lim = {64u << 20, 64, NULL, 0};
	struct parse_error pe;

	a->raw = imc_swima_take(imc);
	ck_assert_ptr_nonnull(a->raw);
	ck_assert_ptr_null(a->raw->next);
	ck_assert_uint_eq(a->raw->validator_id, IMV_ID);
	ck_assert_uint_eq(a->raw->flags, PB_PA_FLAG_EXCL);
	ck_assert_int_eq(pa_tnc_msg_parse(a->raw->data, a->raw->len, &lim, &a->m, &pe), 0);
}

static void
answer_clear(struct answer *a)
{
	pa_tnc_msg_clear(&a->m);
	free(a->raw);
}

static const struct pa_tnc_attr *
attr_of(const struct answer *a, uint32_t vendor, uint32_t type)
{
	for (size_t i = 0; i < a->m.count; i++)
		if (a->m.attrs[i].vendor == vendor && a->m.attrs[i].type == type)
			return &a->m.attrs[i];
	ck_abort_msg("no attribute %s in the answer", pa_tnc_attr_name(vendor, type));
	return NULL;
}

/* The SWIMA error of the answer: its code and Request ID. */
static void
check_swima_error(const struct answer *a, uint32_t code, uint32_t request_id,
    struct pa_swima_error *ret)
{
	struct pa_ietf_error e;
	struct parse_error pe;
	const struct pa_tnc_attr *at = attr_of(a, PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR);

	ck_assert_int_eq(pa_ietf_error_decode(at->value, &e, &pe), 0);
	ck_assert_uint_eq(e.vendor, PA_TNC_VENDOR_IETF);
	ck_assert_uint_eq(e.code, code);
	ck_assert_int_eq(pa_swima_error_decode(e.code, e.info, ret, &pe), 0);
	ck_assert_uint_eq(ret->request_id, request_id);
}

static void
append_log(const char *line)
{
	FILE *f = fopen(log1, "a");
	ck_assert_ptr_nonnull(f);
	fputs(line, f);
	fclose(f);
}

static bool
bytes_is(struct bytes b, const char *s)
{
	return b.len == strlen(s) && memcmp(b.ptr, s, b.len) == 0;
}

START_TEST(inventory_of_identifiers)
{
	struct answer a;
	struct pa_swima_inventory v;
	struct pa_swima_inventory_iter it;
	struct pa_swima_record r;
	struct parse_error pe;
	char prev[SW_ID_MAX + 1] = "", id[SW_ID_MAX + 1];
	size_t n = 0;
	bool openssl = false;

	request(PA_SWIMA_REQ_IDS_ONLY, 77, 0, NULL, 0);
	take_one(&a);
	ck_assert_uint_eq(a.m.count, 1);
	const struct pa_tnc_attr *at = attr_of(&a, PA_TNC_VENDOR_IETF,
	    PA_IETF_SW_IDENTIFIER_INVENTORY);
	ck_assert_int_eq(pa_swima_inventory_decode(at->value, false, &v, &pe), 0);
	ck_assert_uint_eq(v.count, PACKAGES);
	ck_assert_uint_eq(v.request_id, 77);
	ck_assert_uint_eq(v.last_eid, 9);
	ck_assert_uint_ne(v.eid_epoch, 0);
	pa_swima_inventory_iter_init(&it, &v);
	while (pa_swima_inventory_next(&it, &r)) {
		ck_assert_uint_lt(r.sw_id.len, sizeof(id));
		memcpy(id, r.sw_id.ptr, r.sw_id.len);
		id[r.sw_id.len] = 0;
		ck_assert_msg(strcmp(prev, id) < 0, "%s after %s", id, prev);
		ck_assert_msg(strncmp(id, PREFIX, strlen(PREFIX)) == 0, "%s", id);
		ck_assert_uint_eq(r.record_id, sw_inventory_record_id(id));
		ck_assert_uint_eq(r.dm_pen, 0);
		ck_assert_uint_eq(r.dm_type, PA_SWIMA_DM_ISO_2015);
		ck_assert_uint_eq(r.record.len, 0);
		openssl |= strcmp(id, PREFIX "openssl-3.0.11-1") == 0;
		memcpy(prev, id, sizeof(prev));
		n++;
	}
	ck_assert_uint_eq(n, PACKAGES);
	ck_assert(openssl);
	answer_clear(&a);
}
END_TEST

START_TEST(targeted_tags)
{
	static const char *const targets[] = {PREFIX "openssl-3.0.11-1", PREFIX "emacs-29.1-1"};
	struct answer a;
	struct pa_swima_inventory v;
	struct pa_swima_inventory_iter it;
	struct pa_swima_record r;
	struct parse_error pe;
	struct swid_tag t;
	const char *why;

	request(0, 78, 0, targets, 2);
	take_one(&a);
	const struct pa_tnc_attr *at = attr_of(&a, PA_TNC_VENDOR_IETF, PA_IETF_SW_INVENTORY);
	ck_assert_int_eq(pa_swima_inventory_decode(at->value, true, &v, &pe), 0);
	ck_assert_uint_eq(v.count, 1); /* emacs is not installed: left out */
	pa_swima_inventory_iter_init(&it, &v);
	ck_assert(pa_swima_inventory_next(&it, &r));
	ck_assert(bytes_is(r.sw_id, targets[0]));
	ck_assert_int_eq(swid_tag_parse(r.record.ptr, r.record.len, &t, &why), 0);
	ck_assert_str_eq(t.name, "openssl");
	ck_assert_str_eq(t.version, "3.0.11-1");
	ck_assert_str_eq(t.tag_creator_regid, "debian.org");
	char *sw_id = swid_tag_software_id(&t);
	ck_assert_str_eq(sw_id, targets[0]);
	free(sw_id);
	swid_tag_clear(&t);
	ck_assert(!pa_swima_inventory_next(&it, &r));
	answer_clear(&a);
}
END_TEST

/* The events of an answer as "EID action name" lines. */
static void
events_text(const struct pa_tnc_attr *at, bool records, struct pa_swima_events *v, char *out,
    size_t size)
{
	struct pa_swima_events_iter it;
	struct pa_swima_event e;
	struct parse_error pe;
	size_t len = 0;

	ck_assert_int_eq(pa_swima_events_decode(at->value, records, v, &pe), 0);
	out[0] = 0;
	pa_swima_events_iter_init(&it, v);
	while (pa_swima_events_next(&it, &e))
		len += (size_t)snprintf(out + len, size - len, "%u %u %.*s\n", e.eid, e.action,
		    (int)(e.rec.sw_id.len - strlen(PREFIX)), (const char *)e.rec.sw_id.ptr +
		    strlen(PREFIX));
	ck_assert_uint_lt(len, size);
}

START_TEST(events_since)
{
	struct answer a;
	struct pa_swima_events v;
	char text[512];

	request(PA_SWIMA_REQ_IDS_ONLY, 79, 7, NULL, 0);
	take_one(&a);
	events_text(attr_of(&a, PA_TNC_VENDOR_IETF, PA_IETF_SW_IDENTIFIER_EVENTS), false, &v, text,
	    sizeof(text));
	ck_assert_str_eq(text, "7 2 nano-7.2-1\n8 1 rsh-server-0.17-22\n9 3 bash-5.2.15-2\n");
	ck_assert_uint_eq(v.count, 3);
	ck_assert_uint_eq(v.request_id, 79);
	ck_assert_uint_eq(v.last_eid, 9);
	ck_assert_uint_eq(v.last_consulted_eid, 9);
	uint32_t epoch = v.eid_epoch;
	answer_clear(&a);

	append_log("2026-12-01 10:00:00 install vim:amd64 <none> 2:9.0.1378-2\n");
	request(0, 80, 10, NULL, 0);
	take_one(&a);
	events_text(attr_of(&a, PA_TNC_VENDOR_IETF, PA_IETF_SW_EVENTS), true, &v, text,
	    sizeof(text));
	ck_assert_str_eq(text, "10 1 vim-2~9.0.1378-2\n");
	ck_assert_uint_eq(v.eid_epoch, epoch);
	ck_assert_uint_eq(v.last_eid, 10);
	answer_clear(&a);
}
END_TEST

START_TEST(expired_events_give_the_inventory)
{
	struct answer a;
	struct pa_swima_inventory v;
	struct parse_error pe;

	request(PA_SWIMA_REQ_IDS_ONLY, 81, 0, NULL, 0); /* the state names EID 9's line */
	take_one(&a);
	answer_clear(&a);
	ck_assert_int_eq(unlink(log0), 0); /* EIDs 1-5 rotated away */
	request(PA_SWIMA_REQ_IDS_ONLY, 82, 2, NULL, 0);
	take_one(&a);
	const struct pa_tnc_attr *at = attr_of(&a, PA_TNC_VENDOR_IETF,
	    PA_IETF_SW_IDENTIFIER_INVENTORY);
	ck_assert_int_eq(pa_swima_inventory_decode(at->value, false, &v, &pe), 0);
	ck_assert_uint_eq(v.count, PACKAGES);
	ck_assert_uint_eq(v.request_id, 82);
	ck_assert_uint_eq(v.last_eid, 9);
	answer_clear(&a);
}
END_TEST

START_TEST(subscription)
{
	struct answer a;
	struct pa_swima_events v;
	struct pa_swima_error e;
	char text[256];

	request(PA_SWIMA_REQ_IDS_ONLY | PA_SWIMA_REQ_SUBSCRIBE, 90, 10, NULL, 0);
	take_one(&a);
	events_text(attr_of(&a, PA_TNC_VENDOR_IETF, PA_IETF_SW_IDENTIFIER_EVENTS), false, &v, text,
	    sizeof(text));
	ck_assert_uint_eq(v.count, 0);
	answer_clear(&a);
	ck_assert_uint_eq(imc_swima_subscriptions(imc), 1);

	/* nothing new: the next handshake brings nothing */
	imc_swima_begin_handshake(imc);
	ck_assert_ptr_null(imc_swima_take(imc));

	append_log("2026-12-02 11:00:00 remove telnetd:amd64 0.17-44 <none>\n");
	imc_swima_begin_handshake(imc);
	take_one(&a);
	events_text(attr_of(&a, PA_TNC_VENDOR_IETF, PA_IETF_SW_IDENTIFIER_EVENTS), false, &v, text,
	    sizeof(text));
	ck_assert_str_eq(text, "10 2 telnetd-0.17-44\n");
	ck_assert_uint_eq(v.request_id, 90); /* the Subscription ID */
	ck_assert_uint_eq(v.last_eid, 10);
	answer_clear(&a);
	ck_assert(!imc_swima_poll(imc));

	/* the ID again: refused, not answered */
	request(PA_SWIMA_REQ_IDS_ONLY | PA_SWIMA_REQ_SUBSCRIBE, 90, 0, NULL, 0);
	take_one(&a);
	ck_assert_uint_eq(a.m.count, 1);
	check_swima_error(&a, PA_TNC_ERROR_SWIMA_SUBSCRIPTION_ID_REUSE, 90, &e);
	answer_clear(&a);

	/* watching (tncclient --swima-watch): nothing new for 300 ms, then a dpkg run */
	deadline_set(10000);
	ck_assert(!imc_swima_wait(imc, deadline_now_ms() + 300));
	append_log("2026-12-02 12:00:00 install vim:amd64 <none> 2:9.0.1378-2\n");
	ck_assert(imc_swima_wait(imc, deadline_now_ms() + 5000));
	take_one(&a);
	events_text(attr_of(&a, PA_TNC_VENDOR_IETF, PA_IETF_SW_IDENTIFIER_EVENTS), false, &v, text,
	    sizeof(text));
	ck_assert_str_eq(text, "11 1 vim-2~9.0.1378-2\n");
	answer_clear(&a);

	request(PA_SWIMA_REQ_IDS_ONLY | PA_SWIMA_REQ_CLEAR_SUBSCRIPTIONS, 91, 12, NULL, 0);
	take_one(&a);
	answer_clear(&a);
	ck_assert_uint_eq(imc_swima_subscriptions(imc), 0);
	append_log("2026-12-03 11:00:00 remove bash:amd64 5.2.15-2 <none>\n");
	imc_swima_begin_handshake(imc);
	ck_assert_ptr_null(imc_swima_take(imc));
}
END_TEST

static void
add_contract(struct pa_tnc_builder *b, uint32_t max_msg, uint32_t max_seg)
{
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST);
	pa_segment_contract_encode(&b->w, &(struct pa_segment_contract){max_msg, max_seg});
	pa_tnc_builder_end(b);
}

START_TEST(response_too_large)
{
	struct pa_tnc_builder b;
	struct answer a;
	struct pa_swima_error e;

	pa_tnc_builder_init(&b, 1, 1 << 20);
	add_request(&b, PA_SWIMA_REQ_IDS_ONLY, 92, 0, NULL, 0); /* the contract counts first */
	add_contract(&b, 100000, 65000);
	deliver(&b);
	take_one(&a);
	ck_assert_uint_eq(a.m.count, 2);
	ck_assert_uint_eq(a.m.attrs[0].type, PA_SEGMENT_CONTRACT_RESPONSE);
	check_swima_error(&a, PA_TNC_ERROR_SWIMA_RESPONSE_TOO_LARGE, 92, &e);
	ck_assert_uint_eq(e.max_size, 100000);
	answer_clear(&a);
}
END_TEST

START_TEST(segmented_inventory)
{
	struct pa_tnc_builder b;
	struct answer a;
	struct pa_segment_envelope env;
	struct pa_tnc_attr whole;
	struct pa_swima_inventory v;
	struct parse_error pe;
	struct pa_segment_reasm *rs = pa_segment_reasm_new(64u << 20);
	bool done = false;
	unsigned segments = 0;

	pa_tnc_builder_init(&b, 1, 1 << 20);
	add_contract(&b, 64u << 20, 4000);
	add_request(&b, 0, 93, 0, NULL, 0); /* with the tags: over a megabyte */
	deliver(&b);
	while (!done) {
		take_one(&a);
		const struct pa_tnc_attr *at = attr_of(&a, PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE);
		ck_assert_uint_le(at->value.len, 4000 + 4);
		ck_assert_int_eq(pa_segment_envelope_decode(at->value, &env, &pe), 0);
		ck_assert_int_eq(pa_segment_reasm_feed(rs, &env, &done, &pe), 0);
		segments++;
		answer_clear(&a);
		if (!done) {
			pa_tnc_builder_init(&b, 1, 1 << 20);
			pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_NEXT);
			pa_segment_next_encode(&b.w, &(struct pa_segment_next){false, env.base_msg_id});
			pa_tnc_builder_end(&b);
			deliver(&b);
		}
	}
	ck_assert_uint_gt(segments, 250);
	ck_assert_int_eq(pa_segment_reasm_attr(rs, &whole), 0);
	ck_assert_uint_eq(whole.type, PA_IETF_SW_INVENTORY);
	ck_assert_int_eq(pa_swima_inventory_decode(whole.value, true, &v, &pe), 0);
	ck_assert_uint_eq(v.count, PACKAGES);
	ck_assert_uint_eq(v.request_id, 93);
	pa_segment_reasm_free(rs);
	ck_assert_ptr_null(imc_swima_take(imc));
}
END_TEST

START_TEST(malformed_request)
{
	static const uint8_t bad[] = {0x20, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0}; /* 5 IDs, none there */
	struct pa_tnc_builder b;
	struct answer a;
	struct pa_ietf_error e;
	struct parse_error pe;

	pa_tnc_builder_init(&b, 1, 1 << 20);
	pa_tnc_builder_add(&b, 0, PA_TNC_VENDOR_IETF, PA_IETF_SWIMA_REQUEST,
	    (struct bytes){bad, sizeof(bad)});
	deliver(&b);
	take_one(&a);
	const struct pa_tnc_attr *at = attr_of(&a, PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR);
	ck_assert_int_eq(pa_ietf_error_decode(at->value, &e, &pe), 0);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_INVALID_PARAMETER);
	ck_assert_uint_ge(e.offset, PA_TNC_HEADER_LEN + PA_TNC_ATTR_HEADER_LEN);
	answer_clear(&a);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("imc_swima");
	TCase *tc = tcase_create("imc_swima");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, inventory_of_identifiers);
	tcase_add_test(tc, targeted_tags);
	tcase_add_test(tc, events_since);
	tcase_add_test(tc, expired_events_give_the_inventory);
	tcase_add_test(tc, subscription);
	tcase_add_test(tc, response_too_large);
	tcase_add_test(tc, segmented_inventory);
	tcase_add_test(tc, malformed_request);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
