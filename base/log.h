/* log.h - one line per event, "NN[SUB] text".
 *
 * Each process filters by its own per-subsystem levels (-1 silent .. 4 most
 * verbose) and hands the surviving lines to one output.  Children write
 * "SUB L text\n" to their log pipe; tncd stamps the slot NN (a child cannot
 * impersonate another) and writes to stderr or the journal.  Secrets have no
 * formatter: never pass key material to these functions.
 */
#ifndef TNC_LOG_H
#define TNC_LOG_H

#include <stdarg.h>

#define LOG_SUBSYS_MAP(X) \
	X(DMN)            \
	X(CFG)            \
	X(IPC)            \
	X(NET)            \
	X(ENC)            \
	X(IKE)            \
	X(TLS)            \
	X(TNC)            \
	X(IMV)            \
	X(PTS)            \
	X(LIB)

enum log_subsys {
#define LOG_SUBSYS_ENUM(name) LOG_##name,
	LOG_SUBSYS_MAP(LOG_SUBSYS_ENUM)
#undef LOG_SUBSYS_ENUM
	LOG_SUBSYS_COUNT
};

#define LOG_LEVEL_MIN (-1)
#define LOG_LEVEL_MAX 4
#define LOG_LEVEL_DEFAULT 1
#define LOG_LINE_MAX 1024 /* longer text is cut */

typedef void log_output_fn(enum log_subsys sub, int level, const char *text, void *ctx);

const char *log_subsys_name(enum log_subsys sub);
/* Case-insensitive; -1 when unknown. */
int log_subsys_parse(const char *name);

void log_set_level(enum log_subsys sub, int level);
void log_set_all_levels(int level);
int log_level(enum log_subsys sub);

/* Where lines go; the default writes "00[SUB] text" to stderr. */
void log_set_output(log_output_fn *out, void *ctx);

void log_msg(enum log_subsys sub, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void log_vmsg(enum log_subsys sub, int level, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* LOG(TNC, 1, "...") skips formatting when the level is filtered out. */
#define LOG(sub, level, ...)                                \
	do {                                                \
		if ((level) <= log_level(LOG_##sub))        \
			log_msg(LOG_##sub, (level), __VA_ARGS__); \
	} while (0)

#endif
