/* sasl_rate.c - password verifications per second (see sasl_rate.h): the
 * sources of the current window in an array of at most total entries,
 * searched linearly (a few hundred keys: nothing beside one Argon2id run). */
#include "sasl_rate.h"

#include <stdlib.h>
#include <string.h>

#define WINDOW_MS 1000

struct seen {
	struct source_key key;
	unsigned count;
};

static struct {
	unsigned per_source, total;
	uint64_t window_start;
	unsigned used;     /* verifications in this window */
	bool refused;      /* a refusal in this window */
	struct seen *seen; /* [total] */
	unsigned nseen;
} rate;

void
sasl_rate_init(unsigned per_source, unsigned total)
{
	free(rate.seen);
	memset(&rate, 0, sizeof(rate));
	rate.per_source = per_source;
	rate.total = total;
	rate.seen = calloc(total ? total : 1, sizeof(*rate.seen));
	if (!rate.seen)
		abort();
}

static int
refuse(bool whole, bool *ret_whole, bool *ret_first_refusal)
{
	*ret_whole = whole;
	*ret_first_refusal = !rate.refused;
	rate.refused = true;
	return TNC_EAGAIN;
}

int
sasl_rate_take(const struct source_key *key, uint64_t now_ms, bool *ret_whole,
    bool *ret_first_refusal)
{
	if (now_ms >= rate.window_start + WINDOW_MS) {
		rate.window_start = now_ms;
		rate.used = rate.nseen = 0;
		rate.refused = false;
	}
	if (rate.used >= rate.total)
		return refuse(true, ret_whole, ret_first_refusal);
	struct seen *s = NULL;
	for (unsigned i = 0; i < rate.nseen && !s; i++)
		if (memcmp(&rate.seen[i].key, key, sizeof(*key)) == 0)
			s = &rate.seen[i];
	if (s && s->count >= rate.per_source)
		return refuse(false, ret_whole, ret_first_refusal);
	if (!s) { /* nseen <= used < total */
		s = &rate.seen[rate.nseen++];
		s->key = *key;
		s->count = 0;
	}
	s->count++;
	rate.used++;
	return 0;
}
