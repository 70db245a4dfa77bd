/* Checks an exported Carla project against its graph, independently of the exporter's code:
 * XML by libxml2, port names straight from the plugins' TTL through lilv, control values from
 * the render engine built from the graph.
 *   check_carxp --shape FILE.carxp        only the file's shape (run on Carla's own file too)
 *   check_carxp GRAPH FILE.carxp          shape, then every node, parameter and connection
 * Prints each problem; exit 0 if there is none. */
#define _POSIX_C_SOURCE 200809L
#include "base_uri.h"
#include "engine.h"
#include "graph.h"

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

static void problem(checker *c, const char *fmt, const char *a, const char *b)
{
  printf("FAIL: ");
  printf(fmt, a, b);
  printf("\n");
  c->errors++;
}

static int is_elem(const xmlNode *n, const char *name)
{
  return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
  for (const xmlNode *k = n->children; k; k = k->next)
    if (is_elem(k, name))
      return k;
  return NULL;
}

/* Text of a child element (static buffer per call site is avoided: caller's buffer). */
static const char *text(const xmlNode *n, const char *name, char *buf, size_t cap)
{
  const xmlNode *k = child(n, name);
  xmlChar *t = k ? xmlNodeGetContent(k) : NULL;
  snprintf(buf, cap, "%s", t ? (const char *)t : "");
  xmlFree(t);
  return k ? buf : NULL;
}

/* The order of the top-level elements and a comment before each plugin, as Carla writes. */
static void check_shape(checker *c, xmlDoc *doc)
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
      problem(c, "element <%s> out of Carla's order%s", (const char *)k->name, "");
      return;
    }
    if (at == 2) {
      if (!comment_before)
        problem(c, "no comment (the plugin's name) before a <Plugin>%s%s", "", "");
      const xmlNode *info = child(k, "Info"), *data = child(k, "Data");
      char b[512];
      if (!info || !data || !text(info, "Type", b, sizeof b) || !text(info, "Name", b, sizeof b)
          || !text(info, "URI", b, sizeof b) || !text(data, "Active", b, sizeof b))
        problem(c, "a <Plugin> without Info/Type, Name, URI or Data/Active%s%s", "", "");
    }
    comment_before = 0;
  }
  if (at < 4)
    problem(c, "no <Patchbay> and <ExternalPatchbay>%s%s", "", "");
}

static const LilvPlugin *plugin_of(checker *c, const char *type)
{
  char uri[512];
  snprintf(uri, sizeof uri, "%s%s", strchr(type, ':') ? "" : BASE, type);
  LilvNode *n = lilv_new_uri(c->world, uri);
  const LilvPlugin *p = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(c->world), n);
  lilv_node_free(n);
  return p;
}

/* lv2:name of the port with this symbol (or the one audio output when sym is NULL). */
static int port_name(checker *c, const LilvPlugin *p, const char *sym, char *out, size_t cap)
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

static const xmlNode *find_plugin(const xmlNode *root, const char *name)
{
  char b[512];
  for (const xmlNode *k = root->children; k; k = k->next)
    if (is_elem(k, "Plugin") && child(k, "Info") && text(child(k, "Info"), "Name", b, sizeof b)
        && strcmp(b, name) == 0)
      return k;
  return NULL;
}

static void check_node(checker *c, const qk_decl *dc, const xmlNode *pl, qk_engine *e)
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
      if (!is_elem(k, "Parameter") || !text(k, "Symbol", b, sizeof b) || strcmp(b, sym) != 0)
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
      problem(c, "%s: written %s times, not once", key, found ? "several" : "zero");
    index++;
  }
}

/* GROUP:PORT of one end of connection k, derived from the graph and the TTL. */
static int expect_end(checker *c, const qk_graph *g, const int *channel, size_t di,
                      const char *port, int from, char *out, size_t cap)
{
  const qk_decl *dc = &g->decls[di];
  if (dc->kind != QK_DECL_NODE) {
    if (channel[di] < 0)
      return 1;
    snprintf(out, cap, "Audio %s:%s", from ? "Input" : "Output", channel[di] ? "Right" : "Left");
    return 0;
  }
  char name[256];
  const LilvPlugin *p = plugin_of(c, dc->type);
  if (!p || port_name(c, p, port, name, sizeof name) != 0)
    return -1;
  snprintf(out, cap, "%s:%s", dc->name, name);
  return 0;
}

static void check_graph(checker *c, const char *graph_path, xmlDoc *doc)
{
  qk_graph g;
  qk_diag d;
  qk_engine *e = NULL;
  qk_engine_config cfg = {.rate = 48000, .max_block = 1, .external_inputs = 1};
  if (qk_graph_load(graph_path, &g, &d) != 0 || qk_engine_new(&g, &cfg, &e, &d) != 0) {
    problem(c, "%s%s", d.msg, "");
    return;
  }
  const xmlNode *root = xmlDocGetRootElement(doc);
  int *channel = calloc(g.n_decls + 1, sizeof *channel);
  int ins = 0, outs = 0;
  size_t n_nodes = 0, n_plugins = 0, n_expected = 0, n_conns = 0;
  for (size_t i = 0; i < g.n_decls; i++) {
    const qk_decl *dc = &g.decls[i];
    int *next = dc->kind == QK_DECL_OUTPUT ? &outs : &ins;
    channel[i] = dc->kind == QK_DECL_NODE ? -1 : *next < 2 ? (*next)++ : -1;
    if (dc->kind != QK_DECL_NODE)
      continue;
    n_nodes++;
    const xmlNode *pl = find_plugin(root, dc->name);
    if (!pl)
      problem(c, "node '%s' has no <Plugin>%s", dc->name, "");
    else
      check_node(c, dc, pl, e);
  }
  for (const xmlNode *k = root->children; k; k = k->next)
    n_plugins += is_elem(k, "Plugin");
  if (n_plugins != n_nodes)
    problem(c, "%s plugins for %s nodes", n_plugins > n_nodes ? "more" : "fewer", "the graph's");
  const xmlNode *pb = child(root, "Patchbay");
  for (const xmlNode *k = pb ? pb->children : NULL; k; k = k->next)
    n_conns += is_elem(k, "Connection");
  for (size_t i = 0; i < g.n_conns; i++) {
    const qk_conn *cn = &g.conns[i];
    char from[512], to[512], b1[512], b2[512];
    int a = expect_end(c, &g, channel, cn->from, cn->from_port, 1, from, sizeof from);
    int b = expect_end(c, &g, channel, cn->to, cn->to_port, 0, to, sizeof to);
    if (a < 0 || b < 0) {
      problem(c, "a connection of the graph names a port without lv2:name%s%s", "", "");
      continue;
    }
    if (a || b)
      continue;
    n_expected++;
    int found = 0;
    for (const xmlNode *k = pb ? pb->children : NULL; k; k = k->next)
      found += is_elem(k, "Connection") && text(k, "Source", b1, sizeof b1) &&
               text(k, "Target", b2, sizeof b2) && !strcmp(b1, from) && !strcmp(b2, to);
    if (found != 1)
      problem(c, "connection %s -> %s missing or repeated", from, to);
  }
  if (n_conns != n_expected)
    problem(c, "the file has %s connections than the graph%s", n_conns > n_expected ? "more"
            : "fewer", "");
  printf("checked %zu plugins and %zu connections\n", n_plugins, n_conns);
  free(channel);
  qk_engine_free(e);
  qk_graph_free(&g);
}

int main(int argc, char **argv)
{
  int shape_only = argc == 3 && strcmp(argv[1], "--shape") == 0;
  if (argc != 3) {
    fprintf(stderr, "usage: check_carxp --shape FILE.carxp | check_carxp GRAPH FILE.carxp\n");
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
