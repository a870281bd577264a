/* privileges.h - what a process may do, read from /proc (not from config). */
#ifndef TNC_PRIVILEGES_H
#define TNC_PRIVILEGES_H

#include <sys/types.h>

#include "err.h"

struct proc_privileges {
	char uid[16], gid[16];   /* effective */
	char groups[128];        /* supplementary, space separated; "" = none */
	char cap_eff[20], cap_bnd[20];
	char no_new_privs[4], seccomp[4];
	int fds;                 /* -1: not readable */
	char root[256], cwd[256]; /* "?": not readable */
};

/* Fails only when /proc/PID/status cannot be read.  A non-dumpable process
 * of another uid keeps its fd, root and cwd links from a reader without
 * CAP_SYS_PTRACE (tncd not root, or under the systemd unit): those come
 * back as -1 and "?". */
int privileges_read(pid_t pid, struct proc_privileges *ret) TNC_MUST_CHECK;

#endif
