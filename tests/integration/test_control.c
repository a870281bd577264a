/* test_control.c - tncd's control socket: idle connections cannot lock
 * tncctl out (they are closed after a few seconds, and a newcomer makes the
 * idlest one give way), and control_group counts supplementary groups as
 * the kernel recorded them at connect(). */
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#define IDLE 100
#define CONTROL_GID 47110

/* Only tncd: the control socket needs no child. */
#define NO_CHILDREN "enabled = no\n[tnccs]\nenabled = no\n[imv-os]\nenabled = no\n" \
	"[imv-swima]\nenabled = no\n[imv-attest]\nenabled = no\n"

static char out[65536];

static void
start_tncd(struct tl_tncd *t, const char *daemon_extra)
{
	char extra[1024];
	snprintf(extra, sizeof(extra), NO_CHILDREN "[daemon]\n%s", daemon_extra);
	tl_tncd_start(t, extra, false);
	int rc = 1;
	for (int i = 0; i < 250 && rc != 0; i++)
		if ((rc = tl_ctl(t, out, sizeof(out), "status")))
			usleep(20000);
	ck_assert_msg(rc == 0, "tncd never answered (log %s)", t->log);
}

static int
connect_idle(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	ck_assert_uint_lt(strlen(path), sizeof(sa.sun_path));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* 1 once tncd has closed fd (EOF), 0 while it is open. */
static int
closed_by_tncd(int fd)
{
	char c;
	return recv(fd, &c, 1, MSG_DONTWAIT) == 0;
}

START_TEST(idle_connections_do_not_lock_out_tncctl)
{
	struct tl_tncd t;
	int fds[IDLE];

	start_tncd(&t, "");
	for (int i = 0; i < IDLE; i++)
		fds[i] = connect_idle(t.sock);
	long start = tl_now_ms();
	int rc = tl_ctl(&t, out, sizeof(out), "status");
	long ms = tl_now_ms() - start;
	ck_assert_msg(rc == 0, "tncctl status failed behind %d idle connections: %s", IDLE, out);
	ck_assert_ptr_nonnull(strstr(out, "\"name\":\"tncd\""));
	ck_assert_msg(ms < 1000, "tncctl took %ld ms", ms);
	/* twice more: room is made each time */
	ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "status"), 0);
	ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "status"), 0);
	/* every idle connection is closed by tncd after its idle timeout (3 s) */
	int open = IDLE;
	long deadline = tl_now_ms() + 6000;
	while (open > 0 && tl_now_ms() < deadline) {
		open = 0;
		for (int i = 0; i < IDLE; i++)
			open += !closed_by_tncd(fds[i]);
		usleep(50000);
	}
	ck_assert_msg(open == 0, "%d idle connections still open", open);
	for (int i = 0; i < IDLE; i++)
		close(fds[i]);
	tl_tncd_stop(&t);
}
END_TEST

/* Runs `tncctl status` as uid/gid with the given supplementary groups;
 * returns its exit code. */
static int
ctl_as(struct tl_tncd *t, uid_t uid, gid_t gid, const gid_t *groups, size_t ngroups)
{
	int pipefd[2];
	ck_assert_int_eq(pipe(pipefd), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		if (setgroups(ngroups, groups) != 0 || setgid(gid) != 0 || setuid(uid) != 0)
			_exit(126);
		char *const env[] = {NULL};
		execle(TNC_BIN_DIR "/tncctl", "tncctl", "-s", t->sock, "--json", "status",
		    (char *)NULL, env);
		_exit(127);
	}
	close(pipefd[1]);
	ssize_t n, len = 0;
	while (len < (ssize_t)sizeof(out) - 1 &&
	    (n = read(pipefd[0], out + len, sizeof(out) - 1 - (size_t)len)) > 0)
		len += n;
	out[len] = 0;
	close(pipefd[0]);
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st), "tncctl as uid %u: status 0x%x: %s", (unsigned)uid, st, out);
	return WEXITSTATUS(st);
}

START_TEST(control_group_counts_supplementary_groups)
{
	struct tl_tncd t;
	char daemon[64], needle[128];

	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: changing uid and groups needs root\n");
		return;
	}
	snprintf(daemon, sizeof(daemon), "control_group = %u\n", CONTROL_GID);
	start_tncd(&t, daemon);
	struct stat st;
	ck_assert_int_eq(stat(t.sock, &st), 0);
	ck_assert_uint_eq(st.st_gid, CONTROL_GID);
	ck_assert_uint_eq(st.st_mode & 0777, 0660);

	/* in control_group through a supplementary group only */
	const gid_t member_groups[] = {47200, CONTROL_GID};
	int rc = ctl_as(&t, 47201, 47202, member_groups, 2);
	ck_assert_msg(rc == 0, "supplementary member refused: %s", out);
	ck_assert_ptr_nonnull(strstr(out, "\"name\":\"tncd\""));
	/* in control_group as the primary group */
	ck_assert_int_eq(ctl_as(&t, 47203, CONTROL_GID, NULL, 0), 0);

	/* Not in it: with the socket's mode opened up, so that tncd's own check
	 * is what refuses, not the file system. */
	ck_assert_int_eq(chmod(t.sock, 0666), 0);
	const gid_t other_groups[] = {47204};
	rc = ctl_as(&t, 47205, 47206, other_groups, 1);
	ck_assert_msg(rc == 1, "a non-member: exit code %d: %s", rc, out);
	ck_assert_ptr_nonnull(strstr(out, "tncd closed the connection without answering"));
	snprintf(needle, sizeof(needle), "uid 47205 gid 47206: not root and not in control_group");
	ck_assert(tl_log_contains(&t, "refusing control connection from pid", 2000));
	ck_assert(tl_log_contains(&t, needle, 0));
	/* still serving root */
	ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "status"), 0);
	tl_tncd_stop(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("control");
	TCase *tc = tcase_create("control");
	tcase_set_timeout(tc, 40);
	tcase_add_test(tc, idle_connections_do_not_lock_out_tncctl);
	tcase_add_test(tc, control_group_counts_supplementary_groups);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
