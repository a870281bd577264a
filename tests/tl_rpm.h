/* tl_rpm.h - rpm packages for the rpm source's tests (test_imc_rpm,
 * test_swima_rpm_session): built at test time with rpmbuild from the specs
 * in tl_rpm.c and registered with `rpm --dbpath DIR --nodeps --justdb`
 * (no files, no scriptlets, no root needed). */
#ifndef TL_RPM_H
#define TL_RPM_H

#include <stdbool.h>

/* Whether rpmbuild and rpm are there; false after a SKIP line on stdout
 * (the tests then exit 77, which ctest reports as skipped). */
bool tl_rpm_available(void);

/* The specs, by letter: 'a' tnc-alpha, tnc-beta and tnc-gamma 2:1.0-3;
 * 'b' tnc-delta and libfoo++ 0.9-1.el9 without an epoch; 'c' tnc-beta
 * 2:1.1-1 (its upgrade); 'd' tnc-epsilon 5-1.  Builds spec's packages into
 * dir/top/RPMS/noarch; fails the test with rpmbuild's output when it
 * cannot. */
void tl_rpm_build(const char *dir, char spec);
/* `rpm --dbpath ROOT/var/lib/rpm ARGS --nodeps --justdb` in
 * dir/top/RPMS/noarch; fails the test with rpm's output unless it exits 0. */
void tl_rpm(const char *dir, const char *root, const char *args);
/* root/var/lib/rpm made, with the five packages of specs 'a' and 'b'
 * (built in dir) installed. */
void tl_rpm_endpoint(const char *dir, const char *root);

#endif
