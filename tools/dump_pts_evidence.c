/* dump_pts_evidence.c - PTS evidence and file attributes for tncdump:
 * Request Functional Component Evidence, Simple Component Evidence, Simple
 * Evidence Final (TPM 1.2 and strongSwan's TPM 2.0 fields, with the clock
 * info and PCR selection spelled out), and the file measurement and
 * metadata attributes (see dump_pts.h). */
#include "dump_pts.h"

#include <inttypes.h>

#include "pa_pts.h"
#include "pa_pts_comp.h"
#include "pa_pts_file.h"
#include "pa_pts_final.h"
#include "pa_pts_names.h"

int
dump_pts_comp_request(struct tree *t, struct bytes value, struct parse_error *e)
{
	char text[PA_PTS_TEXT_MAX];
	struct pa_pts_comp_request v;
	int err;

	if ((err = pa_pts_comp_request_decode(value, &v, e)))
		return err;
	tree_line(t, "%zu component%s", v.count, tree_plural(v.count));
	for (size_t i = 0; i < v.count; i++) {
		struct pa_pts_comp_request_entry c = pa_pts_comp_request_get(&v, i);

		tree_line(t, "%s, depth %u, flags 0x%02x %c%c%c%c",
		    pa_pts_comp_text(text, sizeof(text), &c.name), c.depth, c.flags,
		    c.flags & PA_PTS_REQ_FLAG_TTC ? 'T' : '.', c.flags & PA_PTS_REQ_FLAG_VER ? 'V' : '.',
		    c.flags & PA_PTS_REQ_FLAG_CURR ? 'C' : '.', c.flags & PA_PTS_REQ_FLAG_PCR ? 'P' : '.');
	}
	return 0;
}

/* The policy URI; strongSwan's IMA form also split into algorithm and file. */
static void
policy_uri(struct tree *t, struct bytes uri)
{
	char text[TREE_QUOTE_MAX], path[TREE_QUOTE_MAX], algo[TREE_QUOTE_MAX];
	struct pa_pts_ima_uri ima;

	tree_line(t, "policy URI %s", tree_quote(text, uri));
	pa_pts_ima_uri_split(uri, &ima);
	if (ima.has_algo && ima.path.len && ima.path.ptr[0] == '/')
		tree_line(t, "IMA file %s, template hash algorithm %s", tree_quote(path, ima.path),
		    tree_quote(algo, ima.algo));
}

int
dump_pts_comp_evidence(struct tree *t, struct bytes value, struct parse_error *e)
{
	char text[PA_PTS_TEXT_MAX], time[TREE_QUOTE_MAX];
	struct pa_pts_comp_evidence v;
	uint8_t validation;
	int err;

	if ((err = pa_pts_comp_evidence_decode(value, &v, e)))
		return err;
	validation = v.flags & PA_PTS_EVID_VALIDATION_MASK;
	tree_line(t, "%s, depth %u", pa_pts_comp_text(text, sizeof(text), &v.name), v.depth);
	tree_line(t, "extended into PCR %u, %s, %s, measured %s", v.pcr, pa_pts_algo_name(v.hash_algo),
	    pa_pts_transform_name(v.transform), tree_quote(time, v.time));
	tree_line(t, "flags 0x%02x: %s%s", v.flags, pa_pts_validation_name(validation),
	    v.flags & PA_PTS_EVID_FLAG_PCR ? ", PCR values included" : "");
	if (validation == PA_PTS_VALIDATION_FAILED || validation == PA_PTS_VALIDATION_PASSED)
		policy_uri(t, v.policy_uri);
	if (v.flags & PA_PTS_EVID_FLAG_PCR) {
		tree_hex(t, "PCR before", v.pcr_before);
		tree_hex(t, "PCR after", v.pcr_after);
	}
	tree_hex(t, "measurement", v.measurement);
	return 0;
}

/* TPM_ALG_ID of a PCR bank (TPM 2.0 Part 2, 6.3). */
static const char *
tpm_alg_name(uint16_t alg)
{
	switch (alg) {
	case 0x0004:
		return "SHA-1";
	case 0x000b:
		return "SHA-256";
	case 0x000c:
		return "SHA-384";
	case 0x000d:
		return "SHA-512";
	default:
		return "unknown";
	}
}

/* "PCRs 0,1,2" of a pcrSelect bitmap, into buf. */
static const char *
pcr_list(char *buf, size_t n, struct bytes select)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t pcr = 0; pcr < 8 * select.len && used + 5 < n; pcr++) {
		if (!(select.ptr[pcr / 8] & (1u << (pcr % 8))))
			continue;
		used += (size_t)snprintf(buf + used, n - used, "%s%zu", used ? "," : "", pcr);
	}
	return used ? buf : "none";
}

/* strongSwan's TPM 2.0 fields: clock info and PCR selection spelled out. */
static void
tpm2_fields(struct tree *t, const struct pa_pts_final *v)
{
	struct pa_pts_pcr_select_iter it;
	struct wire_reader r;
	struct bytes select;
	uint64_t clock, firmware;
	uint32_t resets, restarts;
	uint16_t hash;
	uint8_t safe;
	char pcrs[PA_PTS_TEXT_MAX];

	tree_hex(t, "qualified signer", v->qualified_signer);
	wire_reader_init(&r, v->clock_info.ptr, v->clock_info.len);
	if (wire_get_u64(&r, &clock) == 0 && wire_get_u32(&r, &resets) == 0 &&
	    wire_get_u32(&r, &restarts) == 0 && wire_get_u8(&r, &safe) == 0)
		tree_line(t, "clock 0x%" PRIx64 ", reset count %u, restart count %u, safe %u", clock,
		    resets, restarts, safe);
	wire_reader_init(&r, v->firmware_version.ptr, v->firmware_version.len);
	if (wire_get_u64(&r, &firmware) == 0)
		tree_line(t, "firmware version 0x%016" PRIx64, firmware);
	pa_pts_pcr_select_iter_init(&it, v->pcr_select);
	while (pa_pts_pcr_select_next(&it, &hash, &select))
		tree_line(t, "PCR selection %s (0x%04x): PCRs %s", tpm_alg_name(hash), hash,
		    pcr_list(pcrs, sizeof(pcrs), select));
}

int
dump_pts_final(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_pts_final v;
	int err;

	if ((err = pa_pts_final_decode(value, &v, e)))
		return err;
	tree_line(t, "%s (0x%02x)%s, composite hash algorithm %s (0x%04x)",
	    pa_pts_quote_mode_name(v.mode), v.mode, v.has_evid_sig ? ", evidence signature" : "",
	    v.composite_algo ? pa_pts_algo_name(v.composite_algo) : "none", v.composite_algo);
	if (v.mode == PA_PTS_QUOTE_TPM2) {
		tree_hex(t, "PCR digest", v.composite);
		tpm2_fields(t, &v);
	} else if (v.mode != PA_PTS_QUOTE_NONE) {
		tree_hex(t, "PCR composite", v.composite);
	}
	if (v.mode != PA_PTS_QUOTE_NONE)
		tree_hex(t, "quote signature", v.quote_sig);
	if (v.has_evid_sig)
		tree_hex(t, "evidence signature", v.evid_sig);
	return 0;
}

/* The request's delimiter: 32 bits holding one UTF-8 character. */
static const char *
delimiter_text(char *buf, uint32_t d)
{
	uint8_t octets[4] = {(uint8_t)(d >> 24), (uint8_t)(d >> 16), (uint8_t)(d >> 8), (uint8_t)d};
	size_t at = 0;

	while (at < 3 && octets[at] == 0)
		at++;
	return tree_quote(buf, (struct bytes){octets + at, 4 - at});
}

int
dump_pts_file_meas_request(struct tree *t, struct bytes value, struct parse_error *e)
{
	char path[TREE_QUOTE_MAX], delim[TREE_QUOTE_MAX];
	struct pa_pts_file_meas_request v;
	int err;

	if ((err = pa_pts_file_meas_request_decode(value, &v, e)))
		return err;
	tree_line(t, "request ID %u, %s %s, delimiter %s", v.request_id,
	    v.directory ? "files of directory" : "file", tree_quote(path, v.path),
	    delimiter_text(delim, v.delimiter));
	return 0;
}

int
dump_pts_file_meas(struct tree *t, struct bytes value, struct parse_error *e)
{
	char name[TREE_QUOTE_MAX];
	struct pa_pts_file_meas v;
	struct pa_pts_file_meas_iter it;
	struct pa_pts_file_meas_entry f;
	size_t n, i = 0;
	int err;

	if ((err = pa_pts_file_meas_decode(value, &v, e)))
		return err;
	tree_line(t, "request ID %u, %" PRIu64 " file%s, measurements of %u bytes", v.request_id,
	    v.count, tree_plural(v.count), v.meas_len);
	n = tree_list_limit(t, v.count);
	pa_pts_file_meas_iter_init(&it, &v);
	while (i < n && pa_pts_file_meas_next(&it, &f)) {
		tree_hex(t, tree_quote(name, f.filename), f.measurement);
		i++;
	}
	tree_more(t, i, v.count);
	return 0;
}

int
dump_pts_file_meta_request(struct tree *t, struct bytes value, struct parse_error *e)
{
	char path[TREE_QUOTE_MAX], delim[TREE_QUOTE_MAX];
	struct pa_pts_file_meta_request v;
	int err;

	if ((err = pa_pts_file_meta_request_decode(value, &v, e)))
		return err;
	tree_line(t, "%s %s, delimiter %s", v.directory ? "files of directory" : "file",
	    tree_quote(path, v.path), delimiter_text(delim, v.delimiter));
	return 0;
}

int
dump_pts_file_meta(struct tree *t, struct bytes value, struct parse_error *e)
{
	char name[TREE_QUOTE_MAX];
	struct pa_pts_file_meta v;
	struct pa_pts_file_meta_iter it;
	struct pa_pts_file_meta_entry f;
	size_t n, i = 0;
	int err;

	if ((err = pa_pts_file_meta_decode(value, &v, e)))
		return err;
	tree_line(t, "%" PRIu64 " file%s", v.count, tree_plural(v.count));
	n = tree_list_limit(t, v.count);
	pa_pts_file_meta_iter_init(&it, &v);
	while (i < n && pa_pts_file_meta_next(&it, &f)) {
		tree_line(t, "%s: %s, %" PRIu64 " bytes, owner %" PRIu64 ", group %" PRIu64
		    ", created %" PRIu64 ", modified %" PRIu64 ", accessed %" PRIu64,
		    tree_quote(name, f.filename), pa_pts_file_type_name(f.type), f.size, f.owner, f.group,
		    f.created, f.modified, f.accessed);
		i++;
	}
	tree_more(t, i, v.count);
	return 0;
}
