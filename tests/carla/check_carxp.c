/* SPDX-License-Identifier: ISC */
/* Checks an exported Carla project against its graph, independently of the exporter's code:
 * XML by libxml2, port names straight from the plugins' TTL through lilv, control values from
 * the render engine built from the graph, source settings from the graph's source parser and
 * converted back as the source plugins convert them (dsp/decimal.h), open gates from the
 * plugins' port tables. Every source must be an instance of its source plugin (a file: Carla's
 * audio file player), every gate the graph leaves open fed by the constant 1 "one", and with
 * scopes every plotted signal wired into one.
 *   check_carxp --shape FILE.carxp        only the file's shape (run on Carla's own file too)
 *   check_carxp GRAPH FILE.carxp          shape, then every node, parameter and connection
 * Prints each problem; exit 0 if there is none. */
#define _POSIX_C_SOURCE 200809L
#include "base_uri.h"
#include "decimal.h"
#include "engine.h"
#include "graph.h"
#include "open_inputs.h"
#include "source_spec.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <lilv/lilv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE QK_TEST_BASE_URI

typedef struct {
	int errors;
	LilvWorld *world;
	LilvNode *control, *audio, *input, *output;
} checker;

static void
problem(checker *c, const char *fmt, const char *a, const char *b)
{
	printf("FAIL: ");
	printf(fmt, a, b);
	printf("\n");
	c->errors++;
}

static int
is_elem(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *
child(const xmlNode *n, const char *name)
{
	for (const xmlNode *k = n->children; k; k = k->next)
		if (is_elem(k, name))
			return k;
	return NULL;
}

/* Text of a child element (static buffer per call site is avoided: caller's buffer). */
static const char *
text(const xmlNode *n, const char *name, char *buf, size_t cap)
{
	const xmlNode *k = child(n, name);
	xmlChar *t = k ? xmlNodeGetContent(k) : NULL;
	snprintf(buf, cap, "%s", t ? (const char *)t : "");
	xmlFree(t);
	return k ? buf : NULL;
}

/* The order of the top-level elements and a comment before each plugin, as Carla writes. */
static void
check_shape(checker *c, xmlDoc *doc)
{
	const xmlNode *root = xmlDocGetRootElement(doc);
	if (!doc->intSubset || strcmp((const char *)doc->intSubset->name, "CARLA-PROJECT") != 0)
		problem(c, "no <!DOCTYPE CARLA-PROJECT>%s%s", "", "");
	if (!is_elem(root, "CARLA-PROJECT")) {
		problem(c, "root element is not CARLA-PROJECT%s%s", "", "");
		return;
	}
	xmlChar *v = xmlGetProp(root, (const xmlChar *)"VERSION");
	if (!v || strcmp((const char *)v, "2.6") != 0)
		problem(c, "VERSION is '%s', not 2.6%s", v ? (const char *)v : "", "");
	xmlFree(v);
	static const char *const order[] = {"EngineSettings", "Transport", "Plugin", "Patchbay",
	                                    "ExternalPatchbay"};
	size_t at = 0;
	int comment_before = 0;
	for (const xmlNode *k = root->children; k; k = k->next) {
		if (k->type == XML_COMMENT_NODE)
			comment_before = 1;
		if (k->type != XML_ELEMENT_NODE)
			continue;
		while (at < 5 && strcmp((const char *)k->name, order[at]) != 0)
			at++;
		if (at == 5) {
			problem(c, "element <%s> out of Carla's order%s", (const char *)k->name,
			        "");
			return;
		}
		if (at == 2) {
			if (!comment_before)
				problem(c, "no comment (the plugin's name) before a <Plugin>%s%s",
				        "", "");
			const xmlNode *info = child(k, "Info"), *data = child(k, "Data");
			char b[512];
			if (!info || !data || !text(info, "Type", b, sizeof b) ||
			    !text(info, "Name", b, sizeof b) ||
			    (!text(info, "URI", b, sizeof b) &&
			     !text(info, "Label", b, sizeof b)) ||
			    !text(data, "Active", b, sizeof b))
				problem(c,
				        "a <Plugin> without Info/Type, Name, URI (or Label) or "
				        "Data/Active%s%s",
				        "", "");
		}
		comment_before = 0;
	}
	if (at < 4)
		problem(c, "no <Patchbay> and <ExternalPatchbay>%s%s", "", "");
}

static const LilvPlugin *
plugin_of(checker *c, const char *type)
{
	char uri[512];
	snprintf(uri, sizeof uri, "%s%s", strchr(type, ':') ? "" : BASE, type);
	LilvNode *n = lilv_new_uri(c->world, uri);
	const LilvPlugin *p = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(c->world), n);
	lilv_node_free(n);
	return p;
}

/* lv2:name of the port with this symbol (or the one audio output when sym is NULL). */
static int
port_name(checker *c, const LilvPlugin *p, const char *sym, char *out, size_t cap)
{
	const LilvPort *port = NULL;
	if (sym) {
		LilvNode *s = lilv_new_string(c->world, sym);
		port = lilv_plugin_get_port_by_symbol(p, s);
		lilv_node_free(s);
	} else {
		for (uint32_t i = 0; i < lilv_plugin_get_num_ports(p); i++) {
			const LilvPort *q = lilv_plugin_get_port_by_index(p, i);
			if (lilv_port_is_a(p, q, c->audio) && lilv_port_is_a(p, q, c->output))
				port = q;
		}
	}
	LilvNode *n = port ? lilv_port_get_name(p, port) : NULL;
	if (!n)
		return -1;
	snprintf(out, cap, "%s", lilv_node_as_string(n));
	lilv_node_free(n);
	return 0;
}

static const xmlNode *
find_plugin(const xmlNode *root, const char *name)
{
	char b[512];
	for (const xmlNode *k = root->children; k; k = k->next)
		if (is_elem(k, "Plugin") && child(k, "Info") &&
		    text(child(k, "Info"), "Name", b, sizeof b) && strcmp(b, name) == 0)
			return k;
	return NULL;
}

static void
check_node(checker *c, const qk_decl *dc, const xmlNode *pl, qk_engine *e)
{
	char b[512], uri[512];
	const LilvPlugin *p = plugin_of(c, dc->type);
	text(child(pl, "Info"), "URI", uri, sizeof uri);
	if (!p || strcmp(uri, lilv_node_as_uri(lilv_plugin_get_uri(p))) != 0)
		problem(c, "'%s': URI %s is not the graph's plugin", dc->name, uri);
	if (!p)
		return;
	int index = 0;
	for (uint32_t i = 0; i < lilv_plugin_get_num_ports(p); i++) {
		const LilvPort *q = lilv_plugin_get_port_by_index(p, i);
		if (!lilv_port_is_a(p, q, c->control) || !lilv_port_is_a(p, q, c->input))
			continue;
		const char *sym = lilv_node_as_string(lilv_port_get_symbol(p, q));
		char key[512], want_name[256];
		snprintf(key, sizeof key, "%s.%s", dc->name, sym);
		qk_diag d;
		const float *want = qk_engine_control(e, key, &d);
		port_name(c, p, sym, want_name, sizeof want_name);
		int found = 0;
		for (const xmlNode *k = child(pl, "Data")->children; k; k = k->next) {
			if (!is_elem(k, "Parameter") || !text(k, "Symbol", b, sizeof b) ||
			    strcmp(b, sym) != 0)
				continue;
			found++;
			char v[64], nm[256], ix[32];
			text(k, "Value", v, sizeof v);
			text(k, "Name", nm, sizeof nm);
			text(k, "Index", ix, sizeof ix);
			if (!want || strtof(v, NULL) != *want)
				problem(c, "%s: value %s is not the graph's", key, v);
			if (strcmp(nm, want_name) != 0)
				problem(c, "%s: <Name> '%s' is not the port's lv2:name", key, nm);
			if (atoi(ix) != index)
				problem(c, "%s: <Index> %s is not the parameter's place", key, ix);
		}
		if (found != 1)
			problem(c, "%s: written %s times, not once", key,
			        found ? "several" : "zero");
		index++;
	}
}

/* What a declaration must be in the project: a source plugin, Carla's audio file player, a
 * system port (channel), or nothing. */
static int
is_file_source(const qk_decl *dc)
{
	return (dc->kind == QK_DECL_SOURCE || dc->kind == QK_DECL_INPUT) && dc->type &&
	       strcmp(dc->type, "file") == 0;
}

static int
is_plugin_source(const qk_decl *dc)
{
	return (dc->kind == QK_DECL_SOURCE || dc->kind == QK_DECL_INPUT) && dc->type &&
	       strcmp(dc->type, "file") != 0;
}

static int
setting_int(const qk_decl *dc, const char *key, int fallback)
{
	for (size_t i = 0; i < dc->n_settings; i++)
		if (strcmp(dc->settings[i].key, key) == 0)
			return atoi(dc->settings[i].value);
	return fallback;
}

/* GROUP:PORT of one end of connection k, derived from the graph and the TTL. */
static int
expect_end(checker *c, const qk_graph *g, const int *channel, size_t di, const char *port, int from,
           char *out, size_t cap)
{
	const qk_decl *dc = &g->decls[di];
	if (is_file_source(dc)) {
		snprintf(out, cap, "%s:output_%d", dc->name, setting_int(dc, "channel", 1));
		return 0;
	}
	if (is_plugin_source(dc)) {
		snprintf(out, cap, "%s:Output", dc->name);
		return 0;
	}
	if (dc->kind != QK_DECL_NODE) {
		if (channel[di] < 0)
			return 1;
		snprintf(out, cap, "Audio %s:%s", from ? "Input" : "Output",
		         channel[di] ? "Right" : "Left");
		return 0;
	}
	char name[256];
	const LilvPlugin *p = plugin_of(c, dc->type);
	if (!p || port_name(c, p, port, name, sizeof name) != 0)
		return -1;
	snprintf(out, cap, "%s:%s", dc->name, name);
	return 0;
}

/* A parameter by symbol in a <Plugin>; NULL if absent. Checks it is there once. */
static const xmlNode *
parameter(checker *c, const xmlNode *pl, const char *who, const char *sym)
{
	char b[256];
	const xmlNode *found = NULL;
	int n = 0;
	for (const xmlNode *k = child(pl, "Data")->children; k; k = k->next)
		if (is_elem(k, "Parameter") && text(k, "Symbol", b, sizeof b) &&
		    strcmp(b, sym) == 0)
			found = k, n++;
	if (n != 1)
		problem(c, "%s: parameter '%s' not written exactly once", who, sym);
	return found;
}

/* A setting a source plugin must read back: unit 1 a period (seconds at the plugin, samples
 * in the graph), 2 a frequency (Hz, cycles per sample), 0 as it is. */
typedef struct {
	const char *sym;
	double want;
	int unit;
} want_setting;

/* A source plugin instance: its URI, and every setting as the plugin will read it (the float
 * of <Value>, back to its decimal, times or over the rate) equal to the graph's value. */
static void
check_source(checker *c, const qk_graph *g, const qk_decl *dc, const xmlNode *pl, double rate)
{
	char uri[512], want[512], b[64];
	text(child(pl, "Info"), "URI", uri, sizeof uri);
	snprintf(want, sizeof want, "%s%s", BASE,
	         strcmp(dc->type, "square") == 0 ? "pulse" : dc->type);
	if (strcmp(uri, want) != 0) {
		problem(c, "source '%s' is <%s>, not its source plugin", dc->name, uri);
		return;
	}
	qk_source_spec spec;
	qk_diag d;
	if (qk_source_spec_parse(g, dc, rate, &spec, &d) != 0) {
		problem(c, "%s%s", d.msg, "");
		return;
	}
	const qk_source *s = &spec.source;
	want_setting set[6];
	int n = 0;
	switch (s->kind) {
	case QK_SRC_CONSTANT: set[n++] = (want_setting){"value", s->value, 0}; break;
	case QK_SRC_PULSE:
		set[n++] = (want_setting){"period", s->period, 1};
		set[n++] = (want_setting){"duty", s->duty, 0};
		set[n++] = (want_setting){"phase", s->phase, 0};
		set[n++] = (want_setting){"low", s->low, 0};
		set[n++] = (want_setting){"high", s->high, 0};
		break;
	case QK_SRC_RAMP:
		set[n++] = (want_setting){"period", s->period, 1};
		set[n++] = (want_setting){"from", s->from, 0};
		set[n++] = (want_setting){"to", s->to, 0};
		set[n++] = (want_setting){"phase", s->phase, 0};
		break;
	case QK_SRC_SINE:
		set[n++] = (want_setting){"freq", s->freq, 2};
		set[n++] = (want_setting){"amp", s->amp, 0};
		set[n++] = (want_setting){"offset", s->offset, 0};
		set[n++] = (want_setting){"phase", s->phase, 0};
		break;
	case QK_SRC_NOISE:
		set[n++] = (want_setting){"seed", (double)s->seed, 0};
		set[n++] = (want_setting){"amp", s->amp, 0};
		set[n++] = (want_setting){"offset", s->offset, 0};
		break;
	}
	for (int i = 0; i < n; i++) {
		const xmlNode *par = parameter(c, pl, dc->name, set[i].sym);
		if (!par)
			continue;
		text(par, "Value", b, sizeof b);
		double got = qk_decimal(strtof(b, NULL));
		got = set[i].unit == 1 ? got * rate : set[i].unit == 2 ? got / rate : got;
		if (got != set[i].want)
			problem(c, "source '%s': %s reads back as another value than the graph's",
			        dc->name, set[i].sym);
	}
	free(spec.path);
}

static void
check_file_source(checker *c, const qk_decl *dc, const xmlNode *pl)
{
	char b[1024];
	const char *path = "";
	for (size_t i = 0; i < dc->n_settings; i++)
		if (strcmp(dc->settings[i].key, "path") == 0)
			path = dc->settings[i].value;
	const xmlNode *info = child(pl, "Info"), *cd = child(child(pl, "Data"), "CustomData");
	if (!text(info, "Type", b, sizeof b) || strcmp(b, "INTERNAL") != 0 ||
	    !text(info, "Label", b, sizeof b) || strcmp(b, "audiofile") != 0)
		problem(c, "file source '%s' is not Carla's audio file player%s", dc->name, "");
	if (!cd || !text(cd, "Value", b, sizeof b) || strcmp(b, path) != 0)
		problem(c, "file source '%s' does not play '%s'", dc->name, path);
}

static int
count_connection(const xmlNode *pb, const char *from, const char *to)
{
	char b1[512], b2[512];
	int found = 0;
	for (const xmlNode *k = pb ? pb->children : NULL; k; k = k->next)
		found += is_elem(k, "Connection") && text(k, "Source", b1, sizeof b1) &&
		         text(k, "Target", b2, sizeof b2) && !strcmp(b1, from) && !strcmp(b2, to);
	return found;
}

/* Every open gate of every node is fed by "one", a constant 1. Returns the connections. */
static size_t
check_open_gates(checker *c, const qk_graph *g, const xmlNode *root, const xmlNode *pb,
                 size_t *n_plugins)
{
	size_t n = 0;
	for (size_t i = 0; i < g->n_decls; i++) {
		const qk_decl *dc = &g->decls[i];
		const LilvPlugin *p = dc->kind == QK_DECL_NODE ? plugin_of(c, dc->type) : NULL;
		for (uint32_t k = 0; p && k < lilv_plugin_get_num_ports(p); k++) {
			const LilvPort *q = lilv_plugin_get_port_by_index(p, k);
			const char *sym = lilv_node_as_string(lilv_port_get_symbol(p, q));
			if (!lilv_port_is_a(p, q, c->audio) || !lilv_port_is_a(p, q, c->input) ||
			    qk_open_input_of(lilv_node_as_uri(lilv_plugin_get_uri(p)), sym) !=
			            QK_OPEN_ONE)
				continue;
			int fed = 0;
			for (size_t m = 0; m < g->n_conns; m++)
				fed |= g->conns[m].to == i && g->conns[m].to_port &&
				       !strcmp(g->conns[m].to_port, sym);
			if (fed)
				continue;
			char to[512], name[256];
			port_name(c, p, sym, name, sizeof name);
			snprintf(to, sizeof to, "%s:%s", dc->name, name);
			if (count_connection(pb, "one:Output", to) != 1)
				problem(c, "open gate %s is not fed by the constant 1 'one'%s", to,
				        "");
			n++;
		}
	}
	if (n) {
		const xmlNode *one = find_plugin(root, "one");
		char uri[512], v[64];
		const xmlNode *par = one ? parameter(c, one, "one", "value") : NULL;
		if (!one || !text(child(one, "Info"), "URI", uri, sizeof uri) ||
		    strcmp(uri, BASE "constant") != 0 || !par || !text(par, "Value", v, sizeof v) ||
		    strtof(v, NULL) != 1.0f)
			problem(c, "no constant 1 named 'one'%s%s", "", "");
		(*n_plugins)++;
	}
	return n;
}

/* With scopes: each plotted signal wired into In1..In4 of scope, scope_2, ... */
static size_t
check_scopes(checker *c, const qk_graph *g, const int *channel, const xmlNode *root,
             const xmlNode *pb, size_t *n_plugins)
{
	if (!find_plugin(root, "scope"))
		return 0;
	size_t n = 0;
	for (size_t k = 0; k < g->n_plot; k++) {
		char scope[64], to[128], from[512];
		snprintf(scope, sizeof scope, k < 4 ? "scope" : "scope_%zu", k / 4 + 1);
		snprintf(to, sizeof to, "%s:In%zu", scope, k % 4 + 1);
		if (k % 4 == 0) {
			if (!find_plugin(root, scope))
				problem(c, "no scope '%s' for the plotted signal %s", scope,
				        g->plot[k].text);
			(*n_plugins)++;
		}
		const char *dot = strchr(g->plot[k].text, '.');
		char name[256];
		snprintf(name, sizeof name, "%.*s",
		         dot ? (int)(dot - g->plot[k].text) : (int)strlen(g->plot[k].text),
		         g->plot[k].text);
		long di = qk_graph_find(g, name);
		if (di < 0) {
			problem(c, "plotted signal %s is not in the graph%s", g->plot[k].text, "");
			continue;
		}
		/* A graph output: whatever feeds it; anything else: the signal itself. */
		for (size_t m = 0; m < (g->decls[di].kind == QK_DECL_OUTPUT ? g->n_conns : 1);
		     m++) {
			const qk_conn *cn =
			        g->decls[di].kind == QK_DECL_OUTPUT ? &g->conns[m] : NULL;
			if (cn && cn->to != (size_t)di)
				continue;
			int r = cn ? expect_end(c, g, channel, cn->from, cn->from_port, 1, from,
			                        sizeof from)
			           : expect_end(c, g, channel, (size_t)di, dot ? dot + 1 : NULL, 1,
			                        from, sizeof from);
			if (r != 0)
				continue;
			if (count_connection(pb, from, to) != 1)
				problem(c, "plotted signal %s is not wired into %s", from, to);
			n++;
		}
	}
	return n;
}

static void
check_graph(checker *c, const char *graph_path, xmlDoc *doc)
{
	qk_graph g;
	qk_diag d;
	qk_engine *e = NULL;
	qk_engine_config cfg = {.rate = 48000, .max_block = 1, .external_inputs = 1};
	if (qk_graph_load(graph_path, &g, &d) != 0 || qk_engine_new(&g, &cfg, &e, &d) != 0) {
		problem(c, "%s%s", d.msg, "");
		return;
	}
	double rate = g.rate.text ? strtod(g.rate.text, NULL) : 48000.0;
	const xmlNode *root = xmlDocGetRootElement(doc);
	int *channel = calloc(g.n_decls + 1, sizeof *channel);
	int ins = 0, outs = 0;
	size_t n_expected_plugins = 0, n_plugins = 0, n_expected = 0, n_conns = 0;
	for (size_t i = 0; i < g.n_decls; i++) {
		const qk_decl *dc = &g.decls[i];
		int system = dc->kind == QK_DECL_OUTPUT || (dc->kind == QK_DECL_INPUT && !dc->type);
		int *next = dc->kind == QK_DECL_OUTPUT ? &outs : &ins;
		channel[i] = system && *next < 2 ? (*next)++ : -1;
		if (system)
			continue;
		n_expected_plugins++;
		const xmlNode *pl = find_plugin(root, dc->name);
		if (!pl)
			problem(c, "'%s' has no <Plugin>%s", dc->name, "");
		else if (dc->kind == QK_DECL_NODE)
			check_node(c, dc, pl, e);
		else if (is_file_source(dc))
			check_file_source(c, dc, pl);
		else
			check_source(c, &g, dc, pl, rate);
	}
	for (const xmlNode *k = root->children; k; k = k->next)
		n_plugins += is_elem(k, "Plugin");
	const xmlNode *pb = child(root, "Patchbay");
	for (const xmlNode *k = pb ? pb->children : NULL; k; k = k->next)
		n_conns += is_elem(k, "Connection");
	for (size_t i = 0; i < g.n_conns; i++) {
		const qk_conn *cn = &g.conns[i];
		char from[512], to[512];
		int a = expect_end(c, &g, channel, cn->from, cn->from_port, 1, from, sizeof from);
		int b = expect_end(c, &g, channel, cn->to, cn->to_port, 0, to, sizeof to);
		if (a < 0 || b < 0) {
			problem(c, "a connection of the graph names a port without lv2:name%s%s",
			        "", "");
			continue;
		}
		if (a || b)
			continue;
		n_expected++;
		if (count_connection(pb, from, to) != 1)
			problem(c, "connection %s -> %s missing or repeated", from, to);
	}
	n_expected += check_open_gates(c, &g, root, pb, &n_expected_plugins);
	n_expected += check_scopes(c, &g, channel, root, pb, &n_expected_plugins);
	if (n_plugins != n_expected_plugins)
		problem(c, "%s plugins than the graph's nodes, sources, constant and scopes%s",
		        n_plugins > n_expected_plugins ? "more" : "fewer", "");
	if (n_conns != n_expected)
		problem(c, "the file has %s connections than the graph%s",
		        n_conns > n_expected ? "more" : "fewer", "");
	printf("checked %zu plugins and %zu connections\n", n_plugins, n_conns);
	free(channel);
	qk_engine_free(e);
	qk_graph_free(&g);
}

int
main(int argc, char **argv)
{
	int shape_only = argc == 3 && strcmp(argv[1], "--shape") == 0;
	if (argc != 3) {
		fprintf(stderr,
		        "usage: check_carxp --shape FILE.carxp | check_carxp GRAPH FILE.carxp\n");
		return 2;
	}
	xmlDoc *doc = xmlReadFile(argv[2], NULL, XML_PARSE_NONET);
	if (!doc) {
		printf("FAIL: %s is not well-formed XML\n", argv[2]);
		return 1;
	}
	checker c = {0};
	check_shape(&c, doc);
	if (!shape_only) {
		c.world = lilv_world_new();
		lilv_world_load_all(c.world);
		c.control = lilv_new_uri(c.world, LILV_URI_CONTROL_PORT);
		c.audio = lilv_new_uri(c.world, LILV_URI_AUDIO_PORT);
		c.input = lilv_new_uri(c.world, LILV_URI_INPUT_PORT);
		c.output = lilv_new_uri(c.world, LILV_URI_OUTPUT_PORT);
		check_graph(&c, argv[1], doc);
		lilv_node_free(c.control);
		lilv_node_free(c.audio);
		lilv_node_free(c.input);
		lilv_node_free(c.output);
		lilv_world_free(c.world);
	}
	xmlFreeDoc(doc);
	printf("%s: %d problem(s)\n", argv[2], c.errors);
	return c.errors != 0;
}
