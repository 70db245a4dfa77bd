/* SPDX-License-Identifier: ISC */
#include "attention.h"
#include "clones.h"
#include "activation.h"
#include "softmax_wide.h"
#include "stream.h"

/* Frames per pass. q, k, v and the scores of 64 frames at 16 tokens of 4 take
 * 53 KB of scratch, and one query's working set (its scores, every key and
 * value) 36 KB: near the L1 cache, where a pass over the keys stays. */
#define ATT_CHUNK 64u

size_t
qk_attention_scratch(const qk_attention_size *z)
{
	/* q and k: n m rows, v: n mv rows, scores: n rows, of ATT_CHUNK frames */
	return (size_t)ATT_CHUNK * z->n * (2u * z->m + z->mv + 1u);
}

/* The kernel's body, for sizes given as arguments: inlined with constants for the shipped
 * sizes (qk_attention_run below), where the compiler unrolls the sums over c, l and j and keeps
 * them in registers, and with the runtime values for any other size. Every sum runs in index
 * order from its first term, as attention_head.c's do (w0 x0 + w1 x1, q0 k0 + q1 k1, then
 * 0 + a_0 v_0 + ...): the frame's arithmetic, and so its bits, do not depend on the size being
 * a constant. */
static inline __attribute__((always_inline)) void
attend(const qk_attention *a, const float *const *x, float *const *o, float *scratch, uint32_t n,
       const uint32_t nt, const uint32_t d, const uint32_t m, const uint32_t mv)
{
	/* Scratch rows of ATT_CHUNK frames: q_il, k_jl, v_jl, then the scores. */
	float *const q = scratch;
	float *const k = q + (size_t)ATT_CHUNK * nt * m;
	float *const v = k + (size_t)ATT_CHUNK * nt * m;
	float *const s = v + (size_t)ATT_CHUNK * nt * mv;
	const float *scores[QK_ATTENTION_MAX_TOKENS];
	float *weights[QK_ATTENTION_MAX_TOKENS];
	for (uint32_t j = 0; j < nt; ++j) {
		scores[j] = weights[j] = s + (size_t)j * ATT_CHUNK;
	}

	for (uint32_t off = 0; off < n; off += ATT_CHUNK) {
		const uint32_t len = n - off < ATT_CHUNK ? n - off : ATT_CHUNK;

		/* q_i = W_Q x_i, k_i = W_K x_i, v_i = W_V x_i. Every input is read before any
		 * output is written: in place is safe. */
		for (uint32_t i = 0; i < nt; ++i) {
			/* token i made sane once (PORTS.md: before it is weighted), for all of
			 * its 2m + m_v projection rows */
			float xs[QK_ATTENTION_MAX_DIM][ATT_CHUNK];
			const float *xi[QK_ATTENTION_MAX_DIM];
			for (uint32_t c = 0; c < d; ++c) {
				const float *in = qk_stream(x[(size_t)i * d + c], off, qk_zeros);
				for (uint32_t f = 0; f < len; ++f) {
					xs[c][f] = qk_sane(in[f]);
				}
				xi[c] = xs[c];
			}
			for (uint32_t r = 0; r < 2 * m + mv; ++r) {
				/* rows 0..m-1 of W_Q, then of W_K, then of W_V */
				const float *w = r < m       ? a->wq + (size_t)r * d
				                 : r < 2 * m ? a->wk + (size_t)(r - m) * d
				                             : a->wv + (size_t)(r - 2 * m) * d;
				float *y = r < m ? q + ((size_t)i * m + r) * ATT_CHUNK
				           : r < 2 * m
				                   ? k + ((size_t)i * m + r - m) * ATT_CHUNK
				                   : v + ((size_t)i * mv + r - 2 * m) * ATT_CHUNK;
				for (uint32_t f = 0; f < len; ++f) {
					float acc = w[0] * xi[0][f];
					for (uint32_t c = 1; c < d; ++c) {
						acc += w[c] * xi[c][f];
					}
					y[f] = acc;
				}
			}
		}

		for (uint32_t i = 0; i < nt; ++i) {
			/* s_ij = q_i . k_j: the m n^2 products of output gating */
			const float *qi = q + (size_t)i * m * ATT_CHUNK;
			for (uint32_t j = 0; j < nt; ++j) {
				float *sj = s + (size_t)j * ATT_CHUNK;
				const float *kj = k + (size_t)j * m * ATT_CHUNK;
				for (uint32_t f = 0; f < len; ++f) {
					float acc = qi[f] * kj[f];
					for (uint32_t l = 1; l < m; ++l) {
						acc += qi[l * ATT_CHUNK + f] *
						       kj[l * ATT_CHUNK + f];
					}
					sj[f] = acc;
				}
			}
			/* a_ij = softmax_j(s_ij / T), in place: the softmax quark's kernel */
			qk_softmax_wide(a->temp, scores, weights, nt, len);
			/* o_il = sum_j a_ij v_jl: a_ij gates the synapse from value j */
			for (uint32_t l = 0; l < mv; ++l) {
				float *ol = o[(size_t)i * mv + l] + off;
				const float *vl = v + (size_t)l * ATT_CHUNK;
				for (uint32_t f = 0; f < len; ++f) {
					float acc = 0.0f;
					for (uint32_t j = 0; j < nt; ++j) {
						acc += s[j * ATT_CHUNK + f] *
						       vl[(size_t)j * mv * ATT_CHUNK + f];
					}
					ol[f] = qk_sane(acc);
				}
			}
		}
	}
}

QK_CLONES void
qk_attention_run(const qk_attention *a, const float *const *x, float *const *o, float *scratch,
                 uint32_t n)
{
	const uint32_t nt = a->size.n, d = a->size.d, m = a->size.m, mv = a->size.mv;
	if (nt == 0 || nt > QK_ATTENTION_MAX_TOKENS || d == 0 || d > QK_ATTENTION_MAX_DIM ||
	    m == 0 || mv == 0) {
		return;
	}
	/* The plugins' sizes as constants; the same arithmetic at any other. */
	if (nt == 4 && d == 2 && m == 2 && mv == 2) {
		attend(a, x, o, scratch, n, 4, 2, 2, 2);
	} else if (nt == 8 && d == 4 && m == 4 && mv == 4) {
		attend(a, x, o, scratch, n, 8, 4, 4, 4);
	} else if (nt == 16 && d == 4 && m == 4 && mv == 4) {
		attend(a, x, o, scratch, n, 16, 4, 4, 4);
	} else {
		attend(a, x, o, scratch, n, nt, d, m, mv);
	}
}
