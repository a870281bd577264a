/* test_pa_pts.c - PTS attribute values (TCG Attestation PTS Protocol:
 * Binding to TNC IF-M, strongSwan's ITA-HSR Symlinks): every attribute
 * decodes a hand-written vector laid out as the spec (or strongSwan, where
 * it differs) lays it out, to the expected fields, and re-encodes to the
 * same octets; the seed's TPMS_ATTEST, cut into the fields of strongSwan's
 * Simple Evidence Final (flag 0x10), decodes to those fields and the seed's
 * PCR digest; the seed's log lines come out of the names ("TPM 2.0 rev.
 * 1.38 2018 STM", ".VDT.", "HASH_SHA2_256", "ECP_256", the six UsrMerge
 * symlinks); malformed values (short, lengths past the end, counts the
 * value cannot hold, too many components or PCR selections, bad text,
 * times, groups, flags) are refused with their reason and offset; encoders
 * refuse what the decoders would. */
#include <stdio.h>
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
#include "testlib.h"

#define MAX_VALUE (1u << 20)

/* Test vectors live in a pool: each test runs in its own process. */
static uint8_t pool[1 << 16];
static size_t pool_used;

/* Octets from hex text; spaces are skipped, "'text'" adds text verbatim. */
static struct bytes
H(const char *s)
{
	uint8_t *start = pool + pool_used;

	while (*s) {
		unsigned v;

		if (*s == ' ') {
			s++;
		} else if (*s == '\'') {
			const char *end = strchr(s + 1, '\'');
			ck_assert_ptr_nonnull(end);
			memcpy(pool + pool_used, s + 1, (size_t)(end - s - 1));
			pool_used += (size_t)(end - s - 1);
			s = end + 1;
		} else {
			ck_assert_int_eq(sscanf(s, "%2x", &v), 1);
			pool[pool_used++] = (uint8_t)v;
			s += 2;
		}
		ck_assert_uint_lt(pool_used, sizeof(pool));
	}
	return (struct bytes){start, (size_t)(pool + pool_used - start)};
}

/* n octets of value v. */
static struct bytes
fill(uint8_t v, size_t n)
{
	uint8_t *start = pool + pool_used;

	ck_assert_uint_lt(pool_used + n, sizeof(pool));
	memset(start, v, n);
	pool_used += n;
	return (struct bytes){start, n};
}

/* a followed by b, copied into the pool. */
static struct bytes
cat(struct bytes a, struct bytes b)
{
	uint8_t *start = pool + pool_used;

	ck_assert_uint_lt(pool_used + a.len + b.len, sizeof(pool));
	memcpy(start, a.ptr, a.len);
	memcpy(start + a.len, b.ptr, b.len);
	pool_used += a.len + b.len;
	return (struct bytes){start, a.len + b.len};
}

static void
assert_same(struct bytes a, struct bytes b)
{
	ck_assert_uint_eq(a.len, b.len);
	if (a.len)
		ck_assert_mem_eq(a.ptr, b.ptr, a.len);
}

static void
assert_text(struct bytes b, const char *s)
{
	ck_assert_uint_eq(b.len, strlen(s));
	if (b.len)
		ck_assert_mem_eq(b.ptr, s, b.len);
}

/* The writer holds exactly the octets of want. */
static void
assert_encoded(struct wire_writer *w, struct bytes want)
{
	ck_assert_int_eq(wire_writer_status(w), 0);
	assert_same((struct bytes){w->buf, w->len}, want);
	wire_writer_clear(w);
	wire_writer_init(w, MAX_VALUE);
}

/* A refusal: the return, the reason and the offset in the value. */
static void
assert_refused(int rc, const struct parse_error *e, int err, size_t offset, const char *reason)
{
	ck_assert_int_eq(rc, err);
	ck_assert_uint_eq(e->code, PA_TNC_ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(e->offset, offset);
	ck_assert_str_eq(e->reason, reason);
}

START_TEST(negotiation)
{
	struct wire_writer w;
	struct parse_error e;
	char text[PA_PTS_TEXT_MAX];
	uint32_t caps;
	uint16_t algos;
	struct pa_pts_dh_request req;

	wire_writer_init(&w, MAX_VALUE);
	/* The seed: "supported PTS protocol capabilities: .VDT.". */
	ck_assert_int_eq(pa_pts_caps_decode(H("00 00 00 0e"), &caps, &e), 0);
	ck_assert_uint_eq(caps, PA_PTS_CAP_V | PA_PTS_CAP_D | PA_PTS_CAP_T);
	ck_assert_str_eq(pa_pts_caps_text(text, sizeof(text), caps), ".VDT.");
	ck_assert_str_eq(pa_pts_caps_text(text, sizeof(text), PA_PTS_CAPS_ALL), "CVDTX");
	pa_pts_caps_encode(&w, caps);
	assert_encoded(&w, H("00 00 00 0e"));
	/* Reserved bits are ignored. */
	ck_assert_int_eq(pa_pts_caps_decode(H("ff ff ff e1"), &caps, &e), 0);
	ck_assert_uint_eq(caps, PA_PTS_CAP_X);

	/* strongSwan offers all four algorithms; the seed's selection. */
	ck_assert_int_eq(pa_pts_algo_request_decode(H("00 00 f0 00"), &algos, &e), 0);
	ck_assert_str_eq(pa_pts_algo_set_text(text, sizeof(text), algos),
	    "HASH_SHA1 HASH_SHA2_256 HASH_SHA2_384 HASH_SHA2_512");
	pa_pts_algo_encode(&w, algos);
	assert_encoded(&w, H("00 00 f0 00"));
	ck_assert_int_eq(pa_pts_algo_decode(H("00 00 40 00"), &algos, &e), 0);
	ck_assert_str_eq(pa_pts_algo_name(algos), "HASH_SHA2_256");
	ck_assert_uint_eq(pa_pts_algo_size(algos), 32);
	assert_refused(pa_pts_algo_decode(H("00 00 c0 00"), &algos, &e), &e, TNC_EINVALID, 2,
	    "selected measurement algorithm is not exactly one known algorithm");
	assert_refused(pa_pts_algo_decode(H("00 00 40"), &algos, &e), &e, TNC_ETRUNCATED, 0,
	    "attribute value truncated");

	ck_assert_int_eq(pa_pts_dh_request_decode(H("00 11 f8 00"), &req, &e), 0);
	ck_assert_uint_eq(req.min_nonce_len, 17);
	ck_assert_str_eq(pa_pts_dh_group_set_text(text, sizeof(text), req.groups),
	    "MODP_1024 MODP_1536 MODP_2048 ECP_256 ECP_384");
	pa_pts_dh_request_encode(&w, &req);
	assert_encoded(&w, H("00 11 f8 00"));
	assert_refused(pa_pts_dh_request_decode(H("00 11 f8 00 00"), &req, &e), &e, TNC_ETRAILING,
	    4, "bytes after the attribute value");

	/* Get TPM Version Information, Get AIK, Generate Attestation Evidence. */
	ck_assert_int_eq(pa_pts_reserved_decode(H("00 00 00 00"), &e), 0);
	pa_pts_reserved_encode(&w);
	assert_encoded(&w, H("00 00 00 00"));
	assert_refused(pa_pts_reserved_decode(H(""), &e), &e, TNC_ETRUNCATED, 0,
	    "attribute value truncated");
	wire_writer_clear(&w);
}
END_TEST

/* The seed: "selected PTS DH group is ECP_256", "selected DH hash algorithm
 * is HASH_SHA2_256", "nonce length is 20". */
START_TEST(dh_nonce)
{
	struct bytes nonce = fill(0xab, 20), pub = fill(0x5a, 64), inonce = fill(0xcd, 20);
	struct bytes resp = cat(cat(H("00 00 00 14 10 00 e0 00"), nonce), pub);
	struct bytes fin = cat(cat(H("00 14 40 00"), pub), inonce);
	struct pa_pts_dh_response r;
	struct pa_pts_dh_finish f;
	struct wire_writer w;
	struct parse_error e;

	wire_writer_init(&w, MAX_VALUE);
	ck_assert_int_eq(pa_pts_dh_response_decode(resp, &r, &e), 0);
	ck_assert_str_eq(pa_pts_dh_group_name(r.group), "ECP_256");
	ck_assert_uint_eq(r.hash_algos, PA_PTS_ALGO_SHA1 | PA_PTS_ALGO_SHA256 | PA_PTS_ALGO_SHA384);
	assert_same(r.nonce, nonce);
	assert_same(r.public_value, pub);
	pa_pts_dh_response_encode(&w, &r);
	assert_encoded(&w, resp);

	ck_assert_int_eq(pa_pts_dh_finish_decode(fin, &f, &e), 0);
	ck_assert_str_eq(pa_pts_algo_name(f.hash_algo), "HASH_SHA2_256");
	assert_same(f.public_value, pub);
	assert_same(f.nonce, inonce);
	pa_pts_dh_finish_encode(&w, &f);
	assert_encoded(&w, fin);

	/* MODP_2048 public values have 256 octets. */
	resp = cat(cat(H("00 00 00 14 20 00 40 00"), nonce), fill(1, 256));
	ck_assert_int_eq(pa_pts_dh_response_decode(resp, &r, &e), 0);
	ck_assert_str_eq(pa_pts_dh_group_name(r.group), "MODP_2048");

	/* Refusals: two groups, a public value of the wrong size, a nonce past
	 * the end, no public value before the initiator nonce, no hash. */
	assert_refused(pa_pts_dh_response_decode(cat(H("00 00 00 14 18 00 40 00"), nonce), &r,
	    &e), &e, TNC_EINVALID, 4, "selected D-H group is not exactly one known group");
	assert_refused(pa_pts_dh_response_decode(cat(cat(H("00 00 00 14 10 00 40 00"), nonce),
	    fill(1, 65)), &r, &e), &e, TNC_EINVALID, 28,
	    "D-H public value does not have the size of the selected group");
	assert_refused(pa_pts_dh_response_decode(H("00 00 00 14 10 00 40 00 01 02"), &r, &e), &e,
	    TNC_ETRUNCATED, 3, "nonce length past the end of the value");
	assert_refused(pa_pts_dh_response_decode(H("00 00 00 00 10 00 40 00"), &r, &e), &e,
	    TNC_EINVALID, 3, "D-H responder nonce is empty");
	assert_refused(pa_pts_dh_finish_decode(cat(H("00 14 40 00"), inonce), &f, &e), &e,
	    TNC_ETRUNCATED, 1, "nonce length leaves no D-H public value");
	assert_refused(pa_pts_dh_finish_decode(cat(H("00 14 00 00"), fin), &f, &e), &e,
	    TNC_EINVALID, 2, "selected hash algorithm is not exactly one known algorithm");

	/* Encoders refuse what would not decode. */
	r.public_value = fill(1, 63);
	pa_pts_dh_response_encode(&w, &r);
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
	wire_writer_init(&w, MAX_VALUE);
	f.nonce = fill(1, 0);
	pa_pts_dh_finish_encode(&w, &f);
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
	ck_assert_uint_eq(pa_pts_dh_public_size(PA_PTS_DH_MODP1024), 128);
	ck_assert_uint_eq(pa_pts_dh_public_size(PA_PTS_DH_ECP384), 96);
	ck_assert_uint_eq(pa_pts_dh_public_size(PA_PTS_DH_ECP384 | PA_PTS_DH_ECP256), 0);
}
END_TEST

/* The seed: "Version Information: TPM 2.0 rev. 1.38 2018 STM - startup
 * locality: 3", strongSwan's 16 octets; and a TCG TPM_CAP_VERSION_INFO. */
START_TEST(tpm_version)
{
	struct bytes tpm2 = H("02 00 00 03 00 00 00 8a 00 00 07 e2 53 54 4d 20");
	struct bytes tpm12 = H("00 30 01 02 08 1c 00 02 03 49 46 58 00 00 02 aa bb");
	struct pa_pts_tpm_version v;
	struct wire_writer w;
	struct parse_error e;
	char text[PA_PTS_TEXT_MAX];

	wire_writer_init(&w, MAX_VALUE);
	ck_assert_int_eq(pa_pts_tpm_version_decode(tpm2, &v, &e), 0);
	ck_assert_uint_eq(v.tag, PA_PTS_TPM20_VERSION_TAG);
	ck_assert_uint_eq(v.locality, 3);
	ck_assert_uint_eq(v.revision, 138);
	ck_assert_uint_eq(v.year, 2018);
	ck_assert_str_eq(pa_pts_tpm_version_text(text, sizeof(text), &v), "TPM 2.0 rev. 1.38 2018 STM");
	pa_pts_tpm_version_encode(&w, &v);
	assert_encoded(&w, tpm2);

	ck_assert_int_eq(pa_pts_tpm_version_decode(tpm12, &v, &e), 0);
	ck_assert_uint_eq(v.tag, PA_PTS_TPM12_VERSION_TAG);
	ck_assert_str_eq(pa_pts_tpm_version_text(text, sizeof(text), &v),
	    "TPM 1.2 version 1.2.8.28, spec level 2, errata 3, vendor IFX");
	assert_same(v.vendor_specific, H("aa bb"));
	pa_pts_tpm_version_encode(&w, &v);
	assert_encoded(&w, tpm12);

	assert_refused(pa_pts_tpm_version_decode(H("02 00 00 03 00 00 00 8a 00 00 07 e2 53 54 4d"),
	    &v, &e), &e, TNC_ETRUNCATED, 12, "attribute value truncated");
	assert_refused(pa_pts_tpm_version_decode(H("00 30 01 02 08 1c 00 02 03 49 46 58 00 00 03 aa"),
	    &v, &e), &e, TNC_ETRUNCATED, 13, "vendor specific length past the end of the value");
	assert_refused(pa_pts_tpm_version_decode(H("01 00 00 00"), &v, &e), &e, TNC_EINVALID, 0,
	    "TPM version information is neither TPM_CAP_VERSION_INFO nor TPM 2.0");
	wire_writer_clear(&w);
}
END_TEST

START_TEST(aik)
{
	struct bytes naked = H("80 30 59 30 13 06 07 2a 86 48 ce 3d 02 01");
	struct pa_pts_aik v;
	struct wire_writer w;
	struct parse_error e;

	wire_writer_init(&w, MAX_VALUE);
	ck_assert_int_eq(pa_pts_aik_decode(naked, &v, &e), 0);
	ck_assert(v.naked);
	assert_same(v.blob, (struct bytes){naked.ptr + 1, naked.len - 1});
	pa_pts_aik_encode(&w, &v);
	assert_encoded(&w, naked);
	ck_assert_int_eq(pa_pts_aik_decode(H("00 30 82"), &v, &e), 0);
	ck_assert(!v.naked);
	assert_refused(pa_pts_aik_decode(H("80"), &v, &e), &e, TNC_ETRUNCATED, 1,
	    "attestation identity key is empty");
	wire_writer_clear(&w);
}
END_TEST

/* The seed's IMV asks for 'Linux IMA' with K|Trusted Platform (BIOS) and
 * K|Operating System (IMA), PCR information flag set. */
START_TEST(comp_request)
{
	struct bytes req = H("10 00 00 00 00 90 2a 21 00 00 00 03 "
	    "10 00 00 00 00 90 2a 22 00 00 00 03");
	struct pa_pts_comp_request v;
	struct pa_pts_comp_request_entry entries[2];
	struct wire_writer w;
	struct parse_error e;
	char text[PA_PTS_TEXT_MAX];

	wire_writer_init(&w, MAX_VALUE);
	ck_assert_int_eq(pa_pts_comp_request_decode(req, &v, &e), 0);
	ck_assert_uint_eq(v.count, 2);
	for (size_t i = 0; i < 2; i++)
		entries[i] = pa_pts_comp_request_get(&v, i);
	ck_assert_uint_eq(entries[0].flags, PA_PTS_REQ_FLAG_PCR);
	ck_assert_uint_eq(entries[0].name.vendor, PA_TNC_VENDOR_ITA);
	ck_assert_uint_eq(entries[0].name.name, PA_PTS_ITA_COMP_IMA);
	ck_assert_str_eq(pa_pts_comp_text(text, sizeof(text), &entries[0].name),
	    "ITA-HSR functional component 'Linux IMA' [K.] 'Trusted Platform'");
	ck_assert_str_eq(pa_pts_comp_text(text, sizeof(text), &entries[1].name),
	    "ITA-HSR functional component 'Linux IMA' [K.] 'Operating System'");
	pa_pts_comp_request_encode(&w, entries, 2);
	assert_encoded(&w, req);

	assert_refused(pa_pts_comp_request_decode(H(""), &v, &e), &e, TNC_ETRUNCATED, 0,
	    "no component requested");
	assert_refused(pa_pts_comp_request_decode(H("10 00 00 00 00 90 2a 21 00 00 00"), &v, &e),
	    &e, TNC_ETRUNCATED, 8, "attribute value truncated");
	assert_refused(pa_pts_comp_request_decode(H("10 00 00 00 00 90 2a 61 00 00 00 03"), &v,
	    &e), &e, TNC_EINVALID, 7, "functional name encoding family is not binary enumeration");
	/* 65 components: refused before the walk, at the 65th. */
	assert_refused(pa_pts_comp_request_decode(fill(0, 65 * PA_PTS_REQ_ENTRY_LEN), &v, &e), &e,
	    TNC_ETOOLONG, 64 * 12, "more than 64 components requested");
	ck_assert_int_eq(pa_pts_comp_request_decode(fill(0, 64 * PA_PTS_REQ_ENTRY_LEN), &v, &e), 0);
	ck_assert_uint_eq(v.count, 64);
	wire_writer_clear(&w);
}
END_TEST

/* Names of the seeds' functional components, namespaces and groups. */
START_TEST(names)
{
	struct pa_pts_comp_name unknown = {0x123456, 0x3f, 7};
	char text[PA_PTS_TEXT_MAX];

	ck_assert_str_eq(pa_pts_comp_func_name(PA_TNC_VENDOR_ITA, 1), "Trusted GRUB Boot Loader");
	ck_assert_str_eq(pa_pts_comp_func_name(PA_TNC_VENDOR_ITA, 2), "Trusted Boot");
	ck_assert_str_eq(pa_pts_comp_func_name(PA_TNC_VENDOR_ITA, 3), "Linux IMA");
	ck_assert_str_eq(pa_pts_comp_func_name(PA_TNC_VENDOR_TCG, 2), "BIOS");
	ck_assert_str_eq(pa_pts_comp_func_name(PA_TNC_VENDOR_TCG, 7), "unknown");
	ck_assert_str_eq(pa_pts_comp_text(text, sizeof(text), &unknown),
	    "0x123456 functional component 0x00000007 [KS] 'All Matching Components'");
	ck_assert_str_eq(pa_pts_algo_name(PA_PTS_ALGO_SHA1), "HASH_SHA1");
	ck_assert_str_eq(pa_pts_algo_name(PA_PTS_ALGO_SHA384), "HASH_SHA2_384");
	ck_assert_str_eq(pa_pts_algo_name(0x0800), "unknown");
	ck_assert_str_eq(pa_pts_dh_group_name(PA_PTS_DH_MODP1024), "MODP_1024");
	ck_assert_str_eq(pa_pts_algo_set_text(text, sizeof(text), 0), "none");
	/* Cut to fit, NUL-ended. */
	ck_assert_str_eq(pa_pts_algo_set_text(text, 12, PA_PTS_ALGOS_ALL), "HASH_SHA1 H");
	ck_assert_str_eq(pa_pts_quote_mode_name(PA_PTS_QUOTE_TPM2), "TPM 2.0 quote info");
	ck_assert_str_eq(pa_pts_file_type_name(PA_PTS_FILE_REGULAR), "regular");
	ck_assert_str_eq(pa_pts_transform_name(PA_PTS_TRANSFORM_SHORT), "hash padded to PCR size");
	ck_assert_str_eq(pa_pts_validation_name(PA_PTS_VALIDATION_PASSED), "verification passed");
	/* The seed's attribute type lines. */
	ck_assert_str_eq(pa_tnc_attr_name(PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_REQ),
	    "TCG/DH Nonce Parameters Request");
	ck_assert_str_eq(pa_tnc_attr_name(PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO),
	    "TCG/PTS Measurement Algorithm");
	ck_assert_str_eq(pa_tnc_attr_name(PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_EVID_FINAL),
	    "TCG/Simple Evidence Final");
	ck_assert_str_eq(pa_tnc_attr_name(PA_TNC_VENDOR_TCG, PA_PTS_REQ_INTEG_MEAS_LOG),
	    "TCG/Request Integrity Measurement Log");
	ck_assert_str_eq(pa_tnc_attr_name(PA_TNC_VENDOR_ITA, PA_ITA_SYMLINKS), "ITA-HSR/Symlinks");
}
END_TEST

START_TEST(report)
{
	struct bytes xml = H("'<VerificationResult/>'");
	struct bytes iml = H("00 00 00 0a");
	struct bytes iml_comp = H("80 00 00 0a 00 00 00 01 00 55 97 01 00 00 00 02");
	struct pa_pts_iml_request r;
	struct wire_writer w;
	struct parse_error e;
	struct bytes doc;

	wire_writer_init(&w, MAX_VALUE);
	ck_assert_int_eq(pa_pts_xml_decode(xml, &doc, &e), 0);
	assert_same(doc, xml);
	pa_pts_xml_encode(&w, doc);
	assert_encoded(&w, xml);
	assert_refused(pa_pts_xml_decode(H(""), &doc, &e), &e, TNC_ETRUNCATED, 0,
	    "XML document is empty");
	assert_refused(pa_pts_xml_decode(H("'<a>' 00"), &doc, &e), &e, TNC_EINVALID, 3,
	    "string is not UTF-8 text without NUL");

	ck_assert_int_eq(pa_pts_iml_request_decode(iml, &r, &e), 0);
	ck_assert_uint_eq(r.pcr, 10);
	ck_assert(!r.has_component);
	pa_pts_iml_request_encode(&w, &r);
	assert_encoded(&w, iml);
	ck_assert_int_eq(pa_pts_iml_request_decode(iml_comp, &r, &e), 0);
	ck_assert(r.has_component);
	ck_assert_uint_eq(r.depth, 1);
	ck_assert_uint_eq(r.name.name, PA_PTS_TCG_COMP_BIOS);
	pa_pts_iml_request_encode(&w, &r);
	assert_encoded(&w, iml_comp);
	assert_refused(pa_pts_iml_request_decode(H("00 00 00 0a 00 00"), &r, &e), &e,
	    TNC_ETRUNCATED, 4, "attribute value truncated");
	wire_writer_clear(&w);
}
END_TEST

/* The seed: "adding directory symlinks: /lib32 -> /usr/lib32 ...". */
START_TEST(symlinks)
{
	static const char *const links[][2] = {
		{"/lib32", "/usr/lib32"}, {"/lib", "/usr/lib"}, {"/libx32", "/usr/libx32"},
		{"/sbin", "/usr/sbin"}, {"/bin", "/usr/bin"}, {"/lib64", "/usr/lib64"},
	};
	struct bytes value = H("00 00 00 06 00 06 '/lib32' 00 0a '/usr/lib32' 00 04 '/lib' 00 08 "
	    "'/usr/lib' 00 07 '/libx32' 00 0b '/usr/libx32' 00 05 '/sbin' 00 09 '/usr/sbin' "
	    "00 04 '/bin' 00 08 '/usr/bin' 00 06 '/lib64' 00 0a '/usr/lib64'");
	struct pa_pts_symlinks v;
	struct pa_pts_symlinks_iter it;
	struct pa_pts_symlink got[7];
	struct wire_writer w;
	struct parse_error e;
	struct bytes dir;
	size_t n = 0;

	wire_writer_init(&w, MAX_VALUE);
	ck_assert_int_eq(pa_pts_symlinks_request_decode(H("'/'"), &dir, &e), 0);
	assert_text(dir, "/");
	pa_pts_symlinks_request_encode(&w, dir);
	assert_encoded(&w, H("'/'"));

	ck_assert_int_eq(pa_pts_symlinks_decode(value, &v, &e), 0);
	ck_assert_uint_eq(v.count, 6);
	pa_pts_symlinks_iter_init(&it, &v);
	while (n < 7 && pa_pts_symlinks_next(&it, &got[n]))
		n++;
	ck_assert_uint_eq(n, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_text(got[i].link, links[i][0]);
		assert_text(got[i].dir, links[i][1]);
	}
	pa_pts_symlinks_encode(&w, got, n);
	assert_encoded(&w, value);

	assert_refused(pa_pts_symlinks_decode(H("ff ff ff ff 00 04 '/bin' 00 08 '/usr/bin'"), &v,
	    &e), &e, TNC_ETOOLONG, 0, "more symlinks than the value can hold");
	assert_refused(pa_pts_symlinks_decode(H("00 00 00 01 00 05 '/bin' 00 08 '/usr/bin'"), &v,
	    &e), &e, TNC_EINVALID, 10, "string is not UTF-8 text without NUL");
	assert_refused(pa_pts_symlinks_decode(H("00 00 00 01 00 04 '/bin' 00 09 '/usr/bin'"), &v,
	    &e), &e, TNC_ETRUNCATED, 10, "path length past the end of the value");
	assert_refused(pa_pts_symlinks_decode(H("00 00 00 01 00 00 00 08 '/usr/bin'"), &v, &e), &e,
	    TNC_EINVALID, 4, "empty path");
	assert_refused(pa_pts_symlinks_decode(H("00 00 00 00 00"), &v, &e), &e, TNC_ETRAILING, 4,
	    "bytes after the attribute value");
	assert_refused(pa_pts_symlinks_request_decode(H(""), &dir, &e), &e, TNC_ETRUNCATED, 0,
	    "directory is empty");
	wire_writer_clear(&w);
}
END_TEST

/* A big-endian number of width octets. */
static struct bytes
be(uint64_t v, size_t width)
{
	uint8_t *start = pool + pool_used;

	for (size_t i = 0; i < width; i++)
		start[i] = (uint8_t)(v >> (8 * (width - 1 - i)));
	pool_used += width;
	return (struct bytes){start, width};
}

/* Octets [from, to) of b. */
static struct bytes
slice(struct bytes b, size_t from, size_t to)
{
	ck_assert_uint_le(to, b.len);
	return (struct bytes){b.ptr + from, to - from};
}

#define TIME "'2022-05-31T08:26:24Z'"
#define SEED_TIME 1653985584 /* 2022-05-31T08:26:24Z */

/* strongSwan's BIOS evidence: 'Linux IMA' K|Trusted Platform, the event's
 * PCR and digest, PCR transform "match". */
START_TEST(comp_evidence_bios)
{
	struct bytes digest = fill(0x11, 32);
	struct bytes value = cat(H("00 00 00 00 00 90 2a 21 00 00 00 03 80 00 00 00 40 00 01 00 " TIME),
	    digest);
	struct pa_pts_comp_evidence v;
	struct wire_writer w;
	struct parse_error e;
	char text[PA_PTS_TEXT_MAX];
	int64_t t;
	bool known;

	wire_writer_init(&w, MAX_VALUE);
	ck_assert_int_eq(pa_pts_comp_evidence_decode(value, &v, &e), 0);
	ck_assert_uint_eq(v.flags, 0);
	ck_assert_str_eq(pa_pts_comp_text(text, sizeof(text), &v.name),
	    "ITA-HSR functional component 'Linux IMA' [K.] 'Trusted Platform'");
	ck_assert_uint_eq(v.pcr, 0);
	ck_assert_uint_eq(v.hash_algo, PA_PTS_ALGO_SHA256);
	ck_assert_uint_eq(v.transform, PA_PTS_TRANSFORM_MATCH);
	ck_assert_int_eq(pa_pts_time_parse(v.time, &known, &t), 0);
	ck_assert(known);
	ck_assert_int_eq(t, SEED_TIME);
	ck_assert_uint_eq(v.policy_uri.len, 0);
	ck_assert_uint_eq(v.pcr_before.len, 0);
	assert_same(v.measurement, digest);
	pa_pts_comp_evidence_encode(&w, &v);
	assert_encoded(&w, value);
	wire_writer_clear(&w);
}
END_TEST

/* strongSwan's IMA evidence: K|OS, PCR 10, flags 0x60 (verification
 * passed), "sha256:<path>" as policy URI, the template hash as
 * measurement; with PCR values (flag 0x80) and SHA-1 as well. */
START_TEST(comp_evidence_ima)
{
	struct bytes hash = fill(0x22, 32), before = fill(0x33, 20), after = fill(0x44, 20);
	struct bytes ima = cat(H("60 00 00 00 00 90 2a 22 00 00 00 03 80 00 00 0a 40 00 01 00 " TIME
	    " 00 14 'sha256:/usr/bin/tpm2'"), hash);
	struct bytes pcr = cat(cat(cat(H("e0 00 00 00 00 90 2a 22 00 00 00 03 80 00 00 0a 80 00 00 00 "
	    "'0000-00-00T00:00:00Z' 00 0a '/bin/bash2' 00 14"), before), after), slice(hash, 0, 20));
	struct pa_pts_comp_evidence v;
	struct pa_pts_ima_uri uri;
	struct wire_writer w;
	struct parse_error e;
	int64_t t;
	bool known;

	wire_writer_init(&w, MAX_VALUE);
	ck_assert_int_eq(pa_pts_comp_evidence_decode(ima, &v, &e), 0);
	ck_assert_uint_eq(v.flags, PA_PTS_VALIDATION_PASSED);
	ck_assert_uint_eq(v.name.qualifier, PA_PTS_QUALIFIER_KERNEL | PA_PTS_QUALIFIER_OS);
	ck_assert_uint_eq(v.pcr, 10);
	assert_text(v.policy_uri, "sha256:/usr/bin/tpm2");
	assert_same(v.measurement, hash);
	pa_pts_ima_uri_split(v.policy_uri, &uri);
	ck_assert(uri.has_algo);
	assert_text(uri.algo, "sha256");
	assert_text(uri.path, "/usr/bin/tpm2");
	pa_pts_comp_evidence_encode(&w, &v);
	assert_encoded(&w, ima);

	ck_assert_int_eq(pa_pts_comp_evidence_decode(pcr, &v, &e), 0);
	ck_assert_uint_eq(v.flags, PA_PTS_EVID_FLAG_PCR | PA_PTS_VALIDATION_PASSED);
	ck_assert_uint_eq(v.hash_algo, PA_PTS_ALGO_SHA1);
	ck_assert_uint_eq(v.transform, PA_PTS_TRANSFORM_NO);
	ck_assert_int_eq(pa_pts_time_parse(v.time, &known, &t), 0);
	ck_assert(!known);
	assert_same(v.pcr_before, before);
	assert_same(v.pcr_after, after);
	assert_same(v.measurement, slice(hash, 0, 20));
	/* The ima template: the path alone. */
	pa_pts_ima_uri_split(v.policy_uri, &uri);
	ck_assert(!uri.has_algo);
	assert_text(uri.path, "/bin/bash2");
	pa_pts_comp_evidence_encode(&w, &v);
	assert_encoded(&w, pcr);
	/* ":" alone (ima-ng with SHA-1, as strongSwan reads it). */
	pa_pts_ima_uri_split(H("':/x:y'"), &uri);
	ck_assert(uri.has_algo);
	assert_text(uri.algo, "");
	assert_text(uri.path, "/x:y");
	pa_pts_ima_uri_split(H("'/x/sha256:y'"), &uri);
	ck_assert(!uri.has_algo);
	wire_writer_clear(&w);
}
END_TEST

/* Each field refused with its reason, at its offset. */
START_TEST(comp_evidence_refused)
{
	struct bytes head = H("60 00 00 00 00 90 2a 22 00 00 00 03");
	struct bytes tail = H("00 00 0a 40 00 01 00 " TIME);
	struct bytes m = fill(0x22, 32);
	struct pa_pts_comp_evidence v;
	struct wire_writer w;
	struct parse_error e;

#define EVID(type_, rest) cat(cat(cat(head, H(type_)), tail), H(rest))
	assert_refused(pa_pts_comp_evidence_decode(cat(EVID("00", "00 00"), m), &v, &e), &e,
	    TNC_EINVALID, 12, "measurement type is not a hash");
	assert_refused(pa_pts_comp_evidence_decode(cat(cat(H("00 00 00 00 00 90 2a 22 00 00 00 03 "
	    "80 00 00 0a 00 00 01 00 " TIME), H("")), m), &v, &e), &e, TNC_EINVALID, 16,
	    "hash algorithm is not exactly one known algorithm");
	assert_refused(pa_pts_comp_evidence_decode(cat(H("00 00 00 00 00 90 2a 22 00 00 00 03 "
	    "80 00 00 0a 40 00 04 00 " TIME), m), &v, &e), &e, TNC_EINVALID, 18,
	    "unknown PCR transform");
	assert_refused(pa_pts_comp_evidence_decode(cat(H("00 00 00 00 00 90 2a 22 00 00 00 03 "
	    "80 00 00 0a 40 00 01 00 '2023-02-29T00:00:00Z'"), m), &v, &e), &e, TNC_EINVALID, 20,
	    "measurement time is not YYYY-MM-DDThh:mm:ssZ");
	assert_refused(pa_pts_comp_evidence_decode(H("00 00 00 00 00 90 2a 22 00 00 00 03 "
	    "80 00 00 0a 40 00 01 00 '2022-05-31T08:26:24'"), &v, &e), &e, TNC_ETRUNCATED, 20,
	    "attribute value truncated");
	assert_refused(pa_pts_comp_evidence_decode(cat(EVID("80", "ff ff"), m), &v, &e), &e,
	    TNC_ETRUNCATED, 40, "policy URI length past the end of the value");
	assert_refused(pa_pts_comp_evidence_decode(cat(EVID("80", "00 02 2f ff"), m), &v, &e), &e,
	    TNC_EINVALID, 43, "string is not UTF-8 text without NUL");
	assert_refused(pa_pts_comp_evidence_decode(EVID("80", "00 00"), &v, &e), &e, TNC_EINVALID,
	    42, "measurement is not 1 to 64 octets");
	assert_refused(pa_pts_comp_evidence_decode(cat(EVID("80", "00 00"), fill(1, 65)), &v, &e),
	    &e, TNC_EINVALID, 42, "measurement is not 1 to 64 octets");
	head = H("80 00 00 00 00 90 2a 22 00 00 00 03");
	assert_refused(pa_pts_comp_evidence_decode(cat(EVID("80", "00 41"), fill(1, 160)), &v, &e),
	    &e, TNC_EINVALID, 40, "PCR value length is not 1 to 64");
	assert_refused(pa_pts_comp_evidence_decode(cat(EVID("80", "00 14"), fill(1, 30)), &v, &e),
	    &e, TNC_ETRUNCATED, 40, "PCR values past the end of the value");
	head = H("00 00 00 00 00 90 2a e2 00 00 00 03");
	assert_refused(pa_pts_comp_evidence_decode(cat(EVID("80", ""), m), &v, &e), &e,
	    TNC_EINVALID, 7, "functional name encoding family is not binary enumeration");
#undef EVID

	/* The encoder refuses a URI or PCR values the flags do not announce. */
	head = H("00 00 00 00 00 90 2a 22 00 00 00 03");
	ck_assert_int_eq(pa_pts_comp_evidence_decode(cat(cat(head, cat(H("80"), tail)), m), &v, &e),
	    0);
	v.policy_uri = H("'/x'");
	wire_writer_init(&w, MAX_VALUE);
	pa_pts_comp_evidence_encode(&w, &v);
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
	v.policy_uri = H("");
	v.pcr_before = v.pcr_after = fill(0, 20);
	wire_writer_init(&w, MAX_VALUE);
	pa_pts_comp_evidence_encode(&w, &v);
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
}
END_TEST

START_TEST(measurement_time)
{
	char out[PA_PTS_TIME_LEN + 1];
	int64_t t;
	bool known;

	ck_assert_int_eq(pa_pts_time_parse(H(TIME), &known, &t), 0);
	ck_assert(known);
	ck_assert_int_eq(t, SEED_TIME);
	pa_pts_time_format(out, true, SEED_TIME);
	ck_assert_str_eq(out, "2022-05-31T08:26:24Z");
	ck_assert_int_eq(pa_pts_time_parse(H("'1969-12-31T23:59:59Z'"), &known, &t), 0);
	ck_assert_int_eq(t, -1);
	pa_pts_time_format(out, true, -1);
	ck_assert_str_eq(out, "1969-12-31T23:59:59Z");
	ck_assert_int_eq(pa_pts_time_parse(H("'2024-02-29T23:59:60Z'"), &known, &t), 0);
	pa_pts_time_format(out, true, t);
	ck_assert_str_eq(out, "2024-03-01T00:00:00Z");
	ck_assert_int_eq(pa_pts_time_parse(H("'0000-00-00T00:00:00Z'"), &known, &t), 0);
	ck_assert(!known);
	pa_pts_time_format(out, false, 12345);
	ck_assert_str_eq(out, "0000-00-00T00:00:00Z");
	pa_pts_time_format(out, true, 253402300800); /* 10000-01-01 */
	ck_assert_str_eq(out, "0000-00-00T00:00:00Z");
	ck_assert_int_eq(pa_pts_time_parse(H("'2023-02-29T00:00:00Z'"), &known, &t), TNC_EINVALID);
	ck_assert_int_eq(pa_pts_time_parse(H("'2023-13-01T00:00:00Z'"), &known, &t), TNC_EINVALID);
	ck_assert_int_eq(pa_pts_time_parse(H("'2023-01-01T24:00:00Z'"), &known, &t), TNC_EINVALID);
	ck_assert_int_eq(pa_pts_time_parse(H("'0000-01-01T00:00:00Z'"), &known, &t), TNC_EINVALID);
	ck_assert_int_eq(pa_pts_time_parse(H("'2023-01-01T00:00:00+'"), &known, &t), TNC_EINVALID);
	ck_assert_int_eq(pa_pts_time_parse(H("'2023-01-01'"), &known, &t), TNC_EINVALID);
}
END_TEST

/* strongSwan's Simple Evidence Final with flag 0x10: the fields of a
 * TPMS_ATTEST one by one, each with its length. */
static struct bytes
tpm2_final(struct bytes digest, struct bytes signer, struct bytes clock, struct bytes fw,
    struct bytes sel, struct bytes sig)
{
	struct bytes v = H("10 00 40 00");

	v = cat(cat(v, be(digest.len, 4)), digest);
	v = cat(cat(v, be(signer.len, 2)), signer);
	v = cat(cat(v, be(clock.len, 2)), clock);
	v = cat(cat(v, be(fw.len, 2)), fw);
	v = cat(cat(v, be(sel.len, 2)), sel);
	return cat(cat(v, be(sig.len, 4)), sig);
}

/* The seed's quote: its TPMS_ATTEST (magic, type, signer at 6, extraData
 * at 42, clock info at 76, firmware at 93, PCR selection at 101, PCR
 * digest at 111) cut into the fields strongSwan sends; they decode to the
 * same octets, and the PCR digest is the digest of the seed's composite. */
START_TEST(final_seed_quote)
{
	size_t qlen, dlen;
	uint8_t *q = tl_read_testdata("seed/tpms-attest-quote.bin", &qlen);
	uint8_t *d = tl_read_testdata("seed/pcr-composite-digest.bin", &dlen);
	struct bytes quote = {q, qlen}, digest = {d, dlen}, sig = fill(0x77, 72);
	struct bytes value;
	struct pa_pts_final v;
	struct pa_pts_pcr_select_iter it;
	struct bytes select;
	struct wire_writer w;
	struct parse_error e;
	uint16_t hash;

	ck_assert_uint_eq(qlen, 145);
	ck_assert_uint_eq(dlen, 32);
	value = tpm2_final(digest, slice(quote, 8, 42), slice(quote, 76, 93), slice(quote, 93, 101),
	    slice(quote, 101, 111), sig);
	ck_assert_int_eq(pa_pts_final_decode(value, &v, &e), 0);
	ck_assert_uint_eq(v.mode, PA_PTS_QUOTE_TPM2);
	ck_assert(!v.has_evid_sig);
	ck_assert_str_eq(pa_pts_algo_name(v.composite_algo), "HASH_SHA2_256");
	assert_same(v.composite, digest);
	assert_same(v.composite, slice(quote, 113, 145));
	assert_same(v.qualified_signer, slice(quote, 8, 42));
	assert_same(v.clock_info, H("00 00 00 00 5f ae 07 c5 00 00 01 13 00 00 00 00 01"));
	assert_same(v.firmware_version, H("00 01 01 02 00 00 00 00"));
	assert_same(v.pcr_select, H("00 00 00 01 00 0b 03 ff 47 00"));
	assert_same(v.quote_sig, sig);
	pa_pts_pcr_select_iter_init(&it, v.pcr_select);
	ck_assert(pa_pts_pcr_select_next(&it, &hash, &select));
	ck_assert_uint_eq(hash, 0x000b);
	assert_same(select, H("ff 47 00"));
	ck_assert(!pa_pts_pcr_select_next(&it, &hash, &select));

	wire_writer_init(&w, MAX_VALUE);
	pa_pts_final_encode(&w, &v);
	assert_encoded(&w, value);
	wire_writer_clear(&w);
	free(q);
	free(d);
}
END_TEST

START_TEST(final_tpm12)
{
	struct bytes composite = fill(0x55, 20), sig = fill(0x66, 256);
	struct bytes quote2 = cat(cat(cat(H("80 00 80 00 00 00 00 14"), composite), H("00 00 01 00")),
	    sig);
	struct bytes with_evid = cat(cat(cat(cat(H("e0 00 80 00 00 00 00 14"), composite),
	    H("00 00 01 00")), sig), H("01 02 03"));
	struct pa_pts_final v;
	struct wire_writer w;
	struct parse_error e;

	wire_writer_init(&w, MAX_VALUE);
	ck_assert_int_eq(pa_pts_final_decode(quote2, &v, &e), 0);
	ck_assert_uint_eq(v.mode, PA_PTS_QUOTE_INFO2);
	ck_assert_str_eq(pa_pts_quote_mode_name(v.mode), "TPM_QUOTE_INFO2");
	assert_same(v.composite, composite);
	assert_same(v.quote_sig, sig);
	pa_pts_final_encode(&w, &v);
	assert_encoded(&w, quote2);

	ck_assert_int_eq(pa_pts_final_decode(with_evid, &v, &e), 0);
	ck_assert_uint_eq(v.mode, PA_PTS_QUOTE_INFO2_CAP_VER);
	ck_assert(v.has_evid_sig);
	assert_same(v.evid_sig, H("01 02 03"));
	pa_pts_final_encode(&w, &v);
	assert_encoded(&w, with_evid);

	ck_assert_int_eq(pa_pts_final_decode(H("00 00 00 00"), &v, &e), 0);
	ck_assert_uint_eq(v.mode, PA_PTS_QUOTE_NONE);
	pa_pts_final_encode(&w, &v);
	assert_encoded(&w, H("00 00 00 00"));
	ck_assert_int_eq(pa_pts_final_decode(H("20 00 00 00 aa"), &v, &e), 0);
	assert_same(v.evid_sig, H("aa"));
	wire_writer_clear(&w);
}
END_TEST

START_TEST(final_refused)
{
	struct bytes d = fill(0x86, 32), signer = cat(H("00 0b"), fill(0xbd, 32));
	struct bytes clock = fill(0, 17), fw = fill(0, 8), sel = H("00 00 00 01 00 0b 03 ff 47 00");
	struct bytes sig = fill(0x77, 8), value;
	struct pa_pts_final v;
	struct parse_error e;

	assert_refused(pa_pts_final_decode(H("50 00 00 00"), &v, &e), &e, TNC_EINVALID, 0,
	    "unknown quote info flags");
	assert_refused(pa_pts_final_decode(H("00 00 40 01"), &v, &e), &e, TNC_EINVALID, 2,
	    "composite hash algorithm is neither 0 nor one known algorithm");
	assert_refused(pa_pts_final_decode(H("00 00 00"), &v, &e), &e, TNC_ETRUNCATED, 2,
	    "attribute value truncated");
	assert_refused(pa_pts_final_decode(H("00 00 00 00 01"), &v, &e), &e, TNC_ETRAILING, 4,
	    "bytes after the attribute value");
	assert_refused(pa_pts_final_decode(H("20 00 00 00"), &v, &e), &e, TNC_ETRUNCATED, 4,
	    "evidence signature announced but missing");
	assert_refused(pa_pts_final_decode(H("80 00 80 00 ff ff ff ff 00"), &v, &e), &e,
	    TNC_ETRUNCATED, 4, "PCR composite length past the end of the value");
	assert_refused(pa_pts_final_decode(H("80 00 80 00 00 00 00 00 00 00 00 01 aa"), &v, &e), &e,
	    TNC_EINVALID, 4, "PCR composite is empty");
	assert_refused(pa_pts_final_decode(H("80 00 80 00 00 00 00 01 aa 00 00 00 02 aa"), &v, &e),
	    &e, TNC_ETRUNCATED, 9, "quote signature length past the end of the value");
	assert_refused(pa_pts_final_decode(H("80 00 80 00 00 00 00 01 aa 00 00 00 00"), &v, &e), &e,
	    TNC_EINVALID, 9, "quote signature is empty");

	/* TPM 2.0: a digest of another size than the algorithm's. */
	value = tpm2_final(fill(1, 20), signer, clock, fw, sel, sig);
	assert_refused(pa_pts_final_decode(value, &v, &e), &e, TNC_EINVALID, 4,
	    "PCR digest does not have the size of the composite hash algorithm");
	/* Field sizes TPMS_ATTEST fixes; offsets of the length fields. */
	value = tpm2_final(d, fill(1, 67), clock, fw, sel, sig);
	assert_refused(pa_pts_final_decode(value, &v, &e), &e, TNC_EINVALID, 40,
	    "qualified signer is not 1 to 66 octets");
	value = tpm2_final(d, signer, fill(0, 16), fw, sel, sig);
	assert_refused(pa_pts_final_decode(value, &v, &e), &e, TNC_EINVALID, 76,
	    "clock info is not 17 octets");
	value = tpm2_final(d, signer, clock, fill(0, 9), sel, sig);
	assert_refused(pa_pts_final_decode(value, &v, &e), &e, TNC_EINVALID, 95,
	    "firmware version is not 8 octets");
	/* The selection lengths field is at 105, the selection at 107. */
	value = tpm2_final(d, signer, clock, fw, H("00 00 00 11"), sig);
	assert_refused(pa_pts_final_decode(value, &v, &e), &e, TNC_ETOOLONG, 107,
	    "more than 16 PCR selections");
	value = tpm2_final(d, signer, clock, fw, H("ff ff ff ff"), sig);
	assert_refused(pa_pts_final_decode(value, &v, &e), &e, TNC_ETOOLONG, 107,
	    "more than 16 PCR selections");
	value = tpm2_final(d, signer, clock, fw, H("00 00 00 01 00 0b 05 ff ff ff ff ff"), sig);
	assert_refused(pa_pts_final_decode(value, &v, &e), &e, TNC_ETOOLONG, 113,
	    "PCR select bitmap above 4 octets");
	value = tpm2_final(d, signer, clock, fw, H("00 00 00 02 00 0b 03 ff 47 00"), sig);
	assert_refused(pa_pts_final_decode(value, &v, &e), &e, TNC_ETRUNCATED, 117,
	    "PCR selection truncated");
	value = tpm2_final(d, signer, clock, fw, H("00 00 00 01 00 0b 03 ff 47 00 00"), sig);
	assert_refused(pa_pts_final_decode(value, &v, &e), &e, TNC_ETRAILING, 117,
	    "bytes after the PCR selection");
	/* Cut anywhere, the value is refused. */
	value = tpm2_final(d, signer, clock, fw, sel, sig);
	for (size_t len = 0; len < value.len; len++)
		ck_assert_int_lt(pa_pts_final_decode(slice(value, 0, len), &v, &e), 0);
}
END_TEST

START_TEST(file_measurement)
{
	struct bytes m1 = fill(0xa1, 32), m2 = fill(0xa2, 32);
	struct bytes req = H("80 00 00 07 00 00 00 2f '/etc'");
	struct bytes meas = cat(cat(cat(cat(H("00 00 00 00 00 00 00 02 00 07 00 20"), m1),
	    H("00 0b '/etc/passwd'")), m2), H("00 0a '/etc/group'"));
	struct pa_pts_file_meas_request r;
	struct pa_pts_file_meas v;
	struct pa_pts_file_meas_iter it;
	struct pa_pts_file_meas_entry files[3];
	struct wire_writer w;
	struct parse_error e;
	size_t n = 0;

	wire_writer_init(&w, MAX_VALUE);
	ck_assert_int_eq(pa_pts_file_meas_request_decode(req, &r, &e), 0);
	ck_assert(r.directory);
	ck_assert_uint_eq(r.request_id, 7);
	ck_assert_uint_eq(r.delimiter, '/');
	assert_text(r.path, "/etc");
	pa_pts_file_meas_request_encode(&w, &r);
	assert_encoded(&w, req);
	/* A delimiter of two UTF-8 octets is one character. */
	ck_assert_int_eq(pa_pts_file_meas_request_decode(H("00 00 00 07 00 00 c3 a9 '/x'"), &r, &e),
	    0);

	ck_assert_int_eq(pa_pts_file_meas_decode(meas, &v, &e), 0);
	ck_assert_uint_eq(v.count, 2);
	ck_assert_uint_eq(v.request_id, 7);
	ck_assert_uint_eq(v.meas_len, 32);
	pa_pts_file_meas_iter_init(&it, &v);
	while (n < 3 && pa_pts_file_meas_next(&it, &files[n]))
		n++;
	ck_assert_uint_eq(n, 2);
	assert_same(files[0].measurement, m1);
	assert_text(files[0].filename, "/etc/passwd");
	assert_text(files[1].filename, "/etc/group");
	pa_pts_file_meas_encode(&w, v.request_id, v.meas_len, files, n);
	assert_encoded(&w, meas);
	/* No files: strongSwan sends measurement length 0. */
	ck_assert_int_eq(pa_pts_file_meas_decode(H("00 00 00 00 00 00 00 00 00 07 00 00"), &v, &e),
	    0);
	ck_assert_uint_eq(v.count, 0);

	assert_refused(pa_pts_file_meas_request_decode(H("00 00 00 07 00 00 00 00 '/x'"), &r, &e),
	    &e, TNC_EINVALID, 4, "delimiter is not one UTF-8 encoded character");
	assert_refused(pa_pts_file_meas_request_decode(H("00 00 00 07 00 00 00 c3 '/x'"), &r, &e),
	    &e, TNC_EINVALID, 4, "delimiter is not one UTF-8 encoded character");
	assert_refused(pa_pts_file_meas_request_decode(H("00 00 00 07 00 00 2f 2f '/x'"), &r, &e),
	    &e, TNC_EINVALID, 4, "delimiter is not one UTF-8 encoded character");
	assert_refused(pa_pts_file_meas_request_decode(H("00 00 00 07 00 00 00 2f"), &r, &e), &e,
	    TNC_ETRUNCATED, 8, "path is empty");
	assert_refused(pa_pts_file_meas_request_decode(H("00 00 00 07 00 00 00 2f '/x' c0 af"), &r,
	    &e), &e, TNC_EINVALID, 10, "string is not UTF-8 text without NUL");
	/* A count of 2^64-1 is refused before anything is walked. */
	assert_refused(pa_pts_file_meas_decode(cat(H("ff ff ff ff ff ff ff ff 00 07 00 20"), m1), &v,
	    &e), &e, TNC_ETOOLONG, 0, "more files than the value can hold");
	assert_refused(pa_pts_file_meas_decode(H("00 00 00 00 00 00 00 00 00 07 00 41"), &v, &e), &e,
	    TNC_EINVALID, 10, "measurement length above 64");
	assert_refused(pa_pts_file_meas_decode(cat(cat(H("00 00 00 00 00 00 00 01 00 07 00 20"), m1),
	    H("00 0c '/etc/passwd'")), &v, &e), &e, TNC_ETRUNCATED, 44,
	    "file name length past the end of the value");
	assert_refused(pa_pts_file_meas_decode(cat(cat(H("00 00 00 00 00 00 00 01 00 07 00 20"), m1),
	    H("00 0b '/etc/passwd' 00")), &v, &e), &e, TNC_ETRAILING, 57,
	    "bytes after the attribute value");
	files[0].measurement = fill(1, 20);
	pa_pts_file_meas_encode(&w, 7, 32, files, 1);
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
}
END_TEST

START_TEST(file_metadata)
{
	struct bytes req = H("80 2f 00 00 '/etc'");
	struct bytes meta = H("00 00 00 00 00 00 00 01 00 3f 08 00 00 00 00 00 00 00 0a 6e "
	    "00 00 00 00 62 95 d0 30 00 00 00 00 62 95 d0 31 00 00 00 00 62 95 d0 32 "
	    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 2a '/etc/passwd'");
	struct pa_pts_file_meta_request r;
	struct pa_pts_file_meta v;
	struct pa_pts_file_meta_iter it;
	struct pa_pts_file_meta_entry f[2];
	struct wire_writer w;
	struct parse_error e;

	wire_writer_init(&w, MAX_VALUE);
	ck_assert_int_eq(pa_pts_file_meta_request_decode(req, &r, &e), 0);
	ck_assert(r.directory);
	ck_assert_uint_eq(r.delimiter, '/');
	pa_pts_file_meta_request_encode(&w, &r);
	assert_encoded(&w, req);

	ck_assert_int_eq(pa_pts_file_meta_decode(meta, &v, &e), 0);
	ck_assert_uint_eq(v.count, 1);
	pa_pts_file_meta_iter_init(&it, &v);
	ck_assert(pa_pts_file_meta_next(&it, &f[0]));
	ck_assert(!pa_pts_file_meta_next(&it, &f[1]));
	ck_assert_str_eq(pa_pts_file_type_name(f[0].type), "regular");
	ck_assert_uint_eq(f[0].size, 2670);
	ck_assert_uint_eq(f[0].created, 0x6295d030);
	ck_assert_uint_eq(f[0].accessed, 0x6295d032);
	ck_assert_uint_eq(f[0].owner, 0);
	ck_assert_uint_eq(f[0].group, 42);
	assert_text(f[0].filename, "/etc/passwd");
	pa_pts_file_meta_encode(&w, f, 1);
	assert_encoded(&w, meta);

	assert_refused(pa_pts_file_meta_request_decode(H("00 80 00 00 '/etc'"), &r, &e), &e,
	    TNC_EINVALID, 1, "delimiter is not an ASCII character");
	assert_refused(pa_pts_file_meta_decode(cat(H("00 00 00 00 00 00 00 02"), slice(meta, 8,
	    meta.len)), &v, &e), &e, TNC_ETOOLONG, 0, "more files than the value can hold");
	assert_refused(pa_pts_file_meta_decode(cat(H("00 00 00 00 00 00 00 01 00 33"),
	    slice(meta, 10, meta.len)), &v, &e), &e, TNC_EINVALID, 8,
	    "file metadata length below 52");
	assert_refused(pa_pts_file_meta_decode(cat(H("00 00 00 00 00 00 00 01 00 40"),
	    slice(meta, 10, meta.len)), &v, &e), &e, TNC_ETRUNCATED, 8,
	    "file metadata length past the end of the value");
	wire_writer_clear(&w);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("pa_pts");
	TCase *tc = tcase_create("negotiation");
	tcase_add_test(tc, negotiation);
	tcase_add_test(tc, dh_nonce);
	tcase_add_test(tc, tpm_version);
	tcase_add_test(tc, aik);
	tcase_add_test(tc, comp_request);
	tcase_add_test(tc, names);
	tcase_add_test(tc, report);
	tcase_add_test(tc, symlinks);
	suite_add_tcase(s, tc);
	tc = tcase_create("evidence");
	tcase_add_test(tc, comp_evidence_bios);
	tcase_add_test(tc, comp_evidence_ima);
	tcase_add_test(tc, comp_evidence_refused);
	tcase_add_test(tc, measurement_time);
	tcase_add_test(tc, final_seed_quote);
	tcase_add_test(tc, final_tpm12);
	tcase_add_test(tc, final_refused);
	tcase_add_test(tc, file_measurement);
	tcase_add_test(tc, file_metadata);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
