/* swid_tag.c - bounded parse of one ISO/IEC 19770-2:2015 SWID tag with
 * libxml2's streaming reader (see swid_tag.h).  No tree is built: the
 * reader hands out one node at a time, so the element count and depth are
 * checked as the tag is read and only the attributes we keep are copied.
 */
#include "swid_tag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "pa_swima.h"
#include "pa_value.h"
#include "wire.h"

/* Neither network, nor DTD loading or attribute defaulting, nor entity
 * substitution (XML_PARSE_NOENT) nor XInclude; libxml2's own limits stay
 * on (no XML_PARSE_HUGE); the declared encoding is ignored (the input is
 * checked UTF-8).  Errors are returned, not printed. */
#define READER_OPTIONS \
	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC)

struct parse {
	xmlTextReaderPtr reader;
	struct swid_tag *tag;
	const char *reason;
	int err;
};

static int
fail(struct parse *p, int err, const char *reason)
{
	if (p->err == 0) {
		p->err = err;
		p->reason = reason;
	}
	return err;
}

/* libxml2 reports through here instead of stderr; the reader's return
 * value already tells us the tag is malformed. */
static void
ignore_error(void *arg, xmlErrorPtr error)
{
	(void)arg;
	(void)error;
}

/* Refusals that need no XML parser. */
static int
prescan(struct parse *p, const uint8_t *buf, size_t len)
{
	if (len == 0)
		return fail(p, TNC_EINVALID, "tag is empty");
	if (len > SWID_TAG_MAX_LEN)
		return fail(p, TNC_ETOOLONG, "tag is larger than 4 MiB");
	if (!pa_value_is_text((struct bytes){buf, len}))
		return fail(p, TNC_EINVALID, "tag is not UTF-8 text without NUL");
	if (memmem(buf, len, "<!DOCTYPE", 9))
		return fail(p, TNC_EINVALID, "tag has a DOCTYPE (DTDs and entities are refused)");
	if (memmem(buf, len, "<!ENTITY", 8))
		return fail(p, TNC_EINVALID, "tag declares an entity");
	return 0;
}

/* A heap copy of attribute name of the current element, NULL if absent
 * (an attribute longer than SWID_TAG_MAX_TEXT fails p). */
static char *
get_attr(struct parse *p, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(p->reader, (const xmlChar *)name);
	char *copy;

	if (v == NULL)
		return NULL;
	if (strlen((const char *)v) > SWID_TAG_MAX_TEXT) {
		xmlFree(v);
		fail(p, TNC_ETOOLONG, "attribute longer than 4096 octets");
		return NULL;
	}
	copy = strdup((const char *)v);
	xmlFree(v);
	if (copy == NULL)
		fail(p, -ENOMEM, "out of memory");
	return copy;
}

/* xsd:boolean: "true" or "1". */
static bool
get_bool(struct parse *p, const char *name)
{
	char *v = get_attr(p, name);
	bool yes = v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);

	free(v);
	return yes;
}

static bool
in_namespace(struct parse *p)
{
	const xmlChar *ns = xmlTextReaderConstNamespaceUri(p->reader);

	return ns && strcmp((const char *)ns, SWID_TAG_NAMESPACE) == 0;
}

static bool
is_element(struct parse *p, const char *local)
{
	const xmlChar *name = xmlTextReaderConstLocalName(p->reader);

	return name && strcmp((const char *)name, local) == 0 && in_namespace(p);
}

static int
software_identity(struct parse *p)
{
	struct swid_tag *t = p->tag;

	if (!is_element(p, "SoftwareIdentity"))
		return fail(p, TNC_EINVALID,
		    "root element is not an ISO/IEC 19770-2:2015 SoftwareIdentity");
	t->tag_id = get_attr(p, "tagId");
	t->name = get_attr(p, "name");
	t->version = get_attr(p, "version");
	t->version_scheme = get_attr(p, "versionScheme");
	t->corpus = get_bool(p, "corpus");
	t->patch = get_bool(p, "patch");
	t->supplemental = get_bool(p, "supplemental");
	if (p->err)
		return p->err;
	if (t->tag_id == NULL || t->tag_id[0] == 0)
		return fail(p, TNC_EINVALID, "SoftwareIdentity has no tagId");
	if (t->name == NULL || t->name[0] == 0)
		return fail(p, TNC_EINVALID, "SoftwareIdentity has no name");
	return 0;
}

/* True if the space-separated list has word. */
static bool
has_role(const char *roles, const char *word)
{
	size_t n = strlen(word);

	for (const char *s = roles; s && *s;) {
		size_t len = strcspn(s, " \t\r\n");

		if (len == n && strncmp(s, word, n) == 0)
			return true;
		s += len;
		s += strspn(s, " \t\r\n");
	}
	return false;
}

/* An Entity child of SoftwareIdentity. */
static int
entity(struct parse *p)
{
	struct swid_tag *t = p->tag;
	char *role = get_attr(p, "role");
	bool creator = has_role(role, "tagCreator") && t->tag_creator_name == NULL;
	bool software = has_role(role, "softwareCreator") && t->software_creator_name == NULL;

	free(role);
	if (creator) {
		t->tag_creator_regid = get_attr(p, "regid");
		t->tag_creator_name = get_attr(p, "name");
		if (t->tag_creator_name == NULL && p->err == 0)
			return fail(p, TNC_EINVALID, "tagCreator Entity has no name");
	}
	if (software) {
		t->software_creator_regid = get_attr(p, "regid");
		t->software_creator_name = get_attr(p, "name");
		if (t->software_creator_name == NULL && p->err == 0)
			return fail(p, TNC_EINVALID, "softwareCreator Entity has no name");
	}
	return p->err;
}

static int
node(struct parse *p)
{
	int type = xmlTextReaderNodeType(p->reader);
	int depth = xmlTextReaderDepth(p->reader);

	switch (type) {
	case XML_READER_TYPE_DOCUMENT_TYPE:
		return fail(p, TNC_EINVALID, "tag has a DOCTYPE (DTDs and entities are refused)");
	case XML_READER_TYPE_ENTITY_REFERENCE:
	case XML_READER_TYPE_ENTITY:
		return fail(p, TNC_EINVALID, "tag refers to an entity");
	case XML_READER_TYPE_ELEMENT:
		break;
	default:
		return 0;
	}
	if (++p->tag->elements > SWID_TAG_MAX_ELEMENTS)
		return fail(p, TNC_ETOOLONG, "tag has more than 100000 elements");
	if (depth < 0 || depth >= SWID_TAG_MAX_DEPTH)
		return fail(p, TNC_ETOOLONG, "tag nests elements deeper than 32 levels");
	if (depth == 0)
		return software_identity(p);
	if (depth == 1 && is_element(p, "Entity"))
		return entity(p);
	return 0;
}

int
swid_tag_parse(const uint8_t *buf, size_t len, struct swid_tag *ret, const char **ret_reason)
{
	struct swid_tag t;
	struct parse p = {.tag = &t};
	int rc;

	memset(&t, 0, sizeof(t));
	memset(ret, 0, sizeof(*ret));
	if (prescan(&p, buf, len) == 0) {
		xmlInitParser();
		/* UTF-8 whatever the declaration says: the prescan checked it,
		 * so no conversion runs that could fail (libxml2 prints those). */
		p.reader = xmlReaderForMemory((const char *)buf, (int)len, NULL, "UTF-8",
		    READER_OPTIONS);
		if (p.reader == NULL) {
			fail(&p, -ENOMEM, "out of memory");
		} else {
			xmlTextReaderSetStructuredErrorHandler(p.reader, ignore_error, NULL);
			while ((rc = xmlTextReaderRead(p.reader)) == 1 && node(&p) == 0)
				;
			if (rc < 0)
				fail(&p, TNC_EINVALID, "tag is not well-formed XML");
			xmlFreeTextReader(p.reader);
		}
	}
	if (p.err == 0 && t.elements == 0)
		fail(&p, TNC_EINVALID, "tag has no element");
	if (p.err == 0 && t.tag_creator_name == NULL)
		fail(&p, TNC_EINVALID, "tag has no Entity with role tagCreator");
	if (p.err) {
		swid_tag_clear(&t);
		*ret_reason = p.reason;
		return p.err;
	}
	*ret = t;
	return 0;
}

void
swid_tag_clear(struct swid_tag *t)
{
	free(t->tag_id);
	free(t->name);
	free(t->version);
	free(t->version_scheme);
	free(t->tag_creator_regid);
	free(t->tag_creator_name);
	free(t->software_creator_regid);
	free(t->software_creator_name);
	memset(t, 0, sizeof(*t));
}

char *
swid_tag_software_id(const struct swid_tag *t)
{
	struct wire_writer w;

	if (t->tag_creator_regid == NULL || t->tag_id == NULL)
		return NULL;
	wire_writer_init(&w, 2 * SWID_TAG_MAX_TEXT + 3);
	pa_swima_software_id(&w, (struct bytes){(const uint8_t *)t->tag_creator_regid,
	    strlen(t->tag_creator_regid)}, (struct bytes){(const uint8_t *)t->tag_id,
	    strlen(t->tag_id)});
	wire_put_u8(&w, 0);
	if (wire_writer_status(&w)) {
		wire_writer_clear(&w);
		return NULL;
	}
	return (char *)w.buf; /* the writer's heap buffer, now the caller's */
}
