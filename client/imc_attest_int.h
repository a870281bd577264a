/* imc_attest_int.h - the attestation IMC's state and the functions its
 * files share (imc_attest.c: lifecycle, receiving, capabilities,
 * algorithm, contract; imc_attest_setup.c: D-H nonce, TPM version, AIK;
 * imc_attest_quote.c: the evidence and its quote; imc_attest_paths.c:
 * symlinks, file measurements and metadata).  Not for other users.
 */
#ifndef TNC_IMC_ATTEST_INT_H
#define TNC_IMC_ATTEST_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "imc_attest.h"
#include "imc_reply.h"
#include "pts_dh.h"
#include "tpm_info.h"

/* The largest value of most of our attributes. */
#define ATTEST_VALUE_MAX (64u * 1024)

struct imc_attest {
	const struct imc_attest_config *cfg;
	struct tpm *tpm;
	struct tpm_aik *aik;
	struct tpm_info info;
	unsigned banks; /* the TPM's PCR banks, DIGEST_BIT()s */
	uint16_t algo;  /* the selected measurement algorithm, 0 before */
	struct pts_dh *dh;
	uint8_t our_nonce[PTS_DH_MAX_NONCE];
	size_t our_nonce_len;
	uint8_t nonce[PTS_DH_MAX_HASH]; /* agreed for the quote */
	size_t nonce_len;
	bool want_bios, want_ima;
	size_t msg_max; /* our PA messages, bounded by a contract */
	struct imc_msgq queue;
};

/* The PA messages being built in answer to one from an IMV. */
struct attest_reply {
	struct imc_attest *imc;
	struct imc_reply out;
};

/* A value the IMC cannot work with: Invalid Parameter at offset. */
int attest_refuse(struct parse_error *pe, uint32_t offset, const char *reason);
/* A request of the TPM, which this IMC (IMC_ATTEST_NO_TPM) has not. */
int attest_no_tpm(struct parse_error *pe);
/* A request the IMC understood and cannot fulfil: a TCG PTS error whose
 * information is the request's value. */
void attest_pts_error(struct attest_reply *r, uint32_t code, struct bytes request,
    const char *why);
/* The digest_alg of one PA_PTS_ALGO_* bit (SHA-512 is never selected). */
enum digest_alg attest_algo_digest(uint16_t algo);

/* The handlers of the requests (imc_receive.h's answers). */
int attest_on_dh_request(struct attest_reply *r, struct bytes value, struct parse_error *pe);
int attest_on_dh_finish(struct attest_reply *r, struct bytes value, struct parse_error *pe);
int attest_on_get_version(struct attest_reply *r, struct bytes value, struct parse_error *pe);
int attest_on_get_aik(struct attest_reply *r, struct bytes value, struct parse_error *pe);
int attest_on_comp_request(struct attest_reply *r, struct bytes value, struct parse_error *pe);
int attest_on_generate(struct attest_reply *r, struct bytes value, struct parse_error *pe);
int attest_on_get_symlinks(struct attest_reply *r, struct bytes value, struct parse_error *pe);
int attest_on_file_meas(struct attest_reply *r, struct bytes value, struct parse_error *pe);
int attest_on_file_meta(struct attest_reply *r, struct bytes value, struct parse_error *pe);

#endif
