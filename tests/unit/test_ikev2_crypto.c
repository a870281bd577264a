/* test_ikev2_crypto.c - the IKEv2 crypto layer (ike/ikev2_crypto/).
 *
 * Known answers: RFC 4231 (HMAC-SHA2) and RFC 2202 (HMAC-SHA1) for the
 * PRFs; RFC 5903 8.1 / 8.2 for ECP_256 / ECP_384 and RFC 7748 5.2 / 6.1
 * for Curve25519.  The derivations (SKEYSEED, the seven IKE SA keys, rekey,
 * CHILD_SA KEYMAT, the AUTH MIC) and whole protected messages (SK with
 * AES-CBC + HMAC, SK and SKF with AES-GCM) were computed independently by
 * tests/data/ikev2-crypto/gen_vectors.py (Python `cryptography` and
 * hashlib, the RFC formulas written out again there; see PROVENANCE.md),
 * starting from the RFC D-H vectors, so the chain from private keys to
 * ciphertext is checked end to end.  Round trips for every transform; one
 * flipped bit anywhere in a protected message is refused; a Pad Length
 * that does not fit is refused; bad peer D-H values are refused.
 */
#include <openssl/bn.h>
#include <stdio.h>
#include <string.h>

#include "ikev2.h"
#include "ikev2_auth.h"
#include "ikev2_dh.h"
#include "ikev2_keys.h"
#include "ikev2_prf.h"
#include "ikev2_sk.h"
#include "ikev2_suite.h"
#include "testlib.h"

/* The outputs of gen_vectors.py. */
#define SKEYSEED_A "4a7e6bae0483e6084d745fde24ce18baa224a1eeb119497259a6fba35df50df2"
#define KEYMAT_A                                                                                   \
	"59a3dfba63f8d8066eab3aab24d2db55c208e950f66a10a5ed188480008cd57c784575b66e1f27c9570022d822df" \
	"971dc32f6972379c2d6b4d8e0a92376c8187406bf8508618e277c882d9add73ef8fd725417b87ee88929cbd713a4" \
	"aa7a78a6d00518be35ef42d9741031ed9a8b2ad4a5886643bc8ad0ccc8987ebc048f80a90f186a79c90d64be8a1a" \
	"fd64fae56b612a2bc4a1d2a1aa5b7394444a9a78d21d8fdb240e32fecf9dc63046b9767a117717e9b8fc4ed95e75" \
	"0a50a2213912b5cc0e5b13e5a9ae337b92a60dbbdf5573172cc96d2642b85b8cd184d54f20407801"
#define SKEYSEED_B                                                                                 \
	"c1b2ad4cda314d87c8d90569326dfd5ded169b8c8c9173d3abacb9d3767b70985ec2e1563dfb87665ebd94c99294" \
	"cd2b"
#define KEYMAT_B                                                                                   \
	"665ae7e42e56dc8e0697b6a47b38a8fe564fd526efdfc052eb36c74c10f3ab5d7d5498235dec5dacfa827ee7ca68" \
	"23e5e0b6d0b6b8e502c698033a10972b52a08a2b32f781cc5e6469a2de38fea307c142f2df08dee3ede40fac057e" \
	"c79e017e6f64cc492d4058d26cc0159074ce6698dd3c86f1255ddf6b65e73dc5c1141d5e78fcef7e47221965348f" \
	"e883c92e65c0099d3adc794c927fe374bd195545e6d61e7b1604ed3de8a707dff54cbba3a29d1c29911c1593a278" \
	"3516308dc2dfbd89ea0cdcbed93ba86ec336f98b18f92cea0ba7c932f8e9911c"
#define SKEYSEED_C                                                                                 \
	"7793d7d570d78a06dd16a3fcde9c970100c5845aac4737281da1a0a91afeb4d530766c6a2976b6e5cdb0e2aafae9" \
	"5ac765cd3bcf456b0d806c93ac267bcc2d9a"
#define KEYMAT_C                                                                                   \
	"9ab230e6c4d72d39133d58614370596f47816225dde5417b501b56028430c2fcf5cf638fb3eae3f65adc89d0eb50" \
	"b81ef4d55d3a548ed15b233a88bb164b69f870700c67e5c72931ad6803e19b54f0c813a0a3040856af125d987bfd" \
	"28b0e846a654d3c1ae892f8c1b38bae476d9bd74460dd26fb582eaaf6d02fcf52c2453bfcc8cb807ef2f4d8f2913" \
	"30bc9872db4a6155cb93e370d5c893928562b66b4046c1905d0427eefb7a1a448073185bc2dc45a49059f7a341a7" \
	"04dabfbf392a373e67eb696cc93cc1ffb325b7d0c9d30539cabba502bcd0fc03e1094b03ad58e2ee3ceae053adc8" \
	"75c4b34b1a38f7541ae76c3ae9f8f251aa0a9c77c5424fa3783b0019044b6c1c8992394afbae8a1bdea988e35a27" \
	"c4893fc4dd9559ce7ab9d56ad5217d805333a05909934b7bcbecedaadad16977805789d4f06e0d56857f1e48e71f" \
	"5eb541fb551bb94772935cc6227a8895dd80063c35cf3b7a38280bd66a6249b8a4976d13b48bbdc5e2fb9aec15d8"
#define SKEYSEED_D "54bc2607dd2885a35bda768ded777e6f344b6330"
#define KEYMAT_D                                                                                   \
	"8a9d367437272d1b5d28912f3487bf6f9c4ddf293053dcb60415900b4ac6c8a8fc323c368f9dd84dd6fc72765302" \
	"b2006729056fec5a078ef28311f26b2e2b42f7a56f7564d1e73eff06ef4cb1371d08a4f07f324770fe41d2147c86" \
	"cddd40328fe0ba95bdf5385002c8f81f8a7ab8d48fe41c582e9cec349902f2d74cec34717aced6b1"
#define REKEY_SKEYSEED "8bfcdbb31a5909efa518eea6e714ef7fb59ca7270a4ac25d255dfef96cfde0d9"
#define REKEY_KEYMAT                                                                               \
	"9898e4115d83fac03ac602d06713ccd734aaf0db1cd5db93cc5bf88b874899832cab41995a9a9c33e8f4cc365f4e" \
	"8b2034cbe7a2f06087d9f4291ddaa1907702f629726ffc273efb5893aa578f41cfd0865f3aa1a9726029ee1238a3" \
	"560932d3ba68e269803aed64f6df94ad9d61e91ccbae87527e2ce547269f16ca884e5b58055ad1c50c51fd631246" \
	"e7289990d0b84c3837199d9ac0bc22f5b10f39e0f933ef2e7af03e44450b9b7c9a225a245be241211feee063f899" \
	"5098fa29d294f4d47b2f19524f488e658c48f5ca43516ec5cd8561dea64291dd"
#define CHILD_GCM "b2482b4efe5f27721d3b7fa490dad1b02a705df54f3e169c8b286b57b9f9caf03e47f38bd771cfe2"
#define CHILD_CBC_PFS                                                                              \
	"690dabac48245cc1cea7ad7b1a014409835c75dce377fea86ec8760a2dd6bd6f52457fbc926591afcfe4bf0666f6" \
	"f9cc787dd590e0a1833c14292dcf5b8ff3ae2d8eae748a4fbfa2bd4bb81ffd178649c87619e98ee48de2e51fc3bf" \
	"e4600d37"
#define AUTH_OCTETS_TAIL "8b7d68ff276fb93333ea821b342548247a719f9892c9d18d124bcf7c6560456a"
#define AUTH_MIC "957185490499083d494ebafba6552ceaa562fe7ac19c12488401b179dc67768f"
#define SK_CBC_A                                                                                   \
	"010203040506070811121314151617182e202320000000010000005030000034a0a1a2a3a4a5a6a7a8a9aaabacad" \
	"aeaf65968d2b0f1a9941ee2b30321679d29e71d80711ee78e706e8d40d98b4707030"
#define SK_GCM_B                                                                                   \
	"010203040506070811121314151617182e202320000000010000004230000026b0b1b2b3b4b5b6b7771466a52b7b" \
	"d3dad36cd40a3cc5fb6067ba0e079db46b0ee435"
#define SKF_GCM_B                                                                                  \
	"010203040506070811121314151617183520232000000001000000463000002a00010002b0b1b2b3b4b5b6b77714" \
	"66a52b7bd3dad36c22815183e04c47c869817fbb891d5ff3"
#define SK_CBC_C                                                                                   \
	"010203040506070811121314151617182e202320000000010000006030000044a0a1a2a3a4a5a6a7a8a9aaabacad" \
	"aeafb8591f72e930c2730f173ebecea7c52c448f831fbe8d01bf8f1bc6f7c05a5e2c0d75ab1e5f35f27c1c511cc1" \
	"4bd3ebb4"
#define SK_CBC_D                                                                                   \
	"010203040506070811121314151617182e202320000000010000004c30000030a0a1a2a3a4a5a6a7a8a9aaabacad" \
	"aeaf1ae94fbc723a9134cd035473bed3ff38786a0123a19c5f57b8aa7f22"

/* RFC 5903 8.1, 8.2 and RFC 7748 6.1. */
#define P256_I "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433"
#define P256_GI                                                                                    \
	"DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"                             \
	"5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3"
#define P256_R "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53"
#define P256_GR                                                                                    \
	"D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"                             \
	"56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB"
#define P256_GIR "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE"
#define P384_I                                                                                     \
	"099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655E35B538041E649EE3FAEF896783A" \
	"B194"
#define P384_GI                                                                                    \
	"667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6DE3AC808ACB4BDB4C88732AEE95F" \
	"41AA9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38EEB9FCFF3C2C947DAE69B4C63" \
	"4573A81C"
#define P384_R                                                                                     \
	"41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942E0308312916B8ED2960E4BD55A74" \
	"48FC"
#define P384_GR                                                                                    \
	"E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D0D1AC43A0336DEF96FDA41D0774A" \
	"3571DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FFF83FA40142209DFF5EAAD96D" \
	"B9E6386C"
#define P384_GIR                                                                                   \
	"11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4D603135569B9E9D09CF5D4A270F5" \
	"9746"
#define X_ALICE "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
#define X_ALICE_PUB "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
#define X_BOB "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"
#define X_BOB_PUB "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
#define X_K "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"

#define SPI_I 0x0102030405060708ull
#define SPI_R 0x1112131415161718ull
#define MAX_MSG 65536u

static const struct ikev2_limits lim = {MAX_MSG, 64};

/* The inner chain of the vectors: an EAP payload, EAP-Request/Identity. */
static const uint8_t inner_eap[] = {0x00, 0x00, 0x00, 0x09, 0x01, 0x01, 0x00, 0x05, 0x01};

static struct bytes
B(const void *p, size_t n)
{
	return (struct bytes){p, n};
}

/* Hex (either case) into out; returns the length. */
static size_t
hex(const char *s, uint8_t *out, size_t size)
{
	size_t n = 0;
	unsigned v;

	ck_assert_uint_eq(strlen(s) % 2, 0);
	for (; s[2 * n]; n++) {
		ck_assert_uint_lt(n, size);
		ck_assert_int_eq(sscanf(s + 2 * n, "%2x", &v), 1);
		out[n] = (uint8_t)v;
	}
	return n;
}

static void
assert_hex(const uint8_t *got, size_t len, const char *want)
{
	uint8_t w[1024];
	size_t n = hex(want, w, sizeof(w));

	ck_assert_uint_eq(len, n);
	ck_assert_mem_eq(got, w, n);
}

static void
range(uint8_t *buf, uint8_t first, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(first + i);
}

/* --- PRF --- */

static const uint16_t prfs[] = {IKEV2_PRF_HMAC_SHA1, IKEV2_PRF_HMAC_SHA2_256,
    IKEV2_PRF_HMAC_SHA2_384, IKEV2_PRF_HMAC_SHA2_512};

static const struct hmac_kat {
	uint8_t key_octet;
	size_t key_len;
	const char *data;
	const char *mac[4]; /* per prfs[] */
} hmac_kats[] = {
    /* RFC 4231 4.2 and RFC 2202 3 test case 1 */
    {0x0b, 20, "Hi There",
	{"b617318655057264e28bc0b6fb378c8ef146be00",
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	    "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	    "faea9ea9076ede7f4af152e8b2fa9cb6",
	    "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	    "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"}},
    /* test case 6: a key longer than the block (SHA-1: RFC 2202's 80 octets) */
    {0xaa, 131, "Test Using Larger Than Block-Size Key - Hash Key First",
	{NULL, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	    "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
	    "0c2ef6ab4030fe8296248df163f44952",
	    "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	    "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"}},
    {0xaa, 80, "Test Using Larger Than Block-Size Key - Hash Key First",
	{"aa4ae5e15272d00e95705637ce8a3b55ed402112", NULL, NULL, NULL}},
};

START_TEST(prf_known_answers)
{
	uint8_t key[131], out[IKEV2_PRF_MAX_LEN];

	for (size_t k = 0; k < sizeof(hmac_kats) / sizeof(hmac_kats[0]); k++) {
		const struct hmac_kat *v = &hmac_kats[k];
		const size_t dlen = strlen(v->data);
		/* the data in two segments: hashed as if concatenated */
		const struct bytes data[] = {B(v->data, 3), B(v->data + 3, dlen - 3)};

		memset(key, v->key_octet, v->key_len);
		for (size_t p = 0; p < 4; p++) {
			if (!v->mac[p])
				continue;
			ck_assert_int_eq(ikev2_prf(prfs[p], B(key, v->key_len), data, 2, out), 0);
			assert_hex(out, ikev2_prf_len(prfs[p]), v->mac[p]);
		}
	}
	/* "Jefe" (RFC 4231 4.3), through ikev2_hmac with a digest name */
	const struct bytes jefe = B("what do ya want for nothing?", 28);
	size_t len;
	ck_assert_int_eq(ikev2_hmac("SHA256", B("Jefe", 4), &jefe, 1, out, &len), 0);
	assert_hex(out, len, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	ck_assert_int_eq(ikev2_prf(IKEV2_PRF_HMAC_SHA2_256, B(NULL, 0), &jefe, 1, out), TNC_EINVALID);
	ck_assert_int_eq(ikev2_prf(3, B("Jefe", 4), &jefe, 1, out), TNC_EINVALID);
	ck_assert_uint_eq(ikev2_prf_len(3), 0);
	ck_assert_uint_eq(ikev2_prf_len(IKEV2_PRF_HMAC_SHA2_384), 48);
}
END_TEST

/* prf+ by its definition, with ikev2_prf() rounds built here; and its bound. */
START_TEST(prf_plus_definition_and_bound)
{
	static uint8_t big[255 * 32 + 1];
	uint8_t key[20], seed[40], t[IKEV2_PRF_MAX_LEN], want[3 * IKEV2_PRF_MAX_LEN];
	uint8_t round;

	range(key, 1, sizeof(key));
	range(seed, 0x40, sizeof(seed));
	for (size_t p = 0; p < 4; p++) {
		const size_t pl = ikev2_prf_len(prfs[p]);
		size_t done = 0;
		for (round = 1; done < 3 * pl; round++) {
			struct bytes d[] = {B(t, round == 1 ? 0 : pl), B(seed, sizeof(seed)), B(&round, 1)};
			ck_assert_int_eq(ikev2_prf(prfs[p], B(key, sizeof(key)), d, 3, t), 0);
			memcpy(want + done, t, pl);
			done += pl;
		}
		uint8_t out[3 * IKEV2_PRF_MAX_LEN - 5];
		const struct bytes s[] = {B(seed, 7), B(seed + 7, sizeof(seed) - 7)};
		ck_assert_int_eq(ikev2_prf_plus(prfs[p], B(key, sizeof(key)), s, 2, out, 3 * pl - 5), 0);
		ck_assert_mem_eq(out, want, 3 * pl - 5);
	}
	const struct bytes s = B(seed, sizeof(seed));
	ck_assert_int_eq(ikev2_prf_plus(IKEV2_PRF_HMAC_SHA2_256, B(key, 20), &s, 1, big, 255 * 32), 0);
	ck_assert_int_eq(ikev2_prf_plus(IKEV2_PRF_HMAC_SHA2_256, B(key, 20), &s, 1, big, 255 * 32 + 1),
	    TNC_ETOOLONG);
}
END_TEST

/* --- transform sizes --- */

START_TEST(suite_sizes)
{
	struct ikev2_suite s;
	const char *why = NULL;

	ck_assert_int_eq(ikev2_suite_init(&s, IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_384_192,
			     IKEV2_PRF_HMAC_SHA2_384, NULL), 0);
	ck_assert(!s.aead);
	ck_assert_uint_eq(s.encr_key_len, 32);
	ck_assert_uint_eq(s.iv_len, 16);
	ck_assert_uint_eq(s.block_len, 16);
	ck_assert_uint_eq(s.integ_key_len, 48);
	ck_assert_uint_eq(s.icv_len, 24);
	ck_assert_uint_eq(s.prf_len, 48);
	ck_assert_int_eq(ikev2_suite_init(&s, IKEV2_ENCR_AES_GCM_16, 128, 0, 0, NULL), 0);
	ck_assert(s.aead);
	ck_assert_uint_eq(s.encr_key_len, 20); /* key and salt */
	ck_assert_uint_eq(s.salt_len, 4);
	ck_assert_uint_eq(s.iv_len, 8);
	ck_assert_uint_eq(s.block_len, 1);
	ck_assert_uint_eq(s.icv_len, 16);
	ck_assert_uint_eq(s.integ_key_len, 0);
	ck_assert_uint_eq(s.prf_len, 0);

	ck_assert_int_eq(ikev2_suite_init(&s, IKEV2_ENCR_AES_CBC, 0, 12, 5, &why), TNC_EINVALID);
	ck_assert_str_eq(why, "AES key length not 128, 192 or 256");
	ck_assert_int_eq(ikev2_suite_init(&s, IKEV2_ENCR_AES_CBC, 128, 0, 5, &why), TNC_EINVALID);
	ck_assert_str_eq(why, "no integrity transform with AES-CBC");
	ck_assert_int_eq(ikev2_suite_init(&s, IKEV2_ENCR_AES_GCM_16, 256, 12, 5, &why), TNC_EINVALID);
	ck_assert_str_eq(why, "integrity transform with an AEAD cipher");
	ck_assert_int_eq(ikev2_suite_init(&s, 3, 192, 12, 5, &why), TNC_ETYPE); /* 3DES */
	ck_assert_int_eq(ikev2_suite_init(&s, IKEV2_ENCR_AES_CBC, 128, 1, 5, &why), TNC_ETYPE);
	ck_assert_str_eq(why, "unsupported integrity transform");
	ck_assert_int_eq(ikev2_suite_init(&s, IKEV2_ENCR_AES_CBC, 128, 12, 4, &why), TNC_ETYPE);
	ck_assert_str_eq(why, "unsupported pseudorandom function");
}
END_TEST

/* --- D-H --- */

static struct ikev2_dh *
dh_from(uint16_t group, const char *priv_hex)
{
	uint8_t priv[64];
	struct ikev2_dh *dh = ikev2_dh_new(group, B(priv, hex(priv_hex, priv, sizeof(priv))));
	ck_assert_ptr_nonnull(dh);
	return dh;
}

static void
assert_shared(struct ikev2_dh *dh, const char *peer_hex, const char *want_hex)
{
	uint8_t peer[IKEV2_DH_MAX_PUBLIC], out[IKEV2_DH_MAX_SECRET];
	size_t len = 0;
	const char *why = NULL;

	ck_assert_msg(ikev2_dh_shared(dh, B(peer, hex(peer_hex, peer, sizeof(peer))), out, &len,
			  &why) == 0, "%s", why);
	assert_hex(out, len, want_hex);
}

START_TEST(dh_known_answers)
{
	static const struct {
		uint16_t group;
		const char *i, *gi, *r, *gr, *gir;
	} v[] = {
	    {IKEV2_DH_ECP_256, P256_I, P256_GI, P256_R, P256_GR, P256_GIR},
	    {IKEV2_DH_ECP_384, P384_I, P384_GI, P384_R, P384_GR, P384_GIR},
	    {IKEV2_DH_CURVE25519, X_ALICE, X_ALICE_PUB, X_BOB, X_BOB_PUB, X_K},
	};

	for (size_t k = 0; k < 3; k++) {
		struct ikev2_dh *i = dh_from(v[k].group, v[k].i), *r = dh_from(v[k].group, v[k].r);
		assert_hex(ikev2_dh_public(i).ptr, ikev2_dh_public(i).len, v[k].gi);
		assert_hex(ikev2_dh_public(r).ptr, ikev2_dh_public(r).len, v[k].gr);
		ck_assert_uint_eq(ikev2_dh_public_len(v[k].group), ikev2_dh_public(i).len);
		ck_assert_uint_eq(ikev2_dh_group(i), v[k].group);
		assert_shared(i, v[k].gr, v[k].gir);
		assert_shared(r, v[k].gi, v[k].gir);
		ikev2_dh_free(i);
		ikev2_dh_free(r);
	}
	/* RFC 7748 5.2: scalar times an arbitrary u-coordinate */
	struct ikev2_dh *x = dh_from(IKEV2_DH_CURVE25519,
	    "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
	assert_shared(x, "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
	    "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
	ikev2_dh_free(x);
}
END_TEST

/* MODP_2048 from known exponents: the public values and the secret are
 * 2^x mod p and (2^b)^a mod p as BN arithmetic gives them here. */
START_TEST(dh_modp_against_bignum)
{
	uint8_t a[32], b[32], want[256], out[IKEV2_DH_MAX_SECRET];
	BIGNUM *p = BN_get_rfc3526_prime_2048(NULL), *two = BN_new(), *x = BN_new();
	BIGNUM *y = BN_new(), *s = BN_new();
	BN_CTX *ctx = BN_CTX_new();
	size_t len;

	range(a, 0x11, sizeof(a));
	range(b, 0x91, sizeof(b));
	struct ikev2_dh *da = ikev2_dh_new(IKEV2_DH_MODP_2048, B(a, 32));
	struct ikev2_dh *db = ikev2_dh_new(IKEV2_DH_MODP_2048, B(b, 32));
	ck_assert_ptr_nonnull(da);
	ck_assert_ptr_nonnull(db);
	ck_assert(BN_set_word(two, 2) && BN_bin2bn(a, 32, x) && BN_mod_exp(y, two, x, p, ctx));
	ck_assert_int_eq(BN_bn2binpad(y, want, 256), 256);
	ck_assert_uint_eq(ikev2_dh_public(da).len, 256);
	ck_assert_mem_eq(ikev2_dh_public(da).ptr, want, 256);
	/* (g^b)^a */
	ck_assert_ptr_nonnull(BN_bin2bn(ikev2_dh_public(db).ptr, 256, y));
	ck_assert(BN_mod_exp(s, y, x, p, ctx));
	ck_assert_int_eq(BN_bn2binpad(s, want, 256), 256);
	ck_assert_int_eq(ikev2_dh_shared(da, ikev2_dh_public(db), out, &len, NULL), 0);
	ck_assert_uint_eq(len, 256);
	ck_assert_mem_eq(out, want, 256);
	ck_assert_int_eq(ikev2_dh_shared(db, ikev2_dh_public(da), out, &len, NULL), 0);
	ck_assert_mem_eq(out, want, 256);
	ikev2_dh_free(da);
	ikev2_dh_free(db);
	BN_free(p), BN_free(two), BN_free(x), BN_free(y), BN_free(s);
	BN_CTX_free(ctx);
}
END_TEST

static const uint16_t dh_groups[] = {
    IKEV2_DH_MODP_2048, IKEV2_DH_ECP_256, IKEV2_DH_ECP_384, IKEV2_DH_CURVE25519};

/* _i: group; random key pairs agree, a third party does not. */
START_TEST(dh_random_pairs_agree)
{
	struct ikev2_dh *a = ikev2_dh_new(dh_groups[_i], B(NULL, 0));
	struct ikev2_dh *b = ikev2_dh_new(dh_groups[_i], B(NULL, 0));
	struct ikev2_dh *c = ikev2_dh_new(dh_groups[_i], B(NULL, 0));
	uint8_t s1[IKEV2_DH_MAX_SECRET], s2[IKEV2_DH_MAX_SECRET], s3[IKEV2_DH_MAX_SECRET];
	size_t l1, l2, l3;

	ck_assert(a && b && c);
	ck_assert_uint_eq(ikev2_dh_public(a).len, ikev2_dh_public_len(dh_groups[_i]));
	ck_assert_int_eq(ikev2_dh_shared(a, ikev2_dh_public(b), s1, &l1, NULL), 0);
	ck_assert_int_eq(ikev2_dh_shared(b, ikev2_dh_public(a), s2, &l2, NULL), 0);
	ck_assert_int_eq(ikev2_dh_shared(a, ikev2_dh_public(c), s3, &l3, NULL), 0);
	ck_assert_uint_eq(l1, l2);
	ck_assert_mem_eq(s1, s2, l1);
	ck_assert(memcmp(s1, s3, l1) != 0);
	ikev2_dh_free(a);
	ikev2_dh_free(b);
	ikev2_dh_free(c);
}
END_TEST

static void
assert_refused(struct ikev2_dh *dh, struct bytes peer, const char *want_why)
{
	uint8_t out[IKEV2_DH_MAX_SECRET];
	size_t len = 0;
	const char *why = NULL;

	ck_assert_int_eq(ikev2_dh_shared(dh, peer, out, &len, &why), TNC_EINVALID);
	ck_assert_ptr_nonnull(why);
	ck_assert_str_eq(why, want_why);
}

START_TEST(dh_refuses_bad_peer_values)
{
	uint8_t v[IKEV2_DH_MAX_PUBLIC + 1];
	BIGNUM *p = BN_get_rfc3526_prime_2048(NULL);
	const char *range_why = "MODP public value not within 1 < y < p - 1";
	const char *len_why = "KE data length is not the group's";

	/* MODP_2048: 0, 1, p - 1, p, 2^2048 - 1 and wrong lengths */
	struct ikev2_dh *m = ikev2_dh_new(IKEV2_DH_MODP_2048, B(NULL, 0));
	ck_assert_ptr_nonnull(m);
	memset(v, 0, 256);
	assert_refused(m, B(v, 256), range_why);
	v[255] = 1;
	assert_refused(m, B(v, 256), range_why);
	ck_assert_int_eq(BN_bn2binpad(p, v, 256), 256);
	assert_refused(m, B(v, 256), range_why); /* p */
	v[255] -= 1;
	assert_refused(m, B(v, 256), range_why); /* p - 1 */
	v[255] -= 1;
	uint8_t out[IKEV2_DH_MAX_SECRET];
	size_t len;
	ck_assert_int_eq(ikev2_dh_shared(m, B(v, 256), out, &len, NULL), 0); /* p - 2 is fine */
	memset(v, 0xff, 256);
	assert_refused(m, B(v, 256), range_why);
	assert_refused(m, B(ikev2_dh_public(m).ptr, 255), len_why);
	memcpy(v, ikev2_dh_public(m).ptr, 256);
	assert_refused(m, B(v, 257), len_why);
	ikev2_dh_free(m);
	BN_free(p);

	/* ECP: off the curve, (0, 0), a coordinate >= p, wrong lengths */
	for (size_t g = 1; g <= 2; g++) {
		struct ikev2_dh *e = ikev2_dh_new(dh_groups[g], B(NULL, 0));
		const size_t n = ikev2_dh_public_len(dh_groups[g]);
		const char *curve_why = "ECP public value is not a point on the curve";
		ck_assert_ptr_nonnull(e);
		memcpy(v, ikev2_dh_public(e).ptr, n);
		v[n - 1] ^= 1;
		assert_refused(e, B(v, n), curve_why);
		memset(v, 0, n);
		assert_refused(e, B(v, n), curve_why);
		memset(v, 0xff, n); /* x = y = 2^k - 1 > p */
		assert_refused(e, B(v, n), curve_why);
		assert_refused(e, B(ikev2_dh_public(e).ptr, n - 1), len_why);
		assert_refused(e, B(ikev2_dh_public(e).ptr, n / 2), len_why);
		ikev2_dh_free(e);
	}

	/* X25519: the low-order u = 0, 1, p - 1 give a zero secret; lengths */
	struct ikev2_dh *x = ikev2_dh_new(IKEV2_DH_CURVE25519, B(NULL, 0));
	const char *zero_why = "X25519 shared secret is zero (low-order point)";
	ck_assert_ptr_nonnull(x);
	memset(v, 0, 32);
	assert_refused(x, B(v, 32), zero_why);
	v[0] = 1;
	assert_refused(x, B(v, 32), zero_why);
	memset(v, 0xff, 32); /* p - 1 = 2^255 - 20, little-endian */
	v[0] = 0xec;
	v[31] = 0x7f;
	assert_refused(x, B(v, 32), zero_why);
	assert_refused(x, B(ikev2_dh_public(x).ptr, 31), len_why);
	ikev2_dh_free(x);

	ck_assert_ptr_null(ikev2_dh_new(15, B(NULL, 0)));
	ck_assert_uint_eq(ikev2_dh_public_len(15), 0);
	ikev2_dh_free(NULL);
}
END_TEST

/* --- IKE SA keys end to end: RFC D-H vectors to the seven keys --- */

static const struct e2e {
	uint16_t encr, bits, integ, prf, group;
	const char *i, *gr, *skeyseed, *keymat, *sk_msg;
} e2e[] = {
    {IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_256_128, IKEV2_PRF_HMAC_SHA2_256,
	IKEV2_DH_ECP_256, P256_I, P256_GR, SKEYSEED_A, KEYMAT_A, SK_CBC_A},
    {IKEV2_ENCR_AES_GCM_16, 256, IKEV2_INTEG_NONE, IKEV2_PRF_HMAC_SHA2_384, IKEV2_DH_CURVE25519,
	X_ALICE, X_BOB_PUB, SKEYSEED_B, KEYMAT_B, SK_GCM_B},
    {IKEV2_ENCR_AES_CBC, 192, IKEV2_INTEG_HMAC_SHA2_512_256, IKEV2_PRF_HMAC_SHA2_512,
	IKEV2_DH_ECP_384, P384_I, P384_GR, SKEYSEED_C, KEYMAT_C, SK_CBC_C},
    {IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA1_96, IKEV2_PRF_HMAC_SHA1, IKEV2_DH_ECP_256,
	P256_I, P256_GR, SKEYSEED_D, KEYMAT_D, SK_CBC_D},
};

/* Keys of e2e[k], derived from the initiator's RFC private key and the
 * responder's RFC public value. */
static void
derive_e2e(size_t k, struct ikev2_sa_keys *keys, uint8_t *skeyseed)
{
	const struct e2e *v = &e2e[k];
	uint8_t ni[32], nr[32], gir[IKEV2_DH_MAX_SECRET], gr[IKEV2_DH_MAX_PUBLIC];
	struct ikev2_suite s;
	size_t gir_len;

	range(ni, 0x00, 32);
	range(nr, 0x80, 32);
	ck_assert_int_eq(ikev2_suite_init(&s, v->encr, v->bits, v->integ, v->prf, NULL), 0);
	struct ikev2_dh *dh = dh_from(v->group, v->i);
	ck_assert_int_eq(ikev2_dh_shared(dh, B(gr, hex(v->gr, gr, sizeof(gr))), gir, &gir_len, NULL),
	    0);
	ikev2_dh_free(dh);
	ck_assert_int_eq(ikev2_skeyseed(v->prf, B(ni, 32), B(nr, 32), B(gir, gir_len), skeyseed), 0);
	ck_assert_int_eq(ikev2_sa_keys_derive(&s, B(skeyseed, s.prf_len), B(ni, 32), B(nr, 32), SPI_I,
			     SPI_R, keys), 0);
}

START_TEST(ike_sa_keys_end_to_end)
{
	const struct e2e *v = &e2e[_i];
	struct ikev2_sa_keys k;
	uint8_t skeyseed[IKEV2_PRF_MAX_LEN], km[1024], *at = km;

	derive_e2e(_i, &k, skeyseed);
	const size_t pl = k.suite.prf_len, al = k.suite.integ_key_len, el = k.suite.encr_key_len;
	assert_hex(skeyseed, pl, v->skeyseed);
	/* the keys in the order of 2.14 make up KEYMAT */
	const struct {
		const uint8_t *key;
		size_t len;
	} parts[] = {{k.d, pl}, {k.ai, al}, {k.ar, al}, {k.ei, el}, {k.er, el}, {k.pi, pl}, {k.pr, pl}};
	for (size_t i = 0; i < 7; i++) {
		memcpy(at, parts[i].key, parts[i].len);
		at += parts[i].len;
	}
	assert_hex(km, (size_t)(at - km), v->keymat);
	ikev2_sa_keys_cleanse(&k);
	ck_assert_uint_eq(k.d[0] | k.ei[0] | k.pr[0], 0);
}
END_TEST

START_TEST(rekey_and_child_keys)
{
	struct ikev2_sa_keys a, re;
	struct ikev2_child_keys c;
	struct ikev2_suite gcm, esp_gcm, esp_cbc;
	uint8_t skeyseed[IKEV2_PRF_MAX_LEN], ni[32], nr[32], ni2[16], nr2[16], k25519[32], p384[48];
	uint8_t km[512], *at = km;

	derive_e2e(0, &a, skeyseed);
	range(ni, 0x00, 32);
	range(nr, 0x80, 32);
	range(ni2, 0x40, 16);
	range(nr2, 0xc0, 16);
	hex(X_K, k25519, sizeof(k25519));
	hex(P384_GIR, p384, sizeof(p384));

	/* rekey A (PRF SHA-256) into an AES-GCM-256 / PRF SHA-384 IKE SA */
	ck_assert_int_eq(ikev2_suite_init(&gcm, IKEV2_ENCR_AES_GCM_16, 256, 0,
			     IKEV2_PRF_HMAC_SHA2_384, NULL), 0);
	ck_assert_int_eq(ikev2_skeyseed_rekey(IKEV2_PRF_HMAC_SHA2_256, B(a.d, 32), B(k25519, 32),
			     B(ni2, 16), B(nr2, 16), skeyseed), 0);
	assert_hex(skeyseed, 32, REKEY_SKEYSEED);
	ck_assert_int_eq(ikev2_sa_keys_derive(&gcm, B(skeyseed, 32), B(ni2, 16), B(nr2, 16),
			     0x2122232425262728ull, 0x3132333435363738ull, &re), 0);
	const uint8_t *parts[] = {re.d, re.ei, re.er, re.pi, re.pr};
	const size_t lens[] = {48, 36, 36, 48, 48};
	for (size_t i = 0; i < 5; i++) {
		memcpy(at, parts[i], lens[i]);
		at += lens[i];
	}
	assert_hex(km, (size_t)(at - km), REKEY_KEYMAT);

	/* CHILD_SA: ESP AES-GCM-16-128 without PFS, AES-CBC-128 + SHA2-256 with */
	ck_assert_int_eq(ikev2_suite_init(&esp_gcm, IKEV2_ENCR_AES_GCM_16, 128, 0, 0, NULL), 0);
	ck_assert_int_eq(ikev2_child_keys_derive(IKEV2_PRF_HMAC_SHA2_256, B(a.d, 32), &esp_gcm,
			     B(NULL, 0), B(ni, 32), B(nr, 32), &c), 0);
	memcpy(km, c.ei, 20);
	memcpy(km + 20, c.er, 20);
	assert_hex(km, 40, CHILD_GCM);
	ck_assert_int_eq(ikev2_suite_init(&esp_cbc, IKEV2_ENCR_AES_CBC, 128,
			     IKEV2_INTEG_HMAC_SHA2_256_128, 0, NULL), 0);
	ck_assert_int_eq(ikev2_child_keys_derive(IKEV2_PRF_HMAC_SHA2_256, B(a.d, 32), &esp_cbc,
			     B(p384, 48), B(ni, 32), B(nr, 32), &c), 0);
	memcpy(km, c.ei, 16);
	memcpy(km + 16, c.ai, 32);
	memcpy(km + 48, c.er, 16);
	memcpy(km + 64, c.ar, 32);
	assert_hex(km, 96, CHILD_CBC_PFS);
	ikev2_child_keys_cleanse(&c);

	/* nonces outside 16..256 octets are refused */
	ck_assert_int_eq(ikev2_skeyseed(IKEV2_PRF_HMAC_SHA2_256, B(ni, 15), B(nr, 32), B(p384, 48),
			     skeyseed), TNC_EINVALID);
	ck_assert_int_eq(ikev2_sa_keys_derive(&gcm, B(skeyseed, 32), B(ni, 32), B(nr, 15), 1, 2, &re),
	    TNC_EINVALID);
	/* a suite without a PRF makes no IKE SA */
	ck_assert_int_eq(ikev2_sa_keys_derive(&esp_gcm, B(skeyseed, 32), B(ni, 32), B(nr, 32), 1, 2,
			     &re), TNC_EINVALID);
}
END_TEST

/* --- AUTH --- */

START_TEST(auth_mic_known_answer)
{
	struct ikev2_sa_keys a;
	uint8_t skeyseed[IKEV2_PRF_MAX_LEN], real[300], ni[32], msk[64], mic[IKEV2_PRF_MAX_LEN];
	uint8_t tail[32];
	static const uint8_t idr[] = "\x02\x00\x00\x00gw.example.org";
	struct wire_writer w;
	size_t len;

	derive_e2e(0, &a, skeyseed);
	for (size_t i = 0; i < sizeof(real); i++)
		real[i] = (uint8_t)(i * 7);
	range(ni, 0x00, 32);
	range(msk, 0x10, 64);
	const struct ikev2_auth_input in = {IKEV2_PRF_HMAC_SHA2_256, B(real, sizeof(real)),
	    B(ni, 32), B(a.pr, 32), B(idr, sizeof(idr) - 1)};

	wire_writer_init(&w, 4096);
	ck_assert_int_eq(ikev2_auth_octets(&in, &w), 0);
	ck_assert_uint_eq(w.len, 300 + 32 + 32);
	ck_assert_mem_eq(w.buf, real, 300);
	ck_assert_mem_eq(w.buf + 300, ni, 32);
	hex(AUTH_OCTETS_TAIL, tail, sizeof(tail));
	ck_assert_mem_eq(w.buf + 332, tail, 32);
	wire_writer_clear(&w);

	ck_assert_int_eq(ikev2_auth_mic(&in, B(msk, 64), mic, &len), 0);
	assert_hex(mic, len, AUTH_MIC);
	ck_assert_int_eq(ikev2_auth_mic_verify(&in, B(msk, 64), B(mic, 32)), 0);
	mic[31] ^= 0x80;
	ck_assert_int_eq(ikev2_auth_mic_verify(&in, B(msk, 64), B(mic, 32)), TNC_EINVALID);
	mic[31] ^= 0x80;
	ck_assert_int_eq(ikev2_auth_mic_verify(&in, B(msk, 64), B(mic, 31)), TNC_EINVALID);
	ck_assert_int_eq(ikev2_auth_mic_verify(&in, B(msk, 63), B(mic, 32)), TNC_EINVALID);
	/* the initiator's MIC (other SK_p) differs */
	const struct ikev2_auth_input other = {IKEV2_PRF_HMAC_SHA2_256, B(real, sizeof(real)),
	    B(ni, 32), B(a.pi, 32), B(idr, sizeof(idr) - 1)};
	ck_assert_int_eq(ikev2_auth_mic_verify(&other, B(msk, 64), B(mic, 32)), TNC_EINVALID);
	/* a writer too small for the octets */
	wire_writer_init(&w, 100);
	ck_assert_int_eq(ikev2_auth_octets(&in, &w), TNC_ETOOLONG);
	wire_writer_clear(&w);
}
END_TEST

/* --- SK payloads --- */

/* IVs from a counter pattern: arg points at the next first octet. */
static int
fixed_iv(void *arg, uint8_t *buf, size_t len)
{
	range(buf, *(uint8_t *)arg, len);
	return 0;
}

static const struct ikev2_header resp_hdr = {
    .spi_i = SPI_I,
    .spi_r = SPI_R,
    .major = 2,
    .exchange = IKEV2_IKE_AUTH,
    .flags = IKEV2_FLAG_RESPONSE,
    .message_id = 1,
};

/* Parses msg and opens its SK/SKF payload with k; 0 or the error, *e set. */
static int
open_msg(const struct ikev2_sk_key *k, struct bytes msg, uint8_t *out, struct bytes *plain,
    struct parse_error *e)
{
	struct ikev2_msg m;
	struct ikev2_iter it;
	struct ikev2_payload p, sk = {0};
	int err;

	if ((err = ikev2_msg_parse(msg.ptr, msg.len, &lim, &m, e)))
		return err;
	ikev2_iter_init(&it, &m.chain);
	while (ikev2_iter_next(&it, &p))
		if (p.type == IKEV2_PL_SK || p.type == IKEV2_PL_SKF)
			sk = p;
	ck_assert_uint_ne(sk.type, 0);
	return ikev2_sk_open(k, msg, &sk, out, MAX_MSG, plain, e);
}

/* _i: e2e suite; the responder's EAP payload sealed with the fixed IV is
 * the independently computed message, and opens to the chain again. */
START_TEST(sk_known_answers)
{
	struct ikev2_sa_keys keys;
	struct ikev2_builder b;
	struct bytes msg, plain;
	struct parse_error e;
	struct ikev2_chain chain;
	uint8_t skeyseed[IKEV2_PRF_MAX_LEN], first = _i == 1 ? 0xb0 : 0xa0;
	static uint8_t out[MAX_MSG];

	derive_e2e(_i, &keys, skeyseed);
	struct ikev2_sk_key tx = ikev2_sk_key_of(&keys, false), other = ikev2_sk_key_of(&keys, true);
	ikev2_builder_init(&b, &resp_hdr, MAX_MSG);
	ck_assert_int_eq(ikev2_sk_seal(&b, &tx, IKEV2_PL_EAP, B(inner_eap, sizeof(inner_eap)), 0, 0,
			     fixed_iv, &first, &msg), 0);
	assert_hex(msg.ptr, msg.len, e2e[_i].sk_msg);
	ck_assert_msg(open_msg(&tx, msg, out, &plain, &e) == 0, "%s", e.reason);
	ck_assert_uint_eq(plain.len, sizeof(inner_eap));
	ck_assert_mem_eq(plain.ptr, inner_eap, sizeof(inner_eap));
	ck_assert_int_eq(ikev2_chain_parse(IKEV2_PL_EAP, 28, plain.ptr, plain.len, 32, true, &lim,
			     &chain, &e), 0);
	ck_assert_uint_eq(chain.count, 1);
	/* the other direction's keys do not open it */
	ck_assert_int_eq(open_msg(&other, msg, out, &plain, &e), TNC_EINVALID);
	ck_assert_str_eq(e.reason, "integrity check failed");
	ck_assert_uint_eq(e.code, 0);
	ikev2_builder_clear(&b);

	if (_i == 1) { /* SKF, fragment 1 of 2: its numbers are in the AAD */
		ikev2_builder_init(&b, &resp_hdr, MAX_MSG);
		ck_assert_int_eq(ikev2_sk_seal(&b, &tx, IKEV2_PL_EAP,
				     B(inner_eap, sizeof(inner_eap)), 1, 2, fixed_iv, &first, &msg),
		    0);
		assert_hex(msg.ptr, msg.len, SKF_GCM_B);
		ck_assert_msg(open_msg(&tx, msg, out, &plain, &e) == 0, "%s", e.reason);
		ck_assert_mem_eq(plain.ptr, inner_eap, sizeof(inner_eap));
		ikev2_builder_clear(&b);
	}
}
END_TEST

static const struct {
	uint16_t encr, bits, integ;
} transforms[] = {
    {IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA1_96},
    {IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_256_128},
    {IKEV2_ENCR_AES_CBC, 192, IKEV2_INTEG_HMAC_SHA2_384_192},
    {IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_512_256},
    {IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_256_128},
    {IKEV2_ENCR_AES_GCM_16, 128, IKEV2_INTEG_NONE},
    {IKEV2_ENCR_AES_GCM_16, 192, IKEV2_INTEG_NONE},
    {IKEV2_ENCR_AES_GCM_16, 256, IKEV2_INTEG_NONE},
};
#define N_TRANSFORMS (sizeof(transforms) / sizeof(transforms[0]))

static void
keys_for(size_t t, struct ikev2_sa_keys *k)
{
	uint8_t seed[32], ni[16], nr[16];
	struct ikev2_suite s;

	range(seed, 0x33, 32);
	range(ni, 0x01, 16);
	range(nr, 0x02, 16);
	ck_assert_int_eq(ikev2_suite_init(&s, transforms[t].encr, transforms[t].bits,
			     transforms[t].integ, IKEV2_PRF_HMAC_SHA2_256, NULL), 0);
	ck_assert_int_eq(ikev2_sa_keys_derive(&s, B(seed, 32), B(ni, 16), B(nr, 16), 7, 9, k), 0);
}

/* _i: transform; SK and SKF, inner chains of every length around the
 * block size, random IVs. */
START_TEST(sk_round_trips)
{
	struct ikev2_sa_keys keys;
	uint8_t pt[70];
	static uint8_t out[MAX_MSG];

	keys_for(_i, &keys);
	struct ikev2_sk_key k = ikev2_sk_key_of(&keys, true);
	range(pt, 0x20, sizeof(pt));
	for (size_t len = 0; len <= sizeof(pt); len++) {
		for (uint16_t frags = 0; frags <= 3; frags += 3) {
			struct ikev2_builder b;
			struct bytes msg, plain;
			struct parse_error e;
			ikev2_builder_init(&b, &resp_hdr, MAX_MSG);
			ck_assert_int_eq(ikev2_sk_seal(&b, &k, len ? IKEV2_PL_VENDOR : IKEV2_PL_NONE,
					     B(pt, len), frags ? 1 : 0, frags, ikev2_iv_random, NULL, &msg),
			    0);
			const size_t ct = msg.len - 28 - 4 - (frags ? 4 : 0) - keys.suite.iv_len -
			    keys.suite.icv_len;
			ck_assert_uint_eq(ct % keys.suite.block_len, 0);
			ck_assert_uint_lt(ct - len - 1, keys.suite.block_len); /* least padding */
			ck_assert_msg(open_msg(&k, msg, out, &plain, &e) == 0, "len %zu: %s", len,
			    e.reason);
			ck_assert_uint_eq(plain.len, len);
			if (len)
				ck_assert_mem_eq(plain.ptr, pt, len);
			ikev2_builder_clear(&b);
		}
	}
}
END_TEST

/* _i: transform; one bit flipped in any octet (header, SK header, IV,
 * ciphertext, padding, ICV) and the message is refused. */
START_TEST(sk_every_tamper_refused)
{
	struct ikev2_sa_keys keys;
	struct ikev2_builder b;
	struct bytes msg, plain;
	struct parse_error e;
	uint8_t copy[256], first = 0x50;
	static uint8_t out[MAX_MSG];

	keys_for(_i, &keys);
	struct ikev2_sk_key k = ikev2_sk_key_of(&keys, false);
	ikev2_builder_init(&b, &resp_hdr, MAX_MSG);
	ck_assert_int_eq(ikev2_sk_seal(&b, &k, IKEV2_PL_EAP, B(inner_eap, sizeof(inner_eap)), 0, 0,
			     fixed_iv, &first, &msg), 0);
	ck_assert_uint_le(msg.len, sizeof(copy));
	for (size_t at = 0; at < msg.len; at++) {
		for (int bit = 0; bit < 8; bit += 3) {
			memcpy(copy, msg.ptr, msg.len);
			copy[at] ^= (uint8_t)(1u << bit);
			int err = open_msg(&k, B(copy, msg.len), out, &plain, &e);
			ck_assert_msg(err != 0, "flip of bit %d at %zu accepted", bit, at);
		}
	}
	/* untouched it opens */
	memcpy(copy, msg.ptr, msg.len);
	ck_assert_int_eq(open_msg(&k, B(copy, msg.len), out, &plain, &e), 0);
	ikev2_builder_clear(&b);
}
END_TEST

/* _i: transform; the Pad Length is checked after the ICV: one that does
 * not fit is INVALID_SYNTAX, any padding content and length that fits is
 * accepted. */
START_TEST(sk_padding_checks)
{
	struct ikev2_sa_keys keys;
	uint8_t padded[64], first = 0x10;
	static uint8_t out[MAX_MSG];

	keys_for(_i, &keys);
	struct ikev2_sk_key k = ikev2_sk_key_of(&keys, true);
	const size_t n = 32; /* a multiple of every block size */
	static const struct {
		uint8_t pad_len;
		int err;
		size_t plain_len;
	} cases[] = {{31, 0, 0}, {32, TNC_EINVALID, 0}, {255, TNC_EINVALID, 0}, {7, 0, 24}};

	for (size_t c = 0; c < 4; c++) {
		struct ikev2_builder b;
		struct bytes msg, plain = {0};
		struct parse_error e = {0};
		memset(padded, 0xee, n); /* padding content is the sender's choice */
		padded[n - 1] = cases[c].pad_len;
		ikev2_builder_init(&b, &resp_hdr, MAX_MSG);
		ck_assert_int_eq(ikev2_sk_seal_padded(&b, &k, IKEV2_PL_NONE, B(padded, n), 0, 0, fixed_iv,
				     &first, &msg), 0);
		ck_assert_int_eq(open_msg(&k, msg, out, &plain, &e), cases[c].err);
		if (cases[c].err) {
			ck_assert_uint_eq(e.code, IKEV2_N_INVALID_SYNTAX);
			ck_assert_str_eq(e.reason, "Pad Length exceeds the decrypted data");
			ck_assert_uint_eq(e.offset, msg.len - keys.suite.icv_len - 1);
		} else {
			ck_assert_uint_eq(plain.len, cases[c].plain_len);
		}
		ikev2_builder_clear(&b);
	}
	/* padded plaintext not a multiple of the block size: refused for CBC */
	struct ikev2_builder b;
	struct bytes msg;
	ikev2_builder_init(&b, &resp_hdr, MAX_MSG);
	ck_assert_int_eq(ikev2_sk_seal_padded(&b, &k, IKEV2_PL_NONE, B(padded, 17), 0, 0, fixed_iv,
			     &first, &msg), keys.suite.aead ? 0 : TNC_EINVALID);
	ikev2_builder_clear(&b);
}
END_TEST

/* Encrypted fields too short for IV and ICV, or misaligned, a buffer too
 * small, a failing IV source, a payload that is not the last. */
START_TEST(sk_malformed_refused)
{
	struct ikev2_sa_keys keys;
	struct ikev2_builder b;
	struct bytes msg, plain;
	struct parse_error e;
	struct ikev2_payload sk = {0};
	uint8_t junk[40], first = 0;
	static uint8_t out[MAX_MSG];

	keys_for(1, &keys); /* CBC: IV 16, ICV 16, block 16 */
	struct ikev2_sk_key k = ikev2_sk_key_of(&keys, true);
	memset(junk, 0x5a, sizeof(junk));
	/* 40 octets: 16 IV + 8 + 16 ICV, the ciphertext not a whole block */
	ikev2_builder_init(&b, &resp_hdr, MAX_MSG);
	ikev2_builder_add_sk(&b, IKEV2_PL_SK, IKEV2_PL_NONE, 0, 0, B(NULL, 0), B(junk, 40),
	    B(NULL, 0));
	ck_assert_int_eq(ikev2_builder_finish(&b, &msg), 0);
	ck_assert_int_eq(open_msg(&k, msg, out, &plain, &e), TNC_EINVALID);
	ck_assert_str_eq(e.reason, "Encrypted field too short or not a multiple of the cipher block");
	ck_assert_uint_eq(e.code, 0);
	ck_assert_uint_eq(e.offset, 32);
	ikev2_builder_clear(&b);

	/* a good message, a plaintext buffer one octet short */
	ikev2_builder_init(&b, &resp_hdr, MAX_MSG);
	ck_assert_int_eq(ikev2_sk_seal(&b, &k, IKEV2_PL_EAP, B(inner_eap, sizeof(inner_eap)), 0, 0,
			     fixed_iv, &first, &msg), 0);
	struct ikev2_msg m;
	struct ikev2_iter it;
	ck_assert_int_eq(ikev2_msg_parse(msg.ptr, msg.len, &lim, &m, &e), 0);
	ikev2_iter_init(&it, &m.chain);
	ck_assert(ikev2_iter_next(&it, &sk));
	ck_assert_int_eq(ikev2_sk_open(&k, msg, &sk, out, 15, &plain, &e), TNC_ETOOLONG);
	ck_assert_int_eq(ikev2_sk_open(&k, msg, &sk, out, 16, &plain, &e), 0);
	/* the message view cut short: the payload no longer ends it */
	ck_assert_int_eq(ikev2_sk_open(&k, B(msg.ptr, msg.len - 1), &sk, out, 16, &plain, &e),
	    TNC_EINVALID);
	ck_assert_str_eq(e.reason, "Encrypted payload does not end the message");
	sk.type = IKEV2_PL_EAP;
	ck_assert_int_eq(ikev2_sk_open(&k, msg, &sk, out, 16, &plain, &e), TNC_ETYPE);
	ikev2_builder_clear(&b);
}
END_TEST

static int
failing_iv(void *arg, uint8_t *buf, size_t len)
{
	return TNC_EINVALID;
}

START_TEST(sk_seal_failures)
{
	struct ikev2_sa_keys keys;
	struct ikev2_builder b;
	struct bytes msg;
	static uint8_t big[70000];

	keys_for(5, &keys);
	struct ikev2_sk_key k = ikev2_sk_key_of(&keys, true);
	ikev2_builder_init(&b, &resp_hdr, MAX_MSG);
	ck_assert_int_eq(ikev2_sk_seal(&b, &k, IKEV2_PL_EAP, B(inner_eap, sizeof(inner_eap)), 0, 0,
			     failing_iv, NULL, &msg), TNC_EINVALID);
	ikev2_builder_clear(&b);
	/* more than a payload's 16-bit length */
	ikev2_builder_init(&b, &resp_hdr, sizeof(big) + 100);
	ck_assert_int_eq(ikev2_sk_seal(&b, &k, IKEV2_PL_EAP, B(big, sizeof(big)), 0, 0,
			     ikev2_iv_random, NULL, &msg), TNC_ETOOLONG);
	ikev2_builder_clear(&b);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ikev2_crypto");
	TCase *tc = tcase_create("crypto");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, prf_known_answers);
	tcase_add_test(tc, prf_plus_definition_and_bound);
	tcase_add_test(tc, suite_sizes);
	tcase_add_test(tc, dh_known_answers);
	tcase_add_test(tc, dh_modp_against_bignum);
	tcase_add_loop_test(tc, dh_random_pairs_agree, 0, 4);
	tcase_add_test(tc, dh_refuses_bad_peer_values);
	tcase_add_loop_test(tc, ike_sa_keys_end_to_end, 0, 4);
	tcase_add_test(tc, rekey_and_child_keys);
	tcase_add_test(tc, auth_mic_known_answer);
	tcase_add_loop_test(tc, sk_known_answers, 0, 4);
	tcase_add_loop_test(tc, sk_round_trips, 0, N_TRANSFORMS);
	tcase_add_loop_test(tc, sk_every_tamper_refused, 0, N_TRANSFORMS);
	tcase_add_loop_test(tc, sk_padding_checks, 0, N_TRANSFORMS);
	tcase_add_test(tc, sk_malformed_refused);
	tcase_add_test(tc, sk_seal_failures);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
