/* tncdump - prints a PB-TNC batch (RFC 5793), a PA-TNC message (RFC 5792),
 * a PT-TLS message stream (RFC 6876), an IKEv2 message (RFC 7296) or EAP
 * packets (RFC 3748, EAP-TTLS, EAP-TNC, PT-EAP) as an indented tree.
 *
 * Reads the whole input (a file or standard input, at most DUMP_MAX_INPUT
 * octets) before decoding.  Exit status: 0 decoded, 1 malformed input (what
 * decoded is printed first, then "error: <reason> at byte offset N"), 2 bad
 * usage or unreadable input.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"

#define EXIT_USAGE 2

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: tncdump [--as FORMAT] [--ike-encr NAME [--ike-integ NAME]] [--all] FILE|-\n"
	    "Prints a PB-TNC batch, a PA-TNC message, a PT-TLS message stream, an IKEv2\n"
	    "message or EAP packets as a tree; '-' reads standard input.  The format is\n"
	    "detected unless --as names it.\n"
	    "  --as FORMAT  pb (PB-TNC batch), pa (PA-TNC message), pt-tls (PT-TLS stream),\n"
	    "               ikev2 (IKEv2 message), eap (EAP packets),\n"
	    "               ttls (tunneled EAP-TTLS data: AVPs)\n"
	    "  --ike-encr NAME, --ike-integ NAME  the IKE SA's transforms (AES_CBC,\n"
	    "               HMAC_SHA2_256_128; an AEAD cipher alone): split SK payloads\n"
	    "               into IV, ciphertext and ICV\n"
	    "  --all        every entry of long lists and every octet of hex values\n"
	    "  -h, --help; -V, --version\n"
	    "Exit status: 0 decoded, 1 malformed input, 2 usage or read error.\n");
}

/* The whole of f into *ret (malloc'd); -errno, or TNC_ETOOLONG past the cap. */
static int
read_all(FILE *f, uint8_t **ret, size_t *ret_len)
{
	size_t cap = 64 * 1024, len = 0, n;
	uint8_t *buf = malloc(cap), *p;

	if (!buf)
		abort();
	errno = 0;
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len > DUMP_MAX_INPUT) {
			free(buf);
			return TNC_ETOOLONG;
		}
		if (len == cap) {
			/* One octet past the cap is enough to refuse the input. */
			cap = cap * 2 > DUMP_MAX_INPUT + 1 ? DUMP_MAX_INPUT + 1 : cap * 2;
			if (!(p = realloc(buf, cap)))
				abort();
			buf = p;
		}
	}
	if (ferror(f)) {
		int err = errno ? -errno : -EIO;

		free(buf);
		return err;
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

static int
read_input(const char *path, uint8_t **ret, size_t *ret_len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	int err;

	if (!f)
		return -errno;
	err = read_all(f, ret, ret_len);
	if (f != stdin)
		fclose(f);
	return err;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"as", required_argument, NULL, 'a'},
		{"all", no_argument, NULL, 'A'},
		{"ike-encr", required_argument, NULL, 'c'},
		{"ike-integ", required_argument, NULL, 'i'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct dump_opts o = {DUMP_AUTO, false, {false, 0, 0, 0}};
	const char *encr = NULL, *integ = NULL, *why;
	uint8_t *buf = NULL;
	size_t len = 0;
	int c, err, status;

	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (dump_format_parse(optarg, &o.as)) {
				fprintf(stderr, "tncdump: unknown format '%s'\n", optarg);
				usage(stderr);
				return EXIT_USAGE;
			}
			break;
		case 'A':
			o.all = true;
			break;
		case 'c':
			encr = optarg;
			break;
		case 'i':
			integ = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("tncdump %s\n", TNC_VERSION);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if ((encr || integ) && dump_sk_parse(encr, integ, &o.sk, &why)) {
		fprintf(stderr, "tncdump: %s\n", why);
		return EXIT_USAGE;
	}
	if ((err = read_input(argv[optind], &buf, &len))) {
		if (err == TNC_ETOOLONG)
			fprintf(stderr, "tncdump: %s: input larger than %zu bytes\n", argv[optind],
			    DUMP_MAX_INPUT);
		else
			fprintf(stderr, "tncdump: %s: %s\n", argv[optind], tnc_strerror(err));
		return EXIT_USAGE;
	}
	status = dump_input(stdout, buf, len, &o);
	free(buf);
	return status;
}
