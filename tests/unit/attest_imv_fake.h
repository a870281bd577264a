/* attest_imv_fake.h - what the unit tests of the Attestation IMV's state
 * machine (attest_state.h) share: a fake tnc-policy that records each
 * request (struct fake_policy, its port and a configuration), and the
 * IMC's side of the messages: one PA-TNC message built at a time (b),
 * handed to the state, the IMV's answer parsed, the Operating System facts
 * and a TPMRA workitem.  Included by one test file each (static).
 */
#ifndef TNC_TEST_ATTEST_IMV_FAKE_H
#define TNC_TEST_ATTEST_IMV_FAKE_H

#include <stdio.h>
#include <string.h>

#include "attest_state.h"
#include "pa_ietf.h"
#include "testlib.h"

#define TPMRA_ID 7
#define DEVICE "732c769e8d1b2efef8b64d5ae83f84d129733fdd"

/* --- the fake tnc-policy --- */

struct fake_policy {
	int workitems_calls, files_calls, aik_calls, results;
	uint32_t seq;
	char product[256], device[256];
	int fail_with; /* returned by every request when not 0 */
	/* the last files request, copied */
	uint8_t form;
	char algo[16], template_algo[16];
	uint16_t nfiles;
	char paths[8][256];
	uint32_t result_item;
	enum imv_recommendation result_rec;
	char result_text[ATTEST_RESULT_MAX];
};

static int
fp_workitems(void *ctx, uint32_t seq, const char *product, const char *device)
{
	struct fake_policy *p = ctx;
	p->workitems_calls++;
	p->seq = seq;
	snprintf(p->product, sizeof(p->product), "%s", product);
	snprintf(p->device, sizeof(p->device), "%s", device);
	return p->fail_with;
}

static int
fp_files(void *ctx, uint32_t seq, const struct ipc_policy_files *m)
{
	struct fake_policy *p = ctx;
	struct bytes path, hash;
	size_t pos = 0;
	p->files_calls++;
	p->seq = seq;
	p->form = m->form;
	bytes_cstr(m->algo, p->algo, sizeof(p->algo));
	bytes_cstr(m->template_algo, p->template_algo, sizeof(p->template_algo));
	p->nfiles = m->count;
	for (unsigned i = 0; i < m->count && i < 8; i++) {
		ck_assert_int_eq(ipc_policy_file_next(m, &pos, &path, &hash), 0);
		bytes_cstr(path, p->paths[i], sizeof(p->paths[i]));
	}
	return p->fail_with;
}

static int
fp_aik(void *ctx, uint32_t seq)
{
	struct fake_policy *p = ctx;
	p->aik_calls++;
	p->seq = seq;
	return p->fail_with;
}

static int
fp_result(void *ctx, uint32_t workitem, enum imv_recommendation rec, const char *text)
{
	struct fake_policy *p = ctx;
	p->results++;
	p->result_item = workitem;
	p->result_rec = rec;
	snprintf(p->result_text, sizeof(p->result_text), "%s", text);
	return 0;
}

static const struct attest_policy_port port = {fp_workitems, fp_files, fp_aik, fp_result};
static const struct attest_config cfg = {ATTEST_SEGMENT_DEFAULT, ATTEST_EVENTS_DEFAULT};

/* --- the IMC side's messages --- */

static struct pa_tnc_builder b;

static void
msg_begin(void)
{
	pa_tnc_builder_init(&b, 0x1234, 1 << 20);
}

static void
attr(uint32_t vendor, uint32_t type)
{
	pa_tnc_builder_begin(&b, 0, vendor, type);
}

static void
receive(struct attest_state *st, bool pts)
{
	struct bytes m;
	if (b.open)
		pa_tnc_builder_end(&b);
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &m), 0);
	attest_state_receive(st, pts, pts ? 3 : 1, m.ptr, m.len);
	pa_tnc_builder_clear(&b);
}

/* The attributes of the IMV's message, by type (up to 8). */
struct seen {
	struct pa_tnc_msg m;
	size_t n;
};

static const struct pa_tnc_attr *
find(const struct seen *s, uint32_t vendor, uint32_t type)
{
	for (size_t i = 0; i < s->m.count; i++)
		if (s->m.attrs[i].vendor == vendor && s->m.attrs[i].type == type)
			return &s->m.attrs[i];
	return NULL;
}

static void
parse_out(const struct imv_out *out, struct seen *s)
{
	static const struct pa_tnc_limits lim = {1 << 20, 64, NULL, 0};
	struct parse_error pe;
	ck_assert(out->send);
	ck_assert_int_eq(pa_tnc_msg_parse(out->msg.ptr, out->msg.len, &lim, &s->m, &pe), 0);
}

static void
os_facts(struct attest_state *st)
{
	struct pa_ietf_product_info pi = {28428, 0, {(const uint8_t *)"Ubuntu", 6}};
	struct pa_ietf_string_version sv = {{(const uint8_t *)"20.04 x86_64", 12}, {0}, {0}};
	msg_begin();
	attr(PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION);
	pa_ietf_product_info_encode(&b.w, &pi);
	pa_tnc_builder_end(&b);
	attr(PA_TNC_VENDOR_IETF, PA_IETF_STRING_VERSION);
	pa_ietf_string_version_encode(&b.w, &sv);
	pa_tnc_builder_end(&b);
	attr(PA_TNC_VENDOR_ITA, PA_ITA_DEVICE_ID);
	pa_ietf_device_id_encode(&b.w, (struct bytes){(const uint8_t *)DEVICE, strlen(DEVICE)});
	receive(st, false);
}

static struct ipc_policy_workitems
tpmra(const char *argument)
{
	struct ipc_policy_workitems w = {0};
	w.count = 1;
	w.item[0] = (struct ipc_policy_workitem){TPMRA_ID, {(const uint8_t *)"TPMRA", 5},
	    {(const uint8_t *)argument, strlen(argument)}, IMV_REC_ISOLATE, IMV_REC_NO_ACCESS};
	return w;
}

#endif
