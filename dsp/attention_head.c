/* SPDX-License-Identifier: ISC */
#include "attention_head.h"
#include "clones.h"
#include "activation.h"
#include "softmax.h"
#include "stream.h"

/* Frames per pass: q, k, v, scores and weights for 64 frames take 10 KB of
 * stack, small enough for any realtime thread. */
#define HEAD_CHUNK 64u

typedef float frames[HEAD_CHUNK];

/* y[l] = sum_d w[l][d] x[d], for every frame of the chunk. */
static void
project(const float w[QK_HEAD_DIM][QK_HEAD_DIM], const float *const x[QK_HEAD_DIM],
        frames y[QK_HEAD_DIM], uint32_t len)
{
	for (int l = 0; l < QK_HEAD_DIM; ++l) {
		const float w0 = w[l][0], w1 = w[l][1];
		const float *x0 = x[0], *x1 = x[1];
		float *yl = y[l];
		for (uint32_t f = 0; f < len; ++f) {
			yl[f] = w0 * x0[f] + w1 * x1[f];
		}
	}
}

QK_CLONES void
qk_attention_head(const qk_head *h, const float *const x[QK_HEAD_TOKENS][QK_HEAD_DIM],
                  float *const o[QK_HEAD_TOKENS][QK_HEAD_DIM], uint32_t n)
{
	_Static_assert(QK_HEAD_DIM == 2, "project() is written out for m = 2");
	_Static_assert(QK_HEAD_TOKENS == QK_SOFTMAX_WIDTH, "one softmax over all keys");
	frames q[QK_HEAD_TOKENS][QK_HEAD_DIM], k[QK_HEAD_TOKENS][QK_HEAD_DIM],
	        v[QK_HEAD_TOKENS][QK_HEAD_DIM];
	frames a[QK_HEAD_TOKENS]; /* scores, then weights, of one query */
	const float *const scores[QK_HEAD_TOKENS] = {a[0], a[1], a[2], a[3]};
	float *const weights[QK_HEAD_TOKENS] = {a[0], a[1], a[2], a[3]};

	for (uint32_t off = 0; off < n; off += HEAD_CHUNK) {
		const uint32_t len = n - off < HEAD_CHUNK ? n - off : HEAD_CHUNK;

		/* Every input is read before any output is written: in place is safe. */
		for (int i = 0; i < QK_HEAD_TOKENS; ++i) {
			const float *xi[QK_HEAD_DIM];
			for (int d = 0; d < QK_HEAD_DIM; ++d) {
				xi[d] = qk_stream(x[i][d], off, qk_zeros);
			}
			project(h->wq, xi, q[i], len);
			project(h->wk, xi, k[i], len);
			project(h->wv, xi, v[i], len);
		}

		for (int i = 0; i < QK_HEAD_TOKENS; ++i) {
			/* scores s_ij = q_i . k_j: the m n^2 products of output gating */
			for (int j = 0; j < QK_HEAD_TOKENS; ++j) {
				float *s = a[j];
				for (uint32_t f = 0; f < len; ++f) {
					s[f] = q[i][0][f] * k[j][0][f] + q[i][1][f] * k[j][1][f];
				}
			}
			/* a_ij = softmax_j(s_ij / T): the softmax quark's own kernel, in place */
			qk_softmax(h->temp, scores, weights, len);
			/* o_i = sum_j a_ij v_j: a_ij gates the synapse from value j */
			for (int d = 0; d < QK_HEAD_DIM; ++d) {
				float *od = o[i][d] + off;
				for (uint32_t f = 0; f < len; ++f) {
					float acc = 0.0f;
					for (int j = 0; j < QK_HEAD_TOKENS; ++j) {
						acc += a[j][f] * v[j][d][f];
					}
					od[f] = qk_sane(acc);
				}
			}
		}
	}
}
