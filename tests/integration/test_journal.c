/* test_journal.c - tncd's journal output, read as journald would: the test
 * runs in a private mount namespace with a tmpfs on /run/systemd/journal
 * and binds the journal's datagram socket there itself, starts tncd
 * without --foreground (so it logs to "the journal"), and parses the native
 * protocol's fields.  Errors arrive at PRIORITY=3, warnings at 4, notice
 * and info below; MESSAGE is the "NN[SUB] text" line; TNC_SLOT and
 * TNC_SUBSYS say who; CODE_FILE and CODE_LINE are the event's source, not
 * the log sink's. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"
#include "tl_ptls.h"

#define JOURNAL_DIR "/run/systemd/journal"
#define ENTRIES_MAX 20000
#define FIELD_MAX 1024

struct entry {
	char message[FIELD_MAX], priority[8], slot[8], subsys[8], file[64], line[16];
};

static struct entry entries[ENTRIES_MAX];
static int nentries;
/* journald reads all the time: a full queue would block tncd's sends */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int stop_reading;

static void
copy_field(char *dst, size_t size, const uint8_t *v, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, v, len);
	dst[len] = 0;
}

static void
set_field(struct entry *e, const char *key, size_t klen, const uint8_t *v, size_t vlen)
{
	static const struct { const char *key; size_t off, size; } known[] = {
		{"MESSAGE", offsetof(struct entry, message), FIELD_MAX},
		{"PRIORITY", offsetof(struct entry, priority), 8},
		{"TNC_SLOT", offsetof(struct entry, slot), 8},
		{"TNC_SUBSYS", offsetof(struct entry, subsys), 8},
		{"CODE_FILE", offsetof(struct entry, file), 64},
		{"CODE_LINE", offsetof(struct entry, line), 16},
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i].key) == klen && !memcmp(known[i].key, key, klen))
			copy_field((char *)e + known[i].off, known[i].size, v, vlen);
}

/* One datagram of the native protocol: "KEY=value\n", or "KEY\n", a
 * little-endian u64 size, the value and "\n" for values with newlines. */
static void
parse_datagram(const uint8_t *p, size_t n)
{
	struct entry *e = &entries[nentries];
	memset(e, 0, sizeof(*e));
	while (n > 0) {
		const uint8_t *nl = memchr(p, '\n', n), *eq = memchr(p, '=', n);
		ck_assert_ptr_nonnull(nl);
		if (eq && eq < nl) {
			set_field(e, (const char *)p, (size_t)(eq - p), eq + 1, (size_t)(nl - eq - 1));
			n -= (size_t)(nl - p) + 1;
			p = nl + 1;
			continue;
		}
		size_t klen = (size_t)(nl - p), off = klen + 1;
		uint64_t vlen = 0;
		ck_assert_uint_ge(n, off + 8);
		for (int i = 7; i >= 0; i--)
			vlen = vlen << 8 | p[off + (size_t)i];
		ck_assert_uint_ge(n, off + 8 + vlen + 1);
		set_field(e, (const char *)p, klen, p + off + 8, (size_t)vlen);
		n -= off + 8 + (size_t)vlen + 1;
		p += off + 8 + vlen + 1;
	}
	if (nentries < ENTRIES_MAX - 1)
		nentries++;
}

static void *
reader(void *arg)
{
	static uint8_t buf[1 << 16];
	int sock = *(int *)arg;
	struct timeval tv = {0, 100000};
	setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (!stop_reading) {
		ssize_t n = recv(sock, buf, sizeof(buf), 0);
		if (n <= 0)
			continue;
		pthread_mutex_lock(&lock);
		parse_datagram(buf, (size_t)n);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

/* The first entry whose MESSAGE contains needle, waiting up to timeout_ms;
 * entries are never moved, so the pointer stays valid. */
static const struct entry *
find(const char *needle, int timeout_ms)
{
	for (int waited = 0;; waited += 20) {
		pthread_mutex_lock(&lock);
		const struct entry *e = NULL;
		for (int i = 0; i < nentries && !e; i++)
			if (strstr(entries[i].message, needle))
				e = &entries[i];
		pthread_mutex_unlock(&lock);
		if (e || waited >= timeout_ms)
			return e;
		usleep(20000);
	}
}


static int
journal_socket(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/socket", JOURNAL_DIR);
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(s, 0);
	int rcvbuf = 8 << 20;
	setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	chmod(sa.sun_path, 0666);
	return s;
}

START_TEST(journal_fields)
{
	struct tl_tncd t;
	char out[65536];

	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: needs root for a mount namespace\n");
		return;
	}
	/* our own /run/systemd/journal, seen by tncd and its children only */
	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	ck_assert_int_eq(tl_sh(out, sizeof(out), "mkdir -p %s", JOURNAL_DIR), 0);
	ck_assert_int_eq(mount("tmpfs", JOURNAL_DIR, "tmpfs", 0, "mode=0755"), 0);
	int sock = journal_socket();
	pthread_t thread;
	ck_assert_int_eq(pthread_create(&thread, NULL, reader, &sock), 0);

	memset(&t, 0, sizeof(t));
	snprintf(t.dir, sizeof(t.dir), "/tmp/tnc-journal-XXXXXX");
	tl_mkdtemp(t.dir);
	snprintf(t.conf, sizeof(t.conf), "%s/tncd.conf", t.dir);
	snprintf(t.sock, sizeof(t.sock), "%s/tncd.ctl", t.dir);
	snprintf(t.log, sizeof(t.log), "%s/tncd.stderr", t.dir);
	snprintf(t.ca, sizeof(t.ca), "%s/state/ike/pt-tls-cert.pem", t.dir);
	t.port = tl_pick_port();
	FILE *f = fopen(t.conf, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "[daemon]\ncontrol_socket = %s\nstate_dir = %s/state\nrestart_delay_ms = 100\n"
	    "[ike]\npt_tls_listen = 127.0.0.1:%d\n", t.sock, t.dir, t.port);
	fclose(f);
	t.pid = fork();
	ck_assert_int_ge(t.pid, 0);
	if (t.pid == 0) {
		int fd = open(t.log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		execl(TNC_BIN_DIR "/tncd", "tncd", "--config", t.conf, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_gt(tl_wait_state(&t, "tnc-imv-attest", "ready", 0, 10000), 0);

	/* tncd's own notice, with its slot, subsystem and the event's source */
	const struct entry *e = find("00[DMN] starting tncd", 5000);
	ck_assert_msg(e, "no start line in the journal (stderr: %s)", t.log);
	ck_assert_str_eq(e->priority, "5");
	ck_assert_str_eq(e->slot, "00");
	ck_assert_str_eq(e->subsys, "DMN");
	ck_assert_str_eq(e->file, "main.c");
	ck_assert_int_gt(atoi(e->line), 0);
	/* a child's info line keeps the child's source location */
	e = find("10[DMN] tnc-imv-os sandboxed", 5000);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->priority, "6");
	ck_assert_str_eq(e->slot, "10");
	ck_assert_str_eq(e->file, "child.c");

	/* an error: a child that dies */
	int pid = tl_child_pid(&t, "tnc-imv-swima");
	kill(pid, SIGKILL);
	e = find("died: signal 9", 5000);
	ck_assert_msg(e && strstr(e->message, "tnc-imv-swima"), "no death line");
	ck_assert_str_eq(e->priority, "3");
	ck_assert_str_eq(e->file, "procs.c");

	/* a warning: a client's malformed PB-TNC batch, logged by tnc-tnccs */
	struct tl_ptls c;
	ck_assert_int_eq(tl_ptls_connect(&c, t.port, 1), 0);
	static const uint8_t bad_batch[] = {2, 0x80, 0, 1, 0, 0, 0, 99}; /* length 99 */
	ck_assert_int_eq(tl_ptls_send_batch(&c, bad_batch, sizeof(bad_batch)), 0);
	e = find("malformed PB-TNC batch", 5000);
	ck_assert_msg(e, "no warning for a malformed batch");
	ck_assert_str_eq(e->priority, "4");
	ck_assert_str_eq(e->slot, "02");
	ck_assert_str_eq(e->subsys, "TNC");
	ck_assert_str_eq(e->file, "engine_client.c");
	tl_ptls_close(&c);

	kill(t.pid, SIGTERM);
	int st;
	ck_assert_int_eq(waitpid(t.pid, &st, 0), t.pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_ptr_nonnull(find("00[DMN] tncd stopped", 2000));
	stop_reading = 1;
	pthread_join(thread, NULL);
	/* every line says where it came from, and none is the log sink's own */
	ck_assert_int_gt(nentries, 20);
	for (int i = 0; i < nentries; i++) {
		ck_assert_msg(entries[i].file[0] && atoi(entries[i].line) > 0, "%s: no location",
		    entries[i].message);
		ck_assert_msg(strcmp(entries[i].file, "log_sink.c") != 0 ||
		    strstr(entries[i].message, "dropped"), "%s from log_sink.c", entries[i].message);
	}
	close(sock);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("journal");
	TCase *tc = tcase_create("journal");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, journal_fields);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
