/* test_sasl_credentials.c - the SASL credentials file (parsing, its bounds
 * and malformed lines with their line numbers, set/remove/write), hash
 * verification at tncadm's cost, and the password reader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sasl_credentials.h"
#include "sasl_password.h"
#include "testlib.h"

static char hash[crypto_pwhash_STRBYTES];
static char err[1024];

static void
setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
	ck_assert_int_eq(crypto_pwhash_str_alg(hash, "correct horse", 13, SASL_CREDS_OPSLIMIT,
	    SASL_CREDS_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13), 0);
}

static int
parse(const char *text, struct sasl_creds *c)
{
	err[0] = 0;
	return sasl_creds_parse(text, strlen(text), "creds", c, err, sizeof(err));
}

START_TEST(good_file_parses_and_finds_users)
{
	struct sasl_creds c = {0};
	char text[1024];
	snprintf(text, sizeof(text), "# users\n\nalice:%s\nJ\xc3\xbcrgen:%s\n", hash, hash);
	ck_assert_int_eq(parse(text, &c), 0);
	ck_assert_uint_eq(c.n, 2);
	ck_assert_ptr_nonnull(sasl_creds_find(&c, (const uint8_t *)"alice", 5));
	ck_assert_ptr_null(sasl_creds_find(&c, (const uint8_t *)"alic", 4));
	ck_assert_ptr_null(sasl_creds_find(&c, (const uint8_t *)"alicex", 6));
	const struct sasl_cred *e = sasl_creds_find(&c, (const uint8_t *)"J\xc3\xbcrgen", 7);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->line, 4);
	sasl_creds_clear(&c);
	ck_assert_uint_eq(c.n, 0);
}
END_TEST

/* Each malformed line is refused with its number and why. */
START_TEST(malformed_lines_are_refused_with_file_and_line)
{
	static const struct {
		const char *line; /* HASH: tncadm's hash of the password */
		const char *why;
	} bad[] = {
		{"alice HASH", "no ':' between user name and password hash"},
		{":HASH", "empty user name"},
		{"#x:HASH", NULL}, /* a comment: accepted */
		{"a\tb:HASH", "user name holds a control character or ':'"},
		{"al\xff:HASH", "user name is not UTF-8"},
		{"alice:$2y$10$abcdefghijklmnopqrstuv", "not an Argon2id password hash"},
		{"alice:$argon2id$v=19$m=2048,t=2,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
		    "password hash parallelism is not 1"},
		{"alice:$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
		    "password hash costs too much to verify"},
		{"alice:$argon2id$v=19$m=2048,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
		    "password hash costs too much to verify"},
		{"alice:$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdA$aGFzaA",
		    "password hash parameters are not m=KIB,t=N,p=N"},
		{"alice:$argon2id$v=19$m=2048,t=2,p=1$!!!$???", "malformed Argon2id password hash"},
		{"alice:HASH\r", "malformed Argon2id password hash"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sasl_creds c = {0};
		char line[600], text[2048], want[256];
		const char *at = strstr(bad[i].line, "HASH");
		if (at)
			snprintf(line, sizeof(line), "%.*s%s%s", (int)(at - bad[i].line), bad[i].line,
			    hash, at + 4);
		else
			snprintf(line, sizeof(line), "%s", bad[i].line);
		snprintf(text, sizeof(text), "bob:%s\n# comment\n%s\n", hash, line);
		int rc = parse(text, &c);
		if (!bad[i].why) {
			ck_assert_msg(rc == 0, "line %zu: %s", i, err);
			sasl_creds_clear(&c);
			continue;
		}
		ck_assert_msg(rc == TNC_ECONFIG, "line %zu accepted", i);
		snprintf(want, sizeof(want), "creds:3: %s", bad[i].why);
		ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "line %zu: %s", i, err);
		ck_assert_uint_eq(c.n, 0);
	}
}
END_TEST

START_TEST(bounds_are_enforced)
{
	struct sasl_creds c = {0};
	size_t size = (size_t)(SASL_CREDS_ENTRIES_MAX + 1) * 140;
	char *text = malloc(size), name[300];
	size_t len = 0;
	ck_assert_ptr_nonnull(text);

	/* a name of 256 octets; one of 255 is fine */
	memset(name, 'n', 256);
	name[256] = 0;
	len = (size_t)snprintf(text, size, "%s:%s\n", name, hash);
	ck_assert_int_eq(parse(text, &c), TNC_ECONFIG);
	ck_assert_str_eq(err, "creds:1: user name longer than 255 octets");
	name[255] = 0;
	snprintf(text, size, "%s:%s\n", name, hash);
	ck_assert_int_eq(parse(text, &c), 0);
	sasl_creds_clear(&c);
	/* a line above 512 octets */
	memset(text, '#', 600);
	text[600] = 0;
	ck_assert_int_eq(parse(text, &c), TNC_ECONFIG);
	ck_assert_str_eq(err, "creds:1: line longer than 512 octets");
	/* 10,000 users fit, one more does not */
	len = 0;
	for (unsigned i = 0; i <= SASL_CREDS_ENTRIES_MAX; i++)
		len += (size_t)snprintf(text + len, size - len, "u%u:%s\n", i, hash);
	ck_assert_int_eq(sasl_creds_parse(text, len, "creds", &c, err, sizeof(err)), TNC_ECONFIG);
	ck_assert_msg(strstr(err, "creds:10001: more than 10000 users"), "%s", err);
	char *last = strstr(text, "u10000:");
	ck_assert_int_eq(sasl_creds_parse(text, (size_t)(last - text), "creds", &c, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(c.n, SASL_CREDS_ENTRIES_MAX);
	bool replaced;
	ck_assert_int_eq(sasl_creds_set(&c, "one-more", hash, &replaced), TNC_ETOOLONG);
	sasl_creds_clear(&c);
	/* a user twice: refused at the second line, found by sorting */
	snprintf(text, size, "u1:%s\nu2:%s\nu1:%s\n", hash, hash, hash);
	ck_assert_int_eq(parse(text, &c), TNC_ECONFIG);
	ck_assert_str_eq(err, "creds:3: user 'u1' is listed twice (first at line 1)");
	/* above the file size bound */
	ck_assert_int_eq(sasl_creds_parse(text, SASL_CREDS_FILE_MAX + 1, "creds", &c, err,
	    sizeof(err)), TNC_ECONFIG);
	ck_assert_str_eq(err, "creds: larger than 4194304 octets");
	free(text);
}
END_TEST

START_TEST(load_refuses_what_is_not_a_small_regular_file)
{
	struct sasl_creds c = {0};
	ck_assert_int_eq(sasl_creds_load("/nonexistent/creds", &c, err, sizeof(err)), TNC_ECONFIG);
	ck_assert_msg(strstr(err, "cannot open"), "%s", err);
	ck_assert_int_eq(sasl_creds_load("/tmp", &c, err, sizeof(err)), TNC_ECONFIG);
	ck_assert_msg(strstr(err, "not a regular file"), "%s", err);
}
END_TEST

START_TEST(set_remove_write_and_reload)
{
	struct sasl_creds c = {0}, again = {0};
	char path[] = "/tmp/tnc-sasl-creds-XXXXXX";
	bool replaced;
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(sasl_creds_set(&c, "alice", hash, &replaced), 0);
	ck_assert(!replaced);
	ck_assert_int_eq(sasl_creds_set(&c, "bob", hash, &replaced), 0);
	ck_assert_int_eq(sasl_creds_set(&c, "alice", hash, &replaced), 0);
	ck_assert(replaced);
	ck_assert_int_eq(sasl_creds_set(&c, "a:b", hash, &replaced), TNC_EINVALID);
	ck_assert_int_eq(sasl_creds_set(&c, "carol", "$argon2id$nope", &replaced), TNC_EINVALID);
	ck_assert_int_eq(sasl_creds_remove(&c, "nobody"), TNC_ENOTFOUND);
	ck_assert_int_eq(sasl_creds_remove(&c, "alice"), 0);
	FILE *f = fdopen(fd, "w");
	sasl_creds_write(&c, f);
	fclose(f);
	ck_assert_int_eq(sasl_creds_load(path, &again, err, sizeof(err)), 0);
	ck_assert_uint_eq(again.n, 1);
	ck_assert_str_eq(again.v[0].name, "bob");
	ck_assert_str_eq(again.v[0].hash, hash);
	sasl_creds_clear(&c);
	sasl_creds_clear(&again);
	unlink(path);
}
END_TEST

/* What tnc-ike runs per attempt: the right password matches, a wrong one
 * does not, and one verification at tncadm's cost stays within a few ms. */
START_TEST(verification_is_correct_and_cheap)
{
	ck_assert_int_eq(crypto_pwhash_str_verify(hash, "correct horse", 13), 0);
	ck_assert_int_ne(crypto_pwhash_str_verify(hash, "correct hors", 12), 0);
	ck_assert_ptr_null(sasl_creds_hash_check(hash));
	long start = tl_now_ms();
	for (int i = 0; i < 20; i++)
		ck_assert_int_ne(crypto_pwhash_str_verify(hash, "guess", 5), 0);
	long per_try = (tl_now_ms() - start) / 20;
	/* about 2 ms here; 25 leaves room for ASan and a loaded machine */
	ck_assert_msg(per_try <= 25, "one verification takes %ld ms", per_try);
}
END_TEST

static int
pipe_with(const char *text, size_t len)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], text, len), (ssize_t)len);
	close(p[1]);
	return p[0];
}

START_TEST(password_reader_takes_the_first_line)
{
	struct sasl_password pw;
	int fd = pipe_with("correct horse\nrest", 18);
	ck_assert_int_eq(sasl_password_read(fd, "pipe", &pw, err, sizeof(err)), 0);
	ck_assert_uint_eq(pw.len, 13);
	ck_assert(memcmp(pw.text, "correct horse", 13) == 0);
	char rest[8];
	ck_assert_int_eq(read(fd, rest, sizeof(rest)), 4); /* the rest stays unread */
	close(fd);
	sasl_password_clear(&pw);
	ck_assert_uint_eq(pw.len, 0);

	fd = pipe_with("no newline", 10);
	ck_assert_int_eq(sasl_password_read(fd, "pipe", &pw, err, sizeof(err)), 0);
	ck_assert_uint_eq(pw.len, 10);
	close(fd);

	fd = pipe_with("\nx", 2);
	ck_assert_int_eq(sasl_password_read(fd, "pipe", &pw, err, sizeof(err)), TNC_EINVALID);
	ck_assert_str_eq(err, "password from pipe: its first line is empty");
	close(fd);

	char big[300];
	memset(big, 'p', sizeof(big));
	fd = pipe_with(big, 256);
	ck_assert_int_eq(sasl_password_read(fd, "pipe", &pw, err, sizeof(err)), TNC_EINVALID);
	ck_assert_str_eq(err, "password from pipe: its first line is longer than 255 octets");
	close(fd);
	fd = pipe_with(big, 255);
	ck_assert_int_eq(sasl_password_read(fd, "pipe", &pw, err, sizeof(err)), 0);
	ck_assert_uint_eq(pw.len, 255);
	close(fd);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sasl_credentials");
	TCase *tc = tcase_create("file");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, good_file_parses_and_finds_users);
	tcase_add_test(tc, malformed_lines_are_refused_with_file_and_line);
	tcase_add_test(tc, bounds_are_enforced);
	tcase_add_test(tc, load_refuses_what_is_not_a_small_regular_file);
	tcase_add_test(tc, set_remove_write_and_reload);
	tcase_add_test(tc, verification_is_correct_and_cheap);
	tcase_add_test(tc, password_reader_takes_the_first_line);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
