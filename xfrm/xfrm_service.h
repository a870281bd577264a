/* xfrm_service.h - tnc-xfrm's work: one request from tnc-ike checked,
 * sent to the kernel and recorded, and the removal of everything it
 * installed.  main.c feeds it IPC frames; tests drive it directly.
 */
#ifndef TNC_XFRM_SERVICE_H
#define TNC_XFRM_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "ipc_msg.h"
#include "xfrm_admit.h"
#include "xfrm_table.h"

struct xfrm_service {
	int fd;                   /* the NETLINK_XFRM socket (xfrm_kernel.h) */
	uint32_t seq;             /* of the last netlink request */
	struct xfrm_admit admit;  /* the configured connections */
	struct xfrm_table table;  /* what it installed */
};

/* Handles one xfrm-* request: 0 when the kernel took it; before the
 * kernel sees it, TNC_EINVALID (a field's meaning, or a policy outside the
 * configured connections), TNC_ETOOLONG (its bound of installed objects),
 * TNC_ESTATE (an SA under no installed policy, or one installed already),
 * TNC_ENOTFOUND (a delete of something it did not install); else the
 * kernel's -errno.  reason gets one line on why (empty on success). */
int xfrm_service_handle(struct xfrm_service *s, const struct ipc_msg *req, char *reason,
    size_t size);

/* Deletes every policy, then every SA it installed, and forgets them;
 * the number the kernel still had (others expired or went with their
 * namespace). */
unsigned xfrm_service_flush(struct xfrm_service *s);

/* Whether the kernel takes XFRM requests from this process (it holds
 * CAP_NET_ADMIN): 0, or the reason it does not in reason. */
int xfrm_service_probe(struct xfrm_service *s, char *reason, size_t size);

#endif
