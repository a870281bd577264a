/* fuzz_swima.c - libFuzzer harness for the SWIMA attribute values and the
 * SWIMA error information (RFC 8412, codec/pa_swima.h).
 *
 * The first input octet picks a type, the rest is its value.  A value that
 * decodes must yield exactly its count through the iterator, encode to the
 * same length, decode again and re-encode to the same octets (a fixed point
 * after one round: reserved octets and flags may change once); values
 * without ignored bits (events, subscription status, most error
 * information) must give back the very octets.  A refusal must carry a reason and an offset inside the value.
 * Any mismatch aborts.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pa_ietf.h"
#include "pa_swima.h"
#include "pa_tnc.h"

#define MAX_VALUE (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

/* Decodes v, encodes the result into w; the decoder's return code.
 * *exact: the encoding must equal v. */
typedef int reencode_fn(struct bytes v, struct wire_writer *w, struct parse_error *e,
    bool *exact);

/* An array of n entries of size sz, n no more than the value's octets. */
static void *
entries(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);

	check(p != NULL);
	return p;
}

static int
re_request(struct bytes v, struct wire_writer *w, struct parse_error *e, bool *exact)
{
	struct pa_swima_request req;
	struct pa_swima_ids_iter it;
	struct bytes *ids;
	size_t n = 0;
	int rc = pa_swima_request_decode(v, &req, e);

	if (rc)
		return rc;
	ids = entries(req.count, sizeof(*ids));
	pa_swima_ids_iter_init(&it, req.ids);
	while (n <= req.count && pa_swima_ids_next(&it, &ids[n < req.count ? n : 0]))
		n++;
	check(n == req.count);
	*exact = (req.flags & 0x1f) == 0;
	req.flags &= 0xe0; /* reserved bits are ignored, never sent */
	pa_swima_request_encode(w, &req, ids, n);
	free(ids);
	return 0;
}

static int
re_inventory(struct bytes v, bool with_records, struct wire_writer *w, struct parse_error *e)
{
	struct pa_swima_inventory inv;
	struct pa_swima_inventory_iter it;
	struct pa_swima_record *recs;
	size_t n = 0;
	int rc = pa_swima_inventory_decode(v, with_records, &inv, e);

	if (rc)
		return rc;
	recs = entries(inv.count, sizeof(*recs));
	pa_swima_inventory_iter_init(&it, &inv);
	while (n <= inv.count && pa_swima_inventory_next(&it, &recs[n < inv.count ? n : 0]))
		n++;
	check(n == inv.count);
	pa_swima_inventory_encode(w, &inv, recs, n);
	free(recs);
	return 0;
}

static int
re_id_inventory(struct bytes v, struct wire_writer *w, struct parse_error *e, bool *exact)
{
	return re_inventory(v, false, w, e);
}

static int
re_sw_inventory(struct bytes v, struct wire_writer *w, struct parse_error *e, bool *exact)
{
	return re_inventory(v, true, w, e);
}

static int
re_events(struct bytes v, bool with_records, struct wire_writer *w, struct parse_error *e,
    bool *exact)
{
	struct pa_swima_events ev;
	struct pa_swima_events_iter it;
	struct pa_swima_event *all;
	size_t n = 0;
	int rc = pa_swima_events_decode(v, with_records, &ev, e);

	if (rc)
		return rc;
	all = entries(ev.count, sizeof(*all));
	pa_swima_events_iter_init(&it, &ev);
	while (n <= ev.count && pa_swima_events_next(&it, &all[n < ev.count ? n : 0]))
		n++;
	check(n == ev.count);
	pa_swima_events_encode(w, &ev, all, n);
	free(all);
	*exact = true;
	return 0;
}

static int
re_id_events(struct bytes v, struct wire_writer *w, struct parse_error *e, bool *exact)
{
	return re_events(v, false, w, e, exact);
}

static int
re_sw_events(struct bytes v, struct wire_writer *w, struct parse_error *e, bool *exact)
{
	return re_events(v, true, w, e, exact);
}

static int
re_status_request(struct bytes v, struct wire_writer *w, struct parse_error *e, bool *exact)
{
	*exact = true;
	return pa_swima_subscription_status_request_decode(v, e);
}

static int
re_status(struct bytes v, struct wire_writer *w, struct parse_error *e, bool *exact)
{
	struct pa_swima_subscription_status s;
	struct pa_swima_subscriptions_iter it;
	struct pa_swima_subscription *subs;
	size_t n = 0;
	int rc = pa_swima_subscription_status_decode(v, &s, e);

	if (rc)
		return rc;
	subs = entries(s.count, sizeof(*subs));
	pa_swima_subscriptions_iter_init(&it, &s);
	while (n <= s.count && pa_swima_subscriptions_next(&it, &subs[n < s.count ? n : 0]))
		n++;
	check(n == s.count);
	pa_swima_subscription_status_encode(w, s.flags, subs, n);
	free(subs);
	*exact = true;
	return 0;
}

static int
re_source_request(struct bytes v, struct wire_writer *w, struct parse_error *e, bool *exact)
{
	uint32_t id;
	int rc = pa_swima_source_metadata_request_decode(v, &id, e);

	if (rc == 0)
		pa_swima_source_metadata_request_encode(w, id);
	*exact = true;
	return rc;
}

static int
re_sources(struct bytes v, struct wire_writer *w, struct parse_error *e, bool *exact)
{
	struct pa_swima_source_metadata m;
	struct pa_swima_sources_iter it;
	struct pa_swima_source *src;
	size_t n = 0;
	int rc = pa_swima_source_metadata_decode(v, &m, e);

	if (rc)
		return rc;
	src = entries(m.count, sizeof(*src));
	pa_swima_sources_iter_init(&it, &m);
	while (n <= m.count && pa_swima_sources_next(&it, &src[n < m.count ? n : 0]))
		n++;
	check(n == m.count);
	pa_swima_source_metadata_encode(w, m.request_id, src, n);
	free(src);
	return 0;
}

/* The error information of one SWIMA code, encoded as a whole PA-TNC Error
 * value whose 8-octet header is then cut off again. */
static int
re_error(uint32_t code, struct bytes v, struct wire_writer *w, struct parse_error *e,
    bool *exact)
{
	struct pa_swima_error err;
	struct wire_writer full;
	int rc = pa_swima_error_decode(code, v, &err, e);

	if (rc)
		return rc;
	wire_writer_init(&full, MAX_VALUE + 8);
	pa_swima_error_encode(&full, &err);
	check(wire_writer_status(&full) == 0 && full.len >= 8);
	wire_put_bytes(w, full.buf + 8, full.len - 8);
	wire_writer_clear(&full);
	/* A fulfillment error's Reserved octet (after the ID) is sent as 0. */
	*exact = code != PA_TNC_ERROR_SWIMA_SUBSCRIPTION_FULFILLMENT || v.ptr[4] == 0;
	return 0;
}

#define RE_ERROR(name, code)                                                            \
	static int name(struct bytes v, struct wire_writer *w, struct parse_error *e,    \
	    bool *exact)                                                                 \
	{                                                                                \
		return re_error(code, v, w, e, exact);                                   \
	}
RE_ERROR(re_err_swima, PA_TNC_ERROR_SWIMA)
RE_ERROR(re_err_denied, PA_TNC_ERROR_SWIMA_SUBSCRIPTION_DENIED)
RE_ERROR(re_err_too_large, PA_TNC_ERROR_SWIMA_RESPONSE_TOO_LARGE)
RE_ERROR(re_err_fulfillment, PA_TNC_ERROR_SWIMA_SUBSCRIPTION_FULFILLMENT)
RE_ERROR(re_err_reuse, PA_TNC_ERROR_SWIMA_SUBSCRIPTION_ID_REUSE)

static reencode_fn *const types[] = {
	re_request, re_id_inventory, re_id_events, re_sw_inventory, re_sw_events,
	re_status_request, re_status, re_source_request, re_sources,
	re_err_swima, re_err_denied, re_err_too_large, re_err_fulfillment, re_err_reuse,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_writer w, w2;
	struct parse_error e;
	struct bytes v;
	reencode_fn *fn;
	bool exact = false, ignored;
	int rc;

	if (size < 1 || size - 1 > MAX_VALUE)
		return 0;
	fn = types[data[0] % (sizeof(types) / sizeof(types[0]))];
	v = (struct bytes){data + 1, size - 1};
	memset(&e, 0, sizeof(e));
	wire_writer_init(&w, MAX_VALUE);
	rc = fn(v, &w, &e, &exact);
	if (rc) {
		check(rc < 0 && e.reason != NULL && e.offset <= v.len &&
		    e.code == PA_TNC_ERROR_INVALID_PARAMETER);
		wire_writer_clear(&w);
		return 0;
	}
	check(wire_writer_status(&w) == 0);
	check(w.len == v.len);
	if (exact)
		check(w.len == 0 || memcmp(w.buf, v.ptr, v.len) == 0);
	/* One more round must change nothing. */
	wire_writer_init(&w2, MAX_VALUE);
	check(fn((struct bytes){w.buf, w.len}, &w2, &e, &ignored) == 0);
	check(wire_writer_status(&w2) == 0 && w2.len == w.len &&
	    (w.len == 0 || memcmp(w.buf, w2.buf, w.len) == 0));
	wire_writer_clear(&w2);
	wire_writer_clear(&w);
	return 0;
}
