/* SPDX-License-Identifier: ISC */
/* `quarks render GRAPH`: runs a graph offline and writes each graph output to a sound file. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"

#include "engine.h"
#include "graph.h"
#include "number.h"
#include "paths.h"
#include "plot.h"
#include "progress.h"
#include "wavout.h"

#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
        "Usage: quarks render [OPTION]... GRAPH\n"
        "Render a patch graph offline through the LV2 plugins and write each graph output to\n"
        "DIR/NAME.wav (or .flac). The graph format is described in docs/graph.md and quarks(1).\n"
        "\n"
        "  -r, --rate HZ           sample rate, 1 to 10000000 (default: the graph's `rate`,\n"
        "                          else 48000)\n"
        "  -d, --duration TIME     length: 2.5, 2.5s, 250ms or 4800smp, at most 1e12 samples\n"
        "                          (default: the graph's `duration`, else the longest input\n"
        "                          file, else 1 s)\n"
        "  -b, --block N           frames per block, 1 to 1048576 (default 256)\n"
        "  -o, --output-dir DIR    folder for the output files, created if missing (default .)\n"
        "  -f, --format FMT        wav or flac (default wav)\n"
        "  -t, --subtype TYPE      float, double, pcm16 or pcm24 (default: float for wav,\n"
        "                          pcm24 for flac)\n"
        "  -i, --input NAME=FILE   feed graph input NAME from FILE (first channel)\n"
        "  -s, --set NODE.PORT=V   set a control, overriding the graph (a number or a label:\n"
        "                          n.act=relu)\n"
        "  -p, --plot FILE.png     also plot signals over time\n"
        "      --signals A,B,...   signals to plot (default: the graph's `plot` lines, else every\n"
        "                          source and input, then every output)\n"
        "  -q, --quiet             print nothing on success and show no progress bar\n"
        "  -h, --help              show this help\n"
        "\n"
        "Plugins are found on LV2_PATH. Output files appear only when the whole render succeeded;\n"
        "no output may be an input or another output. Bad options exit with status 2.\n";

/* Set by SIGINT/SIGTERM so the render loop can delete its temporary files before exiting.
 * A signal handler can only communicate through a static flag: the one mutable static here.
 * The handler is installed only when the outputs are about to be opened: before that nothing
 * needs cleaning up, and the default action ends the process in any phase (reading a graph,
 * building an engine of 100,000 nodes) at once. */
static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

typedef struct {
	const char *graph;
	const char *rate, *duration, *dir, *plot, *signals;
	uint32_t block;
	qk_format format;
	qk_subtype subtype;
	int subtype_set, quiet;
	qk_input_file *files;
	size_t n_files;
	char **sets;
	size_t n_sets;
} options;

static int
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "quarks render: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'quarks render --help'.\n");
	return 2;
}

/* The limits of --rate and --duration, and of the graph's rate and duration lines. */
#define MAX_RATE 1e7
#define MAX_FRAMES 1e12

/* A sample rate: 0, or 1 when malformed, 2 when out of range. */
static int
check_rate(const char *text, double *rate)
{
	double v;
	if (qk_parse_number(text, &v) != 0)
		return 1;
	if (v < 1.0 || v > MAX_RATE || v != floor(v))
		return 2;
	*rate = v;
	return 0;
}

static int
rate_error(const char *text, int why, const char *file, int line, qk_diag *d)
{
	const char *opt = file ? "" : " for --rate";
	if (why == 1)
		return qk_fail(d, file ? file : "quarks render", line,
		               "malformed sample rate '%s'%s (a "
		               "whole number of Hz from 1 to %.0f)",
		               text, opt, MAX_RATE);
	return qk_fail(d, file ? file : "quarks render", line,
	               "sample rate '%s'%s is out of range: "
	               "a whole number of Hz from 1 to %.0f",
	               text, opt, MAX_RATE);
}

/* A duration: 0, or 1 when malformed, 2 when out of range at this rate. */
static int
check_duration(const char *text, double rate, double *frames)
{
	double v;
	if (qk_parse_time(text, rate, &v) != 0)
		return 1;
	if (!(v >= 0.5) || v > MAX_FRAMES)
		return 2;
	*frames = v;
	return 0;
}

static int
duration_error(const char *text, int why, double rate, const char *file, int line, qk_diag *d)
{
	const char *opt = file ? "" : " for --duration";
	if (why == 1)
		return qk_fail(d, file ? file : "quarks render", line,
		               "malformed duration '%s'%s (such "
		               "as 2.5, 2.5s, 250ms or 4800smp)",
		               text, opt);
	return qk_fail(d, file ? file : "quarks render", line,
	               "duration '%s'%s is out of range: "
	               "from 1 sample to %.0f samples (%.0f s at %.0f Hz)",
	               text, opt, MAX_FRAMES, MAX_FRAMES / rate, rate);
}

/* Returns -1 to go on, else an exit status. */
static int
parse_options(int argc, char **argv, options *o)
{
	static const struct option longs[] = {
	        {"rate", required_argument, NULL, 'r'},
	        {"duration", required_argument, NULL, 'd'},
	        {"block", required_argument, NULL, 'b'},
	        {"output-dir", required_argument, NULL, 'o'},
	        {"format", required_argument, NULL, 'f'},
	        {"subtype", required_argument, NULL, 't'},
	        {"input", required_argument, NULL, 'i'},
	        {"set", required_argument, NULL, 's'},
	        {"plot", required_argument, NULL, 'p'},
	        {"signals", required_argument, NULL, 'S'},
	        {"quiet", no_argument, NULL, 'q'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	o->block = 256;
	o->dir = ".";
	o->format = QK_FMT_WAV;
	o->subtype = QK_SUB_FLOAT;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":r:d:b:o:f:t:i:s:p:qh", longs, NULL)) != -1) {
		switch (c) {
		case 'r': {
			double v;
			int why = check_rate(optarg, &v);
			if (why) {
				qk_diag d;
				rate_error(optarg, why, NULL, 0, &d);
				return usage_error("%s", d.msg + strlen("quarks render: "));
			}
			o->rate = optarg;
			break;
		}
		case 'd': {
			/* The syntax now; the range once the rate is known. */
			double v;
			if (check_duration(optarg, 48000.0, &v) == 1)
				return usage_error("malformed duration '%s' for --duration (such "
				                   "as 2.5, 2.5s, 250ms "
				                   "or 4800smp)",
				                   optarg);
			o->duration = optarg;
			break;
		}
		case 'o': o->dir = optarg; break;
		case 'p': o->plot = optarg; break;
		case 'S': o->signals = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		case 'b': {
			double v;
			if (qk_parse_number(optarg, &v) != 0 || v < 1 || v > 1048576 ||
			    v != floor(v))
				return usage_error("malformed block size '%s' (a whole number from "
				                   "1 to 1048576)",
				                   optarg);
			o->block = (uint32_t)v;
			break;
		}
		case 'f':
			if (qk_format_parse(optarg, &o->format) != 0)
				return usage_error("unknown format '%s' (wav or flac)", optarg);
			break;
		case 't':
			if (qk_subtype_parse(optarg, &o->subtype) != 0)
				return usage_error(
				        "unknown subtype '%s' (float, double, pcm16 or pcm24)",
				        optarg);
			o->subtype_set = 1;
			break;
		case 'i': {
			char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg || !eq[1])
				return usage_error("--input takes NAME=FILE, not '%s'", optarg);
			*eq = '\0';
			qk_input_file *f = realloc(o->files, (o->n_files + 1) * sizeof *f);
			if (!f)
				return usage_error("%s", "out of memory");
			o->files = f;
			o->files[o->n_files].name = optarg;
			o->files[o->n_files++].path = eq + 1;
			break;
		}
		case 's': {
			const char *eq = strchr(optarg, '='), *dot = strchr(optarg, '.');
			if (!eq || !dot || dot > eq || dot == optarg || eq == dot + 1 || !eq[1])
				return usage_error("--set takes NODE.PORT=VALUE, not '%s'", optarg);
			char **s = realloc(o->sets, (o->n_sets + 1) * sizeof *s);
			if (!s)
				return usage_error("%s", "out of memory");
			o->sets = s;
			o->sets[o->n_sets++] = optarg;
			break;
		}
		case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
		default: return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", optind >= argc ? "give one GRAPH file"
		                                        : "give only one GRAPH file");
	o->graph = argv[optind];
	if (o->format == QK_FMT_FLAC && !o->subtype_set)
		o->subtype = QK_SUB_PCM24;
	return -1;
}

static int
fail(const qk_diag *d)
{
	fprintf(stderr, "%s\n", d->msg);
	return 1;
}

/* The sample rate: option (checked with the options), else the graph's `rate` line, else
 * 48000. */
static int
pick_rate(const options *o, const qk_graph *g, double *rate, qk_diag *d)
{
	*rate = 48000.0;
	if (o->rate)
		return check_rate(o->rate, rate);
	if (!g->rate.text)
		return 0;
	int why = check_rate(g->rate.text, rate);
	return why ? rate_error(g->rate.text, why, g->path, g->rate.line, d) : 0;
}

/* The length in frames. Returns 0, 1 for an error in the graph, 2 for one in --duration. */
static int
pick_frames(const options *o, const qk_graph *g, const qk_engine *e, double rate, uint64_t *frames,
            qk_diag *d)
{
	const char *text = o->duration ? o->duration : g->duration.text;
	double v = qk_engine_file_frames(e) ? (double)qk_engine_file_frames(e) : rate;
	int why = text ? check_duration(text, rate, &v) : 0;
	if (why) {
		duration_error(text, why, rate, o->duration ? NULL : g->path,
		               o->duration ? 0 : g->duration.line, d);
		return o->duration ? 2 : 1;
	}
	*frames = (uint64_t)llround(v);
	return 0;
}

/* --set NODE.PORT=VALUE, a number or a label as on a node line. Errors are usage errors. */
static int
apply_sets(const options *o, qk_engine *e, qk_diag *d)
{
	for (size_t i = 0; i < o->n_sets; i++) {
		char *eq = strchr(o->sets[i], '=');
		*eq = '\0';
		qk_diag why;
		float v = 0;
		float *c = qk_engine_control(e, o->sets[i], &why);
		int rc = c ? qk_engine_control_parse(e, o->sets[i], eq + 1, &v, &why) : -1;
		*eq = '=';
		if (rc != 0) {
			/* why.msg is "NODE.PORT: reason"; the reason is what to add here. */
			size_t n = strlen(o->sets[i]) - strlen(eq);
			const char *reason =
			        strncmp(why.msg, o->sets[i], n) == 0 && why.msg[n] == ':'
			                ? why.msg + n + 2
			                : why.msg;
			return qk_fail(d, "quarks render", 0, "--set %s: %s", o->sets[i], reason);
		}
		qk_engine_set_control(c, v);
	}
	return 0;
}

typedef struct {
	qk_trace *traces;
	float **data;
	const float **from;
	size_t n;
} plot_set;

static int
add_trace(plot_set *ps, const qk_engine *e, const char *name, uint64_t frames)
{
	const float *buf = qk_engine_signal(e, name);
	if (!buf)
		return -1;
	qk_trace *t = realloc(ps->traces, (ps->n + 1) * sizeof *t);
	float **dt = t ? realloc(ps->data, (ps->n + 1) * sizeof *dt) : NULL;
	if (t)
		ps->traces = t;
	if (dt)
		ps->data = dt;
	const float **fr = dt ? realloc(ps->from, (ps->n + 1) * sizeof *fr) : NULL;
	if (fr)
		ps->from = fr;
	float *mem = fr ? malloc((frames ? frames : 1) * sizeof *mem) : NULL;
	if (!mem)
		return -2;
	ps->traces[ps->n] = (qk_trace){name, mem, frames};
	ps->data[ps->n] = mem;
	ps->from[ps->n++] = buf;
	return 0;
}

static int
pick_signals(const options *o, const qk_graph *g, const qk_engine *e, uint64_t frames, plot_set *ps,
             char **names_mem, qk_diag *d)
{
	if (o->signals) {
		char *list = strdup(o->signals);
		if (!list)
			return qk_fail(d, "quarks render", 0, "out of memory");
		*names_mem = list;
		for (char *save = NULL, *s = strtok_r(list, ",", &save); s;
		     s = strtok_r(NULL, ",", &save)) {
			int rc = add_trace(ps, e, s, frames);
			if (rc == -1)
				return qk_fail(d, "quarks render", 0,
				               "--signals: no signal '%s' in %s (sources, "
				               "inputs, outputs, or NODE.PORT of an audio output)",
				               s, g->path);
			if (rc)
				return qk_fail(d, "quarks render", 0, "out of memory");
		}
	} else if (g->n_plot) {
		for (size_t i = 0; i < g->n_plot; i++) {
			int rc = add_trace(ps, e, g->plot[i].text, frames);
			if (rc == -1)
				return qk_fail(d, g->path, g->plot[i].line,
				               "no signal '%s' to plot (sources, inputs, "
				               "outputs, or NODE.PORT of an audio output)",
				               g->plot[i].text);
			if (rc)
				return qk_fail(d, "quarks render", 0, "out of memory");
		}
	} else {
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < g->n_decls; i++) {
				qk_decl_kind k = g->decls[i].kind;
				int take = pass == 0 ? (k == QK_DECL_SOURCE || k == QK_DECL_INPUT)
				                     : k == QK_DECL_OUTPUT;
				if (take && add_trace(ps, e, g->decls[i].name, frames) != 0)
					return qk_fail(d, "quarks render", 0, "out of memory");
			}
	}
	return 0;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* The render loop and everything it writes. */
static int
render(const options *o, const qk_graph *g, qk_engine *e, double rate, uint64_t frames,
       plot_set *ps)
{
	size_t n = qk_engine_n_outputs(e);
	const char **names = malloc((n ? n : 1) * sizeof *names);
	if (!names) {
		fprintf(stderr, "quarks render: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		names[i] = qk_engine_output_name(e, i);
	char err[1024];
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	qk_wavout *w = qk_wavout_open(o->dir, names, n, (int)rate, o->format, o->subtype, frames,
	                              err, sizeof err);
	free(names);
	if (!w) {
		fprintf(stderr, "quarks render: %s\n", err);
		return 1;
	}
	qk_progress prog;
	qk_progress_start(&prog, frames, !o->quiet);
	int rc = 0;
	for (uint64_t pos = 0; pos < frames && rc == 0; pos += o->block) {
		uint32_t len = frames - pos < o->block ? (uint32_t)(frames - pos) : o->block;
		qk_engine_process(e, len);
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = qk_wavout_write(w, i, qk_engine_output(e, i), len, err, sizeof err);
		for (size_t i = 0; i < ps->n; i++)
			memcpy(ps->data[i] + pos, ps->from[i], len * sizeof(float));
		qk_progress_update(&prog, pos + len);
		if (interrupted) {
			snprintf(err, sizeof err, "interrupted; no output written");
			rc = -1;
		}
	}
	qk_progress_end(&prog);
	if (rc == 0 && o->plot) {
		char title[512];
		snprintf(title, sizeof title, "%s  (%.0f Hz, %.3g s)", base_name(g->path), rate,
		         (double)frames / rate);
		rc = qk_plot_png(o->plot, title, ps->traces, ps->n, rate, &interrupted, err,
		                 sizeof err);
	}
	if (rc != 0) {
		qk_wavout_abort(w);
		fprintf(stderr, "quarks render: %s\n", err);
		return 1;
	}
	/* Keep the final paths for the summary: commit frees w. */
	char **paths = calloc(n ? n : 1, sizeof *paths);
	for (size_t i = 0; paths && i < n; i++)
		paths[i] = strdup(qk_wavout_path(w, i));
	if (qk_wavout_commit(w, &interrupted, err, sizeof err) != 0) {
		fprintf(stderr, "quarks render: %s\n", err);
		rc = 1;
	}
	for (size_t i = 0; paths && i < n; i++) {
		if (rc == 0 && !o->quiet && paths[i])
			printf("wrote %s (%.3f s at %.0f Hz)\n", paths[i], (double)frames / rate,
			       rate);
		free(paths[i]);
	}
	if (rc == 0 && !o->quiet && o->plot)
		printf("wrote %s\n", o->plot);
	free(paths);
	return rc;
}

/* Every output of the render (DIR/NAME.EXT, the plot) must be a file of its own, and none may
 * be the graph or a sound file the render reads. */
static int
check_paths(const options *o, const qk_graph *g, const qk_engine *e, qk_diag *d)
{
	size_t n_out = qk_engine_n_outputs(e), n_in = 1 + o->n_files + qk_engine_n_files(e);
	qk_path_role *ins = calloc(n_in, sizeof *ins), *outs = calloc(n_out + 1, sizeof *outs);
	char **mem = calloc(2 * n_out + 1, sizeof *mem);
	int rc = ins && outs && mem ? 0 : qk_fail(d, "quarks render", 0, "out of memory");
	size_t ni = 0, no = 0;
	if (rc == 0) {
		ins[ni++] = (qk_path_role){g->path, "the graph"};
		for (size_t i = 0; i < o->n_files; i++)
			ins[ni++] = (qk_path_role){o->files[i].path, "the input file"};
		for (size_t i = 0; i < qk_engine_n_files(e); i++)
			ins[ni++] = (qk_path_role){qk_engine_file_path(e, i), "the input file"};
	}
	for (size_t i = 0; rc == 0 && i < n_out; i++) {
		const char *name = qk_engine_output_name(e, i), *ext = qk_format_ext(o->format);
		size_t len = strlen(o->dir) + strlen(name) + strlen(ext) + 3;
		mem[2 * i] = malloc(len);
		mem[2 * i + 1] = malloc(strlen(name) + 16);
		if (!mem[2 * i] || !mem[2 * i + 1]) {
			rc = qk_fail(d, "quarks render", 0, "out of memory");
			break;
		}
		snprintf(mem[2 * i], len, "%s/%s.%s", o->dir, name, ext);
		snprintf(mem[2 * i + 1], strlen(name) + 16, "output '%s'", name);
		outs[no++] = (qk_path_role){mem[2 * i], mem[2 * i + 1]};
	}
	if (rc == 0 && o->plot)
		outs[no++] = (qk_path_role){o->plot, "the plot"};
	char err[1024];
	if (rc == 0 && qk_check_outputs(ins, ni, outs, no, err, sizeof err) != 0)
		rc = qk_fail(d, "quarks render", 0, "%s", err);
	for (size_t i = 0; mem && i < 2 * n_out; i++)
		free(mem[i]);
	free(mem);
	free(ins);
	free(outs);
	return rc;
}

/* Every --input names an input of the graph (the engine checks it too, as an input error;
 * here it is what it is, a bad command line). */
static int
check_inputs(const options *o, const qk_graph *g, qk_diag *d)
{
	for (size_t i = 0; i < o->n_files; i++) {
		long di = qk_graph_find(g, o->files[i].name);
		if (di >= 0 && g->decls[di].kind == QK_DECL_INPUT)
			continue;
		char list[512] = "";
		for (size_t k = 0; k < g->n_decls; k++)
			if (g->decls[k].kind == QK_DECL_INPUT) {
				if (list[0])
					strncat(list, ", ", sizeof list - strlen(list) - 1);
				strncat(list, g->decls[k].name, sizeof list - strlen(list) - 1);
			}
		return qk_fail(d, g->path, 0,
		               "--input %s: the graph has no input '%s' (inputs: %s)",
		               o->files[i].name, o->files[i].name, list[0] ? list : "none");
	}
	return 0;
}

/* A usage error found after the options were read (a --set or --duration value, an output
 * path): exit status 2, as for any bad command line. */
static int
usage_fail(const qk_diag *d)
{
	fprintf(stderr, "%s\nTry 'quarks render --help'.\n", d->msg);
	return 2;
}

int
qk_cmd_render(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	int status = parse_options(argc, argv, &o);
	if (status >= 0) {
		free(o.files);
		free(o.sets);
		return status;
	}
	qk_diag d;
	qk_graph g;
	qk_engine *e = NULL;
	plot_set ps = {NULL, NULL, NULL, 0};
	char *names_mem = NULL;
	double rate = 0;
	uint64_t frames = 0;
	if (qk_graph_load(o.graph, &g, &d) != 0) {
		status = fail(&d);
	} else {
		if (g.notes && !o.quiet) /* what a project's reader left out or ignores */
			fputs(g.notes, stderr);
		qk_engine_config cfg = {
		        .max_block = o.block, .files = o.files, .n_files = o.n_files};
		int why = 0;
		if (check_inputs(&o, &g, &d) != 0)
			status = usage_fail(&d);
		else if (pick_rate(&o, &g, &rate, &d) != 0 || (cfg.rate = rate, 0) ||
		         qk_engine_new(&g, &cfg, &e, &d) != 0)
			status = fail(&d);
		else if ((why = pick_frames(&o, &g, e, rate, &frames, &d)) != 0)
			status = why == 2 ? usage_fail(&d) : fail(&d);
		else if (apply_sets(&o, e, &d) != 0 || check_paths(&o, &g, e, &d) != 0)
			status = usage_fail(&d);
		else if (o.plot && pick_signals(&o, &g, e, frames, &ps, &names_mem, &d) != 0)
			status = fail(&d);
		else if (qk_engine_n_outputs(e) == 0)
			status = (qk_fail(&d, g.path, 0,
			                  "the graph has no outputs: declare one with 'output "
			                  "NAME = NODE.PORT'"),
			          fail(&d));
		else
			status = render(&o, &g, e, rate, frames, &ps);
		qk_graph_free(&g);
	}
	for (size_t i = 0; i < ps.n; i++)
		free(ps.data[i]);
	free(ps.traces);
	free(ps.data);
	free(ps.from);
	free(names_mem);
	qk_engine_free(e);
	free(o.files);
	free(o.sets);
	return status;
}
