/* SPDX-License-Identifier: ISC */
/* What a graph needs in Carla besides its nodes, so it runs there with nothing connected from
 * outside: its sources as instances of the bundle's source plugins (a file as Carla's audio
 * file player), a constant 1 into every gate it leaves open, and optionally x42 scopes on the
 * signals it plots. */
#define _POSIX_C_SOURCE 200809L
#include "carla_export_impl.h"

#include "decimal.h"
#include "open_inputs.h"
#include "source_spec.h"

#include <stdlib.h>
#include <string.h>

/* x42's four-channel oscilloscope (Debian package x42-plugins): inputs In1..In4. */
#define SCOPE_URI "http://gareus.org/oss/lv2/sisco#4chan"
#define SCOPE_CHANNELS 4

/* Carla's audio file player (an internal plugin) and its parameters, in Carla's order. */
#define AUDIOFILE_LABEL "audiofile"
#define CARLA_PATH_TYPE "http://kxstudio.sf.net/ns/carla/path"

qk_cx_role
qk_cx_role_of(const qk_decl *dc)
{
	if (dc->kind == QK_DECL_OUTPUT || (dc->kind == QK_DECL_INPUT && !dc->type))
		return QK_CX_SYSTEM;
	if (dc->kind != QK_DECL_SOURCE && dc->kind != QK_DECL_INPUT)
		return QK_CX_NONE;
	return strcmp(dc->type, "file") == 0 ? QK_CX_AUDIOFILE : QK_CX_SOURCE;
}

/* The source plugin of a kind: its short name (docs/PORTS.md). */
static const char *
plugin_of_kind(const char *kind)
{
	return strcmp(kind, "square") == 0 ? "pulse" : kind;
}

/* One setting of a source plugin: the control's symbol, the value the plugin must get (in
 * seconds or Hz for periods and frequencies) and how the plugin turns it back into the
 * renderer's value, so the exporter can tell when it is not exact. */
typedef enum { AS_IS, SECONDS, HERTZ } unit_kind;
typedef struct {
	const char *symbol;
	double value; /* what the control gets */
	double want;  /* the renderer's value: value, or samples, or cycles per sample */
	unit_kind unit;
} setting;

static size_t
settings_of(const qk_source *s, double rate, setting *out)
{
	size_t n = 0;
#define SET(sym, v) (out[n++] = (setting){sym, v, v, AS_IS})
	switch (s->kind) {
	case QK_SRC_CONSTANT: SET("value", s->value); break;
	case QK_SRC_PULSE:
		out[n++] = (setting){"period", s->period / rate, s->period, SECONDS};
		SET("duty", s->duty);
		SET("phase", s->phase);
		SET("low", s->low);
		SET("high", s->high);
		break;
	case QK_SRC_RAMP:
		out[n++] = (setting){"period", s->period / rate, s->period, SECONDS};
		SET("from", s->from);
		SET("to", s->to);
		SET("phase", s->phase);
		break;
	case QK_SRC_SINE:
		out[n++] = (setting){"freq", s->freq * rate, s->freq, HERTZ};
		SET("amp", s->amp);
		SET("offset", s->offset);
		SET("phase", s->phase);
		break;
	case QK_SRC_NOISE:
		SET("seed", (double)s->seed);
		SET("amp", s->amp);
		SET("offset", s->offset);
		break;
	}
#undef SET
	return n;
}

static void
put_header(qk_exporter *x, const char *comment, const char *type, const char *name,
           const char *uri_tag, const char *uri)
{
	qk_cx_comment(x->out, comment);
	fputs(" <Plugin>\n  <Info>\n", x->out);
	qk_cx_element(x->out, "   ", "Type", type);
	qk_cx_element(x->out, "   ", "Name", name);
	qk_cx_element(x->out, "   ", uri_tag, uri);
	fputs("  </Info>\n\n  <Data>\n", x->out);
	qk_cx_element(x->out, "   ", "Active", "Yes");
	qk_cx_element(x->out, "   ", "ControlChannel", "N");
	qk_cx_element(x->out, "   ", "Options", "0x0");
}

static void
put_parameter(qk_exporter *x, int index, const char *name, const char *symbol, const char *value)
{
	fprintf(x->out, "\n   <Parameter>\n    <Index>%d</Index>\n", index);
	qk_cx_element(x->out, "    ", "Name", name);
	if (symbol)
		qk_cx_element(x->out, "    ", "Symbol", symbol);
	qk_cx_element(x->out, "    ", "Value", value);
	fputs("   </Parameter>\n", x->out);
}

/* An instance of the source plugin for a built-in source: every control, by symbol. */
static int
put_quark_source(qk_exporter *x, const qk_decl *dc, const qk_source *s)
{
	char uri[256];
	snprintf(uri, sizeof uri, "%s%s", QK_BASE_URI, plugin_of_kind(dc->type));
	qk_plugin_info *p = NULL;
	int found = qk_plugins_get(x->plugins, uri, &p);
	if (found > 0)
		return qk_fail(x->d, x->g->path, dc->line,
		               "the source plugin <%s> is not on LV2_PATH", uri);
	const char *pname = found == 0 ? qk_cx_plugin_name(x, p) : NULL;
	if (!pname)
		return qk_fail(x->d, x->g->path, dc->line, "out of memory");
	setting set[8];
	size_t n = settings_of(s, x->rate, set);
	put_header(x, pname, "LV2", dc->name, "URI", uri);
	int index = 0, rc = 0;
	for (uint32_t i = 0; i < p->n_ports && rc == 0; i++) {
		if (p->kind[i] != QK_PORT_CONTROL_IN)
			continue;
		const char *sym = p->symbol[i];
		const setting *st = NULL;
		for (size_t k = 0; k < n; k++)
			if (strcmp(set[k].symbol, sym) == 0)
				st = &set[k];
		float v = st ? (float)st->value : p->def[i];
		if (st && !(v >= p->minimum[i] && v <= p->maximum[i]))
			rc = qk_fail(x->d, x->g->path, dc->line,
			             "source '%s': %s %.9g%s is outside the range "
			             "of <%s>, [%g, %g]",
			             dc->name, sym, st->value,
			             st->unit == SECONDS ? " s"
			             : st->unit == HERTZ ? " Hz"
			                                 : "",
			             uri, (double)p->minimum[i], (double)p->maximum[i]);
		/* What the plugin computes from the float, as the renderer's value. */
		double got = st ? qk_decimal(v) : 0.0;
		got = !st                   ? 0.0
		      : st->unit == SECONDS ? got * x->rate
		      : st->unit == HERTZ   ? got / x->rate
		                            : got;
		if (rc == 0 && st && got != st->want)
			fprintf(x->notes,
			        "note: source '%s': %s %.9g is not exact in a float control: the "
			        "plugin uses %.17g where the graph uses %.17g\n",
			        dc->name, sym, st->value, got, st->want);
		char num[64];
		const char *name = qk_info_port_name(x->plugins, p, i);
		qk_cx_number(num, sizeof num, v);
		if (rc == 0)
			put_parameter(x, index++, name ? name : "", sym, num);
	}
	if (rc == 0)
		fputs("  </Data>\n </Plugin>\n\n", x->out);
	return rc;
}

/* Carla's audio file player for a `file` source: free-running (Host Sync off, so it plays
 * without Carla's transport), looping as the graph says, at full volume. */
static int
put_audiofile(qk_exporter *x, const qk_decl *dc, const qk_source_spec *spec)
{
	const char *path = NULL;
	for (size_t i = 0; i < dc->n_settings; i++)
		if (strcmp(dc->settings[i].key, "path") == 0)
			path = dc->settings[i].value;
	if (spec->channel > 2)
		return qk_fail(x->d, x->g->path, dc->line,
		               "source '%s': Carla's audio file player has "
		               "two outputs, not a channel %d",
		               dc->name, spec->channel);
	put_header(x, "Audio File", "INTERNAL", dc->name, "Label", AUDIOFILE_LABEL);
	put_parameter(x, 0, "Loop Mode", NULL, spec->loop ? "1" : "0");
	put_parameter(x, 1, "Host Sync", NULL, "0");
	put_parameter(x, 2, "Volume", NULL, "100");
	put_parameter(x, 3, "Enabled", NULL, "1");
	put_parameter(x, 4, "Quad Channels", NULL, "0");
	fputs("\n   <CustomData>\n", x->out);
	qk_cx_element(x->out, "    ", "Type", CARLA_PATH_TYPE);
	qk_cx_element(x->out, "    ", "Key", "file");
	qk_cx_element(x->out, "    ", "Value", path ? path : "");
	fputs("   </CustomData>\n  </Data>\n </Plugin>\n\n", x->out);
	if (path && path[0] != '/')
		fprintf(x->notes,
		        "note: source '%s' plays '%s' in Carla's audio file player, which opens "
		        "a relative path from the folder Carla runs in: start Carla in the "
		        "project's "
		        "folder\n",
		        dc->name, path);
	return 0;
}

int
qk_cx_put_source(qk_exporter *x, const qk_decl *dc)
{
	qk_source_spec spec;
	if (qk_source_spec_parse(x->g, dc, x->rate, &spec, x->d) != 0)
		return -1;
	int rc = spec.is_file ? put_audiofile(x, dc, &spec) : put_quark_source(x, dc, &spec.source);
	if (rc == 0 && dc->kind == QK_DECL_INPUT)
		fprintf(x->notes,
		        "input '%s' -> its default source, the instance '%s' (replace it to "
		        "feed the input from outside)\n",
		        dc->name, dc->name);
	free(spec.path);
	return rc;
}

void
qk_cx_source_end(const qk_exporter *x, const qk_decl *dc, char *out, size_t cap)
{
	int channel = 1;
	for (size_t i = 0; i < dc->n_settings; i++)
		if (strcmp(dc->settings[i].key, "channel") == 0)
			channel = atoi(dc->settings[i].value);
	if (x->role[dc - x->g->decls] == QK_CX_AUDIOFILE)
		snprintf(out, cap, "%s:output_%d", dc->name, channel);
	else
		snprintf(out, cap, "%s:Output", dc->name);
}

/* The open gates of node di: calls fn for each (its symbol); returns how many, or -1 when out
 * of memory. */
static long
open_gates(qk_exporter *x, size_t di, qk_open_input kind,
           void (*fn)(qk_exporter *, const qk_decl *, const char *, void *), void *arg)
{
	const qk_decl *dc = &x->g->decls[di];
	qk_plugin_info *p = NULL;
	int found = qk_plugins_get(x->plugins, dc->type, &p);
	if (found > 0)
		return 0;
	const qk_open_input *open = found == 0 ? qk_cx_open_inputs(x, p) : NULL;
	if (!open)
		return -1;
	long n = 0;
	for (uint32_t i = 0; i < p->n_ports; i++) {
		if (p->kind[i] != QK_PORT_AUDIO_IN || open[i] != kind)
			continue;
		const char *sym = p->symbol[i];
		int fed = 0;
		for (size_t k = x->into_start[di]; k < x->into_start[di + 1] && !fed; k++) {
			const qk_conn *c = &x->g->conns[x->into[k]];
			fed = c->to_port && strcmp(c->to_port, sym) == 0;
		}
		if (fed)
			continue;
		n++;
		if (fn)
			fn(x, dc, sym, arg);
	}
	return n;
}

static void
note_gate(qk_exporter *x, const qk_decl *dc, const char *sym, void *arg)
{
	(void)arg;
	fprintf(x->notes,
	        "note: gate '%s.%s' is open: in Carla it would read 0, so the constant 1 "
	        "'%s' holds it open\n",
	        dc->name, sym, x->one);
}

static void
note_score(qk_exporter *x, const qk_decl *dc, const char *sym, void *arg)
{
	(void)arg;
	fprintf(x->notes,
	        "note: softmax score '%s.%s' is open: the render leaves it out, Carla "
	        "feeds it 0 and it takes part\n",
	        dc->name, sym);
}

int
qk_cx_put_open_gates(qk_exporter *x)
{
	size_t n = 0;
	for (size_t i = 0; i < x->g->n_decls; i++)
		if (x->g->decls[i].kind == QK_DECL_NODE) {
			long gates = open_gates(x, i, QK_OPEN_ONE, NULL, NULL);
			if (gates < 0 || open_gates(x, i, QK_OPEN_NO_PART, note_score, NULL) < 0)
				return qk_fail(x->d, x->g->path, x->g->decls[i].line,
				               "out of memory");
			n += (size_t)gates;
		}
	x->one[0] = '\0';
	if (n == 0)
		return 0;
	/* A name no declaration has. */
	snprintf(x->one, sizeof x->one, "one");
	for (int k = 2; qk_graph_find(x->g, x->one) >= 0; k++)
		snprintf(x->one, sizeof x->one, "one_%d", k);
	for (size_t i = 0; i < x->g->n_decls; i++)
		if (x->g->decls[i].kind == QK_DECL_NODE &&
		    open_gates(x, i, QK_OPEN_ONE, note_gate, NULL) < 0)
			return qk_fail(x->d, x->g->path, x->g->decls[i].line, "out of memory");
	qk_decl one = {.kind = QK_DECL_SOURCE, .name = x->one, .type = "constant", .line = 0};
	qk_source s = qk_source_make(QK_SRC_CONSTANT);
	s.value = 1.0;
	return put_quark_source(x, &one, &s);
}

static void
put_connection(FILE *f, const char *from, const char *to)
{
	fputs("  <Connection>\n", f);
	qk_cx_element(f, "   ", "Source", from);
	qk_cx_element(f, "   ", "Target", to);
	fputs("  </Connection>\n", f);
}

static void
connect_gate(qk_exporter *x, const qk_decl *dc, const char *sym, void *arg)
{
	int *rc = arg;
	char from[128], to[512];
	snprintf(from, sizeof from, "%s:Output", x->one);
	if (*rc == 0 && qk_cx_node_end(x, dc, sym, 0, dc->line, to, sizeof to) != 0)
		*rc = -1;
	if (*rc == 0)
		put_connection(x->out, from, to);
}

int
qk_cx_connect_open_gates(qk_exporter *x)
{
	int rc = 0;
	if (!x->one[0])
		return 0;
	for (size_t i = 0; i < x->g->n_decls && rc == 0; i++)
		if (x->g->decls[i].kind == QK_DECL_NODE &&
		    open_gates(x, i, QK_OPEN_ONE, connect_gate, &rc) < 0)
			rc = qk_fail(x->d, x->g->path, x->g->decls[i].line, "out of memory");
	return rc;
}

/* The Carla ends ("GROUP:PORT") that carry a plot signal: a source, input or node output, or
 * for a graph output whatever feeds it. Writes up to cap ends into out; returns how many. */
static int
signal_ends(qk_exporter *x, const qk_word *w, char out[][512], int cap)
{
	const char *dot = strchr(w->text, '.');
	char name[256];
	snprintf(name, sizeof name, "%.*s", dot ? (int)(dot - w->text) : (int)strlen(w->text),
	         w->text);
	long di = qk_graph_find(x->g, name);
	if (di < 0)
		return qk_fail(x->d, x->g->path, w->line, "--scope: no signal '%s' to watch",
		               w->text);
	const qk_decl *dc = &x->g->decls[di];
	int n = 0;
	if (dc->kind == QK_DECL_OUTPUT) {
		for (size_t k = x->into_start[di]; k < x->into_start[di + 1] && n < cap; k++) {
			const qk_conn *cn = &x->g->conns[x->into[k]];
			qk_conn from = *cn;
			const qk_decl *src = &x->g->decls[cn->from];
			if (x->role[cn->from] == QK_CX_SOURCE ||
			    x->role[cn->from] == QK_CX_AUDIOFILE)
				qk_cx_source_end(x, src, out[n], sizeof out[n]);
			else if (src->kind == QK_DECL_NODE) {
				if (qk_cx_node_end(x, src, from.from_port, 1, w->line, out[n],
				                   sizeof out[n]) != 0)
					return -1;
			} else if (x->channel[cn->from] >= 0)
				snprintf(out[n], sizeof out[n], "Audio Input:%s",
				         x->channel[cn->from] ? "Right" : "Left");
			else
				continue;
			n++;
		}
		return n;
	}
	if (x->role[di] == QK_CX_SOURCE || x->role[di] == QK_CX_AUDIOFILE) {
		qk_cx_source_end(x, dc, out[0], sizeof out[0]);
		return 1;
	}
	if (dc->kind == QK_DECL_NODE)
		return qk_cx_node_end(x, dc, dot ? dot + 1 : NULL, 1, w->line, out[0],
		                      sizeof out[0]) != 0
		               ? -1
		               : 1;
	if (x->channel[di] < 0)
		return 0;
	snprintf(out[0], sizeof out[0], "Audio Input:%s", x->channel[di] ? "Right" : "Left");
	return 1;
}

int
qk_cx_put_scopes(qk_exporter *x, int connections)
{
	if (!x->opts->scope)
		return 0;
	if (x->g->n_plot == 0)
		return qk_fail(x->d, x->g->path, 0,
		               "--scope: the graph has no `plot` line naming the "
		               "signals to watch");
	qk_plugin_info *p = NULL;
	int found = qk_plugins_get(x->plugins, SCOPE_URI, &p);
	if (found > 0)
		return qk_fail(x->d, x->g->path, 0,
		               "--scope: the oscilloscope <%s> is not on LV2_PATH "
		               "(Debian package x42-plugins)",
		               SCOPE_URI);
	const char *pname = found == 0 ? qk_cx_plugin_name(x, p) : NULL;
	if (!pname)
		return qk_fail(x->d, x->g->path, 0, "out of memory");
	for (size_t first = 0; first < x->g->n_plot; first += SCOPE_CHANNELS) {
		char name[64];
		if (first == 0)
			snprintf(name, sizeof name, "scope");
		else
			snprintf(name, sizeof name, "scope_%zu", first / SCOPE_CHANNELS + 1);
		if (qk_graph_find(x->g, name) >= 0)
			return qk_fail(x->d, x->g->path, 0,
			               "--scope: a declaration is named '%s', the name of "
			               "a scope",
			               name);
		if (!connections) {
			put_header(x, pname, "LV2", name, "URI", SCOPE_URI);
			fputs("  </Data>\n </Plugin>\n\n", x->out);
			fprintf(x->notes, "scope '%s' watches", name);
			for (size_t k = first; k < x->g->n_plot && k < first + SCOPE_CHANNELS; k++)
				fprintf(x->notes, " %s", x->g->plot[k].text);
			fputc('\n', x->notes);
			continue;
		}
		for (size_t k = first; k < x->g->n_plot && k < first + SCOPE_CHANNELS; k++) {
			char ends[8][512], to[128];
			int n = signal_ends(x, &x->g->plot[k], ends, 8);
			if (n < 0)
				return -1;
			snprintf(to, sizeof to, "%s:In%zu", name, k - first + 1);
			for (int e = 0; e < n; e++)
				put_connection(x->out, ends[e], to);
		}
	}
	return 0;
}
