/* fuzz_pts.c - libFuzzer harness for the PTS attribute values (TCG PTS
 * IF-M binding and strongSwan's ITA-HSR Get Symlinks / Symlinks).
 *
 * The first input octet picks an attribute type, the rest is its value.
 * A value that decodes must encode to the same length (every field is
 * re-encoded, lists through their iterators, which must yield exactly the
 * decoded count), reach a fixed point after one more round, and give back
 * the very octets where the encoding has no reserved or ignored bits; a
 * refusal must carry a reason and an offset inside the value.  The rest is
 * also fed to every other decoder.  Any mismatch aborts.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pa_ietf.h"
#include "pa_pts.h"
#include "pa_pts_comp.h"
#include "pa_pts_file.h"
#include "pa_pts_final.h"
#include "pa_pts_report.h"
#include "pa_pts_symlinks.h"
#include "pa_tnc.h"
#include "pa_pts_names.h"

#define MAX_VALUE (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

/* Decodes v and encodes the result into w; the decoder's return code. */
typedef int reencode_fn(struct bytes v, struct wire_writer *w, struct parse_error *e);

static int
re_reserved(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	int rc = pa_pts_reserved_decode(v, e);

	if (rc == 0)
		pa_pts_reserved_encode(w);
	return rc;
}

static int
re_caps(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	uint32_t caps;
	int rc = pa_pts_caps_decode(v, &caps, e);
	char text[PA_PTS_TEXT_MAX];

	if (rc == 0) {
		check(strlen(pa_pts_caps_text(text, sizeof(text), caps)) == 5);
		pa_pts_caps_encode(w, caps);
	}
	return rc;
}

static int
re_algo_request(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	uint16_t set;
	int rc = pa_pts_algo_request_decode(v, &set, e);
	char text[PA_PTS_TEXT_MAX];

	if (rc == 0) {
		pa_pts_algo_set_text(text, sizeof(text), set);
		pa_pts_algo_encode(w, set);
	}
	return rc;
}

static int
re_algo(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	uint16_t algo;
	int rc = pa_pts_algo_decode(v, &algo, e);

	if (rc == 0) {
		check(pa_pts_algo_size(algo) > 0 && strcmp(pa_pts_algo_name(algo), "unknown") != 0);
		pa_pts_algo_encode(w, algo);
	}
	return rc;
}

static int
re_dh_request(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct pa_pts_dh_request d;
	int rc = pa_pts_dh_request_decode(v, &d, e);

	if (rc == 0)
		pa_pts_dh_request_encode(w, &d);
	return rc;
}

static int
re_dh_response(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct pa_pts_dh_response d;
	int rc = pa_pts_dh_response_decode(v, &d, e);

	if (rc == 0) {
		check(d.public_value.len == pa_pts_dh_public_size(d.group));
		pa_pts_dh_response_encode(w, &d);
	}
	return rc;
}

static int
re_dh_finish(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct pa_pts_dh_finish d;
	int rc = pa_pts_dh_finish_decode(v, &d, e);

	if (rc == 0)
		pa_pts_dh_finish_encode(w, &d);
	return rc;
}

static int
re_tpm_version(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct pa_pts_tpm_version t;
	int rc = pa_pts_tpm_version_decode(v, &t, e);
	char text[PA_PTS_TEXT_MAX];

	if (rc == 0) {
		pa_pts_tpm_version_text(text, sizeof(text), &t);
		pa_pts_tpm_version_encode(w, &t);
	}
	return rc;
}

static int
re_aik(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct pa_pts_aik a;
	int rc = pa_pts_aik_decode(v, &a, e);

	if (rc == 0)
		pa_pts_aik_encode(w, &a);
	return rc;
}

static int
re_comp_request(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct pa_pts_comp_request_entry entries[PA_PTS_MAX_COMPONENTS];
	struct pa_pts_comp_request req;
	int rc = pa_pts_comp_request_decode(v, &req, e);
	char text[PA_PTS_TEXT_MAX];

	if (rc == 0) {
		check(req.count > 0 && req.count <= PA_PTS_MAX_COMPONENTS);
		for (size_t i = 0; i < req.count; i++) {
			entries[i] = pa_pts_comp_request_get(&req, i);
			pa_pts_comp_text(text, sizeof(text), &entries[i].name);
		}
		pa_pts_comp_request_encode(w, entries, req.count);
	}
	return rc;
}

static int
re_comp_evidence(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct pa_pts_comp_evidence c;
	struct pa_pts_ima_uri ima;
	int rc = pa_pts_comp_evidence_decode(v, &c, e);
	char text[PA_PTS_TIME_LEN + 1];
	int64_t unix_time;
	bool known;

	if (rc == 0) {
		check(pa_pts_time_parse(c.time, &known, &unix_time) == 0);
		/* The text of a parsed time formats back to the same time. */
		pa_pts_time_format(text, known, unix_time);
		if (!known || memcmp(c.time.ptr + 17, "60", 2) != 0)
			check(memcmp(text, c.time.ptr, PA_PTS_TIME_LEN) == 0);
		pa_pts_ima_uri_split(c.policy_uri, &ima);
		check(ima.path.len + (ima.has_algo ? ima.algo.len + 1 : 0) == c.policy_uri.len);
		pa_pts_comp_evidence_encode(w, &c);
	}
	return rc;
}

static int
re_final(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct pa_pts_final f;
	struct pa_pts_pcr_select_iter it;
	struct bytes select;
	uint16_t hash;
	int rc = pa_pts_final_decode(v, &f, e);

	if (rc == 0) {
		pa_pts_pcr_select_iter_init(&it, f.pcr_select);
		while (pa_pts_pcr_select_next(&it, &hash, &select))
			check(select.len <= PA_PTS_PCR_SELECT_MAX);
		pa_pts_final_encode(w, &f);
	}
	return rc;
}

static int
re_file_meas_request(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct pa_pts_file_meas_request r;
	int rc = pa_pts_file_meas_request_decode(v, &r, e);

	if (rc == 0)
		pa_pts_file_meas_request_encode(w, &r);
	return rc;
}

static int
re_file_meas(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct pa_pts_file_meas m;
	struct pa_pts_file_meas_iter it;
	struct pa_pts_file_meas_entry *files;
	size_t n = 0;
	int rc = pa_pts_file_meas_decode(v, &m, e);

	if (rc)
		return rc;
	files = calloc((size_t)m.count + 1, sizeof(*files));
	check(files != NULL);
	pa_pts_file_meas_iter_init(&it, &m);
	while (pa_pts_file_meas_next(&it, &files[n]))
		n++;
	check(n == m.count);
	pa_pts_file_meas_encode(w, m.request_id, m.meas_len, files, n);
	free(files);
	return 0;
}

static int
re_file_meta_request(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct pa_pts_file_meta_request r;
	int rc = pa_pts_file_meta_request_decode(v, &r, e);

	if (rc == 0)
		pa_pts_file_meta_request_encode(w, &r);
	return rc;
}

static int
re_file_meta(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct pa_pts_file_meta m;
	struct pa_pts_file_meta_iter it;
	struct pa_pts_file_meta_entry *files;
	size_t n = 0;
	int rc = pa_pts_file_meta_decode(v, &m, e);

	if (rc)
		return rc;
	files = calloc((size_t)m.count + 1, sizeof(*files));
	check(files != NULL);
	pa_pts_file_meta_iter_init(&it, &m);
	while (pa_pts_file_meta_next(&it, &files[n]))
		n++;
	check(n == m.count);
	pa_pts_file_meta_encode(w, files, n);
	free(files);
	return 0;
}

static int
re_xml(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct bytes doc;
	int rc = pa_pts_xml_decode(v, &doc, e);

	if (rc == 0)
		pa_pts_xml_encode(w, doc);
	return rc;
}

static int
re_iml_request(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct pa_pts_iml_request r;
	int rc = pa_pts_iml_request_decode(v, &r, e);

	if (rc == 0)
		pa_pts_iml_request_encode(w, &r);
	return rc;
}

static int
re_symlinks_request(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct bytes dir;
	int rc = pa_pts_symlinks_request_decode(v, &dir, e);

	if (rc == 0)
		pa_pts_symlinks_request_encode(w, dir);
	return rc;
}

static int
re_symlinks(struct bytes v, struct wire_writer *w, struct parse_error *e)
{
	struct pa_pts_symlinks s;
	struct pa_pts_symlinks_iter it;
	struct pa_pts_symlink *links;
	size_t n = 0;
	int rc = pa_pts_symlinks_decode(v, &s, e);

	if (rc)
		return rc;
	links = calloc((size_t)s.count + 1, sizeof(*links));
	check(links != NULL);
	pa_pts_symlinks_iter_init(&it, &s);
	while (pa_pts_symlinks_next(&it, &links[n]))
		n++;
	check(n == s.count);
	pa_pts_symlinks_encode(w, links, n);
	free(links);
	return 0;
}

/* canonical: no reserved or ignored bits, so decode-encode is identity. */
static const struct {
	uint32_t vendor, type;
	reencode_fn *fn;
	bool canonical;
} types[] = {
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_PROTO_CAPS, re_caps, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_PROTO_CAPS, re_caps, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_REQ, re_dh_request, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_RESP, re_dh_response, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_FINISH, re_dh_finish, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO_REQ, re_algo_request, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO, re_algo, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_GET_TPM_VERSION_INFO, re_reserved, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_TPM_VERSION_INFO, re_tpm_version, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_GET_AIK, re_reserved, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_AIK, re_aik, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_FUNC_COMP_EVID, re_comp_request, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_GEN_ATTEST_EVID, re_reserved, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_COMP_EVID, re_comp_evidence, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_EVID_FINAL, re_final, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_VERIFICATION_RESULT, re_xml, true},
	{PA_TNC_VENDOR_TCG, PA_PTS_INTEG_REPORT, re_xml, true},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_FILE_META, re_file_meta_request, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_UNIX_FILE_META, re_file_meta, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_FILE_MEAS, re_file_meas_request, false},
	{PA_TNC_VENDOR_TCG, PA_PTS_FILE_MEAS, re_file_meas, true},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_INTEG_MEAS_LOG, re_iml_request, true},
	{PA_TNC_VENDOR_ITA, PA_ITA_GET_SYMLINKS, re_symlinks_request, true},
	{PA_TNC_VENDOR_ITA, PA_ITA_SYMLINKS, re_symlinks, true},
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

/* Decodes and re-encodes v as type i; the encoding, or false if refused. */
static bool
round_trip(size_t i, struct bytes v, struct wire_writer *w)
{
	struct parse_error e = {0};
	int rc = types[i].fn(v, w, &e);

	if (rc) {
		check(rc < 0 && e.reason != NULL && e.offset <= v.len);
		check(e.code == PA_TNC_ERROR_INVALID_PARAMETER);
		return false;
	}
	check(wire_writer_status(w) == 0);
	check(w->len == v.len);
	check(strcmp(pa_tnc_attr_name(types[i].vendor, types[i].type), "unknown") != 0);
	return true;
}

static void
check_value(size_t i, struct bytes v)
{
	struct wire_writer w1, w2;

	wire_writer_init(&w1, MAX_VALUE);
	wire_writer_init(&w2, MAX_VALUE);
	if (round_trip(i, v, &w1)) {
		if (types[i].canonical)
			check(v.len == 0 || memcmp(w1.buf, v.ptr, v.len) == 0);
		check(round_trip(i, (struct bytes){w1.buf, w1.len}, &w2));
		check(w1.len == 0 || memcmp(w1.buf, w2.buf, w1.len) == 0);
	}
	wire_writer_clear(&w1);
	wire_writer_clear(&w2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bytes v;

	if (size == 0 || size > MAX_VALUE)
		return 0;
	v = (struct bytes){data + 1, size - 1};
	check_value(data[0] % NTYPES, v);
	for (size_t i = 0; i < NTYPES; i++)
		if (i != data[0] % NTYPES)
			check_value(i, v);
	return 0;
}
