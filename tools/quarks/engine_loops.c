/* SPDX-License-Identifier: ISC */
/* Building the engine's feedback loops (docs/graph.md, "Feedback loops").
 *
 * A loop runs in sub-blocks no longer than its shortest delay (engine.c). In each, its delays
 * first give their output, which is their input of earlier sub-blocks, then the loop's other
 * plugins run in order, then the delays take their input. A delay's own run() cannot be split
 * so (an LV2 plugin takes a block's input and gives its output in one call), so the engine
 * computes the delays of a loop itself, with the plugin's kernel (qk_delay_read and
 * qk_delay_write, dsp/delay.c, the two halves of the plugin's qk_delay) and the plugin's own
 * reading of its controls (its port table): the same bits the plugin would give. */
#include "engine_impl.h"

#include "plugin_table.h"

#include <stdlib.h>
#include <string.h>

int
qk_loop_can_cut(const qk_plugin_info *pi)
{
	return strcmp(pi->uri, QK_BASE_URI "delay") == 0;
}

int
qk_loop_add_port(loop *l, LilvInstance *instance, uint32_t port, float *buf)
{
	if (l->n_ports == l->cap_ports) {
		size_t cap = l->cap_ports ? 2 * l->cap_ports : 8;
		loop_port *p = realloc(l->ports, cap * sizeof *p);
		if (!p)
			return -1;
		l->ports = p;
		l->cap_ports = cap;
	}
	l->ports[l->n_ports++] = (loop_port){instance->lv2_descriptor->connect_port,
	                                     lilv_instance_get_handle(instance), port, buf};
	return 0;
}

int
qk_loop_add_cut(qk_engine *e, loop *l, const node *nd, const float *in, float *out)
{
	static const char *const symbols[2] = {"delay", "time"};
	loop_cut c;
	memset(&c, 0, sizeof c);
	for (int k = 0; k < 2; k++) {
		long port = qk_info_port(nd->info, symbols[k]);
		if (port < 0 ||
		    qk_table_range(nd->info->uri, symbols[k], &c.lo[k], &c.hi[k], &c.def[k]) != 0)
			return -2; /* not the bundle's delay: cannot happen after qk_loop_can_cut */
		if (k == 0)
			c.samples = &nd->controls[port];
		else
			c.ms = &nd->controls[port];
	}
	/* The plugin's ring is as long as both controls at their maximum allow. */
	uint32_t size = qk_delay_samples(e->rate, c.hi[0], c.hi[1]);
	loop_cut *cuts = realloc(l->cuts, (l->n_cuts + 1) * sizeof *cuts);
	if (cuts)
		l->cuts = cuts;
	float *ring = cuts ? calloc(size ? size : 1, sizeof *ring) : NULL;
	if (!ring)
		return -1;
	c.line = (qk_delay_line){ring, size ? size : 1, 0};
	c.in = in;
	c.out = out;
	l->cuts[l->n_cuts++] = c;
	return 0;
}

void
qk_loop_free(loop *l)
{
	for (size_t i = 0; i < l->n_cuts; i++)
		free(l->cuts[i].line.ring);
	free(l->cuts);
	free(l->ports);
	free(l->cycle);
}
