/* log.h - one line per event, "NN[SUB] text".
 *
 * Each process filters by its own per-subsystem levels (-1 silent .. 4 most
 * verbose) and hands the surviving lines to one output.  A line has a
 * level (how much detail it is: LOG(sub, level, ...)) and a severity (how
 * much it matters, syslog's numbers): LOG_ERR and LOG_WARN are level 0 with
 * severity err and warning; LOG lines are notice at level 0, info at 1 and
 * debug above.  Every line carries the source file and line of the event.
 * Children write "SUB L S FILE:LINE text\n" to their log pipe; tncd stamps
 * the slot NN (a child cannot impersonate another) and writes to stderr or
 * the journal.  Secrets have no formatter: never pass key material here.
 */
#ifndef TNC_LOG_H
#define TNC_LOG_H

#include <stdarg.h>
#include <stddef.h>

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

/* syslog(3) priorities, as the journal's PRIORITY field has them. */
enum log_severity {
	LOG_SEV_ERR = 3,
	LOG_SEV_WARNING = 4,
	LOG_SEV_NOTICE = 5,
	LOG_SEV_INFO = 6,
	LOG_SEV_DEBUG = 7,
};

struct log_event {
	enum log_subsys sub;
	int level;
	enum log_severity severity;
	const char *file; /* source file name of the event, "tls_conn.c" */
	int line;
	const char *text;
};

typedef void log_output_fn(const struct log_event *e, void *ctx);

const char *log_subsys_name(enum log_subsys sub);
/* Case-insensitive; -1 when unknown. */
int log_subsys_parse(const char *name);

void log_set_level(enum log_subsys sub, int level);
void log_set_all_levels(int level);
int log_level(enum log_subsys sub);

/* Where lines go; the default writes "00[SUB] text" to stderr. */
void log_set_output(log_output_fn *out, void *ctx);

/* The severity of a LOG line of that level. */
enum log_severity log_level_severity(int level);
const char *log_severity_name(enum log_severity sev); /* "err", "warning", ... */

void log_msg(enum log_subsys sub, int level, enum log_severity sev, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void log_vmsg(enum log_subsys sub, int level, enum log_severity sev, const char *file, int line,
    const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

#define LOG_AT_(sub, level, sev, ...)                                            \
	do {                                                                     \
		if ((level) <= log_level(LOG_##sub))                             \
			log_msg(LOG_##sub, (level), (sev), __FILE_NAME__, __LINE__, \
			    __VA_ARGS__);                                        \
	} while (0)
/* LOG(TNC, 1, "...") skips formatting when the level is filtered out. */
#define LOG(sub, level, ...) LOG_AT_(sub, level, log_level_severity(level), __VA_ARGS__)
/* A hex dump as the seeds show them: "=> N bytes", then lines of "OFF: 16
 * octets in hex, then as text" (no memory address: logs must not reveal
 * the layout).  At most LOG_HEX_MAX octets; the rest is counted. */
#define LOG_HEX_MAX 16384
void log_hex(enum log_subsys sub, int level, const char *file, int line, const void *p, size_t n);
#define LOG_HEX(sub, level, p, n)                                                  \
	do {                                                                       \
		if ((level) <= log_level(LOG_##sub))                               \
			log_hex(LOG_##sub, (level), __FILE_NAME__, __LINE__, (p), (n)); \
	} while (0)

/* Something failed: a listener that cannot bind, a child that died. */
#define LOG_ERR(sub, ...) LOG_AT_(sub, 0, LOG_SEV_ERR, __VA_ARGS__)
/* Something is wrong but handled: a peer's protocol error, a limit reached. */
#define LOG_WARN(sub, ...) LOG_AT_(sub, 0, LOG_SEV_WARNING, __VA_ARGS__)

#endif
