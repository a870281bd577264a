/* log_line.c - see log_line.h. */
#include "log_line.h"

#include <stdlib.h>
#include <string.h>

static bool
parse_int(const char *s, int min, int max, int *ret)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < min || v > max)
		return false;
	*ret = (int)v;
	return true;
}

/* "FILE:LINE" of a source file name. */
static bool
parse_location(char *s, struct log_event *e)
{
	char *colon = strrchr(s, ':');
	if (!colon || colon == s || colon - s > 64)
		return false;
	*colon = 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			return false;
	e->file = s;
	return parse_int(colon + 1, 1, 1000000, &e->line);
}

bool
log_line_parse(char *line, struct log_event *e)
{
	char *word[4], *p = line;
	int sub, sev;
	for (int i = 0; i < 4; i++) {
		word[i] = p;
		if (!(p = strchr(p, ' ')))
			return false;
		*p++ = 0;
	}
	if ((sub = log_subsys_parse(word[0])) < 0 ||
	    !parse_int(word[1], LOG_LEVEL_MIN, LOG_LEVEL_MAX, &e->level) ||
	    !parse_int(word[2], LOG_SEV_ERR, LOG_SEV_DEBUG, &sev) || !parse_location(word[3], e))
		return false;
	e->sub = (enum log_subsys)sub;
	e->severity = (enum log_severity)sev;
	e->text = p;
	return true;
}
