/* SPDX-License-Identifier: ISC */
/* `quarks export --carla GRAPH`: writes the graph as a Carla patchbay project. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"

#include "carla_export.h"
#include "engine.h"
#include "graph.h"
#include "paths.h"
#include "source_spec.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
        "Usage: quarks export --carla [--scope] [-o FILE.carxp] GRAPH\n"
        "Write a patch graph as a Carla patchbay project that runs on its own. Instances keep the\n"
        "node names, controls are written by symbol and connections by the ports' lv2:name.\n"
        "Built-in sources become instances of the bundle's source plugins (files: Carla's audio\n"
        "file player), a constant 1 holds every gate the graph leaves open (Carla feeds open\n"
        "inputs with silence), bare graph inputs go to Audio Input:Left/Right and graph outputs "
        "to\n"
        "Audio Output:Left/Right, in declaration order; a note says what did not fit.\n"
        "\n"
        "  -c, --carla         the format (the only one)\n"
        "  -s, --scope         also wire the graph's `plot` signals into x42 oscilloscopes\n"
        "                      (Debian package x42-plugins), four a scope\n"
        "  -o, --output FILE   where to write (default: GRAPH with .carxp for its extension)\n"
        "  -q, --quiet         print no notes\n"
        "  -h, --help          show this help\n";

/* Set by SIGINT/SIGTERM once the project's temporary file exists, so that it is deleted rather
 * than left behind; before that the default action ends the process at once. The one mutable
 * static, as a signal handler needs. */
static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static int
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "quarks export: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'quarks export --help'.\n");
	return 2;
}

/* GRAPH with its extension replaced by .carxp. */
static char *
default_path(const char *graph)
{
	const char *slash = strrchr(graph, '/');
	const char *dot = strrchr(graph, '.');
	size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - graph) : strlen(graph);
	char *p = malloc(stem + 7);
	if (p)
		snprintf(p, stem + 7, "%.*s.carxp", (int)stem, graph);
	return p;
}

/* Exports into a temporary file beside path, renamed over path only when complete. */
static int
write_project(const qk_graph *g, qk_engine *e, const qk_carla_export_options *opts,
              const char *path, FILE *notes)
{
	size_t len = strlen(path) + 8;
	char *tmp = malloc(len);
	if (!tmp) {
		fprintf(stderr, "quarks export: out of memory\n");
		return 1;
	}
	snprintf(tmp, len, "%s.XXXXXX", path);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	int fd = mkstemp(tmp);
	if (fd >= 0) {
		/* the usual permissions of a new file, not mkstemp's 0600 */
		mode_t mask = umask(0);
		umask(mask);
		if (fchmod(fd, 0666 & ~mask) != 0)
			fprintf(stderr, "quarks export: note: %s keeps owner-only permissions\n",
			        path);
	}
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		fprintf(stderr, "quarks export: cannot write %s: %s\n", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return 1;
	}
	qk_diag d;
	int rc = qk_carla_export_with(g, e, opts, f, notes, &d);
	int werr = ferror(f);
	if (fclose(f) != 0)
		werr = 1;
	if (rc != 0)
		fprintf(stderr, "%s\n", d.msg);
	else if (interrupted)
		fprintf(stderr, "quarks export: interrupted; nothing written\n"), rc = -1;
	else if (werr || rename(tmp, path) != 0)
		fprintf(stderr, "quarks export: cannot write %s: %s\n", path, strerror(errno)),
		        rc = -1;
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc != 0;
}

/* The project must not be the graph or a sound file the graph reads: a file source, or the
 * default file of an input (the engine leaves inputs to the host, so it has not opened those). */
static int
check_path(const qk_graph *g, const qk_engine *e, const char *path, char *err, size_t err_len)
{
	size_t n = 1 + qk_engine_n_files(e) + g->n_decls;
	qk_path_role *ins = calloc(n, sizeof *ins), out = {path, "the project"};
	char **mem = calloc(g->n_decls ? g->n_decls : 1, sizeof *mem);
	if (!ins || !mem) {
		free(ins);
		free(mem);
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	size_t k = 0;
	ins[k++] = (qk_path_role){g->path, "the graph"};
	for (size_t i = 0; i < qk_engine_n_files(e); i++)
		ins[k++] = (qk_path_role){qk_engine_file_path(e, i), "the input file"};
	for (size_t i = 0; i < g->n_decls; i++) {
		const qk_decl *dc = &g->decls[i];
		qk_source_spec spec;
		qk_diag d;
		memset(&spec, 0, sizeof spec);
		if (dc->kind == QK_DECL_INPUT && dc->type &&
		    qk_source_spec_parse(g, dc, 48000, &spec, &d) == 0 && spec.is_file)
			ins[k++] = (qk_path_role){mem[i] = spec.path, "the input file"};
		else
			free(spec.path);
	}
	int rc = qk_check_outputs(ins, k, &out, 1, err, err_len);
	for (size_t i = 0; i < g->n_decls; i++)
		free(mem[i]);
	free(mem);
	free(ins);
	return rc;
}

int
qk_cmd_export(int argc, char **argv)
{
	static const struct option longs[] = {
	        {"carla", no_argument, NULL, 'c'}, {"output", required_argument, NULL, 'o'},
	        {"scope", no_argument, NULL, 's'}, {"quiet", no_argument, NULL, 'q'},
	        {"help", no_argument, NULL, 'h'},  {NULL, 0, NULL, 0},
	};
	const char *out = NULL;
	int carla = 0, quiet = 0, c;
	qk_carla_export_options opts = {0};
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":cso:qh", longs, NULL)) != -1) {
		switch (c) {
		case 'c': carla = 1; break;
		case 's': opts.scope = 1; break;
		case 'o': out = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
		default: return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!carla)
		return usage_error("%s", "say which format: --carla");
	if (optind != argc - 1)
		return usage_error("%s", "give one GRAPH file");
	const char *graph = argv[optind];
	char *path = out ? strdup(out) : default_path(graph);
	qk_graph g;
	qk_diag d;
	qk_engine *e = NULL;
	/* The engine resolves presets, labels and every port exactly as render does. External
	 * inputs: a bare `input` needs no file to be exported. */
	qk_engine_config cfg = {
	        .rate = 48000, .max_block = 1, .external_inputs = 1, .check_only = 1};
	int status = 0;
	if (!path) {
		fprintf(stderr, "quarks export: out of memory\n");
		return 1;
	}
	if (qk_graph_load(graph, &g, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		status = 1;
	} else {
		char err[1024];
		if (qk_engine_new(&g, &cfg, &e, &d) != 0) {
			fprintf(stderr, "%s\n", d.msg);
			status = 1;
		} else if (check_path(&g, e, path, err, sizeof err) != 0) {
			fprintf(stderr, "quarks export: %s\nTry 'quarks export --help'.\n", err);
			status = 2;
		} else {
			FILE *notes = quiet ? fopen("/dev/null", "w") : stdout;
			status = write_project(&g, e, &opts, path, notes ? notes : stdout);
			if (notes && notes != stdout)
				fclose(notes);
			if (status == 0 && !quiet)
				printf("wrote %s\n", path);
		}
		qk_engine_free(e);
		qk_graph_free(&g);
	}
	free(path);
	return status;
}
