/* imv_endpoint.h - what an IMV knows of the endpoint from IETF/Operating
 * System messages (RFC 5792): its product name and version and its
 * ITA-HSR Device ID, the facts tnc-policy plans a device's workitems by.
 *
 * The SWIMA and Attestation IMVs subscribe to Operating System messages
 * only for these (imv_endpoint_read()); the OS IMV, whose messages they
 * are, reads and answers every attribute itself (imv-os/os_attrs.c) but
 * keeps the same rules: texts as printable ASCII, a Device ID exactly as
 * sent or not at all, and the product as "name version".  No I/O, no
 * logging.
 */
#ifndef TNC_IMV_ENDPOINT_H
#define TNC_IMV_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/* Product name, version and Device ID as kept (String Version and Device
 * ID have 8-bit lengths). */
#define IMV_ENDPOINT_TEXT_MAX 256

struct imv_endpoint {
	bool have_product; /* a Product Information whose name fit */
	bool have_version; /* a String Version */
	char product[IMV_ENDPOINT_TEXT_MAX], version[IMV_ENDPOINT_TEXT_MAX];
	char device[IMV_ENDPOINT_TEXT_MAX]; /* "" when none or not printable */
};

void imv_endpoint_clear(struct imv_endpoint *e);
/* An Operating System message: Product Information, String Version and
 * Device ID taken into e; anything else, and a message or value that does
 * not parse, is ignored (the OS IMV answers it). */
void imv_endpoint_read(struct imv_endpoint *e, const uint8_t *msg, size_t len);
/* Product and device ID known: tnc-policy can plan the workitems. */
bool imv_endpoint_known(const struct imv_endpoint *e);
/* The product as tnc-policy records it: "name version" (name alone
 * without a version). */
void imv_endpoint_product(char *buf, size_t size, const char *name, bool have_version,
    const char *version);

/* b as a C string of printable ASCII (anything else becomes '?'), cut to
 * fit size (> 0); true when all of it fit. */
bool imv_text_copy(char *dst, size_t size, struct bytes b);
/* A Device ID exactly as sent when it is 1..size-1 printable octets, else
 * "" (a cut or altered ID would name another device); true when kept. */
bool imv_device_id_copy(char *dst, size_t size, struct bytes id);

#endif
