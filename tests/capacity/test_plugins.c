/* SPDX-License-Identifier: ISC */
/* The enumeration tied to the plugins: for n = 2 and 3, every function the enumeration finds
 * for a gated pair is computed by the real plugins, loaded through lilv (LV2_PATH), rendered
 * on all 2^n input patterns (one frame per pattern) with the weights the enumeration found.
 *
 *   pair01: neuron h (act 1, step) and neuron g (act 1) on (0,1) inputs, h -> output-gate in,
 *           g -> output-gate gate, output gate act 0 (linear): out = h * g in {0, 1};
 *   pairpm: the same with act 2 (sign) on (-1,+1) inputs: out = h * g in {-1, +1};
 *   syn01/synpm: synaptic-gate h (step / sign) with the neuron g's output on its gate g_j,
 *           its other gates unconnected (they read 1).
 * The enumeration's weights are integers for (-1,+1) inputs, sum_i w_i s_i + b; for (0,1)
 * inputs x_i = (s_i + 1)/2 the same sum is sum_i 2 w_i x_i + (b - sum_i w_i). Every sum is
 * a small integer, exact in float, so the plugins' S >= 0 test sees the enumeration's value. */
#include <stdlib.h>
#include <string.h>

#include "cap_class.h"
#include "check.h"
#include "host.h"

#define RATE 48000.0

typedef struct rig {
	host h;
	host_unit gh, gg, og, syn;
} rig;

static const char *const wsym[] = {"w1", "w2", "w3", "w4"};

/* Sets a unit's weights from an enumeration row; pm: (-1,+1) inputs, else (0,1) inputs. */
static void
set_gate(rig *r, host_unit *u, unsigned n, const int *w, int pm, int act)
{
	int bias = w[n];
	for (unsigned i = 0; i < 4; ++i) {
		float v = 0.0f;
		if (i < n) {
			v = pm ? (float)w[i] : 2.0f * (float)w[i];
			if (!pm)
				bias -= w[i];
		}
		host_set(u, &r->h, wsym[i], v);
	}
	host_set(u, &r->h, "bias", (float)bias);
	host_set(u, &r->h, "slope", 1.0f);
	host_set(u, &r->h, "act", (float)act);
}

/* Renders the circuit of class c for gates h, g (rows of t) and returns its table, or
 * UINT64_MAX if an output is not exactly one of the two gate levels. */
static uint64_t
render(rig *r, const cap_ltg_list *t, cap_comp c, const cap_witness *w)
{
	unsigned n = t->n, frames = 1u << n;
	int pm = c == CAP_PAIRPM || c == CAP_SYNPM;
	float x[4][32], hout[32], gout[32], out[32];
	for (unsigned i = 0; i < 4; ++i)
		for (unsigned k = 0; k < frames; ++k) {
			float bit = (float)((k >> i) & 1u);
			x[i][k] = i < n ? (pm ? 2.0f * bit - 1.0f : bit) : 0.0f;
		}
	int act = pm ? 2 : 1;
	set_gate(r, &r->gg, n, t->w + (size_t)w->g * (n + 1), pm, act);
	float *gin[5] = {x[0], x[1], x[2], x[3], NULL};
	float *go[1] = {gout};
	host_unit_run(&r->gg, gin, go, frames);
	if (c == CAP_PAIR01 || c == CAP_PAIRPM) {
		set_gate(r, &r->gh, n, t->w + (size_t)w->h * (n + 1), pm, act);
		float *ho[1] = {hout};
		host_unit_run(&r->gh, gin, ho, frames);
		host_set(&r->og, &r->h, "a", 1.0f);
		host_set(&r->og, &r->h, "c", 0.0f);
		host_set(&r->og, &r->h, "act", 0.0f);
		float *oin[2] = {hout, gout};
		float *oo[1] = {out};
		host_unit_run(&r->og, oin, oo, frames);
	} else {
		set_gate(r, &r->syn, n, t->w + (size_t)w->h * (n + 1), pm, act);
		float *sin[8] = {x[0], x[1], x[2], x[3], NULL, NULL, NULL, NULL};
		sin[4 + w->j] = gout;
		float *so[1] = {out};
		host_unit_run(&r->syn, sin, so, frames);
	}
	uint64_t f = 0;
	float lo = pm ? -1.0f : 0.0f;
	for (unsigned k = 0; k < frames; ++k) {
		if (out[k] == 1.0f)
			f |= (uint64_t)1 << k;
		else if (out[k] != lo)
			return UINT64_MAX;
	}
	return f;
}

static void
tie(checker *ck, rig *r, unsigned n, cap_comp c)
{
	cap_ltg_list t;
	cap_fset s;
	cap_ltg_enumerate(&t, n);
	cap_fset_init(&s, n);
	cap_witness *wit = malloc(s.nbits * sizeof *wit);
	cap_class_direct(&s, wit, &t, c);
	unsigned long found = 0, same = 0;
	for (uint64_t f = 0; f < s.nbits; ++f) {
		if (wit[f].h < 0)
			continue;
		++found;
		same += render(r, &t, c, &wit[f]) == f;
	}
	char what[160];
	snprintf(what, sizeof what,
	         "n=%u %s: %lu of the %lu functions found are rendered exactly by the plugins", n,
	         cap_comp_name(c), same, found);
	check(ck, found == cap_fset_count(&s) && found > 0 && same == found, what);
	free(wit);
	cap_fset_free(&s);
	cap_ltg_free(&t);
}

int
main(void)
{
	checker ck = {0, 0};
	rig r;
	if (!host_open(&r.h))
		return 1;
	if (!host_unit_new(&r.gh, &r.h, "neuron", RATE) ||
	    !host_unit_new(&r.gg, &r.h, "neuron", RATE) ||
	    !host_unit_new(&r.og, &r.h, "output-gate", RATE) ||
	    !host_unit_new(&r.syn, &r.h, "synaptic-gate", RATE))
		return 1;
	for (unsigned n = 2; n <= 3; ++n)
		for (int c = 0; c < CAP_NCOMP; ++c)
			tie(&ck, &r, n, (cap_comp)c);
	host_unit_free(&r.gh);
	host_unit_free(&r.gg);
	host_unit_free(&r.og);
	host_unit_free(&r.syn);
	host_close(&r.h);
	return check_done(&ck);
}
