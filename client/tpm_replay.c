/* tpm_replay.c - replaying a boot's logs into a TPM (see tpm_replay.h). */
#include "tpm_replay.h"

#include <string.h>

#include "eventlog.h"
#include "ima.h"
#include "tpm_int.h"
#include "tpm_pcr.h"

struct replay {
	struct tpm *t;
	struct tpm_replay *out;
	struct digest_ctx *d;
	enum digest_alg list_alg; /* IMA */
};

static int
extend(struct replay *r, const char *what, uint32_t index, uint32_t pcr, unsigned banks,
    const uint8_t *const digest[DIGEST_ALG_COUNT])
{
	char reason[sizeof(r->t->err)];
	int err;

	if ((err = tpm_pcr_extend(r->t, pcr, banks, digest)) < 0) {
		memcpy(reason, r->t->err, sizeof(reason));
		return tpm_fail(r->t, err, "%s %u: %s", what, index, reason);
	}
	r->out->extended++;
	r->out->pcrs |= 1u << pcr;
	return 0;
}

static int
on_event(void *ctx, const struct eventlog_event *ev)
{
	struct replay *r = ctx;
	unsigned banks = r->out->banks & ev->algs;

	/* The parser has checked the PCR index of every record extended. */
	if (ev->type == EV_NO_ACTION || !banks)
		return 0;
	return extend(r, "record", ev->record, ev->pcr, banks, ev->digest);
}

int
tpm_replay_boot(struct tpm *t, const uint8_t *log, size_t len, struct tpm_replay *ret)
{
	struct tpm_replay out = {0};
	struct digest_ctx d;
	struct replay r = {.t = t, .out = &out, .d = &d};
	struct eventlog_limits lim;
	struct eventlog_summary sum;
	struct attest_error aerr;
	unsigned tpm_banks;
	int err;

	eventlog_limits_default(&lim);
	digest_ctx_init(&d);
	/* The whole log first: its startup locality, and that it is sound. */
	if ((err = eventlog_replay(log, len, &lim, &d, NULL, NULL, &sum, &aerr)) < 0) {
		err = tpm_fail(t, err, "%s", aerr.reason);
		goto out;
	}
	out.records = sum.records;
	out.startup_locality = sum.startup_locality;
	if ((err = tpm_startup(t, sum.startup_locality < 0 ? 0 : (unsigned)sum.startup_locality)) < 0 ||
	    (err = tpm_pcr_banks(t, &tpm_banks)) < 0)
		goto out;
	out.banks = tpm_banks & sum.pcrs.active;
	if (!out.banks) {
		err = tpm_fail(t, TNC_EINVALID, "the log has digests for none of the TPM's PCR banks");
		goto out;
	}
	/* The log passed above: only extending can fail now, with its reason. */
	if ((err = eventlog_replay(log, len, &lim, &d, on_event, &r, &sum, &aerr)) == 0)
		*ret = out;
out:
	digest_ctx_clear(&d);
	return err;
}

static int
on_entry(void *ctx, const struct ima_entry *e)
{
	struct replay *r = ctx;
	uint8_t hashed[DIGEST_ALG_COUNT][DIGEST_MAX], ones[DIGEST_MAX];
	const uint8_t *digest[DIGEST_ALG_COUNT] = {0};

	memset(ones, 0xff, sizeof(ones));
	for (int a = 0; a < DIGEST_ALG_COUNT; a++) {
		if (!(r->out->banks & DIGEST_BIT(a)))
			continue;
		if (e->violation) {
			digest[a] = ones;
		} else if (a == (int)r->list_alg) {
			digest[a] = e->template_hash;
		} else {
			digest_two(r->d, (enum digest_alg)a, e->template_data.ptr, e->template_data.len,
			    NULL, 0, hashed[a]);
			digest[a] = hashed[a];
		}
	}
	return extend(r, "entry", e->index, e->pcr, r->out->banks, digest);
}

int
tpm_replay_ima(struct tpm *t, const uint8_t *list, size_t len, struct tpm_replay *ret)
{
	struct tpm_replay out = {.startup_locality = -1};
	struct digest_ctx d;
	struct replay r = {.t = t, .out = &out, .d = &d};
	struct ima_options o;
	struct ima_summary sum;
	struct attest_error aerr;
	int err;

	ima_options_default(&o);
	digest_ctx_init(&d);
	if ((err = ima_replay(list, len, &o, &d, NULL, NULL, &sum, &aerr)) < 0) {
		err = tpm_fail(t, err, "%s", aerr.reason);
		goto out;
	}
	out.records = sum.entries;
	r.list_alg = sum.template_hash_alg;
	if ((err = tpm_pcr_banks(t, &out.banks)) < 0)
		goto out;
	if ((err = ima_replay(list, len, &o, &d, on_entry, &r, &sum, &aerr)) == 0)
		*ret = out;
out:
	digest_ctx_clear(&d);
	return err;
}
