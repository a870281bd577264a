/* metrics_collect.c - `tncctl metrics`: tncd asks every ready child for its
 * registry (METRICS_GET), adds its own, and answers with one table of
 * exposition lines (family, type, help, sample, value) once every child
 * answered or METRICS_WAIT_MS passed.  A child that did not answer shows as
 * tnc_child_metrics_answered{child} 0. */
#include "metrics_collect.h"

#include <stdlib.h>
#include <string.h>

#include "ctl_reply.h"
#include "ipc_metrics.h"
#include "log.h"

#define COLLECTIONS_MAX 4
#define METRICS_WAIT_MS 2000

METRIC_FAMILY(answered, "tnc_child_metrics_answered", METRIC_GAUGE,
    "1 when the child sent its metrics for this scrape, 0 when it did not in time.", "child");

static struct collection {
	struct tncd *t;
	struct ipc_channel *client; /* NULL = free */
	uint32_t client_seq;
	uint32_t seq[ROLE_COUNT];   /* tncd's request to each child; 0 = none waited for */
	bool answered[ROLE_COUNT];
	unsigned waiting;
	struct ctl_table tab;
	uv_timer_t timer;
} collections[COLLECTIONS_MAX];

static const struct ctl_col cols[] = {{"family", IPC_COL_TEXT}, {"type", IPC_COL_TEXT},
    {"help", IPC_COL_TEXT}, {"sample", IPC_COL_TEXT}, {"value", IPC_COL_NUMBER}};

static int
add_line(const struct metric_line *l, void *arg)
{
	struct ctl_table *tab = arg;
	if (!l->sample)
		return 0; /* the family's columns repeat on each sample */
	ctl_table_cell(tab, "%s", l->family);
	ctl_table_cell(tab, "%s", l->type);
	ctl_table_cell(tab, "%s", l->help);
	ctl_table_cell(tab, "%s", l->sample);
	ctl_table_cell(tab, "%s", l->value);
	return 0;
}

static void
finish(struct collection *c)
{
	struct wire_writer w;
	/* every child gets this scrape's value: one that is down must not keep
	 * the 1 of an earlier scrape */
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++)
		metric_set(&answered, c->t->procs[r].m->name, c->answered[r]);
	wire_writer_init(&w, IPC_FRAME_MAX_DEFAULT);
	if (ipc_metrics_encode(metrics_registry(), &w) == 0 &&
	    ipc_metrics_walk((struct bytes){w.buf, w.len}, add_line, &c->tab) == 0)
		ctl_reply(c->client, c->client_seq, 0, "", &c->tab);
	else
		ctl_reply(c->client, c->client_seq, TNC_EINVALID, "tncd's own metrics do not encode",
		    NULL);
	wire_writer_clear(&w);
	ctl_table_clear(&c->tab);
	uv_timer_stop(&c->timer);
	c->client = NULL;
}

static void
on_timeout(uv_timer_t *timer)
{
	struct collection *c = timer->data;
	LOG(DMN, 1, "metrics: %u child%s did not answer within %u ms", c->waiting,
	    c->waiting == 1 ? "" : "ren", METRICS_WAIT_MS);
	finish(c);
}

void
metrics_collect_init(struct tncd *t)
{
	for (int i = 0; i < COLLECTIONS_MAX; i++) {
		collections[i].t = t;
		uv_timer_init(t->loop, &collections[i].timer);
		collections[i].timer.data = &collections[i];
	}
}

void
metrics_collect_close(void)
{
	for (int i = 0; i < COLLECTIONS_MAX; i++) {
		if (collections[i].client)
			ctl_table_clear(&collections[i].tab);
		collections[i].client = NULL;
		uv_close((uv_handle_t *)&collections[i].timer, NULL);
	}
}

int
metrics_collect_start(struct tncd *t, struct ipc_channel *client, uint32_t client_seq)
{
	struct collection *c = NULL;
	for (int i = 0; i < COLLECTIONS_MAX && !c; i++)
		if (!collections[i].client)
			c = &collections[i];
	if (!c)
		return TNC_EAGAIN;
	*c = (struct collection){.t = t, .client = client, .client_seq = client_seq,
	    .timer = c->timer};
	ctl_table_init(&c->tab, cols, 5);
	struct ipc_msg get = {.type = IPC_METRICS_GET};
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		struct proc *p = &t->procs[r];
		if (p->state != PROC_READY || !p->ch)
			continue;
		uint32_t seq = ++t->next_seq ? t->next_seq : ++t->next_seq;
		if (ipc_channel_send(p->ch, &get, 0, seq, 0, -1) == 0) {
			c->seq[r] = seq;
			c->waiting++;
		}
	}
	if (c->waiting == 0)
		finish(c);
	else
		uv_timer_start(&c->timer, on_timeout, METRICS_WAIT_MS, 0);
	return 0;
}

void
metrics_collect_reply(struct proc *p, uint32_t seq, struct bytes payload)
{
	for (int i = 0; i < COLLECTIONS_MAX; i++) {
		struct collection *c = &collections[i];
		if (!c->client || !seq || c->seq[p->m->role] != seq)
			continue;
		c->seq[p->m->role] = 0;
		c->answered[p->m->role] = true;
		c->waiting--;
		int err = ipc_metrics_walk(payload, add_line, &c->tab);
		if (err)
			LOG_WARN(DMN, "metrics of %s do not parse: %s", p->m->name, tnc_strerror(err));
		if (c->waiting == 0)
			finish(c);
		return;
	}
}

bool
metrics_collect_busy(const struct ipc_channel *client)
{
	for (int i = 0; i < COLLECTIONS_MAX; i++)
		if (collections[i].client == client)
			return true;
	return false;
}

void
metrics_collect_client_gone(const struct ipc_channel *client)
{
	for (int i = 0; i < COLLECTIONS_MAX; i++) {
		struct collection *c = &collections[i];
		if (c->client != client)
			continue;
		ctl_table_clear(&c->tab);
		uv_timer_stop(&c->timer);
		c->client = NULL;
	}
}
