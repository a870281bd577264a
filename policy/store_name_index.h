/* store_name_index.h - names to entry numbers, for the store's in-memory
 * caches (a product's packages, a product's reference hashes): built once
 * over the entries, probed per look-up (open addressing, FNV-1a). */
#ifndef TNC_STORE_NAME_INDEX_H
#define TNC_STORE_NAME_INDEX_H

#include <stddef.h>

struct store_name_index {
	size_t mask;
	size_t *slots; /* entry number + 1, 0 = free */
};

/* Indexes the n entries of an array of structs of size stride whose
 * name (a const char *) is at offset in each. */
void store_name_index_build(struct store_name_index *x, const void *entries, size_t stride,
    size_t offset, size_t n);
/* The number of the entry called name; SIZE_MAX when there is none. */
size_t store_name_index_find(const struct store_name_index *x, const void *entries,
    size_t stride, size_t offset, const char *name);
void store_name_index_free(struct store_name_index *x);

#endif
