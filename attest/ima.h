/* ima.h - Linux IMA measurement lists: parse, check, replay.
 *
 * Both securityfs forms: binary_runtime_measurements (per entry, in the
 * byte order of the machine, little-endian here: PCR, template hash,
 * template name, template data; the template hash is SHA-1, or the bank's
 * algorithm for binary_runtime_measurements_<alg>) and
 * ascii_runtime_measurements (one line per entry; the template data is
 * rebuilt from the printed fields).  Templates ima, ima-ng, ima-ngv2,
 * ima-sig, ima-sigv2, ima-buf, and in binary lists any other named or
 * "field|field" template (its fields are read by their length prefixes).
 *
 * For every entry the template hash is recomputed and compared
 * (template_hash_mismatch); an all-zero template hash is a violation,
 * extended as all-ones.  The list's own bank is the fold of the logged
 * template hashes (what the TPM holds); other banks are replayed as Linux
 * 5.8 and later extend them (template data hashed with the bank's
 * algorithm), or zero-padded as older kernels did.  ima-sig signatures
 * (signature v2 header) are verified against the keys given.
 *
 * Nothing is kept per entry: the summary has a fixed size.  A list that
 * could hold more entries than allowed is counted before anything is
 * hashed (newlines, or the framing of binary entries), so a crafted list
 * of a million entries costs a walk over its headers.  An entry that does
 * not parse stops the replay there, after the callback has seen the
 * entries before it.
 */
#ifndef TNC_ATTEST_IMA_H
#define TNC_ATTEST_IMA_H

#include <stdbool.h>
#include <stdint.h>

#include "attest_error.h"
#include "ima_sig.h"
#include "pcr_bank.h"
#include "wire.h"

#define IMA_MAX_ENTRIES 200000        /* default limit on entries */
#define IMA_MAX_ENTRY_DATA (64u << 10) /* default limit on one entry's template data */
#define IMA_TEMPLATES_MAX 16          /* distinct template names counted one by one */
#define IMA_INDEXES_MAX 16            /* mismatching / violating entries listed by index */
#define IMA_TEMPLATE_NAME_MAX 255     /* the kernel's TCG_EVENT_NAME_LEN_MAX */

enum ima_format { IMA_FORMAT_BINARY, IMA_FORMAT_ASCII };

struct ima_options {
	uint32_t max_entries;    /* more entries are refused */
	uint32_t max_entry_data; /* an entry with more template data is refused */
	unsigned banks;          /* DIGEST_BIT()s replayed (the list's own is always) */
	unsigned padded_banks;   /* DIGEST_BIT()s extended with the zero-padded logged hash */
	int template_hash_alg;   /* a binary list's template hash algorithm; -1: recognise it */
	const struct ima_keyring *keys; /* NULL: signatures are parsed, not verified */
};

/* The defaults above, no banks beyond the list's own, no keys. */
void ima_options_default(struct ima_options *o);

/* One entry, as handed to an ima_entry_fn: views into the list, or into a
 * buffer of the replay valid during the call. */
struct ima_entry {
	uint32_t index;  /* 0-based */
	size_t offset;   /* of the entry (binary) or its line (ASCII) in the list */
	uint32_t pcr;
	const uint8_t *template_hash; /* as logged, in the list's algorithm */
	struct bytes template_name;
	struct bytes template_data;   /* what the template hash covers */
	bool violation;               /* all-zero template hash */
	bool template_hash_ok;        /* recomputed == logged; false for violations */
	/* The fields a verifier looks up; empty when the template has none. */
	struct bytes path;            /* n-ng / n, without the NUL (ima-buf: the buffer's name) */
	struct bytes file_hash_alg;   /* as logged: "sha256" ("sha1" for the ima template) */
	int file_hash_digest;         /* the same as enum digest_alg, or -1 */
	struct bytes file_hash;
	struct bytes sig;             /* the sig field, raw */
	struct bytes buf;             /* the buf field of ima-buf */
	bool buf_digest_ok;           /* the file digest is the buffer's hash (ima-buf) */
	struct ima_sig_result sig_result; /* IMA_SIG_NONE without a signature */
};

/* Called per entry, in order; a non-zero return stops the replay and is
 * returned. */
typedef int ima_entry_fn(void *ctx, const struct ima_entry *e);

struct ima_template_count {
	char name[64];
	uint32_t count;
};

struct ima_summary {
	enum ima_format format;
	enum digest_alg template_hash_alg;
	uint32_t entries, template_hash_ok, template_hash_mismatch, violations;
	uint32_t mismatch[IMA_INDEXES_MAX];  /* the first mismatching entries */
	uint32_t violation[IMA_INDEXES_MAX]; /* the first violations */
	uint32_t sig_count[IMA_SIG_STATUS_COUNT]; /* entries per signature result */
	uint32_t buf_entries, buf_digest_mismatch; /* ima-buf entries; whose digest is not the buffer's */
	bool has_boot_aggregate;             /* an entry named boot_aggregate */
	uint32_t boot_aggregate_index;
	int boot_aggregate_digest;           /* enum digest_alg, or -1 */
	char boot_aggregate_alg[16];         /* as logged ("sha256"), cut to fit */
	size_t boot_aggregate_len;
	uint8_t boot_aggregate[DIGEST_MAX];
	uint32_t pcr_mask;                   /* PCRs the entries extend */
	size_t ntemplates;
	struct ima_template_count templates[IMA_TEMPLATES_MAX];
	uint32_t other_templates;            /* entries of templates beyond the table */
	struct pcr_banks pcrs;               /* own bank: fold of logged hashes; others per bank */
	struct pcr_banks padded;             /* padded_banks */
};

/* The template data of an entry rebuilt from a file digest and the name
 * the kernel measured, for a verifier that has only the template hash
 * (strongSwan's IMA evidence) and a reference digest. */
enum ima_rebuild {
	IMA_REBUILD_NG,     /* ima-ng: d-ng "algo:" NUL digest, n-ng name NUL */
	IMA_REBUILD_SIG,    /* ima-sig without a signature: ima-ng and an empty sig field */
	IMA_REBUILD_LEGACY, /* ima: SHA-1 digest, name zero-padded to 256 bytes */
};
/* The template hash (alg) of that data into out; TNC_EINVALID when the
 * digest does not fit the form (ima: 20 bytes) or the name is too long
 * (ima: 255 bytes, others IMA_NAME_MAX). */
#define IMA_NAME_MAX 4096
int ima_rebuild_hash(struct digest_ctx *d, enum digest_alg alg, enum ima_rebuild form,
    const char *file_algo, struct bytes digest, struct bytes name, uint8_t *out) TNC_MUST_CHECK;

/* Parses and replays list[0..len) (binary or ASCII, recognised by its
 * first byte) into *ret, calling fn (may be NULL) per entry.  0, or a
 * negative TNC_E* code with *err naming the entry and field. */
int ima_replay(const uint8_t *list, size_t len, const struct ima_options *o,
    struct digest_ctx *d, ima_entry_fn *fn, void *ctx, struct ima_summary *ret,
    struct attest_error *err) TNC_MUST_CHECK;

#endif
