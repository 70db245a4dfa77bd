/* SPDX-License-Identifier: ISC */
/* What every quark plugin shares: an instance is its port pointers, and
 * instantiate/connect_port/cleanup are the same for all memoryless ones. Each
 * plugins/<name>.c adds its port table (describe.h), its run() and its
 * qk_plugin. */
#ifndef QK_GLUE_H
#define QK_GLUE_H

#include <lv2/core/lv2.h>

#include "describe.h"
#include "unit.h"

#include <stddef.h>
#include <stdint.h>

/* An instance: one pointer per port of its plugin's table. */
typedef struct {
	uint32_t n_ports;
	float *port[];
} qk_ports;

LV2_Handle qk_instantiate(const LV2_Descriptor *descriptor, double rate, const char *bundle_path,
                          const LV2_Feature *const *features);
void qk_connect_port(LV2_Handle instance, uint32_t port, void *data);

/* An instance with `floats` of zeroed scratch memory after its port pointers,
 * for kernels too large for a realtime thread's stack: one allocation, so
 * qk_connect_port and qk_cleanup serve it too. */
LV2_Handle qk_instantiate_scratch(const LV2_Descriptor *descriptor, size_t floats);

/* That scratch memory, 32-byte aligned. */
static inline float *
qk_scratch(const qk_ports *p)
{
	const uintptr_t end = (uintptr_t)&p->port[p->n_ports];
	return (float *)((end + 31u) & ~(uintptr_t)31u);
}
void qk_cleanup(LV2_Handle instance);
const void *qk_extension_data(const char *uri);

/* The value of a control port; 0 if the host never connected it. */
static inline float
qk_control_value(const qk_ports *p, uint32_t port)
{
	return p->port[port] ? *p->port[port] : 0.0f;
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

/* The same for a stateful plugin, whose instance is its own struct with a
 * port pointer array: the value at port (0 if unconnected), clamped to the
 * range of its table entry, NaN read as the entry's default. */
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

/* The unit set by four weight ports from w1 on and its bias, slope and
 * activation ports, clamped to their ranges. */
void qk_read_unit(const qk_ports *p, uint32_t w1, uint32_t bias, uint32_t slope, uint32_t act,
                  qk_unit *u);

/* The four streams connected at ports first..first+3 (NULL: unconnected). */
static inline void
qk_read_streams(const qk_ports *p, uint32_t first, const float *s[QK_INPUTS])
{
	for (uint32_t i = 0; i < QK_INPUTS; ++i) {
		s[i] = p->port[first + i];
	}
}

#endif
