/* SPDX-License-Identifier: ISC */
#include "softmax_wide.h"
#include "clones.h"
#include "activation.h"

/* Frames per pass: the exponentials of 16 scores take 4 KB of stack. */
#define WIDE_CHUNK 64u

QK_CLONES void
qk_softmax_wide(float temp, const float *const *s, float *const *a, uint32_t width, uint32_t n)
{
	float e[QK_SOFTMAX_WIDE_MAX][WIDE_CHUNK]; /* exp of each score */
	float top[WIDE_CHUNK];                    /* the largest score */
	float sum[WIDE_CHUNK];                    /* the sum of exps, then its inverse */
	const float inv_temp = 1.0f / temp;
	width = width < QK_SOFTMAX_WIDE_MAX ? width : QK_SOFTMAX_WIDE_MAX;

	for (uint32_t off = 0; off < n; off += WIDE_CHUNK) {
		const uint32_t len = n - off < WIDE_CHUNK ? n - off : WIDE_CHUNK;

		/* The largest score subtracted keeps every exponent <= 0 (no
		 * overflow) and makes the largest term exactly 1, so sum >= 1. */
		for (uint32_t i = 0; i < len; ++i) {
			top[i] = -QK_LIMIT;
			sum[i] = 0.0f;
		}
		for (uint32_t j = 0; j < width; ++j) {
			if (!s[j]) {
				continue;
			}
			const float *sj = s[j] + off;
			for (uint32_t i = 0; i < len; ++i) {
				const float v = qk_sane(sj[i]);
				top[i] = v > top[i] ? v : top[i];
			}
		}
		for (uint32_t j = 0; j < width; ++j) {
			if (!s[j]) {
				continue;
			}
			const float *sj = s[j] + off;
			float *ej = e[j];
			for (uint32_t i = 0; i < len; ++i) {
				float z = (qk_sane(sj[i]) - top[i]) * inv_temp;
				z = z < -80.0f ? -80.0f : z;
				ej[i] = qk_exp_core(z);
				sum[i] += ej[i];
			}
		}
		for (uint32_t i = 0; i < len; ++i) {
			sum[i] = 1.0f / sum[i];
		}
		/* Outputs only now, when every score of the chunk has been read. */
		for (uint32_t j = 0; j < width; ++j) {
			if (!a[j]) {
				continue;
			}
			float *aj = a[j] + off;
			if (!s[j]) {
				for (uint32_t i = 0; i < len; ++i) {
					aj[i] = 0.0f;
				}
				continue;
			}
			const float *ej = e[j];
			for (uint32_t i = 0; i < len; ++i) {
				aj[i] = ej[i] * sum[i];
			}
		}
	}
}
