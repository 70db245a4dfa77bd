/* SPDX-License-Identifier: ISC */
/* Running a built engine: one block at a time, no allocation, locking or I/O. */
#include "engine_impl.h"

#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A looping file: sample n of the stream is sample n mod frames of the file. */
static void
file_loop(const float *file, uint64_t frames, uint64_t pos, float *out, uint32_t n)
{
	uint64_t at = pos % frames;
	for (uint32_t done = 0; done < n;) {
		uint32_t take = frames - at < n - done ? (uint32_t)(frames - at) : n - done;
		memcpy(out + done, file + at, take * sizeof *out);
		done += take;
		at = 0;
	}
}

static void
run_op(op *o, uint64_t pos, uint32_t n)
{
	switch (o->kind) {
	case OP_SOURCE: qk_source_process(&o->source, o->out, n); break;
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
		o->run(o->handle,
		       n); /* lilv_instance_run(o->instance, n) without its indirection */
		break;
	case OP_POST: qk_host_post_run(o->post, n); break;
	case OP_LOOP: break; /* qk_engine_process runs it */
	}
}

/* A cut delay's length for this block, read from its controls as the plugin reads them. */
static uint32_t
cut_length(const qk_engine *e, const loop_cut *c)
{
	float samples = qk_control(*c->samples, c->lo[0], c->hi[0], c->def[0]);
	float ms = qk_control(*c->ms, c->lo[1], c->hi[1], c->def[1]);
	return qk_delay_length(&c->line, qk_delay_samples(e->rate, samples, ms));
}

/* A loop over n frames, in sub-blocks no longer than its shortest delay: within one, every
 * delay's output is its input of earlier sub-blocks, so it is known before the loop's plugins
 * run, and their inputs are all known once they have run. The delays' lengths are read again
 * each block (a control may have changed between blocks). */
static void
run_loop(qk_engine *e, loop *l, op *ops, uint32_t n)
{
	uint32_t most = n;
	for (size_t k = 0; k < l->n_cuts; k++) {
		l->cuts[k].n = cut_length(e, &l->cuts[k]);
		if (l->cuts[k].n < most)
			most = l->cuts[k].n;
	}
	for (uint32_t off = 0; off < n;) {
		uint32_t s = n - off < most ? n - off : most;
		for (size_t k = 0; k < l->n_cuts; k++)
			qk_delay_read(&l->cuts[k].line, l->cuts[k].n, l->cuts[k].out + off, s);
		/* connect_port is realtime-safe by the LV2 specification, and cheap. */
		for (size_t k = 0; k < l->n_ports; k++)
			l->ports[k].connect(l->ports[k].handle, l->ports[k].port,
			                    l->ports[k].buf + off);
		for (size_t i = 0; i < l->n_ops; i++) {
			op *o = &ops[i];
			if (o->kind == OP_SUM) {
				memcpy(o->out + off, o->ins[0] + off, s * sizeof *o->out);
				for (size_t k = 1; k < o->n_ins; k++) {
					const float *in = o->ins[k] + off;
					for (uint32_t j = 0; j < s; j++)
						o->out[off + j] += in[j];
				}
			} else {
				run_op(o, e->pos + off, s);
			}
		}
		for (size_t k = 0; k < l->n_cuts; k++)
			qk_delay_write(&l->cuts[k].line, l->cuts[k].in ? l->cuts[k].in + off : NULL,
			               s);
		off += s;
	}
}

/* How many operations ahead a plugin's instance is fetched into the cache. */
enum { AHEAD = 8 };

void
qk_engine_process(qk_engine *e, uint32_t n)
{
	for (size_t i = 0; i < e->n_ops; i++) {
		/* A graph of many plugins runs each one once a block, and its instance (allocated
		 * by the plugin, scattered among everything else the build allocated) has left the
		 * cache since the last block: fetching it a few plugins ahead hides that wait,
		 * which took a fifth of a 100,000-node render. A hint only: nothing is read through
		 * the pointer here. */
		if (i + AHEAD < e->n_ops && e->ops[i + AHEAD].kind == OP_RUN) {
			const char *h = e->ops[i + AHEAD].handle;
			__builtin_prefetch(h);
			__builtin_prefetch(h + 64);
			__builtin_prefetch(h + 128);
		}
		if (e->ops[i].kind == OP_LOOP) {
			run_loop(e, e->ops[i].feedback, &e->ops[i + 1], n);
			i += e->ops[i].feedback->n_ops;
			continue;
		}
		run_op(&e->ops[i], e->pos, n);
	}
	e->pos += n;
}

void
qk_engine_seek(qk_engine *e, uint64_t pos)
{
	for (size_t i = 0; i < e->n_ops; i++)
		if (e->ops[i].kind == OP_SOURCE)
			qk_source_seek(&e->ops[i].source, pos);
	e->pos = pos;
}

size_t
qk_engine_n_loops(const qk_engine *e)
{
	return e->n_loops;
}

const char *
qk_engine_loop(const qk_engine *e, size_t i, int *line)
{
	*line = e->loops[i].line;
	return e->loops[i].cycle;
}

size_t
qk_engine_n_outputs(const qk_engine *e)
{
	return e->n_outputs;
}

const char *
qk_engine_output_name(const qk_engine *e, size_t i)
{
	return e->outputs[i].name;
}

const float *
qk_engine_output(const qk_engine *e, size_t i)
{
	return e->outputs[i].buf;
}

float *
qk_engine_input(qk_engine *e, const char *name)
{
	size_t i;
	if (qk_names_get(e->input_index, name, &i) != 0)
		return NULL;
	return (float *)e->inputs[i].buf; /* an engine-owned buffer, writable by design */
}

uint64_t
qk_engine_file_frames(const qk_engine *e)
{
	return e->file_frames;
}

size_t
qk_engine_n_files(const qk_engine *e)
{
	return e->n_files;
}

const char *
qk_engine_file_path(const qk_engine *e, size_t i)
{
	return e->file_paths[i];
}

const float *
qk_engine_signal(const qk_engine *e, const char *name)
{
	size_t i;
	return qk_names_get(e->signal_index, name, &i) == 0 ? e->signals[i].buf : NULL;
}

/* The node and control port of "node.symbol", or -1 with the reason in d. */
static int
find_control(qk_engine *e, const char *name, node **nd, uint32_t *port, qk_diag *d)
{
	const char *dot = strchr(name, '.');
	size_t len = dot ? (size_t)(dot - name) : strlen(name), i;
	if (!dot || qk_names_get_n(e->node_index, name, len, &i) != 0)
		return qk_fail(d, name, 0,
		               "no plugin instance called '%.*s' (expected NODE.CONTROL)", (int)len,
		               name);
	*nd = &e->nodes[i];
	long k = qk_info_port((*nd)->info, dot + 1);
	if (k < 0 || (*nd)->info->kind[k] != QK_PORT_CONTROL_IN)
		return qk_fail(d, name, 0, "'%s' has no control input '%s'", (*nd)->name, dot + 1);
	*port = (uint32_t)k;
	return 0;
}

float *
qk_engine_control(qk_engine *e, const char *name, qk_diag *d)
{
	node *nd = NULL;
	uint32_t port = 0;
	return find_control(e, name, &nd, &port, d) == 0 ? &nd->controls[port] : NULL;
}

int
qk_engine_control_parse(qk_engine *e, const char *name, const char *text, float *value, qk_diag *d)
{
	node *nd = NULL;
	uint32_t port = 0;
	if (find_control(e, name, &nd, &port, d) != 0)
		return -1;
	int rc = qk_info_control_value(e->plugins, nd->info, port, text, value);
	if (rc == -2)
		return qk_fail(d, name, 0, "out of memory");
	if (rc == 0)
		return 0;
	char labels[512];
	qk_info_list_labels(e->plugins, nd->info, port, labels, sizeof labels);
	if (labels[0])
		return qk_fail(d, name, 0,
		               "'%s' is neither a number nor a label of '%s' (labels: %s)", text,
		               nd->info->symbol[port], labels);
	return qk_fail(d, name, 0, "malformed number '%s'", text);
}

void
qk_engine_free(qk_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n_nodes; i++) {
		if (e->nodes[i].active)
			lilv_instance_deactivate(e->nodes[i].instance);
		if (e->nodes[i].instance)
			lilv_instance_free(e->nodes[i].instance);
		free(e->nodes[i].name);
	}
	for (size_t i = 0; i < e->n_ops; i++) {
		free(e->ops[i].ins);
		qk_host_post_free(e->ops[i].post);
	}
	for (size_t i = 0; i < e->n_loops; i++)
		qk_loop_free(&e->loops[i]);
	free(e->loops);
	for (size_t i = 0; i < e->n_signals; i++)
		free(e->signals[i].name);
	for (size_t i = 0; i < e->n_outputs; i++)
		free(e->outputs[i].name);
	for (size_t i = 0; i < e->n_inputs; i++)
		free(e->inputs[i].name);
	free(e->inputs);
	for (size_t i = 0; i < e->n_blocks; i++)
		free(e->blocks[i]);
	free(e->blocks);
	for (size_t i = 0; i < e->n_files; i++) {
		free(e->files[i]);
		free(e->file_paths[i]);
	}
	free(e->file_paths);
	qk_names_free(e->signal_index);
	qk_names_free(e->node_index);
	qk_names_free(e->input_index);
	qk_plugins_free(e->plugins);
	if (e->world)
		qk_uris_free(&e->u);
	free(e->ops);
	free(e->nodes);
	free(e->signals);
	free(e->outputs);
	free(e->files);
	free(e->zeros);
	if (e->world)
		lilv_world_free(e->world);
	free(e);
}
