/* ctl_commands.h - the tncctl commands tncd answers. */
#ifndef TNC_CTL_COMMANDS_H
#define TNC_CTL_COMMANDS_H

#include "tncd.h"

void ctl_commands_dispatch(struct tncd *t, struct ipc_channel *ch, uint32_t seq,
    const struct ipc_ctl_request *req);

#endif
