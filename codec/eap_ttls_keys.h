/* eap_ttls_keys.h - EAP-TTLS keying material: the MSK and EMSK.
 *
 * TLS 1.0-1.2 (RFC 5281 8): the first 128 octets of
 *   PRF(master_secret, "ttls keying material", client_random || server_random)
 * split into MSK (0-63) and EMSK (64-127).  That is the RFC 5705 exporter
 * with this label and no context, so a TLS library gives it directly
 * (SSL_export_keying_material() with eap_ttls_exporter()'s parameters);
 * eap_ttls_keys_from_master() computes it from the raw handshake values.
 *
 * TLS 1.3 (RFC 9427 2.1, which updates RFC 5281 for TLS 1.3): 128 octets of
 *   TLS-Exporter("EXPORTER_EAP_TLS_Key_Material", Type-Code 0x15, 128),
 * split the same way; there is no raw form, only the exporter.
 *
 * Pure apart from the PRF, which comes from OpenSSL's libcrypto.
 */
#ifndef TNC_EAP_TTLS_KEYS_H
#define TNC_EAP_TTLS_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

#define EAP_MSK_LEN 64
#define EAP_EMSK_LEN 64
#define EAP_TTLS_KEY_MATERIAL_LEN (EAP_MSK_LEN + EAP_EMSK_LEN)
#define EAP_TTLS_RANDOM_LEN 32
#define EAP_TTLS_KEYING_LABEL "ttls keying material"
#define EAP_TLS13_KEYING_LABEL "EXPORTER_EAP_TLS_Key_Material"

struct eap_keys {
	uint8_t msk[EAP_MSK_LEN];
	uint8_t emsk[EAP_EMSK_LEN];
};

/* The arguments of the RFC 5705 / RFC 8446 7.5 exporter call that yields
 * EAP_TTLS_KEY_MATERIAL_LEN octets of keying material. */
struct eap_ttls_exporter {
	const char *label;
	size_t label_len;
	uint8_t context[1];
	size_t context_len;
	bool use_context;
};

void eap_ttls_exporter(bool tls13, struct eap_ttls_exporter *ret);

/* Splits the exporter's EAP_TTLS_KEY_MATERIAL_LEN octets into MSK and EMSK. */
void eap_keys_from_material(const uint8_t material[EAP_TTLS_KEY_MATERIAL_LEN],
    struct eap_keys *ret);

/* TLS 1.0-1.2 only: the RFC 5281 8 PRF over the raw handshake values.
 * prf_digest names the PRF hash: "SHA256" or "SHA384" for TLS 1.2 (the
 * cipher suite's), "MD5-SHA1" for TLS 1.0 and 1.1.  0, or TNC_EINVALID when
 * libcrypto refuses (unknown digest, empty secret). */
int eap_ttls_keys_from_master(const char *prf_digest, struct bytes master_secret,
    const uint8_t client_random[EAP_TTLS_RANDOM_LEN],
    const uint8_t server_random[EAP_TTLS_RANDOM_LEN], struct eap_keys *ret) TNC_MUST_CHECK;

/* Wipes *k. */
void eap_keys_cleanse(struct eap_keys *k);

#endif
