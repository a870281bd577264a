/* bit_names.h - a set of flag bits as text, for logs and tables. */
#ifndef TNC_BIT_NAMES_H
#define TNC_BIT_NAMES_H

#include <stddef.h>

struct bit_name {
	unsigned bit;
	const char *name;
};

/* The names of the bits set in `bits`, in table order, joined by sep, into
 * buf (cut to fit); "" when none is set. */
const char *bit_names_join(const struct bit_name *table, size_t n, unsigned bits,
    const char *sep, char *buf, size_t size);

#endif
