/* main.c - tncverify: offline verification of attestation evidence (TCG
 * event logs, IMA measurement lists, TPM quotes) on the tnc_attest library.
 *
 * tncverify SUBCOMMAND ARGS... [--json]: --json may stand anywhere; the
 * subcommand gets the rest (see verify.h for the exit codes).
 */
#include <stdio.h>
#include <string.h>

#include "verify.h"

static const struct {
	const char *name, *args, *what;
	int (*main)(int argc, char **argv, bool json);
} commands[] = {
#define VERIFY_ROW(name, args, what) {#name, args, what, verify_##name##_main},
    VERIFY_COMMANDS(VERIFY_ROW)
#undef VERIFY_ROW
};

static int
usage(FILE *f)
{
	fprintf(f, "usage: tncverify COMMAND ARGS... [--json]\n\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  tncverify %s %s\n      %s\n", commands[i].name, commands[i].args,
		    commands[i].what);
	fprintf(f, "\nexit status: %d verified, %d not verified (stdout says why), %d usage, %d error\n",
	    VERIFY_EXIT_OK, VERIFY_EXIT_FAIL, VERIFY_EXIT_USAGE, VERIFY_EXIT_ERROR);
	return f == stdout ? VERIFY_EXIT_OK : VERIFY_EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	bool json = false;
	int n = 0;

	/* Take --json out wherever it stands; the subcommand sees the rest. */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else
			argv[1 + n++] = argv[i];
	}
	argv[1 + n] = NULL;
	if (n == 0)
		return usage(stderr);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return usage(stdout);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].main(n, argv + 1, json);
	fprintf(stderr, "tncverify: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
