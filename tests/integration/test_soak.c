/* test_soak.c - a seeded soak: 16 tncclients at a time, with mixed expected
 * verdicts (the OS IMV judges with the policy database, seeded with
 * tl_policy_seed()), against the real tncd while a randomly chosen child,
 * tnc-policy included, is killed with SIGKILL every one to three seconds,
 * for a bounded time.  Every session must end with its expected verdict or
 * a clean fail-closed outcome (no access, or an error the client reports) -
 * never an allow it should not have, never a hang.  Afterwards every child
 * is ready again and a compliant endpoint is allowed.  The seed and the
 * counts are printed.
 *
 *   TNC_SOAK_SEED=N     reproduce a run (default: from the clock)
 *   TNC_SOAK_SECONDS=N  duration (default 25)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define SLOTS 16
#define CLIENT_TIMEOUT_S 30

/* tnc-policy too: the OS IMV judges with its workitems and verdicts */
static const char *const victims[] = {"tnc-ike", "tnc-tnccs", "tnc-imv-os", "tnc-imv-swima",
    "tnc-imv-attest", "tnc-policy"};
#define NVICTIMS (sizeof(victims) / sizeof(victims[0]))

/* What an endpoint is, and the tncclient exit code it deserves. */
static const struct kind {
	const char *name;
	const char *facts;
	int expect; /* 0 allow, 2 isolate, 3 no access */
} kinds[] = {
	{"compliant", "", 0},
	{"forwarding", "forwarding = 1\n", 2},
	{"blacklisted", "packages_extra = telnetd=0.17-44\n", 2},
	/* the database has no packages of it: PCKGS has no result, which the
	 * default policy answers with isolate */
	{"unknown-product", "product = Plan 9\n", 2},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

struct slot {
	pid_t pid;
	unsigned kind;
	char out[256];
};

struct counts {
	unsigned sessions, expected, fail_closed, stricter, errors, timeouts, wrong_allow;
	unsigned kills[NVICTIMS];
};

static uint64_t rng;

static uint32_t
next_random(void)
{
	/* xorshift64*: reproducible from the printed seed */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ull) >> 32);
}

static long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned
env_uint(const char *name, unsigned def)
{
	const char *v = getenv(name);
	return v && *v ? (unsigned)strtoul(v, NULL, 10) : def;
}

static void
write_facts(struct tl_tncd *t, unsigned k)
{
	char path[256];
	/* <dir>/<name>.facts, where start_client() looks */
	tl_facts_file(t, kinds[k].name, kinds[k].facts, path, sizeof(path));
}

static void
start_client(struct tl_tncd *t, struct slot *s, unsigned k, unsigned n)
{
	char facts[256], port[32], timeout[16], delay[16];
	snprintf(facts, sizeof(facts), "%s/%s.facts", t->dir, kinds[k].name);
	snprintf(s->out, sizeof(s->out), "%s/client-%u.out", t->dir, n);
	snprintf(port, sizeof(port), "127.0.0.1:%d", t->port);
	snprintf(timeout, sizeof(timeout), "%d", CLIENT_TIMEOUT_S);
	/* a little delay keeps sessions in flight while children are killed */
	snprintf(delay, sizeof(delay), "%u", next_random() % 300);
	s->kind = k;
	s->pid = fork();
	ck_assert_int_ge(s->pid, 0);
	if (s->pid == 0) {
		FILE *o = freopen(s->out, "w", stdout);
		if (!o || dup2(1, 2) < 0)
			_exit(126);
		execl(TNC_BIN_DIR "/tncclient", "tncclient", "--server", port, "--ca", t->ca,
		    "--facts", facts, "--timeout", timeout, "--delay-ms", delay, (char *)NULL);
		_exit(127);
	}
}

static int
file_has(const char *path, const char *needle)
{
	size_t len;
	char *text = (char *)tl_read_file(path, &len);
	int found = text && strstr(text, needle);
	free(text);
	return found;
}

static void
judge(const struct slot *s, int status, struct counts *c)
{
	int expect = kinds[s->kind].expect;
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	c->sessions++;
	if (rc == expect) {
		c->expected++;
	} else if (rc == 0) {
		c->wrong_allow++;
		fprintf(stderr, "soak: WRONG ALLOW for a %s endpoint (%s)\n", kinds[s->kind].name,
		    s->out);
	} else if (rc == 3) {
		c->fail_closed++;
	} else if (rc == 2) {
		c->stricter++; /* isolate where allow was due: not fail-open, counted */
	} else if (rc == 4 && file_has(s->out, "no result within")) {
		c->timeouts++;
		fprintf(stderr, "soak: a %s session hung until the client gave up (%s)\n",
		    kinds[s->kind].name, s->out);
	} else if (rc == 4) {
		c->errors++;
	} else {
		c->errors++;
		fprintf(stderr, "soak: tncclient ended with %d (%s)\n", rc, s->out);
	}
}

static int
pid_of(struct tl_tncd *t, const char *name)
{
	char json[65536], pid[32];
	if (tl_ctl(t, json, sizeof(json), "status") != 0 ||
	    tl_row_field(json, name, "pid", pid, sizeof(pid)) != 0)
		return -1;
	return atoi(pid);
}

START_TEST(soak_with_random_kills)
{
	struct tl_tncd t;
	struct slot slots[SLOTS] = {{0}};
	struct counts c = {0};
	unsigned seed = env_uint("TNC_SOAK_SEED", (unsigned)time(NULL) ^ (unsigned)getpid());
	unsigned seconds = env_uint("TNC_SOAK_SECONDS", 25);

	rng = seed ? seed : 1;
	printf("soak: seed %u, %u s, %d clients at a time\n", seed, seconds, SLOTS);
	fflush(stdout);
	tl_tncd_start(&t, "[tnccs]\nimv_timeout_ms = 3000\n", true);
	tl_policy_seed(&t); /* the database knows the packages; telnetd is blacklisted */
	for (unsigned k = 0; k < NKINDS; k++)
		write_facts(&t, k);

	long end = now_ms() + (long)seconds * 1000;
	long next_kill = now_ms() + 1000 + next_random() % 2000;
	unsigned started = 0, running = 0;
	while (now_ms() < end || running > 0) {
		for (int i = 0; i < SLOTS; i++) {
			int status;
			if (slots[i].pid > 0 && waitpid(slots[i].pid, &status, WNOHANG) == slots[i].pid) {
				judge(&slots[i], status, &c);
				slots[i].pid = 0;
				running--;
			}
			if (slots[i].pid == 0 && now_ms() < end) {
				start_client(&t, &slots[i], next_random() % NKINDS, started++);
				running++;
			}
		}
		if (now_ms() >= next_kill && now_ms() < end) {
			unsigned v = next_random() % NVICTIMS;
			int pid = pid_of(&t, victims[v]);
			if (pid > 0 && kill(pid, SIGKILL) == 0)
				c.kills[v]++;
			next_kill = now_ms() + 1000 + next_random() % 2000;
		}
		usleep(10000);
	}
	printf("soak: %u sessions: %u expected verdict, %u no access (fail closed), %u isolate "
	    "instead of allow, %u client errors, %u hung, %u wrong allow\n", c.sessions,
	    c.expected, c.fail_closed, c.stricter, c.errors, c.timeouts, c.wrong_allow);
	printf("soak: kills:");
	for (unsigned v = 0; v < NVICTIMS; v++)
		printf(" %s %u", victims[v], c.kills[v]);
	printf("\n");
	fflush(stdout);

	ck_assert_uint_eq(c.wrong_allow, 0);
	ck_assert_uint_eq(c.timeouts, 0);
	ck_assert_uint_gt(c.expected, 0);
	/* the gateway recovers: every child ready, a compliant endpoint allowed */
	for (unsigned v = 0; v < NVICTIMS; v++)
		ck_assert_int_gt(tl_wait_state(&t, victims[v], "ready", 0, 15000), 0);
	struct slot last = {0};
	int status;
	start_client(&t, &last, 0, started);
	ck_assert_int_eq(waitpid(last.pid, &status, 0), last.pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "a compliant endpoint after the soak: status 0x%x (%s)", status, last.out);
	tl_tncd_stop(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("soak");
	TCase *tc = tcase_create("soak");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, soak_with_random_kills);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
