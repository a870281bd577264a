/* policyd_db.c - tnc-policy's connection to a database server: down when
 * a store call finds the server gone, made again by a timer that backs off
 * (see policyd.h).  Nothing waits for it: requests while it is down are
 * answered with an error at once, and what failed is not done again. */
#include "log.h"
#include "policyd.h"

void
policyd_db_init(struct policyd_db *d, uv_loop_t *loop, struct policy_store *store)
{
	*d = (struct policyd_db){.store = store};
	uv_timer_init(loop, &d->retry);
	d->retry.data = d;
}

struct policy_store *
policyd_db_store(const struct policyd_db *d)
{
	return d->down ? NULL : d->store;
}

static double
seconds_down(const struct policyd_db *d)
{
	return (double)(uv_hrtime() - d->down_since_ns) / 1e9;
}

/* libpq connects blocking, for at most its connect_timeout: the loop's
 * time is brought up to date before the next try is timed from it. */
static void
on_retry(uv_timer_t *t)
{
	struct policyd_db *d = t->data;
	d->tries++;
	int err = policy_store_reconnect(d->store);
	uv_update_time(t->loop);
	if (err == 0) {
		d->down = false;
		LOG(IMV, 1, "policy: database connection restored after %.1f s", seconds_down(d));
		return;
	}
	d->delay_ms = d->delay_ms * 2 < POLICYD_DB_RETRY_MAX_MS ? d->delay_ms * 2 :
	    POLICYD_DB_RETRY_MAX_MS;
	LOG(IMV, 2, "policy: database still unreachable after try %u: %s; next try in %.1f s",
	    d->tries, policy_store_error(d->store), (double)d->delay_ms / 1000);
	uv_timer_start(t, on_retry, d->delay_ms, 0);
}

void
policyd_db_result(struct policyd_db *d, int err)
{
	if (err != -ENOTCONN || d->down)
		return;
	d->down = true;
	d->down_since_ns = uv_hrtime();
	d->tries = 0;
	d->delay_ms = POLICYD_DB_RETRY_FIRST_MS;
	LOG_ERR(IMV, "policy: database connection lost: %s; sessions end without a decision "
	    "until it is back", policy_store_error(d->store));
	uv_timer_start(&d->retry, on_retry, d->delay_ms, 0);
}
