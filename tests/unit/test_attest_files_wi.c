/* test_attest_files_wi.c - the file and directory workitems (FREFM FMEAS
 * FMETA DREFM DMEAS DMETA) of the Attestation IMV (attest_filemeas.h)
 * against the fake tnc-policy of attest_imv_fake.h, and the attestation
 * IMC's answers to them (imc_attest_files.h), also without a TPM.
 *
 * The IMV: a file workitem alone asks for capabilities, the algorithm and
 * the file request in one message and nothing of the TPM; the measured
 * digests go to tnc-policy as the endpoint's paths, and its verdicts give
 * allow (all match), isolate naming the file (one differs), no result
 * (no reference); FMEAS records the digests; DMETA records the metadata;
 * a TCG PTS error fails the workitem; an answer to no request is refused.
 * The IMC: real files in a temporary directory, hashed and listed in name
 * order, missing paths, a wrong delimiter and its bounds refused with the
 * TCG PTS error codes. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attest_imv_fake.h"
#include "imc_attest.h"
#include "imc_attest_files.h"
#include "pa_ietf_error.h"
#include "pa_pts.h"
#include "pa_pts_file.h"

#define FILE_ID 11
#define FILE_PATH "/etc/app.conf"
#define DIR_PATH "/etc/app.d"

/* sha256("hello") */
static const char hello_sha256[] =
    "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

static struct ipc_policy_workitems
file_item(const char *type, const char *path)
{
	struct ipc_policy_workitems w = {0};
	w.count = 1;
	w.item[0] = (struct ipc_policy_workitem){FILE_ID, {(const uint8_t *)type, strlen(type)},
	    {(const uint8_t *)path, strlen(path)}, IMV_REC_ISOLATE, IMV_REC_NO_ACCESS};
	return w;
}

/* The IMV with the workitem, after its first message (checked: the
 * capabilities, the algorithm and the file request, no D-H). */
static struct attest_state *
asked(struct fake_policy *p, const char *type, const char *path, uint32_t want_type)
{
	struct imv_out out;
	struct seen s;
	struct attest_state *st = attest_state_new(&cfg, &port, p, 1, 65490);
	os_facts(st);
	attest_state_batch_ending(st, &out);
	ck_assert(out.hold);
	struct ipc_policy_workitems w = file_item(type, path);
	attest_state_workitems(st, p->seq, &w, &out);
	parse_out(&out, &s);
	ck_assert_ptr_nonnull(find(&s, PA_TNC_VENDOR_TCG, PA_PTS_REQ_PROTO_CAPS));
	ck_assert_ptr_nonnull(find(&s, PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO_REQ));
	ck_assert_ptr_null(find(&s, PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_REQ));
	const struct pa_tnc_attr *a = find(&s, PA_TNC_VENDOR_TCG, want_type);
	ck_assert_ptr_nonnull(a);
	struct parse_error pe;
	struct bytes got;
	bool dir;
	if (want_type == PA_PTS_REQ_FILE_MEAS) {
		struct pa_pts_file_meas_request r;
		ck_assert_int_eq(pa_pts_file_meas_request_decode(a->value, &r, &pe), 0);
		ck_assert_uint_eq(r.request_id, 1);
		ck_assert_uint_eq(r.delimiter, '/');
		got = r.path, dir = r.directory;
	} else {
		struct pa_pts_file_meta_request r;
		ck_assert_int_eq(pa_pts_file_meta_request_decode(a->value, &r, &pe), 0);
		got = r.path, dir = r.directory;
	}
	ck_assert_uint_eq(got.len, strlen(path));
	ck_assert(!memcmp(got.ptr, path, got.len));
	ck_assert(dir == (type[0] == 'D'));
	pa_tnc_msg_clear(&s.m);
	return st;
}

/* The IMC's capabilities (none: no TPM) and SHA-256, opening its answer. */
static void
caps_and_algo(void)
{
	msg_begin();
	attr(PA_TNC_VENDOR_TCG, PA_PTS_PROTO_CAPS);
	pa_pts_caps_encode(&b.w, 0);
	pa_tnc_builder_end(&b);
	attr(PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO);
	pa_pts_algo_encode(&b.w, PA_PTS_ALGO_SHA256);
	pa_tnc_builder_end(&b);
}

/* A File Measurement of n files (digest octets all fill+i) named names[i]. */
static void
file_meas(uint16_t request_id, const char *const *names, size_t n, uint8_t fill)
{
	struct pa_pts_file_meas_entry e[4];
	uint8_t d[4][32];
	for (size_t i = 0; i < n; i++) {
		memset(d[i], fill + (int)i, 32);
		e[i] = (struct pa_pts_file_meas_entry){{d[i], 32},
		    {(const uint8_t *)names[i], strlen(names[i])}};
	}
	attr(PA_TNC_VENDOR_TCG, PA_PTS_FILE_MEAS);
	pa_pts_file_meas_encode(&b.w, request_id, 32, e, n);
	pa_tnc_builder_end(&b);
}

/* The IMC's answer in, the batch ends: the lookup goes to tnc-policy. */
static void
answer_held(struct attest_state *st, struct fake_policy *p, unsigned nfiles)
{
	struct imv_out out;
	receive(st, true);
	int calls = p->files_calls;
	attest_state_batch_ending(st, &out);
	ck_assert(out.hold);
	ck_assert_int_eq(p->files_calls, calls + 1);
	ck_assert_uint_eq(p->form, IPC_FILE_DIGEST);
	ck_assert_str_eq(p->algo, "sha256");
	ck_assert_uint_eq(p->nfiles, nfiles);
	ck_assert_int_eq(p->aik_calls, 0);
}

/* tnc-policy's verdicts: the decision comes with them. */
static void
verdicts(struct attest_state *st, struct fake_policy *p, const uint8_t *v, size_t n,
    enum imv_recommendation rec)
{
	struct imv_out out;
	struct ipc_policy_file_verdicts fv = {0, {v, n}};
	attest_state_file_verdicts(st, p->seq, &fv, &out);
	ck_assert(out.done);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, rec);
	ck_assert_int_eq(p->results, 1);
	ck_assert_uint_eq(p->result_item, FILE_ID);
	ck_assert_int_eq(p->result_rec, rec);
}

START_TEST(frefm_matching_allows)
{
	struct fake_policy p = {0};
	struct attest_state *st = asked(&p, "FREFM", FILE_PATH, PA_PTS_REQ_FILE_MEAS);
	caps_and_algo();
	file_meas(1, (const char *const[]){"app.conf"}, 1, 0xab);
	answer_held(st, &p, 1);
	ck_assert_str_eq(p.paths[0], FILE_PATH);
	verdicts(st, &p, (const uint8_t[]){0}, 1, IMV_REC_ALLOW);
	ck_assert_str_eq(p.result_text, "1 files of file '/etc/app.conf' match their reference");
	attest_state_free(st);
}
END_TEST

START_TEST(frefm_differing_isolates)
{
	struct fake_policy p = {0};
	struct attest_state *st = asked(&p, "FREFM", FILE_PATH, PA_PTS_REQ_FILE_MEAS);
	caps_and_algo();
	file_meas(1, (const char *const[]){"app.conf"}, 1, 0xab);
	answer_held(st, &p, 1);
	verdicts(st, &p, (const uint8_t[]){2}, 1, IMV_REC_ISOLATE);
	ck_assert_str_eq(p.result_text, "'/etc/app.conf' differs from its reference");
	attest_state_free(st);
}
END_TEST

START_TEST(drefm_unknown_file_no_result)
{
	struct fake_policy p = {0};
	struct attest_state *st = asked(&p, "DREFM", DIR_PATH, PA_PTS_REQ_FILE_MEAS);
	caps_and_algo();
	file_meas(1, (const char *const[]){"a.conf", "b.conf"}, 2, 0x10);
	answer_held(st, &p, 2);
	ck_assert_str_eq(p.paths[0], DIR_PATH "/a.conf");
	ck_assert_str_eq(p.paths[1], DIR_PATH "/b.conf");
	verdicts(st, &p, (const uint8_t[]){0, 1}, 2, IMV_REC_NO_ACCESS);
	ck_assert_str_eq(p.result_text, "no reference hash for '/etc/app.d/b.conf'");
	attest_state_free(st);
}
END_TEST

START_TEST(fmeas_records_digests)
{
	struct fake_policy p = {0};
	char want[256];
	struct attest_state *st = asked(&p, "FMEAS", FILE_PATH, PA_PTS_REQ_FILE_MEAS);
	caps_and_algo();
	file_meas(1, (const char *const[]){"app.conf"}, 1, 0xab);
	answer_held(st, &p, 1);
	verdicts(st, &p, (const uint8_t[]){1}, 1, IMV_REC_ALLOW);
	snprintf(want, sizeof(want), "measured 1 files of file '/etc/app.conf' (0 match a reference, "
	    "1 unknown, 0 differ): sha256: /etc/app.conf %s", "abababababababababababababababab"
	    "abababababababababababababababab");
	ck_assert_str_eq(p.result_text, want);
	attest_state_free(st);
}
END_TEST

START_TEST(dmeta_records_metadata)
{
	struct fake_policy p = {0};
	struct imv_out out;
	struct pa_pts_file_meta_entry e[2] = {
	    {PA_PTS_FILE_REGULAR, 5, 1, 2, 3, 0, 0, {(const uint8_t *)"a.conf", 6}},
	    {PA_PTS_FILE_SYMLINK, 9, 1, 2, 3, 1000, 100, {(const uint8_t *)"link", 4}},
	};
	struct attest_state *st = asked(&p, "DMETA", DIR_PATH, PA_PTS_REQ_FILE_META);
	caps_and_algo();
	attr(PA_TNC_VENDOR_TCG, PA_PTS_UNIX_FILE_META);
	pa_pts_file_meta_encode(&b.w, e, 2);
	receive(st, true);
	attest_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(p.files_calls, 0);
	ck_assert_str_eq(p.result_text, "metadata of directory '/etc/app.d': 2 files: a.conf "
	    "regular size 5 owner 0 group 0 created 1 modified 2 accessed 3; link symlink size 9 "
	    "owner 1000 group 100 created 1 modified 2 accessed 3;");
	attest_state_free(st);
}
END_TEST

/* File Not Found, its information the request as sent: the workitem fails. */
START_TEST(pts_error_fails_the_workitem)
{
	struct fake_policy p = {0};
	struct imv_out out;
	struct wire_writer w;
	struct attest_state *st = asked(&p, "FREFM", FILE_PATH, PA_PTS_REQ_FILE_MEAS);
	wire_writer_init(&w, 4096);
	pa_pts_file_meas_request_encode(&w, &(struct pa_pts_file_meas_request){false, 1, '/',
	    {(const uint8_t *)FILE_PATH, strlen(FILE_PATH)}});
	struct pa_ietf_error e = {.vendor = PA_TNC_VENDOR_TCG, .code = PA_PTS_ERROR_FILE_NOT_FOUND,
	    .info = {w.buf, w.len}};
	caps_and_algo();
	attr(PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR);
	pa_ietf_error_encode(&b.w, &e);
	receive(st, true);
	wire_writer_clear(&w);
	attest_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(out.eval, IMV_EVAL_NONCOMPLIANT_MAJOR);
	ck_assert_str_eq(p.result_text, "'/etc/app.conf': File Not Found");
	attest_state_free(st);
}
END_TEST

/* A File Measurement answering no request: malformed, no access. */
START_TEST(unasked_measurement_refused)
{
	struct fake_policy p = {0};
	struct imv_out out;
	struct attest_state *st = asked(&p, "FREFM", FILE_PATH, PA_PTS_REQ_FILE_MEAS);
	caps_and_algo();
	file_meas(9, (const char *const[]){"app.conf"}, 1, 0xab);
	receive(st, true);
	attest_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(out.eval, IMV_EVAL_ERROR);
	ck_assert_ptr_nonnull(strstr(out.reason, "File Measurement"));
	ck_assert_int_eq(p.files_calls, 0);
	attest_state_free(st);
}
END_TEST

/* A directory's file named with a path: refused (names are within it). */
START_TEST(directory_name_with_delimiter_refused)
{
	struct fake_policy p = {0};
	struct imv_out out;
	struct attest_state *st = asked(&p, "DREFM", DIR_PATH, PA_PTS_REQ_FILE_MEAS);
	caps_and_algo();
	file_meas(1, (const char *const[]){"../shadow"}, 1, 0xab);
	receive(st, true);
	attest_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.eval, IMV_EVAL_ERROR);
	ck_assert_ptr_nonnull(strstr(out.reason, "File Measurement"));
	attest_state_free(st);
}
END_TEST

/* With a TPMRA workitem the file request goes with the capabilities too,
 * and the IMC must offer Trusted Platform evidence and the D-H nonce. */
START_TEST(with_tpmra_the_tpm_is_required)
{
	struct fake_policy p = {0};
	struct imv_out out;
	struct seen s;
	struct attest_state *st = attest_state_new(&cfg, &port, &p, 1, 65490);
	os_facts(st);
	attest_state_batch_ending(st, &out);
	struct ipc_policy_workitems w = tpmra("BI");
	w.item[w.count++] = file_item("FREFM", FILE_PATH).item[0];
	attest_state_workitems(st, p.seq, &w, &out);
	parse_out(&out, &s);
	ck_assert_ptr_nonnull(find(&s, PA_TNC_VENDOR_TCG, PA_PTS_REQ_PROTO_CAPS));
	ck_assert_ptr_nonnull(find(&s, PA_TNC_VENDOR_TCG, PA_PTS_REQ_FILE_MEAS));
	pa_tnc_msg_clear(&s.m);
	caps_and_algo(); /* capabilities 0 */
	receive(st, true);
	attest_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.eval, IMV_EVAL_ERROR);
	ck_assert_ptr_nonnull(strstr(out.reason, "no Trusted Platform evidence"));
	attest_state_free(st);
}
END_TEST

/* The IMC never answers: the workitem has no result. */
START_TEST(no_answer_no_result)
{
	struct fake_policy p = {0};
	struct imv_out out;
	struct attest_state *st = asked(&p, "FMETA", FILE_PATH, PA_PTS_REQ_FILE_META);
	attest_state_solicit(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(out.eval, IMV_EVAL_DONT_KNOW);
	ck_assert_ptr_nonnull(strstr(p.result_text, "no answer of the IMC for '/etc/app.conf'"));
	attest_state_free(st);
}
END_TEST

/* --- the IMC --- */

static char tmp[64];

static void
tmp_setup(void)
{
	char path[128];
	snprintf(tmp, sizeof(tmp), "/tmp/test_attest_files_wi.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	const char *files[][2] = {{"b", "world"}, {"a", "hello"}};
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, files[i][0]);
		FILE *f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs(files[i][1], f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/sub", tmp);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/link", tmp);
	ck_assert_int_eq(symlink("a", path), 0);
}

static void
tmp_teardown(void)
{
	char o[256];
	ck_assert_int_eq(tl_sh(o, sizeof(o), "rm -rf '%s'", tmp), 0);
}

/* name in the temporary directory */
static const char *
in_tmp(const char *name)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	return path;
}

static uint32_t
measure(const char *path, bool dir, uint32_t delimiter, const struct imc_files_limits *lim,
    struct pa_pts_file_meas *ret, struct wire_writer *w)
{
	char why[256] = "";
	struct parse_error pe;
	struct pa_pts_file_meas_request r = {dir, 7, delimiter,
	    {(const uint8_t *)path, strlen(path)}};
	wire_writer_init(w, 1 << 16);
	uint32_t code = imc_files_measure(&r, DIGEST_SHA256, lim, w, why, sizeof(why));
	if (!code)
		ck_assert_int_eq(pa_pts_file_meas_decode((struct bytes){w->buf, w->len}, ret, &pe), 0);
	else
		ck_assert_str_ne(why, "");
	return code;
}

static void
hex(struct bytes digest, char *out)
{
	for (size_t i = 0; i < digest.len; i++)
		sprintf(out + 2 * i, "%02x", digest.ptr[i]);
}

START_TEST(imc_measures_a_file)
{
	struct pa_pts_file_meas m;
	struct pa_pts_file_meas_iter it;
	struct pa_pts_file_meas_entry e;
	struct wire_writer w;
	char h[65];
	ck_assert_uint_eq(measure(in_tmp("a"), false, '/', &imc_files_default_limits, &m, &w), 0);
	ck_assert_uint_eq(m.count, 1);
	ck_assert_uint_eq(m.request_id, 7);
	ck_assert_uint_eq(m.meas_len, 32);
	pa_pts_file_meas_iter_init(&it, &m);
	ck_assert(pa_pts_file_meas_next(&it, &e));
	hex(e.measurement, h);
	ck_assert_str_eq(h, hello_sha256);
	ck_assert_uint_eq(e.filename.len, 1);
	ck_assert_int_eq(e.filename.ptr[0], 'a');
	wire_writer_clear(&w);
}
END_TEST

/* Regular files only (not the subdirectory, not the link), in name order. */
START_TEST(imc_measures_a_directory)
{
	struct pa_pts_file_meas m;
	struct pa_pts_file_meas_iter it;
	struct pa_pts_file_meas_entry e;
	struct wire_writer w;
	char h[65];
	ck_assert_uint_eq(measure(tmp, true, '/', &imc_files_default_limits, &m, &w), 0);
	ck_assert_uint_eq(m.count, 2);
	pa_pts_file_meas_iter_init(&it, &m);
	ck_assert(pa_pts_file_meas_next(&it, &e));
	ck_assert(e.filename.len == 1 && e.filename.ptr[0] == 'a');
	hex(e.measurement, h);
	ck_assert_str_eq(h, hello_sha256);
	ck_assert(pa_pts_file_meas_next(&it, &e));
	ck_assert(e.filename.len == 1 && e.filename.ptr[0] == 'b');
	ck_assert(!pa_pts_file_meas_next(&it, &e));
	wire_writer_clear(&w);
}
END_TEST

START_TEST(imc_refuses_with_pts_errors)
{
	struct pa_pts_file_meas m;
	struct wire_writer w;
	const struct imc_files_limits two_files = {2, 1 << 20}, four_octets = {10, 4};
	ck_assert_uint_eq(measure(in_tmp("missing"), false, '/', &imc_files_default_limits, &m, &w),
	    PA_PTS_ERROR_FILE_NOT_FOUND);
	wire_writer_clear(&w);
	ck_assert_uint_eq(measure(in_tmp("a"), false, '\\', &imc_files_default_limits, &m, &w),
	    PA_PTS_ERROR_INVALID_DELIMITER);
	wire_writer_clear(&w);
	ck_assert_uint_eq(measure("etc/passwd", false, '/', &imc_files_default_limits, &m, &w),
	    PA_PTS_ERROR_INVALID_PATH);
	wire_writer_clear(&w);
	ck_assert_uint_eq(measure(in_tmp("sub"), false, '/', &imc_files_default_limits, &m, &w),
	    PA_PTS_ERROR_INVALID_PATH);
	wire_writer_clear(&w);
	/* four entries (a, b, link, sub) are more than two */
	ck_assert_uint_eq(measure(tmp, true, '/', &two_files, &m, &w),
	    PA_PTS_ERROR_OPERATION_NOT_SUPPORTED);
	wire_writer_clear(&w);
	/* "hello" is five octets */
	ck_assert_uint_eq(measure(in_tmp("a"), false, '/', &four_octets, &m, &w),
	    PA_PTS_ERROR_OPERATION_NOT_SUPPORTED);
	wire_writer_clear(&w);
}
END_TEST

START_TEST(imc_metadata)
{
	struct pa_pts_file_meta m;
	struct pa_pts_file_meta_iter it;
	struct pa_pts_file_meta_entry e;
	struct parse_error pe;
	struct wire_writer w;
	char why[256];
	struct pa_pts_file_meta_request r = {true, '/', {(const uint8_t *)tmp, strlen(tmp)}};
	wire_writer_init(&w, 1 << 16);
	ck_assert_uint_eq(imc_files_metadata(&r, &imc_files_default_limits, &w, why, sizeof(why)),
	    0);
	ck_assert_int_eq(pa_pts_file_meta_decode((struct bytes){w.buf, w.len}, &m, &pe), 0);
	ck_assert_uint_eq(m.count, 4);
	pa_pts_file_meta_iter_init(&it, &m);
	const uint8_t types[] = {PA_PTS_FILE_REGULAR, PA_PTS_FILE_REGULAR, PA_PTS_FILE_SYMLINK,
	    PA_PTS_FILE_DIRECTORY};
	for (size_t i = 0; i < 4; i++) {
		ck_assert(pa_pts_file_meta_next(&it, &e));
		ck_assert_uint_eq(e.type, types[i]);
		if (i == 0) {
			ck_assert_uint_eq(e.size, 5);
			ck_assert_uint_eq(e.owner, getuid());
		}
	}
	wire_writer_clear(&w);
}
END_TEST

/* The IMC without a TPM ("none"): no capabilities, SHA-256 selected, the
 * file measured; a request of the TPM is refused. */
START_TEST(imc_without_tpm)
{
	struct imc_attest_config c = {IMC_ATTEST_NO_TPM, "/nonexistent", NULL, NULL, NULL,
	    IMC_ATTEST_TAMPER_NONE, NULL};
	char err[128], path[128];
	struct imc_attest *imc = imc_attest_new(&c, err, sizeof(err));
	ck_assert_ptr_nonnull(imc);
	snprintf(path, sizeof(path), "%s", in_tmp("a"));
	msg_begin();
	attr(PA_TNC_VENDOR_TCG, PA_PTS_REQ_PROTO_CAPS);
	pa_pts_caps_encode(&b.w, PA_PTS_CAP_T | PA_PTS_CAP_D);
	pa_tnc_builder_end(&b);
	attr(PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO_REQ);
	pa_pts_algo_encode(&b.w, PA_PTS_ALGO_SHA1 | PA_PTS_ALGO_SHA256);
	pa_tnc_builder_end(&b);
	attr(PA_TNC_VENDOR_TCG, PA_PTS_REQ_FILE_MEAS);
	pa_pts_file_meas_request_encode(&b.w, &(struct pa_pts_file_meas_request){false, 1, '/',
	    {(const uint8_t *)path, strlen(path)}});
	pa_tnc_builder_end(&b);
	attr(PA_TNC_VENDOR_TCG, PA_PTS_GET_AIK);
	pa_pts_reserved_encode(&b.w);
	pa_tnc_builder_end(&b);
	struct bytes msg;
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &msg), 0);
	struct pb_pa pa = {PB_PA_FLAG_EXCL, PB_VENDOR_TCG, 1, IMC_ATTEST_ID, 3, msg};
	imc_attest_receive(imc, &pa);
	pa_tnc_builder_clear(&b);
	struct imc_msg *m = imc_attest_take(imc);
	ck_assert_ptr_nonnull(m);
	struct imv_out out = {.send = true, .msg = {m->data, m->len}};
	struct seen s;
	struct parse_error pe;
	uint32_t caps;
	uint16_t algo;
	struct pa_pts_file_meas fm;
	struct pa_ietf_error e;
	parse_out(&out, &s);
	ck_assert_int_eq(pa_pts_caps_decode(find(&s, PA_TNC_VENDOR_TCG, PA_PTS_PROTO_CAPS)->value,
	    &caps, &pe), 0);
	ck_assert_uint_eq(caps, 0);
	ck_assert_int_eq(pa_pts_algo_decode(find(&s, PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO)->value,
	    &algo, &pe), 0);
	ck_assert_uint_eq(algo, PA_PTS_ALGO_SHA256);
	ck_assert_int_eq(pa_pts_file_meas_decode(find(&s, PA_TNC_VENDOR_TCG,
	    PA_PTS_FILE_MEAS)->value, &fm, &pe), 0);
	ck_assert_uint_eq(fm.count, 1);
	ck_assert_uint_eq(fm.request_id, 1);
	ck_assert_int_eq(pa_ietf_error_decode(find(&s, PA_TNC_VENDOR_IETF,
	    PA_IETF_PA_TNC_ERROR)->value, &e, &pe), 0);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_INVALID_PARAMETER);
	ck_assert_ptr_null(find(&s, PA_TNC_VENDOR_TCG, PA_PTS_AIK));
	pa_tnc_msg_clear(&s.m);
	free(m);
	imc_attest_free(imc);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("attest_files_wi");
	TCase *imv = tcase_create("imv");
	tcase_add_test(imv, frefm_matching_allows);
	tcase_add_test(imv, frefm_differing_isolates);
	tcase_add_test(imv, drefm_unknown_file_no_result);
	tcase_add_test(imv, fmeas_records_digests);
	tcase_add_test(imv, dmeta_records_metadata);
	tcase_add_test(imv, pts_error_fails_the_workitem);
	tcase_add_test(imv, unasked_measurement_refused);
	tcase_add_test(imv, directory_name_with_delimiter_refused);
	tcase_add_test(imv, with_tpmra_the_tpm_is_required);
	tcase_add_test(imv, no_answer_no_result);
	suite_add_tcase(s, imv);
	TCase *imc = tcase_create("imc");
	tcase_add_unchecked_fixture(imc, tmp_setup, tmp_teardown);
	tcase_add_test(imc, imc_measures_a_file);
	tcase_add_test(imc, imc_measures_a_directory);
	tcase_add_test(imc, imc_refuses_with_pts_errors);
	tcase_add_test(imc, imc_metadata);
	tcase_add_test(imc, imc_without_tpm);
	suite_add_tcase(s, imc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
