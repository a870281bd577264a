/* testlib.h - small helpers shared by the Check suites. */
#ifndef TNC_TESTLIB_H
#define TNC_TESTLIB_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

/* Whole file into a malloc'd buffer (NUL-terminated beyond len); NULL on error. */
uint8_t *tl_read_file(const char *path, size_t *ret_len);
/* A file of ../shared/testdata/ (path relative to it); fails the test when missing. */
uint8_t *tl_read_testdata(const char *relpath, size_t *ret_len);
/* Runs one suite with forked tests; returns the process exit code. */
int tl_run_suite(Suite *s);

#endif
