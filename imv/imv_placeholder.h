/* imv_placeholder.h - an IMV whose evidence checks are not written yet.
 * It takes part in every connection like any IMV, receives the PA message
 * types of its manifest row and ignores them, and answers the first batch
 * with "no recommendation", so the recommendation policy decides without it
 * (README: "Recommendation policy"). */
#ifndef TNC_IMV_PLACEHOLDER_H
#define TNC_IMV_PLACEHOLDER_H

#include "imv.h"

int imv_placeholder_main(int argc, char **argv, enum tnc_role role);

#endif
