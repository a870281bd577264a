/* os_version.c - the simple, documented version order of os_version.h. */
#include "os_version.h"

#include <stdbool.h>
#include <string.h>

static bool
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* Rank of a character in a non-digit run; c < 0 is the end of the run. */
static int
rank(int c)
{
	if (c == '~')
		return -1;
	return c < 0 ? 0 : c + 1;
}

/* Compares the digit runs at *a and *b as numbers and advances both. */
static int
cmp_number(struct bytes *a, struct bytes *b)
{
	size_t na = 0, nb = 0;

	while (a->len && a->ptr[0] == '0') {
		a->ptr++;
		a->len--;
	}
	while (b->len && b->ptr[0] == '0') {
		b->ptr++;
		b->len--;
	}
	while (na < a->len && is_digit(a->ptr[na]))
		na++;
	while (nb < b->len && is_digit(b->ptr[nb]))
		nb++;
	int r = na != nb ? (na < nb ? -1 : 1) : na ? memcmp(a->ptr, b->ptr, na) : 0;
	a->ptr += na;
	a->len -= na;
	b->ptr += nb;
	b->len -= nb;
	return r;
}

/* Compares the non-digit runs at *a and *b and advances both. */
static int
cmp_text(struct bytes *a, struct bytes *b)
{
	for (;;) {
		int ca = a->len && !is_digit(a->ptr[0]) ? a->ptr[0] : -1;
		int cb = b->len && !is_digit(b->ptr[0]) ? b->ptr[0] : -1;
		if (ca < 0 && cb < 0)
			return 0;
		if (rank(ca) != rank(cb))
			return rank(ca) < rank(cb) ? -1 : 1;
		a->ptr++;
		a->len--;
		b->ptr++;
		b->len--;
	}
}

/* The epoch "N:" at the start of v (an empty view when there is none);
 * v is advanced past it. */
static struct bytes
epoch(struct bytes *v)
{
	size_t n = 0;
	while (n < v->len && is_digit(v->ptr[n]))
		n++;
	if (n == 0 || n >= v->len || v->ptr[n] != ':')
		return (struct bytes){v->ptr, 0};
	struct bytes e = {v->ptr, n};
	v->ptr += n + 1;
	v->len -= n + 1;
	return e;
}

int
os_version_cmp(struct bytes a, struct bytes b)
{
	struct bytes ea = epoch(&a), eb = epoch(&b);
	int r = cmp_number(&ea, &eb);

	while (r == 0 && (a.len || b.len)) {
		r = cmp_text(&a, &b);
		if (r == 0)
			r = cmp_number(&a, &b);
	}
	return r;
}
