/* outcome.c - the server's verdict and the texts that came with it (see
 * outcome.h).  Everything here was sent by the server: texts are copied with
 * their length and printed with control characters masked. */
#include "outcome.h"

#include <stdlib.h>
#include <string.h>

#include "pb_tnc.h"

void
outcome_init(struct outcome *o)
{
	memset(o, 0, sizeof(*o));
}

void
outcome_reset(struct outcome *o)
{
	for (size_t i = 0; i < o->count; i++) {
		free(o->items[i].text);
		free(o->items[i].lang);
	}
	o->count = 0;
	o->have_assessment = o->have_recommendation = false;
}

void
outcome_clear(struct outcome *o)
{
	outcome_reset(o);
	free(o->items);
	memset(o, 0, sizeof(*o));
}

static char *
copy_text(struct bytes b)
{
	char *s = malloc(b.len + 1);
	if (!s)
		abort();
	if (b.len)
		memcpy(s, b.ptr, b.len);
	s[b.len] = 0;
	return s;
}

void
outcome_add(struct outcome *o, enum outcome_kind kind, uint16_t imv, uint32_t value,
    struct bytes text, struct bytes lang)
{
	if (o->count == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 8;
		struct outcome_item *p = realloc(o->items, cap * sizeof(*p));
		if (!p)
			abort();
		o->items = p;
		o->cap = cap;
	}
	o->items[o->count++] = (struct outcome_item){kind, imv, value, copy_text(text),
	    copy_text(lang)};
}

/* "allow", "isolate", "no access" (also without a recommendation). */
static const char *
recommendation_word(const struct outcome *o)
{
	if (o->have_recommendation && o->recommendation == PB_ACCESS_ALLOWED)
		return "allow";
	if (o->have_recommendation && o->recommendation == PB_ACCESS_QUARANTINED)
		return "isolate";
	return "no access";
}

int
outcome_exit_code(const struct outcome *o)
{
	if (o->have_recommendation && o->recommendation == PB_ACCESS_ALLOWED)
		return OUTCOME_EXIT_ALLOW;
	if (o->have_recommendation && o->recommendation == PB_ACCESS_QUARANTINED)
		return OUTCOME_EXIT_ISOLATE;
	return OUTCOME_EXIT_NO_ACCESS;
}

/* s on one line: trailing white space dropped, line breaks and tabs shown
 * as blanks, other control characters (and DEL) as '?'. */
static void
put_text(FILE *f, const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && strchr(" \t\r\n", s[n - 1]))
		n--;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t' || c == '\r' || c == '\n')
			c = ' ';
		else if (c < 0x20 || c == 0x7f)
			c = '?';
		fputc(c, f);
	}
}

static void
put_lang(FILE *f, const char *lang)
{
	if (!lang[0])
		return;
	fputs(" [", f);
	put_text(f, lang);
	fputc(']', f);
}

static void
print_item(const struct outcome_item *it, FILE *f)
{
	switch (it->kind) {
	case OUTCOME_REASON:
		fputs("reason string", f);
		put_lang(f, it->lang);
		break;
	case OUTCOME_REMEDIATION_URI:
		fputs("remediation URI", f);
		break;
	case OUTCOME_REMEDIATION_TEXT:
		fputs("remediation string", f);
		put_lang(f, it->lang);
		break;
	case OUTCOME_REMEDIATION_OTHER:
		fputs("remediation parameters", f);
		break;
	case OUTCOME_IMV_ASSESSMENT:
		fprintf(f, "IMV %u assessment result: %s\n", it->imv,
		    pb_assessment_result_name(it->value));
		return;
	case OUTCOME_IMV_REMEDIATION:
		fprintf(f, "IMV %u remediation instructions", it->imv);
		put_lang(f, it->lang);
		break;
	}
	fputs(": ", f);
	put_text(f, it->text);
	fputc('\n', f);
}

void
outcome_print(const struct outcome *o, FILE *f)
{
	fprintf(f, "access recommendation: %s", recommendation_word(o));
	if (o->have_recommendation)
		fprintf(f, " (%s)\n", pb_access_recommendation_name(o->recommendation));
	else
		fputs(" (the server sent no PB-Access-Recommendation)\n", f);
	if (o->have_assessment)
		fprintf(f, "assessment result: %s\n", pb_assessment_result_name(o->assessment));
	else
		fputs("assessment result: none\n", f);
	/* the PB-TNC texts first, then the IMVs', each in the order received */
	static const enum outcome_kind order[] = {OUTCOME_REASON, OUTCOME_REMEDIATION_URI,
	    OUTCOME_REMEDIATION_TEXT, OUTCOME_REMEDIATION_OTHER, OUTCOME_IMV_ASSESSMENT,
	    OUTCOME_IMV_REMEDIATION};
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (size_t i = 0; i < o->count; i++)
			if (o->items[i].kind == order[k])
				print_item(&o->items[i], f);
}
