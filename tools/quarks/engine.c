/* Running a built engine: one block at a time, no allocation, locking or I/O. */
#include "engine_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A looping file: sample n of the stream is sample n mod frames of the file. */
static void file_loop(const float *file, uint64_t frames, uint64_t pos, float *out, uint32_t n)
{
  uint64_t at = pos % frames;
  for (uint32_t done = 0; done < n;) {
    uint32_t take = frames - at < n - done ? (uint32_t)(frames - at) : n - done;
    memcpy(out + done, file + at, take * sizeof *out);
    done += take;
    at = 0;
  }
}

static void run_op(op *o, uint64_t pos, uint32_t n)
{
  switch (o->kind) {
  case OP_SOURCE:
    qk_source_process(&o->source, o->out, n);
    break;
  case OP_FILE: {
    if (o->loop && o->file_frames) {
      file_loop(o->file, o->file_frames, pos, o->out, n);
      break;
    }
    /* Past its end a file reads as silence. */
    uint32_t have = 0;
    if (pos < o->file_frames)
      have = o->file_frames - pos < n ? (uint32_t)(o->file_frames - pos) : n;
    if (have)
      memcpy(o->out, o->file + pos, have * sizeof *o->out);
    for (uint32_t i = have; i < n; i++)
      o->out[i] = 0.0f;
    break;
  }
  case OP_SUM:
    memcpy(o->out, o->ins[0], n * sizeof *o->out);
    for (size_t k = 1; k < o->n_ins; k++) {
      const float *in = o->ins[k];
      for (uint32_t i = 0; i < n; i++)
        o->out[i] += in[i];
    }
    break;
  case OP_RUN:
    lilv_instance_run(o->instance, n);
    break;
  case OP_POST:
    qk_host_post_run(o->post, n);
    break;
  }
}

void qk_engine_process(qk_engine *e, uint32_t n)
{
  for (size_t i = 0; i < e->n_ops; i++)
    run_op(&e->ops[i], e->pos, n);
  e->pos += n;
}

void qk_engine_seek(qk_engine *e, uint64_t pos)
{
  for (size_t i = 0; i < e->n_ops; i++)
    if (e->ops[i].kind == OP_SOURCE)
      qk_source_seek(&e->ops[i].source, pos);
  e->pos = pos;
}

size_t qk_engine_n_outputs(const qk_engine *e)
{
  return e->n_outputs;
}

const char *qk_engine_output_name(const qk_engine *e, size_t i)
{
  return e->outputs[i].name;
}

const float *qk_engine_output(const qk_engine *e, size_t i)
{
  return e->outputs[i].buf;
}

float *qk_engine_input(qk_engine *e, const char *name)
{
  for (size_t i = 0; i < e->n_inputs; i++)
    if (strcmp(e->inputs[i].name, name) == 0)
      return (float *)e->inputs[i].buf; /* an engine-owned buffer, writable by design */
  return NULL;
}

uint64_t qk_engine_file_frames(const qk_engine *e)
{
  return e->file_frames;
}

const float *qk_engine_signal(const qk_engine *e, const char *name)
{
  for (size_t i = 0; i < e->n_signals; i++)
    if (strcmp(e->signals[i].name, name) == 0)
      return e->signals[i].buf;
  return NULL;
}

float *qk_engine_control(qk_engine *e, const char *name, qk_diag *d)
{
  const char *dot = strchr(name, '.');
  size_t len = dot ? (size_t)(dot - name) : 0;
  for (size_t i = 0; dot && i < e->n_nodes; i++) {
    node *nd = &e->nodes[i];
    if (strlen(nd->name) != len || strncmp(nd->name, name, len) != 0)
      continue;
    LilvNode *sym = lilv_new_string(e->world, dot + 1);
    const LilvPort *port = lilv_plugin_get_port_by_symbol(nd->plugin, sym);
    lilv_node_free(sym);
    LilvNode *control = lilv_new_uri(e->world, LILV_URI_CONTROL_PORT);
    LilvNode *input = lilv_new_uri(e->world, LILV_URI_INPUT_PORT);
    int ok = port && lilv_port_is_a(nd->plugin, port, control) &&
             lilv_port_is_a(nd->plugin, port, input);
    lilv_node_free(control);
    lilv_node_free(input);
    if (!ok) {
      qk_fail(d, name, 0, "'%s' has no control input '%s'", nd->name, dot + 1);
      return NULL;
    }
    return &nd->controls[lilv_port_get_index(nd->plugin, port)];
  }
  qk_fail(d, name, 0, "no plugin instance called '%.*s' (expected NODE.CONTROL)",
          (int)(dot ? len : strlen(name)), name);
  return NULL;
}

void qk_engine_free(qk_engine *e)
{
  if (!e)
    return;
  for (size_t i = 0; i < e->n_nodes; i++) {
    if (e->nodes[i].active)
      lilv_instance_deactivate(e->nodes[i].instance);
    if (e->nodes[i].instance)
      lilv_instance_free(e->nodes[i].instance);
    free(e->nodes[i].controls);
    free(e->nodes[i].name);
  }
  for (size_t i = 0; i < e->n_ops; i++) {
    free(e->ops[i].ins);
    qk_host_post_free(e->ops[i].post);
  }
  for (size_t i = 0; i < e->n_signals; i++)
    free(e->signals[i].name);
  for (size_t i = 0; i < e->n_outputs; i++)
    free(e->outputs[i].name);
  for (size_t i = 0; i < e->n_inputs; i++)
    free(e->inputs[i].name);
  free(e->inputs);
  for (size_t i = 0; i < e->n_buffers; i++)
    free(e->buffers[i]);
  for (size_t i = 0; i < e->n_files; i++)
    free(e->files[i]);
  free(e->ops);
  free(e->nodes);
  free(e->signals);
  free(e->outputs);
  free(e->buffers);
  free(e->files);
  free(e->zeros);
  if (e->world)
    lilv_world_free(e->world);
  free(e);
}
