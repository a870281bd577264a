/* swima_names.c - a Software Identifier's regid, package and version (see
 * swima_names.h). */
#include "swima_names.h"

#include <stdio.h>
#include <string.h>

void
swima_names_prefix(char *prefix, size_t size, const char *product, const char *version)
{
	prefix[0] = 0;
	if (!product[0] || !version[0] || (size_t)snprintf(prefix, size, "%s_%s-", product,
	    version) >= size) {
		prefix[0] = 0;
		return;
	}
	size_t product_len = strlen(product);
	for (char *p = prefix; *p; p++)
		if (*p == ' ')
			*p = (size_t)(p - prefix) < product_len ? '_' : '-';
}

/* The offset of the version in rest[0..len), 0 when there is none. */
static size_t
version_start(const char *rest, size_t len)
{
	for (size_t i = 1; i + 1 < len; i++) {
		if (rest[i] != '-' || rest[i + 1] < '0' || rest[i + 1] > '9')
			continue;
		unsigned hyphens = 0;
		for (size_t j = i + 1; j < len; j++)
			hyphens += rest[j] == '-';
		if (hyphens <= 1)
			return i + 1;
	}
	return 0;
}

void
swima_names_parts(struct ipc_sw_id *id, const char *prefix, char *pkg_buf)
{
	const char *name = (const char *)id->name.ptr;
	size_t len = id->name.len;
	const char *sep = memmem(name, len, "__", 2);

	id->package = id->version = id->regid = (struct bytes){0};
	if (!sep || sep == name || (size_t)(sep - name) > IPC_POLICY_VALUE_MAX)
		return;
	id->regid = (struct bytes){id->name.ptr, (size_t)(sep - name)};
	const char *tag_id = sep + 2;
	size_t tag_len = len - (size_t)(tag_id - name), plen = strlen(prefix);
	if (!plen || tag_len <= plen || memcmp(tag_id, prefix, plen))
		return;
	const char *rest = tag_id + plen;
	size_t rest_len = tag_len - plen, v = version_start(rest, rest_len);
	if (!v || v - 1 > IPC_POLICY_VALUE_MAX || rest_len - v > IPC_POLICY_VALUE_MAX)
		return;
	for (size_t i = 0; i < v - 1; i++)
		pkg_buf[i] = rest[i] == '~' ? '+' : rest[i];
	id->package = (struct bytes){(const uint8_t *)pkg_buf, v - 1};
	id->version = (struct bytes){(const uint8_t *)rest + v, rest_len - v};
}
