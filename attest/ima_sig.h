/* ima_sig.h - IMA file signatures (the sig field of ima-sig entries) and
 * the public keys that verify them.
 *
 * A signature v2 header (ima-evm-utils' signature_v2_hdr: type 0x03
 * EVM_IMA_XATTR_DIGSIG, version 2, the kernel's hash_algo number, a 4-byte
 * key id, a 2-byte big-endian signature size), then the signature: RSA
 * PKCS#1 v1.5 or DER ECDSA over the file digest itself.  The key id is the
 * last 4 bytes of SHA-1 over the key's DER public key (PKCS#1
 * RSAPublicKey, or the uncompressed EC point), as evmctl computes it.
 */
#ifndef TNC_ATTEST_IMA_SIG_H
#define TNC_ATTEST_IMA_SIG_H

#include <stdint.h>

#include "attest_error.h"
#include "wire.h"

#define IMA_KEYS_MAX 64

enum ima_sig_status {
	IMA_SIG_NONE,        /* the entry carries no signature */
	IMA_SIG_UNCHECKED,   /* well formed; no keys were given */
	IMA_SIG_VALID,       /* verified with a key of its key id */
	IMA_SIG_INVALID,     /* a key of its key id refuses it */
	IMA_SIG_NO_KEY,      /* no key with its key id */
	IMA_SIG_MALFORMED,   /* the header does not parse or does not fit the entry */
	IMA_SIG_UNSUPPORTED, /* another signature type or version, or hash algorithm */
	IMA_SIG_STATUS_COUNT
};

struct ima_sig_result {
	enum ima_sig_status status;
	uint32_t keyid;        /* from the header, when it has one */
	int hash;              /* the header's hash as enum digest_alg, or -1 */
	uint32_t sig_len;      /* bytes of signature after the header */
	const char *key_label; /* the key that decided VALID / INVALID */
	char reason[96];       /* why MALFORMED / UNSUPPORTED / INVALID */
};

/* "valid", "INVALID", "no-key-with-this-keyid", ... as tncverify prints them. */
const char *ima_sig_status_name(enum ima_sig_status s);

struct ima_keyring;

struct ima_keyring *ima_keyring_new(void);
void ima_keyring_free(struct ima_keyring *k); /* NULL: no-op */

/* Adds the RSA or EC public key in buf: a PEM or DER public key or X.509
 * certificate.  label (copied) names the key in results.  0 and *ret_keyid
 * (may be NULL), or TNC_EINVALID / TNC_ETOOLONG (keyring full) with err. */
int ima_keyring_add(struct ima_keyring *k, const char *label, const uint8_t *buf, size_t len,
    uint32_t *ret_keyid, struct attest_error *err) TNC_MUST_CHECK;

/* Checks sig (the raw sig field) against file_hash, the entry's file
 * digest of algorithm file_alg (the name as the entry logs it: "sha256").
 * keys may be NULL (then a well-formed signature is IMA_SIG_UNCHECKED). */
void ima_sig_check(const struct ima_keyring *keys, struct bytes sig, struct bytes file_alg,
    struct bytes file_hash, struct ima_sig_result *ret);

#endif
