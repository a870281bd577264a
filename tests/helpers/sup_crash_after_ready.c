/* sup_crash_after_ready.c - tnc-test-sup-crash-after-ready: a child that
 * gets READY (sandboxed) and exits with code 1 a moment later, every time:
 * a crash loop of a child that did start, which tncd must keep restarting
 * with a growing delay rather than give up on. */
#include <unistd.h>

#include "child.h"
#include "log.h"

static uv_timer_t crash_timer;

static void
on_crash_timer(uv_timer_t *timer)
{
	LOG(DMN, 1, "sup-crash-after-ready: exiting with code 1");
	_exit(1);
}

static void
on_ready(struct child *c)
{
	uv_timer_init(child_loop(c), &crash_timer);
	uv_timer_start(&crash_timer, on_crash_timer, 50, 0);
}

static const struct child_ops ops = {.ready = on_ready};

int
main(int argc, char **argv)
{
	return child_main(argc, argv, ROLE_COUNT, &ops);
}
