/* xfrm_kernel.c - the NETLINK_XFRM socket of tnc-xfrm (see xfrm_kernel.h). */
#include "xfrm_kernel.h"

#include <errno.h>
#include <linux/netlink.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "xfrm_msg.h"

/* Larger than any ack: capped acks carry the request's header only. */
#define ACK_BUF 4096
/* Datagrams read past before the ack, should the kernel queue others. */
#define ACK_READS_MAX 8

int
xfrm_kernel_open(void)
{
	int one = 1;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_XFRM);
	if (fd < 0)
		return -errno;
	struct sockaddr_nl local = {.nl_family = AF_NETLINK};
	/* Acks without the request echoed, with the kernel's reason when it
	 * refuses; bind() to a port the kernel picks. */
	if (setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) != 0 ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&local, sizeof(local)) != 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int
xfrm_kernel_request(int fd, const uint8_t *msg, size_t len, uint32_t seq, int *kernel_err,
    char *text, size_t text_size)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	struct iovec iov = {(void *)msg, len};
	struct msghdr mh = {.msg_name = &kernel, .msg_namelen = sizeof(kernel), .msg_iov = &iov,
	    .msg_iovlen = 1};
	ssize_t n;

	do
		n = sendmsg(fd, &mh, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return TNC_ETRUNCATED;
	for (int i = 0; i < ACK_READS_MAX; i++) {
		uint8_t buf[ACK_BUF];
		struct sockaddr_nl from;
		iov = (struct iovec){buf, sizeof(buf)};
		mh = (struct msghdr){.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
		    .msg_iovlen = 1};
		do
			n = recvmsg(fd, &mh, MSG_DONTWAIT);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return errno == EAGAIN ? TNC_ETIMEOUT : -errno;
		if (from.nl_pid != 0 || (mh.msg_flags & MSG_TRUNC))
			continue; /* not the kernel's, or cut: not an answer to trust */
		int err = xfrm_parse_ack(buf, (size_t)n, seq, kernel_err, text, text_size);
		if (err != TNC_ENOTFOUND)
			return err;
	}
	return TNC_ENOTFOUND;
}
