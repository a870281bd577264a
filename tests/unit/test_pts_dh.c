/* test_pts_dh.c - the PTS D-H nonce exchange: both sides of every group
 * and hash agree on the nonce; a wrong public value is refused; the RFC
 * 5903 known answers (P-256, P-384) give the shared secrets, and the nonce
 * over them is the one computed independently (Python hashlib) from the
 * spec's formula hash("1" || initiator nonce || responder nonce || secret). */
#include <openssl/bn.h>
#include <string.h>

#include "pts_dh.h"
#include "testlib.h"

static const enum pts_dh_group groups[] = {
    PTS_DH_MODP_1024, PTS_DH_MODP_1536, PTS_DH_MODP_2048, PTS_DH_ECP_256, PTS_DH_ECP_384};
static const size_t public_len[] = {128, 192, 256, 64, 96};
static const enum pts_dh_hash hashes[] = {PTS_DH_SHA1, PTS_DH_SHA256, PTS_DH_SHA384};
static const size_t hash_len[] = {20, 32, 48};

#define NONE ((struct bytes){NULL, 0})

static size_t
from_hex(const char *s, uint8_t *out)
{
	size_t n = 0;
	unsigned v;

	while (sscanf(s + 2 * n, "%2x", &v) == 1)
		out[n++] = (uint8_t)v;
	return n;
}

/* _i: group; each side with its own key pair and nonce, as IMV and IMC. */
START_TEST(both_sides_agree)
{
	struct pts_dh *imv = pts_dh_new(groups[_i], NONE), *imc = pts_dh_new(groups[_i], NONE);
	uint8_t ni[20], nr[32], a[PTS_DH_MAX_HASH], b[PTS_DH_MAX_HASH];
	size_t alen, blen;

	ck_assert_ptr_nonnull(imv);
	ck_assert_ptr_nonnull(imc);
	ck_assert_uint_eq(pts_dh_public(imv).len, public_len[_i]);
	ck_assert_uint_eq(pts_dh_public(imc).len, public_len[_i]);
	ck_assert(memcmp(pts_dh_public(imv).ptr, pts_dh_public(imc).ptr, public_len[_i]) != 0);
	ck_assert_int_eq(pts_dh_random_nonce(ni, sizeof(ni)), 0);
	ck_assert_int_eq(pts_dh_random_nonce(nr, sizeof(nr)), 0);
	/* no nonce before the peer's public value is known */
	ck_assert_int_eq(pts_dh_derive_nonce(imv, PTS_DH_SHA256, (struct bytes){ni, 20},
			     (struct bytes){nr, 32}, a, &alen), TNC_ESTATE);
	ck_assert_int_eq(pts_dh_set_peer(imv, pts_dh_public(imc)), 0);
	ck_assert_int_eq(pts_dh_set_peer(imc, pts_dh_public(imv)), 0);
	for (size_t h = 0; h < 3; h++) {
		ck_assert_int_eq(pts_dh_derive_nonce(imv, hashes[h], (struct bytes){ni, 20},
				     (struct bytes){nr, 32}, a, &alen), 0);
		ck_assert_int_eq(pts_dh_derive_nonce(imc, hashes[h], (struct bytes){ni, 20},
				     (struct bytes){nr, 32}, b, &blen), 0);
		ck_assert_uint_eq(alen, hash_len[h]);
		ck_assert_uint_eq(blen, alen);
		ck_assert_mem_eq(a, b, alen);
		/* the nonces' order matters: initiator first */
		ck_assert_int_eq(pts_dh_derive_nonce(imc, hashes[h], (struct bytes){nr, 20},
				     (struct bytes){ni, 20}, b, &blen), 0);
		ck_assert(memcmp(a, b, alen) != 0);
	}
	pts_dh_free(imv);
	pts_dh_free(imc);
}
END_TEST

/* A third party's value gives another nonce. */
START_TEST(other_peer_other_nonce)
{
	struct pts_dh *imv = pts_dh_new(groups[_i], NONE);
	struct pts_dh *imc = pts_dh_new(groups[_i], NONE), *mitm = pts_dh_new(groups[_i], NONE);
	uint8_t n[20] = {1}, a[PTS_DH_MAX_HASH], b[PTS_DH_MAX_HASH];
	size_t alen, blen;

	ck_assert_int_eq(pts_dh_set_peer(imv, pts_dh_public(mitm)), 0);
	ck_assert_int_eq(pts_dh_set_peer(imc, pts_dh_public(imv)), 0);
	ck_assert_int_eq(pts_dh_derive_nonce(imv, PTS_DH_SHA256, (struct bytes){n, 20},
			     (struct bytes){n, 20}, a, &alen), 0);
	ck_assert_int_eq(pts_dh_derive_nonce(imc, PTS_DH_SHA256, (struct bytes){n, 20},
			     (struct bytes){n, 20}, b, &blen), 0);
	ck_assert(memcmp(a, b, alen) != 0);
	pts_dh_free(imv);
	pts_dh_free(imc);
	pts_dh_free(mitm);
}
END_TEST

/* MODP: wrong length, 0, 1, p - 1, p and above are refused. */
START_TEST(modp_refuses_bad_values)
{
	static const enum pts_dh_group modp[] = {PTS_DH_MODP_1024, PTS_DH_MODP_1536, PTS_DH_MODP_2048};
	BIGNUM *(*prime[])(BIGNUM *) = {
	    BN_get_rfc2409_prime_1024, BN_get_rfc3526_prime_1536, BN_get_rfc3526_prime_2048};
	struct pts_dh *dh = pts_dh_new(modp[_i], NONE);
	size_t len = public_len[_i];
	uint8_t v[257];
	BIGNUM *p = prime[_i](NULL), *q = BN_new();

	ck_assert_int_eq(pts_dh_set_peer(dh, (struct bytes){pts_dh_public(dh).ptr, len - 1}),
	    TNC_EINVALID);
	memcpy(v, pts_dh_public(dh).ptr, len);
	v[len] = 0;
	ck_assert_int_eq(pts_dh_set_peer(dh, (struct bytes){v, len + 1}), TNC_EINVALID);
	memset(v, 0, len);
	ck_assert_int_eq(pts_dh_set_peer(dh, (struct bytes){v, len}), TNC_EINVALID);
	v[len - 1] = 1;
	ck_assert_int_eq(pts_dh_set_peer(dh, (struct bytes){v, len}), TNC_EINVALID);
	v[len - 1] = 2; /* the generator itself is a valid value */
	ck_assert_int_eq(pts_dh_set_peer(dh, (struct bytes){v, len}), 0);
	BN_copy(q, p);
	BN_sub_word(q, 1);
	BN_bn2binpad(q, v, (int)len);
	ck_assert_int_eq(pts_dh_set_peer(dh, (struct bytes){v, len}), TNC_EINVALID);
	BN_bn2binpad(p, v, (int)len);
	ck_assert_int_eq(pts_dh_set_peer(dh, (struct bytes){v, len}), TNC_EINVALID);
	memset(v, 0xff, len);
	ck_assert_int_eq(pts_dh_set_peer(dh, (struct bytes){v, len}), TNC_EINVALID);
	BN_free(p);
	BN_free(q);
	pts_dh_free(dh);
}
END_TEST

/* ECP: a point off the curve, the zero point, a wrong length are refused;
 * a refused value leaves no secret to derive from. */
START_TEST(ecp_refuses_bad_points)
{
	const enum pts_dh_group g = _i ? PTS_DH_ECP_384 : PTS_DH_ECP_256;
	struct pts_dh *dh = pts_dh_new(g, NONE), *peer = pts_dh_new(g, NONE);
	uint8_t v[96], n[20] = {0}, out[PTS_DH_MAX_HASH];
	size_t len = pts_dh_public(peer).len, olen;

	memcpy(v, pts_dh_public(peer).ptr, len);
	ck_assert_int_eq(pts_dh_set_peer(dh, (struct bytes){v, len}), 0);
	v[len - 1] ^= 1; /* y changed: not on the curve */
	ck_assert_int_eq(pts_dh_set_peer(dh, (struct bytes){v, len}), TNC_EINVALID);
	ck_assert_int_eq(pts_dh_derive_nonce(dh, PTS_DH_SHA256, (struct bytes){n, 20},
			     (struct bytes){n, 20}, out, &olen), TNC_ESTATE);
	memset(v, 0, len);
	ck_assert_int_eq(pts_dh_set_peer(dh, (struct bytes){v, len}), TNC_EINVALID);
	ck_assert_int_eq(pts_dh_set_peer(dh, (struct bytes){pts_dh_public(peer).ptr, len / 2}),
	    TNC_EINVALID);
	pts_dh_free(dh);
	pts_dh_free(peer);
}
END_TEST

static const struct kat {
	enum pts_dh_group group;
	enum pts_dh_hash hash;
	const char *i, *gix_giy, *r, *grx_gry, *nonce;
} kats[] = {
    /* RFC 5903, 8.1: 256-bit Random ECP Group */
    {PTS_DH_ECP_256, PTS_DH_SHA256,
	"C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
	"DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
	"5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
	"C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
	"D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
	"56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
	/* SHA-256("1" || 01..14 || 81..94 || g^ir x D6840F6B...4B9442DE) */
	"be8974375314976f3a5fa5cf0b89a4e0658ea116f60c7d9679b06ded598fa979"},
    /* RFC 5903, 8.2: 384-bit Random ECP Group */
    {PTS_DH_ECP_384, PTS_DH_SHA384,
	"099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655E35B538041E649EE3FAEF896783AB194",
	"667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6DE3AC808ACB4BDB4C88732AEE95F41AA"
	"9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38EEB9FCFF3C2C947DAE69B4C634573A81C",
	"41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942E0308312916B8ED2960E4BD55A7448FC",
	"E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D0D1AC43A0336DEF96FDA41D0774A3571"
	"DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FFF83FA40142209DFF5EAAD96DB9E6386C",
	/* SHA-384("1" || 01..14 || 81..94 || g^ir x 11187331...70F59746) */
	"0abe04952553a534c2bfa23970005cf421b95c6da358def8974584fdb353cae2"
	"1ca9a634b701ec1fdf5fcedbe4186a63"},
};

START_TEST(rfc5903_known_answer)
{
	const struct kat *k = &kats[_i];
	uint8_t i[48], r[48], gi[96], gr[96], want[48], ni[20], nr[20], a[48], b[48];
	size_t ilen = from_hex(k->i, i), rlen = from_hex(k->r, r), alen, blen;
	size_t gilen = from_hex(k->gix_giy, gi), grlen = from_hex(k->grx_gry, gr);
	size_t wlen = from_hex(k->nonce, want);
	struct pts_dh *imv = pts_dh_new(k->group, (struct bytes){i, ilen});
	struct pts_dh *imc = pts_dh_new(k->group, (struct bytes){r, rlen});

	for (int n = 0; n < 20; n++) {
		ni[n] = (uint8_t)(0x01 + n);
		nr[n] = (uint8_t)(0x81 + n);
	}
	ck_assert_ptr_nonnull(imv);
	ck_assert_ptr_nonnull(imc);
	ck_assert_uint_eq(pts_dh_public(imv).len, gilen);
	ck_assert_mem_eq(pts_dh_public(imv).ptr, gi, gilen);
	ck_assert_mem_eq(pts_dh_public(imc).ptr, gr, grlen);
	ck_assert_int_eq(pts_dh_set_peer(imv, (struct bytes){gr, grlen}), 0);
	ck_assert_int_eq(pts_dh_set_peer(imc, (struct bytes){gi, gilen}), 0);
	ck_assert_int_eq(pts_dh_derive_nonce(imv, k->hash, (struct bytes){ni, 20},
			     (struct bytes){nr, 20}, a, &alen), 0);
	ck_assert_int_eq(pts_dh_derive_nonce(imc, k->hash, (struct bytes){ni, 20},
			     (struct bytes){nr, 20}, b, &blen), 0);
	ck_assert_uint_eq(alen, wlen);
	ck_assert_mem_eq(a, want, wlen);
	ck_assert_mem_eq(b, want, wlen);
	pts_dh_free(imv);
	pts_dh_free(imc);
}
END_TEST

START_TEST(bounds_and_names)
{
	struct pts_dh *dh = pts_dh_new(PTS_DH_ECP_256, NONE), *peer = pts_dh_new(PTS_DH_ECP_256, NONE);
	uint8_t n[256] = {0}, out[PTS_DH_MAX_HASH];
	size_t len;

	/* one group: a bit of the attributes' set, not two, not another */
	ck_assert_ptr_null(pts_dh_new((enum pts_dh_group)(PTS_DH_ECP_256 | PTS_DH_ECP_384), NONE));
	ck_assert_ptr_null(pts_dh_new((enum pts_dh_group)0x0400, NONE));
	ck_assert_int_eq(pts_dh_random_nonce(n, 16), TNC_EINVALID);
	ck_assert_int_eq(pts_dh_random_nonce(n, 256), TNC_EINVALID);
	ck_assert_int_eq(pts_dh_random_nonce(n, 17), 0);
	ck_assert_int_eq(pts_dh_set_peer(dh, pts_dh_public(peer)), 0);
	ck_assert_int_eq(pts_dh_derive_nonce(dh, PTS_DH_SHA1, (struct bytes){n, 16},
			     (struct bytes){n, 20}, out, &len), TNC_EINVALID);
	ck_assert_int_eq(pts_dh_derive_nonce(dh, PTS_DH_SHA1, (struct bytes){n, 20},
			     (struct bytes){n, 256}, out, &len), TNC_EINVALID);
	ck_assert_int_eq(pts_dh_derive_nonce(dh, PTS_DH_SHA1, (struct bytes){n, 17},
			     (struct bytes){n, 255}, out, &len), 0);
	ck_assert_uint_eq(len, 20);
	/* SHA-512 (strongSwan's 0x1000) is a measurement algorithm, not a D-H hash */
	ck_assert_int_eq(pts_dh_derive_nonce(dh, (enum pts_dh_hash)0x1000, (struct bytes){n, 20},
			     (struct bytes){n, 20}, out, &len), TNC_EINVALID);
	/* as the seeds log them */
	ck_assert_str_eq(pts_dh_group_name(PTS_DH_ECP_256), "ECP_256");
	ck_assert_str_eq(pts_dh_group_name(PTS_DH_MODP_1024), "MODP_1024");
	ck_assert_str_eq(pts_dh_hash_name(PTS_DH_SHA256), "HASH_SHA2_256");
	pts_dh_free(dh);
	pts_dh_free(peer);
	pts_dh_free(NULL);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("pts_dh");
	TCase *tc = tcase_create("exchange");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, both_sides_agree, 0, 5);
	tcase_add_loop_test(tc, other_peer_other_nonce, 0, 5);
	tcase_add_loop_test(tc, modp_refuses_bad_values, 0, 3);
	tcase_add_loop_test(tc, ecp_refuses_bad_points, 0, 2);
	tcase_add_loop_test(tc, rfc5903_known_answer, 0, 2);
	tcase_add_test(tc, bounds_and_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
