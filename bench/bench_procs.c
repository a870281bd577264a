/* bench_procs.c - /proc readings for the benchmarks (see bench_procs.h). */
#include "bench_procs.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Name and parent from /proc/PID/stat; time on a CPU and how many times
 * it was put on one from /proc/PID/schedstat (clock ticks of stat are
 * 10 ms, too coarse for a few ms per session). */
static int
read_stat(pid_t pid, pid_t *ppid, struct bench_proc *p)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	char *open = strchr(buf, '('), *close = strrchr(buf, ')');
	if (!open || !close)
		return -1;
	snprintf(p->name, sizeof(p->name), "%.*s", (int)(close - open - 1), open + 1);
	char state;
	int pp;
	if (sscanf(close + 2, "%c %d", &state, &pp) != 2)
		return -1;
	*ppid = pp;
	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	unsigned long long ns;
	f = fopen(path, "r");
	if (!f)
		return -1;
	int ok = fscanf(f, "%llu %*u %lu", &ns, &p->runs) == 2; /* on CPU, waited, runs */
	fclose(f);
	if (!ok)
		return -1;
	p->cpu_ms = (double)ns / 1e6;
	return 0;
}

static long
peak_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = 0;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

int
bench_procs_read(pid_t tncd, struct bench_proc *out, int max)
{
	int n = 0;
	pid_t ppid;
	if (max < 1 || read_stat(tncd, &ppid, &out[0]))
		return 0;
	out[0].pid = tncd;
	out[0].peak_kb = peak_kb(tncd);
	n = 1;
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d)) && n < max) {
		pid_t pid = (pid_t)atoi(de->d_name);
		struct bench_proc p = {.pid = pid};
		if (pid <= 0 || read_stat(pid, &ppid, &p) || ppid != tncd)
			continue;
		p.peak_kb = peak_kb(pid);
		out[n++] = p;
	}
	if (d)
		closedir(d);
	return n;
}

double
bench_procs_cpu_ms(const struct bench_proc *p, int n)
{
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += p[i].cpu_ms;
	return sum;
}

const struct bench_proc *
bench_procs_find(const struct bench_proc *p, int n, const char *name)
{
	static const struct bench_proc none;
	for (int i = 0; i < n; i++)
		if (strcmp(p[i].name, name) == 0)
			return &p[i];
	return &none;
}

void
bench_procs_print(const struct bench_proc *p, int n)
{
	printf("  %-16s %8s %12s %10s\n", "process", "pid", "peak RSS kB", "CPU ms");
	for (int i = 0; i < n; i++)
		printf("  %-16s %8d %12ld %10.1f\n", p[i].name, (int)p[i].pid, p[i].peak_kb,
		    p[i].cpu_ms);
}

double
bench_procs_cpu_ms_named(const char *name)
{
	double sum = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d))) {
		pid_t pid = (pid_t)atoi(de->d_name), ppid;
		struct bench_proc p;
		if (pid > 0 && !read_stat(pid, &ppid, &p) &&
		    !strcmp(p.name, name))
			sum += p.cpu_ms;
	}
	if (d)
		closedir(d);
	return sum;
}
