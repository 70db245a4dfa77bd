/* SPDX-License-Identifier: ISC */
/* `quarks plot -o OUT.png FILE...`: plots sound files (one lane per channel), for outputs that
 * were rendered earlier or recorded elsewhere. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"

#include "paths.h"
#include "plot.h"
#include "wavin.h"

#include <getopt.h>
#include <signal.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
        "Usage: quarks plot -o OUT.png [--title TEXT] FILE...\n"
        "Plot sound files as stacked lanes (one per channel) over a shared time axis.\n"
        "All files must have the same sample rate.\n"
        "\n"
        "  -o, --output FILE.png   the picture to write (required)\n"
        "      --title TEXT        title above the plot (default: the first file's name)\n"
        "  -h, --help              show this help\n";

/* Set by SIGINT/SIGTERM while the picture is drawn and written, so that its temporary file is
 * deleted instead of renamed (or left behind); before that the default action stops the
 * command at once. The one mutable static, as a signal handler needs. */
static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

typedef struct {
	qk_trace *t;
	float **mem;
	char **labels;
	size_t n;
} traces;

static int
load(const char *path, traces *tr, int *rate)
{
	char err[1024];
	if (qk_wav_check(path, 1, err, sizeof err) != 0) { /* unreadable, or truncated */
		fprintf(stderr, "quarks plot: %s\n", err);
		return -1;
	}
	SF_INFO info;
	memset(&info, 0, sizeof info);
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	if (!f) {
		fprintf(stderr, "quarks plot: cannot read '%s': %s\n", path, sf_strerror(NULL));
		return -1;
	}
	if (*rate && info.samplerate != *rate) {
		fprintf(stderr, "quarks plot: '%s' is at %d Hz, the first file at %d Hz\n", path,
		        info.samplerate, *rate);
		sf_close(f);
		return -1;
	}
	*rate = info.samplerate;
	size_t n = (size_t)info.frames, ch = (size_t)info.channels;
	float *all = malloc((n * ch > 0 ? n * ch : 1) * sizeof *all);
	int rc = all && sf_readf_float(f, all, (sf_count_t)n) == (sf_count_t)n ? 0 : -1;
	sf_close(f);
	if (rc != 0) {
		fprintf(stderr, "quarks plot: cannot read '%s'\n", path);
		free(all);
		return -1;
	}
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	for (size_t c = 0; c < ch && rc == 0; c++) {
		qk_trace *t = realloc(tr->t, (tr->n + 1) * sizeof *t);
		if (t)
			tr->t = t;
		float **m = t ? realloc(tr->mem, (tr->n + 1) * sizeof *m) : NULL;
		if (m)
			tr->mem = m;
		char **l = m ? realloc(tr->labels, (tr->n + 1) * sizeof *l) : NULL;
		if (l)
			tr->labels = l;
		float *data = l ? malloc((n ? n : 1) * sizeof *data) : NULL;
		char *label = data ? malloc(strlen(base) + 16) : NULL;
		if (!label) {
			free(data);
			rc = -1;
			break;
		}
		for (size_t i = 0; i < n; i++)
			data[i] = all[i * ch + c];
		if (ch == 1)
			snprintf(label, strlen(base) + 16, "%s", base);
		else
			snprintf(label, strlen(base) + 16, "%s:%zu", base, c + 1);
		tr->mem[tr->n] = data;
		tr->labels[tr->n] = label;
		tr->t[tr->n++] = (qk_trace){label, data, n};
	}
	free(all);
	if (rc != 0)
		fprintf(stderr, "quarks plot: out of memory\n");
	return rc;
}

int
qk_cmd_plot(int argc, char **argv)
{
	static const struct option longs[] = {
	        {"output", required_argument, NULL, 'o'},
	        {"title", required_argument, NULL, 'T'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	const char *out = NULL, *title = NULL;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:h", longs, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'T': title = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "quarks plot: %s '%s'\nTry 'quarks plot --help'.\n",
			        c == ':' ? "option needs a value:" : "unknown option",
			        argv[optind - 1]);
			return 2;
		}
	}
	if (!out || optind >= argc) {
		fprintf(stderr, "quarks plot: give -o OUT.png and at least one FILE\n"
		                "Try 'quarks plot --help'.\n");
		return 2;
	}
	qk_path_role *ins = calloc((size_t)(argc - optind), sizeof *ins);
	qk_path_role plot = {out, "the plot"};
	char err[1024];
	if (!ins) {
		fprintf(stderr, "quarks plot: out of memory\n");
		return 1;
	}
	for (int i = optind; i < argc; i++)
		ins[i - optind] = (qk_path_role){argv[i], "the input"};
	int clash = qk_check_outputs(ins, (size_t)(argc - optind), &plot, 1, err, sizeof err);
	free(ins);
	if (clash) {
		fprintf(stderr, "quarks plot: %s\nTry 'quarks plot --help'.\n", err);
		return 2;
	}
	traces tr = {NULL, NULL, NULL, 0};
	int rate = 0, status = 0;
	for (int i = optind; i < argc && status == 0; i++)
		if (load(argv[i], &tr, &rate) != 0)
			status = 1;
	if (status == 0) {
		const char *t = title ? title : argv[optind];
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		if (qk_plot_png(out, t, tr.t, tr.n, rate, &interrupted, err, sizeof err) != 0) {
			fprintf(stderr, "quarks plot: %s\n", err);
			status = 1;
		}
	}
	for (size_t i = 0; i < tr.n; i++) {
		free(tr.mem[i]);
		free(tr.labels[i]);
	}
	free(tr.t);
	free(tr.mem);
	free(tr.labels);
	return status;
}
