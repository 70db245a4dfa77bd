/* Building an engine from a parsed graph: plugins through lilv, sources, file inputs, and the
 * schedule of operations that qk_engine_process() runs. All allocation happens here. */
#define _POSIX_C_SOURCE 200809L
#include "engine_impl.h"

#include "plugin_lookup.h"
#include "source_spec.h"
#include "wavin.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per-declaration state while building. */
typedef struct {
  long node;     /* index into e->nodes, or -1 */
  float *out;    /* a source's or input's buffer */
  float **port_out; /* a node's audio output buffers, by port index (NULL elsewhere) */
  op source;        /* a source's or input's operation, scheduled once the order is known */
  int external;     /* an input filled by the host: no operation */
} decl_state;

/* A connection with its ends resolved to a buffer and a destination port. */
typedef struct {
  const float *from;
  size_t to;    /* declaration */
  long to_port; /* port index, or -1 for a graph output */
} wire;

typedef struct {
  qk_engine *e;
  const qk_graph *g;
  const qk_engine_config *cfg;
  qk_diag *d;
  qk_uris u;
  decl_state *ds;
  wire *wires;
  size_t ops_cap;
} builder;

static float *new_buffer(builder *b)
{
  qk_engine *e = b->e;
  float **bufs = realloc(e->buffers, (e->n_buffers + 1) * sizeof *bufs);
  if (!bufs)
    return NULL;
  e->buffers = bufs;
  float *buf = calloc(e->max_block, sizeof *buf);
  if (buf)
    e->buffers[e->n_buffers++] = buf;
  return buf;
}

static op *new_op(builder *b, op_kind kind)
{
  qk_engine *e = b->e;
  if (e->n_ops == b->ops_cap) {
    size_t cap = b->ops_cap ? b->ops_cap * 2 : 16;
    op *ops = realloc(e->ops, cap * sizeof *ops);
    if (!ops)
      return NULL;
    e->ops = ops;
    b->ops_cap = cap;
  }
  op *o = &e->ops[e->n_ops++];
  memset(o, 0, sizeof *o);
  o->kind = kind;
  return o;
}

static int add_signal(builder *b, const char *name, const char *port, const float *buf)
{
  qk_engine *e = b->e;
  signal_ref *s = realloc(e->signals, (e->n_signals + 1) * sizeof *s);
  if (!s)
    return qk_fail(b->d, b->g->path, 0, "out of memory");
  e->signals = s;
  size_t len = strlen(name) + (port ? strlen(port) + 1 : 0) + 1;
  char *full = malloc(len);
  if (!full)
    return qk_fail(b->d, b->g->path, 0, "out of memory");
  snprintf(full, len, port ? "%s.%s" : "%s", name, port);
  e->signals[e->n_signals].name = full;
  e->signals[e->n_signals++].buf = buf;
  return 0;
}

static const qk_input_file *file_for(const qk_engine_config *cfg, const char *name)
{
  for (size_t i = 0; i < cfg->n_files; i++)
    if (strcmp(cfg->files[i].name, name) == 0)
      return &cfg->files[i];
  return NULL;
}

/* An input the host fills: a buffer and no operation. */
static int build_external(builder *b, size_t di)
{
  qk_engine *e = b->e;
  const qk_decl *decl = &b->g->decls[di];
  float *out = new_buffer(b);
  char *name = strdup(decl->name);
  if (!out || !name) {
    free(name);
    return qk_fail(b->d, b->g->path, decl->line, "out of memory");
  }
  e->inputs[e->n_inputs].name = name;
  e->inputs[e->n_inputs++].buf = out;
  b->ds[di].out = out;
  b->ds[di].external = 1;
  return 0;
}

/* A `source` or `input` line: its buffer and the operation that fills it. */
static int build_source(builder *b, size_t di)
{
  const qk_decl *decl = &b->g->decls[di];
  const qk_input_file *override = decl->kind == QK_DECL_INPUT ? file_for(b->cfg, decl->name)
                                                              : NULL;
  if (!override && decl->kind == QK_DECL_INPUT && b->cfg->external_inputs)
    return build_external(b, di);
  qk_source_spec spec;
  memset(&spec, 0, sizeof spec);
  if (override) {
    spec.is_file = 1;
    spec.channel = 1;
    if (!(spec.path = strdup(override->path)))
      return qk_fail(b->d, b->g->path, decl->line, "out of memory");
  } else if (!decl->type) {
    return qk_fail(b->d, b->g->path, decl->line, "input '%s' has no signal: give it one with "
                   "--input %s=FILE, or declare 'input %s = KIND ...'", decl->name, decl->name,
                   decl->name);
  } else if (qk_source_spec_parse(b->g, decl, b->e->rate, &spec, b->d) != 0) {
    free(spec.path);
    return -1;
  }
  float *out = new_buffer(b);
  if (!out) {
    free(spec.path);
    return qk_fail(b->d, b->g->path, decl->line, "out of memory");
  }
  op *o = &b->ds[di].source;
  o->kind = spec.is_file ? OP_FILE : OP_SOURCE;
  o->out = out;
  b->ds[di].out = out;
  o->source = spec.source;
  o->loop = spec.loop;
  int rc = 0;
  if (spec.is_file) {
    char err[768];
    float *data = NULL;
    float **files = realloc(b->e->files, (b->e->n_files + 1) * sizeof *files);
    if (!files) {
      rc = qk_fail(b->d, b->g->path, decl->line, "out of memory");
    } else {
      b->e->files = files;
      if (qk_wav_load(spec.path, spec.channel, b->e->rate, &data, &o->file_frames, err,
                      sizeof err) != 0) {
        rc = qk_fail(b->d, b->g->path, decl->line, "%s", err);
      } else {
        b->e->files[b->e->n_files++] = data;
        o->file = data;
        if (o->file_frames > b->e->file_frames)
          b->e->file_frames = o->file_frames;
      }
    }
  }
  free(spec.path);
  return rc;
}

/* Sets one control from a node line's KEY=VALUE. */
static int apply_setting(builder *b, const LilvPlugin *p, const qk_decl *decl,
                         const qk_setting *s, float *controls)
{
  const LilvPort *port = qk_find_port(&b->u, p, s->key);
  char list[512];
  qk_list_ports(&b->u, p, QK_PORT_CONTROL_IN, list, sizeof list);
  if (!port)
    return qk_fail(b->d, b->g->path, s->line, "'%s' (%s) has no control '%s' (controls: %s)",
                   decl->name, decl->type, s->key, list);
  qk_port_kind k = qk_port_kind_of(&b->u, p, port);
  if (k != QK_PORT_CONTROL_IN)
    return qk_fail(b->d, b->g->path, s->line, "'%s.%s' is %s, not a control: connect a "
                   "signal to it with '->' (controls: %s)", decl->name, s->key,
                   k == QK_PORT_AUDIO_IN ? "an audio input" : "an output", list);
  float v;
  if (qk_control_value(&b->u, p, port, s->value, &v) != 0)
    return qk_fail(b->d, b->g->path, s->line, "malformed number '%s' for '%s'", s->value,
                   s->key);
  controls[lilv_port_get_index(p, port)] = v;
  return 0;
}

static int build_node(builder *b, size_t di)
{
  const qk_decl *decl = &b->g->decls[di];
  qk_engine *e = b->e;
  const LilvPlugin *p = qk_find_plugin(&b->u, decl->type);
  if (!p) {
    char list[512];
    qk_list_plugins(&b->u, list, sizeof list);
    return qk_fail(b->d, b->g->path, decl->line, "unknown plugin '%s' (plugins: %s)",
                   decl->type, list);
  }
  LilvNodes *req = lilv_plugin_get_required_features(p);
  if (req && lilv_nodes_size(req) > 0) {
    const char *first = lilv_node_as_uri(lilv_nodes_get(req, lilv_nodes_begin(req)));
    lilv_nodes_free(req);
    return qk_fail(b->d, b->g->path, decl->line, "plugin '%s' needs the host feature <%s>, "
                   "which quarks does not provide", decl->type, first);
  }
  lilv_nodes_free(req);
  node *nd = &e->nodes[e->n_nodes];
  memset(nd, 0, sizeof *nd);
  b->ds[di].node = (long)e->n_nodes++;
  uint32_t np = lilv_plugin_get_num_ports(p);
  nd->plugin = p;
  nd->name = strdup(decl->name);
  nd->controls = calloc(np ? np : 1, sizeof *nd->controls);
  float *mins = calloc(np ? np : 1, sizeof *mins), *defs = calloc(np ? np : 1, sizeof *defs);
  b->ds[di].port_out = calloc(np ? np : 1, sizeof *b->ds[di].port_out);
  if (!nd->name || !nd->controls || !mins || !defs || !b->ds[di].port_out) {
    free(mins);
    free(defs);
    return qk_fail(b->d, b->g->path, decl->line, "out of memory");
  }
  lilv_plugin_get_port_ranges_float(p, mins, NULL, defs);
  for (uint32_t i = 0; i < np; i++)
    nd->controls[i] = !isnan(defs[i]) ? defs[i] : !isnan(mins[i]) ? mins[i] : 0.0f;
  free(mins);
  free(defs);
  /* The preset first, whatever its place on the line: explicit values then override it. */
  for (size_t i = 0; i < decl->n_settings; i++) {
    const qk_setting *s = &decl->settings[i];
    char err[768];
    if (strcmp(s->key, "preset") == 0 &&
        qk_apply_preset(&b->u, p, s->value, nd->controls, err, sizeof err) != 0)
      return qk_fail(b->d, b->g->path, s->line, "%s", err);
  }
  for (size_t i = 0; i < decl->n_settings; i++)
    if (strcmp(decl->settings[i].key, "preset") != 0 &&
        apply_setting(b, p, decl, &decl->settings[i], nd->controls) != 0)
      return -1;
  static const LV2_Feature *const no_features[] = {NULL};
  nd->instance = lilv_plugin_instantiate(p, e->rate, no_features);
  if (!nd->instance)
    return qk_fail(b->d, b->g->path, decl->line, "cannot instantiate '%s' (%s) at %.0f Hz",
                   decl->name, decl->type, e->rate);
  for (uint32_t i = 0; i < np; i++) {
    const LilvPort *port = lilv_plugin_get_port_by_index(p, i);
    switch (qk_port_kind_of(&b->u, p, port)) {
    case QK_PORT_CONTROL_IN:
    case QK_PORT_CONTROL_OUT:
      lilv_instance_connect_port(nd->instance, i, &nd->controls[i]);
      break;
    case QK_PORT_AUDIO_OUT: {
      float *buf = new_buffer(b);
      if (!buf)
        return qk_fail(b->d, b->g->path, decl->line, "out of memory");
      b->ds[di].port_out[i] = buf;
      lilv_instance_connect_port(nd->instance, i, buf);
      break;
    }
    case QK_PORT_AUDIO_IN:
      break; /* connected once the connections are known */
    case QK_PORT_OTHER:
      if (!qk_port_optional(&b->u, p, port))
        return qk_fail(b->d, b->g->path, decl->line, "plugin '%s' has a port '%s' of a type "
                       "quarks cannot drive (only audio and control ports)", decl->type,
                       lilv_node_as_string(lilv_port_get_symbol(p, port)));
      lilv_instance_connect_port(nd->instance, i, NULL);
      break;
    }
  }
  return 0;
}

/* The buffer a connection starts from. */
static int resolve_from(builder *b, const qk_conn *c, const float **buf)
{
  const qk_decl *decl = &b->g->decls[c->from];
  const char *port = c->from_port;
  if (decl->kind != QK_DECL_NODE) {
    if (port && strcmp(port, "out") != 0)
      return qk_fail(b->d, b->g->path, c->line, "'%s' is a %s: its only port is 'out'",
                     decl->name, decl->kind == QK_DECL_SOURCE ? "source" : "graph input");
    *buf = b->ds[c->from].out;
    return 0;
  }
  const LilvPlugin *p = b->e->nodes[b->ds[c->from].node].plugin;
  char outs[512];
  qk_list_ports(&b->u, p, QK_PORT_AUDIO_OUT, outs, sizeof outs);
  const LilvPort *lp = NULL;
  if (!port) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < lilv_plugin_get_num_ports(p); i++)
      if (qk_port_kind_of(&b->u, p, lilv_plugin_get_port_by_index(p, i)) == QK_PORT_AUDIO_OUT) {
        lp = lilv_plugin_get_port_by_index(p, i);
        n++;
      }
    if (n != 1)
      return qk_fail(b->d, b->g->path, c->line, "'%s' has %u audio outputs: name one as "
                     "'%s.PORT' (audio outputs: %s)", decl->name, n, decl->name, outs);
  } else if (!(lp = qk_find_port(&b->u, p, port))) {
    return qk_fail(b->d, b->g->path, c->line, "'%s' (%s) has no port '%s' (audio outputs: %s)",
                   decl->name, decl->type, port, outs);
  } else if (qk_port_kind_of(&b->u, p, lp) != QK_PORT_AUDIO_OUT) {
    return qk_fail(b->d, b->g->path, c->line, "'%s.%s' is not an audio output: a connection "
                   "starts at one (audio outputs: %s)", decl->name, port, outs);
  }
  *buf = b->ds[c->from].port_out[lilv_port_get_index(p, lp)];
  return 0;
}

/* The port a connection ends at: an audio input's index, or -1 for a graph output. */
static int resolve_to(builder *b, const qk_conn *c, long *port_index)
{
  const qk_decl *decl = &b->g->decls[c->to];
  const char *port = c->to_port;
  if (decl->kind == QK_DECL_OUTPUT) {
    if (port)
      return qk_fail(b->d, b->g->path, c->line, "'%s' is a graph output and has no ports: "
                     "write '... -> %s'", decl->name, decl->name);
    *port_index = -1;
    return 0;
  }
  const LilvPlugin *p = b->e->nodes[b->ds[c->to].node].plugin;
  char ins[512];
  qk_list_ports(&b->u, p, QK_PORT_AUDIO_IN, ins, sizeof ins);
  if (!port)
    return qk_fail(b->d, b->g->path, c->line, "name the input: '%s.PORT' (audio inputs: %s)",
                   decl->name, ins);
  const LilvPort *lp = qk_find_port(&b->u, p, port);
  if (!lp)
    return qk_fail(b->d, b->g->path, c->line, "'%s' (%s) has no port '%s' (audio inputs: %s)",
                   decl->name, decl->type, port, ins);
  qk_port_kind k = qk_port_kind_of(&b->u, p, lp);
  if (k == QK_PORT_CONTROL_IN)
    return qk_fail(b->d, b->g->path, c->line, "'%s.%s' is a control: set it on the node line "
                   "('%s=VALUE'); signals connect to audio inputs (%s)", decl->name, port, port,
                   ins);
  if (k != QK_PORT_AUDIO_IN)
    return qk_fail(b->d, b->g->path, c->line, "'%s.%s' is not an audio input: a connection "
                   "ends at one (audio inputs: %s)", decl->name, port, ins);
  *port_index = (long)lilv_port_get_index(p, lp);
  return 0;
}

/* The buffer that feeds (decl, port): NULL if nothing is connected, the producer's own buffer
 * for one connection, a sum for several (fan-in sums, in the file's order). */
static int feed(builder *b, size_t di, long port, const float **buf)
{
  size_t n = 0;
  for (size_t c = 0; c < b->g->n_conns; c++)
    n += b->wires[c].to == di && b->wires[c].to_port == port;
  *buf = NULL;
  if (n == 0)
    return 0;
  if (n == 1) {
    for (size_t c = 0; c < b->g->n_conns; c++)
      if (b->wires[c].to == di && b->wires[c].to_port == port)
        *buf = b->wires[c].from;
    return 0;
  }
  float *out = new_buffer(b);
  op *o = out ? new_op(b, OP_SUM) : NULL;
  const float **ins = o ? calloc(n, sizeof *ins) : NULL;
  if (!ins)
    return qk_fail(b->d, b->g->path, 0, "out of memory");
  o->out = out;
  o->ins = ins;
  for (size_t c = 0; c < b->g->n_conns; c++)
    if (b->wires[c].to == di && b->wires[c].to_port == port)
      o->ins[o->n_ins++] = b->wires[c].from;
  *buf = out;
  return 0;
}

/* A host's settings for the node (carla_settings.h): the operation that applies them after the
 * plugin runs, or instead of it. ins and outs are its audio buffers in port order. */
static int schedule_post(builder *b, size_t di, const float *const *ins, uint32_t n_in,
                         float *const *outs, uint32_t n_out, qk_host_post **post)
{
  *post = NULL;
  const qk_decl *decl = &b->g->decls[di];
  if (decl->host && qk_host_post_new(decl->host, ins, n_in, outs, n_out, b->e->max_block,
                                     post) != 0)
    return qk_fail(b->d, b->g->path, decl->line, "out of memory");
  return 0;
}

/* A host's processing of a source's buffer: Carla's audio file player smooths its volume. */
static int schedule_source_post(builder *b, size_t di)
{
  qk_host_post *post;
  op *o = NULL;
  if (qk_host_post_new_file(b->g->decls[di].host, b->ds[di].out, b->e->rate, &post) != 0 ||
      !(o = new_op(b, OP_POST))) {
    qk_host_post_free(post);
    return qk_fail(b->d, b->g->path, b->g->decls[di].line, "out of memory");
  }
  o->post = post;
  return 0;
}

static int schedule_node(builder *b, size_t di)
{
  node *nd = &b->e->nodes[b->ds[di].node];
  const LilvPlugin *p = nd->plugin;
  uint32_t np = lilv_plugin_get_num_ports(p), n_in = 0, n_out = 0;
  const float **ins = calloc(np ? np : 1, sizeof *ins);
  float **outs = calloc(np ? np : 1, sizeof *outs);
  if (!ins || !outs) {
    free(ins);
    free(outs);
    return qk_fail(b->d, b->g->path, 0, "out of memory");
  }
  for (uint32_t i = 0; i < np; i++) {
    const LilvPort *port = lilv_plugin_get_port_by_index(p, i);
    if (b->ds[di].port_out[i])
      outs[n_out++] = b->ds[di].port_out[i];
    if (qk_port_kind_of(&b->u, p, port) != QK_PORT_AUDIO_IN)
      continue;
    const float *buf;
    if (feed(b, di, (long)i, &buf) != 0) {
      free(ins);
      free(outs);
      return -1;
    }
    /* Unconnected optional inputs get NULL, so the plugin applies its own identity (a gate
     * reads 1, a softmax score is left out); required ones get silence, and so does every
     * open input of a host's project (Carla connects each port to a buffer of its own). */
    if (!buf && (!qk_port_optional(&b->u, p, port) || b->g->open_inputs_read_zero))
      buf = b->e->zeros;
    ins[n_in++] = buf ? buf : b->e->zeros; /* what a host's dry signal is */
    lilv_instance_connect_port(nd->instance, i, (void *)buf);
  }
  qk_host_post *post;
  int rc = schedule_post(b, di, ins, n_in, outs, n_out, &post);
  free(ins);
  free(outs);
  if (rc != 0)
    return -1;
  /* An inactive plugin does not run; its post-processing writes its silence. */
  if (!post || qk_host_post_runs_plugin(post)) {
    op *o = new_op(b, OP_RUN);
    if (!o) {
      qk_host_post_free(post);
      return qk_fail(b->d, b->g->path, 0, "out of memory");
    }
    o->instance = nd->instance;
  }
  if (post) {
    op *o = new_op(b, OP_POST);
    if (!o) {
      qk_host_post_free(post);
      return qk_fail(b->d, b->g->path, 0, "out of memory");
    }
    o->post = post;
  }
  return 0;
}

static int schedule_output(builder *b, size_t di)
{
  const qk_decl *decl = &b->g->decls[di];
  const float *buf;
  if (feed(b, di, -1, &buf) != 0)
    return -1;
  if (!buf)
    return qk_fail(b->d, b->g->path, decl->line, "output '%s' is not connected (write "
                   "'NODE.PORT -> %s')", decl->name, decl->name);
  qk_engine *e = b->e;
  e->outputs[e->n_outputs].name = strdup(decl->name);
  e->outputs[e->n_outputs].buf = buf;
  if (!e->outputs[e->n_outputs++].name)
    return qk_fail(b->d, b->g->path, 0, "out of memory");
  return add_signal(b, decl->name, NULL, buf);
}

static int check_files(builder *b)
{
  for (size_t i = 0; i < b->cfg->n_files; i++) {
    long di = qk_graph_find(b->g, b->cfg->files[i].name);
    if (di < 0 || b->g->decls[di].kind != QK_DECL_INPUT) {
      char list[512] = "";
      for (size_t k = 0; k < b->g->n_decls; k++)
        if (b->g->decls[k].kind == QK_DECL_INPUT) {
          if (list[0])
            strncat(list, ", ", sizeof list - strlen(list) - 1);
          strncat(list, b->g->decls[k].name, sizeof list - strlen(list) - 1);
        }
      return qk_fail(b->d, b->g->path, 0, "--input %s: the graph has no input '%s' (inputs: "
                     "%s)", b->cfg->files[i].name, b->cfg->files[i].name,
                     list[0] ? list : "none");
    }
  }
  return 0;
}

static int build(builder *b, size_t *order)
{
  const qk_graph *g = b->g;
  qk_engine *e = b->e;
  if (check_files(b) != 0 || qk_graph_order(g, order, b->d) != 0)
    return -1;
  /* Sources and plugins first, in the file's order, so errors come in reading order. */
  for (size_t i = 0; i < g->n_decls; i++) {
    const qk_decl *decl = &g->decls[i];
    int rc = 0;
    if (decl->kind == QK_DECL_NODE)
      rc = build_node(b, i);
    else if (decl->kind == QK_DECL_SOURCE || decl->kind == QK_DECL_INPUT)
      rc = build_source(b, i) != 0 ? -1 : add_signal(b, decl->name, NULL, b->ds[i].out);
    if (rc != 0)
      return -1;
  }
  for (size_t c = 0; c < g->n_conns; c++) {
    b->wires[c].to = g->conns[c].to;
    if (resolve_from(b, &g->conns[c], &b->wires[c].from) != 0 ||
        resolve_to(b, &g->conns[c], &b->wires[c].to_port) != 0)
      return -1;
  }
  for (size_t k = 0; k < g->n_decls; k++) {
    size_t di = order[k];
    const qk_decl *decl = &g->decls[di];
    int rc = 0;
    if (decl->kind == QK_DECL_NODE) {
      rc = schedule_node(b, di);
    } else if (decl->kind == QK_DECL_OUTPUT) {
      rc = schedule_output(b, di);
    } else if (!b->ds[di].external) {
      op *o = new_op(b, OP_SOURCE);
      rc = o ? 0 : qk_fail(b->d, g->path, 0, "out of memory");
      if (o)
        *o = b->ds[di].source;
      if (rc == 0 && decl->host && decl->host->audiofile)
        rc = schedule_source_post(b, di);
    }
    if (rc != 0)
      return -1;
  }
  for (size_t i = 0; i < g->n_decls; i++) {
    if (g->decls[i].kind != QK_DECL_NODE)
      continue;
    const LilvPlugin *p = e->nodes[b->ds[i].node].plugin;
    uint32_t n_out = 0;
    for (uint32_t k = 0; k < lilv_plugin_get_num_ports(p); k++)
      if (b->ds[i].port_out[k]) {
        n_out++;
        const char *sym = lilv_node_as_string(
          lilv_port_get_symbol(p, lilv_plugin_get_port_by_index(p, k)));
        if (add_signal(b, g->decls[i].name, sym, b->ds[i].port_out[k]) != 0)
          return -1;
      }
    for (uint32_t k = 0; n_out == 1 && k < lilv_plugin_get_num_ports(p); k++)
      if (b->ds[i].port_out[k] && add_signal(b, g->decls[i].name, NULL, b->ds[i].port_out[k]))
        return -1;
  }
  for (size_t i = 0; i < e->n_nodes; i++) {
    lilv_instance_activate(e->nodes[i].instance);
    e->nodes[i].active = 1;
  }
  return 0;
}

int qk_engine_new(const qk_graph *g, const qk_engine_config *cfg, qk_engine **out, qk_diag *d)
{
  *out = NULL;
  if (!(cfg->rate >= 1.0 && cfg->rate <= 1e7) || cfg->max_block == 0)
    return qk_fail(d, g->path, 0, "bad sample rate or block size");
  qk_engine *e = calloc(1, sizeof *e);
  builder b = {e, g, cfg, d, {0}, NULL, NULL, 0};
  size_t n = g->n_decls ? g->n_decls : 1;
  size_t *order = malloc(n * sizeof *order);
  b.ds = calloc(n, sizeof *b.ds);
  b.wires = calloc(g->n_conns ? g->n_conns : 1, sizeof *b.wires);
  int rc = -1;
  if (!e || !order || !b.ds || !b.wires) {
    qk_fail(d, g->path, 0, "out of memory");
  } else {
    e->rate = cfg->rate;
    e->max_block = cfg->max_block;
    e->nodes = calloc(n, sizeof *e->nodes);
    e->outputs = calloc(n, sizeof *e->outputs);
    e->inputs = calloc(n, sizeof *e->inputs);
    e->zeros = calloc(cfg->max_block, sizeof *e->zeros);
    e->world = lilv_world_new();
    if (!e->nodes || !e->outputs || !e->inputs || !e->zeros || !e->world) {
      qk_fail(d, g->path, 0, "out of memory");
    } else {
      qk_world_load(e->world);
      qk_uris_init(&b.u, e->world);
      rc = build(&b, order);
      qk_uris_free(&b.u);
    }
  }
  for (size_t i = 0; b.ds && i < g->n_decls; i++)
    free(b.ds[i].port_out);
  free(b.ds);
  free(b.wires);
  free(order);
  if (rc != 0) {
    qk_engine_free(e);
    return -1;
  }
  *out = e;
  return 0;
}
