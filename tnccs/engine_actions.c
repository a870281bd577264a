/* engine_actions.c - a session's out-queue of actions (see engine.h). */
#include "engine_int.h"

#include <stdlib.h>

struct engine_action *
act_push(struct engine_session *s, enum action_kind kind)
{
	struct engine_action *a = calloc(1, sizeof(*a));
	if (!a)
		abort();
	a->kind = kind;
	*s->actions_tail = a;
	s->actions_tail = &a->next;
	return a;
}

struct engine_action *
act_imv(struct engine_session *s, unsigned imv, enum action_kind kind)
{
	struct engine_action *a = act_push(s, kind);
	a->imv = imv;
	a->gen = s->slot[imv].gen;
	return a;
}

void
act_imv_connection(struct engine_session *s, unsigned imv, uint8_t conn_state)
{
	act_imv(s, imv, ACT_IMV_CONNECTION)->conn_state = conn_state;
}

void
act_timer(struct engine_session *s, unsigned timeout_ms)
{
	act_push(s, ACT_TIMER_START)->timeout_ms = timeout_ms;
}

void
act_timer_stop(struct engine_session *s)
{
	act_push(s, ACT_TIMER_STOP);
}

void
act_policy_start(struct engine_session *s)
{
	act_push(s, ACT_POLICY_START);
	s->policy = POLICY_STARTED;
}

void
act_policy_end(struct engine_session *s, uint8_t rec, uint8_t eval, bool await)
{
	struct engine_action *a = act_push(s, ACT_POLICY_END);
	a->rec = rec;
	a->eval = eval;
	a->await = await;
	s->policy = POLICY_ENDED;
}

static bool
is_for_imv(const struct engine_action *a, unsigned imv)
{
	return a->imv == imv && a->kind >= ACT_IMV_CONNECTION && a->kind <= ACT_IMV_SOLICIT;
}

void
act_drop_imv(struct engine_session *s, unsigned imv)
{
	struct engine_action **pp = &s->actions;
	while (*pp) {
		struct engine_action *a = *pp;
		if (is_for_imv(a, imv)) {
			*pp = a->next;
			engine_action_free(a);
		} else {
			pp = &a->next;
		}
	}
	s->actions_tail = pp;
}

struct engine_action *
engine_next_action(struct engine_session *s)
{
	struct engine_action *a = s->actions;
	if (a) {
		s->actions = a->next;
		if (!s->actions)
			s->actions_tail = &s->actions;
		a->next = NULL;
	}
	return a;
}

void
engine_action_free(struct engine_action *a)
{
	if (!a)
		return;
	free((void *)a->batch.ptr);
	free(a);
}
