/* SPDX-License-Identifier: ISC */
/* The engine's internals, shared by its builder (engine_build.c) and its runner (engine.c). */
#ifndef QK_ENGINE_IMPL_H
#define QK_ENGINE_IMPL_H

#include "carla_settings.h"
#include "delay.h"
#include "engine.h"
#include "names.h"
#include "plugin_lookup.h"
#include "source.h"

#include <lilv/lilv.h>

typedef enum {
	OP_SOURCE, /* a built-in source writes its buffer */
	OP_FILE,   /* a file input copies its samples */
	OP_SUM,    /* fan-in: the sum of several buffers, in connection order */
	OP_RUN,    /* a plugin instance runs */
	OP_POST,   /* a host's settings act on an instance's outputs (carla_settings.h) */
	OP_LOOP, /* a feedback loop: the operations after it, run in sub-blocks (engine_loops.c) */
} op_kind;

/* A delay that closes a loop, computed by the engine with the plugin's kernel (dsp/delay.c)
 * rather than by its run(), which cannot give a block's output before it has the block's input.
 */
typedef struct {
	qk_delay_line line;         /* the ring: as long as the plugin's, for the longest delay */
	const float *samples, *ms;  /* the node's `delay` and `time` controls */
	float lo[2], hi[2], def[2]; /* their ranges, from the plugin's own table */
	const float *in;            /* its input over the whole block; NULL reads 0 */
	float *out;                 /* its output buffer */
	uint32_t n;                 /* its delay in this block, in samples */
} loop_cut;

/* An audio port of a plugin inside a loop, connected again at each sub-block's offset. */
typedef struct {
	void (*connect)(LV2_Handle, uint32_t, void *);
	LV2_Handle handle;
	uint32_t port;
	float *buf; /* the whole block's buffer */
} loop_port;

typedef struct {
	size_t first, count; /* its declarations' places in the build's order */
	size_t n_ops;        /* the operations after the OP_LOOP that belong to it */
	loop_cut *cuts;
	size_t n_cuts;
	loop_port *ports;
	size_t n_ports, cap_ports;
	char *cycle; /* one of its cycles, for messages: "d1 -> u1 -> d1" */
	int line;    /* the connection that closes it */
} loop;

typedef struct {
	op_kind kind;
	float *out;        /* OP_SOURCE, OP_FILE, OP_SUM */
	qk_source source;  /* OP_SOURCE */
	const float *file; /* OP_FILE: the whole channel, read at build time */
	uint64_t file_frames;
	int loop;          /* OP_FILE: sample n is file[n mod file_frames] */
	const float **ins; /* OP_SUM */
	size_t n_ins;
	LilvInstance *instance; /* OP_RUN */
	/* OP_RUN: the instance's run() and handle, copied out of the LilvInstance so that running
	 * a plugin does not first fetch that struct from memory (with 100,000 instances, a cache
	 * miss per plugin and block that cost a fifth of the render). */
	void (*run)(LV2_Handle, uint32_t);
	LV2_Handle handle;
	qk_host_post *post; /* OP_POST */
	loop *feedback;     /* OP_LOOP */
} op;

/* A named signal: where qk_engine_signal() finds it. */
typedef struct {
	char *name; /* "x1", "or.out" */
	const float *buf;
} signal_ref;

typedef struct {
	char *name;
	const LilvPlugin *plugin;
	qk_plugin_info *info; /* the plugin's ports, in e->plugins */
	LilvInstance *instance;
	float *controls; /* one per port; only control ports are used */
	int active;      /* activated, so deactivate before freeing */
} node;

struct qk_engine {
	LilvWorld *world;
	qk_uris u;
	qk_plugins *plugins; /* what lilv says of each plugin, read once */
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
	signal_ref *inputs; /* external inputs, filled by the host */
	size_t n_inputs;
	loop *loops; /* the graph's feedback loops, in order */
	size_t n_loops;
	float *zeros; /* max_block zeros for required audio inputs left unconnected */
	/* Buffers and controls come from large blocks, in the order the nodes are built, so that
	 * a block's run walks memory in order rather than hopping between small allocations (with
	 * 100,000 nodes, cache misses on their controls and buffers cost more than the plugins). */
	float **blocks;
	size_t n_blocks;
	float *block_next; /* the free part of the last block */
	size_t block_left; /* floats */
	size_t cap_signals;
	float **files;     /* file inputs' samples */
	char **file_paths; /* and the files they were read from */
	size_t n_files;
	/* Name lookups in constant time, for graphs of any size. */
	qk_names *signal_index; /* signals[].name -> index */
	qk_names *node_index;   /* nodes[].name -> index */
	qk_names *input_index;  /* inputs[].name -> index */
};

/* engine_loops.c: building a loop's cut delays and port list (at build time only). */
int qk_loop_add_port(loop *l, LilvInstance *instance, uint32_t port, float *buf);
int qk_loop_add_cut(qk_engine *e, loop *l, const node *nd, const float *in, float *out);
/* Whether the plugin is the bundle's delay, which can cut a loop. */
int qk_loop_can_cut(const qk_plugin_info *pi);
void qk_loop_free(loop *l);

#endif
