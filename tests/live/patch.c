/* SPDX-License-Identifier: ISC */
/* Connects JACK ports for the live tests, one client for all of them instead of a
 * jack_lsp poll and a jack_connect per port.
 * Usage: patch [-w PORT]... [SOURCE DESTINATION]...
 * Waits until every -w PORT exists, then connects each pair. A port is listed as soon as it
 * is registered, before its client is active, and JACK refuses to connect ports of inactive
 * clients: so a refused connection is tried again (up to 20 s) rather than failing.
 * Before each connection and before closing, it waits for the server to run on time
 * (settle.h): a graph change while periods run late can hang jackd. The client itself is
 * never activated. Exit status 1 if a port does not appear or a connection fails, 4 if the
 * server runs no period for 5 s (the shell then checks whether jackd is hung, jack-env.sh). */
#define _POSIX_C_SOURCE 200809L
#include "settle.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define PORT_WAIT 20.0 /* s, for a port to appear or a connection to be accepted */
#define QUIET 0.5      /* s on time before a graph change */
#define LATE_LIMIT 10.0
#define STOP 5.0 /* s without a period: the server is hung */

static void
quiet_jack(const char *msg)
{
	(void)msg; /* libjack reports every refused attempt; the final message says it better */
}

/* Returns 0 once the server runs on time (or still late after LATE_LIMIT: going on is then
 * the better bet, and the caller's own checks decide), 4 if it has stopped. */
static int
settle(jack_client_t *c, const char *before)
{
	switch (qkl_settle(c, QUIET, LATE_LIMIT, STOP)) {
	case QKL_ON_TIME: return 0;
	case QKL_LATE:
		printf("patch: note: the server still ran late after %.0f s; %s anyway\n",
		       LATE_LIMIT, before);
		return 0;
	case QKL_STOPPED: break;
	}
	fprintf(stderr, "patch: the server has run no period for %.0f s (before %s)\n", STOP,
	        before);
	return 4;
}

int
main(int argc, char **argv)
{
	int first = 1;
	while (first + 1 < argc && strcmp(argv[first], "-w") == 0)
		first += 2;
	if ((argc - first) % 2 != 0) {
		fprintf(stderr, "usage: patch [-w PORT]... [SOURCE DESTINATION]...\n");
		return 2;
	}
	jack_set_error_function(quiet_jack);
	jack_status_t st;
	jack_client_t *c = jack_client_open("patch", JackNoStartServer, &st);
	if (!c) {
		fprintf(stderr, "patch: cannot open the JACK client (status 0x%x)\n", (unsigned)st);
		return 1;
	}
	int rc = 0;
	for (int i = 1; rc == 0 && i < first; i += 2) {
		double t0 = qkl_now();
		while (!jack_port_by_name(c, argv[i + 1]) && qkl_now() - t0 < PORT_WAIT)
			qkl_sleep(0.02);
		if (!jack_port_by_name(c, argv[i + 1])) {
			fprintf(stderr, "patch: port %s did not appear in %.0f s\n", argv[i + 1],
			        PORT_WAIT);
			rc = 1;
		}
	}
	for (int i = first; rc == 0 && i < argc; i += 2) {
		char what[600];
		snprintf(what, sizeof what, "connecting %s to %s", argv[i], argv[i + 1]);
		if ((rc = settle(c, what)) != 0)
			break;
		double t0 = qkl_now();
		int r;
		while ((r = jack_connect(c, argv[i], argv[i + 1])) != 0 && r != EEXIST &&
		       qkl_now() - t0 < PORT_WAIT)
			qkl_sleep(0.02);
		if (r != 0 && r != EEXIST) {
			fprintf(stderr, "patch: cannot connect %s to %s (tried for %.0f s)\n",
			        argv[i], argv[i + 1], PORT_WAIT);
			rc = 1;
		}
	}
	/* Closing is a graph change too. */
	if (rc == 0)
		rc = settle(c, "closing");
	jack_client_close(c);
	return rc;
}
