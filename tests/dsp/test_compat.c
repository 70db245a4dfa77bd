/* SPDX-License-Identifier: ISC */
/* The helpers that kernels outside kernels.h are written against still
 * compile and work: dsp/stream.h (identity chunks for unconnected streams),
 * dsp/clones.h (target_clones dispatch) and dsp/denormal.h (FTZ|DAZ around
 * a run). A kernel in the style of the per-kernel sources in dsp/ is built
 * here from them and checked on a block longer than one chunk. */
#include "activation.h"
#include "clones.h"
#include "denormal.h"
#include "stream.h"

#include <stdio.h>

/* out = sane(in * gate), gate unconnected: 1 */
QK_CLONES static void
gain(const float *in, const float *gate, float *out, uint32_t n)
{
	for (uint32_t off = 0; off < n; off += QK_CHUNK) {
		const uint32_t len = qk_chunk_len(n, off);
		const float *x = qk_stream(in, off, qk_zeros);
		const float *g = qk_stream(gate, off, qk_ones);
		for (uint32_t i = 0; i < len; ++i) {
			out[off + i] = qk_sane(x[i] * g[i]);
		}
	}
}

int
main(void)
{
	enum { N = 3 * QK_CHUNK + 5 };
	static float in[N], gate[N], out[N];
	for (int i = 0; i < N; ++i) {
		in[i] = (float)i - 300.0f;
		gate[i] = 0.5f;
	}
	int failures = 0;
	const qk_fp_mode saved = qk_denormals_off();
	gain(in, NULL, out, N);
	for (int i = 0; i < N; ++i) {
		failures += out[i] != in[i];
	}
	gain(in, gate, out, N);
	for (int i = 0; i < N; ++i) {
		failures += out[i] != 0.5f * in[i];
	}
	gain(NULL, gate, out, N);
	for (int i = 0; i < N; ++i) {
		failures += out[i] != 0.0f;
	}
	const float *chunk[2];
	const float *const s[2] = {NULL, in};
	qk_streams(s, 2, QK_CHUNK, qk_ones, chunk);
	failures += chunk[0] != qk_ones || chunk[1] != in + QK_CHUNK;
	qk_denormals_restore(saved);
	printf("%d passed, %d failed\n", failures ? 0 : 1, failures ? 1 : 0);
	return failures != 0;
}
