/* eap_ttls_keys.c - EAP-TTLS MSK and EMSK (RFC 5281 8, RFC 9427 2.1). */
#include "eap_ttls_keys.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

/* The EAP Type-Code of EAP-TTLS, the exporter context under TLS 1.3. */
#define EAP_TTLS_TYPE_CODE 0x15

void
eap_ttls_exporter(bool tls13, struct eap_ttls_exporter *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (tls13) {
		ret->label = EAP_TLS13_KEYING_LABEL;
		ret->context[0] = EAP_TTLS_TYPE_CODE;
		ret->context_len = 1;
		ret->use_context = true;
	} else {
		ret->label = EAP_TTLS_KEYING_LABEL;
	}
	ret->label_len = strlen(ret->label);
}

void
eap_keys_from_material(const uint8_t material[EAP_TTLS_KEY_MATERIAL_LEN], struct eap_keys *ret)
{
	memcpy(ret->msk, material, EAP_MSK_LEN);
	memcpy(ret->emsk, material + EAP_MSK_LEN, EAP_EMSK_LEN);
}

int
eap_ttls_keys_from_master(const char *prf_digest, struct bytes master_secret,
    const uint8_t client_random[EAP_TTLS_RANDOM_LEN],
    const uint8_t server_random[EAP_TTLS_RANDOM_LEN], struct eap_keys *ret)
{
	static const char label[] = EAP_TTLS_KEYING_LABEL;
	uint8_t seed[sizeof(label) - 1 + 2 * EAP_TTLS_RANDOM_LEN];
	uint8_t material[EAP_TTLS_KEY_MATERIAL_LEN];
	EVP_KDF *kdf;
	EVP_KDF_CTX *ctx = NULL;
	int ok = 0;

	if (master_secret.len == 0)
		return TNC_EINVALID;
	/* The TLS PRF takes label || seed as one seed (RFC 5246 5). */
	memcpy(seed, label, sizeof(label) - 1);
	memcpy(seed + sizeof(label) - 1, client_random, EAP_TTLS_RANDOM_LEN);
	memcpy(seed + sizeof(label) - 1 + EAP_TTLS_RANDOM_LEN, server_random, EAP_TTLS_RANDOM_LEN);
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)prf_digest, 0),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET,
		    (void *)master_secret.ptr, master_secret.len),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, seed, sizeof(seed)),
		OSSL_PARAM_construct_end(),
	};
	if ((kdf = EVP_KDF_fetch(NULL, "TLS1-PRF", NULL)) && (ctx = EVP_KDF_CTX_new(kdf)))
		ok = EVP_KDF_derive(ctx, material, sizeof(material), params) == 1;
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	if (ok)
		eap_keys_from_material(material, ret);
	OPENSSL_cleanse(material, sizeof(material));
	return ok ? 0 : TNC_EINVALID;
}

void
eap_keys_cleanse(struct eap_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}
