/* SPDX-License-Identifier: ISC */
#define _POSIX_C_SOURCE 200809L
#include "live_host.h"

#include <jack/ringbuffer.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Engines are built with this block and JACK periods split into chunks of it, so any buffer
 * size works without rebuilding the engine (the output does not depend on the block size). */
#define CHUNK 1024

typedef struct {
	qk_engine *engine;
	float **in; /* engine buffers of the graph inputs, in port order */
} slot;

/* A queued change: applied by the process thread only to the slot it was made for. */
typedef struct {
	const slot *for_slot;
	float *control; /* NULL for a seek */
	float value;
	uint64_t pos;
} message;

/* A control value set live, re-applied when the engine is rebuilt. */
typedef struct {
	char target[256];
	float value;
} setting;

struct qk_live {
	const qk_graph *g;
	jack_client_t *client;
	jack_port_t **in_ports, **out_ports;
	const char **in_names;
	size_t n_in, n_out;
	jack_ringbuffer_t *queue;
	_Atomic(slot *) current;
	atomic_int in_process; /* 1 while the callback may hold a slot pointer */
	atomic_uint xruns;
	atomic_uint rate, buffer_size;
	atomic_int server_gone;
	uint32_t built_rate;
	uint64_t frames_at_swap;
	atomic_uint_fast64_t frames; /* frames processed by the current slot */
	setting *sets;
	size_t n_sets;
};

static void
process_chunk(qk_live *l, slot *s, jack_nframes_t off, jack_nframes_t n, float *const *ins,
              float *const *outs)
{
	for (size_t i = 0; i < l->n_in; i++)
		memcpy(s->in[i], ins[i] + off, n * sizeof(float));
	qk_engine_process(s->engine, n);
	for (size_t i = 0; i < l->n_out; i++)
		memcpy(outs[i] + off, qk_engine_output(s->engine, i), n * sizeof(float));
}

/* The realtime callback: drain the queue, run the engine in chunks. */
static int
on_process(jack_nframes_t nframes, void *arg)
{
	qk_live *l = arg;
	atomic_store(&l->in_process, 1);
	slot *s = atomic_load(&l->current);
	float *ins[64], *outs[64];
	size_t n_in = l->n_in < 64 ? l->n_in : 64, n_out = l->n_out < 64 ? l->n_out : 64;
	for (size_t i = 0; i < n_in; i++)
		ins[i] = jack_port_get_buffer(l->in_ports[i], nframes);
	for (size_t i = 0; i < n_out; i++)
		outs[i] = jack_port_get_buffer(l->out_ports[i], nframes);
	if (!s) {
		for (size_t i = 0; i < n_out; i++)
			memset(outs[i], 0, nframes * sizeof(float));
	} else {
		message m;
		while (jack_ringbuffer_read_space(l->queue) >= sizeof m) {
			jack_ringbuffer_read(l->queue, (char *)&m, sizeof m);
			if (m.for_slot != s)
				continue;
			if (m.control)
				qk_engine_set_control(m.control, m.value);
			else {
				qk_engine_seek(s->engine, m.pos);
				atomic_store(&l->frames, m.pos);
			}
		}
		for (jack_nframes_t off = 0; off < nframes; off += CHUNK)
			process_chunk(l, s, off, nframes - off < CHUNK ? nframes - off : CHUNK, ins,
			              outs);
		atomic_fetch_add(&l->frames, nframes);
	}
	atomic_store(&l->in_process, 0);
	return 0;
}

static int
on_xrun(void *arg)
{
	atomic_fetch_add(&((qk_live *)arg)->xruns, 1);
	return 0;
}

static int
on_buffer_size(jack_nframes_t n, void *arg)
{
	atomic_store(&((qk_live *)arg)->buffer_size, n); /* chunking copes with any size */
	return 0;
}

static int
on_rate(jack_nframes_t r, void *arg)
{
	atomic_store(&((qk_live *)arg)->rate, r); /* the main thread rebuilds the engine */
	return 0;
}

static void
on_shutdown(void *arg)
{
	atomic_store(&((qk_live *)arg)->server_gone, 1);
}

/* libjack prints its own connection failures; the message we give says it better. */
static void
quiet_jack(const char *msg)
{
	(void)msg;
}

qk_live *
qk_live_open(const qk_graph *g, const char *name, char *err, size_t cap)
{
	jack_status_t st;
	jack_set_error_function(quiet_jack);
	jack_set_info_function(quiet_jack);
	jack_client_t *c = jack_client_open(name, JackNoStartServer, &st);
	if (!c) {
		if (st & JackServerFailed)
			snprintf(err, cap,
			         "no JACK server is running (start one first, for example "
			         "'jackd -d alsa' or, without a sound card, 'jackd -d dummy')");
		else
			snprintf(err, cap, "cannot open the JACK client '%s' (status 0x%x)", name,
			         (unsigned)st);
		return NULL;
	}
	qk_live *l = calloc(1, sizeof *l);
	size_t n = g->n_decls ? g->n_decls : 1;
	if (l) {
		l->g = g;
		l->client = c;
		l->in_ports = calloc(n, sizeof *l->in_ports);
		l->out_ports = calloc(n, sizeof *l->out_ports);
		l->in_names = calloc(n, sizeof *l->in_names);
		l->queue = jack_ringbuffer_create(256 * sizeof(message));
	}
	if (!l || !l->in_ports || !l->out_ports || !l->in_names || !l->queue) {
		snprintf(err, cap, "out of memory");
		qk_live_close(l ? l : (jack_client_close(c), NULL));
		return NULL;
	}
	for (size_t i = 0; i < g->n_decls; i++) {
		const qk_decl *dc = &g->decls[i];
		int in = dc->kind == QK_DECL_INPUT, out = dc->kind == QK_DECL_OUTPUT;
		if (!in && !out)
			continue;
		jack_port_t *p = jack_port_register(c, dc->name, JACK_DEFAULT_AUDIO_TYPE,
		                                    in ? JackPortIsInput : JackPortIsOutput, 0);
		if (!p || (in ? l->n_in : l->n_out) >= 64) {
			snprintf(err, cap,
			         "cannot register the JACK port '%s' (64 inputs and outputs at "
			         "most)",
			         dc->name);
			qk_live_close(l);
			return NULL;
		}
		if (in) {
			l->in_names[l->n_in] = dc->name;
			l->in_ports[l->n_in++] = p;
		} else {
			l->out_ports[l->n_out++] = p;
		}
	}
	jack_set_process_callback(c, on_process, l);
	jack_set_xrun_callback(c, on_xrun, l);
	jack_set_buffer_size_callback(c, on_buffer_size, l);
	jack_set_sample_rate_callback(c, on_rate, l);
	jack_on_shutdown(c, on_shutdown, l);
	atomic_store(&l->rate, jack_get_sample_rate(c));
	atomic_store(&l->buffer_size, jack_get_buffer_size(c));
	return l;
}

static void
free_slot(slot *s)
{
	if (s) {
		qk_engine_free(s->engine);
		free(s->in);
		free(s);
	}
}

static slot *
build_slot(qk_live *l, uint32_t rate, qk_diag *d)
{
	slot *s = calloc(1, sizeof *s);
	if (!s || !(s->in = calloc(l->n_in ? l->n_in : 1, sizeof *s->in))) {
		free(s);
		qk_fail(d, l->g->path, 0, "out of memory");
		return NULL;
	}
	qk_engine_config cfg = {.rate = rate, .max_block = CHUNK, .external_inputs = 1};
	if (qk_engine_new(l->g, &cfg, &s->engine, d) != 0) {
		free_slot(s);
		return NULL;
	}
	for (size_t i = 0; i < l->n_in; i++)
		s->in[i] = qk_engine_input(s->engine, l->in_names[i]);
	for (size_t i = 0; i < l->n_sets; i++) {
		qk_diag why;
		float *c = qk_engine_control(s->engine, l->sets[i].target, &why);
		if (c)
			qk_engine_set_control(c, l->sets[i].value);
	}
	return s;
}

int
qk_live_start(qk_live *l, qk_diag *d)
{
	l->built_rate = atomic_load(&l->rate);
	slot *s = build_slot(l, l->built_rate, d);
	if (!s)
		return -1;
	atomic_store(&l->current, s);
	return 0;
}

int
qk_live_activate(qk_live *l, qk_diag *d)
{
	if (jack_activate(l->client) != 0)
		return qk_fail(d, "quarks run", 0, "cannot activate the JACK client");
	return 0;
}

/* Swaps in s and frees the old slot once the process thread cannot be holding it. */
static void
swap_slot(qk_live *l, slot *s)
{
	slot *old = atomic_exchange(&l->current, s);
	struct timespec ms = {0, 1000000};
	while (atomic_load(&l->in_process))
		nanosleep(&ms, NULL);
	free_slot(old);
}

int
qk_live_poll(qk_live *l, qk_diag *d)
{
	if (atomic_load(&l->server_gone))
		return qk_fail(d, "quarks run", 0, "the JACK server has stopped");
	uint32_t rate = atomic_load(&l->rate);
	if (rate != l->built_rate) {
		uint64_t pos = atomic_load(&l->frames);
		slot *s = build_slot(l, rate, d);
		if (!s)
			return -1;
		/* Keep the time in seconds where it was: sources are functions of the frame index.
		 */
		qk_engine_seek(s->engine, (uint64_t)((double)pos * rate / l->built_rate));
		atomic_store(&l->frames, (uint64_t)((double)pos * rate / l->built_rate));
		swap_slot(l, s);
		fprintf(stderr,
		        "quarks run: sample rate changed from %u to %u Hz; engine rebuilt\n",
		        l->built_rate, rate);
		l->built_rate = rate;
	}
	return 0;
}

static int
push(qk_live *l, const message *m, char *err, size_t cap)
{
	if (jack_ringbuffer_write_space(l->queue) < sizeof *m)
		return snprintf(err, cap, "too many changes queued; try again"), -1;
	jack_ringbuffer_write(l->queue, (const char *)m, sizeof *m);
	return 0;
}

int
qk_live_set(qk_live *l, const char *target, float value, char *err, size_t cap)
{
	slot *s = atomic_load(&l->current); /* only the main thread swaps slots: stable here */
	qk_diag why;
	float *c = qk_engine_control(s->engine, target, &why);
	if (!c)
		return snprintf(err, cap, "%s", why.msg), -1;
	size_t k = 0; /* one entry per control: the latest value */
	while (k < l->n_sets && strcmp(l->sets[k].target, target) != 0)
		k++;
	if (k == l->n_sets) {
		setting *ns = realloc(l->sets, (l->n_sets + 1) * sizeof *ns);
		if (!ns)
			return snprintf(err, cap, "out of memory"), -1;
		l->sets = ns;
		snprintf(ns[l->n_sets++].target, sizeof ns->target, "%s", target);
	}
	l->sets[k].value = value;
	message m = {s, c, value, 0};
	return push(l, &m, err, cap);
}

int
qk_live_seek(qk_live *l, uint64_t pos, char *err, size_t cap)
{
	message m = {atomic_load(&l->current), NULL, 0, pos};
	return push(l, &m, err, cap);
}

void
qk_live_connect_playback(qk_live *l)
{
	const char **ports = jack_get_ports(l->client, NULL, JACK_DEFAULT_AUDIO_TYPE,
	                                    JackPortIsPhysical | JackPortIsInput);
	for (size_t i = 0; ports && ports[i] && i < l->n_out; i++)
		jack_connect(l->client, jack_port_name(l->out_ports[i]), ports[i]);
	jack_free(ports);
}

jack_client_t *
qk_live_client(qk_live *l)
{
	return l->client;
}
unsigned
qk_live_xruns(const qk_live *l)
{
	return atomic_load(&l->xruns);
}
uint32_t
qk_live_rate(const qk_live *l)
{
	return atomic_load(&l->rate);
}
uint32_t
qk_live_buffer_size(const qk_live *l)
{
	return atomic_load(&l->buffer_size);
}

void
qk_live_close(qk_live *l)
{
	if (!l)
		return;
	if (l->client) {
		jack_deactivate(l->client);
		jack_client_close(l->client);
	}
	free_slot(atomic_load(&l->current));
	if (l->queue)
		jack_ringbuffer_free(l->queue);
	free(l->in_ports);
	free(l->out_ports);
	free(l->in_names);
	free(l->sets);
	free(l);
}
