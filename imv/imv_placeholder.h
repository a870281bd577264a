/* imv_placeholder.h - an IMV whose evidence checks are not written yet.
 * It takes part in every connection like any IMV but subscribes to no PA
 * message type and answers the first batch with "no recommendation", so the
 * recommendation policy decides without it (README: "Recommendation policy"). */
#ifndef TNC_IMV_PLACEHOLDER_H
#define TNC_IMV_PLACEHOLDER_H

#include "imv.h"

int imv_placeholder_main(int argc, char **argv, enum tnc_role role, const char *name,
    uint16_t id);

#endif
