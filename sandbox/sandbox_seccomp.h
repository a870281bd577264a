/* sandbox_seccomp.h - private to sandbox/: loads the seccomp allowlist of a
 * role, chosen by its manifest capabilities (the table is in
 * sandbox_seccomp.c). */
#ifndef TNC_SANDBOX_SECCOMP_H
#define TNC_SANDBOX_SECCOMP_H

#include "err.h"
#include "manifest.h"

/* Installs the allowlist of a child role with capabilities caps on the
 * calling process, default action KILL_PROCESS.  Needs no_new_privs or
 * CAP_SYS_ADMIN; irreversible once it returns 0. */
int sandbox_seccomp_load(enum tnc_role role, unsigned caps) TNC_MUST_CHECK;

#endif
