/* tncctl - asks tncd over its control socket and prints the answer as a
 * table or, with --json, as JSON with the table's field names and types;
 * `metrics` prints the Prometheus text exposition format. */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc_channel.h"
#include "log.h"
#include "render.h"

#define DEFAULT_SOCKET "/run/tnc/tncd.ctl"
#define REPLY_TIMEOUT_MS 10000

struct tncctl {
	uv_loop_t *loop;
	uv_pipe_t *pipe;
	uv_connect_t connect;
	uv_timer_t timer;
	struct ipc_channel *ch;
	struct ipc_msg request;
	enum render_format format;
	int exit_code;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: tncctl [-s SOCKET] [--json] COMMAND [ARGS]   (options anywhere)\n"
	    "  status                         one row per process\n"
	    "  privileges                     ids, capabilities, seccomp, fds, root per process\n"
	    "  restart NAME                   restart one child (e.g. tnc-imv-os)\n"
	    "  loglevel [NAME] SUBSYS LEVEL   change log levels live (SUBSYS or 'all', -1..4)\n"
	    "  ping NAME PEER                 NAME pings PEER over their direct channel\n"
	    "  metrics                        counters in the Prometheus text format\n"
	    "  stop                           stop tncd and every child\n"
	    "  -s, --socket SOCKET            default $TNC_CONTROL_SOCKET, then %s\n"
	    "  -j, --json                     JSON with typed fields\n"
	    "  -h, --help; -V, --version\n"
	    "Exit codes: 0 done, 1 tncd refused or failed, 2 usage.\n", DEFAULT_SOCKET);
}

static void
finish(struct tncctl *c, int code)
{
	c->exit_code = code;
	uv_timer_stop(&c->timer);
	uv_close((uv_handle_t *)&c->timer, NULL);
	if (c->ch)
		ipc_channel_close(c->ch, 0);
}

static void
on_msg(struct ipc_channel *ch, struct ipc_received *rx)
{
	struct tncctl *c = ipc_channel_data(ch);
	const struct ipc_ctl_reply *r = &rx->msg.u.ctl_reply;
	int err = render_reply(stdout, r, c->format);
	if (err)
		fprintf(stderr, "tncctl: malformed reply: %s\n", tnc_strerror(err));
	finish(c, err || r->status ? 1 : 0);
}

static void
on_close(struct ipc_channel *ch, int err)
{
	struct tncctl *c = ipc_channel_data(ch);
	c->ch = NULL;
	if (c->exit_code < 0) {
		fprintf(stderr, "tncctl: tncd closed the connection without answering\n");
		finish(c, 1);
	}
}

static const struct ipc_channel_ops ops = {on_msg, on_close, NULL};

static void
on_connect(uv_connect_t *req, int status)
{
	struct tncctl *c = req->data;
	if (status < 0) {
		fprintf(stderr, "tncctl: cannot connect to tncd: %s\n", uv_strerror(status));
		uv_close((uv_handle_t *)c->pipe, (uv_close_cb)free);
		finish(c, 1);
		return;
	}
	int err = ipc_channel_adopt((uv_stream_t *)c->pipe, IPC_END_CTL, IPC_END_TNCD, "tncd", &ops, c,
	    &c->ch);
	if (!err)
		err = ipc_channel_send(c->ch, &c->request, 0, 1, 0, -1);
	if (err) {
		fprintf(stderr, "tncctl: cannot send the request: %s\n", tnc_strerror(err));
		finish(c, 1);
	}
}

static void
on_timeout(uv_timer_t *timer)
{
	fprintf(stderr, "tncctl: no answer from tncd within %d ms\n", REPLY_TIMEOUT_MS);
	finish(timer->data, 1);
}

int
main(int argc, char **argv)
{
	struct tncctl c = {.exit_code = -1, .request.type = IPC_CTL_REQUEST};
	struct ipc_ctl_request *req = &c.request.u.ctl_request;
	const char *sock = getenv("TNC_CONTROL_SOCKET");
	bool json = false;

	/* Options may stand anywhere; a word starting with '-' and a digit is a
	 * log level ("-1"), not an option. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((!strcmp(a, "-s") || !strcmp(a, "--socket")) && i + 1 < argc) {
			sock = argv[++i];
		} else if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("tncctl %s\n", TNC_VERSION);
			return 0;
		} else if (a[0] == '-' && !(a[1] >= '0' && a[1] <= '9')) {
			fprintf(stderr, "tncctl: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		} else if (req->argc == IPC_CTL_ARGS_MAX) {
			fprintf(stderr, "tncctl: too many words\n");
			return 2;
		} else {
			req->argv[req->argc++] = (struct bytes){(const uint8_t *)a, strlen(a)};
		}
	}
	if (req->argc == 0) {
		usage(stderr);
		return 2;
	}
	bool metrics = req->argv[0].len == 7 && !memcmp(req->argv[0].ptr, "metrics", 7);
	c.format = json ? RENDER_JSON : metrics ? RENDER_EXPOSITION : RENDER_TABLE;
	log_set_all_levels(0);
	/* tncd refusing us closes the socket: a failed write, not a signal. */
	signal(SIGPIPE, SIG_IGN);

	c.loop = uv_default_loop();
	c.pipe = malloc(sizeof(*c.pipe));
	if (!c.pipe)
		abort();
	uv_pipe_init(c.loop, c.pipe, 1);
	uv_timer_init(c.loop, &c.timer);
	c.timer.data = &c;
	uv_timer_start(&c.timer, on_timeout, REPLY_TIMEOUT_MS, 0);
	c.connect.data = &c;
	uv_pipe_connect(&c.connect, c.pipe, sock ? sock : DEFAULT_SOCKET, on_connect);
	uv_run(c.loop, UV_RUN_DEFAULT);
	uv_loop_close(c.loop);
	return c.exit_code < 0 ? 1 : c.exit_code;
}
