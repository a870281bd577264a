/* main.c - tncclient: an endpoint's TNC client over PT-TLS (RFC 6876), or
 * with --ikev2 over EAP-TNC in IKEv2 (ike_mode.h), with a PB-TNC client
 * (RFC 5793), the OS IMC (RFC 5792), with --tpm the
 * attestation IMC (TCG PTS) and with --swima the SWIMA IMC (RFC 8412).
 *
 * Options, the facts, the connection, the exchange, then the summary on
 * stdout and the exit code (see usage()).  --verbose logs every step to
 * stdout as "00[SUB] text" like the seeds' logs; the IMC logs under the IMV
 * subsystem, printed here as "IMC".  Without --verbose only errors are
 * logged, to stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deadline.h"
#include "eap_peer.h"
#include "facts_file.h"
#include "ike_mode.h"
#include "imc_attest.h"
#include "imc_os.h"
#include "imc_swima.h"
#include "log.h"
#include "os_facts.h"
#include "outcome.h"
#include "sasl_password.h"
#include "pb_client.h"
#include "pt_tls_client.h"
#include "tls_client.h"

#define DEFAULT_SERVER "127.0.0.1:271"
#define DEFAULT_CA "/var/lib/tnc/ike/pt-tls-cert.pem"
#define DEFAULT_TIMEOUT 30
#define DEFAULT_AIK_DIR "/var/lib/tnc/client"
/* The attestation IMC's test hook: "nonce", or "replay:FILE" (imc_attest.h). */
#define TAMPER_ENV "TNC_TEST_ATTEST_TAMPER"
#define SYNOPSIS \
	"usage: tncclient [--server ADDR:PORT] [--ca FILE] [--cert FILE --key FILE]\n" \
	"                 [--tls-version 1.2|1.3]\n" \
	"                 [--sasl-user NAME --sasl-password-file FILE] COMMON\n" \
	"       tncclient --ikev2 HOST[:PORT] --eap-identity NAME [--eap-secret-file FILE]\n" \
	"                 [--ca FILE] [--server-name NAME] [--cert FILE --key FILE]\n" \
	"                 [--natt-port N] [--ike-fragment-size N] [--eap-fragment-size N]\n" \
	"                 [--gateway-cert] [--stay] COMMON\n" \
	"COMMON:          [--facts FILE] [--delay-ms N] [--timeout SECONDS] [--verbose]\n" \
	"                 [--tpm TCTI [--aik-dir DIR] [--bios-log FILE] [--ima-list FILE]]\n" \
	"                 [--swima [--packages dpkg|rpm|auto] [--dpkg-status FILE]\n" \
	"                  [--dpkg-log FILE]... [--rpm-root DIR] [--rpm-dbpath DIR]\n" \
	"                  [--swima-state FILE] [--swima-watch SECONDS]]\n"

struct options {
	const char *server, *ca, *cert, *key, *facts;
	const char *sasl_user, *sasl_password_file;
	const char *tpm, *aik_dir, *bios_log, *ima_list;
	bool swima;
	enum sw_source_kind packages;
	const char *dpkg_status, *dpkg_logs[2], *swima_state; /* NULL: the defaults */
	const char *rpm_root, *rpm_dbpath;
	unsigned n_dpkg_logs, swima_watch;
	int tls_version; /* 0: 1.2 or later */
	/* --ikev2: ike.host set, pointing into ike_host */
	struct ike_mode_options ike;
	char ike_host[256];
	unsigned delay_ms, timeout;
	bool verbose;
};

static void
usage(FILE *f)
{
	fprintf(f, SYNOPSIS
	    "\n"
	    "Connects to a TNC server over PT-TLS (RFC 6876), runs a PB-TNC (RFC 5793)\n"
	    "assessment with the OS IMC reporting this machine's facts (RFC 5792) and\n"
	    "prints the server's verdict.\n"
	    "\n"
	    "  -s, --server ADDR:PORT  server (IPv4:port, [IPv6]:port or name:port);\n"
	    "                          default " DEFAULT_SERVER "\n"
	    "  -c, --ca FILE           PEM certificate(s) the server certificate must chain to;\n"
	    "                          default " DEFAULT_CA "\n"
	    "                          (written by tncd's tnc-ike when it makes its own\n"
	    "                          certificate) when that file exists, else the system's\n"
	    "                          trusted certificates; the certificate must also name\n"
	    "                          the server's address or host name\n"
	    "      --cert FILE         client certificate chain (PEM), with --key\n"
	    "      --key FILE          its private key (PEM)\n"
	    "      --tls-version V     only TLS 1.2 or only TLS 1.3; default 1.2 or later\n"
	    "      --sasl-user NAME    authenticate with SASL PLAIN (RFC 4616) as NAME when\n"
	    "                          the server requires it, with --sasl-password-file\n"
	    "      --sasl-password-file FILE\n"
	    "                          the SASL password: the first line of FILE (never on\n"
	    "                          the command line)\n"
	    "  -f, --facts FILE        'key = value' lines overriding facts: product, version,\n"
	    "                          numeric_version (M.m), forwarding (0/1),\n"
	    "                          default_password (0/1), device_id, packages (dpkg\n"
	    "                          status file), packages_extra (name=version,...),\n"
	    "                          packages_count (N synthetic packages)\n"
	    "  -d, --delay-ms N        wait N ms before each CDATA batch after the first\n"
	    "  -t, --timeout SECONDS   deadline for the whole exchange; default %d\n"
	    "      --tpm TCTI          run the attestation IMC (TCG PTS) on the TPM 2.0 that\n"
	    "                          the libtss2 TCTI string names (\"device:/dev/tpmrm0\",\n"
	    "                          \"swtpm:host=127.0.0.1,port=2321\"); it sends the BIOS\n"
	    "                          event log, the IMA measurement list and a quote;\n"
	    "                          \"none\": no TPM, it answers file measurements only\n"
	    "      --aik-dir DIR       where the attestation key is kept (made on first use);\n"
	    "                          default " DEFAULT_AIK_DIR "\n"
	    "      --bios-log FILE     the BIOS event log; default " IMC_ATTEST_BIOS_LOG "\n"
	    "                          when readable\n"
	    "      --ima-list FILE     the IMA measurement list; default\n"
	    "                          " IMC_ATTEST_IMA_LIST " when readable\n"
	    "      --swima             run the SWIMA IMC (RFC 8412): the installed packages\n"
	    "                          with generated SWID tags, and their changes as events\n"
	    "      --packages SOURCE   dpkg (its status file; its log as events), rpm (its\n"
	    "                          database; events from comparing it with the snapshot\n"
	    "                          kept in the state file) or auto: dpkg when its status\n"
	    "                          file exists, else rpm when its database does; default\n"
	    "                          dpkg with a --dpkg option, rpm with an --rpm one, else\n"
	    "                          auto\n"
	    "      --dpkg-status FILE  the packages; default " IMC_SWIMA_DPKG_STATUS "\n"
	    "      --dpkg-log FILE     a dpkg log, at most twice, the older first; default\n"
	    "                          /var/log/dpkg.log.1 and /var/log/dpkg.log\n"
	    "      --rpm-root DIR      the root the rpm database is under; default /\n"
	    "      --rpm-dbpath DIR    the database's directory under it; default rpm's\n"
	    "                          %%_dbpath\n"
	    "      --swima-state FILE  the EID epoch and counter kept across runs (for rpm also\n"
	    "                          the snapshot and events); default\n"
	    "                          /var/lib/tnc/client/swima-state, for rpm swima-rpm-state\n"
	    "                          there (its directory must exist)\n"
	    "      --swima-watch SECONDS\n"
	    "                          after the result, while the server holds a SWIMA\n"
	    "                          subscription, watch the dpkg logs or the rpm database\n"
	    "                          for up to SECONDS (within\n"
	    "                          --timeout) and send new events in a handshake retry\n"
	    "      --ikev2 HOST[:PORT] instead of PT-TLS: IKEv2 (RFC 7296) to HOST (port\n"
	    "                          %d), EAP-TTLS with EAP-Identity, EAP-MD5 and EAP-TNC\n"
	    "                          inside, as strongSwan's road warrior does; prints\n"
	    "                          the virtual IP and traffic selectors of the CHILD_SA\n"
	    "                          and deletes the SA (see --stay)\n"
	    "      --eap-identity NAME the IKE identity (IDi) and the inner EAP-Identity\n"
	    "      --eap-secret-file FILE\n"
	    "                          the EAP-MD5 secret: the first line of FILE\n"
	    "      --server-name NAME  the name (or address) the EAP-TTLS server certificate\n"
	    "                          must carry; default HOST.  --ca is its trust anchor;\n"
	    "                          --cert and --key authenticate us inside EAP-TTLS\n"
	    "      --natt-port N       the server's NAT-T port, used when a NAT is detected;\n"
	    "                          default %d\n"
	    "      --ike-fragment-size N\n"
	    "                          IKE messages above N octets go in RFC 7383 fragments;\n"
	    "                          default %d\n"
	    "      --eap-fragment-size N\n"
	    "                          PB-TNC octets per EAP-TNC packet; default %d\n"
	    "      --gateway-cert      the server authenticates in IKE_AUTH with its\n"
	    "                          certificate and a signature (RFC 7296 2.16) before\n"
	    "                          EAP: the certificate must chain to --ca and name the\n"
	    "                          server's IKE identity and --server-name; default\n"
	    "                          EAP-only authentication of the server (RFC 5998)\n"
	    "      --stay              keep the SA (answering the server) until SIGINT or\n"
	    "                          SIGTERM, then delete it\n"
	    "  -v, --verbose           log every step (PT-TLS or IKE, PB-TNC, PA-TNC) to stdout\n"
	    "  -h, --help              this text\n"
	    "  -V, --version           the version\n"
	    "\n"
	    "Exit status: 0 access allowed, 2 isolate, 3 no access (also when the result\n"
	    "carries no access recommendation), 4 protocol or connection error (TLS,\n"
	    "PT-TLS Error, IKE or EAP error, PB-TNC error, timeout, server gone), 5 SASL\n"
	    "authentication refused by the server, or required and not possible (no\n"
	    "--sasl-user, no PLAIN offered), or with --ikev2 EAP authentication failed\n"
	    "before a TNC result, 64 usage, facts or password file error.\n",
	    DEFAULT_TIMEOUT, IKE_MODE_PORT, IKE_MODE_NATT_PORT, IKE_MODE_FRAGMENT_SIZE,
	    IKE_MODE_EAP_FRAGMENT_SIZE);
}

static int
parse_uint(const char *s, unsigned long max, unsigned *ret)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || *s == '-' || errno || v > max)
		return TNC_EINVALID;
	*ret = (unsigned)v;
	return 0;
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"server", required_argument, NULL, 's'}, {"ca", required_argument, NULL, 'c'},
		{"cert", required_argument, NULL, 'C'}, {"key", required_argument, NULL, 'K'},
		{"facts", required_argument, NULL, 'f'}, {"delay-ms", required_argument, NULL, 'd'},
		{"timeout", required_argument, NULL, 't'}, {"verbose", no_argument, NULL, 'v'},
		{"tls-version", required_argument, NULL, 'T'},
		{"sasl-user", required_argument, NULL, 'U'},
		{"sasl-password-file", required_argument, NULL, 'P'},
		{"tpm", required_argument, NULL, 'M'}, {"aik-dir", required_argument, NULL, 'A'},
		{"bios-log", required_argument, NULL, 'B'},
		{"ima-list", required_argument, NULL, 'I'},
		{"swima", no_argument, NULL, 'W'}, {"dpkg-status", required_argument, NULL, 'D'},
		{"dpkg-log", required_argument, NULL, 'L'},
		{"swima-state", required_argument, NULL, 'S'},
		{"swima-watch", required_argument, NULL, 'w'},
		{"packages", required_argument, NULL, 'k'},
		{"rpm-root", required_argument, NULL, 'R'},
		{"rpm-dbpath", required_argument, NULL, 'b'},
		{"ikev2", required_argument, NULL, '2'},
		{"eap-identity", required_argument, NULL, 'e'},
		{"eap-secret-file", required_argument, NULL, 'E'},
		{"server-name", required_argument, NULL, 'N'},
		{"natt-port", required_argument, NULL, 'O'},
		{"ike-fragment-size", required_argument, NULL, 'F'},
		{"eap-fragment-size", required_argument, NULL, 'G'},
		{"stay", no_argument, NULL, 'Y'},
		{"gateway-cert", no_argument, NULL, 'X'},
		{"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;

	*o = (struct options){.server = DEFAULT_SERVER, .timeout = DEFAULT_TIMEOUT,
	    .packages = SW_SOURCE_AUTO,
	    .ike = {.port = IKE_MODE_PORT, .natt_port = IKE_MODE_NATT_PORT,
	    .ike_fragment_size = IKE_MODE_FRAGMENT_SIZE,
	    .eap_fragment_size = IKE_MODE_EAP_FRAGMENT_SIZE, .request_vip = true}};
	bool packages_given = false, server_given = false, ike_opts = false;
	unsigned n;
	while ((c = getopt_long(argc, argv, "s:c:f:d:t:vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->server = optarg; server_given = true; break;
		case 'c': o->ca = optarg; break;
		case 'C': o->cert = optarg; break;
		case 'K': o->key = optarg; break;
		case 'U': o->sasl_user = optarg; break;
		case 'P': o->sasl_password_file = optarg; break;
		case 'f': o->facts = optarg; break;
		case 'M': o->tpm = optarg; break;
		case 'A': o->aik_dir = optarg; break;
		case 'B': o->bios_log = optarg; break;
		case 'I': o->ima_list = optarg; break;
		case 'W': o->swima = true; break;
		case 'D': o->dpkg_status = optarg; break;
		case 'S': o->swima_state = optarg; break;
		case 'R': o->rpm_root = optarg; break;
		case 'b': o->rpm_dbpath = optarg; break;
		case 'k':
			packages_given = true;
			if (strcmp(optarg, "dpkg") == 0)
				o->packages = SW_SOURCE_DPKG;
			else if (strcmp(optarg, "rpm") == 0)
				o->packages = SW_SOURCE_RPM;
			else if (strcmp(optarg, "auto") == 0)
				o->packages = SW_SOURCE_AUTO;
			else {
				fprintf(stderr, "tncclient: --packages wants dpkg, rpm or auto\n");
				return TNC_EINVALID;
			}
			break;
		case 'w':
			if (parse_uint(optarg, 86400, &o->swima_watch) == 0)
				break;
			fprintf(stderr, "tncclient: --swima-watch wants 0..86400 seconds\n");
			return TNC_EINVALID;
		case 'L':
			if (o->n_dpkg_logs < 2) {
				o->dpkg_logs[o->n_dpkg_logs++] = optarg;
				break;
			}
			fprintf(stderr, "tncclient: --dpkg-log at most twice\n");
			return TNC_EINVALID;
		case '2':
			if (ike_mode_parse_target(optarg, o->ike_host, sizeof(o->ike_host),
			    &o->ike.port) == 0) {
				o->ike.host = o->ike_host;
				break;
			}
			fprintf(stderr, "tncclient: bad --ikev2 '%s' (want HOST[:PORT])\n", optarg);
			return TNC_EINVALID;
		case 'e': o->ike.identity = optarg; break;
		case 'E': o->ike.secret_file = optarg; ike_opts = true; break;
		case 'N': o->ike.server_name = optarg; ike_opts = true; break;
		case 'Y': o->ike.stay = true; ike_opts = true; break;
		case 'X': o->ike.gateway_cert = true; ike_opts = true; break;
		case 'O':
			ike_opts = true;
			if (parse_uint(optarg, 65535, &n) == 0 && n > 0) {
				o->ike.natt_port = (uint16_t)n;
				break;
			}
			fprintf(stderr, "tncclient: --natt-port wants 1..65535\n");
			return TNC_EINVALID;
		case 'F':
			ike_opts = true;
			if (parse_uint(optarg, 65000, &o->ike.ike_fragment_size) == 0 &&
			    o->ike.ike_fragment_size >= 576)
				break;
			fprintf(stderr, "tncclient: --ike-fragment-size wants 576..65000\n");
			return TNC_EINVALID;
		case 'G':
			ike_opts = true;
			if (parse_uint(optarg, 60000, &o->ike.eap_fragment_size) == 0 &&
			    o->ike.eap_fragment_size >= 64)
				break;
			fprintf(stderr, "tncclient: --eap-fragment-size wants 64..60000\n");
			return TNC_EINVALID;
		case 'v': o->verbose = true; break;
		case 'T':
			if (strcmp(optarg, "1.2") == 0 || strcmp(optarg, "1.3") == 0) {
				o->tls_version = optarg[2] == '2' ? TLS1_2_VERSION : TLS1_3_VERSION;
				break;
			}
			fprintf(stderr, "tncclient: --tls-version wants 1.2 or 1.3\n");
			return TNC_EINVALID;
		case 'h':
			usage(stdout);
			exit(OUTCOME_EXIT_ALLOW);
		case 'V':
			printf("tncclient %s\n", TNC_VERSION);
			exit(OUTCOME_EXIT_ALLOW);
		case 'd':
			if (parse_uint(optarg, 3600000, &o->delay_ms) == 0)
				break;
			fprintf(stderr, "tncclient: --delay-ms wants 0..3600000\n");
			return TNC_EINVALID;
		case 't':
			if (parse_uint(optarg, 86400, &o->timeout) == 0 && o->timeout > 0)
				break;
			fprintf(stderr, "tncclient: --timeout wants 1..86400 seconds\n");
			return TNC_EINVALID;
		default:
			return TNC_EINVALID;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tncclient: unexpected argument '%s'\n", argv[optind]);
		return TNC_EINVALID;
	}
	if (o->ike.host) {
		/* --swima-watch: the EAP conversation ends with the result, no
		 * CRETRY can follow */
		if (server_given || o->tls_version || o->sasl_user || o->sasl_password_file ||
		    o->swima_watch) {
			fprintf(stderr, "tncclient: --server, --tls-version, --sasl-* and "
			    "--swima-watch are for PT-TLS, not --ikev2\n");
			return TNC_EINVALID;
		}
		if (!o->ike.identity || !o->ike.identity[0] ||
		    strlen(o->ike.identity) > EAP_PEER_IDENTITY_MAX) {
			fprintf(stderr, "tncclient: --ikev2 wants --eap-identity of 1-255 octets\n");
			return TNC_EINVALID;
		}
	} else if (o->ike.identity || ike_opts) {
		fprintf(stderr, "tncclient: --eap-identity, --eap-secret-file, --server-name, "
		    "--natt-port, --ike-fragment-size, --eap-fragment-size, --gateway-cert and "
		    "--stay go with "
		    "--ikev2\n");
		return TNC_EINVALID;
	}
	char host[256], port[8];
	if (tls_client_parse_server(o->server, host, sizeof(host), port, sizeof(port)) != 0) {
		fprintf(stderr, "tncclient: bad server address '%s' (want ADDR:PORT)\n", o->server);
		return TNC_EINVALID;
	}
	if (!o->cert != !o->key) {
		fprintf(stderr, "tncclient: --cert and --key go together\n");
		return TNC_EINVALID;
	}
	if (!o->sasl_user != !o->sasl_password_file) {
		fprintf(stderr, "tncclient: --sasl-user and --sasl-password-file go together\n");
		return TNC_EINVALID;
	}
	if (o->sasl_user && (!o->sasl_user[0] || strlen(o->sasl_user) > SASL_PLAIN_FIELD_MAX ||
	    !sasl_utf8_ok((struct bytes){(const uint8_t *)o->sasl_user, strlen(o->sasl_user)}))) {
		fprintf(stderr, "tncclient: --sasl-user wants 1-255 octets of UTF-8\n");
		return TNC_EINVALID;
	}
	if (!o->tpm && (o->aik_dir || o->bios_log || o->ima_list)) {
		fprintf(stderr, "tncclient: --aik-dir, --bios-log and --ima-list go with --tpm\n");
		return TNC_EINVALID;
	}
	bool dpkg_opts = o->dpkg_status || o->n_dpkg_logs, rpm_opts = o->rpm_root || o->rpm_dbpath;
	if (!o->swima && (dpkg_opts || rpm_opts || packages_given || o->swima_state ||
	    o->swima_watch)) {
		fprintf(stderr, "tncclient: --packages, --dpkg-status, --dpkg-log, --rpm-root, "
		    "--rpm-dbpath, --swima-state and --swima-watch go with --swima\n");
		return TNC_EINVALID;
	}
	if ((dpkg_opts && (rpm_opts || o->packages == SW_SOURCE_RPM)) ||
	    (rpm_opts && o->packages == SW_SOURCE_DPKG)) {
		fprintf(stderr, "tncclient: --dpkg-* options are for dpkg, --rpm-* ones for rpm\n");
		return TNC_EINVALID;
	}
	if (!packages_given && (dpkg_opts || rpm_opts))
		o->packages = dpkg_opts ? SW_SOURCE_DPKG : SW_SOURCE_RPM;
	if ((o->rpm_root && o->rpm_root[0] != '/') || (o->rpm_dbpath && o->rpm_dbpath[0] != '/')) {
		fprintf(stderr, "tncclient: --rpm-root and --rpm-dbpath want absolute paths\n");
		return TNC_EINVALID;
	}
	const char *const files[] = {o->ca, o->cert, o->key, o->facts, o->sasl_password_file,
	    o->bios_log, o->ima_list, o->dpkg_status, o->ike.secret_file};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (files[i] && access(files[i], R_OK) != 0) {
			fprintf(stderr, "tncclient: cannot read %s: %s\n", files[i],
			    strerror(errno));
			return TNC_EINVALID;
		}
	}
	if (!o->ca && access(DEFAULT_CA, R_OK) == 0)
		o->ca = DEFAULT_CA;
	o->ike.ca = o->ca;
	o->ike.cert = o->cert;
	o->ike.key = o->key;
	o->ike.delay_ms = o->delay_ms;
	if (o->tpm && !o->bios_log && access(IMC_ATTEST_BIOS_LOG, R_OK) == 0)
		o->bios_log = IMC_ATTEST_BIOS_LOG;
	if (o->tpm && !o->ima_list && access(IMC_ATTEST_IMA_LIST, R_OK) == 0)
		o->ima_list = IMC_ATTEST_IMA_LIST;
	return 0;
}

/* The last error logged: the most specific reason for the summary. */
static char last_error[LOG_LINE_MAX];

static void
print_line(const struct log_event *e, void *ctx)
{
	bool verbose = *(const bool *)ctx;
	FILE *f = verbose ? stdout : stderr;

	if (e->level <= 0)
		snprintf(last_error, sizeof(last_error), "%s", e->text);
	fprintf(f, "00[%s] %s\n", e->sub == LOG_IMV ? "IMC" : log_subsys_name(e->sub), e->text);
	fflush(f);
}

static void
log_facts(const struct os_facts *f)
{
	char boot[21];

	os_facts_format_time(f->boot_time, boot);
	LOG(IMV, 1, "operating system name is '%s' from vendor %u", f->product, f->product_vendor);
	LOG(IMV, 1, "operating system version is '%s'", f->version);
	LOG(IMV, 1, "operating system numeric version is %u.%u", f->major, f->minor);
	LOG(IMV, 1, "last boot: %s", boot);
	LOG(IMV, 1, "IPv4 forwarding is %s", f->forwarding == OS_FORWARDING_ENABLED ? "enabled" :
	    f->forwarding == OS_FORWARDING_DISABLED ? "disabled" : "unknown");
	LOG(IMV, 1, "factory default password is %s", f->default_password ? "enabled" : "disabled");
	LOG(IMV, 1, "device ID is %s", f->device_id[0] ? f->device_id : "not known");
	LOG(IMV, 1, "%zu installed packages", f->pkgs.count);
}

/* The facts of this machine with the --facts overrides: 0, or the exit
 * code to leave with. */
static int
load_facts(const struct options *o, struct os_facts *f)
{
	char err[512];

	os_facts_collect(f, &os_facts_system);
	if (o->facts && facts_file_load(o->facts, f, err, sizeof(err)) != 0) {
		fprintf(stderr, "tncclient: %s\n", err);
		return OUTCOME_EXIT_USAGE;
	}
	if (os_facts_load_packages(f) != 0)
		return f->packages_required ? OUTCOME_EXIT_USAGE : OUTCOME_EXIT_ERROR;
	log_facts(f);
	return 0;
}

/* The summary line of a run that ended without a result (the log lines
 * before it, on stderr without --verbose, have the details). */
static void
report_error(const struct pb_client *pb, int err, const struct options *o)
{
	char why[LOG_LINE_MAX + 64];

	if (pb && pb->have_error)
		snprintf(why, sizeof(why), "the server sent PB-TNC error '%s' (code %u, offset %u)",
		    pb_error_code_name(pb->error.vendor, pb->error.code), pb->error.code,
		    pb->error.offset);
	else if (err == TNC_ETIMEOUT)
		snprintf(why, sizeof(why), "no result within %u seconds", o->timeout);
	else
		snprintf(why, sizeof(why), "%s", last_error[0] ? last_error : tnc_strerror(err));
	printf("access recommendation: none (error: %s)\n", why);
}

static int
pt_tls_send(void *arg, struct bytes batch)
{
	return pt_tls_client_send_batch(arg, batch);
}

static int
pt_tls_recv(void *arg, struct bytes *ret)
{
	return pt_tls_client_recv_batch(arg, ret);
}

/* The exchange with the server, from TCP connect to CLOSE; sasl: NULL
 * without credentials. */
static int
run(const struct options *o, const struct os_facts *facts, const struct pt_tls_client_sasl *sasl,
    struct imc_attest *attest, struct imc_swima *swima)
{
	struct tls_client_config cfg = {o->server, o->ca, o->cert, o->key, o->tls_version};
	struct tls_client *tls = NULL;
	struct pt_tls_client pt;
	struct outcome out;
	struct pb_client pb;
	struct imc_os *imc = NULL;
	int rc = OUTCOME_EXIT_ERROR;

	outcome_init(&out);
	pt_tls_client_init(&pt, NULL);
	int err = tls_client_connect(&cfg, &tls);
	if (err) {
		report_error(NULL, err, o);
		goto out;
	}
	pt_tls_client_init(&pt, tls);
	pt.sasl = sasl;
	err = pt_tls_client_negotiate(&pt);
	if (err) {
		report_error(NULL, err, o);
		if (pt.auth_failed)
			rc = OUTCOME_EXIT_AUTH;
		goto out;
	}
	imc = imc_os_new(facts, &out);
	const struct pb_transport transport = {pt_tls_send, pt_tls_recv, &pt,
	    PT_TLS_CLIENT_MAX_MSG};
	pb_client_init(&pb, &transport, imc, &out, o->delay_ms);
	pb.attest = attest;
	pb.swima = swima;
	pb.watch_ms = o->swima_watch * 1000u;
	err = pb_client_run(&pb);
	if (err) {
		report_error(&pb, err, o);
		goto out;
	}
	outcome_print(&out, stdout);
	rc = outcome_exit_code(&out);
out:
	imc_os_free(imc);
	outcome_clear(&out);
	pt_tls_client_clear(&pt);
	tls_client_free(tls);
	return rc;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct os_facts facts;

	if (parse_options(argc, argv, &o) != 0) {
		fprintf(stderr, SYNOPSIS "(tncclient --help tells more)\n");
		return OUTCOME_EXIT_USAGE;
	}
	log_set_output(print_line, &o.verbose);
	log_set_all_levels(o.verbose ? LOG_LEVEL_MAX : 0);
	signal(SIGPIPE, SIG_IGN); /* a closed connection is an error return */
	deadline_set((int64_t)o.timeout * 1000);
	os_facts_init(&facts);
	int rc = load_facts(&o, &facts);
	struct sasl_password password = {0};
	struct pt_tls_client_sasl sasl = {o.sasl_user, password.text, 0};
	char why[512];
	if (rc == 0 && o.sasl_user && sasl_password_read_file(o.sasl_password_file, &password, why,
	    sizeof(why)) != 0) {
		fprintf(stderr, "tncclient: %s\n", why);
		rc = OUTCOME_EXIT_USAGE;
	}
	sasl.password_len = password.len;
	const char *tamper = getenv(TAMPER_ENV);
	struct imc_attest_config acfg = {o.tpm, o.aik_dir ? o.aik_dir : DEFAULT_AIK_DIR,
	    o.bios_log, o.ima_list, NULL, IMC_ATTEST_TAMPER_NONE, NULL};
	if (tamper && strcmp(tamper, "nonce") == 0)
		acfg.tamper = IMC_ATTEST_TAMPER_NONCE;
	else if (tamper && strncmp(tamper, "replay:", 7) == 0)
		acfg = (struct imc_attest_config){acfg.tcti, acfg.aik_dir, acfg.bios_log,
		    acfg.ima_list, NULL, IMC_ATTEST_TAMPER_REPLAY, tamper + 7};
	struct imc_attest *attest = NULL;
	if (rc == 0 && o.tpm && !(attest = imc_attest_new(&acfg, why, sizeof(why)))) {
		fprintf(stderr, "tncclient: the attestation IMC cannot start: %s\n", why);
		rc = OUTCOME_EXIT_ERROR;
	}
	struct imc_swima_config scfg;
	struct imc_swima *swima = NULL;
	if (rc == 0 && o.swima) {
		/* one --dpkg-log is the newer log */
		struct sw_source src = {o.packages, o.dpkg_status,
		    {{o.n_dpkg_logs == 2 ? o.dpkg_logs[0] : NULL,
		    o.n_dpkg_logs == 2 ? o.dpkg_logs[1] : o.dpkg_logs[0]}, o.swima_state},
		    {o.rpm_root, o.rpm_dbpath}};
		imc_swima_config_init(&scfg, &facts, &src);
		swima = imc_swima_new(&scfg);
	}
	if (rc == 0 && o.ike.host)
		rc = ike_mode_run(&o.ike, &facts, attest, swima, NULL);
	else if (rc == 0)
		rc = run(&o, &facts, o.sasl_user ? &sasl : NULL, attest, swima);
	imc_swima_free(swima);
	imc_attest_free(attest);
	sasl_password_clear(&password);
	os_facts_clear(&facts);
	fflush(stdout);
	return rc;
}
