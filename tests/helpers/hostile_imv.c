/* hostile_imv.c - tnc-test-hostile-imv: started by tncd in place of an IMV
 * (`path =` in its section), it comes up like any child (HELLO, CONFIG,
 * sandbox, READY) and, once wired to tnc-tnccs, plays a compromised IMV.
 * It bypasses the IPC library and writes raw frames to the channel's
 * socket, one attack per generation (tncd restarts it after each kill):
 *   gen 1: IMV_SUBSCRIBE claiming IMV ID 3 "Attestation" and every PA type;
 *   gen 2: a correct IMV_SUBSCRIBE, then TNCCS_BATCH, a message only tnc-ike
 *          may send to tnc-tnccs;
 *   gen 3: a correct IMV_SUBSCRIBE, then 50 PINGs each carrying a descriptor;
 *   gen 4: a correct IMV_SUBSCRIBE only (a control: it must be accepted).
 * It logs every frame it is sent ("hostile: got ...") so the test can tell
 * whether anything was delivered to it. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "child.h"
#include "child_subscribe.h"
#include "log.h"

static uint32_t gen;

/* The direct channel's socket: the one socket besides the control channel
 * (fd 3) that is open here once tnccs is attached (the test runs without
 * tnc-policy, an IMV's other peer). */
static int
channel_fd(void)
{
	for (int fd = 5; fd < 32; fd++) {
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode))
			return fd;
	}
	return -1;
}

static size_t
frame(uint8_t *out, size_t cap, const struct ipc_msg *m, uint8_t flags)
{
	struct wire_writer w;
	wire_writer_init(&w, cap - IPC_HEADER_LEN);
	if (ipc_msg_encode(m, &w) != 0)
		abort();
	struct ipc_header h = {IPC_FRAME_VERSION, flags, m->type, (uint32_t)w.len, 0, 0};
	ipc_frame_write_header(&h, out);
	memcpy(out + IPC_HEADER_LEN, w.buf, w.len);
	size_t n = IPC_HEADER_LEN + w.len;
	wire_writer_clear(&w);
	return n;
}

static void
send_raw(int fd, const uint8_t *p, size_t n, int pass_fd)
{
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	struct iovec iov = {(void *)p, n};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	if (pass_fd >= 0) {
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
	}
	ssize_t w = sendmsg(fd, &mh, MSG_NOSIGNAL); /* stays alive for the test to see */
	LOG(DMN, 1, "hostile: wrote %zd of %zu bytes%s", w, n, pass_fd >= 0 ? " with a descriptor" : "");
}

/* The subscription of IMV id as its manifest row says, or claiming every
 * PA message type. */
static void
subscribe(int fd, uint16_t id, bool everything)
{
	uint8_t buf[512];
	struct ipc_msg s = child_imv_subscription(manifest_find_imv(id));
	if (everything) {
		s.u.imv_subscribe.count = 1;
		s.u.imv_subscribe.vendor[0] = 0xffffff;
		s.u.imv_subscribe.subtype[0] = 0xff;
	}
	send_raw(fd, buf, frame(buf, sizeof(buf), &s, 0), -1);
}

static void
attack(struct child *c)
{
	const struct role_manifest *self = child_role(c);
	int fd = channel_fd();
	uint8_t buf[256];

	if (fd < 0) {
		LOG(DMN, 0, "hostile: no channel socket found");
		return;
	}
	switch (gen) {
	case 1:
		LOG(DMN, 1, "hostile: claiming IMV ID 3 and every PA message type");
		subscribe(fd, 3, true);
		return;
	case 2: {
		subscribe(fd, self->imv_id, false);
		LOG(DMN, 1, "hostile: sending tnccs-batch, a message of tnc-ike");
		struct ipc_msg b = {.type = IPC_TNCCS_BATCH};
		b.u.tnccs_batch.batch = (struct bytes){(const uint8_t *)"\x02\x80\x00\x01\x00\x00\x00\x08", 8};
		send_raw(fd, buf, frame(buf, sizeof(buf), &b, 0), -1);
		return;
	}
	case 3: {
		subscribe(fd, self->imv_id, false);
		LOG(DMN, 1, "hostile: sending 50 pings with a descriptor each");
		struct ipc_msg p = {.type = IPC_PING, .u.ping.token = 7};
		size_t n = frame(buf, sizeof(buf), &p, 0);
		for (int i = 0; i < 50; i++)
			send_raw(fd, buf, n, 0);
		return;
	}
	default:
		LOG(DMN, 1, "hostile: subscribing as the manifest says");
		subscribe(fd, self->imv_id, false);
	}
}

static void
peer_attached(struct child *c, enum tnc_role peer, struct ipc_channel *ch)
{
	if (peer == ROLE_TNCCS) /* tnc-policy is a peer too */
		attack(c);
}

static void
on_msg(struct child *c, enum tnc_role peer, struct ipc_received *rx)
{
	LOG(DMN, 1, "hostile: got '%s' for Connection ID %u", ipc_type_name(rx->hdr.type),
	    rx->hdr.session);
}

static const struct child_ops ops = {.peer_attached = peer_attached, .on_msg = on_msg};

int
main(int argc, char **argv)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--gen") == 0)
			gen = (uint32_t)strtoul(argv[i + 1], NULL, 10);
	return child_main(argc, argv, ROLE_COUNT, &ops);
}
