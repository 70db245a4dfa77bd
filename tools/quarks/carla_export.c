/* The exporter. Carla has no sources and only two system inputs and outputs, so graph inputs
 * and sources take `Audio Input:Left/Right` in declaration order and graph outputs take
 * `Audio Output:Left/Right`; what does not fit is left unconnected and reported. */
#define _POSIX_C_SOURCE 200809L
#include "carla_export.h"

#include "carla_ports.h"

#include <lilv/lilv.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const qk_graph *g;
  qk_engine *e;
  qk_uris u;
  qk_plugins *plugins; /* ports and their lv2:names, read once per plugin */
  struct {
    const qk_plugin_info *info;
    char *name;
  } *names; /* plugin names for the comments */
  size_t n_names;
  FILE *out, *notes;
  qk_diag *d;
  int *channel; /* per declaration: system channel 0/1 of an input, source or output, or -1 */
} exporter;

/* XML text with the five special characters escaped. */
static void put_text(FILE *f, const char *s)
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

/* A comment may not contain "--". */
static void put_comment(FILE *f, const char *s)
{
  fputs(" <!-- ", f);
  for (; *s; s++)
    fputc(*s == '-' && s[1] == '-' ? '_' : *s, f);
  fputs(" -->\n", f);
}

static void put_element(FILE *f, const char *indent, const char *tag, const char *text)
{
  fprintf(f, "%s<%s>", indent, tag);
  put_text(f, text);
  fprintf(f, "</%s>\n", tag);
}

static void assign_channels(exporter *x)
{
  int next_in = 0, next_out = 0;
  for (size_t i = 0; i < x->g->n_decls; i++) {
    const qk_decl *dc = &x->g->decls[i];
    x->channel[i] = -1;
    if (dc->kind == QK_DECL_NODE)
      continue;
    int is_out = dc->kind == QK_DECL_OUTPUT;
    int *next = is_out ? &next_out : &next_in;
    const char *sys = is_out ? QK_CARLA_OUT : QK_CARLA_IN;
    if (*next < 2) {
      x->channel[i] = (*next)++;
      const char *what = dc->kind == QK_DECL_SOURCE ? "source" : is_out ? "output" : "input";
      if (dc->kind == QK_DECL_SOURCE)
        fprintf(x->notes, "note: source '%s' (%s) has no Carla counterpart: exported as the graph "
                "input %s:%s (quarks render --input %s=FILE)\n", dc->name, dc->type, sys,
                qk_carla_channel[x->channel[i]], qk_carla_in_name[x->channel[i]]);
      else
        fprintf(x->notes, "%s '%s' -> %s:%s\n", what, dc->name, sys,
                qk_carla_channel[x->channel[i]]);
    } else {
      fprintf(x->notes, "note: %s '%s' left unconnected: Carla's patchbay has only %s:Left and "
              "%s:Right\n", is_out ? "output" : dc->kind == QK_DECL_SOURCE ? "source" : "input",
              dc->name, sys, sys);
    }
  }
}

/* The plugin's name (the comment above each <Plugin>), asked of lilv once per plugin: a graph
 * has few plugins and many instances of them, so a short list searched in order will do. */
static const char *plugin_name(exporter *x, const qk_plugin_info *p)
{
  for (size_t i = 0; i < x->n_names; i++)
    if (x->names[i].info == p)
      return x->names[i].name;
  LilvNode *name = lilv_plugin_get_name(p->plugin);
  char *copy = strdup(name ? lilv_node_as_string(name) : p->uri);
  lilv_node_free(name);
  void *grown = copy ? realloc(x->names, (x->n_names + 1) * sizeof *x->names) : NULL;
  if (!grown) {
    free(copy);
    return NULL;
  }
  x->names = grown;
  x->names[x->n_names].info = p;
  x->names[x->n_names++].name = copy;
  return copy;
}

static int put_plugin(exporter *x, const qk_decl *dc)
{
  qk_plugin_info *p = NULL;
  int found = qk_plugins_get(x->plugins, dc->type, &p);
  if (found != 0)
    return found < 0 ? qk_fail(x->d, x->g->path, dc->line, "out of memory")
                     : qk_fail(x->d, x->g->path, dc->line, "unknown plugin '%s'", dc->type);
  const char *pname_of_plugin = plugin_name(x, p);
  if (!pname_of_plugin)
    return qk_fail(x->d, x->g->path, dc->line, "out of memory");
  put_comment(x->out, pname_of_plugin);
  fputs(" <Plugin>\n  <Info>\n", x->out);
  put_element(x->out, "   ", "Type", "LV2");
  put_element(x->out, "   ", "Name", dc->name);
  put_element(x->out, "   ", "URI", p->uri);
  fputs("  </Info>\n\n  <Data>\n", x->out);
  put_element(x->out, "   ", "Active", "Yes");
  put_element(x->out, "   ", "ControlChannel", "N");
  put_element(x->out, "   ", "Options", "0x0");
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
      return qk_fail(x->d, x->g->path, dc->line, "'%s': control '%s' has no value or name",
                     dc->name, sym);
    snprintf(num, sizeof num, "%.9g", (double)*v);
    fprintf(x->out, "\n   <Parameter>\n    <Index>%d</Index>\n", index++);
    put_element(x->out, "    ", "Name", pname);
    put_element(x->out, "    ", "Symbol", sym);
    put_element(x->out, "    ", "Value", num);
    fputs("   </Parameter>\n", x->out);
  }
  fputs("  </Data>\n </Plugin>\n\n", x->out);
  return 0;
}

/* "GROUP:PORT" of one end of a connection; 1 if that end has no place in Carla. */
static int endpoint(exporter *x, size_t di, const char *port, int is_source, const qk_conn *c,
                    char *out, size_t cap)
{
  const qk_decl *dc = &x->g->decls[di];
  if (dc->kind != QK_DECL_NODE) {
    if (x->channel[di] < 0)
      return 1;
    snprintf(out, cap, "%s:%s", is_source ? QK_CARLA_IN : QK_CARLA_OUT,
             qk_carla_channel[x->channel[di]]);
    return 0;
  }
  qk_plugin_info *p = NULL;
  if (qk_plugins_get(x->plugins, dc->type, &p) != 0)
    return qk_fail(x->d, x->g->path, c->line, "unknown plugin '%s' or out of memory", dc->type);
  qk_port_kind want = is_source ? QK_PORT_AUDIO_OUT : QK_PORT_AUDIO_IN;
  long lp = -1;
  if (port) {
    lp = qk_info_port(p, port);
  } else { /* `NODE` alone: its one audio output */
    for (uint32_t i = 0; i < p->n_ports; i++)
      if (p->kind[i] == want)
        lp = (long)i;
  }
  const char *name = lp >= 0 && p->kind[lp] == want ? qk_info_port_name(x->plugins, p,
                                                                         (uint32_t)lp) : NULL;
  if (!name || strlen(name) >= 256)
    return qk_fail(x->d, x->g->path, c->line, "'%s.%s' is not an audio %s with an lv2:name",
                   dc->name, port ? port : "?", is_source ? "output" : "input");
  if (strchr(name, ':') || qk_info_port_by_name(x->plugins, p, name) != lp)
    return qk_fail(x->d, x->g->path, c->line, "port '%s' of '%s' has the name '%s', which "
                   "Carla cannot address (it contains ':' or is not unique)", port ? port : "",
                   dc->type, name);
  snprintf(out, cap, "%s:%s", dc->name, name);
  return 0;
}

static int put_connections(exporter *x)
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
    put_element(x->out, "   ", "Source", from);
    put_element(x->out, "   ", "Target", to);
    fputs("  </Connection>\n", x->out);
  }
  fputs(" </Patchbay>\n\n <ExternalPatchbay>\n </ExternalPatchbay>\n", x->out);
  return 0;
}

static const char header[] =
  "<?xml version='1.0' encoding='UTF-8'?>\n"
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

int qk_carla_export(const qk_graph *g, qk_engine *e, FILE *out, FILE *notes, qk_diag *d)
{
  exporter x = {.g = g, .e = e, .out = out, .notes = notes, .d = d};
  LilvWorld *w = lilv_world_new();
  x.channel = calloc(g->n_decls ? g->n_decls : 1, sizeof *x.channel);
  if (!w || !x.channel) {
    if (w)
      lilv_world_free(w);
    free(x.channel);
    return qk_fail(d, g->path, 0, "out of memory");
  }
  qk_world_load(w);
  qk_uris_init(&x.u, w);
  int rc = 0;
  if (!(x.plugins = qk_plugins_new(&x.u)))
    rc = qk_fail(d, g->path, 0, "out of memory");
  if (rc == 0) {
    assign_channels(&x);
    fputs(header, out);
  }
  for (size_t i = 0; i < g->n_decls && rc == 0; i++)
    if (g->decls[i].kind == QK_DECL_NODE)
      rc = put_plugin(&x, &g->decls[i]);
  if (rc == 0)
    rc = put_connections(&x);
  if (rc == 0)
    fputs("</CARLA-PROJECT>\n", out);
  for (size_t i = 0; i < x.n_names; i++)
    free(x.names[i].name);
  free(x.names);
  qk_plugins_free(x.plugins);
  qk_uris_free(&x.u);
  lilv_world_free(w);
  free(x.channel);
  return rc;
}
