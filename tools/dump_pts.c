/* dump_pts.c - PTS negotiation and report attributes for tncdump, and the
 * table of every PTS printer (see dump_pts.h).  The codecs check the
 * layouts; this file words them the way strongSwan's logs do. */
#include "dump_pts.h"

#include "pa_ietf.h"
#include "pa_pts.h"
#include "pa_pts_report.h"
#include "pa_pts_symlinks.h"
#include "pa_pts_names.h"

static int
caps(struct tree *t, struct bytes value, struct parse_error *e)
{
	char text[PA_PTS_TEXT_MAX];
	uint32_t v;
	int err;

	if ((err = pa_pts_caps_decode(value, &v, e)))
		return err;
	tree_line(t, "PTS protocol capabilities %s (0x%02x)", pa_pts_caps_text(text, sizeof(text), v),
	    v);
	return 0;
}

static int
reserved(struct tree *t, struct bytes value, struct parse_error *e)
{
	int err;

	if ((err = pa_pts_reserved_decode(value, e)))
		return err;
	tree_line(t, "no parameters");
	return 0;
}

static int
algo_request(struct tree *t, struct bytes value, struct parse_error *e)
{
	char text[PA_PTS_TEXT_MAX];
	uint16_t v;
	int err;

	if ((err = pa_pts_algo_request_decode(value, &v, e)))
		return err;
	tree_line(t, "measurement algorithms %s (0x%04x)", pa_pts_algo_set_text(text, sizeof(text), v),
	    v);
	return 0;
}

static int
algo(struct tree *t, struct bytes value, struct parse_error *e)
{
	uint16_t v;
	int err;

	if ((err = pa_pts_algo_decode(value, &v, e)))
		return err;
	tree_line(t, "selected measurement algorithm %s (0x%04x)", pa_pts_algo_name(v), v);
	return 0;
}

static int
dh_request(struct tree *t, struct bytes value, struct parse_error *e)
{
	char text[PA_PTS_TEXT_MAX];
	struct pa_pts_dh_request v;
	int err;

	if ((err = pa_pts_dh_request_decode(value, &v, e)))
		return err;
	tree_line(t, "minimum nonce length %u, D-H groups %s (0x%04x)", v.min_nonce_len,
	    pa_pts_dh_group_set_text(text, sizeof(text), v.groups), v.groups);
	return 0;
}

static int
dh_response(struct tree *t, struct bytes value, struct parse_error *e)
{
	char text[PA_PTS_TEXT_MAX];
	struct pa_pts_dh_response v;
	int err;

	if ((err = pa_pts_dh_response_decode(value, &v, e)))
		return err;
	tree_line(t, "D-H group %s (0x%04x), hash algorithms %s (0x%04x), nonce length %zu",
	    pa_pts_dh_group_name(v.group), v.group,
	    pa_pts_algo_set_text(text, sizeof(text), v.hash_algos), v.hash_algos, v.nonce.len);
	tree_hex(t, "responder nonce", v.nonce);
	tree_hex(t, "responder public value", v.public_value);
	return 0;
}

static int
dh_finish(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_pts_dh_finish v;
	int err;

	if ((err = pa_pts_dh_finish_decode(value, &v, e)))
		return err;
	tree_line(t, "hash algorithm %s (0x%04x), nonce length %zu", pa_pts_algo_name(v.hash_algo),
	    v.hash_algo, v.nonce.len);
	tree_hex(t, "initiator public value", v.public_value);
	tree_hex(t, "initiator nonce", v.nonce);
	return 0;
}

static int
tpm_version(struct tree *t, struct bytes value, struct parse_error *e)
{
	char text[PA_PTS_TEXT_MAX];
	struct pa_pts_tpm_version v;
	int err;

	if ((err = pa_pts_tpm_version_decode(value, &v, e)))
		return err;
	if (v.tag == PA_PTS_TPM20_VERSION_TAG) {
		tree_line(t, "%s - startup locality: %u", pa_pts_tpm_version_text(text, sizeof(text), &v),
		    v.locality);
	} else {
		tree_line(t, "%s", pa_pts_tpm_version_text(text, sizeof(text), &v));
		if (v.vendor_specific.len)
			tree_hex(t, "vendor specific", v.vendor_specific);
	}
	return 0;
}

static int
aik(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_pts_aik v;
	int err;

	if ((err = pa_pts_aik_decode(value, &v, e)))
		return err;
	tree_hex(t, v.naked ? "public key" : "certificate", v.blob);
	return 0;
}

static int
xml(struct tree *t, struct bytes value, struct parse_error *e)
{
	char text[TREE_QUOTE_MAX];
	struct bytes doc;
	int err;

	if ((err = pa_pts_xml_decode(value, &doc, e)))
		return err;
	tree_line(t, "XML document %s", tree_quote(text, doc));
	return 0;
}

static int
iml_request(struct tree *t, struct bytes value, struct parse_error *e)
{
	char text[PA_PTS_TEXT_MAX];
	struct pa_pts_iml_request v;
	int err;

	if ((err = pa_pts_iml_request_decode(value, &v, e)))
		return err;
	tree_line(t, "flags 0x%02x, PCR %u", v.flags, v.pcr);
	if (v.has_component)
		tree_line(t, "%s, depth %u", pa_pts_comp_text(text, sizeof(text), &v.name), v.depth);
	return 0;
}

static int
symlinks_request(struct tree *t, struct bytes value, struct parse_error *e)
{
	char text[TREE_QUOTE_MAX];
	struct bytes dir;
	int err;

	if ((err = pa_pts_symlinks_request_decode(value, &dir, e)))
		return err;
	tree_line(t, "directory %s", tree_quote(text, dir));
	return 0;
}

static int
symlinks(struct tree *t, struct bytes value, struct parse_error *e)
{
	char link[TREE_QUOTE_MAX], dir[TREE_QUOTE_MAX];
	struct pa_pts_symlinks v;
	struct pa_pts_symlinks_iter it;
	struct pa_pts_symlink s;
	size_t n, i = 0;
	int err;

	if ((err = pa_pts_symlinks_decode(value, &v, e)))
		return err;
	tree_line(t, "%u directory symlink%s", v.count, tree_plural(v.count));
	n = tree_list_limit(t, v.count);
	pa_pts_symlinks_iter_init(&it, &v);
	while (i < n && pa_pts_symlinks_next(&it, &s)) {
		tree_line(t, "%s -> %s", tree_quote(link, s.link), tree_quote(dir, s.dir));
		i++;
	}
	tree_more(t, i, v.count);
	return 0;
}

static const struct {
	uint32_t vendor;
	uint32_t type;
	dump_attr_fn *fn;
} printers[] = {
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_PROTO_CAPS, caps},
	{PA_TNC_VENDOR_TCG, PA_PTS_PROTO_CAPS, caps},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_REQ, dh_request},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_RESP, dh_response},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_FINISH, dh_finish},
	{PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO_REQ, algo_request},
	{PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO, algo},
	{PA_TNC_VENDOR_TCG, PA_PTS_GET_TPM_VERSION_INFO, reserved},
	{PA_TNC_VENDOR_TCG, PA_PTS_TPM_VERSION_INFO, tpm_version},
	{PA_TNC_VENDOR_TCG, PA_PTS_GET_AIK, reserved},
	{PA_TNC_VENDOR_TCG, PA_PTS_AIK, aik},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_FUNC_COMP_EVID, dump_pts_comp_request},
	{PA_TNC_VENDOR_TCG, PA_PTS_GEN_ATTEST_EVID, reserved},
	{PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_COMP_EVID, dump_pts_comp_evidence},
	{PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_EVID_FINAL, dump_pts_final},
	{PA_TNC_VENDOR_TCG, PA_PTS_VERIFICATION_RESULT, xml},
	{PA_TNC_VENDOR_TCG, PA_PTS_INTEG_REPORT, xml},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_FILE_META, dump_pts_file_meta_request},
	{PA_TNC_VENDOR_TCG, PA_PTS_UNIX_FILE_META, dump_pts_file_meta},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_FILE_MEAS, dump_pts_file_meas_request},
	{PA_TNC_VENDOR_TCG, PA_PTS_FILE_MEAS, dump_pts_file_meas},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_INTEG_MEAS_LOG, iml_request},
	{PA_TNC_VENDOR_ITA, PA_ITA_GET_SYMLINKS, symlinks_request},
	{PA_TNC_VENDOR_ITA, PA_ITA_SYMLINKS, symlinks},
};

dump_attr_fn *
dump_pts_decoder(uint32_t vendor, uint32_t type)
{
	for (size_t i = 0; i < sizeof(printers) / sizeof(printers[0]); i++)
		if (printers[i].vendor == vendor && printers[i].type == type)
			return printers[i].fn;
	return NULL;
}
