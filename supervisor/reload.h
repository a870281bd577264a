/* reload.h - applying a configuration to the running supervisor. */
#ifndef TNC_RELOAD_H
#define TNC_RELOAD_H

#include "tncd.h"

void tncd_apply_log_levels(struct tncd *t);
void tncd_reload(struct tncd *t);

#endif
