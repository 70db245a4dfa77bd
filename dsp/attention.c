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

/* y[l] = sum_c w[l d + c] x[c] over the chunk, c in order: at d = 2 this is
 * w0 x0 + w1 x1, as attention_head.c writes it. */
static inline void
project(const float *w, uint32_t rows, uint32_t d, const float *const *x, float *y,
        uint32_t len)
{
	for (uint32_t l = 0; l < rows; ++l) {
		float *yl = y + (size_t)l * ATT_CHUNK;
		const float *wl = w + (size_t)l * d;
		const float w0 = wl[0];
		const float *x0 = x[0];
		for (uint32_t f = 0; f < len; ++f) {
			yl[f] = w0 * x0[f];
		}
		for (uint32_t c = 1; c < d; ++c) {
			const float wc = wl[c];
			const float *xc = x[c];
			for (uint32_t f = 0; f < len; ++f) {
				yl[f] += wc * xc[f];
			}
		}
	}
}

QK_CLONES void
qk_attention_run(const qk_attention *a, const float *const *x, float *const *o,
                 float *scratch, uint32_t n)
{
	const uint32_t nt = a->size.n, d = a->size.d, m = a->size.m, mv = a->size.mv;
	if (nt == 0 || nt > QK_ATTENTION_MAX_TOKENS || d == 0 || d > QK_ATTENTION_MAX_DIM ||
	    m == 0 || mv == 0) {
		return;
	}
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

		/* Every input is read before any output is written: in place is safe. */
		for (uint32_t i = 0; i < nt; ++i) {
			const float *xi[QK_ATTENTION_MAX_DIM];
			for (uint32_t c = 0; c < d; ++c) {
				xi[c] = qk_stream(x[(size_t)i * d + c], off, qk_zeros);
			}
			project(a->wq, m, d, xi, q + (size_t)i * m * ATT_CHUNK, len);
			project(a->wk, m, d, xi, k + (size_t)i * m * ATT_CHUNK, len);
			project(a->wv, mv, d, xi, v + (size_t)i * mv * ATT_CHUNK, len);
		}

		for (uint32_t i = 0; i < nt; ++i) {
			/* s_ij = q_i . k_j: the m n^2 products of output gating, l in order */
			const float *qi = q + (size_t)i * m * ATT_CHUNK;
			for (uint32_t j = 0; j < nt; ++j) {
				float *sj = s + (size_t)j * ATT_CHUNK;
				const float *kj = k + (size_t)j * m * ATT_CHUNK;
				for (uint32_t f = 0; f < len; ++f) {
					sj[f] = qi[f] * kj[f];
				}
				for (uint32_t l = 1; l < m; ++l) {
					const float *qil = qi + (size_t)l * ATT_CHUNK;
					const float *kjl = kj + (size_t)l * ATT_CHUNK;
					for (uint32_t f = 0; f < len; ++f) {
						sj[f] += qil[f] * kjl[f];
					}
				}
			}
			/* a_ij = softmax_j(s_ij / T), in place: the softmax quark's kernel */
			qk_softmax_wide(a->temp, scores, weights, nt, len);
			/* o_il = sum_j a_ij v_jl: a_ij gates the synapse from value j, j in order */
			for (uint32_t l = 0; l < mv; ++l) {
				float *ol = o[(size_t)i * mv + l] + off;
				float acc[ATT_CHUNK];
				for (uint32_t f = 0; f < len; ++f) {
					acc[f] = 0.0f;
				}
				for (uint32_t j = 0; j < nt; ++j) {
					const float *aj = s + (size_t)j * ATT_CHUNK;
					const float *vjl = v + ((size_t)j * mv + l) * ATT_CHUNK;
					for (uint32_t f = 0; f < len; ++f) {
						acc[f] += aj[f] * vjl[f];
					}
				}
				for (uint32_t f = 0; f < len; ++f) {
					ol[f] = qk_sane(acc[f]);
				}
			}
		}
	}
}
