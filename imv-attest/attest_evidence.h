/* attest_evidence.h - one connection's PTS evidence, verified as it
 * arrives (TCG PTS IF-M binding 3.15; strongSwan's per-event and per-entry
 * Simple Component Evidence): BIOS events replayed into an emulated PCR
 * bank (PCR 0 from the startup locality), the IMA boot aggregate checked
 * against PCRs 0-9 or 0-7, IMA entries extended into PCR 10 and handed
 * back for their file look-up, and the TPM quote of Simple Evidence Final
 * verified against the emulated PCRs and the D-H nonce.
 *
 * Bounded memory: the bank, counts and the first failure; no event is
 * kept.  At most max_events evidence attributes are taken.  Pure: no I/O,
 * no logging (the caller logs the results and reasons it returns).
 */
#ifndef TNC_ATTEST_EVIDENCE_H
#define TNC_ATTEST_EVIDENCE_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdint.h>

#include "ipc_msg.h"
#include "pa_pts_comp.h"
#include "pa_pts_final.h"
#include "pcr_bank.h"

#define ATTEST_EVENTS_DEFAULT 200000 /* evidence attributes per connection */
#define ATTEST_REASON_LEN 256

struct attest_evidence {
	uint32_t max_events;
	int locality;          /* TPM 2.0 startup locality, -1: not reported */
	bool bank_set;         /* the first evidence fixed the bank */
	enum digest_alg bank;
	struct pcr_banks pcrs;
	struct digest_ctx d;
	uint32_t bios, ima;    /* evidence taken */
	bool aggregate_ok;
	unsigned aggregate_last_pcr; /* 9 or 7 */
	bool failed;           /* the first failure, in reason */
	char reason[ATTEST_REASON_LEN];
	bool quote_done, quote_ok;
};

/* An IMA entry to look up: views into the attribute, valid while it is. */
struct attest_ima_file {
	struct bytes path;
	enum ipc_file_form form;
	const char *algo;          /* of the file digest: "sha256" */
	const char *template_algo; /* of the template hash: the bank's */
	uint8_t hash[DIGEST_MAX];  /* the template hash */
	size_t hash_len;
};

enum attest_taken {
	ATTEST_TOOK_BIOS,      /* a BIOS event, extended */
	ATTEST_TOOK_AGGREGATE, /* the boot aggregate entry, checked (aggregate_ok) */
	ATTEST_TOOK_FILE,      /* an IMA entry, extended: look *ret_file up */
	ATTEST_TOOK_FAILED,    /* refused: ev->failed, ev->reason names it */
};

void attest_evidence_init(struct attest_evidence *ev, uint32_t max_events);
void attest_evidence_clear(struct attest_evidence *ev);

/* One Simple Component Evidence attribute. */
enum attest_taken attest_evidence_component(struct attest_evidence *ev,
    const struct pa_pts_comp_evidence *e, struct attest_ima_file *ret_file);

/* IMA file evidence taken: the IMA entries but the boot aggregate. */
uint32_t attest_evidence_files(const struct attest_evidence *ev);

/* Simple Evidence Final: the quote verified with aik against the emulated
 * PCRs and nonce.  Sets quote_done, quote_ok and, when it fails, the
 * reason. */
void attest_evidence_final(struct attest_evidence *ev, const struct pa_pts_final *f,
    EVP_PKEY *aik, struct bytes nonce);

#endif
