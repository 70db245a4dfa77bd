/* SPDX-License-Identifier: ISC */
#include "softmax.h"
#include "clones.h"
#include "activation.h"
#include "stream.h"

QK_CLONES void
qk_softmax(float temp, const float *const s[QK_SOFTMAX_WIDTH], float *const a[QK_SOFTMAX_WIDTH],
           uint32_t n)
{
	float e[QK_SOFTMAX_WIDTH][QK_CHUNK]; /* exp of each score, then weights */
	float top[QK_CHUNK];                 /* the largest score */
	float sum[QK_CHUNK];                 /* the sum of exps, then its inverse */
	const float inv_temp = 1.0f / temp;

	for (uint32_t off = 0; off < n; off += QK_CHUNK) {
		const uint32_t len = qk_chunk_len(n, off);

		/* Subtracting the largest score keeps every exponent <= 0: no
		 * overflow, and the largest term is exactly 1, so sum >= 1. */
		for (uint32_t i = 0; i < len; ++i) {
			top[i] = -QK_LIMIT;
			sum[i] = 0.0f;
		}
		for (int j = 0; j < QK_SOFTMAX_WIDTH; ++j) {
			if (!s[j]) {
				continue;
			}
			const float *sj = s[j] + off;
			for (uint32_t i = 0; i < len; ++i) {
				const float v = qk_sane(sj[i]);
				top[i] = v > top[i] ? v : top[i];
			}
		}
		for (int j = 0; j < QK_SOFTMAX_WIDTH; ++j) {
			if (!s[j]) {
				continue;
			}
			const float *sj = s[j] + off;
			float *ej = e[j];
			for (uint32_t i = 0; i < len; ++i) {
				/* <= 0 by construction: only the lower clamp is needed */
				float z = (qk_sane(sj[i]) - top[i]) * inv_temp;
				z = z < -80.0f ? -80.0f : z;
				ej[i] = qk_exp_core(z);
				sum[i] += ej[i];
			}
		}
		for (uint32_t i = 0; i < len; ++i) {
			sum[i] = 1.0f / sum[i]; /* one division per frame, not per output */
		}
		/* Outputs are written only now: every score of the chunk is read. */
		for (int j = 0; j < QK_SOFTMAX_WIDTH; ++j) {
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
