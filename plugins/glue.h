/* What every quark plugin shares: an instance is its port pointers, and
 * instantiate/connect_port/cleanup are the same for all of them. Each
 * plugins/<name>.c adds only its run() and descriptor. */
#ifndef QK_GLUE_H
#define QK_GLUE_H

#include <lv2/core/lv2.h>

#include "unit.h"

#include <stddef.h>
#include <stdint.h>

#define QK_URI "https://quarks-lv2.github.io/lv2/"
#define QK_MAX_PORTS 32

typedef struct {
	float *port[QK_MAX_PORTS];
} qk_ports;

LV2_Handle qk_instantiate(const LV2_Descriptor *descriptor, double rate,
                          const char *bundle_path,
                          const LV2_Feature *const *features);
void qk_connect_port(LV2_Handle instance, uint32_t port, void *data);
void qk_cleanup(LV2_Handle instance);
const void *qk_extension_data(const char *uri);

/* The value of a control port; 0 if the host never connected it. */
static inline float
qk_control_value(const qk_ports *p, uint32_t port)
{
	return p->port[port] ? *p->port[port] : 0.0f;
}

/* The unit set by four weight ports from w1 on and its bias, slope and
 * activation ports, clamped to their ranges. */
void qk_read_unit(const qk_ports *p, uint32_t w1, uint32_t bias, uint32_t slope,
                  uint32_t act, qk_unit *u);

/* The four streams connected at ports first..first+3 (NULL: unconnected). */
static inline void
qk_read_streams(const qk_ports *p, uint32_t first, const float *s[QK_INPUTS])
{
	for (uint32_t i = 0; i < QK_INPUTS; ++i) {
		s[i] = p->port[first + i];
	}
}

const LV2_Descriptor *qk_neuron_descriptor(void);
const LV2_Descriptor *qk_output_gate_descriptor(void);
const LV2_Descriptor *qk_synaptic_gate_descriptor(void);
const LV2_Descriptor *qk_activation_gate_descriptor(void);
const LV2_Descriptor *qk_additive_output_descriptor(void);
const LV2_Descriptor *qk_additive_synapse_descriptor(void);
const LV2_Descriptor *qk_softmax_descriptor(void);
const LV2_Descriptor *qk_attention_head_descriptor(void);
const LV2_Descriptor *qk_quadratic_descriptor(void);

#endif
