/* tncd - the supervisor: reads the config, spawns the sandboxed children,
 * wires them, restarts them, answers tncctl.  See README.md. */
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "reload.h"
#include "sandbox.h"
#include "tncd.h"

#define DEFAULT_CONFIG "/etc/tnc/tncd.conf"

static struct tncd tncd;

uint64_t
tncd_now_ms(const struct tncd *t)
{
	return uv_now(t->loop);
}

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: tncd [--config FILE] [--foreground] [--check-config] [--print-manifest]\n"
	    "            [--help] [--version]\n"
	    "  --config FILE     configuration (default %s if it exists, else built-in defaults)\n"
	    "  --foreground      log to stderr instead of the journal\n"
	    "  --check-config    validate the configuration and exit\n"
	    "  --print-manifest  print the per-process privilege manifest and exit\n"
	    "  --help, --version this text, the version\n"
	    "Exit codes: 0 stopped cleanly or the configuration is valid, 1 refused\n"
	    "configuration or a failed start, 2 usage.\n",
	    DEFAULT_CONFIG);
}

static void
print_manifest(void)
{
	char caps[64], peers[128];
	printf("%-15s %-4s %-6s %-10s %-12s %-8s %-7s %-5s %-36s %s\n", "process", "slot", "uid",
	    "kind", "caps", "syscalls", "nofile", "stop", "peers", "why");
	for (int r = 0; r < ROLE_COUNT; r++) {
		const struct role_manifest *m = manifest_role(r);
		peers[0] = 0;
		for (int q = 0; q < ROLE_COUNT; q++)
			if (manifest_are_peers(r, q))
				snprintf(peers + strlen(peers), sizeof(peers) - strlen(peers), "%s%s",
				    peers[0] ? "," : "", manifest_role(q)->section);
		printf("%-15s %02u   %-6u %-10s %-12s %-8u %-7u %-5u %-36s %s\n", m->name, m->slot,
		    (unsigned)m->default_uid, manifest_kind_name(m->kind),
		    manifest_caps_text(m->caps, caps, sizeof(caps)), sandbox_role_syscalls(r, m->caps),
		    m->rlimit_nofile, m->stop_stage, peers[0] ? peers : "-", m->why);
		for (unsigned i = 0; i < m->ncond_caps; i++) {
			const struct cap_condition *c = &m->cond_caps[i];
			printf("%-15s +%s (%u syscalls) when [%s] %s begins with %s: %s\n", "",
			    manifest_caps_text(c->cap, caps, sizeof(caps)),
			    sandbox_role_syscalls(r, m->caps | c->cap), m->section, c->key, c->prefixes,
			    c->why);
		}
		if (m->needs_section)
			printf("%-15s runs only when [%s] %s = yes\n", "", m->needs_section,
			    m->needs_key);
		if (m->kind == KIND_IMV)
			for (unsigned i = 0; i < m->nsubs; i++)
				printf("%-15s IMV ID %u \"%s\" receives PA message type 0x%06x/0x%02x\n",
				    "", m->imv_id, m->imv_name, m->subs[i].vendor, m->subs[i].subtype);
	}
}

/* Beside tncd when every child binary of the manifest is there (a build
 * tree), else in libexec (installed). */
static void
find_bin_dir(struct tncd *t)
{
	char exe[CONFIG_PATH_MAX], probe[CONFIG_PATH_MAX * 2];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = 0;
	snprintf(t->bin_dir, sizeof(t->bin_dir), "%s", dirname(exe));
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		snprintf(probe, sizeof(probe), "%s/%s", t->bin_dir, manifest_role(r)->name);
		if (access(probe, X_OK) != 0) {
			snprintf(t->bin_dir, sizeof(t->bin_dir), "%s", TNC_LIBEXECDIR);
			return;
		}
	}
}

static void
on_signal(uv_signal_t *s, int signum)
{
	struct tncd *t = s->data;
	if (signum == SIGHUP) {
		LOG(DMN, 1, "SIGHUP: reloading the configuration");
		tncd_reload(t);
		return;
	}
	LOG(DMN, 1, "%s received", sigabbrev_np(signum));
	procs_stop_all(t);
}

static void
on_health_timer(uv_timer_t *timer)
{
	procs_health_check(timer->data);
}

static void
watch_signal(struct tncd *t, uv_signal_t *s, int signum)
{
	uv_signal_init(t->loop, s);
	s->data = t;
	uv_signal_start(s, on_signal, signum);
}

int
main(int argc, char **argv)
{
	struct tncd *t = &tncd;
	bool check_only = false;
	char err[512];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			t->config_path = argv[++i];
		else if (!strcmp(argv[i], "--foreground"))
			t->foreground = true;
		else if (!strcmp(argv[i], "--check-config"))
			check_only = true;
		else if (!strcmp(argv[i], "--print-manifest")) {
			print_manifest();
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("tncd %s\n", TNC_VERSION);
			return 0;
		} else {
			usage(strcmp(argv[i], "--help") ? stderr : stdout);
			return strcmp(argv[i], "--help") ? 2 : 0;
		}
	}
	if (!t->config_path && access(DEFAULT_CONFIG, F_OK) == 0)
		t->config_path = DEFAULT_CONFIG;
	if (config_load(t->config_path, &t->cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "tncd: %s\n", err);
		return 1;
	}
	if (check_only) {
		printf("%s: configuration is valid\n", t->config_path ? t->config_path : "built-in defaults");
		config_clear(&t->cfg);
		return 0;
	}
	t->as_root = geteuid() == 0;
	/* Nothing tncd holds may be inherited by a child through ambient caps. */
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	umask(0077);

	t->loop = uv_default_loop();
	log_sink_init(t);
	tncd_apply_log_levels(t);
	find_bin_dir(t);
	t->started_ms = tncd_now_ms(t);
	LOG(DMN, 0, "starting tncd %s (%s, children from %s, config %s)", TNC_VERSION,
	    t->as_root ? "as root: each child gets its own uid" : "not root: children keep this uid",
	    t->bin_dir, t->config_path ? t->config_path : "built-in defaults");
	procs_init(t);
	if (listeners_open(t) != 0)
		return 1;
	if (control_start(t) != 0) {
		LOG_ERR(DMN, "cannot open the control socket %s", t->cfg.control_socket);
		return 1;
	}
	watch_signal(t, &t->sig_term, SIGTERM);
	watch_signal(t, &t->sig_int, SIGINT);
	watch_signal(t, &t->sig_hup, SIGHUP);
	notify_init(t);
	uv_timer_init(t->loop, &t->health_timer);
	t->health_timer.data = t;
	uv_timer_start(&t->health_timer, on_health_timer, t->cfg.ping_interval_ms,
	    t->cfg.ping_interval_ms);
	procs_start_all(t);
	uv_run(t->loop, UV_RUN_DEFAULT);
	uv_loop_close(t->loop);
	listeners_close(t);
	config_clear(&t->cfg);
	if (t->failed)
		first_start_report(t);
	else
		LOG(DMN, 0, "tncd stopped");
	return t->exit_code;
}
