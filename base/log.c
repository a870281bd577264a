/* log.c - level filter and output indirection for log lines (see log.h). */
#include "log.h"

#include <stdint.h>
#include <stdio.h>
#include <strings.h>

static const char *const subsys_names[LOG_SUBSYS_COUNT] = {
#define LOG_SUBSYS_NAME(name) #name,
	LOG_SUBSYS_MAP(LOG_SUBSYS_NAME)
#undef LOG_SUBSYS_NAME
};

static int levels[LOG_SUBSYS_COUNT] = {
#define LOG_SUBSYS_DEFAULT(name) LOG_LEVEL_DEFAULT,
	LOG_SUBSYS_MAP(LOG_SUBSYS_DEFAULT)
#undef LOG_SUBSYS_DEFAULT
};

static void
stderr_output(const struct log_event *e, void *ctx)
{
	fprintf(stderr, "00[%s] %s\n", subsys_names[e->sub], e->text);
}

static log_output_fn *output = stderr_output;
static void *output_ctx;

const char *
log_subsys_name(enum log_subsys sub)
{
	return (unsigned)sub < LOG_SUBSYS_COUNT ? subsys_names[sub] : "???";
}

int
log_subsys_parse(const char *name)
{
	for (int i = 0; i < LOG_SUBSYS_COUNT; i++)
		if (strcasecmp(name, subsys_names[i]) == 0)
			return i;
	return -1;
}

static int
clamp_level(int level)
{
	if (level < LOG_LEVEL_MIN)
		return LOG_LEVEL_MIN;
	return level > LOG_LEVEL_MAX ? LOG_LEVEL_MAX : level;
}

void
log_set_level(enum log_subsys sub, int level)
{
	if ((unsigned)sub < LOG_SUBSYS_COUNT)
		levels[sub] = clamp_level(level);
}

void
log_set_all_levels(int level)
{
	for (int i = 0; i < LOG_SUBSYS_COUNT; i++)
		levels[i] = clamp_level(level);
}

int
log_level(enum log_subsys sub)
{
	return (unsigned)sub < LOG_SUBSYS_COUNT ? levels[sub] : LOG_LEVEL_MIN;
}

void
log_set_output(log_output_fn *out, void *ctx)
{
	output = out ? out : stderr_output;
	output_ctx = ctx;
}

enum log_severity
log_level_severity(int level)
{
	return level <= 0 ? LOG_SEV_NOTICE : level == 1 ? LOG_SEV_INFO : LOG_SEV_DEBUG;
}

const char *
log_severity_name(enum log_severity sev)
{
	switch (sev) {
	case LOG_SEV_ERR: return "err";
	case LOG_SEV_WARNING: return "warning";
	case LOG_SEV_NOTICE: return "notice";
	case LOG_SEV_INFO: return "info";
	case LOG_SEV_DEBUG: return "debug";
	}
	return "?";
}

void
log_vmsg(enum log_subsys sub, int level, enum log_severity sev, const char *file, int line,
    const char *fmt, va_list ap)
{
	if (level > log_level(sub))
		return;
	char text[LOG_LINE_MAX];
	vsnprintf(text, sizeof(text), fmt, ap);
	struct log_event e = {sub, level, sev, file, line, text};
	output(&e, output_ctx);
}

void
log_msg(enum log_subsys sub, int level, enum log_severity sev, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(sub, level, sev, file, line, fmt, ap);
	va_end(ap);
}

void
log_hex(enum log_subsys sub, int level, const char *file, int line, const void *p, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	const uint8_t *b = p;
	size_t shown = n < LOG_HEX_MAX ? n : LOG_HEX_MAX;
	enum log_severity sev = log_level_severity(level);

	log_msg(sub, level, sev, file, line, "=> %zu bytes", n);
	for (size_t off = 0; off < shown; off += 16) {
		char hex[16 * 3 + 1], text[17];
		size_t k = 0, len = shown - off < 16 ? shown - off : 16;
		for (size_t i = 0; i < len; i++) {
			uint8_t c = b[off + i];
			hex[k++] = digits[c >> 4];
			hex[k++] = digits[c & 15];
			hex[k++] = ' ';
			text[i] = c >= 0x20 && c < 0x7f ? (char)c : '.';
		}
		hex[k ? k - 1 : 0] = 0;
		text[len] = 0;
		log_msg(sub, level, sev, file, line, "%zu: %s %s", off, hex, text);
	}
	if (shown < n)
		log_msg(sub, level, sev, file, line, "(%zu more bytes not shown)", n - shown);
}
