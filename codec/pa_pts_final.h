/* pa_pts_final.h - Simple Evidence Final (TCG PTS IF-M binding 3.15.2) in
 * the TCG layout for TPM 1.2 and in strongSwan's TPM 2.0 extension.
 *
 * Flags, Reserved and the Composite Hash Algorithm (always present, zero
 * when unused, as strongSwan reads the spec) come first.  With a TPM 1.2
 * quote (flags 0x40 TPM_QUOTE_INFO, 0x80 TPM_QUOTE_INFO2, 0xc0 the latter
 * with TPM_CAP_VERSION_INFO) follow the TPM PCR Composite and the TPM Quote
 * Signature, each with a 32-bit length; the TCG spec puts the
 * TPM_PCR_COMPOSITE structure there, strongSwan 5.x its SHA-1 digest.
 * strongSwan's flag 0x10 carries a TPM 2.0 quote as the fields of its
 * TPMS_ATTEST: the PCR digest (32-bit length), then qualified signer,
 * clock info, firmware version and PCR selection (16-bit lengths each),
 * then the quote signature (32-bit length) as the TPM returned it; the
 * verifier rebuilds the TPMS_ATTEST from them with the nonce as extraData
 * (attest/quote_rebuild.h).  Flag 0x20: an Evidence Signature fills the
 * rest.  Conventions of pa_pts.h.
 */
#ifndef TNC_PA_PTS_FINAL_H
#define TNC_PA_PTS_FINAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

/* The quote carried: flags & PA_PTS_FINAL_QUOTE_MASK. */
enum pa_pts_quote_mode {
	PA_PTS_QUOTE_NONE = 0x00,
	PA_PTS_QUOTE_TPM2 = 0x10, /* strongSwan */
	PA_PTS_QUOTE_INFO = 0x40,
	PA_PTS_QUOTE_INFO2 = 0x80,
	PA_PTS_QUOTE_INFO2_CAP_VER = 0xc0,
};
#define PA_PTS_FINAL_QUOTE_MASK 0xd0
#define PA_PTS_FINAL_FLAG_EVID_SIG 0x20

/* Sizes of the TPMS_ATTEST fields (TPM 2.0 Part 2, 10.11, 10.12). */
#define PA_PTS_CLOCK_INFO_LEN 17 /* TPMS_CLOCK_INFO */
#define PA_PTS_FIRMWARE_LEN 8    /* firmwareVersion */
#define PA_PTS_NAME_MAX 66       /* TPMU_NAME: a TPMT_HA of SHA-512 */
/* A TPML_PCR_SELECTION with more banks or bigger bitmaps than any TPM has
 * is refused before anything walks it. */
#define PA_PTS_MAX_PCR_SELECTIONS 16
#define PA_PTS_PCR_SELECT_MAX 4

struct pa_pts_final {
	uint8_t mode;            /* enum pa_pts_quote_mode */
	bool has_evid_sig;
	uint16_t composite_algo; /* 0 or one PA_PTS_ALGO_* */
	struct bytes composite;  /* TPM 1.2: composite (or its digest); TPM 2.0: PCR digest */
	/* PA_PTS_QUOTE_TPM2 only */
	struct bytes qualified_signer; /* TPM2B_NAME content */
	struct bytes clock_info;       /* PA_PTS_CLOCK_INFO_LEN octets */
	struct bytes firmware_version; /* PA_PTS_FIRMWARE_LEN octets */
	struct bytes pcr_select;       /* a whole TPML_PCR_SELECTION */
	/* any quote */
	struct bytes quote_sig;
	struct bytes evid_sig; /* with has_evid_sig */
};
int pa_pts_final_decode(struct bytes value, struct pa_pts_final *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_pts_final_encode(struct wire_writer *w, const struct pa_pts_final *v);

/* Walks the banks of a TPML_PCR_SELECTION the decoder accepted. */
struct pa_pts_pcr_select_iter {
	struct wire_reader r;
	uint32_t left;
};
void pa_pts_pcr_select_iter_init(struct pa_pts_pcr_select_iter *it, struct bytes pcr_select);
/* The next bank: its TPM_ALG_ID and pcrSelect bitmap (PCR n is bit n % 8
 * of octet n / 8); false after the last. */
bool pa_pts_pcr_select_next(struct pa_pts_pcr_select_iter *it, uint16_t *ret_hash,
    struct bytes *ret_select);

#endif
