/* peer_cred.c - the control socket's peer check (see peer_cred.h). */
#include "peer_cred.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define GROUPS_ON_STACK 64

/* The supplementary groups of the peer include gid.  Fails closed: groups
 * that cannot be read count as no match. */
static bool
peer_in_group(int fd, gid_t gid)
{
	gid_t small[GROUPS_ON_STACK], *groups = small;
	socklen_t len = sizeof(small);
	bool found = false;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) != 0) {
		/* ERANGE: len now says how much the kernel has, within NGROUPS_MAX. */
		if (len <= sizeof(small) || len > NGROUPS_MAX * sizeof(gid_t))
			return false;
		if (!(groups = malloc(len)))
			abort();
		if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) != 0)
			len = 0;
	}
	for (size_t i = 0; i < len / sizeof(gid_t) && !found; i++)
		found = groups[i] == gid;
	if (groups != small)
		free(groups);
	return found;
}

bool
peer_cred_allowed(int fd, gid_t control_gid, char *who, size_t size)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
		snprintf(who, size, "a peer without credentials");
		return false;
	}
	snprintf(who, size, "pid %d uid %u gid %u", (int)cred.pid, (unsigned)cred.uid,
	    (unsigned)cred.gid);
	if (cred.uid == 0 || cred.uid == geteuid())
		return true;
	return control_gid != 0 && (cred.gid == control_gid || peer_in_group(fd, control_gid));
}
