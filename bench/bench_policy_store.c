/* bench_policy_store - what the policy database costs a session: the store
 * calls one assessment makes (look up the device, create the session, tie
 * it to its device, create workitems from enforcements, look up the
 * releases of 800 installed packages in one call, store each workitem's
 * result, store the final recommendation), per second and as CPU time per
 * session.  The target: under 0.5 ms of CPU per session for all
 * database work.  A temporary SQLite database in /tmp (WAL), or argv[1]: a
 * path, or a new PostgreSQL database's URI with argv[2] its password file.
 * On PostgreSQL the CPU is this process's and its server process's (read
 * from /proc when the server runs on this machine), and the wall time
 * includes the round trips. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "policy_admin.h"

#define PACKAGES 2000    /* known to the product */
#define RELEASES 3       /* per package */
#define INSTALLED 800    /* looked up per session */
#define DEVICES 500
#define SESSIONS 2000
#define PRODUCT "Debian 12 x86_64"

enum op { OP_DEVICE, OP_SESSION, OP_BIND, OP_WORKITEMS, OP_PACKAGES, OP_RESULT, OP_FINISH, OP_N };
static const char *const op_names[OP_N] = {"look up device", "create session",
    "session device (upsert)", "create workitems", "look up 800 packages", "store a result",
    "final recommendation"};

static double
now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double
cpu_us(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 + ru.ru_utime.tv_usec +
	       ru.ru_stime.tv_usec;
}

/* The CPU time of process pid (0: none) from /proc; 0 when not visible. */
static double
server_cpu_us(int pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = pid ? fopen(path, "r") : NULL;
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')'); /* the command may hold spaces */
	unsigned long utime, stime;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime,
	               &stime) != 2)
		return 0;
	return (double)(utime + stime) * 1e6 / (double)sysconf(_SC_CLK_TCK);
}

static void
must(int err, struct policy_store *s, const char *what)
{
	if (err) {
		fprintf(stderr, "bench_policy_store: %s: %s (%s)\n", what, tnc_strerror(err),
		    policy_store_error(s));
		exit(1);
	}
}

static void
populate(struct policy_store *s, char **names)
{
	static struct ps_package_version v[PACKAGES * RELEASES];
	static char buf[PACKAGES * RELEASES][48];
	size_t added;
	must(policy_admin_product_add(s, PRODUCT), s, "product");
	for (int p = 0; p < PACKAGES; p++)
		for (int r = 0; r < RELEASES; r++) {
			int i = p * RELEASES + r;
			snprintf(buf[i], sizeof(buf[i]), "1.%d-%d~deb12u%d", p, r + 1, r);
			v[i] = (struct ps_package_version){names[p], buf[i]};
		}
	must(policy_admin_packages_import(s, PRODUCT, v, PACKAGES * RELEASES, false, 1, &added), s,
	    "packages");
	/* a product group with two more policies, one with max_age */
	struct ps_policy_spec tcp = {"No Open TCP Ports", PS_POLICY_TCPOP, "", IMV_REC_ISOLATE,
	    IMV_REC_ISOLATE, NULL};
	struct ps_policy_spec swid = {"SWID Tags", PS_POLICY_SWIDT, "", IMV_REC_ISOLATE,
	    IMV_REC_ISOLATE, NULL};
	must(policy_admin_policy_add(s, &tcp), s, "policy");
	must(policy_admin_policy_add(s, &swid), s, "policy");
	must(policy_admin_group_add(s, "Debian", NULL), s, "group");
	must(policy_admin_group_member(s, "Debian", PS_MEMBER_PRODUCT, PRODUCT, true), s, "member");
	must(policy_admin_enforcement_add(s, "No Open TCP Ports", "Debian", 0, -1, -1), s, "enf");
	must(policy_admin_enforcement_add(s, "SWID Tags", "Debian", 86400, -1, -1), s, "enf");
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/bench_policy_store.XXXXXX", path[256], err[256];
	if (argc > 1)
		snprintf(path, sizeof(path), "%s", argv[1]);
	else if (!mkdtemp(dir) || snprintf(path, sizeof(path), "%s/tnc.db", dir) < 0)
		return 1;
	struct policy_store *s;
	struct ps_target *target;
	if (ps_target_make(path, argc > 2 ? argv[2] : NULL, &target, err, sizeof(err)) ||
	    policy_store_open_target(target, PS_OPEN_CREATE, &s, err, sizeof(err))) {
		fprintf(stderr, "bench_policy_store: %s\n", err);
		return 1;
	}
	ps_target_free(target);
	int server = policy_store_server_pid(s);
	static char *names[PACKAGES];
	for (int i = 0; i < PACKAGES; i++)
		if (asprintf(&names[i], "package-%04d", i) < 0)
			return 1;
	populate(s, names);
	/* what a session installed: 800 packages, 700 known to the product */
	const char *installed[INSTALLED];
	static char unknown[INSTALLED][32];
	for (int i = 0; i < INSTALLED; i++) {
		snprintf(unknown[i], sizeof(unknown[i]), "local-%d", i);
		installed[i] = i < 700 ? names[i * 2] : unknown[i];
	}

	double op_us[OP_N] = {0};
	long op_count[OP_N] = {0};
	double cpu0 = cpu_us(), server0 = server_cpu_us(server), wall0 = now_us();
	for (int n = 0; n < SESSIONS; n++) {
		char device[40];
		struct ps_device dev;
		int64_t session;
		struct ps_workitem *w;
		size_t nw;
		struct ps_package_set *set;
		snprintf(device, sizeof(device), "%032x", n % DEVICES);
		int64_t now = 1800000000 + n;
		double t = now_us(), t2;
		int e = policy_store_device_lookup(s, device, &dev);
		if (e != TNC_ENOTFOUND)
			must(e, s, "device lookup");
#define TICK(op)                                   \
	t2 = now_us();                             \
	op_us[op] += t2 - t;                       \
	op_count[op]++;                            \
	t = t2
		TICK(OP_DEVICE);
		must(policy_store_session_create(s, now, (uint32_t)n, "dn", device, &session), s,
		    "session");
		TICK(OP_SESSION);
		must(policy_store_session_device(s, session, now, PRODUCT, device, &dev), s, "bind");
		TICK(OP_BIND);
		must(policy_store_workitems_create(s, session, now, &w, &nw), s, "workitems");
		TICK(OP_WORKITEMS);
		must(policy_store_package_versions(s, dev.product, installed, INSTALLED, &set), s,
		    "packages");
		TICK(OP_PACKAGES);
		for (size_t i = 0; i < nw; i++) {
			must(policy_store_workitem_result(s, w[i].id, 1, IMV_REC_ALLOW, "compliant"), s,
			    "result");
			TICK(OP_RESULT);
		}
		must(policy_store_session_finish(s, session, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT), s,
		    "finish");
		TICK(OP_FINISH);
		policy_store_package_set_free(set);
		policy_store_workitems_free(w, nw);
	}
	double cpu = cpu_us() - cpu0, wall = now_us() - wall0;
	double server_cpu = server_cpu_us(server) - server0;

	printf("policy store on %s: %d sessions, product with %d packages x %d releases, %d devices\n",
	    server ? "PostgreSQL" : "SQLite", SESSIONS, PACKAGES, RELEASES, DEVICES);
	printf("%-26s %10s %12s\n", "operation", "per second", "us per call");
	for (int op = 0; op < OP_N; op++)
		printf("%-26s %10.0f %12.1f\n", op_names[op], op_count[op] * 1e6 / op_us[op],
		    op_us[op] / op_count[op]);
	printf("sessions per second: %.0f (wall)\n", SESSIONS * 1e6 / wall);
	if (server)
		printf("CPU per session: %.0f us here + %.0f us in the server process %d\n",
		    cpu / SESSIONS, server_cpu / SESSIONS, server);
	cpu += server_cpu;
	printf("wall per session: %.0f us\n", wall / SESSIONS);
	printf("CPU per session, all database work: %.0f us (target < 500 us): %s\n", cpu / SESSIONS,
	    cpu / SESSIONS < 500 ? "met" : "NOT met");
	policy_store_close(s);
	for (int i = 0; i < PACKAGES; i++)
		free(names[i]);
	if (argc <= 1) {
		char wal[300];
		unlink(path);
		snprintf(wal, sizeof(wal), "%s-wal", path);
		unlink(wal);
		snprintf(wal, sizeof(wal), "%s-shm", path);
		unlink(wal);
		rmdir(dir);
	}
	return 0;
}
