/* testlib.c - helpers shared by the Check suites (see testlib.h). */
#include "testlib.h"
#include "tl_policy_db.h"

#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

uint8_t *
tl_read_file(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0, n;
	uint8_t *buf = malloc(cap + 1);
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
		}
	}
	fclose(f);
	if (!buf)
		abort();
	buf[len] = 0;
	*ret_len = len;
	return buf;
}

uint8_t *
tl_read_testdata(const char *relpath, size_t *ret_len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", TNC_TESTDATA_DIR, relpath);
	uint8_t *buf = tl_read_file(path, ret_len);
	ck_assert_msg(buf != NULL, "missing test data %s", path);
	return buf;
}

/* The directories of tl_mkdtemp(), for remove_tmpdirs() at exit. */
#define TMPDIRS_MAX 64
static char tmpdirs[TMPDIRS_MAX][128];
static size_t ntmpdirs;

static int
remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	return remove(path);
}

static void
remove_tmpdirs(void)
{
	for (size_t i = 0; i < ntmpdirs; i++)
		nftw(tmpdirs[i], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void
tl_mkdtemp(char *template)
{
	ck_assert_ptr_nonnull(mkdtemp(template));
	ck_assert_int_eq(chmod(template, 0755), 0);
	ck_assert_uint_lt(strlen(template), sizeof(tmpdirs[0]));
	if (ntmpdirs == 0)
		ck_assert_int_eq(atexit(remove_tmpdirs), 0);
	if (ntmpdirs < TMPDIRS_MAX) /* more in one process (CK_FORK=no): those stay */
		snprintf(tmpdirs[ntmpdirs++], sizeof(tmpdirs[0]), "%s", template);
}

int
tl_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

/* --- running the real tncd --- */

static long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
tl_sh(char *out, size_t size, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	size_t len = 0, n;
	while (len + 1 < size && (n = fread(out + len, 1, size - 1 - len, p)) > 0)
		len += n;
	out[len] = 0;
	char sink[4096];
	while (fread(sink, 1, sizeof(sink), p) > 0)
		;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

int
tl_ctl(struct tl_tncd *t, char *out, size_t size, const char *args)
{
	return tl_sh(out, size, "%s/tncctl -s %s --json %s 2>/dev/null", TNC_BIN_DIR, t->sock, args);
}

int
tl_row_field(const char *json, const char *name, const char *key, char *out, size_t size)
{
	json_error_t e;
	json_t *doc = json_loads(json, 0, &e), *rows = json_object_get(doc, "rows"), *row;
	size_t i;
	int rc = -1;

	json_array_foreach(rows, i, row) {
		const char *n = json_string_value(json_object_get(row, "name"));
		json_t *v = json_object_get(row, key);
		if (!n || strcmp(n, name) != 0 || !v)
			continue;
		if (json_is_string(v))
			snprintf(out, size, "%s", json_string_value(v));
		else if (json_is_integer(v))
			snprintf(out, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		else if (json_is_real(v))
			snprintf(out, size, "%.17g", json_real_value(v));
		else
			snprintf(out, size, "%s", json_is_null(v) ? "null" : "?");
		rc = 0;
		break;
	}
	json_decref(doc);
	return rc;
}

int
tl_wait_state(struct tl_tncd *t, const char *name, const char *state, int not_pid, int timeout_ms)
{
	static char out[65536];
	char st[64], pid[32];
	long deadline = now_ms() + timeout_ms;
	do {
		if (tl_ctl(t, out, sizeof(out), "status") == 0 &&
		    tl_row_field(out, name, "state", st, sizeof(st)) == 0 &&
		    tl_row_field(out, name, "pid", pid, sizeof(pid)) == 0 &&
		    strcmp(st, state) == 0 && atoi(pid) != not_pid)
			return atoi(pid);
		usleep(20000);
	} while (now_ms() < deadline);
	return -1;
}

/* Whether `tncctl status` lists children and every one is ready (or
 * disabled by the config); tncd's own row aside. */
static bool
all_ready(const char *json)
{
	json_error_t e;
	json_t *doc = json_loads(json, 0, &e), *rows = json_object_get(doc, "rows"), *row;
	size_t i;
	bool ready = json_array_size(rows) > 0;
	json_array_foreach(rows, i, row) {
		const char *name = json_string_value(json_object_get(row, "name"));
		const char *st = json_string_value(json_object_get(row, "state"));
		if (name && !strcmp(name, "tncd"))
			continue; /* its own row: "running" */
		ready &= st && (!strcmp(st, "ready") || !strcmp(st, "disabled"));
	}
	json_decref(doc);
	return ready;
}

void
tl_tncd_start(struct tl_tncd *t, const char *extra, bool wait_ready)
{
	char db[256], password_file[256];
	if (!tl_policy_db_is_pg() || (extra && strstr(extra, "[policy]"))) {
		tl_tncd_start_on(t, extra, wait_ready, NULL, NULL);
		return;
	}
	tl_policy_db(db, sizeof(db), password_file, sizeof(password_file));
	tl_tncd_start_on(t, extra, wait_ready, db, password_file);
}

void
tl_tncd_start_on(struct tl_tncd *t, const char *extra, bool wait_ready, const char *db,
    const char *password_file)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/tnc-test-XXXXXX");
	tl_mkdtemp(t->dir); /* 0755: children's uids must reach their chroot below it */
	snprintf(t->conf, sizeof(t->conf), "%s/tncd.conf", t->dir);
	snprintf(t->sock, sizeof(t->sock), "%s/tncd.ctl", t->dir);
	snprintf(t->log, sizeof(t->log), "%s/tncd.log", t->dir);
	snprintf(t->ca, sizeof(t->ca), "%s/state/ike/pt-tls-cert.pem", t->dir);
	t->port = tl_pick_port();
	if (db) {
		snprintf(t->db, sizeof(t->db), "%s", db);
		snprintf(t->db_password_file, sizeof(t->db_password_file), "%s", password_file);
	} else {
		snprintf(t->db, sizeof(t->db), "%s/state/policy/tnc.db", t->dir);
	}
	FILE *f = fopen(t->conf, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "[daemon]\ncontrol_socket = %s\nstate_dir = %s/state\n"
	    "restart_delay_ms = 100\nrestart_delay_max_ms = 1600\nping_interval_ms = 500\n"
	    "[ike]\npt_tls_listen = 127.0.0.1:%d\n%s\n", t->sock, t->dir, t->port,
	    extra ? extra : "");
	if (db)
		fprintf(f, "[policy]\ndatabase = %s\npassword_file = %s\n", db, password_file);
	fclose(f);
	t->pid = fork();
	ck_assert_int_ge(t->pid, 0);
	if (t->pid == 0) {
		int fd = open(t->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		execl(TNC_BIN_DIR "/tncd", "tncd", "--foreground", "--config", t->conf, (char *)NULL);
		_exit(127);
	}
	static char out[65536];
	long deadline = now_ms() + 10000;
	bool ready = !wait_ready;
	while (!ready && now_ms() < deadline) {
		ready = tl_ctl(t, out, sizeof(out), "status") == 0 && all_ready(out);
		if (!ready)
			usleep(20000);
	}
	ck_assert_msg(ready, "not every child became ready within 10 s (log %s): %s", t->log, out);
}

void
tl_tncd_stop(struct tl_tncd *t)
{
	int st = 0;
	kill(t->pid, SIGTERM);
	long deadline = now_ms() + 15000;
	pid_t r;
	while ((r = waitpid(t->pid, &st, WNOHANG)) == 0 && now_ms() < deadline)
		usleep(20000);
	if (r == 0) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, &st, 0);
		ck_abort_msg("tncd did not stop within 15 s after SIGTERM");
	}
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "tncd exit status 0x%x", st);
}

int
tl_proc_status(int pid, const char *key, char *out, size_t size)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	int rc = -1;
	size_t klen = strlen(key);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			char *v = line + klen + 1;
			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = 0;
			snprintf(out, size, "%s", v);
			rc = 0;
			break;
		}
	}
	fclose(f);
	return rc;
}

int
tl_log_contains(struct tl_tncd *t, const char *needle, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	do {
		size_t len;
		char *log = (char *)tl_read_file(t->log, &len);
		int found = log && strstr(log, needle) != NULL;
		free(log);
		if (found)
			return 1;
		usleep(20000);
	} while (now_ms() < deadline);
	return 0;
}

int
tl_child_pid(struct tl_tncd *t, const char *name)
{
	static char json[65536];
	char pid[32];
	if (tl_ctl(t, json, sizeof(json), "status") != 0 ||
	    tl_row_field(json, name, "pid", pid, sizeof(pid)) != 0)
		return -1;
	return atoi(pid) > 0 ? atoi(pid) : -1;
}

pid_t
tl_client_spawn(struct tl_tncd *t, const char *facts_path, const char *extra, const char *out_path)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "exec %s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
	    "--timeout 30 %s > %s 2>&1", TNC_BIN_DIR, t->port, t->ca, facts_path,
	    extra ? extra : "", out_path);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

int
tl_client_wait(pid_t pid)
{
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
tl_tncd_wait_exit(struct tl_tncd *t, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	int st;
	pid_t r;
	while ((r = waitpid(t->pid, &st, WNOHANG)) == 0 && now_ms() < deadline)
		usleep(10000);
	if (r != t->pid) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, &st, 0);
		return -1;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int
tl_port_free(int port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	int ok = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(fd, 1) == 0;
	close(fd);
	return ok;
}

int
tl_pick_port(void)
{
	/* Below the kernel's ephemeral range (32768..60999), where client
	 * sockets get their source ports; then the first that is free. */
	int base = 20000 + (int)(getpid() % 12000);
	for (int i = 0; i < 200; i++) {
		int port = 20000 + (base - 20000 + i * 61) % 12000;
		if (tl_port_free(port))
			return port;
	}
	ck_abort_msg("no free port between 20000 and 31999");
	return -1;
}

void
tl_make_cert(const char *dir, const char *name)
{
	char out[4096];
	int rc = tl_sh(out, sizeof(out), "openssl req -x509 -newkey ec -pkeyopt "
	    "ec_paramgen_curve:P-256 -nodes -keyout %s/%s.key -out %s/%s.crt -subj /CN=%s "
	    "-days 2 2>&1", dir, name, dir, name, name);
	ck_assert_msg(rc == 0, "openssl req failed: %s", out);
}

int
tl_log_count(struct tl_tncd *t, const char *needle)
{
	size_t len;
	char *log = (char *)tl_read_file(t->log, &len);
	int n = 0;
	for (const char *p = log; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	free(log);
	return n;
}

int
tl_log_count_reaching(struct tl_tncd *t, const char *needle, int want, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	int n;
	while ((n = tl_log_count(t, needle)) < want && now_ms() < deadline)
		usleep(20000);
	return n;
}

const char *
tl_out_tail(const char *out)
{
	size_t n = strlen(out);
	return n > 3000 ? out + n - 3000 : out;
}

void
tl_assert_logged(struct tl_tncd *t, const char *needle)
{
	ck_assert_msg(tl_log_contains(t, needle, 5000), "tncd did not log '%s' (log %s)", needle,
	    t->log);
}

long
tl_now_ms(void)
{
	return now_ms();
}

const char *
tl_facts_file(struct tl_tncd *t, const char *name, const char *text, char *path, size_t size)
{
	snprintf(path, size, "%s/%s.facts", t->dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "product = Debian GNU/Linux\nversion = 12 x86_64\nnumeric_version = 12.0\n"
	    "forwarding = 0\ndefault_password = 0\ndevice_id = 0123456789abcdef\n"
	    "packages = /dev/null\npackages_extra = openssl=3.0.11-1, bash=5.2.15-2\n%s", text);
	fclose(f);
	return path;
}

const char *
tl_copy_testdata(const char *rel, const char *dir, const char *name)
{
	static char path[256];
	size_t len;
	uint8_t *data = tl_read_testdata(rel, &len);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	free(data);
	return path;
}

void
tl_sha256_file(const char *path, unsigned char out[32])
{
	size_t len;
	uint8_t *data = tl_read_file(path, &len);
	ck_assert_ptr_nonnull(data);
	unsigned n = 32;
	ck_assert(EVP_Digest(data, len, out, &n, EVP_sha256(), NULL));
	free(data);
}

const char *
tl_adm(struct tl_tncd *t, const char *fmt, ...)
{
	static char out[65536];
	char args[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	int rc = tl_sh(out, sizeof(out), "%s/tncadm --db '%s'%s%s %s 2>&1", TNC_BIN_DIR, t->db,
	    t->db_password_file[0] ? " --db-password-file " : "", t->db_password_file, args);
	ck_assert_msg(rc == 0, "tncadm %s: exit %d: %s", args, rc, out);
	return out;
}

void
tl_policy_seed(struct tl_tncd *t)
{
	/* tnc-policy opens (creates) it before READY; a test may not have waited */
	ck_assert_msg(tl_log_contains(t, ", schema version ", 10000),
	    "tnc-policy has no database after 10 s (log %s)", t->log);
	tl_adm(t, "product add '%s'", TL_PRODUCT);
	tl_adm(t, "package import '%s' %s/dpkg-seed/status", TL_PRODUCT, TNC_TESTDATA_DIR);
	tl_adm(t, "package blacklist telnetd");
	tl_adm(t, "package blacklist rsh-server");
}

struct ipc_policy_workitems
tl_policy_workitems(const char *types)
{
	struct ipc_policy_workitems w = {0};

	for (const char *p = types; *p;) {
		size_t n = strcspn(p, " ");
		if (n) {
			ck_assert_uint_lt(w.count, IPC_POLICY_WORKITEMS_MAX);
			w.item[w.count] = (struct ipc_policy_workitem){w.count + 1u,
			    {(const uint8_t *)p, n}, {NULL, 0}, IMV_REC_ISOLATE, IMV_REC_ALLOW};
			w.count++;
		}
		p += n;
		p += *p == ' ';
	}
	return w;
}
