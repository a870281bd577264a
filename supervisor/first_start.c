/* first_start.c - tncd's first start brings every enabled child to READY
 * once, or ends tncd.
 *
 * A child that exits, cannot be spawned or is not ready in time before it
 * was ever READY has a problem a restart will not fix (a key it cannot
 * load, a directory it cannot write, a broken binary): crash-looping would
 * keep the PT-TLS port bound while clients hang.  So tncd logs which child
 * and why, releases its listeners at once, stops the other children and
 * exits 1.  After a child's first READY, its failures back off and restart
 * as before (procs.c); a child enabled later by a reload backs off too.
 */
#include "tncd.h"

#include "log.h"

void
first_start_progress(struct tncd *t)
{
	if (t->started)
		return;
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++)
		if (t->cfg.procs[r].enabled && !t->procs[r].was_ready)
			return;
	t->started = true;
}

bool
first_start_failed(struct proc *p)
{
	struct tncd *t = p->tncd;

	if (t->started || t->stopping || p->was_ready)
		return false;
	t->failed = p;
	t->exit_code = 1;
	LOG_ERR(DMN, "%s failed before it was ever ready (%s%s%s): the first start fails, "
	    "stopping every child and exiting", p->m->name, p->last_exit,
	    p->kill_reason ? ", killed: " : "", p->kill_reason ? p->kill_reason : "");
	listeners_close(t); /* the port is free while the others stop */
	procs_stop_all(t);
	return true;
}

void
first_start_report(struct tncd *t)
{
	const struct proc *p = t->failed;
	/* The loop ended, so its log pipe was read to the end: its first error
	 * line, if it wrote one, is known. */
	LOG_ERR(DMN, "tncd stopped: the first start failed: %s did not become ready (%s%s%s)%s%s",
	    p->m->name, p->last_exit, p->kill_reason ? ", killed: " : "",
	    p->kill_reason ? p->kill_reason : "", p->first_error[0] ? "; its first error: " : "",
	    p->first_error);
}
