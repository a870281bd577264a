/* imc_swima_answer.c - inventory and events attribute values (see
 * imc_swima_answer.h).
 *
 * The records are collected as views first (the tags generated into a
 * list kept until the value is encoded), then handed to the codec's
 * encoder in one call.
 */
#include "imc_swima_answer.h"

#include <stdlib.h>
#include <string.h>

static int
cmp_bytes(const struct bytes *a, const struct bytes *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = n ? memcmp(a->ptr, b->ptr, n) : 0;
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

static int
cmp_id(const void *a, const void *b)
{
	return cmp_bytes(a, b);
}

void
imc_swima_targets_init(struct imc_swima_targets *t, const struct pa_swima_request *req)
{
	struct pa_swima_ids_iter it;
	struct bytes id;

	t->n = 0;
	t->ids = NULL;
	if (req->count == 0)
		return;
	if (!(t->ids = calloc(req->count, sizeof(*t->ids))))
		abort();
	pa_swima_ids_iter_init(&it, req->ids);
	while (t->n < req->count && pa_swima_ids_next(&it, &id))
		t->ids[t->n++] = id;
	qsort(t->ids, t->n, sizeof(*t->ids), cmp_id);
}

void
imc_swima_targets_clear(struct imc_swima_targets *t)
{
	free(t->ids);
	t->ids = NULL;
	t->n = 0;
}

bool
imc_swima_targets_has(const struct imc_swima_targets *t, const char *id)
{
	struct bytes key = {(const uint8_t *)id, strlen(id)};

	return t->n == 0 || bsearch(&key, t->ids, t->n, sizeof(*t->ids), cmp_id) != NULL;
}

/* The generated tags of one answer, freed together. */
struct tags {
	uint8_t **v;
	size_t n;
};

static void
tags_clear(struct tags *tags)
{
	for (size_t i = 0; i < tags->n; i++)
		free(tags->v[i]);
	free(tags->v);
}

/* The record of p; with its tag (kept in tags) unless ids_only. */
static int
fill_record(struct pa_swima_record *r, const struct sw_naming *n, const struct sw_package *p,
    bool ids_only, struct tags *tags)
{
	*r = (struct pa_swima_record){.record_id = p->record_id, .dm_pen = 0,
	    .dm_type = PA_SWIMA_DM_ISO_2015, .source_id = 0,
	    .sw_id = {(const uint8_t *)p->sw_id, strlen(p->sw_id)}};
	if (ids_only)
		return 0;
	size_t len;
	int err = sw_inventory_package_tag(n, p, &tags->v[tags->n], &len);
	if (err)
		return err;
	r->record = (struct bytes){tags->v[tags->n++], len};
	return 0;
}

int
imc_swima_answer_inventory(struct wire_writer *w, const struct sw_naming *n,
    const struct sw_inventory *inv, const struct imc_swima_targets *t,
    struct imc_swima_answer *a)
{
	struct pa_swima_record *recs = calloc(inv->count ? inv->count : 1, sizeof(*recs));
	struct tags tags = {calloc(inv->count ? inv->count : 1, sizeof(uint8_t *)), 0};
	int err = 0;

	if (!recs || !tags.v)
		abort();
	a->count = 0;
	/* the inventory is sorted and each identifier is in it once, so a
	 * target named twice still gives one record */
	for (size_t i = 0; i < inv->count && !err; i++)
		if (imc_swima_targets_has(t, inv->v[i].sw_id))
			err = fill_record(&recs[a->count++], n, &inv->v[i], a->ids_only, &tags);
	if (!err) {
		struct pa_swima_inventory v = {.with_records = !a->ids_only, .flags = 0,
		    .request_id = a->request_id, .eid_epoch = a->epoch, .last_eid = a->last_eid};
		pa_swima_inventory_encode(w, &v, recs, a->count);
	}
	tags_clear(&tags);
	free(recs);
	return err;
}

int
imc_swima_answer_events(struct wire_writer *w, const struct sw_naming *n,
    const struct sw_events *ev, size_t first, size_t count,
    const struct imc_swima_targets *t, struct imc_swima_answer *a)
{
	struct pa_swima_event *out = calloc(count ? count : 1, sizeof(*out));
	struct tags tags = {calloc(count ? count : 1, sizeof(uint8_t *)), 0};
	int err = 0;

	if (!out || !tags.v)
		abort();
	a->count = 0;
	for (size_t i = first; i < first + count && i < ev->count && !err; i++) {
		const struct sw_event *e = &ev->v[i];
		if (!imc_swima_targets_has(t, e->pkg.sw_id))
			continue;
		struct pa_swima_event *o = &out[a->count++];
		o->eid = e->eid;
		o->timestamp = (struct bytes){(const uint8_t *)e->timestamp, PA_SWIMA_TIMESTAMP_LEN};
		o->action = e->action;
		err = fill_record(&o->rec, n, &e->pkg, a->ids_only, &tags);
	}
	if (!err) {
		struct pa_swima_events v = {.with_records = !a->ids_only, .flags = 0,
		    .request_id = a->request_id, .eid_epoch = a->epoch, .last_eid = a->last_eid,
		    .last_consulted_eid = a->last_eid};
		pa_swima_events_encode(w, &v, out, a->count);
	}
	tags_clear(&tags);
	free(out);
	return err;
}
