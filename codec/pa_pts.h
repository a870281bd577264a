/* pa_pts.h - TCG Attestation PTS Protocol: Binding to TNC IF-M (1.0) attribute
 * types (vendor PA_TNC_VENDOR_TCG), the values shared by several of them
 * (measurement algorithms, DH groups, Component Functional Names), and the
 * codecs of the negotiation attributes (spec 3.6-3.13).
 *
 * The evidence attributes are in pa_pts_comp.h (Request Functional Component
 * Evidence, Simple Component Evidence), pa_pts_final.h (Simple Evidence
 * Final), pa_pts_file.h (file measurement and metadata), pa_pts_report.h
 * (Verification Result, Integrity Report, Request Integrity Measurement Log)
 * and pa_pts_symlinks.h (strongSwan's ITA-HSR Get Symlinks / Symlinks); the
 * names for logs in pa_pts_names.h.  All decoders follow the conventions of
 * pa_ietf.h: views into the value, Invalid Parameter at the offset of the
 * offending field (from the start of the value), reserved fields ignored on
 * reception and sent as zero, text UTF-8 without NUL.  Where strongSwan's
 * encoding differs from the TCG specification both are accepted; the
 * comments say which is which.
 */
#ifndef TNC_PA_PTS_H
#define TNC_PA_PTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

/* Attribute types, vendor PA_TNC_VENDOR_TCG (spec 3.5; the PTS range). */
enum pa_pts_attr_type {
	PA_PTS_REQ_FUNC_COMP_EVID = 0x00100000,
	PA_PTS_GEN_ATTEST_EVID = 0x00200000,
	PA_PTS_SIMPLE_COMP_EVID = 0x00300000,
	PA_PTS_SIMPLE_EVID_FINAL = 0x00400000,
	PA_PTS_VERIFICATION_RESULT = 0x00500000,
	PA_PTS_INTEG_REPORT = 0x00600000,
	PA_PTS_REQ_FILE_META = 0x00700000,
	PA_PTS_WIN_FILE_META = 0x00800000,
	PA_PTS_UNIX_FILE_META = 0x00900000,
	PA_PTS_REQ_REGISTRY_VALUE = 0x00a00000,
	PA_PTS_REGISTRY_VALUE = 0x00b00000,
	PA_PTS_REQ_FILE_MEAS = 0x00c00000,
	PA_PTS_FILE_MEAS = 0x00d00000,
	PA_PTS_REQ_INTEG_MEAS_LOG = 0x00e00000,
	PA_PTS_INTEG_MEAS_LOG = 0x00f00000,
	PA_PTS_REQ_PROTO_CAPS = 0x01000000,
	PA_PTS_PROTO_CAPS = 0x02000000,
	PA_PTS_DH_NONCE_PARAMS_REQ = 0x03000000,
	PA_PTS_DH_NONCE_PARAMS_RESP = 0x04000000,
	PA_PTS_DH_NONCE_FINISH = 0x05000000,
	PA_PTS_MEAS_ALGO_REQ = 0x06000000,
	PA_PTS_MEAS_ALGO = 0x07000000, /* the selection */
	PA_PTS_GET_TPM_VERSION_INFO = 0x08000000,
	PA_PTS_TPM_VERSION_INFO = 0x09000000,
	PA_PTS_REQ_TEMPL_REF_MANI_SET_META = 0x0a000000,
	PA_PTS_TEMPL_REF_MANI_SET_META = 0x0b000000,
	PA_PTS_UPDATE_TEMPL_REF_MANI = 0x0c000000,
	PA_PTS_GET_AIK = 0x0d000000,
	PA_PTS_AIK = 0x0e000000,
};

/* PA-TNC Error Codes of vendor PA_TNC_VENDOR_TCG (3.14.2); with the file
 * requests their Error Information is the refused request's value, as
 * strongSwan sends it. */
enum pa_pts_error_code {
	PA_PTS_ERROR_HASH_ALG_NOT_SUPPORTED = 1,
	PA_PTS_ERROR_INVALID_PATH = 2,
	PA_PTS_ERROR_FILE_NOT_FOUND = 3,
	PA_PTS_ERROR_INVALID_DELIMITER = 10,
	PA_PTS_ERROR_OPERATION_NOT_SUPPORTED = 11,
};

/* PTS Protocol Capabilities flags (3.7), the low five bits of the value. */
#define PA_PTS_CAP_X 0x01 /* XML based evidence */
#define PA_PTS_CAP_T 0x02 /* Trusted Platform evidence */
#define PA_PTS_CAP_D 0x04 /* DH nonce negotiation */
#define PA_PTS_CAP_V 0x08 /* verification */
#define PA_PTS_CAP_C 0x10 /* current (in-memory) evidence */
#define PA_PTS_CAPS_ALL 0x1f

/* Hash Algorithm values (3.8.5, 3.9.3): one bit each in a 16-bit set, the
 * first bit SHA-1.  SHA-512 is strongSwan's addition in the next bit. */
#define PA_PTS_ALGO_SHA1 0x8000
#define PA_PTS_ALGO_SHA256 0x4000
#define PA_PTS_ALGO_SHA384 0x2000
#define PA_PTS_ALGO_SHA512 0x1000
#define PA_PTS_ALGOS_ALL 0xf000

/* D-H Group values (3.8.6), IKE group numbers in brackets. */
#define PA_PTS_DH_MODP1024 0x8000 /* IKE 2 */
#define PA_PTS_DH_MODP1536 0x4000 /* IKE 5 */
#define PA_PTS_DH_MODP2048 0x2000 /* IKE 14 */
#define PA_PTS_DH_ECP256 0x1000   /* IKE 19 */
#define PA_PTS_DH_ECP384 0x0800   /* IKE 20 */
#define PA_PTS_DH_ALL 0xf800

/* The largest digest any algorithm above yields (SHA-512). */
#define PA_PTS_HASH_MAX 64

/* Octets of a digest of one algorithm (one bit of the set); 0 for any other
 * value. */
size_t pa_pts_algo_size(uint16_t algo);
/* True if set holds exactly one bit, and that of a known algorithm. */
bool pa_pts_algo_is_one(uint16_t set);
/* Octets of a D-H public value of one group: the MODP modulus size, or x
 * and y of an ECP point (IKE encoding, RFC 5903 without the 0x04 octet); 0
 * for anything but one known group. */
size_t pa_pts_dh_public_size(uint16_t group);

/* Component Functional Name (5.1): vendor of the name space (24 bits),
 * family (2 bits, 0 = binary enumeration, the only one defined),
 * qualifier (6 bits: K, S flags and a 4-bit type, 5.2), name (32 bits). */
struct pa_pts_comp_name {
	uint32_t vendor;
	uint8_t qualifier;
	uint32_t name;
};
#define PA_PTS_COMP_NAME_LEN 8
#define PA_PTS_FAMILY_MASK 0xc0
#define PA_PTS_QUALIFIER_KERNEL 0x20
#define PA_PTS_QUALIFIER_SUB 0x10
#define PA_PTS_QUALIFIER_TYPE_MASK 0x0f

/* Qualifier types (5.2), TCG and ITA-HSR alike. */
enum pa_pts_qualifier_type {
	PA_PTS_QUALIFIER_UNKNOWN = 0x0,
	PA_PTS_QUALIFIER_TRUSTED = 0x1,
	PA_PTS_QUALIFIER_OS = 0x2,
	PA_PTS_QUALIFIER_GUI = 0x3,
	PA_PTS_QUALIFIER_APP = 0x4,
	PA_PTS_QUALIFIER_NET = 0x5,
	PA_PTS_QUALIFIER_LIB = 0x6,
	PA_PTS_QUALIFIER_TNC = 0x7,
	PA_PTS_QUALIFIER_ALL = 0xf,
};

/* Component Functional Name binary enumeration, TCG name space (5.3). */
enum pa_pts_tcg_comp {
	PA_PTS_TCG_COMP_IGNORE = 0x0000,
	PA_PTS_TCG_COMP_CRTM = 0x0001,
	PA_PTS_TCG_COMP_BIOS = 0x0002,
	PA_PTS_TCG_COMP_PLATFORM_EXT = 0x0003,
	PA_PTS_TCG_COMP_BOARD = 0x0004,
	PA_PTS_TCG_COMP_INIT_LOADER = 0x0005,
	PA_PTS_TCG_COMP_OPT_ROMS = 0x0006,
};

/* The ITA-HSR name space strongSwan uses: BIOS evidence is 'Linux IMA' with
 * qualifier K|Trusted Platform, IMA evidence the same name with K|OS. */
enum pa_pts_ita_comp {
	PA_PTS_ITA_COMP_IGNORE = 0x0000,
	PA_PTS_ITA_COMP_TGRUB = 0x0001,
	PA_PTS_ITA_COMP_TBOOT = 0x0002,
	PA_PTS_ITA_COMP_IMA = 0x0003,
};

/* Reads / appends the 8 octets of a name; the family must be 0 (3.14.1). */
int pa_pts_comp_name_get(struct wire_reader *r, struct pa_pts_comp_name *ret,
    struct parse_error *e) TNC_MUST_CHECK;
void pa_pts_comp_name_put(struct wire_writer *w, const struct pa_pts_comp_name *n);

/* Get TPM Version Information (3.10), Get Attestation Identity Key (3.12)
 * and Generate Attestation Evidence (3.14.2): 4 reserved octets. */
int pa_pts_reserved_decode(struct bytes value, struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_pts_reserved_encode(struct wire_writer *w);

/* Request PTS Protocol Capabilities (3.6) and PTS Protocol Capabilities
 * (3.7): a 32-bit field whose low five bits are PA_PTS_CAP_*. */
int pa_pts_caps_decode(struct bytes value, uint32_t *ret, struct parse_error *ret_err)
    TNC_MUST_CHECK;
void pa_pts_caps_encode(struct wire_writer *w, uint32_t caps);

/* PTS Measurement Algorithm Request (3.9.1): 16 reserved bits and a set of
 * PA_PTS_ALGO_*; unknown bits are dropped.  PTS Measurement Algorithm
 * (the selection, 3.9.2): the same layout holding exactly one known
 * algorithm. */
int pa_pts_algo_request_decode(struct bytes value, uint16_t *ret, struct parse_error *ret_err)
    TNC_MUST_CHECK;
int pa_pts_algo_decode(struct bytes value, uint16_t *ret, struct parse_error *ret_err)
    TNC_MUST_CHECK;
void pa_pts_algo_encode(struct wire_writer *w, uint16_t algos);

/* D-H Nonce Parameters Request (3.8.1). */
struct pa_pts_dh_request {
	uint8_t min_nonce_len;
	uint16_t groups; /* PA_PTS_DH_*, unknown bits dropped */
};
int pa_pts_dh_request_decode(struct bytes value, struct pa_pts_dh_request *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_pts_dh_request_encode(struct wire_writer *w, const struct pa_pts_dh_request *v);

/* D-H Nonce Parameters Response (3.8.2): one group, the hash algorithms the
 * responder offers, its nonce (8-bit length) and its public value (the
 * rest, of the group's size). */
struct pa_pts_dh_response {
	uint16_t group;
	uint16_t hash_algos; /* PA_PTS_ALGO_*, unknown bits dropped */
	struct bytes nonce;
	struct bytes public_value;
};
int pa_pts_dh_response_decode(struct bytes value, struct pa_pts_dh_response *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_pts_dh_response_encode(struct wire_writer *w, const struct pa_pts_dh_response *v);

/* D-H Nonce Finish (3.8.3): the selected hash algorithm, the initiator's
 * public value, then its nonce (whose length comes first). */
struct pa_pts_dh_finish {
	uint16_t hash_algo;
	struct bytes public_value;
	struct bytes nonce;
};
int pa_pts_dh_finish_decode(struct bytes value, struct pa_pts_dh_finish *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_pts_dh_finish_encode(struct wire_writer *w, const struct pa_pts_dh_finish *v);

/* TPM Version Information (3.11).  TCG: the TPM 1.2 TPM_CAP_VERSION_INFO
 * structure (TPM 1.2 Part 2, 21.6; tag 0x0030).  strongSwan, for TPM 2.0:
 * 16 octets of tag 0x0200, reserved, startup locality, and the
 * TPM2_PT_REVISION, TPM2_PT_YEAR and TPM2_PT_MANUFACTURER properties. */
#define PA_PTS_TPM12_VERSION_TAG 0x0030
#define PA_PTS_TPM20_VERSION_TAG 0x0200
#define PA_PTS_TPM20_VERSION_LEN 16
struct pa_pts_tpm_version {
	uint16_t tag;    /* which of the two layouts */
	uint32_t vendor; /* tpmVendorID / TPM2_PT_MANUFACTURER, 4 ASCII octets */
	/* TPM 1.2 */
	uint8_t major, minor, rev_major, rev_minor;
	uint16_t spec_level;
	uint8_t errata_rev;
	struct bytes vendor_specific;
	/* TPM 2.0 */
	uint8_t locality;
	uint32_t revision; /* 138 for 1.38 */
	uint32_t year;
};
int pa_pts_tpm_version_decode(struct bytes value, struct pa_pts_tpm_version *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_pts_tpm_version_encode(struct wire_writer *w, const struct pa_pts_tpm_version *v);

/* Attestation Identity Key (3.13): flags (N: a naked public key, i.e. a
 * DER SubjectPublicKeyInfo, rather than an X.509 certificate) and the key
 * or certificate (DER; strongSwan also takes PEM) filling the rest. */
#define PA_PTS_AIK_FLAG_NAKED 0x80
struct pa_pts_aik {
	bool naked;
	struct bytes blob;
};
int pa_pts_aik_decode(struct bytes value, struct pa_pts_aik *ret, struct parse_error *ret_err)
    TNC_MUST_CHECK;
void pa_pts_aik_encode(struct wire_writer *w, const struct pa_pts_aik *v);

#endif
