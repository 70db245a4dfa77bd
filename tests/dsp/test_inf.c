/* SPDX-License-Identifier: ISC */
/* Issue 14: an Inf at an input acts as +-1e12 *before* it is weighted, in
 * every kernel (PORTS.md: every audio input is made sane first). Before, an
 * Inf with weight 0 wiped out the whole sum (0 * Inf = NaN, read as 0), and
 * one Inf token component turned every output of the attention head into
 * +-1e12. Each case runs on every kernel table this CPU has, at block sizes
 * that take the full-vector and the partial-vector paths, separate and in
 * place. */
#include "attention_head.h"
#include "dispatch.h"
#include "neuron.h"
#include "output_gate.h"
#include "additive_output.h"
#include "softmax.h"
#include "synaptic_gate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define N 19 /* two full AVX2 vectors and a partial one */

static int failures;

static void
expect(const char *what, int frame, double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol)) {
		if (failures++ < 20) {
			printf("FAIL [%s] %s, frame %d: got %.9g, want %.9g\n", qk_kernels_name(),
			       what, frame, got, want);
		}
	}
}

/* neuron, w1 = 0, x1 = +-Inf or NaN, x2 = 0.5: linear output 0.5 */
static void
neuron_cases(void)
{
	const float bad[] = {INFINITY, -INFINITY, NAN, 1e30f};
	for (size_t b = 0; b < sizeof bad / sizeof bad[0]; ++b) {
		for (int in_place = 0; in_place < 2; ++in_place) {
			float x1[N], x2[N], out[N];
			for (int i = 0; i < N; ++i) {
				x1[i] = bad[b];
				x2[i] = 0.5f;
			}
			qk_unit u;
			qk_unit_set(&u, 0.0f, 1.0f, 1.0f, 1.0f, 0.0f, 1.0f, QK_LINEAR);
			const float *x[4] = {x1, x2, NULL, NULL};
			float *y = in_place ? x1 : out;
			qk_neuron(&u, 1.0f, x, NULL, y, N);
			for (int i = 0; i < N; ++i) {
				expect("neuron w1=0 x1=bad x2=0.5", i, y[i], 0.5, 0.0);
			}
			/* w1 = 0.5: Inf weighs as 1e12, so 0.5e12 + 0.5, not 1e12 */
			for (int i = 0; i < N; ++i) {
				x1[i] = bad[b];
			}
			qk_unit_set(&u, 0.5f, 1.0f, 1.0f, 1.0f, 0.0f, 1.0f, QK_LINEAR);
			qk_neuron(&u, 1.0f, x, NULL, y, N);
			const double want = isnan(bad[b]) ? 0.5 : copysign(0.5e12, bad[b]) + 0.5;
			for (int i = 0; i < N; ++i) {
				expect("neuron w1=0.5 x1=bad x2=0.5", i, y[i], want, 1e6);
			}
		}
	}
}

/* synaptic gate, g1 = 0 closes the synapse of x1 = Inf: only x2 counts */
static void
synaptic_cases(void)
{
	float x1[N], x2[N], g1[N], out[N];
	for (int i = 0; i < N; ++i) {
		x1[i] = INFINITY;
		x2[i] = 0.25f;
		g1[i] = 0.0f;
	}
	qk_unit u;
	qk_unit_set(&u, 1.0f, 1.0f, 1.0f, 1.0f, 0.0f, 1.0f, QK_LINEAR);
	const float *x[4] = {x1, x2, NULL, NULL}, *g[4] = {g1, NULL, NULL, NULL};
	qk_synaptic_gate(&u, x, g, out, N);
	for (int i = 0; i < N; ++i) {
		expect("synaptic-gate g1=0 x1=Inf x2=0.25", i, out[i], 0.25, 0.0);
	}
}

/* output gate: a gate of Inf times a = 0.5 is 0.5e12, times in = 1e-3: 5e8;
 * additive output: in = Inf, k = 1, gate = -Inf: 1e12 - 1e12 = 0 */
static void
gate_cases(void)
{
	float in[N], gate[N], out[N];
	for (int i = 0; i < N; ++i) {
		in[i] = 1e-3f;
		gate[i] = INFINITY;
	}
	qk_output_gate(0.5f, 0.0f, QK_LINEAR, in, gate, out, N);
	for (int i = 0; i < N; ++i) {
		expect("output-gate a=0.5 gate=Inf in=1e-3", i, out[i], 5e8, 1e2);
	}
	for (int i = 0; i < N; ++i) {
		in[i] = INFINITY;
		gate[i] = -INFINITY;
	}
	qk_additive_output(1.0f, in, gate, out, N);
	for (int i = 0; i < N; ++i) {
		expect("additive-output in=Inf gate=-Inf", i, out[i], 0.0, 0.0);
	}
}

/* Attention head, identity projections, T = 1: token 1 = (Inf, 0), the
 * others ordinary. Token 1's key (1e12, 0) dominates the scores of every
 * query with a positive first component, as a 1e12 does; a query with a
 * negative first component attends away from it, so its output stays
 * ordinary: not every output is +-1e12 any more. Checked against the same
 * head computed in double with x = 1e12. */
static void
head_cases(void)
{
	static float x[4][2][N], o[4][2][N];
	const double tok[4][2] = {{1e12, 0.0}, {-0.5, 0.25}, {0.75, -0.5}, {-1.0, -0.25}};
	for (int t = 0; t < 4; ++t) {
		for (int d = 0; d < 2; ++d) {
			for (int i = 0; i < N; ++i) {
				x[t][d][i] = (t == 0 && d == 0) ? INFINITY : (float)tok[t][d];
			}
		}
	}
	qk_head h;
	memset(&h, 0, sizeof h);
	h.wq[0][0] = h.wq[1][1] = h.wk[0][0] = h.wk[1][1] = h.wv[0][0] = h.wv[1][1] = 1.0f;
	h.temp = 1.0f;
	const float *xp[4][2];
	float *op[4][2];
	for (int t = 0; t < 4; ++t) {
		for (int d = 0; d < 2; ++d) {
			xp[t][d] = x[t][d];
			op[t][d] = o[t][d];
		}
	}
	qk_attention_head(&h, (const float *const(*)[2])xp, (float *const(*)[2])op, N);
	int ordinary = 0;
	for (int t = 0; t < 4; ++t) {
		double s[4], top = -1e300, sum = 0.0;
		for (int j = 0; j < 4; ++j) {
			s[j] = tok[t][0] * tok[j][0] + tok[t][1] * tok[j][1];
			s[j] = s[j] > 1e12 ? 1e12 : s[j] < -1e12 ? -1e12 : s[j];
			top = s[j] > top ? s[j] : top;
		}
		for (int j = 0; j < 4; ++j) {
			s[j] = exp(s[j] - top);
			sum += s[j];
		}
		for (int d = 0; d < 2; ++d) {
			double acc = 0.0;
			for (int j = 0; j < 4; ++j) {
				acc += s[j] / sum * tok[j][d];
			}
			acc = acc > 1e12 ? 1e12 : acc < -1e12 ? -1e12 : acc;
			ordinary += fabs(acc) < 10.0;
			for (int i = 0; i < N; ++i) {
				expect("attention head, token 1 = (Inf, 0)", i, o[t][d][i], acc,
				       1e-5 + 1e-6 * fabs(acc));
			}
		}
	}
	if (ordinary < 2) {
		printf("FAIL the head case has no ordinary output to check\n");
		++failures;
	}
}

/* softmax: a score of +Inf is 1e12, and takes all the weight */
static void
softmax_cases(void)
{
	float s1[N], s2[N], a1[N], a2[N];
	for (int i = 0; i < N; ++i) {
		s1[i] = INFINITY;
		s2[i] = 3.0f;
	}
	const float *s[4] = {s1, s2, NULL, NULL};
	float *a[4] = {a1, a2, NULL, NULL};
	qk_softmax(1.0f, s, a, N);
	for (int i = 0; i < N; ++i) {
		expect("softmax s1=Inf s2=3: a1", i, a1[i], 1.0, 1e-7);
		expect("softmax s1=Inf s2=3: a2", i, a2[i], 0.0, 1e-30);
	}
}

int
main(void)
{
	static const char *const tables[] = {"c", "sse2", "avx2"};
	int ran = 0;
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; ++t) {
		if (qk_kernels_select(tables[t]) != 0) {
			printf("kernels %s: not run by this CPU, skipped\n", tables[t]);
			continue;
		}
		neuron_cases();
		synaptic_cases();
		gate_cases();
		head_cases();
		softmax_cases();
		++ran;
		printf("kernels %s: done\n", tables[t]);
	}
	printf("%d kernel tables, %d failures\n", ran, failures);
	return failures ? 1 : 0;
}
