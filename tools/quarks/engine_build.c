/* SPDX-License-Identifier: ISC */
/* Building an engine from a parsed graph: plugins through lilv, sources, file inputs, and the
 * schedule of operations that qk_engine_process() runs. All allocation happens here.
 *
 * The build takes time linear in the graph's size: names are looked up in hash maps, what lilv
 * says of a plugin is read once per plugin (qk_plugins), and each declaration finds the
 * connections that feed it in a list of its own rather than by scanning them all. */
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
	long node;        /* index into e->nodes, or -1 */
	float *out;       /* a source's or input's buffer */
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
	decl_state *ds;
	wire *wires;
	/* The wires into declaration i are into[into_start[i] .. into_start[i + 1]), in the file's
	 * order, so fan-in sums keep it. */
	size_t *into, *into_start;
	size_t ops_cap;
	unsigned char *cut; /* per declaration: a delay, which can cut a loop (NULL: none can) */
	loop *loop;         /* the loop being scheduled, or NULL */
} builder;

/* n zeroed floats from the engine's blocks, 64-byte aligned (a cache line, and room for any
 * vector width the plugins use). */
static float *
new_floats(builder *b, size_t n)
{
	qk_engine *e = b->e;
	size_t want = (n + 15) & ~(size_t)15;
	if (want > e->block_left) {
		size_t size = want > 16384 ? want : 16384;
		float **blocks = realloc(e->blocks, (e->n_blocks + 1) * sizeof *blocks);
		if (!blocks)
			return NULL;
		e->blocks = blocks;
		void *mem;
		if (posix_memalign(&mem, 64, size * sizeof(float)) != 0)
			return NULL;
		memset(mem, 0, size * sizeof(float));
		e->blocks[e->n_blocks++] = mem;
		e->block_next = mem;
		e->block_left = size;
	}
	float *r = e->block_next;
	e->block_next += want;
	e->block_left -= want;
	return r;
}

static float *
new_buffer(builder *b)
{
	return new_floats(b, b->e->max_block);
}

static op *
new_op(builder *b, op_kind kind)
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

static int
add_signal(builder *b, const char *name, const char *port, const float *buf)
{
	qk_engine *e = b->e;
	if (e->n_signals == e->cap_signals) {
		size_t cap = e->cap_signals ? e->cap_signals * 2 : 16;
		signal_ref *s = realloc(e->signals, cap * sizeof *s);
		if (!s)
			return qk_fail(b->d, b->g->path, 0, "out of memory");
		e->signals = s;
		e->cap_signals = cap;
	}
	size_t len = strlen(name) + (port ? strlen(port) + 1 : 0) + 1;
	char *full = malloc(len);
	if (!full)
		return qk_fail(b->d, b->g->path, 0, "out of memory");
	snprintf(full, len, port ? "%s.%s" : "%s", name, port);
	e->signals[e->n_signals].name = full;
	e->signals[e->n_signals++].buf = buf;
	return 0;
}

static const qk_input_file *
file_for(const qk_engine_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_files; i++)
		if (strcmp(cfg->files[i].name, name) == 0)
			return &cfg->files[i];
	return NULL;
}

/* An input the host fills: a buffer and no operation. */
static int
build_external(builder *b, size_t di)
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

/* Reads a file input (or, when the engine only checks the graph, its header). */
static int
load_file(builder *b, const qk_decl *decl, const qk_source_spec *spec, op *o)
{
	qk_engine *e = b->e;
	char err[768];
	float **files = realloc(e->files, (e->n_files + 1) * sizeof *files);
	if (files)
		e->files = files;
	char **paths = files ? realloc(e->file_paths, (e->n_files + 1) * sizeof *paths) : NULL;
	if (paths)
		e->file_paths = paths;
	char *path = paths ? strdup(spec->path) : NULL;
	if (!path)
		return qk_fail(b->d, b->g->path, decl->line, "out of memory");
	float *data = NULL;
	int rc = b->cfg->check_only ? qk_wav_check(spec->path, spec->channel, err, sizeof err)
	                            : qk_wav_load(spec->path, spec->channel, e->rate, &data,
	                                          &o->file_frames, err, sizeof err);
	if (rc != 0) {
		free(path);
		return qk_fail(b->d, b->g->path, decl->line, "%s", err);
	}
	e->file_paths[e->n_files] = path;
	e->files[e->n_files++] = data;
	o->file = data;
	if (o->file_frames > e->file_frames)
		e->file_frames = o->file_frames;
	return 0;
}

/* A `source` or `input` line: its buffer and the operation that fills it. */
static int
build_source(builder *b, size_t di)
{
	const qk_decl *decl = &b->g->decls[di];
	const qk_input_file *override =
	        decl->kind == QK_DECL_INPUT ? file_for(b->cfg, decl->name) : NULL;
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
		return qk_fail(b->d, b->g->path, decl->line,
		               "input '%s' has no signal: give it one with "
		               "--input %s=FILE, or declare 'input %s = KIND ...'",
		               decl->name, decl->name, decl->name);
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
	int rc = spec.is_file ? load_file(b, decl, &spec, o) : 0;
	free(spec.path);
	return rc;
}

/* Sets one control from a node line's KEY=VALUE. */
static int
apply_setting(builder *b, qk_plugin_info *pi, const qk_decl *decl, const qk_setting *s,
              float *controls)
{
	long port = qk_info_port(pi, s->key);
	qk_port_kind k = port >= 0 ? pi->kind[port] : QK_PORT_OTHER;
	if (port < 0 || k != QK_PORT_CONTROL_IN) {
		/* The list of controls is made only for the message: building it for every setting
		 * would cost more than the rest of the build. */
		char list[512];
		qk_info_list_ports(pi, QK_PORT_CONTROL_IN, list, sizeof list);
		if (port < 0)
			return qk_fail(b->d, b->g->path, s->line,
			               "'%s' (%s) has no control '%s' (controls: %s)", decl->name,
			               decl->type, s->key, list);
		return qk_fail(b->d, b->g->path, s->line,
		               "'%s.%s' is %s, not a control: connect a "
		               "signal to it with '->' (controls: %s)",
		               decl->name, s->key,
		               k == QK_PORT_AUDIO_IN ? "an audio input" : "an output", list);
	}
	float v;
	int rc = qk_info_control_value(b->e->plugins, pi, (uint32_t)port, s->value, &v);
	if (rc == -2)
		return qk_fail(b->d, b->g->path, s->line, "out of memory");
	if (rc != 0) {
		char labels[512];
		qk_info_list_labels(b->e->plugins, pi, (uint32_t)port, labels, sizeof labels);
		if (labels[0])
			return qk_fail(b->d, b->g->path, s->line,
			               "'%s' is neither a number nor a label of '%s' "
			               "(labels: %s)",
			               s->value, s->key, labels);
		return qk_fail(b->d, b->g->path, s->line, "malformed number '%s' for '%s'",
		               s->value, s->key);
	}
	controls[port] = v;
	return 0;
}

static int
build_node(builder *b, size_t di)
{
	const qk_decl *decl = &b->g->decls[di];
	qk_engine *e = b->e;
	qk_plugin_info *pi = NULL;
	int found = qk_plugins_get(e->plugins, decl->type, &pi);
	if (found < 0)
		return qk_fail(b->d, b->g->path, decl->line, "out of memory");
	if (found > 0) {
		char list[512];
		qk_list_plugins(&e->u, list, sizeof list);
		return qk_fail(b->d, b->g->path, decl->line, "unknown plugin '%s' (plugins: %s)",
		               decl->type, list);
	}
	if (pi->feature)
		return qk_fail(b->d, b->g->path, decl->line,
		               "plugin '%s' needs the host feature <%s>, "
		               "which quarks does not provide",
		               decl->type, pi->feature);
	for (uint32_t i = 0; i < pi->n_ports; i++)
		if (pi->kind[i] == QK_PORT_OTHER && !pi->optional[i])
			return qk_fail(b->d, b->g->path, decl->line,
			               "plugin '%s' has a port '%s' of a type "
			               "quarks cannot drive (only audio and control ports)",
			               decl->type, pi->symbol[i]);
	node *nd = &e->nodes[e->n_nodes];
	memset(nd, 0, sizeof *nd);
	b->ds[di].node = (long)e->n_nodes++;
	uint32_t np = pi->n_ports;
	nd->plugin = pi->plugin;
	nd->info = pi;
	nd->name = strdup(decl->name);
	nd->controls = new_floats(b, np ? np : 1);
	b->ds[di].port_out = calloc(np ? np : 1, sizeof *b->ds[di].port_out);
	if (!nd->name || !nd->controls || !b->ds[di].port_out ||
	    qk_names_put(e->node_index, nd->name, e->n_nodes - 1, NULL) < 0)
		return qk_fail(b->d, b->g->path, decl->line, "out of memory");
	memcpy(nd->controls, pi->initial, np * sizeof *nd->controls);
	/* The preset first, whatever its place on the line: explicit values then override it. */
	for (size_t i = 0; i < decl->n_settings; i++) {
		const qk_setting *s = &decl->settings[i];
		char err[768];
		if (strcmp(s->key, "preset") == 0 &&
		    qk_info_apply_preset(e->plugins, pi, s->value, nd->controls, err, sizeof err) !=
		            0)
			return qk_fail(b->d, b->g->path, s->line, "%s", err);
	}
	for (size_t i = 0; i < decl->n_settings; i++)
		if (strcmp(decl->settings[i].key, "preset") != 0 &&
		    apply_setting(b, pi, decl, &decl->settings[i], nd->controls) != 0)
			return -1;
	static const LV2_Feature *const no_features[] = {NULL};
	nd->instance = lilv_plugin_instantiate(pi->plugin, e->rate, no_features);
	if (!nd->instance)
		return qk_fail(b->d, b->g->path, decl->line,
		               "cannot instantiate '%s' (%s) at %.0f Hz", decl->name, decl->type,
		               e->rate);
	for (uint32_t i = 0; i < np; i++) {
		switch (pi->kind[i]) {
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
		case QK_PORT_AUDIO_IN: break; /* connected once the connections are known */
		case QK_PORT_OTHER:
			lilv_instance_connect_port(nd->instance, i,
			                           NULL); /* optional: checked above */
			break;
		}
	}
	return 0;
}

/* The buffer a connection starts from. */
static int
resolve_from(builder *b, const qk_conn *c, const float **buf)
{
	const qk_decl *decl = &b->g->decls[c->from];
	const char *port = c->from_port;
	if (decl->kind != QK_DECL_NODE) {
		if (port && strcmp(port, "out") != 0)
			return qk_fail(b->d, b->g->path, c->line,
			               "'%s' is a %s: its only port is 'out'", decl->name,
			               decl->kind == QK_DECL_SOURCE ? "source" : "graph input");
		*buf = b->ds[c->from].out;
		return 0;
	}
	const qk_plugin_info *pi = b->e->nodes[b->ds[c->from].node].info;
	long lp = -1;
	if (!port) {
		uint32_t n = 0;
		for (uint32_t i = 0; i < pi->n_ports; i++)
			if (pi->kind[i] == QK_PORT_AUDIO_OUT) {
				lp = (long)i;
				n++;
			}
		if (n == 1) {
			*buf = b->ds[c->from].port_out[lp];
			return 0;
		}
	} else if ((lp = qk_info_port(pi, port)) >= 0 && pi->kind[lp] == QK_PORT_AUDIO_OUT) {
		*buf = b->ds[c->from].port_out[lp];
		return 0;
	}
	char outs[512];
	qk_info_list_ports(pi, QK_PORT_AUDIO_OUT, outs, sizeof outs);
	if (!port) {
		uint32_t n = 0;
		for (uint32_t i = 0; i < pi->n_ports; i++)
			n += pi->kind[i] == QK_PORT_AUDIO_OUT;
		return qk_fail(b->d, b->g->path, c->line,
		               "'%s' has %u audio outputs: name one as "
		               "'%s.PORT' (audio outputs: %s)",
		               decl->name, n, decl->name, outs);
	}
	if (lp < 0)
		return qk_fail(b->d, b->g->path, c->line,
		               "'%s' (%s) has no port '%s' (audio outputs: %s)", decl->name,
		               decl->type, port, outs);
	if (pi->kind[lp] == QK_PORT_AUDIO_IN)
		return qk_fail(b->d, b->g->path, c->line,
		               "'%s.%s' is an audio input: a connection starts "
		               "at an audio output and ends at an input (audio outputs: %s)",
		               decl->name, port, outs);
	if (pi->kind[lp] == QK_PORT_CONTROL_IN)
		return qk_fail(b->d, b->g->path, c->line,
		               "'%s.%s' is a control: it takes a value on the "
		               "node line, not a signal, and feeds nothing (audio outputs: %s)",
		               decl->name, port, outs);
	return qk_fail(b->d, b->g->path, c->line,
	               "'%s.%s' is not an audio output: a connection "
	               "starts at one (audio outputs: %s)",
	               decl->name, port, outs);
}

/* The port a connection ends at: an audio input's index, or -1 for a graph output. */
static int
resolve_to(builder *b, const qk_conn *c, long *port_index)
{
	const qk_decl *decl = &b->g->decls[c->to];
	const char *port = c->to_port;
	if (decl->kind == QK_DECL_OUTPUT) {
		if (port)
			return qk_fail(b->d, b->g->path, c->line,
			               "'%s' is a graph output and has no ports: "
			               "write '... -> %s'",
			               decl->name, decl->name);
		*port_index = -1;
		return 0;
	}
	const qk_plugin_info *pi = b->e->nodes[b->ds[c->to].node].info;
	long lp = port ? qk_info_port(pi, port) : -1;
	if (lp >= 0 && pi->kind[lp] == QK_PORT_AUDIO_IN) {
		*port_index = lp;
		return 0;
	}
	char ins[512];
	qk_info_list_ports(pi, QK_PORT_AUDIO_IN, ins, sizeof ins);
	if (!port)
		return qk_fail(b->d, b->g->path, c->line,
		               "name the input: '%s.PORT' (audio inputs: %s)", decl->name, ins);
	if (lp < 0)
		return qk_fail(b->d, b->g->path, c->line,
		               "'%s' (%s) has no port '%s' (audio inputs: %s)", decl->name,
		               decl->type, port, ins);
	if (pi->kind[lp] == QK_PORT_CONTROL_IN)
		return qk_fail(b->d, b->g->path, c->line,
		               "'%s.%s' is a control: set it on the node line "
		               "('%s=VALUE'); signals connect to audio inputs (%s)",
		               decl->name, port, port, ins);
	if (pi->kind[lp] == QK_PORT_AUDIO_OUT)
		return qk_fail(b->d, b->g->path, c->line,
		               "'%s.%s' is an audio output: a connection ends "
		               "at an audio input (audio inputs: %s)",
		               decl->name, port, ins);
	return qk_fail(b->d, b->g->path, c->line,
	               "'%s.%s' is not an audio input: a connection "
	               "ends at one (audio inputs: %s)",
	               decl->name, port, ins);
}

/* The lists of wires into each declaration (a counting sort by destination, stable). */
static int
index_wires(builder *b)
{
	size_t n = b->g->n_decls, m = b->g->n_conns;
	b->into_start = calloc(n + 1, sizeof *b->into_start);
	b->into = malloc((m ? m : 1) * sizeof *b->into);
	if (!b->into_start || !b->into)
		return qk_fail(b->d, b->g->path, 0, "out of memory");
	for (size_t c = 0; c < m; c++)
		b->into_start[b->wires[c].to + 1]++;
	for (size_t i = 0; i < n; i++)
		b->into_start[i + 1] += b->into_start[i];
	size_t *fill = malloc((n ? n : 1) * sizeof *fill);
	if (!fill)
		return qk_fail(b->d, b->g->path, 0, "out of memory");
	memcpy(fill, b->into_start, (n ? n : 1) * sizeof *fill);
	for (size_t c = 0; c < m; c++)
		b->into[fill[b->wires[c].to]++] = c;
	free(fill);
	return 0;
}

/* The buffer that feeds (decl, port): NULL if nothing is connected, the producer's own buffer
 * for one connection, a sum for several (fan-in sums, in the file's order). */
static int
feed(builder *b, size_t di, long port, const float **buf)
{
	size_t n = 0, first = 0;
	for (size_t k = b->into_start[di]; k < b->into_start[di + 1]; k++)
		if (b->wires[b->into[k]].to_port == port && n++ == 0)
			first = b->into[k];
	*buf = NULL;
	if (n == 0)
		return 0;
	if (n == 1) {
		*buf = b->wires[first].from;
		return 0;
	}
	float *out = new_buffer(b);
	op *o = out ? new_op(b, OP_SUM) : NULL;
	const float **ins = o ? calloc(n, sizeof *ins) : NULL;
	if (!ins)
		return qk_fail(b->d, b->g->path, 0, "out of memory");
	o->out = out;
	o->ins = ins;
	for (size_t k = b->into_start[di]; k < b->into_start[di + 1]; k++)
		if (b->wires[b->into[k]].to_port == port)
			o->ins[o->n_ins++] = b->wires[b->into[k]].from;
	*buf = out;
	return 0;
}

/* A host's settings for the node (carla_settings.h): the operation that applies them after the
 * plugin runs, or instead of it. ins and outs are its audio buffers in port order. */
static int
schedule_post(builder *b, size_t di, const float *const *ins, uint32_t n_in, float *const *outs,
              uint32_t n_out, qk_host_post **post)
{
	*post = NULL;
	const qk_decl *decl = &b->g->decls[di];
	if (decl->host &&
	    qk_host_post_new(decl->host, ins, n_in, outs, n_out, b->e->max_block, post) != 0)
		return qk_fail(b->d, b->g->path, decl->line, "out of memory");
	return 0;
}

/* A host's processing of a source's buffer: Carla's audio file player smooths its volume. */
static int
schedule_source_post(builder *b, size_t di)
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

static int
schedule_node(builder *b, size_t di)
{
	node *nd = &b->e->nodes[b->ds[di].node];
	const qk_plugin_info *pi = nd->info;
	const qk_decl *decl = &b->g->decls[di];
	uint32_t np = pi->n_ports, n_in = 0, n_out = 0;
	/* A host's settings see the node's audio buffers in port order (only built for them). */
	const float **ins = NULL;
	float **outs = NULL;
	if (decl->host) {
		ins = calloc(np ? np : 1, sizeof *ins);
		outs = calloc(np ? np : 1, sizeof *outs);
		if (!ins || !outs) {
			free(ins);
			free(outs);
			return qk_fail(b->d, b->g->path, 0, "out of memory");
		}
	}
	/* In a loop a plugin's audio ports are connected again at each sub-block, and a delay
	 * that cuts it is computed by the engine (engine_loops.c). */
	int is_cut = b->loop && b->cut[di];
	const float *cut_in = NULL;
	float *cut_out = NULL;
	for (uint32_t i = 0; i < np; i++) {
		if (outs && b->ds[di].port_out[i])
			outs[n_out++] = b->ds[di].port_out[i];
		if (b->ds[di].port_out[i]) {
			cut_out = b->ds[di].port_out[i];
			if (b->loop && !is_cut &&
			    qk_loop_add_port(b->loop, nd->instance, i, b->ds[di].port_out[i]) != 0)
				return qk_fail(b->d, b->g->path, 0, "out of memory");
		}
		if (pi->kind[i] != QK_PORT_AUDIO_IN)
			continue;
		const float *buf;
		if (feed(b, di, (long)i, &buf) != 0) {
			free(ins);
			free(outs);
			return -1;
		}
		/* Unconnected optional inputs get NULL, so the plugin applies its own identity (a
		 * gate reads 1, a softmax score is left out); required ones get silence, and so
		 * does every open input of a host's project (Carla connects each port to a buffer
		 * of its own). */
		if (!buf && (!pi->optional[i] || b->g->open_inputs_read_zero))
			buf = b->e->zeros;
		if (ins)
			ins[n_in++] = buf ? buf : b->e->zeros; /* what a host's dry signal is */
		lilv_instance_connect_port(nd->instance, i, (void *)buf);
		if (is_cut)
			cut_in = buf;
		else if (b->loop && buf &&
		         qk_loop_add_port(b->loop, nd->instance, i, (float *)buf) != 0)
			return qk_fail(b->d, b->g->path, 0, "out of memory");
	}
	if (is_cut)
		return qk_loop_add_cut(b->e, b->loop, nd, cut_in, cut_out) == 0
		               ? 0
		               : qk_fail(b->d, b->g->path, decl->line, "out of memory");
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
		o->run = nd->instance->lv2_descriptor->run;
		o->handle = lilv_instance_get_handle(nd->instance);
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

static int
schedule_output(builder *b, size_t di)
{
	const qk_decl *decl = &b->g->decls[di];
	const float *buf;
	if (feed(b, di, -1, &buf) != 0)
		return -1;
	if (!buf)
		return qk_fail(b->d, b->g->path, decl->line,
		               "output '%s' is not connected (write "
		               "'NODE.PORT -> %s')",
		               decl->name, decl->name);
	qk_engine *e = b->e;
	e->outputs[e->n_outputs].name = strdup(decl->name);
	e->outputs[e->n_outputs].buf = buf;
	if (!e->outputs[e->n_outputs++].name)
		return qk_fail(b->d, b->g->path, 0, "out of memory");
	return add_signal(b, decl->name, NULL, buf);
}

static int
check_files(builder *b)
{
	for (size_t i = 0; i < b->cfg->n_files; i++) {
		long di = qk_graph_find(b->g, b->cfg->files[i].name);
		if (di < 0 || b->g->decls[di].kind != QK_DECL_INPUT) {
			char list[512] = "";
			for (size_t k = 0; k < b->g->n_decls; k++)
				if (b->g->decls[k].kind == QK_DECL_INPUT) {
					if (list[0])
						strncat(list, ", ", sizeof list - strlen(list) - 1);
					strncat(list, b->g->decls[k].name,
					        sizeof list - strlen(list) - 1);
				}
			return qk_fail(b->d, b->g->path, 0,
			               "--input %s: the graph has no input '%s' (inputs: "
			               "%s)",
			               b->cfg->files[i].name, b->cfg->files[i].name,
			               list[0] ? list : "none");
		}
	}
	return 0;
}

/* The maps behind qk_engine_signal() and qk_engine_input(), once every name is known. The
 * first signal of a name wins, as a search in order would find it. */
static int
index_names(builder *b)
{
	qk_engine *e = b->e;
	for (size_t i = 0; i < e->n_signals; i++)
		if (qk_names_put(e->signal_index, e->signals[i].name, i, NULL) < 0)
			return qk_fail(b->d, b->g->path, 0, "out of memory");
	for (size_t i = 0; i < e->n_inputs; i++)
		if (qk_names_put(e->input_index, e->inputs[i].name, i, NULL) < 0)
			return qk_fail(b->d, b->g->path, 0, "out of memory");
	return 0;
}

/* The order of the declarations, with each feedback loop together in it (graph_loops.c), and
 * the engine's loops. In a host's project no declaration cuts a loop: Carla does not compute
 * feedback, so a project with a loop is an error. */
static int
schedule_loops(builder *b, size_t *order)
{
	const qk_graph *g = b->g;
	qk_engine *e = b->e;
	if (!g->open_inputs_read_zero) {
		if (!(b->cut = calloc(g->n_decls ? g->n_decls : 1, 1)))
			return qk_fail(b->d, g->path, 0, "out of memory");
		for (size_t i = 0; i < g->n_decls; i++)
			b->cut[i] = g->decls[i].kind == QK_DECL_NODE &&
			            qk_loop_can_cut(e->nodes[b->ds[i].node].info);
	}
	qk_graph_loop *loops;
	size_t n;
	if (qk_graph_schedule(g, b->cut, order, &loops, &n, b->d) != 0)
		return -1;
	if (n && !(e->loops = calloc(n, sizeof *e->loops))) {
		qk_graph_loops_free(loops, n);
		return qk_fail(b->d, g->path, 0, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		e->loops[i].first = loops[i].first;
		e->loops[i].count = loops[i].count;
		e->loops[i].cycle = loops[i].cycle;
		e->loops[i].line = loops[i].line;
		loops[i].cycle = NULL;
	}
	e->n_loops = n;
	qk_graph_loops_free(loops, n);
	return 0;
}

static int
build(builder *b, size_t *order)
{
	const qk_graph *g = b->g;
	qk_engine *e = b->e;
	if (check_files(b) != 0)
		return -1;
	/* Sources and plugins first, in the file's order, so errors come in reading order. */
	for (size_t i = 0; i < g->n_decls; i++) {
		const qk_decl *decl = &g->decls[i];
		int rc = 0;
		if (decl->kind == QK_DECL_NODE)
			rc = build_node(b, i);
		else if (decl->kind == QK_DECL_SOURCE || decl->kind == QK_DECL_INPUT)
			rc = build_source(b, i) != 0
			             ? -1
			             : add_signal(b, decl->name, NULL, b->ds[i].out);
		if (rc != 0)
			return -1;
	}
	/* Ports before the order: `n.x2 -> n.x3` joins two inputs, which is the error to report,
	 * not the loop from n to n that it also makes. */
	for (size_t c = 0; c < g->n_conns; c++) {
		b->wires[c].to = g->conns[c].to;
		if (resolve_from(b, &g->conns[c], &b->wires[c].from) != 0 ||
		    resolve_to(b, &g->conns[c], &b->wires[c].to_port) != 0)
			return -1;
	}
	if (schedule_loops(b, order) != 0 || index_wires(b) != 0)
		return -1;
	size_t next_loop = 0;
	for (size_t k = 0; k < g->n_decls; k++) {
		size_t di = order[k];
		const qk_decl *decl = &g->decls[di];
		int rc = 0;
		if (next_loop < e->n_loops && k == e->loops[next_loop].first) {
			op *o = new_op(b, OP_LOOP);
			if (!o)
				return qk_fail(b->d, g->path, 0, "out of memory");
			b->loop = o->feedback = &e->loops[next_loop];
			b->loop->n_ops = e->n_ops; /* until its end: where its operations start */
		}
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
		if (b->loop && k + 1 == b->loop->first + b->loop->count) {
			b->loop->n_ops = e->n_ops - b->loop->n_ops;
			b->loop = NULL;
			next_loop++;
		}
	}
	for (size_t i = 0; i < g->n_decls; i++) {
		if (g->decls[i].kind != QK_DECL_NODE)
			continue;
		const qk_plugin_info *pi = e->nodes[b->ds[i].node].info;
		uint32_t n_out = 0;
		for (uint32_t k = 0; k < pi->n_ports; k++)
			if (b->ds[i].port_out[k]) {
				n_out++;
				if (add_signal(b, g->decls[i].name, pi->symbol[k],
				               b->ds[i].port_out[k]) != 0)
					return -1;
			}
		for (uint32_t k = 0; n_out == 1 && k < pi->n_ports; k++)
			if (b->ds[i].port_out[k] &&
			    add_signal(b, g->decls[i].name, NULL, b->ds[i].port_out[k]))
				return -1;
	}
	if (index_names(b) != 0)
		return -1;
	for (size_t i = 0; i < e->n_nodes; i++) {
		lilv_instance_activate(e->nodes[i].instance);
		e->nodes[i].active = 1;
	}
	return 0;
}

int
qk_engine_new(const qk_graph *g, const qk_engine_config *cfg, qk_engine **out, qk_diag *d)
{
	*out = NULL;
	if (!(cfg->rate >= 1.0 && cfg->rate <= 1e7) || cfg->max_block == 0)
		return qk_fail(d, g->path, 0, "bad sample rate or block size");
	qk_engine *e = calloc(1, sizeof *e);
	builder b = {e, g, cfg, d, NULL, NULL, NULL, NULL, 0, NULL, NULL};
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
		e->signal_index = qk_names_new();
		e->node_index = qk_names_new();
		e->input_index = qk_names_new();
		e->world = lilv_world_new();
		if (!e->nodes || !e->outputs || !e->inputs || !e->zeros || !e->signal_index ||
		    !e->node_index || !e->input_index || !e->world) {
			qk_fail(d, g->path, 0, "out of memory");
		} else {
			qk_world_load(e->world);
			qk_uris_init(&e->u, e->world);
			if (!(e->plugins = qk_plugins_new(&e->u)))
				qk_fail(d, g->path, 0, "out of memory");
			else
				rc = build(&b, order);
		}
	}
	for (size_t i = 0; b.ds && i < g->n_decls; i++)
		free(b.ds[i].port_out);
	free(b.ds);
	free(b.wires);
	free(b.into);
	free(b.into_start);
	free(b.cut);
	free(order);
	if (rc != 0) {
		qk_engine_free(e);
		return -1;
	}
	*out = e;
	return 0;
}
