/* xfrm_msg.h - the XFRM netlink messages tnc-xfrm sends to the kernel, and
 * the kernel's answers (pure: no I/O, no globals).
 *
 * A request arrives as an IPC payload (ipc_msg.h, struct ipc_xfrm_*);
 * xfrm_check_*() says whether it means something the kernel should be told,
 * with a reason naming the field when not, and xfrm_build_*() lays out the
 * netlink message (struct nlmsghdr + the structs of <linux/xfrm.h> +
 * attributes, in host byte order as netlink wants; addresses and SPIs in
 * network order).  What is built: ESP in tunnel mode only, with anti-replay
 * (a 32-packet window), AES-GCM with a 128-bit ICV (RFC 4106) or AES-CBC
 * with HMAC-SHA-256/384/512 truncated to half (RFC 4868), optional UDP
 * encapsulation (RFC 3948), lifetimes in seconds; policies in, out or fwd
 * with one ESP tunnel template.  The layout is the one iproute2's `ip
 * xfrm` sends for the same request (tests/unit/test_xfrm_msg.c).
 */
#ifndef TNC_XFRM_MSG_H
#define TNC_XFRM_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "ipc_msg.h"

/* Larger than any message built here (an SA with the longest keys and
 * UDP encapsulation is 496 bytes). */
#define XFRM_REQUEST_MAX 1024
/* The anti-replay window of every SA, in packets. */
#define XFRM_REPLAY_WINDOW 32
/* RFC 4303 2.1: SPIs 1..255 are reserved by IANA, 0 is never one. */
#define XFRM_SPI_MIN 256

/* 0, or TNC_EINVALID with *why naming the field (static text). */
int xfrm_check_sa_id(const struct ipc_xfrm_sa_id *id, const char **why);
int xfrm_check_sa(const struct ipc_xfrm_sa *sa, const char **why);
int xfrm_check_policy_id(const struct ipc_xfrm_policy_id *id, const char **why);
int xfrm_check_policy(const struct ipc_xfrm_policy *p, const char **why);

/* Each checks its request as above, then writes one netlink message
 * (NLM_F_REQUEST | NLM_F_ACK, sequence seq, port 0) into buf; *len gets
 * its size.  TNC_ETOOLONG when size is too small. */
int xfrm_build_newsa(const struct ipc_xfrm_sa *sa, uint32_t seq, uint8_t *buf, size_t size,
    size_t *len, const char **why);
int xfrm_build_delsa(const struct ipc_xfrm_sa_id *id, uint32_t seq, uint8_t *buf, size_t size,
    size_t *len, const char **why);
int xfrm_build_newpolicy(const struct ipc_xfrm_policy *p, uint32_t seq, uint8_t *buf,
    size_t size, size_t *len, const char **why);
int xfrm_build_delpolicy(const struct ipc_xfrm_policy_id *id, uint32_t seq, uint8_t *buf,
    size_t size, size_t *len, const char **why);

/* The kernel's answer in buf (one datagram) to the request with seq: 0
 * with *kernel_err = 0 (an ack) or the request's -errno, and in text (when
 * not NULL) the kernel's extended-ack message (NETLINK_EXT_ACK with
 * NETLINK_CAP_ACK), or "" when it sent none; TNC_ENOTFOUND when buf holds
 * no answer to seq; TNC_ETRUNCATED / TNC_EINVALID for a message whose
 * lengths do not add up. */
int xfrm_parse_ack(const uint8_t *buf, size_t len, uint32_t seq, int *kernel_err, char *text,
    size_t text_size);

/* XFRM_MSG_GETSPDINFO (acked): a request that changes nothing, which the
 * kernel refuses with EPERM to a sender without CAP_NET_ADMIN. */
int xfrm_build_probe(uint32_t seq, uint8_t *buf, size_t size, size_t *len);

/* "aes-gcm-16" etc.; "?" when unknown. */
const char *xfrm_alg_name(unsigned alg);

#endif
