/* attest_aik.h - the endpoint's Attestation Identity Key (TCG PTS IF-M
 * binding 3.13): a bare public key (DER SubjectPublicKeyInfo) or an X.509
 * certificate (DER or PEM), its key id (SHA-1 of the DER
 * SubjectPublicKeyInfo, as tncclient and strongSwan name it), and trust
 * in it through a certificate chain to a CA of [imv-attest] aik_ca_dir,
 * loaded before the sandbox.  (Trust through the device's registered key
 * id is asked of tnc-policy by attest_state.c.)
 */
#ifndef TNC_ATTEST_AIK_H
#define TNC_ATTEST_AIK_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pa_pts.h"

#define ATTEST_AIK_KEYID_LEN 20

struct attest_aik {
	EVP_PKEY *key;
	X509 *cert; /* NULL for a bare key */
	uint8_t keyid[ATTEST_AIK_KEYID_LEN];
	char keyid_hex[2 * ATTEST_AIK_KEYID_LEN + 1];
};

/* Takes the attribute's key or certificate; 0, or TNC_EINVALID with why. */
int attest_aik_parse(const struct pa_pts_aik *a, struct attest_aik *ret, char *why,
    size_t size) TNC_MUST_CHECK;
void attest_aik_clear(struct attest_aik *k);
/* "73:2c:76:..." for the log. */
void attest_aik_keyid_text(const struct attest_aik *k, char *out, size_t size);

/* Loads every certificate in dir (PEM or DER files) as a trust anchor;
 * the number loaded, or a negative error with why.  Before the sandbox. */
int attest_aik_load_cas(const char *dir, char *why, size_t size);
/* Whether the AIK's certificate chains to a loaded CA (false: why). */
bool attest_aik_cert_trusted(const struct attest_aik *k, char *why, size_t size);
/* Whether any CA is loaded. */
bool attest_aik_have_cas(void);
/* Drops the CAs (tests). */
void attest_aik_free_cas(void);

#endif
