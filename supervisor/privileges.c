/* privileges.c - reads a process's ids, capabilities, no_new_privs, seccomp
 * mode, open descriptors, root and cwd from /proc/PID. */
#include "privileges.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The second field of "Uid:\treal\teffective\t..." lines. */
static void
second_field(const char *v, char *out, size_t size)
{
	unsigned a, b;
	if (sscanf(v, "%u %u", &a, &b) == 2)
		snprintf(out, size, "%u", b);
}

static void
status_field(const char *key, const char *v, struct proc_privileges *p)
{
	if (!strcmp(key, "Uid"))
		second_field(v, p->uid, sizeof(p->uid));
	else if (!strcmp(key, "Gid"))
		second_field(v, p->gid, sizeof(p->gid));
	else if (!strcmp(key, "Groups"))
		snprintf(p->groups, sizeof(p->groups), "%s", v);
	else if (!strcmp(key, "CapEff"))
		snprintf(p->cap_eff, sizeof(p->cap_eff), "%s", v);
	else if (!strcmp(key, "CapBnd"))
		snprintf(p->cap_bnd, sizeof(p->cap_bnd), "%s", v);
	else if (!strcmp(key, "NoNewPrivs"))
		snprintf(p->no_new_privs, sizeof(p->no_new_privs), "%s", v);
	else if (!strcmp(key, "Seccomp"))
		snprintf(p->seccomp, sizeof(p->seccomp), "%s", v);
}

static void
read_link(pid_t pid, const char *what, char *out, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	ssize_t n = readlink(path, out, size - 1);
	if (n <= 0)
		snprintf(out, size, "?");
	else
		out[n] = 0;
}

int
privileges_read(pid_t pid, struct proc_privileges *ret)
{
	struct proc_privileges p;
	char path[64], line[512];

	memset(&p, 0, sizeof(p));
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = 0;
		char *v = colon + 1;
		v += strspn(v, " \t");
		v[strcspn(v, "\n")] = 0;
		if (v[0] && v[strlen(v) - 1] == ' ')
			v[strlen(v) - 1] = 0;
		status_field(line, v, &p);
	}
	fclose(f);
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	DIR *d = opendir(path);
	p.fds = d ? 0 : -1;
	struct dirent *de;
	while (d && (de = readdir(d)))
		p.fds += de->d_name[0] != '.';
	if (d)
		closedir(d);
	read_link(pid, "root", p.root, sizeof(p.root));
	read_link(pid, "cwd", p.cwd, sizeof(p.cwd));
	*ret = p;
	return 0;
}
