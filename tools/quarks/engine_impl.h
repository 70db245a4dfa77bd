/* The engine's internals, shared by its builder (engine_build.c) and its runner (engine.c). */
#ifndef QK_ENGINE_IMPL_H
#define QK_ENGINE_IMPL_H

#include "carla_settings.h"
#include "engine.h"
#include "source.h"

#include <lilv/lilv.h>

typedef enum {
  OP_SOURCE, /* a built-in source writes its buffer */
  OP_FILE,   /* a file input copies its samples */
  OP_SUM,    /* fan-in: the sum of several buffers, in connection order */
  OP_RUN,    /* a plugin instance runs */
  OP_POST,   /* a host's settings act on an instance's outputs (carla_settings.h) */
} op_kind;

typedef struct {
  op_kind kind;
  float *out;             /* OP_SOURCE, OP_FILE, OP_SUM */
  qk_source source;       /* OP_SOURCE */
  const float *file;      /* OP_FILE: the whole channel, read at build time */
  uint64_t file_frames;
  int loop;               /* OP_FILE: sample n is file[n mod file_frames] */
  const float **ins;      /* OP_SUM */
  size_t n_ins;
  LilvInstance *instance; /* OP_RUN */
  qk_host_post *post;     /* OP_POST */
} op;

/* A named signal: where qk_engine_signal() finds it. */
typedef struct {
  char *name; /* "x1", "or.out" */
  const float *buf;
} signal_ref;

typedef struct {
  char *name;
  const LilvPlugin *plugin;
  LilvInstance *instance;
  float *controls; /* one per port; only control ports are used */
  int active;      /* activated, so deactivate before freeing */
} node;

struct qk_engine {
  LilvWorld *world;
  double rate;
  uint32_t max_block;
  uint64_t pos; /* frames processed so far */
  uint64_t file_frames;
  op *ops;
  size_t n_ops;
  node *nodes;
  size_t n_nodes;
  signal_ref *signals;
  size_t n_signals;
  signal_ref *outputs; /* graph outputs, in declaration order */
  size_t n_outputs;
  signal_ref *inputs;  /* external inputs, filled by the host */
  size_t n_inputs;
  float *zeros;      /* max_block zeros for required audio inputs left unconnected */
  float **buffers;   /* every buffer the engine owns, freed at the end */
  size_t n_buffers;
  float **files;     /* file inputs' samples */
  size_t n_files;
};

#endif
