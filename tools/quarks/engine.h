/* SPDX-License-Identifier: ISC */
/* The render engine: a graph's plugins (through lilv) and sources, run block by block in
 * topological order; a feedback loop (every cycle through a delay) runs in sub-blocks no
 * longer than its shortest delay, so the output is the same at every block size.
 *
 * Everything is allocated when the engine is built. qk_engine_process() does no allocation,
 * locking or I/O (file inputs are read into memory at build time), so the same engine can run
 * inside a JACK process callback. Controls are changed between blocks through handles looked up
 * by "node.symbol". */
#ifndef QK_ENGINE_H
#define QK_ENGINE_H

#include "diag.h"
#include "graph.h"

#include <stddef.h>
#include <stdint.h>

typedef struct qk_engine qk_engine;

/* Feeds the graph input `name` from a sound file, replacing the input's own source. */
typedef struct {
	const char *name;
	const char *path;
} qk_input_file;

typedef struct {
	double rate;        /* sample rate, Hz */
	uint32_t max_block; /* largest n that qk_engine_process() will be given */
	const qk_input_file *files;
	size_t n_files;
	/* Nonzero for a host with its own input streams (JACK): every graph input that no file
	 * feeds becomes a buffer the host fills before each block (qk_engine_input), and the
	 * input's own source in the graph is ignored. Zero for offline renders. */
	int external_inputs;
	/* Nonzero to check a graph without running it: file inputs are opened and their headers
	 * checked (channel, truncation) but not read, and their sample rate is not compared (the
	 * runner checks the graph before JACK tells it the rate). Such an engine must not be run.
	 */
	int check_only;
} qk_engine_config;

/* Builds the engine for g. Plugins are found on LV2_PATH (lilv's default path when unset). */
int qk_engine_new(const qk_graph *g, const qk_engine_config *cfg, qk_engine **out, qk_diag *d);

void qk_engine_free(qk_engine *e);

/* Runs one block of n <= max_block frames. Real-time safe. */
void qk_engine_process(qk_engine *e, uint32_t n);

/* Moves every source and file input to absolute frame pos (a transport relocation).
 * Plugins with state (delay, leaky, slow-gate, fast-weight, and the delays that close a loop)
 * keep it, as a host's plugins do on a relocation: only a graph without state then gives
 * what a render from the start gives there. Real-time safe. */
void qk_engine_seek(qk_engine *e, uint64_t pos);

/* The graph's feedback loops: one cycle of loop i ("d1 -> u1 -> d1") and, in *line, the line
 * of the connection that closes it. */
size_t qk_engine_n_loops(const qk_engine *e);
const char *qk_engine_loop(const qk_engine *e, size_t i, int *line);

/* Graph outputs, in declaration order. The buffer holds the last block processed. */
size_t qk_engine_n_outputs(const qk_engine *e);
const char *qk_engine_output_name(const qk_engine *e, size_t i);
const float *qk_engine_output(const qk_engine *e, size_t i);

/* Any signal by name: a source or input ("x1"), a plugin's audio output ("or.out", or "or" if
 * it has one), or a graph output. NULL if there is none. */
const float *qk_engine_signal(const qk_engine *e, const char *name);

/* The buffer of an external graph input (see external_inputs): the host writes n frames into
 * it before qk_engine_process(e, n). NULL if name is not an external input. */
float *qk_engine_input(qk_engine *e, const char *name);

/* Frames in the longest file input (0 if none): the default render length. */
uint64_t qk_engine_file_frames(const qk_engine *e);

/* A control input of a plugin instance, found by "node.symbol". NULL if there is none, with the
 * reason in d (no file or line: the caller adds where the name came from). */
float *qk_engine_control(qk_engine *e, const char *node_dot_symbol, qk_diag *d);

/* Parses text as a value for the control "node.symbol": a number or, for a control with scale
 * points, one of their labels as a graph line takes it (`act=relu`). 0 and *value set on
 * success, else -1 with the reason in d (no file or line). */
int qk_engine_control_parse(qk_engine *e, const char *node_dot_symbol, const char *text,
                            float *value, qk_diag *d);

/* The sound files the engine read (file sources and inputs), for a caller that must not
 * overwrite them. */
size_t qk_engine_n_files(const qk_engine *e);
const char *qk_engine_file_path(const qk_engine *e, size_t i);

/* Sets a control found with qk_engine_control(); call between blocks only. Values outside the
 * port's range are passed on unchanged: clamping is the plugin's job. */
static inline void
qk_engine_set_control(float *control, float value)
{
	*control = value;
}

#endif
