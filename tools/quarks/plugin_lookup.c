/* SPDX-License-Identifier: ISC */
#define _POSIX_C_SOURCE 200809L
#include "plugin_lookup.h"

#include "number.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void
qk_world_load(LilvWorld *w)
{
	const char *env = getenv("LV2_PATH");
	char cwd[4096];
	int relative = 0;
	for (const char *e = env; e && *e; e += strcspn(e, ":"), e += *e == ':')
		relative |= *e != '/' && *e != '~' && *e != ':';
	if (relative && getcwd(cwd, sizeof cwd)) {
		/* Each entry grows by at most strlen(cwd) + 1. */
		size_t n = strlen(env) + 1, entries = 1;
		for (const char *e = env; *e; e++)
			entries += *e == ':';
		char *abs = malloc(n + entries * (strlen(cwd) + 1));
		if (abs) {
			char *o = abs;
			for (const char *e = env;;) {
				size_t len = strcspn(e, ":");
				if (len && *e != '/' && *e != '~')
					o += sprintf(o, "%s/", cwd);
				memcpy(o, e, len);
				o += len;
				if (!e[len])
					break;
				*o++ = ':';
				e += len + 1;
			}
			*o = '\0';
			LilvNode *v = lilv_new_string(w, abs);
			if (v)
				lilv_world_set_option(w, LILV_OPTION_LV2_PATH, v);
			lilv_node_free(v);
			free(abs);
		}
	}
	lilv_world_load_all(w);
}

void
qk_uris_init(qk_uris *u, LilvWorld *w)
{
	u->world = w;
	u->audio = lilv_new_uri(w, LILV_URI_AUDIO_PORT);
	u->control = lilv_new_uri(w, LILV_URI_CONTROL_PORT);
	u->input = lilv_new_uri(w, LILV_URI_INPUT_PORT);
	u->output = lilv_new_uri(w, LILV_URI_OUTPUT_PORT);
	u->optional = lilv_new_uri(w, "http://lv2plug.in/ns/lv2core#connectionOptional");
	u->preset = lilv_new_uri(w, "http://lv2plug.in/ns/ext/presets#Preset");
	u->port = lilv_new_uri(w, "http://lv2plug.in/ns/lv2core#port");
	u->symbol = lilv_new_uri(w, "http://lv2plug.in/ns/lv2core#symbol");
	u->value = lilv_new_uri(w, "http://lv2plug.in/ns/ext/presets#value");
	u->label = lilv_new_uri(w, "http://www.w3.org/2000/01/rdf-schema#label");
}

void
qk_uris_free(qk_uris *u)
{
	LilvNode **all[] = {&u->audio,  &u->control, &u->input,  &u->output, &u->optional,
	                    &u->preset, &u->port,    &u->symbol, &u->value,  &u->label};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		lilv_node_free(*all[i]);
		*all[i] = NULL;
	}
}

const LilvPlugin *
qk_find_plugin(const qk_uris *u, const char *name)
{
	char uri[512];
	if (strchr(name, ':'))
		snprintf(uri, sizeof uri, "%s", name);
	else
		snprintf(uri, sizeof uri, "%s%s", QK_BASE_URI, name);
	LilvNode *n = lilv_new_uri(u->world, uri);
	const LilvPlugin *p = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(u->world), n);
	lilv_node_free(n);
	return p;
}

static void
append(char *out, size_t cap, const char *sep, const char *s)
{
	if (out[0])
		strncat(out, sep, cap - strlen(out) - 1);
	strncat(out, s, cap - strlen(out) - 1);
}

void
qk_list_plugins(const qk_uris *u, char *out, size_t cap)
{
	out[0] = '\0';
	const LilvPlugins *all = lilv_world_get_all_plugins(u->world);
	size_t base = strlen(QK_BASE_URI);
	LILV_FOREACH (plugins, i, all) {
		const char *uri = lilv_node_as_uri(lilv_plugin_get_uri(lilv_plugins_get(all, i)));
		if (strncmp(uri, QK_BASE_URI, base) == 0)
			append(out, cap, ", ", uri + base);
	}
	if (!out[0])
		snprintf(out, cap, "none: is the quarks.lv2 bundle on LV2_PATH?");
}

qk_port_kind
qk_port_kind_of(const qk_uris *u, const LilvPlugin *p, const LilvPort *port)
{
	int in = lilv_port_is_a(p, port, u->input), out = lilv_port_is_a(p, port, u->output);
	if (lilv_port_is_a(p, port, u->audio))
		return in ? QK_PORT_AUDIO_IN : out ? QK_PORT_AUDIO_OUT : QK_PORT_OTHER;
	if (lilv_port_is_a(p, port, u->control))
		return in ? QK_PORT_CONTROL_IN : out ? QK_PORT_CONTROL_OUT : QK_PORT_OTHER;
	return QK_PORT_OTHER;
}

int
qk_port_optional(const qk_uris *u, const LilvPlugin *p, const LilvPort *port)
{
	return lilv_port_has_property(p, port, u->optional);
}

const LilvPort *
qk_find_port(const qk_uris *u, const LilvPlugin *p, const char *symbol)
{
	LilvNode *s = lilv_new_string(u->world, symbol);
	const LilvPort *port = lilv_plugin_get_port_by_symbol(p, s);
	lilv_node_free(s);
	return port;
}

void
qk_list_ports(const qk_uris *u, const LilvPlugin *p, qk_port_kind kind, char *out, size_t cap)
{
	out[0] = '\0';
	for (uint32_t i = 0; i < lilv_plugin_get_num_ports(p); i++) {
		const LilvPort *port = lilv_plugin_get_port_by_index(p, i);
		if (qk_port_kind_of(u, p, port) == kind)
			append(out, cap, ", ", lilv_node_as_string(lilv_port_get_symbol(p, port)));
	}
	if (!out[0])
		snprintf(out, cap, "none");
}

/* "Step (0/1)" matches "step": the label up to its first space or '(' is enough. */
static int
label_matches(const char *label, const char *text)
{
	size_t n = strlen(text);
	if (strncasecmp(label, text, n) != 0)
		return 0;
	return label[n] == '\0' || label[n] == ' ' || label[n] == '(';
}

int
qk_control_value(const qk_uris *u, const LilvPlugin *p, const LilvPort *port, const char *text,
                 float *out)
{
	(void)u;
	double v;
	if (qk_parse_number(text, &v) == 0) {
		*out = (float)v;
		return 0;
	}
	LilvScalePoints *points = lilv_port_get_scale_points(p, port);
	int rc = -1;
	LILV_FOREACH (scale_points, i, points) {
		const LilvScalePoint *sp = lilv_scale_points_get(points, i);
		if (rc != 0 &&
		    label_matches(lilv_node_as_string(lilv_scale_point_get_label(sp)), text)) {
			*out = lilv_node_as_float(lilv_scale_point_get_value(sp));
			rc = 0;
		}
	}
	lilv_scale_points_free(points);
	return rc;
}

/* Does preset (already loaded) answer to name? */
static int
preset_matches(const qk_uris *u, const LilvNode *preset, const char *name)
{
	const char *uri = lilv_node_as_uri(preset);
	if (strcmp(uri, name) == 0)
		return 1;
	const char *tail = strrchr(uri, '/');
	const char *hash = strrchr(uri, '#');
	if (hash && (!tail || hash > tail))
		tail = hash;
	if (tail && strcasecmp(tail + 1, name) == 0)
		return 1;
	LilvNode *label = lilv_world_get(u->world, preset, u->label, NULL);
	int ok = label && strcasecmp(lilv_node_as_string(label), name) == 0;
	lilv_node_free(label);
	return ok;
}

int
qk_apply_preset(const qk_uris *u, const LilvPlugin *p, const char *name, float *controls, char *err,
                size_t err_len)
{
	LilvNodes *presets = lilv_plugin_get_related(p, u->preset);
	const LilvNode *found = NULL;
	char names[512] = "";
	LILV_FOREACH (nodes, i, presets) {
		const LilvNode *pr = lilv_nodes_get(presets, i);
		lilv_world_load_resource(u->world, pr);
		const char *uri = lilv_node_as_uri(pr);
		const char *tail = strrchr(uri, '/');
		append(names, sizeof names, ", ", tail ? tail + 1 : uri);
		if (!found && preset_matches(u, pr, name))
			found = pr;
	}
	int rc = 0;
	if (!found) {
		snprintf(err, err_len, "%s has no preset '%s' (presets: %s)",
		         lilv_node_as_uri(lilv_plugin_get_uri(p)), name, names[0] ? names : "none");
		rc = -1;
	} else {
		LilvNodes *ports = lilv_world_find_nodes(u->world, found, u->port, NULL);
		LILV_FOREACH (nodes, i, ports) {
			const LilvNode *pn = lilv_nodes_get(ports, i);
			LilvNode *sym = lilv_world_get(u->world, pn, u->symbol, NULL);
			LilvNode *val = lilv_world_get(u->world, pn, u->value, NULL);
			const LilvPort *port = sym ? lilv_plugin_get_port_by_symbol(p, sym) : NULL;
			if (!port || !val || !(lilv_node_is_float(val) || lilv_node_is_int(val))) {
				snprintf(err, err_len,
				         "preset '%s' sets %s, which is not a control of %s", name,
				         sym ? lilv_node_as_string(sym) : "a port without a symbol",
				         lilv_node_as_uri(lilv_plugin_get_uri(p)));
				rc = -1;
			} else {
				controls[lilv_port_get_index(p, port)] = lilv_node_as_float(val);
			}
			lilv_node_free(sym);
			lilv_node_free(val);
		}
		lilv_nodes_free(ports);
	}
	lilv_nodes_free(presets);
	return rc;
}

/* Scale points of one control port: labels and values, read on the first label. */
struct qk_scale {
	int loaded;
	size_t n;
	char **label;
	float *value;
};

/* One preset: what it sets, or the symbol it names that is no port of the plugin. */
struct qk_preset {
	char *uri;
	char *label; /* rdfs:label, or NULL */
	size_t n;
	uint32_t *port;
	float *value;
	char *bad; /* the first setting that is not a control ("a port without a symbol"), or NULL
	            */
};

struct qk_plugins {
	const qk_uris *u;
	qk_names *by_name; /* the name as a graph writes it -> index into infos */
	char **names;      /* the keys of by_name, owned here */
	size_t n_names;
	qk_plugin_info **infos;
	size_t n_infos;
};

qk_plugins *
qk_plugins_new(const qk_uris *u)
{
	qk_plugins *c = calloc(1, sizeof *c);
	if (c && !(c->by_name = qk_names_new())) {
		free(c);
		return NULL;
	}
	if (c)
		c->u = u;
	return c;
}

static void
free_info(qk_plugin_info *pi)
{
	for (uint32_t i = 0; pi->scale && i < pi->n_ports; i++) {
		for (size_t k = 0; k < pi->scale[i].n; k++)
			free(pi->scale[i].label[k]);
		free(pi->scale[i].label);
		free(pi->scale[i].value);
	}
	for (size_t i = 0; i < pi->n_presets; i++) {
		free(pi->presets[i].uri);
		free(pi->presets[i].label);
		free(pi->presets[i].port);
		free(pi->presets[i].value);
		free(pi->presets[i].bad);
	}
	for (uint32_t i = 0; pi->name && i < pi->n_ports; i++)
		free(pi->name[i]);
	free(pi->scale);
	free(pi->presets);
	free(pi->name);
	qk_names_free(pi->by_name);
	qk_names_free(pi->by_symbol);
	free(pi->kind);
	free(pi->optional);
	free(pi->symbol);
	free(pi->initial);
	free(pi->minimum);
	free(pi->maximum);
	free(pi->def);
	free(pi->feature);
	free(pi);
}

void
qk_plugins_free(qk_plugins *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_infos; i++)
		free_info(c->infos[i]);
	for (size_t i = 0; i < c->n_names; i++)
		free(c->names[i]);
	free(c->infos);
	free(c->names);
	qk_names_free(c->by_name);
	free(c);
}

/* Everything the engine asks of every instance, read once. */
static qk_plugin_info *
read_info(const qk_uris *u, const LilvPlugin *p)
{
	qk_plugin_info *pi = calloc(1, sizeof *pi);
	if (!pi)
		return NULL;
	uint32_t np = lilv_plugin_get_num_ports(p);
	size_t n = np ? np : 1;
	pi->plugin = p;
	pi->uri = lilv_node_as_uri(lilv_plugin_get_uri(p));
	pi->n_ports = np;
	pi->kind = calloc(n, sizeof *pi->kind);
	pi->optional = calloc(n, 1);
	pi->symbol = calloc(n, sizeof *pi->symbol);
	pi->initial = calloc(n, sizeof *pi->initial);
	pi->minimum = calloc(n, sizeof *pi->minimum);
	pi->maximum = calloc(n, sizeof *pi->maximum);
	pi->def = calloc(n, sizeof *pi->def);
	pi->scale = calloc(n, sizeof *pi->scale);
	pi->by_symbol = qk_names_new();
	float *mins = pi->minimum, *defs = pi->def;
	int ok = pi->kind && pi->optional && pi->symbol && pi->initial && pi->minimum &&
	         pi->maximum && pi->def && pi->scale && pi->by_symbol;
	if (ok) {
		lilv_plugin_get_port_ranges_float(p, mins, pi->maximum, defs);
		for (uint32_t i = 0; i < np && ok; i++) {
			const LilvPort *port = lilv_plugin_get_port_by_index(p, i);
			pi->kind[i] = qk_port_kind_of(u, p, port);
			pi->optional[i] = (unsigned char)qk_port_optional(u, p, port);
			pi->symbol[i] = lilv_node_as_string(lilv_port_get_symbol(p, port));
			pi->initial[i] = !isnan(defs[i])   ? defs[i]
			                 : !isnan(mins[i]) ? mins[i]
			                                   : 0.0f;
			ok = qk_names_put(pi->by_symbol, pi->symbol[i], i, NULL) >= 0;
		}
		LilvNodes *req = lilv_plugin_get_required_features(p);
		if (req && lilv_nodes_size(req) > 0) {
			pi->feature = strdup(
			        lilv_node_as_uri(lilv_nodes_get(req, lilv_nodes_begin(req))));
			ok = ok && pi->feature;
		}
		lilv_nodes_free(req);
	}
	if (!ok) {
		free_info(pi);
		return NULL;
	}
	return pi;
}

int
qk_plugins_get(qk_plugins *c, const char *name, qk_plugin_info **out)
{
	size_t i;
	if (qk_names_get(c->by_name, name, &i) == 0) {
		*out = c->infos[i];
		return 0;
	}
	const LilvPlugin *p = qk_find_plugin(c->u, name);
	if (!p)
		return 1;
	/* Two spellings of one plugin (short name and URI) share its information. */
	qk_plugin_info *pi = NULL;
	for (size_t k = 0; k < c->n_infos && !pi; k++)
		if (c->infos[k]->plugin == p)
			pi = c->infos[k], i = k;
	if (!pi) {
		qk_plugin_info **infos = realloc(c->infos, (c->n_infos + 1) * sizeof *infos);
		if (!infos)
			return -1;
		c->infos = infos;
		if (!(pi = read_info(c->u, p)))
			return -1;
		i = c->n_infos;
		c->infos[c->n_infos++] = pi;
	}
	char **names = realloc(c->names, (c->n_names + 1) * sizeof *names);
	if (!names)
		return -1;
	c->names = names;
	if (!(c->names[c->n_names] = strdup(name)))
		return -1;
	if (qk_names_put(c->by_name, c->names[c->n_names], i, NULL) < 0) {
		free(c->names[c->n_names]);
		return -1;
	}
	c->n_names++;
	*out = pi;
	return 0;
}

long
qk_info_port(const qk_plugin_info *pi, const char *symbol)
{
	size_t i;
	return qk_names_get(pi->by_symbol, symbol, &i) == 0 ? (long)i : -1;
}

void
qk_info_list_ports(const qk_plugin_info *pi, qk_port_kind kind, char *out, size_t cap)
{
	out[0] = '\0';
	for (uint32_t i = 0; i < pi->n_ports; i++)
		if (pi->kind[i] == kind)
			append(out, cap, ", ", pi->symbol[i]);
	if (!out[0])
		snprintf(out, cap, "none");
}

static int
load_scale(qk_plugin_info *pi, uint32_t port)
{
	struct qk_scale *sc = &pi->scale[port];
	if (sc->loaded)
		return 0;
	LilvScalePoints *points = lilv_port_get_scale_points(
	        pi->plugin, lilv_plugin_get_port_by_index(pi->plugin, port));
	size_t n = points ? lilv_scale_points_size(points) : 0;
	sc->label = calloc(n ? n : 1, sizeof *sc->label);
	sc->value = calloc(n ? n : 1, sizeof *sc->value);
	int rc = sc->label && sc->value ? 0 : -1;
	LILV_FOREACH (scale_points, i, points) {
		if (rc != 0)
			break;
		const LilvScalePoint *sp = lilv_scale_points_get(points, i);
		if (!(sc->label[sc->n] =
		              strdup(lilv_node_as_string(lilv_scale_point_get_label(sp)))))
			rc = -1;
		else
			sc->value[sc->n++] = lilv_node_as_float(lilv_scale_point_get_value(sp));
	}
	lilv_scale_points_free(points);
	/* lilv's order of scale points changes from run to run; messages list them by value. */
	for (size_t i = 1; rc == 0 && i < sc->n; i++)
		for (size_t k = i; k > 0 && sc->value[k - 1] > sc->value[k]; k--) {
			float v = sc->value[k];
			char *l = sc->label[k];
			sc->value[k] = sc->value[k - 1];
			sc->label[k] = sc->label[k - 1];
			sc->value[k - 1] = v;
			sc->label[k - 1] = l;
		}
	sc->loaded = rc == 0;
	return rc;
}

int
qk_info_control_value(qk_plugins *c, qk_plugin_info *pi, uint32_t port, const char *text,
                      float *out)
{
	(void)c;
	double v;
	if (qk_parse_number(text, &v) == 0) {
		*out = (float)v;
		return 0;
	}
	if (load_scale(pi, port) != 0)
		return -2;
	const struct qk_scale *sc = &pi->scale[port];
	for (size_t i = 0; i < sc->n; i++)
		if (label_matches(sc->label[i], text)) {
			*out = sc->value[i];
			return 0;
		}
	return -1;
}

void
qk_info_list_labels(qk_plugins *c, qk_plugin_info *pi, uint32_t port, char *out, size_t cap)
{
	(void)c;
	out[0] = '\0';
	if (load_scale(pi, port) != 0)
		return;
	for (size_t i = 0; i < pi->scale[port].n; i++) {
		const char *l = pi->scale[port].label[i];
		char word[128];
		snprintf(word, sizeof word, "%.*s", (int)strcspn(l, " ("), l);
		append(out, cap, ", ", word);
	}
}

/* Every preset of the plugin, with what it sets, read on the first preset= of a graph. */
static int
load_presets(const qk_uris *u, qk_plugin_info *pi)
{
	if (pi->presets_loaded)
		return 0;
	LilvNodes *presets = lilv_plugin_get_related(pi->plugin, u->preset);
	size_t n = presets ? lilv_nodes_size(presets) : 0;
	pi->presets = calloc(n ? n : 1, sizeof *pi->presets);
	int rc = pi->presets ? 0 : -1;
	LILV_FOREACH (nodes, i, presets) {
		if (rc != 0)
			break;
		const LilvNode *pr = lilv_nodes_get(presets, i);
		lilv_world_load_resource(u->world, pr);
		struct qk_preset *ps = &pi->presets[pi->n_presets++];
		ps->uri = strdup(lilv_node_as_uri(pr));
		LilvNode *label = lilv_world_get(u->world, pr, u->label, NULL);
		if (label)
			ps->label = strdup(lilv_node_as_string(label));
		lilv_node_free(label);
		LilvNodes *ports = lilv_world_find_nodes(u->world, pr, u->port, NULL);
		size_t np = ports ? lilv_nodes_size(ports) : 0;
		ps->port = calloc(np ? np : 1, sizeof *ps->port);
		ps->value = calloc(np ? np : 1, sizeof *ps->value);
		if (!ps->uri || !ps->port || !ps->value)
			rc = -1;
		LILV_FOREACH (nodes, k, ports) {
			if (rc != 0)
				break;
			const LilvNode *pn = lilv_nodes_get(ports, k);
			LilvNode *sym = lilv_world_get(u->world, pn, u->symbol, NULL);
			LilvNode *val = lilv_world_get(u->world, pn, u->value, NULL);
			long at = sym ? qk_info_port(pi, lilv_node_as_string(sym)) : -1;
			if (at < 0 || !val || !(lilv_node_is_float(val) || lilv_node_is_int(val))) {
				if (!ps->bad &&
				    !(ps->bad = strdup(sym ? lilv_node_as_string(sym)
				                           : "a port without a symbol")))
					rc = -1;
			} else {
				ps->port[ps->n] = (uint32_t)at;
				ps->value[ps->n++] = lilv_node_as_float(val);
			}
			lilv_node_free(sym);
			lilv_node_free(val);
		}
		lilv_nodes_free(ports);
	}
	lilv_nodes_free(presets);
	pi->presets_loaded = rc == 0;
	return rc;
}

/* Does preset ps answer to name: its URI, the URI's last segment or its label? */
static int
cached_preset_matches(const struct qk_preset *ps, const char *name)
{
	if (strcmp(ps->uri, name) == 0)
		return 1;
	const char *tail = strrchr(ps->uri, '/');
	const char *hash = strrchr(ps->uri, '#');
	if (hash && (!tail || hash > tail))
		tail = hash;
	if (tail && strcasecmp(tail + 1, name) == 0)
		return 1;
	return ps->label && strcasecmp(ps->label, name) == 0;
}

int
qk_info_apply_preset(qk_plugins *c, qk_plugin_info *pi, const char *name, float *controls,
                     char *err, size_t err_len)
{
	if (load_presets(c->u, pi) != 0) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	const struct qk_preset *found = NULL;
	char names[512] = "";
	for (size_t i = 0; i < pi->n_presets; i++) {
		const char *tail = strrchr(pi->presets[i].uri, '/');
		append(names, sizeof names, ", ", tail ? tail + 1 : pi->presets[i].uri);
		if (!found && cached_preset_matches(&pi->presets[i], name))
			found = &pi->presets[i];
	}
	if (!found) {
		snprintf(err, err_len, "%s has no preset '%s' (presets: %s)", pi->uri, name,
		         names[0] ? names : "none");
		return -1;
	}
	for (size_t i = 0; i < found->n; i++)
		controls[found->port[i]] = found->value[i];
	if (found->bad) {
		snprintf(err, err_len, "preset '%s' sets %s, which is not a control of %s", name,
		         found->bad, pi->uri);
		return -1;
	}
	return 0;
}

static int
load_names(qk_plugin_info *pi)
{
	if (pi->names_loaded)
		return 0;
	pi->name = calloc(pi->n_ports ? pi->n_ports : 1, sizeof *pi->name);
	pi->by_name = qk_names_new();
	int rc = pi->name && pi->by_name ? 0 : -1;
	for (uint32_t i = 0; i < pi->n_ports && rc == 0; i++) {
		LilvNode *n = lilv_port_get_name(pi->plugin,
		                                 lilv_plugin_get_port_by_index(pi->plugin, i));
		if (n && !(pi->name[i] = strdup(lilv_node_as_string(n))))
			rc = -1;
		lilv_node_free(n);
		/* The first port of each name, as a search in port order finds it. */
		if (rc == 0 && pi->name[i] && qk_names_put(pi->by_name, pi->name[i], i, NULL) < 0)
			rc = -1;
	}
	pi->names_loaded = rc == 0;
	return rc;
}

long
qk_info_port_by_name(qk_plugins *c, qk_plugin_info *pi, const char *name)
{
	(void)c;
	if (load_names(pi) != 0)
		return -2;
	size_t i;
	return qk_names_get(pi->by_name, name, &i) == 0 ? (long)i : -1;
}

const char *
qk_info_port_name(qk_plugins *c, qk_plugin_info *pi, uint32_t port)
{
	(void)c;
	return load_names(pi) == 0 ? pi->name[port] : NULL;
}
