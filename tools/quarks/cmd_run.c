/* SPDX-License-Identifier: ISC */
/* `quarks run GRAPH`: hosts a graph live as one JACK client (live_host.c) and reads control
 * commands from standard input (live_control.c) until SIGINT, SIGTERM or `quit`. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"

#include "engine.h"
#include "graph.h"
#include "live_control.h"
#include "live_host.h"

#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
        "Usage: quarks run [OPTION]... GRAPH\n"
        "Run a patch graph live as one JACK client. Graph inputs and outputs become JACK ports\n"
        "named after them; built-in sources run live. Standard input takes commands, one a line:\n"
        "  set NODE.PORT VALUE   change a control      seek TIME   move the sources to TIME\n"
        "  quit                  stop (as do Ctrl-C and SIGTERM)\n"
        "\n"
        "  -n, --name NAME         JACK client name (default: quarks)\n"
        "  -s, --set NODE.PORT=V   set a control before starting\n"
        "  -c, --connect           connect the outputs to the physical playback ports\n"
        "  -S, --input-sources     inputs with a default source ('input x = sine ...') run it\n"
        "                          instead of becoming JACK ports\n"
        "  -q, --quiet             print only errors and the summary\n"
        "  -h, --help              show this help\n"
        "\n"
        "Plugins are found on LV2_PATH. The engine is the renderer's: the output is what\n"
        "`quarks render` writes for the same graph.\n";

/* Set by SIGINT/SIGTERM: the one accepted mutable static. */
static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "quarks run: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'quarks run --help'.\n");
	return 2;
}

/* Handles one line of standard input; returns 1 on `quit`. */
static int
command(qk_live *l, const char *line, int lineno, int quiet)
{
	qk_live_cmd cmd;
	char err[1024];
	if (qk_live_parse(line, qk_live_rate(l), &cmd, err, sizeof err) != 0) {
		fprintf(stderr, "stdin:%d: %s\n", lineno, err);
		return 0;
	}
	switch (cmd.kind) {
	case QK_LIVE_SET:
		if (qk_live_set(l, cmd.target, (float)cmd.value, err, sizeof err) != 0)
			fprintf(stderr, "stdin:%d: %s\n", lineno, err);
		else if (!quiet)
			printf("%s = %g\n", cmd.target, cmd.value);
		break;
	case QK_LIVE_SEEK:
		if (qk_live_seek(l, (uint64_t)cmd.value, err, sizeof err) != 0)
			fprintf(stderr, "stdin:%d: %s\n", lineno, err);
		break;
	case QK_LIVE_HELP: fputs(qk_live_help, stdout); break;
	case QK_LIVE_QUIT: return 1;
	case QK_LIVE_NONE: break;
	}
	fflush(stdout);
	return 0;
}

/* Reads commands until a stop; stdin at end of file just stops being read. */
static int
loop(qk_live *l, int quiet)
{
	char buf[4096];
	size_t have = 0;
	int lineno = 0, open = 1;
	while (!stop) {
		qk_diag d;
		if (qk_live_poll(l, &d) != 0) {
			fprintf(stderr, "%s\n", d.msg);
			return 1;
		}
		struct pollfd p = {STDIN_FILENO, POLLIN, 0};
		if (!open || poll(&p, 1, 100) <= 0) {
			if (!open)
				poll(NULL, 0, 100);
			continue;
		}
		ssize_t r = read(STDIN_FILENO, buf + have, sizeof buf - 1 - have);
		if (r <= 0) {
			open = 0;
			continue;
		}
		have += (size_t)r;
		char *nl;
		while ((nl = memchr(buf, '\n', have))) {
			*nl = '\0';
			if (command(l, buf, ++lineno, quiet))
				return 0;
			have -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, have);
		}
		if (have == sizeof buf - 1) {
			fprintf(stderr, "stdin:%d: line too long\n", ++lineno);
			have = 0;
		}
	}
	return 0;
}

/* Checks the graph and the --set options before JACK is asked for anything: a broken graph
 * is reported as such, not as a missing server. The engine is built as for a check (file
 * inputs' headers only, the sample rate not yet known) and the --set values parsed by it, as
 * numbers or labels. Returns -1 to go on, else an exit status. */
static int
check_first(const qk_graph *g, char **sets, size_t n, float *values)
{
	qk_engine_config cfg = {
	        .rate = 48000, .max_block = 1, .external_inputs = 1, .check_only = 1};
	qk_engine *e;
	qk_diag d;
	if (qk_engine_new(g, &cfg, &e, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		return 1;
	}
	int status = -1;
	for (size_t i = 0; i < n && status < 0; i++) {
		char *eq = strchr(sets[i], '=');
		if (!eq || eq == sets[i] || !eq[1]) {
			status = usage_error("--set takes NODE.PORT=VALUE, not '%s'", sets[i]);
			break;
		}
		*eq = '\0';
		qk_diag why;
		int rc = qk_engine_control_parse(e, sets[i], eq + 1, &values[i], &why);
		*eq = '=';
		if (rc != 0) {
			size_t len = (size_t)(eq - sets[i]);
			const char *reason =
			        strncmp(why.msg, sets[i], len) == 0 && why.msg[len] == ':'
			                ? why.msg + len + 2
			                : why.msg;
			fprintf(stderr, "quarks run: --set %s: %s\nTry 'quarks run --help'.\n",
			        sets[i], reason);
			status = 2;
		}
	}
	qk_engine_free(e);
	return status;
}

static int
apply_sets(qk_live *l, char **sets, const float *values, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *eq = strchr(sets[i], '=');
		char err[1024];
		*eq = '\0';
		int rc = qk_live_set(l, sets[i], values[i], err, sizeof err);
		*eq = '=';
		if (rc != 0) {
			fprintf(stderr, "quarks run: --set %s: %s\n", sets[i], err);
			return 1;
		}
	}
	return 0;
}

static void
banner(qk_live *l, const qk_graph *g)
{
	jack_client_t *c = qk_live_client(l);
	printf("quarks run: %s as JACK client '%s' at %u Hz, %u frames a period\n", g->path,
	       jack_get_client_name(c), qk_live_rate(l), qk_live_buffer_size(l));
	for (size_t i = 0; i < g->n_decls; i++)
		if (g->decls[i].kind == QK_DECL_INPUT || g->decls[i].kind == QK_DECL_OUTPUT)
			printf("  %s port %s:%s\n",
			       g->decls[i].kind == QK_DECL_INPUT ? "input " : "output",
			       jack_get_client_name(c), g->decls[i].name);
	printf("type 'set NODE.PORT VALUE', 'seek TIME' or 'quit' (or press Ctrl-C)\n");
	fflush(stdout);
}

int
qk_cmd_run(int argc, char **argv)
{
	static const struct option longs[] = {
	        {"name", required_argument, NULL, 'n'},
	        {"set", required_argument, NULL, 's'},
	        {"connect", no_argument, NULL, 'c'},
	        {"quiet", no_argument, NULL, 'q'},
	        {"input-sources", no_argument, NULL, 'S'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	const char *name = "quarks";
	char *sets[64];
	size_t n_sets = 0;
	int connect = 0, quiet = 0, own_sources = 0, c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:s:cqSh", longs, NULL)) != -1) {
		switch (c) {
		case 'n': name = optarg; break;
		case 'c': connect = 1; break;
		case 'q': quiet = 1; break;
		case 'S': own_sources = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		case 's':
			if (n_sets == 64)
				return usage_error("%s", "at most 64 --set options");
			sets[n_sets++] = optarg;
			break;
		case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
		default: return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", "give one GRAPH file");
	qk_graph g;
	qk_diag d;
	if (qk_graph_load(argv[optind], &g, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		return 1;
	}
	if (g.notes && !quiet) /* what a project's reader left out or ignores */
		fputs(g.notes, stderr);
	/* An input with a default source is then just a source: the engine runs it. */
	for (size_t i = 0; own_sources && i < g.n_decls; i++)
		if (g.decls[i].kind == QK_DECL_INPUT && g.decls[i].type)
			g.decls[i].kind = QK_DECL_SOURCE;
	float values[64];
	int checked = check_first(&g, sets, n_sets, values);
	if (checked >= 0) {
		qk_graph_free(&g);
		return checked;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	char err[1024];
	int status = 1;
	qk_live *l = qk_live_open(&g, name, err, sizeof err);
	if (!l) {
		fprintf(stderr, "quarks run: %s\n", err);
	} else if (qk_live_start(l, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
	} else if ((status = apply_sets(l, sets, values, n_sets)) == 0 &&
	           (status = qk_live_activate(l, &d) != 0 ? (fprintf(stderr, "%s\n", d.msg), 1)
	                                                  : 0) == 0) {
		if (connect)
			qk_live_connect_playback(l);
		if (!quiet)
			banner(l, &g);
		status = loop(l, quiet);
		fprintf(stderr, "quarks run: stopped; %u xruns (period %u frames at %u Hz)\n",
		        qk_live_xruns(l), qk_live_buffer_size(l), qk_live_rate(l));
	}
	qk_live_close(l);
	qk_graph_free(&g);
	return status;
}
