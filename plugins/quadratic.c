/* quadratic: a degree-2 polynomial threshold unit over four inputs. */
#include "glue.h"

#include "denormal.h"
#include "quadratic.h"

enum {
	X1, X2, X3, X4, OUT, W1, W2, W3, W4,
	W11, W12, W13, W14, W22, W23, W24, W33, W34, W44,
	BIAS, SLOPE, ACT
};

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;
	const qk_fp_mode mode = qk_denormals_off();

	qk_quadratic_unit u;
	qk_read_unit(p, W1, BIAS, SLOPE, ACT, &u.linear);
	if (qk_control_value(p, ACT) != qk_control_value(p, ACT)) {
		u.linear.act = QK_STEP; /* a threshold unit by default: NaN reads as step */
	}
	for (int t = 0; t < QK_QUADRATIC_TERMS; ++t) {
		u.w2[t] = qk_control(qk_control_value(p, W11 + (uint32_t)t),
		                     -QK_WEIGHT_MAX, QK_WEIGHT_MAX, 0.0f);
	}
	const float *x[QK_INPUTS];
	qk_read_streams(p, X1, x);

	qk_quadratic(&u, x, p->port[OUT], n);
	qk_denormals_restore(mode);
}

const LV2_Descriptor *
qk_quadratic_descriptor(void)
{
	static const LV2_Descriptor descriptor = {
		QK_URI "quadratic", qk_instantiate, qk_connect_port, NULL, run, NULL,
		qk_cleanup, qk_extension_data,
	};
	return &descriptor;
}
