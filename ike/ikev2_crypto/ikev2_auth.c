/* ikev2_auth.c - AUTH octets and the Shared Key MIC (see ikev2_auth.h). */
#include "ikev2_auth.h"

#include <string.h>

#include <openssl/crypto.h>

/* prf(SK_p, ID') into maced; the three segments of the octets into seg. */
static int
octets(const struct ikev2_auth_input *in, uint8_t maced[IKEV2_PRF_MAX_LEN], struct bytes seg[3])
{
	int err = ikev2_prf(in->prf, in->sk_p, &in->id_body, 1, maced);

	if (err)
		return err;
	seg[0] = in->real_message;
	seg[1] = in->peer_nonce;
	seg[2] = (struct bytes){maced, ikev2_prf_len(in->prf)};
	return 0;
}

int
ikev2_auth_octets(const struct ikev2_auth_input *in, struct wire_writer *w)
{
	uint8_t maced[IKEV2_PRF_MAX_LEN];
	struct bytes seg[3];
	int err = octets(in, maced, seg);

	for (size_t i = 0; !err && i < 3; i++)
		wire_put_bytes(w, seg[i].ptr, seg[i].len);
	OPENSSL_cleanse(maced, sizeof(maced));
	return err ? err : wire_writer_status(w);
}

int
ikev2_auth_mic(const struct ikev2_auth_input *in, struct bytes secret,
    uint8_t out[IKEV2_PRF_MAX_LEN], size_t *ret_len)
{
	const struct bytes pad = {(const uint8_t *)IKEV2_AUTH_KEY_PAD, strlen(IKEV2_AUTH_KEY_PAD)};
	uint8_t maced[IKEV2_PRF_MAX_LEN], key[IKEV2_PRF_MAX_LEN];
	struct bytes seg[3];
	int err;

	if (!(err = octets(in, maced, seg)) && !(err = ikev2_prf(in->prf, secret, &pad, 1, key)))
		err = ikev2_prf(in->prf, (struct bytes){key, ikev2_prf_len(in->prf)}, seg, 3, out);
	OPENSSL_cleanse(maced, sizeof(maced));
	OPENSSL_cleanse(key, sizeof(key));
	if (!err)
		*ret_len = ikev2_prf_len(in->prf);
	return err;
}

int
ikev2_auth_mic_verify(const struct ikev2_auth_input *in, struct bytes secret,
    struct bytes received)
{
	uint8_t want[IKEV2_PRF_MAX_LEN];
	size_t len;
	int err = ikev2_auth_mic(in, secret, want, &len);

	if (!err && (received.len != len || CRYPTO_memcmp(want, received.ptr, len) != 0))
		err = TNC_EINVALID;
	OPENSSL_cleanse(want, sizeof(want));
	return err;
}
