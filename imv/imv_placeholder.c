/* imv_placeholder.c - see imv_placeholder.h. */
#include "imv_placeholder.h"

#include "log.h"

static void
batch_ending(struct imv_conn *c)
{
	if (imv_conn_recommended(c))
		return;
	if (imv_recommend(c, IMV_REC_NONE, IMV_EVAL_DONT_KNOW, "no checks implemented yet") != 0)
		LOG(IMV, 1, "IMV %u cannot give its recommendation", imv_conn_ops(c)->id);
}

int
imv_placeholder_main(int argc, char **argv, enum tnc_role role, const char *name, uint16_t id)
{
	static struct imv_ops ops = {.batch_ending = batch_ending};
	ops.name = name;
	ops.id = id;
	return imv_main(argc, argv, role, &ops);
}
