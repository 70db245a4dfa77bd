/* SPDX-License-Identifier: ISC */
/* quadratic: a degree-2 polynomial threshold unit over four inputs. */
#include "glue.h"

#include "quadratic.h"

enum {
	X1,
	X2,
	X3,
	X4,
	OUT,
	W1,
	W2,
	W3,
	W4,
	W11,
	W12,
	W13,
	W14,
	W22,
	W23,
	W24,
	W33,
	W34,
	W44,
	BIAS,
	SLOPE,
	ACT,
	N_PORTS
};

#define TERM(i, j) \
	QK_COEF("w" #i #j, "Weight " #i #j, "Weight of the product term x" #i " x" #j ".", 0.0)

static const qk_port ports[N_PORTS] = {
        QK_UNIT_INPUTS(X1),           [OUT] = QK_UNIT_OUTPUT, QK_UNIT_WEIGHTS(W1),
        [W11] = TERM(1, 1),           [W12] = TERM(1, 2),     [W13] = TERM(1, 3),
        [W14] = TERM(1, 4),           [W22] = TERM(2, 2),     [W23] = TERM(2, 3),
        [W24] = TERM(2, 4),           [W33] = TERM(3, 3),     [W34] = TERM(3, 4),
        [W44] = TERM(4, 4),           [BIAS] = QK_UNIT_BIAS,  [SLOPE] = QK_UNIT_SLOPE,
        [ACT] = QK_UNIT_ACT(QK_STEP), /* a threshold unit by default */
};

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;

	qk_quadratic_unit u;
	qk_read_unit(p, W1, BIAS, SLOPE, ACT, &u.linear);
	if (qk_control_value(p, ACT) != qk_control_value(p, ACT)) {
		u.linear.act = QK_STEP; /* NaN reads as the default */
	}
	for (uint32_t t = 0; t < QK_QUADRATIC_TERMS; ++t) {
		u.w2[t] = qk_port_control(p, ports, W11 + t);
	}
	const float *x[QK_INPUTS];
	qk_read_streams(p, X1, x);

	qk_quadratic(&u, x, p->port[OUT], n);
}

const qk_plugin qk_plugin_quadratic = {
        .descriptor = QK_MEMORYLESS(quadratic, run),
        .slug = QK_SLUG_quadratic,
        .name = "Quark Quadratic Unit",
        .shortdesc = "Polynomial threshold unit of degree 2 over four inputs",
        .comment = "A degree-2 polynomial threshold unit: out = f(slope * (sum_i w_i x_i + "
                   "sum_{i<=j} w_ij x_i x_j + bias)), all 10 product terms of 4 inputs with their "
                   "own weights. A gating operation adds one such term; this unit has them all "
                   "(n(n+1)/2 parameters instead of one).",
        .formula = "`out = f(slope*(sum_i w_i x_i + sum_{i<=j} w_ij x_i x_j + bias))`",
        .klass = "FunctionPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
};
