/* SPDX-License-Identifier: ISC */
/* Faust peers: the C that Faust 2.54 generates from the .dsp files of benchmarks/faust/
 * (faust -lang c -vec -vs 32, architecture benchmarks/faust/arch.c),
 * compiled into the benchmark with -O3 -march=x86-64-v3, once plain and once
 * with -ffast-math, and called through an LV2_Descriptor's run() as the
 * plugins are. Built only when `faust` was found at configure time
 * (QK_HAVE_FAUST); otherwise every peer reports itself skipped. */
#include "faust_peers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IO 8

#ifdef QK_HAVE_FAUST
#include "faust_peer.h"

#define PEERS(X)                  \
	X(output_gate)            \
	X(output_gate_sigmoid)    \
	X(additive_output)        \
	X(neuron_linear)          \
	X(neuron_tanh)            \
	X(softmax)                \
	X(synaptic_gate_tanh)     \
	X(activation_gate_linear) \
	X(additive_synapse_linear)
#define DECLARE(n)                                                                            \
	extern const qkf_peer_entry qkf_##n##_peer, qkf_##n##_fast_peer, qkf_##n##_base_peer, \
	        qkf_##n##_base_fast_peer;
PEERS(DECLARE)
#define ENTRY(n) \
	&qkf_##n##_peer, &qkf_##n##_fast_peer, &qkf_##n##_base_peer, &qkf_##n##_base_fast_peer,
static const qkf_peer_entry *const entries[] = {PEERS(ENTRY)};

typedef struct {
	const qkf_peer_entry *e;
	void *dsp;
	int n_in, n_out;
	float *io[2 * MAX_IO];
} instance;

static void
connect(LV2_Handle h, uint32_t port, void *data)
{
	instance *p = (instance *)h;
	if (port < (uint32_t)(p->n_in + p->n_out)) {
		p->io[port] = (float *)data;
	}
}

static void
run(LV2_Handle h, uint32_t n)
{
	instance *p = (instance *)h;
	p->e->compute(p->dsp, (int)n, p->io, p->io + p->n_in);
}

static const LV2_Descriptor descriptor = {
        "urn:quarks-bench:faust", NULL, connect, NULL, run, NULL, NULL, NULL,
};

bool
qk_faust_peer(const char *name, const LV2_Descriptor **desc, LV2_Handle *handle, int *n_in,
              int *n_out, const char **why)
{
	/* The build for the instruction set the plugins run: x86-64-v3 as the AVX2 kernels,
	 * or baseline x86-64 (NAME_base, NAME_base_fast) when QUARKS_KERNELS picks the sse2
	 * or plain C kernels (dsp/dispatch.c). */
	const char *kernels = getenv("QUARKS_KERNELS");
	const bool base = kernels && (!strcmp(kernels, "sse2") || !strcmp(kernels, "c"));
	const size_t len = strlen(name);
	const bool fast = len > 5 && !strcmp(name + len - 5, "_fast");
	char full[96];
	snprintf(full, sizeof full, "qkf_%.*s%s%s", (int)(fast ? len - 5 : len), name,
	         base ? "_base" : "", fast ? "_fast" : "");
	for (size_t k = 0; k < sizeof entries / sizeof entries[0]; ++k) {
		if (strcmp(entries[k]->name, full)) {
			continue;
		}
		instance *p = calloc(1, sizeof *p);
		if (!p) {
			*why = "out of memory";
			return false;
		}
		p->e = entries[k];
		p->dsp = p->e->create();
		p->e->init(p->dsp, 48000); /* sliders at their declared defaults */
		p->n_in = p->e->inputs(p->dsp);
		p->n_out = p->e->outputs(p->dsp);
		if (p->n_in > MAX_IO || p->n_out > MAX_IO) {
			*why = "too many ports";
			return false;
		}
		*desc = &descriptor;
		*handle = p;
		*n_in = p->n_in;
		*n_out = p->n_out;
		return true;
	}
	*why = "no such Faust peer";
	return false;
}

#else

bool
qk_faust_peer(const char *name, const LV2_Descriptor **desc, LV2_Handle *handle, int *n_in,
              int *n_out, const char **why)
{
	(void)name;
	(void)desc;
	(void)handle;
	(void)n_in;
	(void)n_out;
	*why = "skipped: faust was not installed when the benchmark was built";
	return false;
}

#endif
