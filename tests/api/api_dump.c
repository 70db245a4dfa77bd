/* SPDX-License-Identifier: ISC */
/* The saved API of the bundle as a host sees it through lilv, one fact a line:
 * every plugin under the base URI with its ports (index, symbol, lv2:name, kind,
 * range, default, unit, properties, scale points) and every preset with its
 * values. Hosts save sessions by URI and symbol and connect by port name, so
 * none of these facts may change once shipped; tests/api/api.golden holds them
 * and the test compares. With --all it also prints what may change (names,
 * comments, versions), to check a regeneration of the TTL fact for fact.
 *
 * Usage: api-dump [--all] BASE_URI   (LV2_PATH chooses the bundles) */
#include <lilv/lilv.h>
#include <lv2/core/lv2.h>
#include <lv2/port-props/port-props.h>
#include <lv2/presets/presets.h>
#include <lv2/units/units.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define DOAP "http://usefulinc.com/ns/doap#"

typedef struct {
	LilvWorld *world;
	bool all;
} dumper;

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
compare_node_uris(const void *a, const void *b)
{
	return strcmp(lilv_node_as_string(*(const LilvNode *const *)a),
	              lilv_node_as_string(*(const LilvNode *const *)b));
}

static int
compare_scale_points(const void *a, const void *b)
{
	const float x =
	        lilv_node_as_float(lilv_scale_point_get_value(*(const LilvScalePoint *const *)a));
	const float y =
	        lilv_node_as_float(lilv_scale_point_get_value(*(const LilvScalePoint *const *)b));
	return (x > y) - (x < y);
}

/* Print the values of a node collection sorted, so the order lilv happens to
 * return them in never shows as a change. */
static void
print_sorted(const char *prefix, LilvNodes *nodes)
{
	const unsigned n = nodes ? lilv_nodes_size(nodes) : 0;
	if (n == 0) {
		lilv_nodes_free(nodes);
		return;
	}
	char **s = calloc(n, sizeof *s);
	unsigned k = 0;
	LILV_FOREACH (nodes, i, nodes) {
		s[k++] = lilv_node_get_turtle_token(lilv_nodes_get(nodes, i));
	}
	qsort(s, n, sizeof *s, compare_strings);
	for (unsigned i = 0; i < n; ++i) {
		printf("%s %s\n", prefix, s[i]);
		lilv_free(s[i]);
	}
	free(s);
	lilv_nodes_free(nodes);
}

static void
print_value(const char *prefix, const LilvPlugin *p, const LilvPort *port,
            const char *predicate_uri, dumper *d)
{
	LilvNode *pred = lilv_new_uri(d->world, predicate_uri);
	print_sorted(prefix, lilv_port_get_value(p, port, pred));
	lilv_node_free(pred);
}

static void
print_plugin_value(const char *prefix, const LilvPlugin *p, const char *predicate_uri, dumper *d)
{
	LilvNode *pred = lilv_new_uri(d->world, predicate_uri);
	print_sorted(prefix, lilv_plugin_get_value(p, pred));
	lilv_node_free(pred);
}

static void
dump_port(const LilvPlugin *p, uint32_t index, const char *uri, dumper *d)
{
	const LilvPort *port = lilv_plugin_get_port_by_index(p, index);
	char prefix[512];
	const char *sym = lilv_node_as_string(lilv_port_get_symbol(p, port));
	snprintf(prefix, sizeof prefix, "%s port %u %s", uri, index, sym);

	LilvNode *name = lilv_port_get_name(p, port);
	printf("%s name \"%s\"\n", prefix, lilv_node_as_string(name));
	lilv_node_free(name);

	char what[600];
	snprintf(what, sizeof what, "%s a", prefix);
	print_value(what, p, port, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", d);

	LilvNode *def = NULL, *min = NULL, *max = NULL;
	lilv_port_get_range(p, port, &def, &min, &max);
	if (def) {
		printf("%s default %g\n", prefix, lilv_node_as_float(def));
	}
	if (min) {
		printf("%s minimum %g\n", prefix, lilv_node_as_float(min));
	}
	if (max) {
		printf("%s maximum %g\n", prefix, lilv_node_as_float(max));
	}
	lilv_node_free(def);
	lilv_node_free(min);
	lilv_node_free(max);

	snprintf(what, sizeof what, "%s property", prefix);
	print_sorted(what, lilv_port_get_properties(p, port));
	snprintf(what, sizeof what, "%s unit", prefix);
	print_value(what, p, port, LV2_UNITS__unit, d);

	/* sorted by value: lilv returns them in no particular order */
	LilvScalePoints *points = lilv_port_get_scale_points(p, port);
	const unsigned n_points = points ? lilv_scale_points_size(points) : 0;
	const LilvScalePoint **sp = calloc(n_points ? n_points : 1, sizeof *sp);
	unsigned k = 0;
	LILV_FOREACH (scale_points, i, points) {
		sp[k++] = lilv_scale_points_get(points, i);
	}
	qsort(sp, k, sizeof *sp, compare_scale_points);
	for (unsigned i = 0; i < k; ++i) {
		printf("%s scalePoint %g \"%s\"\n", prefix,
		       lilv_node_as_float(lilv_scale_point_get_value(sp[i])),
		       lilv_node_as_string(lilv_scale_point_get_label(sp[i])));
	}
	free(sp);
	lilv_scale_points_free(points);

	if (d->all) {
		snprintf(what, sizeof what, "%s comment", prefix);
		print_value(what, p, port, RDFS "comment", d);
		snprintf(what, sizeof what, "%s group", prefix);
		print_value(what, p, port, "http://lv2plug.in/ns/ext/port-groups#group", d);
	}
}

static void
dump_presets(const LilvPlugin *p, const char *uri, dumper *d)
{
	LilvNode *preset_class = lilv_new_uri(d->world, LV2_PRESETS__Preset);
	LilvNode *label_pred = lilv_new_uri(d->world, RDFS "label");
	LilvNodes *presets = lilv_plugin_get_related(p, preset_class);
	/* by URI, not in the order lilv returns them */
	const unsigned n_presets = lilv_nodes_size(presets);
	const LilvNode **sorted = calloc(n_presets ? n_presets : 1, sizeof *sorted);
	unsigned n_sorted = 0;
	LILV_FOREACH (nodes, i, presets) {
		sorted[n_sorted++] = lilv_nodes_get(presets, i);
	}
	qsort(sorted, n_sorted, sizeof *sorted, compare_node_uris);
	for (unsigned i = 0; i < n_sorted; ++i) {
		const LilvNode *preset = sorted[i];
		lilv_world_load_resource(d->world, preset);
		const char *puri = lilv_node_as_uri(preset);
		LilvNodes *labels = lilv_world_find_nodes(d->world, preset, label_pred, NULL);
		LILV_FOREACH (nodes, l, labels) {
			printf("%s preset %s label \"%s\"\n", uri, puri,
			       lilv_node_as_string(lilv_nodes_get(labels, l)));
		}
		lilv_nodes_free(labels);

		LilvNode *port_pred = lilv_new_uri(d->world, LV2_CORE__port);
		LilvNode *sym_pred = lilv_new_uri(d->world, LV2_CORE__symbol);
		LilvNode *val_pred = lilv_new_uri(d->world, LV2_PRESETS__value);
		LilvNodes *ports = lilv_world_find_nodes(d->world, preset, port_pred, NULL);
		unsigned n = lilv_nodes_size(ports), k = 0;
		char **lines = calloc(n ? n : 1, sizeof *lines);
		LILV_FOREACH (nodes, j, ports) {
			const LilvNode *port = lilv_nodes_get(ports, j);
			LilvNode *sym = lilv_world_get(d->world, port, sym_pred, NULL);
			LilvNode *val = lilv_world_get(d->world, port, val_pred, NULL);
			char *tok = val ? lilv_node_get_turtle_token(val) : NULL;
			const char *s = sym ? lilv_node_as_string(sym) : "?";
			size_t len = strlen(uri) + strlen(puri) + strlen(s) +
			             (tok ? strlen(tok) : 1) + 32;
			lines[k] = malloc(len);
			snprintf(lines[k], len, "%s preset %s value %s %s", uri, puri, s,
			         tok ? tok : "?");
			++k;
			lilv_free(tok);
			lilv_node_free(sym);
			lilv_node_free(val);
		}
		qsort(lines, k, sizeof *lines, compare_strings);
		for (unsigned j = 0; j < k; ++j) {
			printf("%s\n", lines[j]);
			free(lines[j]);
		}
		free(lines);
		lilv_nodes_free(ports);
		lilv_node_free(port_pred);
		lilv_node_free(sym_pred);
		lilv_node_free(val_pred);
		if (d->all) {
			char what[512];
			snprintf(what, sizeof what, "%s preset %s comment", uri, puri);
			LilvNode *cpred = lilv_new_uri(d->world, RDFS "comment");
			print_sorted(what, lilv_world_find_nodes(d->world, preset, cpred, NULL));
			lilv_node_free(cpred);
		}
	}
	free(sorted);
	lilv_nodes_free(presets);
	lilv_node_free(label_pred);
	lilv_node_free(preset_class);
}

static void
dump_plugin(const LilvPlugin *p, dumper *d)
{
	const char *uri = lilv_node_as_uri(lilv_plugin_get_uri(p));
	printf("%s plugin\n", uri);
	char what[512];
	snprintf(what, sizeof what, "%s a", uri);
	print_plugin_value(what, p, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", d);
	if (d->all) {
		static const char *const facts[][2] = {
		        {"name", DOAP "name"},
		        {"shortdesc", DOAP "shortdesc"},
		        {"comment", RDFS "comment"},
		        {"license", DOAP "license"},
		        {"project", LV2_CORE__project},
		        {"minorVersion", LV2_CORE__minorVersion},
		        {"microVersion", LV2_CORE__microVersion},
		        {"optionalFeature", LV2_CORE__optionalFeature},
		        {"requiredFeature", LV2_CORE__requiredFeature},
		        {"extensionData", LV2_CORE__extensionData},
		        {"binary", LV2_CORE__binary},
		};
		for (size_t i = 0; i < sizeof facts / sizeof facts[0]; ++i) {
			snprintf(what, sizeof what, "%s %s", uri, facts[i][0]);
			print_plugin_value(what, p, facts[i][1], d);
		}
	}
	const uint32_t n = lilv_plugin_get_num_ports(p);
	printf("%s ports %u\n", uri, n);
	for (uint32_t i = 0; i < n; ++i) {
		dump_port(p, i, uri, d);
	}
	dump_presets(p, uri, d);
}

int
main(int argc, char **argv)
{
	dumper d = {0};
	int arg = 1;
	if (arg < argc && strcmp(argv[arg], "--all") == 0) {
		d.all = true;
		++arg;
	}
	if (arg + 1 != argc) {
		fprintf(stderr, "usage: api-dump [--all] BASE_URI\n");
		return 2;
	}
	const char *base = argv[arg];
	d.world = lilv_world_new();
	lilv_world_load_all(d.world);
	const LilvPlugins *plugins = lilv_world_get_all_plugins(d.world);

	/* Sorted by URI: the dump does not depend on the order of the manifest. */
	const unsigned total = lilv_plugins_size(plugins);
	const LilvPlugin **mine = calloc(total ? total : 1, sizeof *mine);
	unsigned n = 0;
	LILV_FOREACH (plugins, i, plugins) {
		const LilvPlugin *p = lilv_plugins_get(plugins, i);
		if (strncmp(lilv_node_as_uri(lilv_plugin_get_uri(p)), base, strlen(base)) == 0) {
			mine[n++] = p;
		}
	}
	for (unsigned i = 0; i < n; ++i) {
		for (unsigned j = i + 1; j < n; ++j) {
			if (strcmp(lilv_node_as_uri(lilv_plugin_get_uri(mine[j])),
			           lilv_node_as_uri(lilv_plugin_get_uri(mine[i]))) < 0) {
				const LilvPlugin *t = mine[i];
				mine[i] = mine[j];
				mine[j] = t;
			}
		}
	}
	for (unsigned i = 0; i < n; ++i) {
		dump_plugin(mine[i], &d);
	}
	free(mine);
	lilv_world_free(d.world);
	if (n == 0) {
		fprintf(stderr, "api-dump: no plugin under %s on LV2_PATH=%s\n", base,
		        getenv("LV2_PATH") ? getenv("LV2_PATH") : "(unset)");
		return 1;
	}
	return 0;
}
