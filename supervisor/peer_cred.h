/* peer_cred.h - who is at the other end of a control connection, as the
 * kernel recorded it at connect(): SO_PEERCRED for pid, uid and gid,
 * SO_PEERGROUPS for the supplementary groups.  Nothing the client says and
 * nothing read later from /proc (a pid can be reused) is trusted. */
#ifndef TNC_PEER_CRED_H
#define TNC_PEER_CRED_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Whether the peer of the unix socket fd may use tncctl: root, tncd's own
 * uid, or a member of control_gid by its primary or a supplementary group
 * (control_gid 0: nobody else).  who gets "pid P uid U gid G" for the log. */
bool peer_cred_allowed(int fd, gid_t control_gid, char *who, size_t size);

#endif
