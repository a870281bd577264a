/* child_subscribe.h - an IMV's IMV_SUBSCRIBE as its manifest row says: its
 * IMV ID, name and the PA message types it receives (never the IMV's own
 * choice; tnc-tnccs checks the same row). */
#ifndef TNC_CHILD_SUBSCRIBE_H
#define TNC_CHILD_SUBSCRIBE_H

#include "ipc_msg.h"
#include "manifest.h"

/* The message for row m (an IMV's); its views point into m. */
struct ipc_msg child_imv_subscription(const struct role_manifest *m);

#endif
