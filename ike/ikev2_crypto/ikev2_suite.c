/* ikev2_suite.c - transform IDs to key, IV and ICV sizes (see ikev2_suite.h). */
#include "ikev2_suite.h"

#include <string.h>

#include "ikev2_prf.h"

#define AES_BLOCK 16
#define CBC_IV_LEN AES_BLOCK
#define GCM_IV_LEN 8   /* RFC 5282 3.1 */
#define GCM_ICV_LEN 16 /* the _16 of ENCR_AES_GCM_16 */

static int
fail(const char **ret_reason, int err, const char *reason)
{
	if (ret_reason)
		*ret_reason = reason;
	return err;
}

static const char *
cipher_name(uint16_t encr, uint16_t bits)
{
	static const char *const cbc[] = {"AES-128-CBC", "AES-192-CBC", "AES-256-CBC"};
	static const char *const gcm[] = {"AES-128-GCM", "AES-192-GCM", "AES-256-GCM"};
	size_t i = bits == 128 ? 0 : bits == 192 ? 1 : 2;

	return encr == IKEV2_ENCR_AES_CBC ? cbc[i] : gcm[i];
}

/* Key length and truncated ICV length of the HMAC integrity transforms
 * (RFC 2404, RFC 4868 2.1). */
static int
integ_sizes(struct ikev2_suite *s)
{
	switch (s->integ) {
	case IKEV2_INTEG_HMAC_SHA1_96:
		s->integ_digest = "SHA1", s->integ_key_len = 20, s->icv_len = 12;
		return 0;
	case IKEV2_INTEG_HMAC_SHA2_256_128:
		s->integ_digest = "SHA256", s->integ_key_len = 32, s->icv_len = 16;
		return 0;
	case IKEV2_INTEG_HMAC_SHA2_384_192:
		s->integ_digest = "SHA384", s->integ_key_len = 48, s->icv_len = 24;
		return 0;
	case IKEV2_INTEG_HMAC_SHA2_512_256:
		s->integ_digest = "SHA512", s->integ_key_len = 64, s->icv_len = 32;
		return 0;
	}
	return TNC_ETYPE;
}

int
ikev2_suite_init(struct ikev2_suite *ret, uint16_t encr, uint16_t encr_bits, uint16_t integ,
    uint16_t prf, const char **ret_reason)
{
	struct ikev2_suite s = {.encr = encr, .encr_bits = encr_bits, .integ = integ, .prf = prf};

	if (encr != IKEV2_ENCR_AES_CBC && encr != IKEV2_ENCR_AES_GCM_16)
		return fail(ret_reason, TNC_ETYPE, "unsupported encryption transform");
	/* AES has no default key length: the attribute is required (RFC 3602, 5282). */
	if (encr_bits != 128 && encr_bits != 192 && encr_bits != 256)
		return fail(ret_reason, TNC_EINVALID, "AES key length not 128, 192 or 256");
	s.aead = encr == IKEV2_ENCR_AES_GCM_16;
	s.cipher = cipher_name(encr, encr_bits);
	if (s.aead) {
		if (integ != IKEV2_INTEG_NONE)
			return fail(ret_reason, TNC_EINVALID, "integrity transform with an AEAD cipher");
		s.salt_len = IKEV2_GCM_SALT_LEN;
		s.iv_len = GCM_IV_LEN;
		s.block_len = 1;
		s.icv_len = GCM_ICV_LEN;
	} else {
		if (integ == IKEV2_INTEG_NONE)
			return fail(ret_reason, TNC_EINVALID, "no integrity transform with AES-CBC");
		if (integ_sizes(&s))
			return fail(ret_reason, TNC_ETYPE, "unsupported integrity transform");
		s.iv_len = CBC_IV_LEN;
		s.block_len = AES_BLOCK;
	}
	s.encr_key_len = encr_bits / 8 + s.salt_len;
	if (prf && !(s.prf_len = ikev2_prf_len(prf)))
		return fail(ret_reason, TNC_ETYPE, "unsupported pseudorandom function");
	*ret = s;
	return 0;
}
