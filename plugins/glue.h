/* SPDX-License-Identifier: ISC */
/* What every quark plugin shares: an instance is its port pointers (and, in a
 * stateful plugin, its state after them), and connect_port/cleanup are the same
 * for all, instantiate for all memoryless ones. Each plugins/<name>.c adds its
 * port table (describe.h), its run() and its qk_plugin. */
#ifndef QK_GLUE_H
#define QK_GLUE_H

#include <lv2/core/lv2.h>

#include "describe.h"
#include "unit.h"

#include <stddef.h>
#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* An instance: one pointer per port of its plugin's table. A control port
 * the host has not connected (or connected to NULL) points at a constant 0,
 * so reading a control is one load. */
typedef struct {
	const qk_plugin *plugin;
	double rate;        /* the sample rate it was instantiated at */
	size_t state_bytes; /* of a stateful plugin's state (qk_state), else 0 */
	uint32_t n_ports;
	float *port[];
} qk_ports;

LV2_Handle qk_instantiate(const LV2_Descriptor *descriptor, double rate, const char *bundle_path,
                          const LV2_Feature *const *features);
void qk_connect_port(LV2_Handle instance, uint32_t port, void *data);

/* An instance with `floats` of zeroed scratch memory after its port pointers,
 * for kernels too large for a realtime thread's stack: one allocation, so
 * qk_connect_port and qk_cleanup serve it too. */
LV2_Handle qk_instantiate_scratch(const LV2_Descriptor *descriptor, double rate, size_t floats);

/* That scratch memory, 32-byte aligned. */
static inline float *
qk_scratch(const qk_ports *p)
{
	const uintptr_t end = (uintptr_t)&p->port[p->n_ports];
	return (float *)((end + 31u) & ~(uintptr_t)31u);
}

/* What makes a plugin stateful (its qk_plugin's .state): the state after its
 * port pointers, in place of the scratch memory, so that qk_connect_port and
 * qk_cleanup serve it too. init sets a zeroed state up for a sample rate, at
 * instantiate and again at activate, which zeroes it first: activate puts the
 * plugin back where instantiate left it. */
typedef struct qk_state_kind {
	size_t bytes; /* sizeof the plugin's state */
	void (*init)(void *state, double rate);
} qk_state_kind;

/* instantiate and activate of a stateful plugin (QK_STATEFUL in describe.h).
 * instantiate refuses a rate that is not > 0, at which a time in seconds
 * means nothing. */
LV2_Handle qk_instantiate_state(const LV2_Descriptor *descriptor, double rate,
                                const char *bundle_path, const LV2_Feature *const *features);
void qk_activate_state(LV2_Handle instance);

/* The same instance with `bytes` of state rather than .state's bytes, for a
 * state whose size depends on the rate (a delay line). */
LV2_Handle qk_instantiate_state_bytes(const LV2_Descriptor *descriptor, double rate, size_t bytes);

/* That state. */
static inline void *
qk_state(LV2_Handle instance)
{
	return qk_scratch((const qk_ports *)instance);
}

void qk_cleanup(LV2_Handle instance);
const void *qk_extension_data(const char *uri);

/* The value of a control port; 0 if the host never connected it. */
static inline float
qk_control_value(const qk_ports *p, uint32_t port)
{
	return *p->port[port];
}

/* A control port's value clamped to the range its table entry declares;
 * NaN reads as its default. ports is the plugin's static table, so with a
 * constant index the range folds into the code. */
static inline float
qk_port_control(const qk_ports *p, const qk_port *ports, uint32_t port)
{
	return qk_control(qk_control_value(p, port), (float)ports[port].min, (float)ports[port].max,
	                  (float)ports[port].def);
}

/* The same from a port pointer and its table entry: the value at port (0 if
 * NULL), clamped to the range of the entry, NaN read as the entry's default. */
static inline float
qk_table_control(const float *port, const qk_port *entry)
{
	return qk_control(port ? *port : 0.0f, (float)entry->min, (float)entry->max,
	                  (float)entry->def);
}

/* A unit from four weight ports from w1 on and its bias, slope and
 * activation ports, each read as qk_table_control reads it (so a NaN weight
 * reads as that port's default, whatever it is). */
void qk_table_unit(float *const port[], const qk_port *ports, uint32_t w1, uint32_t bias,
                   uint32_t slope, uint32_t act, qk_unit *u);

#if defined(__SSE2__)
/* qk_control() on four values at once: NaN reads as def, then the clamp
 * (maxps/minps keep the value itself when it equals a bound, as qk_control). */
static inline __m128
qk_control4(__m128 v, __m128 lo, __m128 hi, __m128 def)
{
	const __m128 ord = _mm_cmpord_ps(v, v);
	v = _mm_or_ps(_mm_and_ps(ord, v), _mm_andnot_ps(ord, def));
	return _mm_min_ps(_mm_max_ps(v, lo), hi);
}
#endif

/* The unit set by four weight ports from w1 on and its bias, slope and
 * activation ports, clamped to their ranges (qk_unit_set). Inline and on
 * vectors: a run(1) is mostly this. */
static inline void
qk_read_unit(const qk_ports *p, uint32_t w1, uint32_t bias, uint32_t slope, uint32_t act,
             qk_unit *u)
{
#if defined(__SSE2__)
	_Static_assert(offsetof(qk_unit, bias) == 4 * sizeof(float) &&
	                       offsetof(qk_unit, slope) == 5 * sizeof(float),
	               "w[4], bias, slope in a row");
	const __m128 lo = _mm_set1_ps(-QK_WEIGHT_MAX), hi = _mm_set1_ps(QK_WEIGHT_MAX);
	const __m128 w = _mm_setr_ps(qk_control_value(p, w1), qk_control_value(p, w1 + 1),
	                             qk_control_value(p, w1 + 2), qk_control_value(p, w1 + 3));
	const __m128 e =
	        _mm_setr_ps(qk_control_value(p, bias), qk_control_value(p, slope), 0.0f, 0.0f);
	_mm_storeu_ps(u->w, qk_control4(w, lo, hi, _mm_set1_ps(1.0f)));
	_mm_storel_pi((__m64 *)&u->bias,
	              qk_control4(e, lo, hi, _mm_setr_ps(0.0f, 1.0f, 0.0f, 0.0f)));
	u->act = qk_activation_from_control(qk_control_value(p, act));
#else
	qk_unit_set(u, qk_control_value(p, w1), qk_control_value(p, w1 + 1),
	            qk_control_value(p, w1 + 2), qk_control_value(p, w1 + 3),
	            qk_control_value(p, bias), qk_control_value(p, slope),
	            qk_control_value(p, act));
#endif
}

/* The four streams connected at ports first..first+3 (NULL: unconnected). */
static inline void
qk_read_streams(const qk_ports *p, uint32_t first, const float *s[QK_INPUTS])
{
	for (uint32_t i = 0; i < QK_INPUTS; ++i) {
		s[i] = p->port[first + i];
	}
}

/* What every unit's run() reads first: the unit from its controls
 * (qk_read_unit) and its four input streams from port x1 on. */
typedef struct {
	qk_unit unit;
	const float *x[QK_INPUTS];
} qk_unit_inputs;

static inline void
qk_read_unit_inputs(const qk_ports *p, uint32_t x1, uint32_t w1, uint32_t bias, uint32_t slope,
                    uint32_t act, qk_unit_inputs *in)
{
	qk_read_unit(p, w1, bias, slope, act, &in->unit);
	qk_read_streams(p, x1, in->x);
}

#endif
