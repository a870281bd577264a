/* acceptor.c - accepting PT-TLS clients (see acceptor.h).  No listen() or
 * bind() here (the sandbox has neither): tncd did both; readiness of the
 * socket means a connection waits in accept4(). */
#include "acceptor.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "address.h"
#include "ike_metrics.h"
#include "log.h"
#include "pt_tls_server.h"
#include "tnccs_link.h"

#define REFUSAL_WINDOW_MS 1000 /* refusals logged one by one per window ... */
#define REFUSALS_LOGGED 3      /* ... up to this many, then counted */

static struct {
	struct child *child;
	unsigned max_connections;
	uv_stream_t *listener; /* owns the listening socket */
	uv_poll_t poll;
	bool polling;
	uv_timer_t refusal_timer; /* ends a refusal window with its count */
	unsigned refusals_logged, refusals_counted;
	struct source_limit per_source;
} acc;

static void
on_refusal_window(uv_timer_t *t)
{
	if (acc.refusals_counted)
		LOG(NET, 1, "refused %u more PT-TLS connections in the last %u ms",
		    acc.refusals_counted, REFUSAL_WINDOW_MS);
	acc.refusals_logged = acc.refusals_counted = 0;
}

static void
refuse(int fd, const struct sockaddr *peer, const char *why)
{
	char text[64];
	close(fd);
	if (acc.refusals_logged == 0 && acc.refusals_counted == 0)
		uv_timer_start(&acc.refusal_timer, on_refusal_window, REFUSAL_WINDOW_MS, 0);
	if (acc.refusals_logged < REFUSALS_LOGGED) {
		acc.refusals_logged++;
		LOG(NET, 1, "refusing a PT-TLS connection from %s: %s",
		    address_format(peer, text, sizeof(text)), why);
	} else {
		acc.refusals_counted++;
	}
}

static void
on_acceptable(uv_poll_t *p, int status, int events)
{
	uv_os_fd_t lfd;
	if (status < 0 || uv_fileno((uv_handle_t *)acc.listener, &lfd) != 0)
		return;
	while (pt_tls_server_count() < acc.max_connections) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int fd = accept4(lfd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR)
				LOG(NET, 1, "accept failed: %s", strerror(errno));
			return;
		}
		struct source_key key;
		if (!tnccs_link_up()) {
			ike_metrics_refused("tnccs_unavailable");
			refuse(fd, (struct sockaddr *)&ss, "tnc-tnccs is not available");
			continue;
		}
		if (source_limit_take(&acc.per_source, (struct sockaddr *)&ss, &key) != 0) {
			ike_metrics_refused("address_limit");
			refuse(fd, (struct sockaddr *)&ss, "too many connections from that address");
			continue;
		}
		if (pt_tls_server_accept(fd, (struct sockaddr *)&ss, &key) != 0)
			source_limit_put(&acc.per_source, &key);
	}
	uv_poll_stop(&acc.poll);
	acc.polling = false;
	LOG(NET, 1, "%u PT-TLS connections: not accepting more for now", pt_tls_server_count());
}

static void
start_polling(void)
{
	if (acc.listener && !acc.polling && pt_tls_server_count() < acc.max_connections) {
		uv_poll_start(&acc.poll, UV_READABLE, on_acceptable);
		acc.polling = true;
	}
}

void
acceptor_init(struct child *c, const struct ike_settings *s)
{
	acc.child = c;
	acc.max_connections = s->max_connections;
	source_limit_init(&acc.per_source, s->max_per_address);
	uv_timer_init(child_loop(c), &acc.refusal_timer);
}

void
acceptor_listen(struct ipc_received *rx)
{
	char address[64];
	uv_os_fd_t fd;

	if (acc.listener || !rx->handle || uv_fileno((uv_handle_t *)rx->handle, &fd) != 0) {
		LOG(NET, 1, "ignoring a listening socket: %s",
		    acc.listener ? "already listening" : "no descriptor");
		return;
	}
	acc.listener = rx->handle; /* keeps the descriptor open */
	rx->handle = NULL;
	uv_poll_init_socket(child_loop(acc.child), &acc.poll, fd);
	start_polling();
	LOG(NET, 1, "accepting PT-TLS connections on %s",
	    bytes_cstr(rx->msg.u.ike_listener.address, address, sizeof(address)));
}

void
acceptor_released(const struct source_key *key)
{
	source_limit_put(&acc.per_source, key);
	start_polling(); /* below the connection limit again */
}
