/* imv_placeholder.c - see imv_placeholder.h. */
#include "imv_placeholder.h"

#include "log.h"

static void
batch_ending(struct imv_conn *c)
{
	if (imv_conn_recommended(c))
		return;
	if (imv_recommend(c, IMV_REC_NONE, IMV_EVAL_DONT_KNOW, "no checks implemented yet") != 0)
		LOG(IMV, 1, "IMV %u cannot give its recommendation", imv_manifest()->imv_id);
}

int
imv_placeholder_main(int argc, char **argv, enum tnc_role role)
{
	static const struct imv_ops ops = {.batch_ending = batch_ending};
	return imv_main(argc, argv, role, &ops);
}
