/* bench_wakeup - what one message between two sleeping processes costs on
 * this machine: the unit that bench_sessions' one-at-a-time figures are
 * made of (one at a time, a session puts tnc-ike on a CPU about ten times
 * and tnc-policy seven; bench_sessions prints the counts).  Two processes
 * pass one byte back and forth over a socket pair, each as an actor does:
 * epoll_wait, read, write.  Prints the CPU time per message handled (the
 * sleep, the wake-up, the read and the write) and the wall time per round
 * trip, with the two processes placed by the scheduler, then both on CPU 0.
 *
 *   bench_wakeup [-n ROUND_TRIPS]
 *
 * On a virtual machine a wake-up that crosses CPUs can cost several times
 * one that does not; run it beside bench_sessions to read its figures. */
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_tncd.h"

static double
cpu_us(const struct rusage *r)
{
	return (double)(r->ru_utime.tv_sec + r->ru_stime.tv_sec) * 1e6 +
	    (double)(r->ru_utime.tv_usec + r->ru_stime.tv_usec);
}

/* Answers every byte that arrives, n times; the first side starts. */
static void
pass(int fd, int n, bool first)
{
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
	char b;
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0)
		bench_die("epoll");
	if (first && write(fd, "x", 1) != 1)
		bench_die("write");
	for (int i = 0; i < n; i++) {
		if (epoll_wait(ep, &ev, 1, -1) != 1 || read(fd, &b, 1) != 1)
			bench_die("read");
		if ((!first || i < n - 1) && write(fd, &b, 1) != 1)
			bench_die("write");
	}
	close(ep);
}

static void
run(const char *placement, int n, bool pin)
{
	int sv[2];
	struct rusage self0, self1, child;
	int status;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		bench_die("socketpair");
	if (pin) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(0, &set);
		if (sched_setaffinity(0, sizeof(set), &set) != 0)
			bench_die("sched_setaffinity");
	}
	pid_t pid = fork();
	if (pid < 0)
		bench_die("fork");
	if (pid == 0) {
		close(sv[0]);
		pass(sv[1], n, false);
		_exit(0);
	}
	close(sv[1]);
	getrusage(RUSAGE_SELF, &self0);
	double t0 = bench_now_s();
	pass(sv[0], n, true);
	double wall_us = (bench_now_s() - t0) * 1e6;
	getrusage(RUSAGE_SELF, &self1);
	if (wait4(pid, &status, 0, &child) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		bench_fail("the other process failed (status %d)", status);
	close(sv[0]);
	double cpu = cpu_us(&self1) - cpu_us(&self0) + cpu_us(&child);
	printf("  %-30s %6.2f us of CPU per message handled  %6.2f us per round trip\n", placement,
	    cpu / (2.0 * n), wall_us / n);
}

int
main(int argc, char **argv)
{
	int n = 20000, opt;
	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n' || (n = atoi(optarg)) < 1) {
			fprintf(stderr, "usage: bench_wakeup [-n ROUND_TRIPS]\n");
			return 2;
		}
	}
	printf("%d round trips of one byte between two processes, %ld CPUs\n", n,
	    sysconf(_SC_NPROCESSORS_ONLN));
	run("placed by the scheduler", n, false);
	run("both on CPU 0", n, true);
	return 0;
}
