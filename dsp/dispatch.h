/* SPDX-License-Identifier: ISC */
/* One table of kernels per instruction set (kernels.h, compiled by
 * kernels_sse2.c, kernels_avx2.c or kernels_c.c); dispatch.c picks the best
 * one the CPU runs when the library loads. Each public kernel (neuron.h, ...)
 * is one indirect call into the table: one dispatch per run(), the rest of
 * the work inlined into the chosen kernel. */
#ifndef QK_DISPATCH_H
#define QK_DISPATCH_H

#include "activation.h"
#include "attention_head.h"
#include "quadratic.h"
#include "softmax.h"
#include "unit.h"

#include <stdint.h>

typedef struct {
	const char *name; /* "sse2", "avx2", "c" */
	void (*activate)(qk_activation f, float slope, const float *s, float *out, uint32_t n);
	void (*neuron)(const qk_unit *u, float v, const float *const x[QK_INPUTS],
	               const float *attend, float *out, uint32_t n);
	void (*output_gate)(float a, float c, qk_activation g, const float *in, const float *gate,
	                    float *out, uint32_t n);
	void (*synaptic_gate)(const qk_unit *u, const float *const x[QK_INPUTS],
	                      const float *const g[QK_INPUTS], float *out, uint32_t n);
	void (*activation_gate)(const qk_unit *u, const float *const x[QK_INPUTS],
	                        const float *gate, float *out, uint32_t n);
	void (*additive_output)(float k, const float *in, const float *gate, float *out,
	                        uint32_t n);
	void (*additive_synapse)(const qk_unit *u, const float *const x[QK_INPUTS],
	                         const float *const g[QK_INPUTS], float *out, uint32_t n);
	void (*softmax)(float temp, const float *const s[QK_SOFTMAX_WIDTH],
	                float *const a[QK_SOFTMAX_WIDTH], uint32_t n);
	void (*attention_head)(const qk_head *h, const float *const x[QK_HEAD_TOKENS][QK_HEAD_DIM],
	                       float *const o[QK_HEAD_TOKENS][QK_HEAD_DIM], uint32_t n);
	void (*quadratic)(const qk_quadratic_unit *u, const float *const x[QK_INPUTS], float *out,
	                  uint32_t n);
} qk_kernels;

/* The table in use. */
extern const qk_kernels *qk_k;

/* Use the named table ("sse2", "avx2", "c") if this CPU runs it: for tests
 * and benchmarks that compare them. Returns 0, or -1 (table unchanged). */
int qk_kernels_select(const char *name);

/* 1 (the default): a span whose inputs are all clean takes the kernels'
 * fast path (kernels.h); 0: every span takes the full, sanitizing path. For
 * the tests that compare the two. */
extern int qk_clean_path;

/* The name of the table in use. */
const char *qk_kernels_name(void);

#endif
