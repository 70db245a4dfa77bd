/* SPDX-License-Identifier: ISC */
#include "dispatch.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#define QK_X86 1
extern const qk_kernels qk_sse2_kernels, qk_avx2_kernels;
#define QK_BASELINE qk_sse2_kernels
#else
#define QK_X86 0
#endif
extern const qk_kernels qk_c_kernels;
#ifndef QK_BASELINE
#define QK_BASELINE qk_c_kernels
#endif

/* Valid from the start (constructors of other libraries may run first); the
 * constructor below upgrades it. */
const qk_kernels *qk_k = &QK_BASELINE;

int qk_clean_path = 1;

static int
qk_have_avx2(void)
{
#if QK_X86
	__builtin_cpu_init();
	/* libgcc checks that the OS saves the YMM state as well */
	return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
	return 0;
#endif
}

/* QUARKS_KERNELS=c, sse2 or avx2 picks that table instead of the best this
 * CPU runs (a name it cannot run, or an unknown one, keeps the best): so the
 * tests and benchmarks run the baseline x86-64 build through a real host on
 * a machine that has AVX2. Read once, when the library loads; run() never
 * looks. */
__attribute__((constructor)) static void
qk_kernels_init(void)
{
#if QK_X86
	if (qk_have_avx2()) {
		qk_k = &qk_avx2_kernels;
	}
#endif
	const char *forced = getenv("QUARKS_KERNELS");
	if (forced) {
		(void)qk_kernels_select(forced);
	}
}

int
qk_kernels_select(const char *name)
{
	if (!strcmp(name, "c")) {
		qk_k = &qk_c_kernels;
		return 0;
	}
#if QK_X86
	if (!strcmp(name, "sse2")) {
		qk_k = &qk_sse2_kernels;
		return 0;
	}
	if (!strcmp(name, "avx2") && qk_have_avx2()) {
		qk_k = &qk_avx2_kernels;
		return 0;
	}
#endif
	return -1;
}

const char *
qk_kernels_name(void)
{
	return qk_k->name;
}

/* The public kernels: one indirect call each. */

void
qk_activate(qk_activation f, float slope, const float *s, float *out, uint32_t n)
{
	qk_k->activate(f, slope, s, out, n);
}

void
qk_neuron(const qk_unit *u, float v, const float *const x[QK_INPUTS], const float *attend,
          float *out, uint32_t n)
{
	qk_k->neuron(u, v, x, attend, out, n);
}

void
qk_output_gate(float a, float c, qk_activation g, const float *in, const float *gate, float *out,
               uint32_t n)
{
	qk_k->output_gate(a, c, g, in, gate, out, n);
}

void
qk_synaptic_gate(const qk_unit *u, const float *const x[QK_INPUTS], const float *const g[QK_INPUTS],
                 float *out, uint32_t n)
{
	qk_k->synaptic_gate(u, x, g, out, n);
}

void
qk_activation_gate(const qk_unit *u, const float *const x[QK_INPUTS], const float *gate, float *out,
                   uint32_t n)
{
	qk_k->activation_gate(u, x, gate, out, n);
}

void
qk_additive_output(float k, const float *in, const float *gate, float *out, uint32_t n)
{
	qk_k->additive_output(k, in, gate, out, n);
}

void
qk_additive_synapse(const qk_unit *u, const float *const x[QK_INPUTS],
                    const float *const g[QK_INPUTS], float *out, uint32_t n)
{
	qk_k->additive_synapse(u, x, g, out, n);
}

void
qk_softmax(float temp, const float *const s[QK_SOFTMAX_WIDTH], float *const a[QK_SOFTMAX_WIDTH],
           uint32_t n)
{
	qk_k->softmax(temp, s, a, n);
}

void
qk_attention_head(const qk_head *h, const float *const x[QK_HEAD_TOKENS][QK_HEAD_DIM],
                  float *const o[QK_HEAD_TOKENS][QK_HEAD_DIM], uint32_t n)
{
	qk_k->attention_head(h, x, o, n);
}

void
qk_quadratic(const qk_quadratic_unit *u, const float *const x[QK_INPUTS], float *out, uint32_t n)
{
	qk_k->quadratic(u, x, out, n);
}
