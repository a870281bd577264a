/* xfrm_kernel.h - tnc-xfrm's NETLINK_XFRM socket: opened before the
 * sandbox, then one request at a time answered by the kernel's ack.
 *
 * The kernel handles a request inside the sendmsg() that carries it and
 * queues its ack before sendmsg() returns, so the ack is read without
 * waiting (MSG_DONTWAIT): the event loop never blocks on the kernel.
 */
#ifndef TNC_XFRM_KERNEL_H
#define TNC_XFRM_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The socket (close-on-exec, extended and capped acks); a descriptor or -errno. */
int xfrm_kernel_open(void) TNC_MUST_CHECK;
/* Sends the request msg (len bytes, sequence seq) on fd and reads its ack:
 * 0 with *kernel_err (0 or -errno) and the kernel's message in text, or
 * -errno / TNC_E* when there was no readable ack. */
int xfrm_kernel_request(int fd, const uint8_t *msg, size_t len, uint32_t seq, int *kernel_err,
    char *text, size_t text_size) TNC_MUST_CHECK;

#endif
