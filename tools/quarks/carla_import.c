/* SPDX-License-Identifier: ISC */
/* The importer: libxml2 reads the XML (no network, no entity expansion), lilv the plugins'
 * port names. The graph it builds is what the parser would build from the equivalent text. */
#define _POSIX_C_SOURCE 200809L
#include "carla_import.h"

#include "carla_audiofile.h"
#include "carla_ports.h"
#include "carla_settings.h"
#include "number.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
	const char *path;
	qk_graph *g;
	qk_diag *d;
	LilvWorld
	        *world; /* loaded at the first <Plugin>: a project that is not one costs no lilv */
	qk_uris u;
	qk_plugins *plugins; /* ports and their lv2:names, read once per plugin */
	size_t cap_decls, cap_conns;
	FILE *notes;     /* becomes g->notes */
	char **monitors; /* instances left out: the renderer cannot host them and they only watch */
	size_t n_monitors;
	int force_stereo;          /* <EngineSettings><ForceStereo>true */
	qk_carla_audiofile *files; /* Carla's audio file players: sources once connected from */
	size_t n_files;
	/* Names of monitors and file players -> indices, so that a connection's end is found in
	 * constant time however many there are. */
	qk_names *monitor_index, *file_index;
} importer;
static int
load_world(importer *im, int line)
{
	if (im->plugins)
		return 0;
	if (!im->world && !(im->world = lilv_world_new()))
		return qk_fail(im->d, im->path, line, "out of memory");
	if (!im->u.world) {
		qk_world_load(im->world);
		qk_uris_init(&im->u, im->world);
	}
	if (!(im->plugins = qk_plugins_new(&im->u)))
		return qk_fail(im->d, im->path, line, "out of memory");
	return 0;
}

int
qk_is_carla_path(const char *path)
{
	size_t n = strlen(path);
	return n >= 6 && strcmp(path + n - 6, ".carxp") == 0;
}

static int
line_of(const xmlNode *n)
{
	return (int)xmlGetLineNo(n);
}

static int
is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *
child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (is_elem(c, name))
			return c;
	return NULL;
}

/* The trimmed text of child `name`, malloc'd; NULL if there is no such child. */
static char *
child_text(const xmlNode *n, const char *name)
{
	const xmlNode *c = child(n, name);
	if (!c)
		return NULL;
	xmlChar *t = xmlNodeGetContent(c);
	const char *s = t ? (const char *)t : "";
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
	               s[len - 1] == '\r'))
		len--;
	char *out = strndup(s, len);
	xmlFree(t);
	return out;
}

static long
add_decl(importer *im, qk_decl_kind kind, char *name, char *type, int line)
{
	qk_graph *g = im->g;
	if (g->n_decls == im->cap_decls) {
		size_t cap = im->cap_decls ? im->cap_decls * 2 : 16;
		qk_decl *nd = realloc(g->decls, cap * sizeof *nd);
		if (!nd) {
			free(name);
			free(type);
			return qk_fail(im->d, im->path, line, "out of memory");
		}
		g->decls = nd;
		im->cap_decls = cap;
	}
	qk_decl *dc = &g->decls[g->n_decls];
	memset(dc, 0, sizeof *dc);
	dc->kind = kind;
	dc->name = name;
	dc->type = type;
	dc->line = line;
	g->n_decls++;
	if (qk_graph_index_name(g, g->n_decls - 1, NULL) < 0)
		return qk_fail(im->d, im->path, line, "out of memory");
	return (long)g->n_decls - 1;
}

static int
add_setting(importer *im, qk_decl *dc, char *key, char *value, int line)
{
	qk_setting *s = realloc(dc->settings, (dc->n_settings + 1) * sizeof *s);
	if (!s || !key || !value) {
		if (s)
			dc->settings = s;
		free(key);
		free(value);
		return qk_fail(im->d, im->path, line, "out of memory");
	}
	dc->settings = s;
	s[dc->n_settings++] = (qk_setting){key, value, line};
	return 0;
}

/* The symbol of the control input that Carla numbers `index` (control inputs in port order). */
static char *
symbol_of_index(const qk_plugin_info *pi, long index)
{
	long k = 0;
	for (uint32_t i = 0; i < pi->n_ports; i++)
		if (pi->kind[i] == QK_PORT_CONTROL_IN && k++ == index)
			return strdup(pi->symbol[i]);
	return NULL;
}

static int
read_parameter(importer *im, const qk_plugin_info *p, qk_decl *dc, const xmlNode *par)
{
	int line = line_of(par);
	char *sym = child_text(par, "Symbol");
	char *value = child_text(par, "Value");
	char *index = child_text(par, "Index");
	double v, ix;
	int rc = 0;
	if (!value || qk_parse_number(value, &v) != 0)
		rc = qk_fail(im->d, im->path, line, "parameter without a numeric <Value>%s%s",
		             value ? ": " : "", value ? value : "");
	else if ((!sym || !*sym) &&
	         (!index || qk_parse_number(index, &ix) != 0 || !(ix >= 0 && ix <= 4294967295.0) ||
	          ix != (double)(uint32_t)ix))
		rc = qk_fail(im->d, im->path, line,
		             "parameter without a <Symbol> or a valid <Index>");
	else if (!sym || !*sym) {
		free(sym);
		if (!(sym = symbol_of_index(p, (long)ix)))
			rc = qk_fail(im->d, im->path, line, "'%s' has no parameter with index %s",
			             dc->name, index);
	}
	free(index);
	if (rc != 0) {
		free(sym);
		free(value);
		return rc;
	}
	return add_setting(im, dc, sym, value, line);
}

/* Whether the renderer can run p: no required host feature, and every port audio or control
 * or optional (what engine_build.c accepts). Scopes and meters (x42's sisco needs urid:map and
 * atom ports) cannot; a project may still hold them to watch its signals. */
static int
hostable(const qk_plugin_info *p)
{
	int ok = !p->feature;
	for (uint32_t i = 0; ok && i < p->n_ports; i++)
		ok = p->kind[i] != QK_PORT_OTHER || p->optional[i];
	return ok;
}

/* An instance the renderer leaves out. Its inputs are sinks (connections to them are dropped);
 * a connection from one of its outputs is an error, since the render could not predict it. */
static int
add_monitor(importer *im, char *name, int line)
{
	char **m = realloc(im->monitors, (im->n_monitors + 1) * sizeof *m);
	if (!m) {
		free(name);
		return qk_fail(im->d, im->path, line, "out of memory");
	}
	im->monitors = m;
	im->monitors[im->n_monitors++] = name;
	if (qk_names_put(im->monitor_index, name, im->n_monitors - 1, NULL) < 0)
		return qk_fail(im->d, im->path, line, "out of memory");
	fprintf(im->notes,
	        "note: '%s' cannot be rendered (it needs host features or ports quarks does "
	        "not drive): left out, as it feeds nothing the render runs (a scope, a meter)\n",
	        name);
	return 0;
}

static int
is_monitor(const importer *im, const char *group)
{
	size_t i;
	return qk_names_get(im->monitor_index, group, &i) == 0;
}

/* Audio inputs and outputs of p, as Carla counts them for its settings. */
static void
count_audio(const qk_plugin_info *p, uint32_t *n_in, uint32_t *n_out)
{
	*n_in = *n_out = 0;
	for (uint32_t i = 0; i < p->n_ports; i++) {
		*n_in += p->kind[i] == QK_PORT_AUDIO_IN;
		*n_out += p->kind[i] == QK_PORT_AUDIO_OUT;
	}
}

/* Carla forces stereo (a second instance, other ports) only on plugins with at most one audio
 * input and output. */
static int
force_stereo_check(importer *im, const qk_decl *dc, const qk_plugin_info *p)
{
	uint32_t n_in, n_out;
	count_audio(p, &n_in, &n_out);
	if ((im->force_stereo || (dc->host->options & QK_CARLA_FORCE_STEREO)) && n_in <= 1 &&
	    n_out <= 1)
		return qk_fail(im->d, im->path, dc->line,
		               "'%s': Carla's Force Stereo (%s) runs two "
		               "instances of this plugin: not rendered (turn it off in Carla)",
		               dc->name,
		               im->force_stereo ? "<EngineSettings><ForceStereo>"
		                                : "<Options> 0x2");
	return 0;
}

/* Carla's settings of one instance (carla_settings.h): kept on the node for the engine. */
static int
read_settings(importer *im, const qk_plugin_info *p, qk_decl *dc, const xmlNode *data)
{
	if (qk_carla_settings_read(im->path, data, &dc->host, im->d) != 0 ||
	    force_stereo_check(im, dc, p) != 0)
		return -1;
	uint32_t n_in, n_out;
	count_audio(p, &n_in, &n_out);
	if (!dc->host->active)
		fprintf(im->notes,
		        "note: '%s' is not active (%s): Carla and the render give "
		        "silence at its outputs\n",
		        dc->name,
		        data && child(data, "Active") ? "<Active>No</Active>" : "no <Active>");
	qk_carla_settings_notes(dc->host, dc->name, n_in, n_out, im->notes);
	return 0;
}

/* <EngineSettings>: Force Stereo applies to every instance, those read before it too. */
static int
read_engine_settings(importer *im, const xmlNode *settings)
{
	char *stereo = child_text(settings, "ForceStereo");
	im->force_stereo = stereo && strcmp(stereo, "true") == 0;
	free(stereo);
	for (size_t i = 0; i < im->g->n_decls && im->force_stereo; i++) {
		const qk_decl *dc = &im->g->decls[i];
		qk_plugin_info *p = NULL;
		if (dc->kind != QK_DECL_NODE)
			continue;
		if (qk_plugins_get(im->plugins, dc->type, &p) != 0)
			return qk_fail(im->d, im->path, dc->line, "out of memory");
		if (force_stereo_check(im, dc, p) != 0)
			return -1;
	}
	return 0;
}

static const qk_carla_audiofile *
file_player(const importer *im, const char *name)
{
	size_t i;
	return qk_names_get(im->file_index, name, &i) == 0 ? &im->files[i] : NULL;
}

static int
name_taken(const importer *im, const char *name)
{
	return qk_graph_find(im->g, name) >= 0 || is_monitor(im, name) || file_player(im, name) ||
	       strcmp(name, QK_CARLA_IN) == 0 || strcmp(name, QK_CARLA_OUT) == 0;
}
/* Carla's internal plugins: only the audio file player is rendered. */
static int
read_internal(importer *im, const xmlNode *pl, const xmlNode *info, char *name, int line)
{
	char *label = child_text(info, "Label");
	int rc = 0;
	if (!name || !*name)
		rc = qk_fail(im->d, im->path, line, "plugin without an <Info><Name>");
	else if (!label || strcmp(label, "audiofile") != 0)
		rc = qk_fail(im->d, im->path, line,
		             "Carla's internal plugin '%s' ('%s'): only LV2 "
		             "plugins and Carla's audio file player can be rendered",
		             label ? label : "", name);
	else if (name_taken(im, name))
		rc = qk_fail(im->d, im->path, line,
		             "a second instance named '%s' (names must be unique)", name);
	free(label);
	qk_carla_audiofile *f = rc == 0 ? realloc(im->files, (im->n_files + 1) * sizeof *f) : NULL;
	if (rc == 0 && !f)
		rc = qk_fail(im->d, im->path, line, "out of memory");
	if (rc != 0) {
		free(name);
		return -1;
	}
	im->files = f;
	qk_carla_audiofile *a = &im->files[im->n_files];
	if (qk_carla_audiofile_read(im->path, im->g->dir, pl, name, a, im->d) != 0) {
		qk_carla_audiofile_free(a);
		return -1;
	}
	im->n_files++;
	if (qk_names_put(im->file_index, a->name, im->n_files - 1, NULL) < 0)
		return qk_fail(im->d, im->path, line, "out of memory");
	qk_host_settings *hs;
	if (qk_carla_settings_read(im->path, child(pl, "Data"), &hs, im->d) != 0)
		return -1;
	int plain = hs->volume == 1.0f && hs->dry_wet == 1.0f && hs->balance_left == -1.0f &&
	            hs->balance_right == 1.0f;
	if (!hs->active)
		a->enabled = 0;
	free(hs);
	if (!plain)
		return qk_fail(
		        im->d, im->path, line,
		        "'%s': Carla's Volume, Dry/Wet or Balance on the "
		        "audio file player are not rendered (set its own Volume parameter instead)",
		        name);
	/* A project has no sample rate: the render's default is the files', where Carla plays them
	 * without resampling. */
	char rate[32];
	snprintf(rate, sizeof rate, "%.0f", a->rate);
	if (!im->g->rate.text) {
		im->g->rate.text = strdup(rate);
		im->g->rate.line = line;
	}
	return 0;
}

/* The source that output `port` of a file player plays, declared when first connected from:
 * the instance's own name for output_1, NAME.output_2 for output_2. */
static long
file_source(importer *im, const qk_carla_audiofile *a, const char *port, int line)
{
	int out = strcmp(port, "output_1") == 0 ? 1 : strcmp(port, "output_2") == 0 ? 2 : 0;
	if (!out)
		return qk_fail(im->d, im->path, line,
		               "'%s' (Carla's audio file player) has no audio "
		               "output '%s' (outputs: output_1, output_2)",
		               a->name, port);
	char name[512];
	snprintf(name, sizeof name, out == 1 ? "%s" : "%s.output_2", a->name);
	long k = qk_graph_find(im->g, name);
	if (k >= 0)
		return k;
	int silent = !a->enabled;
	k = add_decl(im, QK_DECL_SOURCE, strdup(name), strdup(silent ? "constant" : "file"), line);
	if (k < 0)
		return -1;
	qk_decl *dc = &im->g->decls[k];
	char channel[8];
	/* A mono file plays on both outputs. */
	snprintf(channel, sizeof channel, "%d", out == 2 && a->channels == 2 ? 2 : 1);
	if (silent) {
		fprintf(im->notes,
		        "note: '%s' (Carla's audio file player) is disabled or inactive: "
		        "silence\n",
		        a->name);
		return add_setting(im, dc, strdup("value"), strdup("0"), line) != 0 ? -1 : k;
	}
	if (add_setting(im, dc, strdup("path"), strdup(a->path), line) != 0 ||
	    add_setting(im, dc, strdup("channel"), strdup(channel), line) != 0 ||
	    add_setting(im, dc, strdup("loop"), strdup(a->loop ? "yes" : "no"), line) != 0)
		return -1;
	if (!(dc->host = malloc(sizeof *dc->host)))
		return qk_fail(im->d, im->path, line, "out of memory");
	*dc->host = (qk_host_settings){.active = 1,
	                               .volume = 1.0f,
	                               .dry_wet = 1.0f,
	                               .balance_left = -1.0f,
	                               .balance_right = 1.0f,
	                               .audiofile = 1,
	                               .file_gain = a->volume / 100.f};
	return k;
}

static int
read_plugin(importer *im, const xmlNode *pl)
{
	int line = line_of(pl);
	const xmlNode *info = child(pl, "Info");
	char *type = info ? child_text(info, "Type") : NULL;
	char *name = info ? child_text(info, "Name") : NULL;
	char *uri = info ? child_text(info, "URI") : NULL;
	qk_plugin_info *p = NULL;
	int rc = 0, found = 1;
	if (type && strcmp(type, "INTERNAL") == 0) {
		free(type);
		free(uri);
		return read_internal(im, pl, info, name, line);
	}
	if (!type || strcmp(type, "LV2") != 0)
		rc = qk_fail(im->d, im->path, line,
		             "plugin of type '%s': only LV2 plugins and Carla's "
		             "audio file player can be rendered",
		             type ? type : "(none)");
	else if (!name || !*name || !uri || !*uri)
		rc = qk_fail(im->d, im->path, line, "plugin without an <Info><Name> and <URI>");
	else if (name_taken(im, name))
		rc = qk_fail(im->d, im->path, line,
		             "a second instance named '%s' (names must be unique)", name);
	else if (load_world(im, line) != 0)
		rc = -1;
	else if ((found = qk_plugins_get(im->plugins, uri, &p)) < 0)
		rc = qk_fail(im->d, im->path, line, "out of memory");
	free(type);
	if (rc != 0) {
		free(name);
		free(uri);
		return rc;
	}
	if (found != 0 || !hostable(p)) {
		/* Carla leaves out a plugin it cannot find; one that only watches changes nothing.
		 */
		if (found != 0)
			fprintf(im->notes, "note: plugin <%s> ('%s') is not on LV2_PATH\n", uri,
			        name);
		free(uri);
		return add_monitor(im, name, line);
	}
	long di = add_decl(im, QK_DECL_NODE, name, uri, line);
	if (di < 0)
		return -1;
	const xmlNode *data = child(pl, "Data");
	for (const xmlNode *c = data ? data->children : NULL; c; c = c->next)
		if (is_elem(c, "Parameter") && read_parameter(im, p, &im->g->decls[di], c) != 0)
			return -1;
	return read_settings(im, p, &im->g->decls[di], data);
}

/* The graph name of JACK's system:capture_N (a source) or system:playback_N, as a project
 * saved in multi-client mode names the sound card: 1 and 2 are the graph inputs and outputs of
 * a patchbay project's Left and Right (Carla converts them so when it opens such a project in
 * patchbay mode), N >= 3 are capture_N and playback_N. NULL if port is not such a port. */
static const char *
system_name(const char *port, int is_source, char *buf, size_t cap)
{
	const char *prefix = is_source ? "capture_" : "playback_";
	size_t len = strlen(prefix);
	char *end;
	if (strncmp(port, prefix, len) != 0 || port[len] < '1' || port[len] > '9')
		return NULL;
	long n = strtol(port + len, &end, 10);
	if (*end || n < 1 || n > 1000)
		return NULL;
	if (n <= 2)
		return is_source ? qk_carla_in_name[n - 1] : qk_carla_out_name[n - 1];
	snprintf(buf, cap, "%s%ld", prefix, n);
	return buf;
}

/* The declaration a "GROUP:PORT" end names, and the port's symbol (NULL for system ports).
 * Returns 1 (and a note) for an end the render leaves out: a monitor's input, or in
 * <ExternalPatchbay> (external) a JACK client that is not part of the project. */
static int
resolve(importer *im, const char *text, int is_source, int external, int line, size_t *di,
        char **sym)
{
	const char *colon = strchr(text, ':');
	*sym = NULL;
	if (!colon)
		return qk_fail(im->d, im->path, line, "'%s' is not GROUP:PORT", text);
	char *group = strndup(text, (size_t)(colon - text));
	const char *port = colon + 1;
	int rc = 0;
	const char *sys = is_source ? QK_CARLA_IN : QK_CARLA_OUT;
	char sys_buf[32];
	if (!group) {
		rc = qk_fail(im->d, im->path, line, "out of memory");
	} else if (file_player(im, group)) {
		long k = -1;
		if (!is_source)
			rc = qk_fail(im->d, im->path, line,
			             "'%s' (Carla's audio file player) has no inputs "
			             "('%s')",
			             group, text);
		else if ((k = file_source(im, file_player(im, group), port, line)) < 0)
			rc = -1;
		*di = (size_t)k;
	} else if (is_monitor(im, group)) {
		if (is_source)
			rc = qk_fail(
			        im->d, im->path, line,
			        "'%s' cannot be rendered and feeds the circuit "
			        "('%s'): only a plugin whose outputs feed nothing can be left out",
			        group, text);
		else
			rc = 1;
	} else if (external && strcmp(group, "system") == 0) {
		const char *name = system_name(port, is_source, sys_buf, sizeof sys_buf);
		long k = name ? qk_graph_find(im->g, name) : -1;
		if (!name)
			rc = qk_fail(im->d, im->path, line,
			             "'%s': JACK's system client has no %s port '%s' "
			             "(system:%s_N)",
			             text, is_source ? "capture" : "playback", port,
			             is_source ? "capture" : "playback");
		else if (k >= 0 && im->g->decls[k].kind == QK_DECL_NODE)
			rc = qk_fail(im->d, im->path, line,
			             "an instance is named '%s', the name this project's "
			             "%s takes in a graph: rename it",
			             name, text);
		else if (k < 0)
			k = add_decl(im, is_source ? QK_DECL_INPUT : QK_DECL_OUTPUT, strdup(name),
			             NULL, line);
		if (rc == 0 && k < 0)
			rc = -1;
		*di = (size_t)k;
	} else if (external && qk_graph_find(im->g, group) < 0) {
		fprintf(im->notes,
		        "note: %s:%d: '%s' is a JACK client outside the project: the "
		        "connection %s it is left out%s\n",
		        im->path, line, group, is_source ? "from" : "to",
		        is_source ? " (that input reads silence)" : "");
		rc = 1;
	} else if (strcmp(group, sys) == 0) {
		int ch = strcmp(port, "Left") == 0 ? 0 : strcmp(port, "Right") == 0 ? 1 : -1;
		const char *name = ch < 0      ? NULL
		                   : is_source ? qk_carla_in_name[ch]
		                               : qk_carla_out_name[ch];
		long k = name ? qk_graph_find(im->g, name) : -1;
		if (ch < 0)
			rc = qk_fail(im->d, im->path, line, "'%s' has no port '%s' (Left, Right)",
			             group, port);
		else if (k >= 0 && im->g->decls[k].kind == QK_DECL_NODE)
			rc = qk_fail(im->d, im->path, line,
			             "an instance is named '%s', the name this project's "
			             "%s:%s takes in a graph: rename it",
			             name, group, port);
		else if (k < 0)
			k = add_decl(im, is_source ? QK_DECL_INPUT : QK_DECL_OUTPUT, strdup(name),
			             NULL, line);
		if (rc == 0 && k < 0)
			rc = -1;
		*di = (size_t)k;
	} else {
		long k = qk_graph_find(im->g, group);
		qk_plugin_info *p = NULL;
		/* A node exists only where a <Plugin> loaded the world. */
		int found = k >= 0 && im->g->decls[k].kind == QK_DECL_NODE
		                    ? qk_plugins_get(im->plugins, im->g->decls[k].type, &p)
		                    : 1;
		long lp = p ? qk_info_port_by_name(im->plugins, p, port) : -1;
		qk_port_kind want = is_source ? QK_PORT_AUDIO_OUT : QK_PORT_AUDIO_IN;
		char list[512];
		if (found < 0 || lp == -2) {
			rc = qk_fail(im->d, im->path, line, "out of memory");
		} else if (!p) {
			rc = qk_fail(im->d, im->path, line,
			             "no plugin named '%s' for the connection %s '%s'", group,
			             is_source ? "from" : "to", text);
		} else if (lp < 0 || p->kind[lp] != want) {
			qk_carla_list_names(&im->u, p->plugin, want, list, sizeof list);
			rc = qk_fail(im->d, im->path, line,
			             "'%s' has no audio %s named '%s' (%s: %s)", group,
			             is_source ? "output" : "input", port,
			             is_source ? "outputs" : "inputs", list);
		} else {
			*di = (size_t)k;
			*sym = strdup(p->symbol[lp]);
			if (!*sym)
				rc = qk_fail(im->d, im->path, line, "out of memory");
		}
	}
	free(group);
	return rc;
}

/* A connection as the project writes it, kept until every plugin is read. */
typedef struct {
	char *src, *dst;
	int line;
	int external; /* in <ExternalPatchbay> */
} pending;

static int
read_connection(importer *im, const pending *pc)
{
	int line = pc->line, external = pc->external;
	qk_conn c = {.line = line};
	int rc = 0;
	if (!pc->src || !pc->dst)
		rc = qk_fail(im->d, im->path, line, "connection without a <Source> and a <Target>");
	/* The target first: a link into a plugin left out is dropped, whatever feeds it. */
	else if ((rc = resolve(im, pc->dst, 0, external, line, &c.to, &c.to_port)) == 0)
		rc = resolve(im, pc->src, 1, external, line, &c.from, &c.from_port);
	if (rc == 1) { /* an end the render leaves out */
		free(c.from_port);
		free(c.to_port);
		return 0;
	}
	qk_graph *g = im->g;
	if (rc == 0 && g->n_conns == im->cap_conns) {
		size_t cap = im->cap_conns ? im->cap_conns * 2 : 16;
		qk_conn *nc = realloc(g->conns, cap * sizeof *nc);
		if (!nc)
			rc = qk_fail(im->d, im->path, line, "out of memory");
		else
			g->conns = nc, im->cap_conns = cap;
	}
	if (rc != 0) {
		free(c.from_port);
		free(c.to_port);
		return rc;
	}
	g->conns[g->n_conns++] = c;
	return 0;
}

typedef struct {
	pending *items;
	size_t n, cap;
} pending_list;

static int
keep_connection(importer *im, pending_list *l, const xmlNode *cn, int external)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		pending *p = realloc(l->items, cap * sizeof *p);
		if (!p)
			return qk_fail(im->d, im->path, line_of(cn), "out of memory");
		l->items = p;
		l->cap = cap;
	}
	pending *p = &l->items[l->n++];
	p->src = child_text(cn, "Source");
	p->dst = child_text(cn, "Target");
	p->line = line_of(cn);
	p->external = external;
	return 0;
}

/* The size limit, enforced as libxml2 reads (a project may be a pipe or a device). */
typedef struct {
	FILE *f;
	size_t left;
	int over;
	int any; /* a byte was read: libxml2 calls an empty file "extra content" */
} source;

static int
read_source(void *ctx, char *buf, int len)
{
	source *src = ctx;
	if (src->left == 0) {
		int c = fgetc(src->f);
		if (c == EOF)
			return ferror(src->f) ? -1 : 0;
		src->over = 1;
		return -1;
	}
	size_t want = (size_t)len < src->left ? (size_t)len : src->left;
	size_t got = fread(buf, 1, want, src->f);
	src->left -= got;
	src->any |= got > 0;
	return got == 0 && ferror(src->f) ? -1 : (int)got;
}

static int
close_source(void *ctx)
{
	(void)ctx; /* closed by qk_carla_load, which opened it */
	return 0;
}

static int
xml_error(importer *im, const source *src, size_t max_bytes)
{
	int mib = max_bytes % ((size_t)1 << 20) == 0;
	if (src->over)
		return qk_fail(im->d, im->path, 0,
		               "the file is larger than %zu %s, the limit for a Carla "
		               "project (is it one?)",
		               mib ? max_bytes >> 20 : max_bytes, mib ? "MiB" : "bytes");
	if (!src->any)
		return qk_fail(im->d, im->path, 0, "malformed XML: the file is empty");
	const xmlError *e = xmlGetLastError();
	qk_fail(im->d, im->path, e ? e->line : 0, "malformed XML: %s",
	        e && e->message ? e->message : "cannot read");
	/* libxml2's messages end with a newline. */
	size_t n = strlen(im->d->msg);
	if (n && im->d->msg[n - 1] == '\n')
		im->d->msg[n - 1] = '\0';
	return -1;
}

/* The project is read as a stream, one <Plugin> or <Connection> element expanded at a time, so
 * that memory follows the graph rather than the XML (a tree of a 100,000-plugin project took
 * 1.7 GB). Plugins first: a connection names instances that may come later in the file, so
 * connections wait in a list until the end.
 *
 * A project saved in JACK multi-client mode (plain `carla` on Linux) has no <Patchbay>: its
 * links are JACK connections in <ExternalPatchbay>, which is where Carla itself then takes
 * them from. With a <Patchbay>, <ExternalPatchbay> only wires Carla to other programs. Which
 * one counts is known at the end, so both are kept until then. */
static int
read_project(importer *im, xmlTextReaderPtr r, const source *src, size_t max_bytes)
{
	pending_list l = {NULL, 0, 0};
	int rc = 0, seen_root = 0, patchbay = 0;
	int more = xmlTextReaderRead(r);
	while (more == 1 && rc == 0) {
		int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
		const char *name = (const char *)xmlTextReaderConstName(r);
		int skip = 0;
		if (type == XML_READER_TYPE_ELEMENT && depth == 0) {
			seen_root = 1;
			if (strcmp(name, "CARLA-PROJECT") != 0)
				rc = qk_fail(im->d, im->path, line_of(xmlTextReaderCurrentNode(r)),
				             "not a Carla project (the root element is not "
				             "<CARLA-PROJECT>)");
		} else if (type == XML_READER_TYPE_ELEMENT && depth == 1 &&
		           strcmp(name, "Patchbay") == 0) {
			patchbay = 1;
		} else if (type == XML_READER_TYPE_ELEMENT &&
		           ((depth == 1 && (strcmp(name, "Plugin") == 0 ||
		                            strcmp(name, "EngineSettings") == 0)) ||
		            (depth == 2 && strcmp(name, "Connection") == 0))) {
			int is_plugin = depth == 1 && strcmp(name, "Plugin") == 0;
			int is_settings = depth == 1 && !is_plugin;
			xmlNode *n = xmlTextReaderExpand(r);
			if (!n)
				rc = xml_error(im, src, max_bytes);
			else if (is_plugin)
				rc = read_plugin(im, n);
			else if (is_settings)
				rc = read_engine_settings(im, n);
			/* A <Connection> counts only inside <Patchbay> or <ExternalPatchbay>. */
			else if (n->parent && is_elem(n->parent, "Patchbay"))
				rc = keep_connection(im, &l, n, 0);
			else if (n->parent && is_elem(n->parent, "ExternalPatchbay"))
				rc = keep_connection(im, &l, n, 1);
			skip = 1;
		}
		if (rc == 0)
			more = skip ? xmlTextReaderNext(r) : xmlTextReaderRead(r);
	}
	if (rc == 0 && more < 0)
		rc = xml_error(im, src, max_bytes);
	if (rc == 0 && !seen_root)
		rc = qk_fail(im->d, im->path, 0, "malformed XML: Document is empty");
	for (size_t i = 0; i < l.n && rc == 0; i++)
		if (l.items[i].external == !patchbay)
			rc = read_connection(im, &l.items[i]);
	for (size_t i = 0; i < l.n; i++) {
		free(l.items[i].src);
		free(l.items[i].dst);
	}
	free(l.items);
	return rc;
}

static char *
folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	return slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
}

static xmlTextReaderPtr
new_reader(source *src, const char *path)
{
	return xmlReaderForIO(read_source, close_source, src, path, NULL,
	                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	                              XML_PARSE_BIG_LINES);
}

/* A first pass that only checks the XML is well formed (in constant memory), so that a
 * malformed project is reported as such before any plugin is looked up, and costs no lilv
 * world: most broken projects are broken after their first <Plugin>. Skipped for a file that
 * cannot be read twice (a pipe). Returns 0 when the file may be read again from its start. */
static int
well_formed(importer *im, source *src, size_t max_bytes, int *rc)
{
	*rc = 0;
	struct stat st;
	if (fstat(fileno(src->f), &st) != 0 || !S_ISREG(st.st_mode))
		return -1;
	xmlTextReaderPtr r = new_reader(src, im->path);
	if (!r) {
		*rc = qk_fail(im->d, im->path, 0, "out of memory");
		return 0;
	}
	int more;
	while ((more = xmlTextReaderRead(r)) == 1)
		;
	if (more < 0)
		*rc = xml_error(im, src, max_bytes);
	xmlFreeTextReader(r);
	if (*rc == 0 && fseek(src->f, 0, SEEK_SET) != 0)
		*rc = qk_fail(im->d, im->path, 0, "cannot read the project: %s", strerror(errno));
	src->left = max_bytes;
	src->over = src->any = 0;
	return 0;
}

int
qk_carla_load(const char *path, size_t max_bytes, qk_graph *g, qk_diag *d)
{
	memset(g, 0, sizeof *g);
	char *notes = NULL;
	size_t notes_len = 0;
	importer im = {.path = path,
	               .g = g,
	               .d = d,
	               .notes = open_memstream(&notes, &notes_len),
	               .monitor_index = qk_names_new(),
	               .file_index = qk_names_new()};
	FILE *f = im.notes && im.monitor_index && im.file_index ? fopen(path, "rb") : NULL;
	int rc = -1;
	if (!im.notes || !im.monitor_index || !im.file_index)
		qk_fail(d, path, 0, "out of memory");
	else if (!f)
		qk_fail(d, path, 0, "cannot read the project: %s", strerror(errno));
	source src = {f, max_bytes, 0, 0};
	xmlTextReaderPtr r = NULL;
	if (f) {
		g->path = strdup(path);
		g->dir = folder_of(path);
		g->index = qk_names_new();
		/* What Carla does with a project: every open input reads silence. */
		g->open_inputs_read_zero = 1;
		if (!g->path || !g->dir || !g->index)
			qk_fail(d, path, 0, "out of memory");
		else if (well_formed(&im, &src, max_bytes, &rc), rc == 0) {
			if (!(r = new_reader(&src, path)))
				rc = qk_fail(d, path, 0, "out of memory");
			else
				rc = read_project(&im, r, &src, max_bytes);
		}
	}
	qk_plugins_free(im.plugins);
	qk_uris_free(&im.u);
	if (im.world)
		lilv_world_free(im.world);
	if (r)
		xmlFreeTextReader(r);
	if (f)
		fclose(f);
	for (size_t i = 0; i < im.n_monitors; i++)
		free(im.monitors[i]);
	free(im.monitors);
	for (size_t i = 0; i < im.n_files; i++)
		qk_carla_audiofile_free(&im.files[i]);
	free(im.files);
	qk_names_free(im.monitor_index);
	qk_names_free(im.file_index);
	if (im.notes && fclose(im.notes) != 0 && rc == 0)
		rc = qk_fail(d, path, 0, "out of memory");
	if (rc == 0 && notes_len)
		g->notes = notes;
	else
		free(notes);
	if (rc != 0)
		qk_graph_free(g);
	return rc;
}
