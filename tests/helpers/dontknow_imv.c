/* dontknow_imv.c - tnc-test-dontknow-imv, run by tncd in place of
 * tnc-imv-swima (its role, sandbox and IF-IMV endpoint): a real IMV that
 * checks nothing and recommends "none / don't know" at the end of every
 * batch, so a test can kill and restart an IMV whose answer never allows. */
#include "imv.h"
#include "log.h"

static void
batch_ending(struct imv_conn *c)
{
	if (imv_conn_recommended(c))
		return;
	if (imv_recommend(c, IMV_REC_NONE, IMV_EVAL_DONT_KNOW, "checks nothing") != 0)
		LOG(IMV, 1, "IMV %u cannot give its recommendation", imv_manifest()->imv_id);
}

int
main(int argc, char **argv)
{
	static const struct imv_ops ops = {.batch_ending = batch_ending};
	return imv_main(argc, argv, ROLE_IMV_SWIMA, &ops);
}
