/* policyd.h - tnc-policy: the one process that opens the policy database
 * while sessions run (see README.md, "tnc-policy").
 *
 * tnc-tnccs says when an assessment of a connection starts and how it
 * ends; the OS IMV says which product and device the endpoint is.  What
 * arrives for a connection waits here (policyd_pending.c) until its end,
 * when the whole session is written in one transaction through the store
 * (policyd_record.c): in the database a session is whole or absent.
 */
#ifndef TNC_POLICYD_H
#define TNC_POLICYD_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "id_table.h"
#include "ipc_msg.h"
#include "policy_store.h"

#define POLICYD_IDENTITY_MAX 1024 /* the store's identity value bound */
#define POLICYD_IDENTITY_TYPE "ar" /* tnccs-open does not say how tnc-ike authenticated it */

/* A store call failed: an err line, except when the database server went
 * away (-ENOTCONN), which policyd_db.c logs at err once for all calls. */
#define POLICYD_STORE_FAILED(err, ...)                          \
	do {                                                    \
		if ((err) == -ENOTCONN)                         \
			LOG(IMV, 2, __VA_ARGS__);               \
		else                                            \
			LOG_ERR(IMV, __VA_ARGS__);              \
	} while (0)

/* An IMV's answer to one planned workitem. */
struct workitem_answer {
	bool answered;
	uint16_t imv;
	uint8_t rec;  /* enum imv_recommendation */
	char *result; /* at most IPC_POLICY_RESULT_MAX bytes */
};

/* What tnc-policy knows of a connection until its end.  At most
 * TNCCS_SESSIONS_MAX (tnc-tnccs's own bound) wait at once. */
struct pending_session {
	struct id_table_entry entry; /* first: the table hands back entries; id = Connection ID */
	bool started;                /* POLICY_SESSION_START came to this instance */
	bool identity_too_long;
	int64_t time;                /* of the start, Unix seconds */
	char identity[POLICYD_IDENTITY_MAX + 1];
	char peer[64];
	char product[IPC_POLICY_VALUE_MAX + 1];
	char device[IPC_POLICY_VALUE_MAX + 1];
	bool device_conflict; /* an IMV reported another product or device */
	/* the workitems planned when the device was reported (policyd_workitems.c);
	 * workitem N of the session is plan[N - 1] */
	struct ps_workitem *plan;
	struct workitem_answer *answers; /* nplan */
	size_t nplan;
};

struct pending_table {
	struct id_table t;
};

/* policyd_pending.c: an empty table for TNCCS_SESSIONS_MAX connections. */
void pending_init(struct pending_table *p);
/* The connection's entry, made if new; NULL (logged) when
 * TNCCS_SESSIONS_MAX connections wait already. */
struct pending_session *pending_get(struct pending_table *p, uint32_t conn);
struct pending_session *pending_find(struct pending_table *p, uint32_t conn);
void pending_remove(struct pending_table *p, struct pending_session *s);
/* tnc-tnccs is gone: none of its connections will end here. */
void pending_clear(struct pending_table *p);

void pending_start(struct pending_table *p, uint32_t conn, int64_t now,
    const struct ipc_policy_session_start *m);
void pending_device(struct pending_table *p, uint32_t conn, const struct ipc_policy_device *m);

/* policyd_workitems.c: the workitems of conn's device for the IMV imv_id,
 * planned at its first request after the device report (the OS and the
 * attestation IMV share one) and kept for the session's record; *ret views
 * the plan.  TNC_ESTATE when the device was not reported, TNC_EINVALID
 * once IMVs reported different devices or products (the first report's
 * plan and results stay), TNC_ETOOLONG when the IMV has more than
 * IPC_POLICY_WORKITEMS_MAX (fail closed: it gets none), a store error. */
int pending_plan(struct pending_table *p, struct policy_store *store, uint32_t conn, int64_t now,
    uint16_t imv_id, struct ipc_policy_workitems *ret);
/* Verdicts of the installed packages of conn's product, one per package of
 * m in its order, into ret (m->count bytes). */
int pending_verdicts(struct pending_table *p, struct policy_store *store, uint32_t conn,
    const struct ipc_policy_packages *m, uint8_t *ret);
/* The IMV imv_id's result of one of its workitems of conn (once each). */
int pending_result(struct pending_table *p, uint32_t conn, uint16_t imv_id,
    const struct ipc_policy_workitem_result *m);
/* policyd_files.c: the verdicts of the measured files of m (file
 * digests) against the reference hashes of conn's product, one per file in
 * its order, into ret (m->count bytes); -ENOTSUP for IMA template hashes,
 * which pending_file_references() answers.  TNC_ESTATE when no product was
 * reported. */
int pending_files(struct pending_table *p, struct policy_store *store, uint32_t conn,
    const struct ipc_policy_files *m, uint8_t *ret);
/* For m of a template form: the reference digest of each file (u8 length,
 * digest; length 0 when there is none) appended to ret, which the caller
 * initialised and clears. */
int pending_file_references(struct pending_table *p, struct policy_store *store, uint32_t conn,
    const struct ipc_policy_files *m, struct wire_writer *ret);
/* The device of conn as the database has it (trusted, aik_keyid); a
 * device the database does not know yet has neither.  TNC_ESTATE when no
 * device was reported. */
int pending_aik(struct pending_table *p, struct policy_store *store, uint32_t conn,
    struct ps_device *ret);
/* Forgets s's plan and answers (a new assessment, the end). */
void pending_plan_clear(struct pending_session *s);

/* policyd_record.c: the end of connection conn: the whole session in one
 * transaction.  0 with *ret_session, or why it was not recorded (logged):
 * TNC_ENOTFOUND when this instance never saw the start (it was restarted
 * in between), a store error otherwise.  The entry is gone either way: a
 * session that was not recorded is never written later. */
int pending_end(struct pending_table *p, struct policy_store *store, uint32_t conn,
    const struct ipc_policy_session_end *m, int64_t *ret_session);

/* The calls above take a NULL store while the database is down and
 * answer -ENOTCONN at once (fail closed: tnc-tnccs ends such a session
 * without a decision, the OS IMV recommends no access). */

/* policyd_db.c: the connection to a database server.  A store call that
 * fails with -ENOTCONN (the server went away) marks the database down,
 * logged once at err; a timer reconnects, backing off from
 * POLICYD_DB_RETRY_FIRST_MS to POLICYD_DB_RETRY_MAX_MS, each try logged at
 * level 2, the return once at level 1.  A SQLite file never goes down. */
#define POLICYD_DB_RETRY_FIRST_MS 500
#define POLICYD_DB_RETRY_MAX_MS 30000

struct policyd_db {
	struct policy_store *store;
	uv_timer_t retry;
	bool down;
	uint64_t down_since_ns; /* uv_hrtime() at the loss */
	uint64_t delay_ms;      /* before the next try */
	unsigned tries;
};

/* store: open, and kept open across losses (policy_store_reconnect()). */
void policyd_db_init(struct policyd_db *d, uv_loop_t *loop, struct policy_store *store);
/* The store for a request, or NULL while the database is down. */
struct policy_store *policyd_db_store(const struct policyd_db *d);
/* What a store call returned: -ENOTCONN marks the database down. */
void policyd_db_result(struct policyd_db *d, int err);

#endif
