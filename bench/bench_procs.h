/* bench_procs.h - CPU time and peak memory of tncd and its children, read
 * from /proc. */
#ifndef TNC_BENCH_PROCS_H
#define TNC_BENCH_PROCS_H

#include <sys/types.h>

#define BENCH_PROCS_MAX 8

struct bench_proc {
	pid_t pid;
	char name[32];
	double cpu_ms;   /* time on a CPU (schedstat, nanosecond resolution) */
	unsigned long runs; /* times put on a CPU: wake-ups, and preemptions */
	long peak_kb;    /* VmHWM */
};

/* tncd (pid) and its direct children; returns how many were found. */
int bench_procs_read(pid_t tncd, struct bench_proc *out, int max);
/* Sum of cpu_ms over the processes. */
double bench_procs_cpu_ms(const struct bench_proc *p, int n);
/* The process called name; one of all zeros when it is not among them. */
const struct bench_proc *bench_procs_find(const struct bench_proc *p, int n, const char *name);

/* The processes as a table (name, pid, peak RSS, CPU), on stdout. */
void bench_procs_print(const struct bench_proc *p, int n);

/* cpu_ms summed over every process of the machine called name (e.g. the
 * PostgreSQL server's "postgres" processes). */
double bench_procs_cpu_ms_named(const char *name);

#endif
