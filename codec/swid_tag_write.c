/* swid_tag_write.c - a minimal ISO/IEC 19770-2:2015 primary tag written
 * with libxml2's text writer, which escapes the attribute values (see
 * swid_tag.h).
 */
#include "swid_tag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "pa_value.h"

static bool
is_field(const char *s)
{
	size_t len = s ? strlen(s) : 0;

	return len > 0 && len <= SWID_TAG_MAX_TEXT &&
	    pa_value_is_text((struct bytes){(const uint8_t *)s, len});
}

static bool
attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterWriteAttribute(w, (const xmlChar *)name, (const xmlChar *)value) >= 0;
}

/* The document into w; false if the writer failed. */
static bool
write_tag(xmlTextWriterPtr w, const struct swid_tag_spec *s)
{
	return xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) >= 0 &&
	    xmlTextWriterStartElement(w, (const xmlChar *)"SoftwareIdentity") >= 0 &&
	    attr(w, "xmlns", SWID_TAG_NAMESPACE) && attr(w, "name", s->name) &&
	    attr(w, "tagId", s->tag_id) && attr(w, "version", s->version) &&
	    (s->version_scheme == NULL || attr(w, "versionScheme", s->version_scheme)) &&
	    xmlTextWriterStartElement(w, (const xmlChar *)"Entity") >= 0 &&
	    attr(w, "name", s->entity_name) && attr(w, "regid", s->regid) &&
	    attr(w, "role", "tagCreator") &&
	    xmlTextWriterEndElement(w) >= 0 &&  /* Entity */
	    xmlTextWriterEndElement(w) >= 0 &&  /* SoftwareIdentity */
	    xmlTextWriterEndDocument(w) >= 0;
}

int
swid_tag_generate(const struct swid_tag_spec *s, uint8_t **ret, size_t *ret_len)
{
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	uint8_t *out = NULL;
	size_t len = 0;
	bool ok;

	if (!is_field(s->tag_id) || !is_field(s->name) || !is_field(s->version) ||
	    (s->version_scheme && !is_field(s->version_scheme)) || !is_field(s->entity_name) ||
	    !is_field(s->regid))
		return TNC_EINVALID;
	if ((buf = xmlBufferCreate()) == NULL)
		return -ENOMEM;
	if ((w = xmlNewTextWriterMemory(buf, 0)) == NULL) {
		xmlBufferFree(buf);
		return -ENOMEM;
	}
	ok = write_tag(w, s);
	xmlFreeTextWriter(w); /* flushes into buf */
	if (ok) {
		len = (size_t)xmlBufferLength(buf);
		if ((out = malloc(len + 1)) != NULL) {
			memcpy(out, xmlBufferContent(buf), len);
			out[len] = 0;
		}
	}
	xmlBufferFree(buf);
	if (!ok)
		return TNC_EINVALID;
	if (out == NULL)
		return -ENOMEM;
	*ret = out;
	*ret_len = len;
	return 0;
}
