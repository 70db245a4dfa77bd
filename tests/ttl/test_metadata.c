/* SPDX-License-Identifier: ISC */
/* The bundle's metadata as a host sees it through lilv (LV2_PATH from the test
 * environment): every plugin of the bundle (every plugin lilv lists under the base
 * URI), what CHECKLIST.md requires of each plugin and port, the exact port table of
 * docs/PORTS.md (it is the API: hosts save sessions by symbol and Carla connects by
 * name), and the shipped presets. A plugin of the bundle without a port table below
 * fails, as does a table without a plugin, and the binary's descriptors must be the
 * plugins the manifest lists (one compiled in but not listed would be hidden from
 * every host and from every test that enumerates the bundle). */
#define _POSIX_C_SOURCE 200809L /* dlopen */

#include "base_uri.h"

#include <dlfcn.h>
#include <lilv/lilv.h>
#include <lv2/atom/atom.h>
#include <lv2/core/lv2.h>
#include <lv2/presets/presets.h>
#include <lv2/units/units.h>
#include <lv2/urid/urid.h>

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE QK_TEST_BASE_URI
#define NS_DOAP "http://usefulinc.com/ns/doap#"
#define NS_RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define MAX_PORTS 256 /* the 16x4 attention head has 177 */
#define MAX_PLUGINS 64

/* The saved API of each plugin (symbols, names, ranges, defaults) is held against
 * tests/api/api.golden, and docs/PORTS.md's table is generated from the plugins' own
 * tables: this test makes the checks any plugin must pass, with no list of its own. */

typedef enum { AIN, AOUT, CIN } port_kind;

/* Presets the issue asks for: label and the plugin it applies to. */
static const struct {
	const char *label;
	const char *plugin;
} wanted_presets[] = {
        {"OR", BASE "neuron"},
        {"AND", BASE "neuron"},
        {"NAND", BASE "neuron"},
        {"Soft gate", BASE "output-gate"},
};
#define N_WANTED (int)(sizeof wanted_presets / sizeof wanted_presets[0])

/* ---- helpers ----------------------------------------------------------- */

static int failures;
static LilvWorld *world;

static void
fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("FAIL ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	failures++;
}

static bool
is_c_identifier(const char *s)
{
	if (!s || !(isalpha((unsigned char)s[0]) || s[0] == '_')) {
		return false;
	}
	for (; *s; ++s) {
		if (!(isalnum((unsigned char)*s) || *s == '_')) {
			return false;
		}
	}
	return true;
}

static LilvNode *
uri(const char *u)
{
	return lilv_new_uri(world, u);
}

/* A minimal URID map for lilv_state_new_from_world. */
static char *urids[256];
static uint32_t n_urids;

static LV2_URID
map_uri(LV2_URID_Map_Handle h, const char *u)
{
	(void)h;
	for (uint32_t i = 0; i < n_urids; ++i) {
		if (!strcmp(urids[i], u)) {
			return i + 1;
		}
	}
	if (n_urids == sizeof urids / sizeof urids[0]) {
		return 0;
	}
	urids[n_urids] = malloc(strlen(u) + 1);
	strcpy(urids[n_urids], u);
	return ++n_urids;
}

static const char *
unmap_uri(LV2_URID id)
{
	return (id >= 1 && id <= n_urids) ? urids[id - 1] : "?";
}

/* ---- plugin and port checks ------------------------------------------- */

static void
check_plugin_description(const LilvPlugin *p, const char *u)
{
	const LilvPluginClass *cls = lilv_plugin_get_class(p);
	const char *cls_uri = cls ? lilv_node_as_uri(lilv_plugin_class_get_uri(cls)) : NULL;
	if (!cls_uri || !strcmp(cls_uri, LV2_CORE__Plugin)) {
		fail("%s: class is bare lv2:Plugin (want a subclass)", u);
	}

	LilvNode *name = lilv_plugin_get_name(p);
	if (!name || !*lilv_node_as_string(name)) {
		fail("%s: no doap:name", u);
	}
	lilv_node_free(name);

	LilvNode *lic_pred = uri(NS_DOAP "license");
	LilvNodes *lic = lilv_plugin_get_value(p, lic_pred);
	if (!lic || lilv_nodes_size(lic) == 0) {
		fail("%s: no doap:license", u);
	}
	LILV_FOREACH (nodes, i, lic) {
		if (!lilv_node_is_uri(lilv_nodes_get(lic, i))) {
			fail("%s: doap:license is a literal, not a URI", u);
		}
	}
	lilv_nodes_free(lic);
	lilv_node_free(lic_pred);

	/* lilv falls back to the lv2:project's maintainer. */
	LilvNode *author = lilv_plugin_get_author_name(p);
	if (!author || !*lilv_node_as_string(author)) {
		fail("%s: no maintainer foaf:name (plugin or lv2:project)", u);
	}
	lilv_node_free(author);

	const char *versions[] = {LV2_CORE__minorVersion, LV2_CORE__microVersion};
	for (int v = 0; v < 2; ++v) {
		LilvNode *pred = uri(versions[v]);
		LilvNodes *val = lilv_plugin_get_value(p, pred);
		if (!val || lilv_nodes_size(val) != 1 ||
		    !lilv_node_is_int(lilv_nodes_get_first(val))) {
			fail("%s: missing or non-integer %s", u, versions[v]);
		}
		lilv_nodes_free(val);
		lilv_node_free(pred);
	}

	LilvNode *hard_rt = uri(LV2_CORE__hardRTCapable);
	LilvNodes *opt = lilv_plugin_get_optional_features(p);
	if (!lilv_nodes_contains(opt, hard_rt)) {
		fail("%s: lv2:hardRTCapable is not an optional feature", u);
	}
	lilv_nodes_free(opt);
	lilv_node_free(hard_rt);

	LilvNodes *req = lilv_plugin_get_required_features(p);
	if (req && lilv_nodes_size(req) != 0) {
		fail("%s: has %u required features (want none)", u, lilv_nodes_size(req));
	}
	lilv_nodes_free(req);

	LilvNode *broken = uri(LV2_CORE__inPlaceBroken);
	if (lilv_plugin_has_feature(p, broken)) {
		fail("%s: is lv2:inPlaceBroken", u);
	}
	lilv_node_free(broken);
}

/* Every port: what CHECKLIST.md asks of any port. */
static void
check_ports(const LilvPlugin *p, const char *u)
{
	const uint32_t n = lilv_plugin_get_num_ports(p);
	if (n > MAX_PORTS) {
		fail("%s: %u ports, more than this test handles (%d)", u, n, MAX_PORTS);
		return;
	}
	LilvNode *audio = uri(LV2_CORE__AudioPort);
	LilvNode *control = uri(LV2_CORE__ControlPort);
	LilvNode *cv = uri(LV2_CORE__CVPort);
	LilvNode *input = uri(LV2_CORE__InputPort);
	LilvNode *output = uri(LV2_CORE__OutputPort);
	LilvNode *optional = uri(LV2_CORE__connectionOptional);
	LilvNode *comment = uri(NS_RDFS "comment");
	LilvNode *unit = uri(LV2_UNITS__unit);
	const char *names[MAX_PORTS] = {0};

	for (uint32_t i = 0; i < n; ++i) {
		const LilvPort *port = lilv_plugin_get_port_by_index(p, i);
		const char *sym = lilv_node_as_string(lilv_port_get_symbol(p, port));
		LilvNode *name_node = lilv_port_get_name(p, port);
		const char *name = name_node ? lilv_node_as_string(name_node) : "";
		const char *label = sym ? sym : "?";

		if (!is_c_identifier(sym)) {
			fail("%s port %u: symbol '%s' is not a C identifier", u, i, sym);
		}
		if (!*name) {
			fail("%s port %u (%s): no lv2:name", u, i, label);
		}
		if (strchr(name, ':')) {
			fail("%s port %u: name '%s' contains ':'", u, i, name);
		}
		for (uint32_t j = 0; j < i; ++j) {
			const char *other = lilv_node_as_string(
			        lilv_port_get_symbol(p, lilv_plugin_get_port_by_index(p, j)));
			if (sym && !strcmp(sym, other)) {
				fail("%s: symbol '%s' used by ports %u and %u", u, sym, j, i);
			}
			if (names[j] && !strcmp(name, names[j])) {
				fail("%s: name '%s' used by ports %u and %u", u, name, j, i);
			}
		}
		names[i] = name;

		LilvNodes *com = lilv_port_get_value(p, port, comment);
		if (!com || !*lilv_node_as_string(lilv_nodes_get_first(com))) {
			fail("%s port %s: no rdfs:comment", u, label);
		}
		lilv_nodes_free(com);

		if (lilv_port_is_a(p, port, cv)) {
			fail("%s port %s: is a CVPort (Ardour refuses CV ports)", u, label);
		}
		/* the kind as lilv reads it: audio in, audio out or control in */
		const bool is_in = lilv_port_is_a(p, port, input);
		const bool is_out = lilv_port_is_a(p, port, output);
		const bool is_audio = lilv_port_is_a(p, port, audio);
		const bool is_control = lilv_port_is_a(p, port, control);
		if (is_in == is_out || is_audio == is_control || (is_control && is_out)) {
			fail("%s port %s: neither an audio input, an audio output nor a control "
			     "input",
			     u, label);
		}
		const port_kind kind = is_audio ? (is_in ? AIN : AOUT) : CIN;
		if (kind == AIN && !lilv_port_has_property(p, port, optional)) {
			fail("%s port %s: audio input is not lv2:connectionOptional", u, label);
		}
		if (kind == CIN) {
			LilvNode *def = NULL, *min = NULL, *max = NULL;
			lilv_port_get_range(p, port, &def, &min, &max);
			if (!def || !min || !max) {
				fail("%s port %s: missing default/minimum/maximum", u, label);
			} else {
				const float d = lilv_node_as_float(def),
				            lo = lilv_node_as_float(min),
				            hi = lilv_node_as_float(max);
				if (!(lo <= d && d <= hi)) {
					fail("%s port %s: not min <= default <= max (%g, %g, %g)",
					     u, label, lo, d, hi);
				}
			}
			lilv_node_free(def);
			lilv_node_free(min);
			lilv_node_free(max);

			/* An integer control (an enumeration such as act, a seed) counts
			 * things, and temp is a ratio: no unit fits them. */
			LilvNode *integer = uri(LV2_CORE__integer);
			const bool unitless = lilv_port_has_property(p, port, integer) ||
			                      (sym && !strcmp(sym, "temp"));
			lilv_node_free(integer);
			LilvNodes *un = lilv_port_get_value(p, port, unit);
			if (!unitless && (!un || lilv_nodes_size(un) == 0)) {
				fail("%s port %s: no units:unit", u, label);
			}
			lilv_nodes_free(un);
		}
		lilv_node_free(name_node);
	}
	lilv_node_free(audio);
	lilv_node_free(control);
	lilv_node_free(cv);
	lilv_node_free(input);
	lilv_node_free(output);
	lilv_node_free(optional);
	lilv_node_free(comment);
	lilv_node_free(unit);
}

/* ---- the binary ----------------------------------------------------------- */

/* The descriptors the plugins' binary exports must be exactly the bundle's plugins
 * that name it as their lv2:binary. */
static void
check_binary(const LilvPlugin *const *bundle, int n)
{
	const LilvNode *lib = lilv_plugin_get_library_uri(bundle[0]);
	char *path = lib ? lilv_file_uri_parse(lilv_node_as_uri(lib), NULL) : NULL;
	void *so = path ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;
	const LV2_Descriptor *(*descriptor)(uint32_t) = NULL;
	if (so) {
		*(void **)&descriptor = dlsym(so, "lv2_descriptor"); /* POSIX's way to a function */
	}
	if (!descriptor) {
		fail("%s: cannot load it or find lv2_descriptor (%s)", path ? path : "(no binary)",
		     so ? "no symbol" : dlerror());
		if (so) {
			dlclose(so);
		}
		lilv_free(path);
		return;
	}
	bool listed[MAX_PLUGINS] = {false};
	uint32_t count = 0;
	for (const LV2_Descriptor *d; count < 1000 && (d = descriptor(count)); ++count) {
		int found = -1;
		for (int i = 0; i < n; ++i) {
			if (!strcmp(d->URI, lilv_node_as_uri(lilv_plugin_get_uri(bundle[i])))) {
				found = i;
			}
		}
		if (found < 0) {
			fail("%s: the binary's descriptor %u is not a plugin of the bundle "
			     "(missing "
			     "from the manifest?)",
			     d->URI, count);
		} else if (listed[found]) {
			fail("%s: the binary has two descriptors with this URI", d->URI);
		} else {
			listed[found] = true;
		}
	}
	for (int i = 0; i < n; ++i) {
		const LilvNode *other = lilv_plugin_get_library_uri(bundle[i]);
		if (!listed[i] && other && lilv_node_equals(other, lib)) {
			fail("%s: in the manifest, but its binary has no descriptor for it",
			     lilv_node_as_uri(lilv_plugin_get_uri(bundle[i])));
		}
	}
	printf("binary %s: %u descriptors\n", path, count);
	dlclose(so);
	lilv_free(path);
}

/* ---- presets ----------------------------------------------------------- */

typedef struct {
	const LilvPlugin *plugin;
	const char *preset;
	int n_values;
} preset_ctx;

/* Each value a preset sets: an existing control input, within its range. */
static void
check_preset_value(const char *sym, void *data, const void *value, uint32_t size, uint32_t type)
{
	preset_ctx *ctx = data;
	const LilvPlugin *p = ctx->plugin;
	ctx->n_values++;
	LilvNode *sym_node = lilv_new_string(world, sym);
	const LilvPort *port = lilv_plugin_get_port_by_symbol(p, sym_node);
	lilv_node_free(sym_node);
	if (!port) {
		fail("preset %s: sets '%s', which is no port of its plugin", ctx->preset, sym);
		return;
	}
	double v;
	const char *t = unmap_uri(type);
	if (!strcmp(t, LV2_ATOM__Float) && size == sizeof(float)) {
		v = *(const float *)value;
	} else if (!strcmp(t, LV2_ATOM__Double) && size == sizeof(double)) {
		v = *(const double *)value;
	} else if ((!strcmp(t, LV2_ATOM__Int) || !strcmp(t, LV2_ATOM__Bool)) &&
	           size == sizeof(int32_t)) {
		v = *(const int32_t *)value;
	} else {
		fail("preset %s: port %s has a value of type %s", ctx->preset, sym, t);
		return;
	}
	LilvNode *control = uri(LV2_CORE__ControlPort);
	LilvNode *input = uri(LV2_CORE__InputPort);
	if (!lilv_port_is_a(p, port, control) || !lilv_port_is_a(p, port, input)) {
		fail("preset %s: sets %s, which is not a control input", ctx->preset, sym);
	}
	lilv_node_free(control);
	lilv_node_free(input);
	LilvNode *min = NULL, *max = NULL;
	lilv_port_get_range(p, port, NULL, &min, &max);
	if (!min || !max || !(lilv_node_as_float(min) <= v && v <= lilv_node_as_float(max))) {
		fail("preset %s: %s = %g is outside the port's range", ctx->preset, sym, v);
	}
	lilv_node_free(min);
	lilv_node_free(max);
}

/* Returns a bit per wanted preset found among this plugin's presets. */
static unsigned
check_presets(const LilvPlugin *p, LV2_URID_Map *map)
{
	unsigned found = 0;
	const char *u = lilv_node_as_uri(lilv_plugin_get_uri(p));
	LilvNode *preset_class = uri(LV2_PRESETS__Preset);
	LilvNode *label_pred = uri(NS_RDFS "label");
	LilvNodes *presets = lilv_plugin_get_related(p, preset_class);
	LILV_FOREACH (nodes, i, presets) {
		const LilvNode *preset = lilv_nodes_get(presets, i);
		const char *pu = lilv_node_as_uri(preset);
		lilv_world_load_resource(world, preset);
		LilvNodes *labels = lilv_world_find_nodes(world, preset, label_pred, NULL);
		const char *label =
		        labels ? lilv_node_as_string(lilv_nodes_get_first(labels)) : NULL;
		if (!label) {
			fail("preset %s: no rdfs:label", pu);
		}
		for (int w = 0; w < N_WANTED; ++w) {
			if (label && !strcmp(label, wanted_presets[w].label) &&
			    !strcmp(u, wanted_presets[w].plugin)) {
				found |= 1u << w;
			}
		}
		LilvState *state = lilv_state_new_from_world(world, map, preset);
		if (!state) {
			fail("preset %s: lilv cannot load it as a state", pu);
		} else {
			preset_ctx ctx = {p, pu, 0};
			const char *su = lilv_node_as_uri(lilv_state_get_plugin_uri(state));
			if (strcmp(su, u)) {
				fail("preset %s: applies to %s, found as a preset of %s", pu, su,
				     u);
			}
			lilv_state_emit_port_values(state, check_preset_value, &ctx);
			if (ctx.n_values == 0) {
				fail("preset %s: sets no port", pu);
			}
			printf("preset %-48s \"%s\" (%s): %d port values\n", pu, label ? label : "",
			       u + strlen(BASE), ctx.n_values);
			lilv_state_free(state);
		}
		lilv_nodes_free(labels);
	}
	lilv_nodes_free(presets);
	lilv_node_free(label_pred);
	lilv_node_free(preset_class);
	return found;
}

int
main(void)
{
	const char *path = getenv("LV2_PATH");
	printf("LV2_PATH=%s\n", path ? path : "(unset)");
	world = lilv_world_new();
	lilv_world_load_all(world);
	const LilvPlugins *all = lilv_world_get_all_plugins(world);

	LV2_URID_Map map = {NULL, map_uri};
	unsigned presets_found = 0;
	/* Every plugin of the bundle: the generic checks. */
	const LilvPlugin *bundle[MAX_PLUGINS];
	int n_bundle = 0;
	LILV_FOREACH (plugins, i, all) {
		const LilvPlugin *p = lilv_plugins_get(all, i);
		const char *u = lilv_node_as_uri(lilv_plugin_get_uri(p));
		if (strncmp(u, BASE, strlen(BASE)) != 0) {
			continue;
		}
		if (n_bundle == MAX_PLUGINS) {
			fail("more than %d plugins under %s", MAX_PLUGINS, BASE);
			break;
		}
		bundle[n_bundle++] = p;
		printf("found %s\n", u);
		check_plugin_description(p, u);
		check_ports(p, u);
		presets_found |= check_presets(p, &map);
	}
	if (n_bundle == 0) {
		fail("no plugin under %s on LV2_PATH", BASE);
	} else {
		check_binary(bundle, n_bundle);
	}
	for (int w = 0; w < N_WANTED; ++w) {
		if (!(presets_found & (1u << w))) {
			fail("preset \"%s\" for %s not found", wanted_presets[w].label,
			     wanted_presets[w].plugin);
		}
	}
	lilv_world_free(world);
	for (uint32_t i = 0; i < n_urids; ++i) {
		free(urids[i]);
	}
	printf("%s: %d failures\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}
