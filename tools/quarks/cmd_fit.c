/* SPDX-License-Identifier: ISC */
/* `quarks fit GRAPH`: learns the free controls of a graph from target signals, through the real
 * plugins. The residual of a choice of controls is what `quarks render` would write minus the
 * target, frame by frame: the engine runs in-process, so every evaluation is a render. The
 * controls follow Levenberg-Marquardt on the sum of squared residuals, with the Jacobian from
 * central finite differences of those renders (the plugins are float code with clamps, steps
 * and polynomial exponentials: no analytic model of them is trusted here). The fitted values go
 * back into a copy of the graph and, optionally, into LV2 presets a host lists. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"

#include "engine.h"
#include "graph.h"
#include "number.h"
#include "plugin_lookup.h"
#include "wavin.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LV2_CORE "http://lv2plug.in/ns/lv2core#"
#define BLOCK 256u
/* The Jacobian is kept whole: frames x targets x controls doubles. */
#define MAX_JACOBIAN 200000000.0

static const char usage[] =
        "Usage: quarks fit [OPTION]... GRAPH\n"
        "Learn the free controls of a patch graph from target signals: the controls named by "
        "--free\n"
        "change until the graph outputs named by --target match their files, in least squares "
        "over\n"
        "every frame. Levenberg-Marquardt; gradients from central finite differences of renders\n"
        "through the real plugins (LV2_PATH), so the error reported is the plugins' own.\n"
        "\n"
        "  -f, --free NODE.PORT[,...]  a control to learn (repeatable); NODE.* is every control "
        "of\n"
        "                              NODE but integer ones (act)\n"
        "  -t, --target OUTPUT=FILE    the wanted signal of graph output OUTPUT (repeatable)\n"
        "  -i, --input NAME=FILE       feed graph input NAME from FILE (first channel)\n"
        "  -r, --rate HZ               sample rate (default: the graph's `rate`, else 48000)\n"
        "  -d, --duration TIME         frames to fit over (default: the shortest target file)\n"
        "  -o, --output FILE           write the graph with the fitted controls to FILE\n"
        "      --presets DIR           write each fitted node's controls as an LV2 preset into "
        "the\n"
        "                              bundle DIR (e.g. ~/.lv2/quarks-presets.lv2, where hosts "
        "look),\n"
        "                              adding them to its manifest.ttl\n"
        "      --label NAME            preset labels start with NAME (default: the graph's name)\n"
        "      --soften                fit with step and sign activations (act) made sigmoid and\n"
        "                              tanh, whose gradients are not 0; the graph written keeps "
        "them\n"
        "                              hard, and the error reported is the hard graph's\n"
        "  -n, --iterations N          at most N iterations (default 100)\n"
        "      --jitter S              start from the graph's values plus uniform noise in [-S, "
        "S]\n"
        "      --seed N                seed of that noise (default 1)\n"
        "  -q, --quiet                 print only the result\n"
        "  -h, --help                  show this help\n"
        "\n"
        "The plugins must be memoryless (all of quarks.lv2 are): each evaluation renders from "
        "frame 0.\n";

typedef struct {
	const char *name, *path;
	float *data;
	uint64_t frames;
	size_t out; /* index among the engine's outputs */
} target;

typedef struct {
	const char *graph, *rate, *duration, *output, *presets, *label;
	char **free_specs;
	size_t n_free_specs;
	qk_input_file *files;
	size_t n_files;
	target *targets;
	size_t n_targets;
	int soften, quiet;
	unsigned iterations;
	double jitter;
	uint64_t seed;
} options;

/* A control being learnt. */
typedef struct {
	char *key;   /* "node.symbol" */
	size_t decl; /* its node in the graph */
	float *ctl;  /* the engine's control */
	double lo, hi;
} param;

/* An act control switched to its smooth counterpart while fitting (--soften). */
typedef struct {
	float *ctl;
	float hard, soft;
} softened;

typedef struct {
	qk_engine *e;
	const param *p;
	size_t np;
	const target *t;
	size_t nt;
	uint64_t frames;
	size_t nr; /* residuals: frames * nt */
	unsigned long evals;
} problem;

static int
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "quarks fit: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'quarks fit --help'.\n");
	return 2;
}

static int
grow(void **array, size_t *n, size_t size)
{
	void *a = realloc(*array, (*n + 1) * size);
	if (!a)
		return -1;
	*array = a;
	return 0;
}

static int
parse_options(int argc, char **argv, options *o)
{
	enum { PRESETS = 1000, LABEL, SOFTEN, JITTER, SEED };
	static const struct option longs[] = {
	        {"free", required_argument, NULL, 'f'},
	        {"target", required_argument, NULL, 't'},
	        {"input", required_argument, NULL, 'i'},
	        {"rate", required_argument, NULL, 'r'},
	        {"duration", required_argument, NULL, 'd'},
	        {"output", required_argument, NULL, 'o'},
	        {"presets", required_argument, NULL, PRESETS},
	        {"label", required_argument, NULL, LABEL},
	        {"soften", no_argument, NULL, SOFTEN},
	        {"iterations", required_argument, NULL, 'n'},
	        {"jitter", required_argument, NULL, JITTER},
	        {"seed", required_argument, NULL, SEED},
	        {"quiet", no_argument, NULL, 'q'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	o->iterations = 100;
	o->seed = 1;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":f:t:i:r:d:o:n:qh", longs, NULL)) != -1) {
		switch (c) {
		case 'r': o->rate = optarg; break;
		case 'd': o->duration = optarg; break;
		case 'o': o->output = optarg; break;
		case PRESETS: o->presets = optarg; break;
		case LABEL: o->label = optarg; break;
		case SOFTEN: o->soften = 1; break;
		case 'q': o->quiet = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		case 'f':
			if (grow((void **)&o->free_specs, &o->n_free_specs,
			         sizeof *o->free_specs) != 0)
				return usage_error("%s", "out of memory");
			o->free_specs[o->n_free_specs++] = optarg;
			break;
		case 't':
		case 'i': {
			char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg || !eq[1])
				return usage_error(c == 't' ? "--target takes OUTPUT=FILE, not '%s'"
				                            : "--input takes NAME=FILE, not '%s'",
				                   optarg);
			*eq = '\0';
			if (c == 't') {
				if (grow((void **)&o->targets, &o->n_targets, sizeof *o->targets) !=
				    0)
					return usage_error("%s", "out of memory");
				o->targets[o->n_targets++] =
				        (target){.name = optarg, .path = eq + 1};
			} else {
				if (grow((void **)&o->files, &o->n_files, sizeof *o->files) != 0)
					return usage_error("%s", "out of memory");
				o->files[o->n_files++] = (qk_input_file){optarg, eq + 1};
			}
			break;
		}
		case 'n': {
			double v;
			if (qk_parse_number(optarg, &v) != 0 || v < 0 || v > 1e6 || v != floor(v))
				return usage_error("malformed iteration count '%s' (a whole number "
				                   "up to 1000000)",
				                   optarg);
			o->iterations = (unsigned)v;
			break;
		}
		case JITTER:
			if (qk_parse_number(optarg, &o->jitter) != 0 || o->jitter < 0)
				return usage_error("malformed jitter '%s' (a number >= 0)", optarg);
			break;
		case SEED: {
			double v;
			if (qk_parse_number(optarg, &v) != 0 || v < 0 || v > 9e15 || v != floor(v))
				return usage_error("malformed seed '%s' (a whole number)", optarg);
			o->seed = (uint64_t)v;
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
	if (!o->n_free_specs)
		return usage_error(
		        "%s", "nothing to learn: name the free controls with --free NODE.PORT");
	if (!o->n_targets)
		return usage_error("%s", "nothing to learn from: give --target OUTPUT=FILE");
	return -1;
}

static int
fail(const qk_diag *d)
{
	fprintf(stderr, "%s\n", d->msg);
	return 1;
}

static int
pick_rate(const options *o, const qk_graph *g, double *rate, qk_diag *d)
{
	*rate = 48000.0;
	const char *text = o->rate ? o->rate : g->rate.text;
	double v;
	if (!text)
		return 0;
	if (qk_parse_number(text, &v) != 0 || v < 1.0 || v > 1e7 || v != floor(v))
		return qk_fail(d, o->rate ? "quarks fit" : g->path, o->rate ? 0 : g->rate.line,
		               "malformed sample rate '%s' (a whole number of Hz)", text);
	*rate = v;
	return 0;
}

/* ---- lilv facts the engine does not give: ranges, integer ports, the plugin's URI ---- */

typedef struct {
	LilvWorld *world;
	qk_uris u;
	LilvNode *integer, *enumeration;
} facts;

static const LilvPlugin *
node_plugin(facts *f, const qk_decl *decl)
{
	return qk_find_plugin(&f->u, decl->type);
}

static int
is_integer(facts *f, const LilvPlugin *p, const LilvPort *port)
{
	return lilv_port_has_property(p, port, f->integer) ||
	       lilv_port_has_property(p, port, f->enumeration);
}

static int
add_param(param **ps, size_t *np, qk_engine *e, const qk_graph *g, facts *f, const char *key,
          qk_diag *d)
{
	for (size_t i = 0; i < *np; i++)
		if (strcmp((*ps)[i].key, key) == 0)
			return 0; /* named twice: learnt once */
	qk_diag why;
	float *ctl = qk_engine_control(e, key, &why);
	if (!ctl)
		return qk_fail(d, "quarks fit", 0, "--free %s", why.msg);
	const char *dot = strchr(key, '.');
	char node[256];
	snprintf(node, sizeof node, "%.*s", (int)(dot - key), key);
	const long decl = qk_graph_find(g, node);
	const LilvPlugin *p = decl >= 0 ? node_plugin(f, &g->decls[decl]) : NULL;
	const LilvPort *port = p ? qk_find_port(&f->u, p, dot + 1) : NULL;
	if (!port)
		return qk_fail(d, "quarks fit", 0, "--free %s: no such control", key);
	LilvNode *def = NULL, *min = NULL, *max = NULL;
	lilv_port_get_range(p, port, &def, &min, &max);
	param q = {.key = strdup(key),
	           .decl = (size_t)decl,
	           .ctl = ctl,
	           .lo = min ? lilv_node_as_float(min) : -INFINITY,
	           .hi = max ? lilv_node_as_float(max) : INFINITY};
	lilv_node_free(def);
	lilv_node_free(min);
	lilv_node_free(max);
	if (!q.key || grow((void **)ps, np, sizeof **ps) != 0) {
		free(q.key);
		return qk_fail(d, "quarks fit", 0, "out of memory");
	}
	(*ps)[(*np)++] = q;
	return 0;
}

/* --free NODE.PORT,NODE.*,... */
static int
collect_params(const options *o, qk_engine *e, const qk_graph *g, facts *f, param **ps, size_t *np,
               qk_diag *d)
{
	for (size_t s = 0; s < o->n_free_specs; s++) {
		char *list = strdup(o->free_specs[s]);
		if (!list)
			return qk_fail(d, "quarks fit", 0, "out of memory");
		int rc = 0;
		for (char *save = NULL, *k = strtok_r(list, ",", &save); k && rc == 0;
		     k = strtok_r(NULL, ",", &save)) {
			const char *dot = strchr(k, '.');
			if (!dot || dot == k || !dot[1]) {
				rc = qk_fail(d, "quarks fit", 0,
				             "--free takes NODE.PORT or NODE.*, not '%s'", k);
			} else if (strcmp(dot, ".*") != 0) {
				rc = add_param(ps, np, e, g, f, k, d);
			} else {
				char node[256];
				snprintf(node, sizeof node, "%.*s", (int)(dot - k), k);
				const long decl = qk_graph_find(g, node);
				const LilvPlugin *p =
				        decl >= 0 && g->decls[decl].kind == QK_DECL_NODE
				                ? node_plugin(f, &g->decls[decl])
				                : NULL;
				if (!p) {
					rc = qk_fail(d, "quarks fit", 0,
					             "--free %s: no plugin instance called '%s'", k,
					             node);
					break;
				}
				for (uint32_t i = 0; i < lilv_plugin_get_num_ports(p) && rc == 0;
				     i++) {
					const LilvPort *port = lilv_plugin_get_port_by_index(p, i);
					if (qk_port_kind_of(&f->u, p, port) != QK_PORT_CONTROL_IN ||
					    is_integer(f, p, port))
						continue;
					char key[512];
					snprintf(
					        key, sizeof key, "%s.%s", node,
					        lilv_node_as_string(lilv_port_get_symbol(p, port)));
					rc = add_param(ps, np, e, g, f, key, d);
				}
			}
		}
		free(list);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- evaluation: one render from frame 0 ---- */

static void
set_params(problem *pb, const double *theta)
{
	for (size_t k = 0; k < pb->np; k++)
		qk_engine_set_control(pb->p[k].ctl, (float)theta[k]);
}

/* Residuals r = output - target of the graph at theta; returns the sum of their squares. */
static double
evaluate(problem *pb, const double *theta, double *r)
{
	set_params(pb, theta);
	qk_engine_seek(pb->e, 0);
	for (uint64_t pos = 0; pos < pb->frames; pos += BLOCK) {
		const uint32_t len =
		        pb->frames - pos < BLOCK ? (uint32_t)(pb->frames - pos) : BLOCK;
		qk_engine_process(pb->e, len);
		for (size_t t = 0; t < pb->nt; t++) {
			const float *y = qk_engine_output(pb->e, pb->t[t].out);
			double *rt = r + t * pb->frames + pos;
			for (uint32_t f = 0; f < len; f++)
				rt[f] = (double)y[f] - (double)pb->t[t].data[pos + f];
		}
	}
	pb->evals++;
	double ss = 0;
	for (size_t i = 0; i < pb->nr; i++)
		ss += r[i] * r[i];
	return ss;
}

static double
max_abs(const double *r, size_t n)
{
	double m = 0;
	for (size_t i = 0; i < n; i++)
		m = fabs(r[i]) > m ? fabs(r[i]) : m;
	return m;
}

/* Column k of the Jacobian by central differences (one-sided at a bound), with the step the
 * float control really took. */
static void
jacobian(problem *pb, double *theta, double *J, double *rp, double *rm, const double *r0)
{
	for (size_t k = 0; k < pb->np; k++) {
		const double x = theta[k], h = 1e-3 * (fabs(x) > 1 ? fabs(x) : 1);
		double up = x + h > pb->p[k].hi ? pb->p[k].hi : x + h;
		double dn = x - h < pb->p[k].lo ? pb->p[k].lo : x - h;
		up = (float)up;
		dn = (float)dn;
		double *col = J + k * pb->nr;
		if (up == dn) {
			memset(col, 0, pb->nr * sizeof *col);
			continue;
		}
		const int one_sided_up = dn == (float)x, one_sided_dn = up == (float)x;
		theta[k] = up;
		if (!one_sided_dn)
			evaluate(pb, theta, rp);
		theta[k] = dn;
		if (!one_sided_up)
			evaluate(pb, theta, rm);
		theta[k] = x;
		const double *a = one_sided_dn ? r0 : rp, *b = one_sided_up ? r0 : rm;
		const double step = (one_sided_dn ? (float)x : up) - (one_sided_up ? (float)x : dn);
		for (size_t i = 0; i < pb->nr; i++)
			col[i] = (a[i] - b[i]) / step;
	}
}

/* Solves M x = b for symmetric positive definite M (n x n, overwritten by its Cholesky
 * factor). -1 if M is not positive definite. */
static int
cholesky_solve(double *M, double *b, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		double s = M[j * n + j];
		for (size_t k = 0; k < j; k++)
			s -= M[j * n + k] * M[j * n + k];
		if (!(s > 0))
			return -1;
		M[j * n + j] = sqrt(s);
		for (size_t i = j + 1; i < n; i++) {
			double t = M[i * n + j];
			for (size_t k = 0; k < j; k++)
				t -= M[i * n + k] * M[j * n + k];
			M[i * n + j] = t / M[j * n + j];
		}
	}
	for (size_t i = 0; i < n; i++) { /* L y = b */
		for (size_t k = 0; k < i; k++)
			b[i] -= M[i * n + k] * b[k];
		b[i] /= M[i * n + i];
	}
	for (size_t i = n; i-- > 0;) { /* L^T x = y */
		for (size_t k = i + 1; k < n; k++)
			b[i] -= M[k * n + i] * b[k];
		b[i] /= M[i * n + i];
	}
	return 0;
}

static void
report(const char *what, double ss, const double *r, size_t nr)
{
	printf("%s: rms error %.6g, max error %.6g\n", what, sqrt(ss / (double)nr), max_abs(r, nr));
}

/* Levenberg-Marquardt from theta (in place). Returns the final sum of squares. */
static double
levenberg_marquardt(problem *pb, double *theta, unsigned iterations, int quiet, double *r, int *oom)
{
	const size_t np = pb->np, nr = pb->nr;
	double *J = malloc(np * nr * sizeof *J);
	double *rp = malloc(nr * sizeof *rp), *rm = malloc(nr * sizeof *rm);
	double *rn = malloc(nr * sizeof *rn);
	double *A = malloc(np * np * sizeof *A), *M = malloc(np * np * sizeof *M);
	double *g = malloc(np * sizeof *g), *step = malloc(np * sizeof *step);
	double *next = malloc(np * sizeof *next);
	double ss = evaluate(pb, theta, r);
	*oom = !(J && rp && rm && rn && A && M && g && step && next);
	double lambda = 1e-3;
	int stalled = 0;
	for (unsigned it = 0; it < iterations && !*oom && ss > 0; it++) {
		jacobian(pb, theta, J, rp, rm, r);
		for (size_t a = 0; a < np; a++) {
			const double *ca = J + a * nr;
			double s = 0;
			for (size_t i = 0; i < nr; i++)
				s += ca[i] * r[i];
			g[a] = s;
			for (size_t b = 0; b <= a; b++) {
				const double *cb = J + b * nr;
				double t = 0;
				for (size_t i = 0; i < nr; i++)
					t += ca[i] * cb[i];
				A[a * np + b] = A[b * np + a] = t;
			}
		}
		double top = 0;
		for (size_t a = 0; a < np; a++)
			top = A[a * np + a] > top ? A[a * np + a] : top;
		if (top == 0) {
			if (!quiet)
				printf("iteration %u: no control changes the outputs\n", it + 1);
			break;
		}
		int accepted = 0;
		double before = ss;
		for (int tries = 0; tries < 30 && !accepted; tries++, lambda *= 4) {
			memcpy(M, A, np * np * sizeof *M);
			for (size_t a = 0; a < np; a++) {
				/* Marquardt's scaling, floored so that a control without effect
				 * stays put */
				M[a * np + a] += lambda * (A[a * np + a] + 1e-9 * top);
				step[a] = -g[a];
			}
			if (cholesky_solve(M, step, np) != 0)
				continue;
			for (size_t a = 0; a < np; a++) {
				const double v = theta[a] + step[a];
				next[a] = v < pb->p[a].lo ? pb->p[a].lo
				                          : (v > pb->p[a].hi ? pb->p[a].hi : v);
			}
			const double sn = evaluate(pb, next, rn);
			if (sn < ss) {
				memcpy(theta, next, np * sizeof *theta);
				memcpy(r, rn, nr * sizeof *r);
				ss = sn;
				accepted = 1;
				lambda = lambda / 12 > 1e-12 ? lambda / 12 : 1e-12;
			}
		}
		if (!accepted) {
			if (!quiet)
				printf("iteration %u: no step lowers the error: converged\n",
				       it + 1);
			break;
		}
		if (!quiet) {
			char what[64];
			snprintf(what, sizeof what, "iteration %u", it + 1);
			report(what, ss, r, nr);
		}
		/* Float renders: relative gains below 1e-9 are rounding, not progress. */
		stalled = before - ss <= 1e-9 * before ? stalled + 1 : 0;
		if (stalled >= 3)
			break;
	}
	set_params(pb, theta);
	free(J);
	free(rp);
	free(rm);
	free(rn);
	free(A);
	free(M);
	free(g);
	free(step);
	free(next);
	return ss;
}

/* ---- writing the fitted graph ---- */

static int
needs_quotes(const char *s)
{
	if (!*s)
		return 1;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || strchr("_.+-:/", *s)))
			return 1;
	return 0;
}

static void
put_value(FILE *f, const char *v)
{
	if (!needs_quotes(v)) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			fputc('\\', f);
		fputc(*v, f);
	}
	fputc('"', f);
}

/* The node's declaration with the fitted values in place of (or after) its settings. */
static void
put_node(FILE *f, const qk_decl *decl, const param *ps, size_t np)
{
	fprintf(f, "node %s = ", decl->name);
	if (strchr(decl->type, ':'))
		fprintf(f, "<%s>", decl->type);
	else
		fputs(decl->type, f);
	const size_t nl = strlen(decl->name);
	char *done = calloc(np ? np : 1, 1);
	for (size_t s = 0; s < decl->n_settings; s++) {
		const qk_setting *st = &decl->settings[s];
		size_t k = 0;
		for (; k < np; k++)
			if (strncmp(ps[k].key, decl->name, nl) == 0 && ps[k].key[nl] == '.' &&
			    strcmp(ps[k].key + nl + 1, st->key) == 0)
				break;
		fprintf(f, " %s=", st->key);
		if (k < np) {
			fprintf(f, "%.9g", *ps[k].ctl);
			if (done)
				done[k] = 1;
		} else {
			put_value(f, st->value);
		}
	}
	for (size_t k = 0; k < np; k++)
		if (strncmp(ps[k].key, decl->name, nl) == 0 && ps[k].key[nl] == '.' &&
		    !(done && done[k]))
			fprintf(f, " %s=%.9g", ps[k].key + nl + 1, *ps[k].ctl);
	free(done);
	fputs("   # fitted by quarks fit", f);
}

static int
write_file(const char *path, const char *text, size_t len, qk_diag *d)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f)
		return qk_fail(d, "quarks fit", 0, "cannot write %s: %s", tmp, strerror(errno));
	int bad = fwrite(text, 1, len, f) != len;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		unlink(tmp);
		return qk_fail(d, "quarks fit", 0, "cannot write %s", path);
	}
	return 0;
}

static int
write_graph(const options *o, const qk_graph *g, const param *ps, size_t np, const char *summary,
            qk_diag *d)
{
	/* The text is rewritten line by line: a Carla project read as a graph has no such lines. */
	const size_t pl = strlen(g->path);
	if (pl > 6 && strcmp(g->path + pl - 6, ".carxp") == 0)
		return qk_fail(d, "quarks fit", 0,
		               "-o rewrites a graph file's node lines, and %s is a "
		               "Carla project: export the graph it came from instead",
		               g->path);
	FILE *in = fopen(g->path, "r");
	if (!in)
		return qk_fail(d, "quarks fit", 0, "cannot read %s again", g->path);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (!out) {
		fclose(in);
		return qk_fail(d, "quarks fit", 0, "out of memory");
	}
	fprintf(out, "# %s\n", summary);
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	for (int n = 1; (got = getline(&line, &cap, in)) >= 0; n++) {
		const qk_decl *decl = NULL;
		for (size_t i = 0; i < g->n_decls && !decl; i++)
			if (g->decls[i].kind == QK_DECL_NODE && g->decls[i].line == n)
				for (size_t k = 0; k < np && !decl; k++)
					if (ps[k].decl == i)
						decl = &g->decls[i];
		if (decl) {
			put_node(out, decl, ps, np);
			fputc('\n', out);
		} else {
			fputs(line, out);
		}
	}
	free(line);
	fclose(in);
	fclose(out);
	int rc = text ? write_file(o->output, text, len, d)
	              : qk_fail(d, "quarks fit", 0, "out of memory");
	free(text);
	return rc;
}

/* ---- LV2 presets ---- */

#define PRESET_PREFIXES                                         \
	"@prefix lv2:  <http://lv2plug.in/ns/lv2core#> .\n"     \
	"@prefix pset: <http://lv2plug.in/ns/ext/presets#> .\n" \
	"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"

static void
put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* A decimal that reads back as the same float, always with a point: Turtle reads it as
 * xsd:decimal, which lilv gives hosts as a float (an integer would be an atom:Int). */
static void
put_decimal(FILE *f, float v)
{
	char buf[128];
	for (int decimals = 1; decimals <= 60; decimals++) {
		snprintf(buf, sizeof buf, "%.*f", decimals, (double)v);
		if ((float)strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, f);
}

static int
make_dirs(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *s = buf + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(buf, 0777) != 0 && errno != EEXIST)
				return -1;
			*s = '/';
		}
	return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

static void
safe_name(char *out, size_t cap, const char *a, const char *b)
{
	snprintf(out, cap, "%s-%s", a, b);
	for (char *s = out; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '_'))
			*s = '_';
}

static int
write_presets(const options *o, const qk_graph *g, qk_engine *e, facts *f, const param *ps,
              size_t np, const char *summary, qk_diag *d)
{
	if (make_dirs(o->presets) != 0)
		return qk_fail(d, "quarks fit", 0, "cannot create %s: %s", o->presets,
		               strerror(errno));
	char label[256];
	if (o->label) {
		snprintf(label, sizeof label, "%s", o->label);
	} else {
		const char *base = strrchr(g->path, '/');
		snprintf(label, sizeof label, "%s", base ? base + 1 : g->path);
		char *dot = strrchr(label, '.');
		if (dot && dot != label)
			*dot = '\0';
	}
	/* The manifest's lines for the files written now are replaced; the others stay. */
	char mpath[4096];
	snprintf(mpath, sizeof mpath, "%s/manifest.ttl", o->presets);
	char *old = NULL;
	size_t old_len = 0;
	FILE *m = fopen(mpath, "r");
	if (m) {
		FILE *keep = open_memstream(&old, &old_len);
		char *line = NULL;
		size_t cap = 0;
		while (keep && getline(&line, &cap, m) >= 0) {
			int mine = 0;
			for (size_t k = 0; k < np && !mine; k++) {
				char file[512], prefix[600];
				safe_name(file, sizeof file, label, g->decls[ps[k].decl].name);
				snprintf(prefix, sizeof prefix, "<%s.ttl> ", file);
				mine = strncmp(line, prefix, strlen(prefix)) == 0;
			}
			if (!mine)
				fputs(line, keep);
		}
		free(line);
		if (keep)
			fclose(keep);
		fclose(m);
	}
	char *man = NULL;
	size_t man_len = 0;
	FILE *mf = open_memstream(&man, &man_len);
	if (!mf) {
		free(old);
		return qk_fail(d, "quarks fit", 0, "out of memory");
	}
	if (old && old_len)
		fwrite(old, 1, old_len, mf);
	else
		fputs("# LV2 presets written by quarks fit: one line per preset file beside this "
		      "one.\n" PRESET_PREFIXES "\n",
		      mf);
	free(old);
	int rc = 0;
	for (size_t i = 0; i < g->n_decls && rc == 0; i++) {
		int fitted = 0;
		for (size_t k = 0; k < np; k++)
			fitted |= ps[k].decl == i;
		if (!fitted)
			continue;
		const qk_decl *decl = &g->decls[i];
		const LilvPlugin *p = node_plugin(f, decl);
		if (!p) {
			rc = qk_fail(d, "quarks fit", 0, "no plugin for node '%s'", decl->name);
			break;
		}
		const char *uri = lilv_node_as_uri(lilv_plugin_get_uri(p));
		char file[512], path[4096], plabel[600];
		safe_name(file, sizeof file, label, decl->name);
		snprintf(path, sizeof path, "%s/%s.ttl", o->presets, file);
		snprintf(plabel, sizeof plabel, "%s %s (fitted)", label, decl->name);
		char *text = NULL;
		size_t len = 0;
		FILE *pf = open_memstream(&text, &len);
		if (!pf) {
			rc = qk_fail(d, "quarks fit", 0, "out of memory");
			break;
		}
		fprintf(pf,
		        "# Written by quarks fit.\n" PRESET_PREFIXES "\n<>\n\ta pset:Preset ;\n"
		        "\tlv2:appliesTo <%s> ;\n\trdfs:label ",
		        uri);
		put_string(pf, plabel);
		fputs(" ;\n\trdfs:comment ", pf);
		char comment[1024];
		snprintf(comment, sizeof comment, "Node '%s' of %s. %s", decl->name, g->path,
		         summary);
		put_string(pf, comment);
		/* Every control of the node, as the bundle's own presets do: loading it gives the
		 * same unit whatever the controls were before. */
		int first = 1;
		for (uint32_t k = 0; k < lilv_plugin_get_num_ports(p); k++) {
			const LilvPort *port = lilv_plugin_get_port_by_index(p, k);
			if (qk_port_kind_of(&f->u, p, port) != QK_PORT_CONTROL_IN)
				continue;
			const char *sym = lilv_node_as_string(lilv_port_get_symbol(p, port));
			char key[512];
			snprintf(key, sizeof key, "%s.%s", decl->name, sym);
			qk_diag why;
			const float *v = qk_engine_control(e, key, &why);
			if (!v)
				continue;
			fputs(first ? " ;\n\tlv2:port [\n" : " , [\n", pf);
			first = 0;
			fputs("\t\tlv2:symbol ", pf);
			put_string(pf, sym);
			fputs(" ;\n\t\tpset:value ", pf);
			put_decimal(pf, *v);
			fputs("\n\t]", pf);
		}
		fputs(" .\n", pf);
		fclose(pf);
		rc = text ? write_file(path, text, len, d)
		          : qk_fail(d, "quarks fit", 0, "out of memory");
		free(text);
		if (rc == 0) {
			fprintf(mf,
			        "<%s.ttl> a pset:Preset ; lv2:appliesTo <%s> ; rdfs:seeAlso "
			        "<%s.ttl> .\n",
			        file, uri, file);
			if (!o->quiet)
				printf("wrote preset \"%s\" for %s: %s\n", plabel, uri, path);
		}
	}
	fclose(mf);
	if (rc == 0)
		rc = man ? write_file(mpath, man, man_len, d)
		         : qk_fail(d, "quarks fit", 0, "out of memory");
	free(man);
	return rc;
}

/* ---- the command ---- */

static int
load_targets(options *o, qk_engine *e, double rate, uint64_t *frames, qk_diag *d)
{
	uint64_t shortest = UINT64_MAX;
	for (size_t t = 0; t < o->n_targets; t++) {
		target *tg = &o->targets[t];
		size_t i = 0, n = qk_engine_n_outputs(e);
		while (i < n && strcmp(qk_engine_output_name(e, i), tg->name) != 0)
			i++;
		if (i == n)
			return qk_fail(d, "quarks fit", 0,
			               "--target %s: the graph has no output '%s'", tg->name,
			               tg->name);
		tg->out = i;
		char err[512];
		if (qk_wav_load(tg->path, 1, rate, &tg->data, &tg->frames, err, sizeof err) != 0)
			return qk_fail(d, "quarks fit", 0, "--target %s: %s", tg->name, err);
		for (uint64_t f = 0; f < tg->frames; f++)
			if (!isfinite(tg->data[f]))
				return qk_fail(d, "quarks fit", 0,
				               "--target %s: %s has a non-finite sample at frame "
				               "%llu",
				               tg->name, tg->path, (unsigned long long)f);
		shortest = tg->frames < shortest ? tg->frames : shortest;
	}
	*frames = shortest;
	if (o->duration) {
		double v;
		if (qk_parse_time(o->duration, rate, &v) != 0 || !(v >= 0.5) || v > 1e12)
			return qk_fail(d, "quarks fit", 0, "malformed duration '%s' for --duration",
			               o->duration);
		if ((uint64_t)llround(v) > shortest)
			return qk_fail(d, "quarks fit", 0,
			               "--duration %s is longer than the targets (%llu "
			               "frames)",
			               o->duration, (unsigned long long)shortest);
		*frames = (uint64_t)llround(v);
	}
	if (*frames == 0)
		return qk_fail(d, "quarks fit", 0, "the targets have no frames");
	return 0;
}

/* SplitMix64, for --jitter. */
static double
uniform(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0 * 2.0 - 1.0;
}

static int
soften_acts(const qk_graph *g, qk_engine *e, softened **sv, size_t *ns, qk_diag *d)
{
	for (size_t i = 0; i < g->n_decls; i++) {
		if (g->decls[i].kind != QK_DECL_NODE)
			continue;
		char key[512];
		snprintf(key, sizeof key, "%s.act", g->decls[i].name);
		qk_diag why;
		float *c = qk_engine_control(e, key, &why);
		if (!c)
			continue;
		/* qk_activation: 1 step -> 3 sigmoid, 2 sign -> 4 tanh */
		const float v = *c, soft = v == 1.0f ? 3.0f : (v == 2.0f ? 4.0f : v);
		if (soft == v)
			continue;
		if (grow((void **)sv, ns, sizeof **sv) != 0)
			return qk_fail(d, "quarks fit", 0, "out of memory");
		(*sv)[(*ns)++] = (softened){c, v, soft};
		*c = soft;
	}
	return 0;
}

static int
fit(options *o, const qk_graph *g, qk_diag *d)
{
	double rate;
	if (pick_rate(o, g, &rate, d) != 0)
		return -1;
	qk_engine_config cfg = {
	        .rate = rate, .max_block = BLOCK, .files = o->files, .n_files = o->n_files};
	qk_engine *e = NULL;
	if (qk_engine_new(g, &cfg, &e, d) != 0)
		return -1;
	facts f = {.world = lilv_world_new()};
	if (!f.world) {
		qk_engine_free(e);
		return qk_fail(d, "quarks fit", 0, "out of memory");
	}
	qk_world_load(f.world);
	qk_uris_init(&f.u, f.world);
	f.integer = lilv_new_uri(f.world, LV2_CORE "integer");
	f.enumeration = lilv_new_uri(f.world, LV2_CORE "enumeration");

	param *ps = NULL;
	size_t np = 0;
	softened *sv = NULL;
	size_t ns = 0;
	double *theta = NULL, *r = NULL;
	problem pb = {.e = e};
	int rc = collect_params(o, e, g, &f, &ps, &np, d);
	if (rc == 0)
		rc = load_targets(o, e, rate, &pb.frames, d);
	if (rc == 0 && (double)pb.frames * (double)o->n_targets * (double)np > MAX_JACOBIAN)
		rc = qk_fail(d, "quarks fit", 0,
		             "%llu frames x %zu targets x %zu controls is too large a "
		             "Jacobian: fit over fewer frames (--duration, or a lower --rate)",
		             (unsigned long long)pb.frames, o->n_targets, np);
	if (rc == 0 && o->soften)
		rc = soften_acts(g, e, &sv, &ns, d);
	pb.p = ps;
	pb.np = np;
	pb.t = o->targets;
	pb.nt = o->n_targets;
	pb.nr = (size_t)pb.frames * o->n_targets;
	if (rc == 0) {
		theta = malloc(np * sizeof *theta);
		r = malloc(pb.nr * sizeof *r);
		if (!theta || !r)
			rc = qk_fail(d, "quarks fit", 0, "out of memory");
	}
	if (rc == 0) {
		uint64_t seed = o->seed;
		for (size_t k = 0; k < np; k++) {
			double v = *ps[k].ctl + (o->jitter > 0 ? o->jitter * uniform(&seed) : 0.0);
			theta[k] = v < ps[k].lo ? ps[k].lo : (v > ps[k].hi ? ps[k].hi : v);
		}
		if (!o->quiet) {
			printf("quarks fit: %zu controls, %llu frames x %zu target(s) at %.0f Hz; "
			       "Levenberg-Marquardt, central finite differences of renders%s\n",
			       np, (unsigned long long)pb.frames, o->n_targets, rate,
			       ns ? "; step/sign made sigmoid/tanh while fitting" : "");
			report("start", evaluate(&pb, theta, r), r, pb.nr);
		}
		int oom = 0;
		double ss = levenberg_marquardt(&pb, theta, o->iterations, o->quiet, r, &oom);
		if (oom)
			rc = qk_fail(d, "quarks fit", 0, "out of memory");
		if (rc == 0 && ns) {
			if (!o->quiet)
				report("fitted, smooth (sigmoid/tanh)", ss, r, pb.nr);
			for (size_t s = 0; s < ns; s++)
				*sv[s].ctl = sv[s].hard;
		}
		if (rc == 0) {
			/* The error of the graph as written: one more render with the stored float
			 * values. */
			ss = evaluate(&pb, theta, r);
			char summary[512];
			snprintf(summary, sizeof summary,
			         "quarks fit: %zu controls fitted to %zu target(s) over %llu "
			         "frames: rms error %.6g, "
			         "max error %.6g",
			         np, o->n_targets, (unsigned long long)pb.frames,
			         sqrt(ss / (double)pb.nr), max_abs(r, pb.nr));
			for (size_t k = 0; k < np; k++)
				printf("%s = %.9g\n", ps[k].key, *ps[k].ctl);
			report(ns ? "fitted, as written (step/sign)" : "fitted", ss, r, pb.nr);
			if (!o->quiet)
				printf("%lu renders of %llu frames\n", pb.evals,
				       (unsigned long long)pb.frames);
			if (o->output && (rc = write_graph(o, g, ps, np, summary, d)) == 0 &&
			    !o->quiet)
				printf("wrote %s\n", o->output);
			if (rc == 0 && o->presets)
				rc = write_presets(o, g, e, &f, ps, np, summary, d);
		}
	}
	for (size_t k = 0; k < np; k++)
		free(ps[k].key);
	free(ps);
	free(sv);
	free(theta);
	free(r);
	lilv_node_free(f.integer);
	lilv_node_free(f.enumeration);
	qk_uris_free(&f.u);
	lilv_world_free(f.world);
	qk_engine_free(e);
	return rc;
}

int
qk_cmd_fit(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	int status = parse_options(argc, argv, &o);
	if (status < 0) {
		qk_diag d;
		qk_graph g;
		if (qk_graph_load(o.graph, &g, &d) != 0) {
			status = fail(&d);
		} else {
			status = fit(&o, &g, &d) == 0 ? 0 : fail(&d);
			qk_graph_free(&g);
		}
	}
	for (size_t t = 0; t < o.n_targets; t++)
		free(o.targets[t].data);
	free(o.targets);
	free(o.files);
	free(o.free_specs);
	return status;
}
