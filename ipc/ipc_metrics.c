/* ipc_metrics.c - see ipc_metrics.h. */
#include "ipc_metrics.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc_msg.h"

#define TEXT_MAX 256 /* names, help, labels and values on this wire */

static const char *const type_names[] = {"counter", "gauge", "histogram"};

static void
put_text(struct wire_writer *w, const char *s)
{
	ipc_put_text(w, s, strlen(s));
}

int
ipc_metrics_encode(const struct metric_family *reg, struct wire_writer *w)
{
	unsigned n = 0;
	for (const struct metric_family *f = reg; f; f = f->next)
		n++;
	if (n > UINT16_MAX)
		return TNC_ETOOLONG;
	wire_put_u16(w, (uint16_t)n);
	for (const struct metric_family *f = reg; f; f = f->next) {
		char num[64];
		unsigned nb = f->type == METRIC_HISTOGRAM ? f->nbounds : 0;
		if (nb > METRIC_BUCKETS_MAX)
			nb = METRIC_BUCKETS_MAX;
		put_text(w, f->name);
		wire_put_u8(w, (uint8_t)f->type);
		put_text(w, f->help);
		put_text(w, f->label_name ? f->label_name : "");
		wire_put_u8(w, (uint8_t)nb);
		for (unsigned b = 0; b < nb; b++) {
			snprintf(num, sizeof(num), "%.15g", f->bounds[b]);
			put_text(w, num);
		}
		wire_put_u8(w, (uint8_t)f->nseries);
		for (unsigned i = 0; i < f->nseries; i++) {
			const struct metric_series *s = &f->series[i];
			put_text(w, s->label);
			snprintf(num, sizeof(num), "%.15g", s->value);
			put_text(w, num);
			wire_put_u64(w, s->count);
			for (unsigned b = 0; b < nb; b++)
				wire_put_u64(w, s->bucket[b]);
		}
	}
	return wire_writer_status(w);
}

/* --- decoding --- */

static bool
is_ident(const char *s, bool colon)
{
	if (!*s)
		return false;
	for (const char *p = s; *p; p++) {
		bool letter = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		    (colon && *p == ':');
		if (!letter && !(p > s && *p >= '0' && *p <= '9'))
			return false;
	}
	return true;
}

/* "a" or "a,b": Prometheus label names. */
static bool
are_label_names(const char *s)
{
	char copy[TEXT_MAX];
	snprintf(copy, sizeof(copy), "%s", s);
	char *comma = strchr(copy, ',');
	if (comma)
		*comma = 0;
	return is_ident(copy, false) && (!comma || is_ident(comma + 1, false));
}

static bool
is_number(const char *s)
{
	char *end;
	if (!*s)
		return false;
	(void)strtod(s, &end);
	return *end == 0;
}

static int
get_text(struct wire_reader *r, char *out, size_t size)
{
	uint16_t len;
	struct bytes b;
	int err;
	if ((err = wire_get_u16(r, &len)) || (err = wire_get_bytes(r, len, &b)))
		return err;
	if (len >= size || memchr(b.ptr, 0, len))
		return TNC_EINVALID;
	memcpy(out, b.ptr, len);
	out[len] = 0;
	return 0;
}

/* A label value as Prometheus wants it: \\, \" and \n escaped. */
static void
escape(const char *in, char *out, size_t size)
{
	size_t o = 0;
	for (; *in && o + 3 < size; in++) {
		if (*in == '\\' || *in == '"' || *in == '\n') {
			out[o++] = '\\';
			out[o++] = *in == '\n' ? 'n' : *in;
		} else {
			out[o++] = *in;
		}
	}
	out[o] = 0;
}

/* 'a="x"' or 'a="x",b="y"' from the names "a[,b]" and the values "x[,y]";
 * the number of values must match the number of names. */
static int
label_pairs(const char *names, const char *values, char *out, size_t size)
{
	char n[TEXT_MAX], v[TEXT_MAX], esc[TEXT_MAX * 2];
	snprintf(n, sizeof(n), "%s", names);
	snprintf(v, sizeof(v), "%s", values);
	char *n2 = strchr(n, ','), *v2 = strchr(v, ',');
	if (!n2 != !v2)
		return TNC_EINVALID;
	if (n2) {
		*n2++ = 0;
		*v2++ = 0;
		if (strchr(v2, ','))
			return TNC_EINVALID;
	}
	escape(v, esc, sizeof(esc));
	size_t len = (size_t)snprintf(out, size, "%s=\"%s\"", n, esc);
	if (n2 && len < size) {
		escape(v2, esc, sizeof(esc));
		snprintf(out + len, size - len, ",%s=\"%s\"", n2, esc);
	}
	return 0;
}

struct family_head {
	char name[TEXT_MAX], help[TEXT_MAX], label[TEXT_MAX];
	uint8_t type, nbounds;
	char bounds[METRIC_BUCKETS_MAX][64];
};

static int
emit(int (*fn)(const struct metric_line *, void *), void *arg, const struct family_head *h,
    const char *sample, const char *value)
{
	struct metric_line l = {h->name, type_names[h->type], h->help, sample, value};
	return fn ? fn(&l, arg) : 0;
}

static int
walk_series(struct wire_reader *r, const struct family_head *h,
    int (*fn)(const struct metric_line *, void *), void *arg)
{
	char label[TEXT_MAX], esc[TEXT_MAX * 4], value[64], sample[TEXT_MAX * 6], num[32];
	uint64_t count, bucket, cumulative = 0;
	int err;

	if ((err = get_text(r, label, sizeof(label))) || (err = get_text(r, value, sizeof(value))) ||
	    (err = wire_get_u64(r, &count)))
		return err;
	if (!is_number(value) || (label[0] && !h->label[0]))
		return TNC_EINVALID;
	if (h->type != METRIC_HISTOGRAM) {
		if (h->label[0] && label[0]) {
			if ((err = label_pairs(h->label, label, esc, sizeof(esc))))
				return err;
			snprintf(sample, sizeof(sample), "%s{%s}", h->name, esc);
		} else {
			snprintf(sample, sizeof(sample), "%s", h->name);
		}
		return emit(fn, arg, h, sample, value);
	}
	for (unsigned b = 0; b < h->nbounds; b++) {
		if ((err = wire_get_u64(r, &bucket)))
			return err;
		cumulative += bucket;
		snprintf(sample, sizeof(sample), "%s_bucket{le=\"%s\"}", h->name, h->bounds[b]);
		snprintf(num, sizeof(num), "%llu", (unsigned long long)cumulative);
		if ((err = emit(fn, arg, h, sample, num)))
			return err;
	}
	if (cumulative > count)
		return TNC_EINVALID;
	snprintf(sample, sizeof(sample), "%s_bucket{le=\"+Inf\"}", h->name);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)count);
	if ((err = emit(fn, arg, h, sample, num)))
		return err;
	snprintf(sample, sizeof(sample), "%s_sum", h->name);
	if ((err = emit(fn, arg, h, sample, value)))
		return err;
	snprintf(sample, sizeof(sample), "%s_count", h->name);
	return emit(fn, arg, h, sample, num);
}

static int
walk(struct bytes payload, int (*fn)(const struct metric_line *, void *), void *arg)
{
	struct wire_reader r;
	uint16_t nfam;
	int err;

	wire_reader_init(&r, payload.ptr, payload.len);
	if ((err = wire_get_u16(&r, &nfam)))
		return err;
	for (unsigned i = 0; i < nfam; i++) {
		struct family_head h;
		uint8_t nseries;
		if ((err = get_text(&r, h.name, sizeof(h.name))) || (err = wire_get_u8(&r, &h.type)) ||
		    (err = get_text(&r, h.help, sizeof(h.help))) ||
		    (err = get_text(&r, h.label, sizeof(h.label))) || (err = wire_get_u8(&r, &h.nbounds)))
			return err;
		if (h.type > METRIC_HISTOGRAM || h.nbounds > METRIC_BUCKETS_MAX ||
		    (h.type != METRIC_HISTOGRAM && h.nbounds) || !is_ident(h.name, true) ||
		    (h.label[0] && !are_label_names(h.label)) || strchr(h.help, '\n') ||
		    (h.type == METRIC_HISTOGRAM && h.label[0]))
			return TNC_EINVALID;
		for (unsigned b = 0; b < h.nbounds; b++)
			if ((err = get_text(&r, h.bounds[b], sizeof(h.bounds[b]))) || !is_number(h.bounds[b]))
				return err ? err : TNC_EINVALID;
		if ((err = wire_get_u8(&r, &nseries)))
			return err;
		if ((err = emit(fn, arg, &h, NULL, NULL)))
			return err;
		for (unsigned s = 0; s < nseries; s++)
			if ((err = walk_series(&r, &h, fn, arg)))
				return err;
	}
	return wire_remaining(&r) ? TNC_ETRAILING : 0;
}

int
ipc_metrics_walk(struct bytes payload, int (*fn)(const struct metric_line *l, void *arg), void *arg)
{
	int err = walk(payload, NULL, NULL);
	return err ? err : walk(payload, fn, arg);
}
