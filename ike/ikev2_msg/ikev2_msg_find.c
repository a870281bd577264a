/* ikev2_msg_find.c - lookups in parsed IKE messages (see ikev2_msg_find.h). */
#include "ikev2_msg_find.h"

#include <openssl/evp.h>

bool
ikev2_find(const struct ikev2_chain *c, uint8_t type, uint16_t ntype, struct ikev2_payload *ret)
{
	struct ikev2_iter it;

	ikev2_iter_init(&it, c);
	while (ikev2_iter_next(&it, ret))
		if (ret->type == type && (type != IKEV2_PL_NOTIFY || ret->u.notify.type == ntype))
			return true;
	return false;
}

uint16_t
ikev2_error_notify(const struct ikev2_chain *c)
{
	struct ikev2_iter it;
	struct ikev2_payload p;

	ikev2_iter_init(&it, c);
	while (ikev2_iter_next(&it, &p))
		if (p.type == IKEV2_PL_NOTIFY && p.u.notify.type < IKEV2_N_INITIAL_CONTACT)
			return p.u.notify.type;
	return 0;
}

bool
ikev2_find_sk(const struct ikev2_msg *m, struct ikev2_payload *ret)
{
	struct ikev2_iter it;
	struct ikev2_payload p;
	bool found = false;

	ikev2_iter_init(&it, &m->chain);
	while (ikev2_iter_next(&it, &p)) {
		found = p.type == IKEV2_PL_SK || p.type == IKEV2_PL_SKF;
		if (found)
			*ret = p;
	}
	return found;
}

static void
put_u64(uint8_t out[8], uint64_t v)
{
	for (int i = 0; i < 8; i++)
		out[i] = (uint8_t)(v >> (56 - 8 * i));
}

bool
ikev2_natd_hash(uint64_t spi_i, uint64_t spi_r, const uint8_t *addr, size_t addr_len,
    uint16_t port, uint8_t out[IKEV2_NATD_LEN])
{
	uint8_t spis[16], port_be[2] = {(uint8_t)(port >> 8), (uint8_t)port};
	unsigned n = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	put_u64(spis, spi_i);
	put_u64(spis + 8, spi_r);
	const bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, spis, sizeof(spis)) == 1 &&
	    EVP_DigestUpdate(ctx, addr, addr_len) == 1 &&
	    EVP_DigestUpdate(ctx, port_be, sizeof(port_be)) == 1 &&
	    EVP_DigestFinal_ex(ctx, out, &n) == 1 && n == IKEV2_NATD_LEN;
	EVP_MD_CTX_free(ctx);
	return ok;
}
