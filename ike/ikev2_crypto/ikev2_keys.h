/* ikev2_keys.h - IKE SA and CHILD_SA keys (RFC 7296 2.13, 2.14, 2.17, 2.18).
 *
 *   SKEYSEED = prf(Ni | Nr, g^ir)                                  (2.14)
 *   SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)  on rekey     (2.18)
 *   {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *            = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
 *   KEYMAT   = prf+(SK_d, [g^ir (new) |] Ni | Nr)                  (2.17)
 *
 * Nonces are the Nonce Data as carried (16 to 256 octets), SPIs the
 * header's 8 octets, g^ir the D-H secret as ikev2_dh gives it.  On rekey
 * SKEYSEED uses the old SA's PRF, the keys the new SA's (2.18).  CHILD_SA
 * KEYMAT is taken initiator-to-responder first, encryption before
 * integrity; for AES-GCM the encryption key includes its salt (RFC 4106 8.1).
 * Everything secret is wiped by the *_cleanse() functions.
 */
#ifndef TNC_IKEV2_KEYS_H
#define TNC_IKEV2_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ikev2_prf.h"
#include "ikev2_suite.h"
#include "wire.h"

struct ikev2_sa_keys {
	struct ikev2_suite suite;
	uint8_t d[IKEV2_PRF_MAX_LEN];
	uint8_t ai[IKEV2_MAX_INTEG_KEY], ar[IKEV2_MAX_INTEG_KEY];
	uint8_t ei[IKEV2_MAX_ENCR_KEY], er[IKEV2_MAX_ENCR_KEY];
	uint8_t pi[IKEV2_PRF_MAX_LEN], pr[IKEV2_PRF_MAX_LEN];
};

struct ikev2_child_keys {
	struct ikev2_suite suite;
	/* ESP SA initiator -> responder, then responder -> initiator */
	uint8_t ei[IKEV2_MAX_ENCR_KEY], ai[IKEV2_MAX_INTEG_KEY];
	uint8_t er[IKEV2_MAX_ENCR_KEY], ar[IKEV2_MAX_INTEG_KEY];
};

/* SKEYSEED of a new IKE SA into out (ikev2_prf_len(prf) octets). */
int ikev2_skeyseed(uint16_t prf, struct bytes ni, struct bytes nr, struct bytes g_ir,
    uint8_t out[IKEV2_PRF_MAX_LEN]) TNC_MUST_CHECK;

/* SKEYSEED of a rekeyed IKE SA, with the old SA's PRF and SK_d. */
int ikev2_skeyseed_rekey(uint16_t old_prf, struct bytes old_sk_d, struct bytes g_ir,
    struct bytes ni, struct bytes nr, uint8_t out[IKEV2_PRF_MAX_LEN]) TNC_MUST_CHECK;

/* The seven keys of the IKE SA with suite (which must have a PRF), from
 * SKEYSEED (as long as the PRF that made it). */
int ikev2_sa_keys_derive(const struct ikev2_suite *suite, struct bytes skeyseed,
    struct bytes ni, struct bytes nr, uint64_t spi_i, uint64_t spi_r,
    struct ikev2_sa_keys *ret) TNC_MUST_CHECK;

/* KEYMAT of a CHILD_SA with the ESP transforms esp, from the IKE SA's PRF
 * and SK_d; g_ir empty without PFS. */
int ikev2_child_keys_derive(uint16_t prf, struct bytes sk_d, const struct ikev2_suite *esp,
    struct bytes g_ir, struct bytes ni, struct bytes nr,
    struct ikev2_child_keys *ret) TNC_MUST_CHECK;

void ikev2_sa_keys_cleanse(struct ikev2_sa_keys *k);
void ikev2_child_keys_cleanse(struct ikev2_child_keys *k);

#endif
