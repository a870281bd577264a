/* fuzz_swid.c - libFuzzer harness for the SWID tag parser and writer
 * (codec/swid_tag.h).
 *
 * The input is one tag.  A refusal must carry a reason and leave the
 * result empty; a tag that parses must have a tagId, a name and a
 * tagCreator, and a minimal tag written from its fields must parse back
 * to the same tagId, name and regid.  Any mismatch aborts.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "swid_tag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

/* A tag written from t's fields parses back to them. */
static void
rewrite(const struct swid_tag *t)
{
	struct swid_tag_spec spec = {
		.tag_id = t->tag_id,
		.name = t->name,
		.version = t->version ? t->version : "0.0",
		.version_scheme = t->version_scheme && *t->version_scheme ? t->version_scheme : NULL,
		.entity_name = t->tag_creator_name,
		.regid = t->tag_creator_regid,
	};
	struct swid_tag back;
	const char *reason;
	uint8_t *xml;
	size_t len;

	/* Fields the writer refuses (empty) are not written. */
	if (!*spec.version || !*spec.entity_name || spec.regid == NULL || !*spec.regid)
		return;
	check(swid_tag_generate(&spec, &xml, &len) == 0);
	check(swid_tag_parse(xml, len, &back, &reason) == 0);
	check(strcmp(back.tag_id, t->tag_id) == 0 && strcmp(back.name, t->name) == 0 &&
	    strcmp(back.tag_creator_regid, t->tag_creator_regid) == 0);
	swid_tag_clear(&back);
	free(xml);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct swid_tag t;
	const char *reason = NULL;
	char *id;

	if (swid_tag_parse(data, size, &t, &reason)) {
		check(reason != NULL && t.tag_id == NULL && t.name == NULL);
		return 0;
	}
	check(t.tag_id && *t.tag_id && t.name && *t.name && t.tag_creator_name && t.elements > 0);
	id = swid_tag_software_id(&t);
	check((id != NULL) == (t.tag_creator_regid != NULL && *t.tag_creator_regid));
	free(id);
	rewrite(&t);
	swid_tag_clear(&t);
	return 0;
}
