/* os_version.c - Debian's version order (see os_version.h). */
#include "os_version.h"

#include <stdbool.h>
#include <string.h>

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_letter(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Weight of a character in a non-digit run; c < 0 is the end of the run
 * (a digit or the end of the part). */
static int
weight(int c)
{
	if (c == '~')
		return -1;
	if (c < 0)
		return 0;
	return is_letter(c) ? c : c + 256;
}

static int
at(struct bytes s, size_t i)
{
	return i < s.len ? s.ptr[i] : -1;
}

/* Compares two digit strings as numbers, however long. */
static int
cmp_digits(struct bytes a, struct bytes b)
{
	while (a.len && a.ptr[0] == '0')
		a.ptr++, a.len--;
	while (b.len && b.ptr[0] == '0')
		b.ptr++, b.len--;
	if (a.len != b.len)
		return a.len < b.len ? -1 : 1;
	return a.len ? memcmp(a.ptr, b.ptr, a.len) : 0;
}

static size_t
digit_run(struct bytes s, size_t i)
{
	size_t n = 0;
	while (is_digit(at(s, i + n)))
		n++;
	return n;
}

/* One part (upstream or revision) against another. */
static int
cmp_part(struct bytes a, struct bytes b)
{
	size_t i = 0, j = 0;

	while (i < a.len || j < b.len) {
		for (;;) {
			int ca = is_digit(at(a, i)) ? -1 : at(a, i);
			int cb = is_digit(at(b, j)) ? -1 : at(b, j);
			if (ca < 0 && cb < 0)
				break;
			if (weight(ca) != weight(cb))
				return weight(ca) < weight(cb) ? -1 : 1;
			i++;
			j++;
		}
		size_t na = digit_run(a, i), nb = digit_run(b, j);
		int r = cmp_digits((struct bytes){a.ptr + i, na}, (struct bytes){b.ptr + j, nb});
		if (r)
			return r;
		i += na;
		j += nb;
	}
	return 0;
}

struct version {
	struct bytes epoch, upstream, revision;
	bool has_epoch, has_revision;
};

static struct version
split(struct bytes v)
{
	struct version r = {{v.ptr, 0}, v, {v.ptr + v.len, 0}, false, false};
	const uint8_t *colon = v.len ? memchr(v.ptr, ':', v.len) : NULL;
	if (colon) {
		r.has_epoch = true;
		r.epoch = (struct bytes){v.ptr, (size_t)(colon - v.ptr)};
		r.upstream = (struct bytes){colon + 1, v.len - r.epoch.len - 1};
	}
	for (size_t n = r.upstream.len; n > 0; n--)
		if (r.upstream.ptr[n - 1] == '-') {
			r.has_revision = true;
			r.revision = (struct bytes){r.upstream.ptr + n, r.upstream.len - n};
			r.upstream.len = n - 1;
			break;
		}
	return r;
}

int
os_version_cmp(struct bytes a, struct bytes b)
{
	struct version va = split(a), vb = split(b);
	int r = cmp_digits(va.epoch, vb.epoch);
	if (r == 0)
		r = cmp_part(va.upstream, vb.upstream);
	if (r == 0)
		r = cmp_part(va.revision, vb.revision);
	return r;
}

const char *
os_version_check(struct bytes v)
{
	if (v.len == 0)
		return "empty version";
	for (size_t i = 0; i < v.len; i++)
		if (v.ptr[i] == ' ' || v.ptr[i] == '\t')
			return "version has embedded spaces";
	struct version p = split(v);
	if (p.has_epoch) {
		if (p.epoch.len == 0)
			return "epoch in version is empty";
		for (size_t i = 0; i < p.epoch.len; i++)
			if (!is_digit(p.epoch.ptr[i]))
				return "epoch in version is not a number";
	}
	if (p.upstream.len == 0)
		return "nothing after the colon in version";
	if (p.has_revision && p.revision.len == 0)
		return "revision is empty";
	return NULL;
}
