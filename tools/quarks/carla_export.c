/* SPDX-License-Identifier: ISC */
/* The exporter. Carla has no sources and clears the inputs nothing feeds, so a graph runs there
 * on its own only with its sources as plugins and its open gates held open: those instances
 * are written by carla_export_sources.c. Bare graph inputs take `Audio Input:Left/Right` in
 * declaration order and graph outputs `Audio Output:Left/Right`; what does not fit is left
 * unconnected and reported. */
#define _POSIX_C_SOURCE 200809L
#include "carla_export_impl.h"

#include "carla_ports.h"
#include "decimal.h"

#include <lilv/lilv.h>
#include <stdlib.h>
#include <string.h>

void
qk_cx_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

void
qk_cx_comment(FILE *f, const char *s)
{
	fputs(" <!-- ", f);
	for (; *s; s++)
		fputc(*s == '-' && s[1] == '-' ? '_' : *s, f);
	fputs(" -->\n", f);
}

void
qk_cx_element(FILE *f, const char *indent, const char *tag, const char *text)
{
	fprintf(f, "%s<%s>", indent, tag);
	qk_cx_text(f, text);
	fprintf(f, "</%s>\n", tag);
}

void
qk_cx_number(char *out, size_t cap, float v)
{
	/* At most 9 significant digits, and Carla's float of them is v again. */
	snprintf(out, cap, "%.9g", qk_decimal(v));
}

static void
assign_channels(qk_exporter *x)
{
	int next_in = 0, next_out = 0;
	for (size_t i = 0; i < x->g->n_decls; i++) {
		const qk_decl *dc = &x->g->decls[i];
		x->channel[i] = -1;
		x->role[i] = dc->kind == QK_DECL_NODE ? QK_CX_NONE : qk_cx_role_of(dc);
		if (x->role[i] != QK_CX_SYSTEM)
			continue;
		int is_out = dc->kind == QK_DECL_OUTPUT;
		int *next = is_out ? &next_out : &next_in;
		const char *sys = is_out ? QK_CARLA_OUT : QK_CARLA_IN;
		if (*next < 2) {
			x->channel[i] = (*next)++;
			fprintf(x->notes, "%s '%s' -> %s:%s\n", is_out ? "output" : "input",
			        dc->name, sys, qk_carla_channel[x->channel[i]]);
		} else {
			fprintf(x->notes,
			        "note: %s '%s' left unconnected: Carla's patchbay has only %s:Left "
			        "and "
			        "%s:Right\n",
			        is_out ? "output" : "input", dc->name, sys, sys);
		}
	}
}

/* The exporter's entry for p, made on first use. A graph has few plugins and many instances of
 * them, so a short list searched in order will do. */
static struct qk_cx_seen *
seen(qk_exporter *x, const qk_plugin_info *p)
{
	for (size_t i = 0; i < x->n_seen; i++)
		if (x->seen[i].info == p)
			return &x->seen[i];
	LilvNode *name = lilv_plugin_get_name(p->plugin);
	char *copy = strdup(name ? lilv_node_as_string(name) : p->uri);
	lilv_node_free(name);
	void *grown = copy ? realloc(x->seen, (x->n_seen + 1) * sizeof *x->seen) : NULL;
	if (!grown) {
		free(copy);
		return NULL;
	}
	x->seen = grown;
	x->seen[x->n_seen] = (struct qk_cx_seen){.info = p, .name = copy};
	return &x->seen[x->n_seen++];
}

const char *
qk_cx_plugin_name(qk_exporter *x, const qk_plugin_info *p)
{
	struct qk_cx_seen *s = seen(x, p);
	return s ? s->name : NULL;
}

const qk_open_input *
qk_cx_open_inputs(qk_exporter *x, const qk_plugin_info *p)
{
	struct qk_cx_seen *s = seen(x, p);
	if (!s || s->open)
		return s ? s->open : NULL;
	if (!(s->open = calloc(p->n_ports ? p->n_ports : 1, sizeof *s->open)))
		return NULL;
	for (uint32_t i = 0; i < p->n_ports; i++)
		s->open[i] = p->kind[i] == QK_PORT_AUDIO_IN ? qk_open_input_of(p->uri, p->symbol[i])
		                                            : QK_OPEN_ZERO;
	return s->open;
}

static int
put_plugin(qk_exporter *x, const qk_decl *dc)
{
	qk_plugin_info *p = NULL;
	int found = qk_plugins_get(x->plugins, dc->type, &p);
	if (found != 0)
		return found < 0 ? qk_fail(x->d, x->g->path, dc->line, "out of memory")
		                 : qk_fail(x->d, x->g->path, dc->line, "unknown plugin '%s'",
		                           dc->type);
	const char *pname_of_plugin = qk_cx_plugin_name(x, p);
	if (!pname_of_plugin)
		return qk_fail(x->d, x->g->path, dc->line, "out of memory");
	qk_cx_comment(x->out, pname_of_plugin);
	fputs(" <Plugin>\n  <Info>\n", x->out);
	qk_cx_element(x->out, "   ", "Type", "LV2");
	qk_cx_element(x->out, "   ", "Name", dc->name);
	qk_cx_element(x->out, "   ", "URI", p->uri);
	fputs("  </Info>\n\n  <Data>\n", x->out);
	qk_cx_element(x->out, "   ", "Active", "Yes");
	qk_cx_element(x->out, "   ", "ControlChannel", "N");
	qk_cx_element(x->out, "   ", "Options", "0x0");
	int index = 0; /* Carla numbers parameters over the control inputs only */
	for (uint32_t i = 0; i < p->n_ports; i++) {
		if (p->kind[i] != QK_PORT_CONTROL_IN)
			continue;
		const char *sym = p->symbol[i];
		char key[512], num[64];
		snprintf(key, sizeof key, "%s.%s", dc->name, sym);
		qk_diag why;
		const float *v = qk_engine_control(x->e, key, &why);
		const char *pname = qk_info_port_name(x->plugins, p, i);
		if (!v || !pname)
			return qk_fail(x->d, x->g->path, dc->line,
			               "'%s': control '%s' has no value or name", dc->name, sym);
		qk_cx_number(num, sizeof num, *v);
		fprintf(x->out, "\n   <Parameter>\n    <Index>%d</Index>\n", index++);
		qk_cx_element(x->out, "    ", "Name", pname);
		qk_cx_element(x->out, "    ", "Symbol", sym);
		qk_cx_element(x->out, "    ", "Value", num);
		fputs("   </Parameter>\n", x->out);
	}
	fputs("  </Data>\n </Plugin>\n\n", x->out);
	return 0;
}

int
qk_cx_node_end(qk_exporter *x, const qk_decl *dc, const char *port, int is_source, int line,
               char *out, size_t cap)
{
	qk_plugin_info *p = NULL;
	if (qk_plugins_get(x->plugins, dc->type, &p) != 0)
		return qk_fail(x->d, x->g->path, line, "unknown plugin '%s' or out of memory",
		               dc->type);
	qk_port_kind want = is_source ? QK_PORT_AUDIO_OUT : QK_PORT_AUDIO_IN;
	long lp = -1;
	if (port) {
		lp = qk_info_port(p, port);
	} else { /* `NODE` alone: its one audio output */
		for (uint32_t i = 0; i < p->n_ports; i++)
			if (p->kind[i] == want)
				lp = (long)i;
	}
	const char *name = lp >= 0 && p->kind[lp] == want
	                           ? qk_info_port_name(x->plugins, p, (uint32_t)lp)
	                           : NULL;
	if (!name || strlen(name) >= 256)
		return qk_fail(x->d, x->g->path, line,
		               "'%s.%s' is not an audio %s with an lv2:name", dc->name,
		               port ? port : "?", is_source ? "output" : "input");
	if (strchr(name, ':') || qk_info_port_by_name(x->plugins, p, name) != lp)
		return qk_fail(x->d, x->g->path, line,
		               "port '%s' of '%s' has the name '%s', which "
		               "Carla cannot address (it contains ':' or is not unique)",
		               port ? port : "", dc->type, name);
	snprintf(out, cap, "%s:%s", dc->name, name);
	return 0;
}

/* "GROUP:PORT" of one end of a connection; 1 if that end has no place in Carla. */
static int
endpoint(qk_exporter *x, size_t di, const char *port, int is_source, const qk_conn *c, char *out,
         size_t cap)
{
	const qk_decl *dc = &x->g->decls[di];
	if (x->role[di] == QK_CX_SOURCE || x->role[di] == QK_CX_AUDIOFILE) {
		qk_cx_source_end(x, dc, out, cap);
		return 0;
	}
	if (dc->kind != QK_DECL_NODE) {
		if (x->channel[di] < 0)
			return 1;
		snprintf(out, cap, "%s:%s", is_source ? QK_CARLA_IN : QK_CARLA_OUT,
		         qk_carla_channel[x->channel[di]]);
		return 0;
	}
	return qk_cx_node_end(x, dc, port, is_source, c->line, out, cap);
}

static int
put_connections(qk_exporter *x)
{
	fputs(" <Patchbay>\n", x->out);
	for (size_t i = 0; i < x->g->n_conns; i++) {
		const qk_conn *c = &x->g->conns[i];
		char from[512], to[512];
		int a = endpoint(x, c->from, c->from_port, 1, c, from, sizeof from);
		int b = a < 0 ? a : endpoint(x, c->to, c->to_port, 0, c, to, sizeof to);
		if (a < 0 || b < 0)
			return -1;
		if (a || b)
			continue; /* an end without a system port: reported by assign_channels */
		fputs("  <Connection>\n", x->out);
		qk_cx_element(x->out, "   ", "Source", from);
		qk_cx_element(x->out, "   ", "Target", to);
		fputs("  </Connection>\n", x->out);
	}
	if (qk_cx_connect_open_gates(x) != 0 || qk_cx_put_scopes(x, 1) != 0)
		return -1;
	fputs(" </Patchbay>\n\n <ExternalPatchbay>\n </ExternalPatchbay>\n", x->out);
	return 0;
}

static const char header[] = "<?xml version='1.0' encoding='UTF-8'?>\n"
                             "<!DOCTYPE CARLA-PROJECT>\n"
                             "<CARLA-PROJECT VERSION='2.6'>\n"
                             " <EngineSettings>\n"
                             "  <ForceStereo>false</ForceStereo>\n"
                             "  <PreferPluginBridges>false</PreferPluginBridges>\n"
                             "  <PreferUiBridges>true</PreferUiBridges>\n"
                             "  <UIsAlwaysOnTop>false</UIsAlwaysOnTop>\n"
                             "  <MaxParameters>200</MaxParameters>\n"
                             "  <UIBridgesTimeout>4000</UIBridgesTimeout>\n"
                             " </EngineSettings>\n"
                             "\n"
                             " <Transport>\n"
                             "  <BeatsPerMinute>120</BeatsPerMinute>\n"
                             " </Transport>\n"
                             "\n";

/* The graph's sample rate (its `rate` line, else the renderer's default). */
static double
graph_rate(const qk_graph *g)
{
	char *end;
	double r = g->rate.text ? strtod(g->rate.text, &end) : 48000.0;
	return r >= 1.0 && r <= 1e7 ? r : 48000.0;
}

/* x->into and x->into_start: the connections by destination (a stable counting sort). */
static int
index_connections(qk_exporter *x)
{
	size_t n = x->g->n_decls, m = x->g->n_conns;
	x->into_start = calloc(n + 1, sizeof *x->into_start);
	x->into = malloc((m ? m : 1) * sizeof *x->into);
	size_t *fill = malloc((n ? n : 1) * sizeof *fill);
	if (!x->into_start || !x->into || !fill) {
		free(fill);
		return qk_fail(x->d, x->g->path, 0, "out of memory");
	}
	for (size_t c = 0; c < m; c++)
		x->into_start[x->g->conns[c].to + 1]++;
	for (size_t i = 0; i < n; i++)
		x->into_start[i + 1] += x->into_start[i];
	memcpy(fill, x->into_start, (n ? n : 1) * sizeof *fill);
	for (size_t c = 0; c < m; c++)
		x->into[fill[x->g->conns[c].to]++] = c;
	free(fill);
	return 0;
}

int
qk_carla_export_with(const qk_graph *g, qk_engine *e, const qk_carla_export_options *opts,
                     FILE *out, FILE *notes, qk_diag *d)
{
	qk_exporter x = {.g = g,
	                 .e = e,
	                 .opts = opts,
	                 .out = out,
	                 .notes = notes,
	                 .d = d,
	                 .rate = graph_rate(g)};
	/* Carla runs its patchbay's plugins once a block in an order where a connection that
	 * closes a loop carries silence: a project of a loop would compute something else. */
	if (qk_engine_n_loops(e) > 0) {
		int line;
		const char *cycle = qk_engine_loop(e, 0, &line);
		return qk_fail(
		        d, g->path, line,
		        "cannot export a feedback loop (%s): Carla's patchbay does not compute "
		        "feedback (it feeds the connection that closes a loop from silence); "
		        "quarks render and quarks run compute it",
		        cycle);
	}
	LilvWorld *w = lilv_world_new();
	x.channel = calloc(g->n_decls ? g->n_decls : 1, sizeof *x.channel);
	x.role = calloc(g->n_decls ? g->n_decls : 1, sizeof *x.role);
	if (!w || !x.channel || !x.role) {
		if (w)
			lilv_world_free(w);
		free(x.channel);
		free(x.role);
		return qk_fail(d, g->path, 0, "out of memory");
	}
	qk_world_load(w);
	qk_uris_init(&x.u, w);
	int rc = 0;
	if (!(x.plugins = qk_plugins_new(&x.u)))
		rc = qk_fail(d, g->path, 0, "out of memory");
	if (rc == 0)
		rc = index_connections(&x);
	if (rc == 0) {
		assign_channels(&x);
		fputs(header, out);
	}
	for (size_t i = 0; i < g->n_decls && rc == 0; i++)
		if (g->decls[i].kind == QK_DECL_NODE)
			rc = put_plugin(&x, &g->decls[i]);
	for (size_t i = 0; i < g->n_decls && rc == 0; i++)
		if (x.role[i] == QK_CX_SOURCE || x.role[i] == QK_CX_AUDIOFILE)
			rc = qk_cx_put_source(&x, &g->decls[i]);
	if (rc == 0)
		rc = qk_cx_put_open_gates(&x);
	if (rc == 0)
		rc = qk_cx_put_scopes(&x, 0);
	if (rc == 0)
		rc = put_connections(&x);
	if (rc == 0)
		fputs("</CARLA-PROJECT>\n", out);
	for (size_t i = 0; i < x.n_seen; i++) {
		free(x.seen[i].name);
		free(x.seen[i].open);
	}
	free(x.seen);
	free(x.into);
	free(x.into_start);
	qk_plugins_free(x.plugins);
	qk_uris_free(&x.u);
	lilv_world_free(w);
	free(x.channel);
	free(x.role);
	return rc;
}

int
qk_carla_export(const qk_graph *g, qk_engine *e, FILE *out, FILE *notes, qk_diag *d)
{
	static const qk_carla_export_options defaults = {0};
	return qk_carla_export_with(g, e, &defaults, out, notes, d);
}
