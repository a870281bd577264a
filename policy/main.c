/* tnc-policy: the one process that opens the policy database while
 * sessions run (see policyd.h and README.md, "tnc-policy").
 *
 * Before its sandbox it checks that a database file lies in its state
 * directory, or, for a database server, reads the password and resolves
 * the host; sandboxed it opens (first start: creates) the database and
 * records what tnc-tnccs and the OS IMV tell it.
 */
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "log.h"
#include "pa_tnc.h"
#include "policyd.h"
#include "policyd_software.h"

#define DATABASE_DEFAULT "tnc.db" /* in the state directory */

/* A session end waiting for the loop's next poll (see on_tnccs_msg). */
struct deferred_end {
	struct deferred_end *next;
	uint32_t conn, seq;
	uint64_t epoch; /* of its arrival */
	struct ipc_policy_session_end m;
};

static struct {
	struct child *child;
	uv_prepare_t prepare; /* counts the loop's polls */
	uv_idle_t idle;       /* keeps the poll from blocking while ends wait */
	uv_check_t check;     /* records the ends that have waited one poll */
	uint64_t epoch;
	struct deferred_end *ends, **ends_tail;
	unsigned nends;
	struct ps_target *target; /* the database as tnc-policy reaches it once sandboxed */
	struct policy_store *store;
	struct policyd_db db;
	struct pending_table pending;
} pol;

static int64_t
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

/* The database must lie inside the state directory, the chroot. */
static const char *
inside_state_dir(const char *database, const char *state_dir)
{
	size_t n = strlen(state_dir);
	if (strncmp(database, state_dir, n) != 0 || database[n] != '/' || !database[n + 1] ||
	    strstr(database + n, "/../") || strstr(database + n, "/./"))
		return NULL;
	return database + n;
}

/* A SQLite file: the database must lie inside the state directory, the
 * chroot, where it is reached by its path inside. */
static int
file_target(const char *database, const char *state_dir)
{
	char err[PS_ERROR_MAX];
	const char *inside = inside_state_dir(database, state_dir);
	if (!inside) {
		LOG_ERR(CFG, "[policy] database %s is not inside tnc-policy's state directory %s",
		    database, state_dir);
		return -1;
	}
	/* root is chrooted into the state directory; anyone else stays outside */
	if (ps_target_make(geteuid() == 0 ? inside : database, NULL, &pol.target, err,
	    sizeof(err)) != 0) {
		LOG_ERR(CFG, "[policy] database %s: %s", database, err);
		return -1;
	}
	return 0;
}

/* A database server: what libpq would do later with files and DNS is done
 * now.  The password file is read as the process tncd started: root when
 * tncd is (before the uid change, with no capability beyond those tncd's
 * unit leaves), so it may be root's own file of mode 0600 or 0400; else as
 * tncd's uid.  libpq looks for its per-user files (~/.postgresql) under
 * HOME, else asks the passwd database, which glibc first tries through
 * nscd's socket, a call the sandbox kills: HOME is the state directory as
 * seen sandboxed.  OpenSSL reads its configuration file on first use
 * (sslmode prefer and require). */
static int
server_target(const char *database, const char *password_file, const char *state_dir)
{
	char err[PS_ERROR_MAX];
	if (ps_target_make(database, password_file[0] ? password_file : NULL, &pol.target, err,
	    sizeof(err)) != 0) {
		LOG_ERR(CFG, "[policy] database %s: %s", database, err);
		return -1;
	}
	if (setenv("HOME", geteuid() == 0 ? "/" : state_dir, 1) != 0 ||
	    OPENSSL_init_ssl(OPENSSL_INIT_LOAD_CONFIG, NULL) != 1) {
		LOG_ERR(CFG, "policy: cannot prepare libpq's environment and OpenSSL");
		return -1;
	}
	return 0;
}

static int
pre_sandbox(struct child *c, const struct ipc_config *cfg)
{
	char key[64], value[1024], database[1024] = "", password_file[1024] = "",
	    state_dir[1024] = "";

	pol.child = c;
	for (unsigned i = 0; i < cfg->count; i++) {
		bytes_cstr(cfg->key[i], key, sizeof(key));
		bytes_cstr(cfg->value[i], value, sizeof(value));
		if (!strcmp(key, "database"))
			snprintf(database, sizeof(database), "%s", value);
		else if (!strcmp(key, "password_file"))
			snprintf(password_file, sizeof(password_file), "%s", value);
		else if (!strcmp(key, "state_dir"))
			snprintf(state_dir, sizeof(state_dir), "%s", value);
	}
	if (!database[0] && (size_t)snprintf(database, sizeof(database), "%s/%s", state_dir,
	    DATABASE_DEFAULT) >= sizeof(database)) {
		LOG_ERR(CFG, "tnc-policy's state directory %s is too long", state_dir);
		return -1;
	}
	/* a server exactly when the manifest grants the sandbox a database client */
	const struct cap_condition *server = manifest_cap_condition(child_role(c), RCAP_DB_CLIENT);
	if (server && manifest_cap_condition_met(server, database))
		return server_target(database, password_file, state_dir);
	return file_target(database, state_dir); /* tncd refuses a password_file with it */
}

static void
reply_recorded(uint32_t conn, uint32_t seq, int status, int64_t session)
{
	struct ipc_msg m = {.type = IPC_POLICY_RECORDED};
	m.u.policy_recorded = (struct ipc_policy_recorded){status, status ? 0 : (uint64_t)session};
	struct ipc_channel *ch = child_peer(pol.child, ROLE_TNCCS);
	int err = ch ? ipc_channel_send(ch, &m, conn, seq, IPC_FLAG_REPLY, -1) : TNC_ECLOSED;
	if (err)
		LOG(IPC, 1, "policy: cannot answer tnc-tnccs for Connection ID %u: %s", conn,
		    tnc_strerror(err));
}

static void
record_end(uint32_t conn, uint32_t seq, const struct ipc_policy_session_end *m)
{
	int64_t session = 0;
	int status = pending_end(&pol.pending, policyd_db_store(&pol.db), conn, m, &session);
	policyd_sw_forget(conn, false);
	policyd_db_result(&pol.db, status);
	if (seq) /* tnccs waits for it before the client learns the decision */
		reply_recorded(conn, seq, status, session);
}

static void
on_prepare(uv_prepare_t *h)
{
	pol.epoch++;
}

/* Records the ends that arrived before poll number `before`. */
static void
flush_ends(uint64_t before)
{
	while (pol.ends && pol.ends->epoch < before) {
		struct deferred_end *d = pol.ends;
		pol.ends = d->next;
		pol.nends--;
		record_end(d->conn, d->seq, &d->m);
		free(d);
	}
	if (!pol.ends)
		pol.ends_tail = &pol.ends;
}

/* The ends that arrived before the poll just done: what the IMV sent
 * before its recommendation (which led tnccs to the end) was in the kernel
 * before the end, so that poll has read it. */
static void
on_check(uv_check_t *h)
{
	flush_ends(pol.epoch);
	if (!pol.ends)
		uv_idle_stop(&pol.idle);
}

static void
on_idle(uv_idle_t *h)
{
}

/* The end of a session waits for one more poll of every channel, so that
 * the OS IMV's device report, sent on another channel before the end came
 * about, is taken first (frames of two sockets have no order of their
 * own).  At most TNCCS_SESSIONS_MAX wait; beyond, an end is recorded at once. */
static void
defer_end(struct ipc_received *rx)
{
	struct deferred_end *d = pol.nends < TNCCS_SESSIONS_MAX ? malloc(sizeof(*d)) : NULL;
	if (!d) {
		record_end(rx->hdr.session, rx->hdr.seq, &rx->msg.u.policy_session_end);
		return;
	}
	*d = (struct deferred_end){NULL, rx->hdr.session, rx->hdr.seq, pol.epoch,
	    rx->msg.u.policy_session_end};
	*pol.ends_tail = d;
	pol.ends_tail = &d->next;
	pol.nends++;
	uv_idle_start(&pol.idle, on_idle);
}

/* Sandboxed, before READY: the database is opened (created on first
 * start) only now, as tnc-policy's own uid in its chroot, never by root in
 * a directory that uid owns (a planted symlink would make root write
 * elsewhere); a server is connected to from the sandbox, which allows it
 * that (db-client).  A database it cannot open fails tncd's first start;
 * later, tncd restarts it backing off while tnccs ends sessions
 * unrecorded. */
static int
post_sandbox(struct child *c)
{
	char err[PS_ERROR_MAX];
	(void)c;
	if (policy_store_open_target(pol.target, PS_OPEN_CREATE, &pol.store, err,
	    sizeof(err)) != 0) {
		LOG_ERR(IMV, "policy: cannot open the database %s: %s", ps_target_name(pol.target),
		    err);
		return -1;
	}
	LOG(IMV, 1, "policy: database %s, schema version %d", ps_target_name(pol.target),
	    policy_store_schema_version(pol.store));
	return 0;
}

static void
ready(struct child *c)
{
	pol.ends_tail = &pol.ends;
	uv_prepare_init(child_loop(c), &pol.prepare);
	uv_prepare_start(&pol.prepare, on_prepare);
	uv_check_init(child_loop(c), &pol.check);
	uv_check_start(&pol.check, on_check);
	uv_idle_init(child_loop(c), &pol.idle);
	policyd_db_init(&pol.db, child_loop(c), pol.store);
}

static void
on_tnccs_msg(struct ipc_received *rx)
{
	switch (rx->hdr.type) {
	case IPC_POLICY_SESSION_START:
		pending_start(&pol.pending, rx->hdr.session, now_s(), &rx->msg.u.policy_session_start);
		return;
	case IPC_POLICY_SESSION_END:
		defer_end(rx);
		return;
	default:
		LOG(IPC, 1, "'%s' from tnc-tnccs is not for tnc-policy", ipc_type_name(rx->hdr.type));
	}
}

static void
reply_imv(enum tnc_role peer, const struct ipc_received *rx, const struct ipc_msg *m)
{
	struct ipc_channel *ch = child_peer(pol.child, peer);
	int err = ch ? ipc_channel_send(ch, m, rx->hdr.session, rx->hdr.seq, IPC_FLAG_REPLY, -1) :
	    TNC_ECLOSED;
	if (err)
		LOG(IPC, 1, "policy: cannot answer %s for Connection ID %u: %s",
		    manifest_role(peer)->name, rx->hdr.session, tnc_strerror(err));
}

/* The OS IMV reports the device; asked (a seq), the workitems it judges go
 * back at once, planned from the database and kept for the record. */
static void
on_device(enum tnc_role peer, const struct ipc_received *rx)
{
	pending_device(&pol.pending, rx->hdr.session, &rx->msg.u.policy_device);
	if (!rx->hdr.seq)
		return;
	struct ipc_msg reply = {.type = IPC_POLICY_WORKITEMS};
	struct ipc_policy_workitems *w = &reply.u.policy_workitems;
	w->status = pending_plan(&pol.pending, policyd_db_store(&pol.db), rx->hdr.session, now_s(),
	    manifest_role(peer)->imv_id, w);
	policyd_db_result(&pol.db, w->status);
	reply_imv(peer, rx, &reply);
}

static void
on_packages(enum tnc_role peer, const struct ipc_received *rx)
{
	const struct ipc_policy_packages *p = &rx->msg.u.policy_packages;
	uint8_t verdicts[IPC_POLICY_PACKAGES_MAX];
	struct ipc_msg reply = {.type = IPC_POLICY_PACKAGE_VERDICTS};
	int err = pending_verdicts(&pol.pending, policyd_db_store(&pol.db), rx->hdr.session, p,
	    verdicts);
	policyd_db_result(&pol.db, err);
	reply.u.policy_package_verdicts = (struct ipc_policy_package_verdicts){err,
	    {verdicts, err ? 0 : p->count}};
	reply_imv(peer, rx, &reply);
}

/* A template form: the reference digests, which the IMV compares. */
static void
on_file_references(enum tnc_role peer, const struct ipc_received *rx)
{
	const struct ipc_policy_files *f = &rx->msg.u.policy_files;
	struct ipc_msg reply = {.type = IPC_POLICY_FILE_REFERENCES};
	struct wire_writer w;

	wire_writer_init(&w, (size_t)f->count * (1 + IPC_FILE_REFERENCE_MAX));
	int err = pending_file_references(&pol.pending, policyd_db_store(&pol.db),
	    rx->hdr.session, f, &w);
	policyd_db_result(&pol.db, err);
	reply.u.policy_file_references = (struct ipc_policy_file_references){err,
	    err ? 0 : f->count, {w.buf, err ? 0 : w.len}};
	reply_imv(peer, rx, &reply);
	wire_writer_clear(&w);
}

static void
on_files(enum tnc_role peer, const struct ipc_received *rx)
{
	const struct ipc_policy_files *f = &rx->msg.u.policy_files;
	uint8_t verdicts[IPC_POLICY_FILES_MAX];
	struct ipc_msg reply = {.type = IPC_POLICY_FILE_VERDICTS};
	if (f->form != IPC_FILE_DIGEST) {
		on_file_references(peer, rx);
		return;
	}
	int err = pending_files(&pol.pending, policyd_db_store(&pol.db), rx->hdr.session, f,
	    verdicts);
	policyd_db_result(&pol.db, err);
	reply.u.policy_file_verdicts = (struct ipc_policy_file_verdicts){err,
	    {verdicts, err ? 0 : f->count}};
	reply_imv(peer, rx, &reply);
}

static void
on_aik(enum tnc_role peer, const struct ipc_received *rx)
{
	struct ps_device dev;
	struct ipc_msg reply = {.type = IPC_POLICY_AIK};
	int err = pending_aik(&pol.pending, policyd_db_store(&pol.db), rx->hdr.session, &dev);
	policyd_db_result(&pol.db, err);
	reply.u.policy_aik = (struct ipc_policy_aik){err, dev.trusted,
	    {(const uint8_t *)dev.aik_keyid, err ? 0 : strlen(dev.aik_keyid)}};
	reply_imv(peer, rx, &reply);
}

/* The SWIMA IMV's software database (policyd_software.c). */
static void
on_software(enum tnc_role peer, const struct ipc_received *rx)
{
	struct ipc_msg reply = {0};
	struct wire_writer w = {0};
	if (policyd_sw_request(&pol.pending, &pol.db, manifest_role(peer)->imv_id, rx, &reply, &w))
		reply_imv(peer, rx, &reply);
	wire_writer_clear(&w);
}

static void
on_imv_msg(enum tnc_role peer, struct ipc_received *rx)
{
	const struct role_manifest *m = manifest_role(peer);
	if (policyd_sw_request_type(rx->hdr.type)) {
		on_software(peer, rx);
		return;
	}
	bool os_imv = manifest_imv_wants(m, PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_OPERATING_SYSTEM);
	switch (rx->hdr.type) {
	case IPC_POLICY_DEVICE:
		if (os_imv) {
			on_device(peer, rx);
			return;
		}
		break;
	case IPC_POLICY_PACKAGES:
		if (os_imv) {
			on_packages(peer, rx);
			return;
		}
		break;
	case IPC_POLICY_FILES:
		if (rx->hdr.seq) {
			on_files(peer, rx);
			return;
		}
		break;
	case IPC_POLICY_AIK_GET:
		if (rx->hdr.seq) {
			on_aik(peer, rx);
			return;
		}
		break;
	case IPC_POLICY_WORKITEM_RESULT:
		(void)pending_result(&pol.pending, rx->hdr.session, m->imv_id,
		    &rx->msg.u.policy_workitem_result);
		return;
	}
	LOG_WARN(IPC, "'%s' from %s is not for tnc-policy", ipc_type_name(rx->hdr.type), m->name);
}

static void
on_msg(struct child *c, enum tnc_role peer, struct ipc_received *rx)
{
	const struct role_manifest *m = manifest_role(peer);
	if (peer == ROLE_TNCCS)
		on_tnccs_msg(rx);
	else if (m->kind == KIND_IMV)
		on_imv_msg(peer, rx);
	else
		LOG_WARN(IPC, "'%s' from %s is not for tnc-policy", ipc_type_name(rx->hdr.type),
		    m->name);
}

static void
peer_closed(struct child *c, enum tnc_role peer)
{
	if (peer != ROLE_TNCCS || !pol.pending.t.count)
		return;
	/* its connections end there without a word to us; a new tnc-tnccs
	 * starts each resumed one afresh */
	LOG(IMV, 1, "policy: tnc-tnccs is gone: forgetting %zu connection%s not yet ended",
	    pol.pending.t.count, pol.pending.t.count == 1 ? "" : "s");
	pending_clear(&pol.pending);
	policyd_sw_forget(0, true);
}

static const struct child_ops ops = {
	.pre_sandbox = pre_sandbox,
	.post_sandbox = post_sandbox,
	.ready = ready,
	.peer_closed = peer_closed,
	.on_msg = on_msg,
};

int
main(int argc, char **argv)
{
	pending_init(&pol.pending);
	int rc = child_main(argc, argv, ROLE_POLICY, &ops);
	flush_ends(UINT64_MAX);
	pending_clear(&pol.pending);
	policyd_sw_forget(0, true);
	policy_store_close(pol.store);
	ps_target_free(pol.target);
	return rc;
}
