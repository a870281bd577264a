/* fuzz_eventlog.c - libFuzzer harness for TCG PC Client event logs
 * (attest/eventlog.h).
 *
 * Each input is replayed with small limits, every bank, and a callback.  A
 * refusal must say why and point inside the input.  An accepted log must
 * add up: the records handed to the callback lie inside the input, in
 * order, with PCR indexes in range (EV_NO_ACTION aside); every record is
 * the header, extended or no-action; an SHA-256-only replay gives the
 * same SHA-256 bank.  Any mismatch aborts.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "eventlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

struct walk {
	const uint8_t *data;
	size_t size, last_offset;
	uint32_t records, extended;
};

static int
on_event(void *ctx, const struct eventlog_event *ev)
{
	struct walk *w = ctx;

	check(ev->offset < w->size && (w->records == 0 || ev->offset > w->last_offset));
	check(ev->data.len == 0 || (ev->data.ptr >= w->data && ev->data.ptr + ev->data.len <= w->data + w->size));
	for (int a = 0; a < DIGEST_ALG_COUNT; a++)
		if (ev->algs & DIGEST_BIT(a))
			check(ev->digest[a] >= w->data &&
			      ev->digest[a] + digest_size((enum digest_alg)a) <= w->data + w->size);
	if (ev->type != EV_NO_ACTION) {
		check(ev->pcr < PCR_COUNT);
		w->extended++;
	}
	w->last_offset = ev->offset;
	w->records++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct digest_ctx d;
	static bool ready;
	static struct eventlog_summary s, s256;
	struct eventlog_limits lim = {64, 4096, 0};
	struct walk w = {data, size, 0, 0, 0};
	struct attest_error e;
	int rc;

	if (!ready) {
		digest_ctx_init(&d);
		ready = true;
	}
	e.reason[0] = '\0';
	rc = eventlog_replay(data, size, &lim, &d, on_event, &w, &s, &e);
	if (rc) {
		check(rc < 0 && e.reason[0] && e.offset <= size);
		return 0;
	}
	check(w.records + (s.format == EVENTLOG_FORMAT_AGILE) == s.records);
	check(w.extended == s.extended && s.extended + s.no_action == w.records);
	check(s.records <= lim.max_events);
	check(s.startup_locality >= -1 && s.startup_locality <= 4);
	lim.banks = DIGEST_BIT(DIGEST_SHA256);
	check(eventlog_replay(data, size, &lim, &d, NULL, NULL, &s256, &e) == 0);
	check(!pcr_banks_has(&s256.pcrs, DIGEST_SHA1));
	check(pcr_banks_has(&s.pcrs, DIGEST_SHA256) == pcr_banks_has(&s256.pcrs, DIGEST_SHA256));
	if (pcr_banks_has(&s.pcrs, DIGEST_SHA256))
		check(memcmp(s.pcrs.value[DIGEST_SHA256], s256.pcrs.value[DIGEST_SHA256],
		          sizeof(s.pcrs.value[DIGEST_SHA256])) == 0);
	return 0;
}
