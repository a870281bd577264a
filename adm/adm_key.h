/* adm_key.h - public keys from files: an AIK to register for a device, an
 * IMA signing key for the attestation IMV.  A file holds a public key
 * (SubjectPublicKeyInfo) or an X.509 certificate, PEM or DER. */
#ifndef TNC_ADM_KEY_H
#define TNC_ADM_KEY_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ADM_KEY_FILE_MAX (64u << 10) /* no key or certificate is larger */
#define ADM_AIK_KEYID_HEX 41         /* SHA-1 in hex, and the NUL */

struct adm_key {
	EVP_PKEY *pkey;
	uint8_t *der; /* the DER SubjectPublicKeyInfo (OpenSSL's) */
	size_t der_len;
	bool from_certificate;
	char what[80]; /* "RSA 2048", "EC prime256v1" */
};

/* Reads an RSA or EC public key from path.  0, or -1 with the reason
 * (path: what) in err. */
int adm_key_read(const char *path, struct adm_key *ret, char *err, size_t errlen);
void adm_key_clear(struct adm_key *k);

/* The AIK key id as the attestation IMV and tncclient compute it (see
 * client/tpm_aik.h): SHA-1 of the DER SubjectPublicKeyInfo, lower-case hex. */
void adm_key_aik_keyid(const struct adm_key *k, char hex[ADM_AIK_KEYID_HEX]);

#endif
