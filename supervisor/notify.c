/* notify.c - systemd readiness (READY=1 once every enabled child is READY),
 * status text, and watchdog pings from a timer of tncd's own loop. */
#include "tncd.h"

#include <stdio.h>
#include <systemd/sd-daemon.h>

#include "log.h"

static void
on_watchdog(uv_timer_t *timer)
{
	sd_notify(0, "WATCHDOG=1");
}

void
notify_init(struct tncd *t)
{
	uv_timer_init(t->loop, &t->watchdog_timer);
	if (sd_watchdog_enabled(0, &t->watchdog_usec) > 0 && t->watchdog_usec >= 2000) {
		uint64_t every_ms = t->watchdog_usec / 2000;
		LOG(DMN, 1, "systemd watchdog: pinging every %llu ms", (unsigned long long)every_ms);
		uv_timer_start(&t->watchdog_timer, on_watchdog, every_ms, every_ms);
	}
}

void
notify_update(struct tncd *t)
{
	unsigned enabled = 0, ready = 0;
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		if (t->procs[r].state == PROC_DISABLED)
			continue;
		enabled++;
		ready += t->procs[r].state == PROC_READY;
	}
	if (t->stopping)
		return;
	if (!t->notified_ready && ready == enabled) {
		t->notified_ready = true;
		LOG(DMN, 1, "all %u children ready", ready);
		sd_notifyf(0, "READY=1\nSTATUS=%u of %u processes ready", ready, enabled);
		return;
	}
	sd_notifyf(0, "STATUS=%u of %u processes ready", ready, enabled);
}

void
notify_stopping(struct tncd *t)
{
	uv_timer_stop(&t->watchdog_timer);
	sd_notify(0, "STOPPING=1");
}
