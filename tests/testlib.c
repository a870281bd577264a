/* testlib.c - helpers shared by the Check suites (see testlib.h). */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>

uint8_t *
tl_read_file(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0, n;
	uint8_t *buf = malloc(cap + 1);
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
		}
	}
	fclose(f);
	if (!buf)
		abort();
	buf[len] = 0;
	*ret_len = len;
	return buf;
}

uint8_t *
tl_read_testdata(const char *relpath, size_t *ret_len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/testdata/%s", TNC_SHARED_DIR, relpath);
	uint8_t *buf = tl_read_file(path, ret_len);
	ck_assert_msg(buf != NULL, "missing test data %s", path);
	return buf;
}

int
tl_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
