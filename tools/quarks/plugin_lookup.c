#define _POSIX_C_SOURCE 200809L
#include "plugin_lookup.h"

#include "number.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void qk_world_load(LilvWorld *w)
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

void qk_uris_init(qk_uris *u, LilvWorld *w)
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

void qk_uris_free(qk_uris *u)
{
  LilvNode **all[] = {&u->audio, &u->control, &u->input, &u->output, &u->optional,
                      &u->preset, &u->port, &u->symbol, &u->value, &u->label};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    lilv_node_free(*all[i]);
    *all[i] = NULL;
  }
}

const LilvPlugin *qk_find_plugin(const qk_uris *u, const char *name)
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

static void append(char *out, size_t cap, const char *sep, const char *s)
{
  if (out[0])
    strncat(out, sep, cap - strlen(out) - 1);
  strncat(out, s, cap - strlen(out) - 1);
}

void qk_list_plugins(const qk_uris *u, char *out, size_t cap)
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

qk_port_kind qk_port_kind_of(const qk_uris *u, const LilvPlugin *p, const LilvPort *port)
{
  int in = lilv_port_is_a(p, port, u->input), out = lilv_port_is_a(p, port, u->output);
  if (lilv_port_is_a(p, port, u->audio))
    return in ? QK_PORT_AUDIO_IN : out ? QK_PORT_AUDIO_OUT : QK_PORT_OTHER;
  if (lilv_port_is_a(p, port, u->control))
    return in ? QK_PORT_CONTROL_IN : out ? QK_PORT_CONTROL_OUT : QK_PORT_OTHER;
  return QK_PORT_OTHER;
}

int qk_port_optional(const qk_uris *u, const LilvPlugin *p, const LilvPort *port)
{
  return lilv_port_has_property(p, port, u->optional);
}

const LilvPort *qk_find_port(const qk_uris *u, const LilvPlugin *p, const char *symbol)
{
  LilvNode *s = lilv_new_string(u->world, symbol);
  const LilvPort *port = lilv_plugin_get_port_by_symbol(p, s);
  lilv_node_free(s);
  return port;
}

void qk_list_ports(const qk_uris *u, const LilvPlugin *p, qk_port_kind kind, char *out,
                   size_t cap)
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
static int label_matches(const char *label, const char *text)
{
  size_t n = strlen(text);
  if (strncasecmp(label, text, n) != 0)
    return 0;
  return label[n] == '\0' || label[n] == ' ' || label[n] == '(';
}

int qk_control_value(const qk_uris *u, const LilvPlugin *p, const LilvPort *port,
                     const char *text, float *out)
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
    if (rc != 0 && label_matches(lilv_node_as_string(lilv_scale_point_get_label(sp)), text)) {
      *out = lilv_node_as_float(lilv_scale_point_get_value(sp));
      rc = 0;
    }
  }
  lilv_scale_points_free(points);
  return rc;
}

/* Does preset (already loaded) answer to name? */
static int preset_matches(const qk_uris *u, const LilvNode *preset, const char *name)
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

int qk_apply_preset(const qk_uris *u, const LilvPlugin *p, const char *name, float *controls,
                    char *err, size_t err_len)
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
        snprintf(err, err_len, "preset '%s' sets %s, which is not a control of %s", name,
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
