/* ikev2_auth.h - the AUTH payload's input and the shared-key MIC
 * (RFC 7296 2.15, 2.16).
 *
 * The octets a peer signs or MACs:
 *   initiator: RealMessage1 | NonceRData | prf(SK_pi, IDi')
 *   responder: RealMessage2 | NonceIData | prf(SK_pr, IDr')
 * RealMessage is the peer's own IKE_SA_INIT message as sent, the nonce the
 * other side's Nonce Data, ID' the ID payload without its generic header
 * (ID Type, RESERVED, data: struct ikev2_payload's body).
 *
 * Shared Key Message Integrity Code (Auth Method 2):
 *   AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <octets>)
 * After EAP (2.16) the shared secret is the method's MSK, or SK_pi / SK_pr
 * for a method that makes no key.
 */
#ifndef TNC_IKEV2_AUTH_H
#define TNC_IKEV2_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ikev2_prf.h"
#include "wire.h"

#define IKEV2_AUTH_SHARED_KEY_MIC 2
#define IKEV2_AUTH_KEY_PAD "Key Pad for IKEv2"

/* What one side's AUTH covers. */
struct ikev2_auth_input {
	uint16_t prf;             /* the IKE SA's */
	struct bytes real_message; /* this side's IKE_SA_INIT message */
	struct bytes peer_nonce;   /* the other side's Nonce Data */
	struct bytes sk_p;         /* this side's SK_pi or SK_pr */
	struct bytes id_body;      /* this side's IDi' or IDr' */
};

/* Appends the octets to sign to w (for signature methods). */
int ikev2_auth_octets(const struct ikev2_auth_input *in, struct wire_writer *w) TNC_MUST_CHECK;

/* The Shared Key MIC with secret (the MSK) into out; *ret_len is the PRF's
 * length. */
int ikev2_auth_mic(const struct ikev2_auth_input *in, struct bytes secret,
    uint8_t out[IKEV2_PRF_MAX_LEN], size_t *ret_len) TNC_MUST_CHECK;

/* 0 when received is the Shared Key MIC (constant-time compare),
 * TNC_EINVALID otherwise. */
int ikev2_auth_mic_verify(const struct ikev2_auth_input *in, struct bytes secret,
    struct bytes received) TNC_MUST_CHECK;

#endif
