/* bit_names.c - see bit_names.h. */
#include "bit_names.h"

#include <stdio.h>

const char *
bit_names_join(const struct bit_name *table, size_t n, unsigned bits, const char *sep,
    char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = 0;
	for (size_t i = 0; i < n && len < size; i++)
		if (bits & table[i].bit) {
			int w = snprintf(buf + len, size - len, "%s%s", len ? sep : "", table[i].name);
			if (w < 0)
				break;
			len += (size_t)w;
		}
	return buf;
}
