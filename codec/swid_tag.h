/* swid_tag.h - one ISO/IEC 19770-2:2015 SWID tag: the fields the SWIMA
 * IMV keeps, read with libxml2's streaming reader, and a minimal tag
 * written with its text writer (for the SWIMA IMC).
 *
 * The parser is bounded and refuses before libxml2 sees the input: an
 * empty or oversized tag, one that is not UTF-8 without NUL (so UTF-16 and
 * other encodings cannot hide markup from the scan; libxml2 then reads it
 * as UTF-8 whatever it declares), a DOCTYPE or ENTITY declaration (so no
 * DTD, no external entity, no entity expansion: billion laughs is refused
 * after one scan).  libxml2 then runs without network access, without DTD
 * loading and without entity substitution, and stops at the first element
 * past SWID_TAG_MAX_ELEMENTS or SWID_TAG_MAX_DEPTH.  Every failure names
 * its cause in a static reason.  No I/O, no logging.
 */
#ifndef TNC_SWID_TAG_H
#define TNC_SWID_TAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SWID_TAG_NAMESPACE "http://standards.iso.org/iso/19770/-2/2015/schema.xsd"
#define SWID_TAG_MAX_LEN (4u << 20) /* octets of one tag: 4 MiB */
#define SWID_TAG_MAX_DEPTH 32
#define SWID_TAG_MAX_ELEMENTS 100000
#define SWID_TAG_MAX_TEXT 4096 /* octets of one attribute we keep */

/* The tag's fields; strings are NUL-terminated heap copies (NULL when the
 * attribute or entity is absent), released by swid_tag_clear(). */
struct swid_tag {
	char *tag_id;         /* SoftwareIdentity tagId, required */
	char *name;           /* SoftwareIdentity name, required */
	char *version;        /* NULL: absent (ISO default "0.0") */
	char *version_scheme; /* NULL: absent (ISO default "multipartnumeric") */
	bool corpus, patch, supplemental;
	/* The first Entity whose role has tagCreator (required) and the first
	 * whose role has softwareCreator. */
	char *tag_creator_regid; /* NULL: absent (ISO default http://invalid.unavailable) */
	char *tag_creator_name;
	char *software_creator_regid;
	char *software_creator_name;
	size_t elements; /* elements in the tag */
};

/* Parses buf[0..len).  On failure returns TNC_EINVALID (malformed or not a
 * SWID tag) or TNC_ETOOLONG (a limit), leaves *ret zeroed and sets
 * *ret_reason. */
int swid_tag_parse(const uint8_t *buf, size_t len, struct swid_tag *ret,
    const char **ret_reason) TNC_MUST_CHECK;
void swid_tag_clear(struct swid_tag *t);

/* The Software Identifier "<tagCreator regid>__<tagId>" as a heap string;
 * NULL when the tag has no tagCreator regid or memory runs out. */
char *swid_tag_software_id(const struct swid_tag *t);

/* A minimal primary tag: SoftwareIdentity (name, tagId, version,
 * versionScheme) with one tagCreator Entity (name, regid).  Every field is
 * non-empty UTF-8 text of at most SWID_TAG_MAX_TEXT octets; version_scheme
 * may be NULL. */
struct swid_tag_spec {
	const char *tag_id;
	const char *name;
	const char *version;
	const char *version_scheme;
	const char *entity_name;
	const char *regid;
};
/* *ret (heap, *ret_len octets, NUL-terminated) is the tag as UTF-8 XML. */
int swid_tag_generate(const struct swid_tag_spec *s, uint8_t **ret, size_t *ret_len)
    TNC_MUST_CHECK;

#endif
