/* Self-test of the reference: facts that can be checked by hand, each derived in a comment.
 * Exit 0 on pass; otherwise every failed check is named on stderr and the exit code is 1. */
#include "ref.h"

#include <math.h>
#include <stdio.h>

static int failures;

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "FAIL: %s\n", what);
        failures++;
    }
}

static void check_eq(double got, double want, const char *what)
{
    if (!(got == want)) {
        fprintf(stderr, "FAIL: %s: got %.17g, want %.17g\n", what, got, want);
        failures++;
    }
}

static const bool ALL[8] = { true, true, true, true, true, true, true, true };

/* neuron on two inputs (x3, x4, attend unconnected), slope 1. */
static double neuron2(double x1, double x2, double w1, double w2, double bias, double act)
{
    const double in[5] = { x1, x2, 0, 0, 0 };
    const bool con[5] = { true, true, false, false, false };
    const double ctl[8] = { w1, w2, 1, 1, bias, 1, 1, act };
    double out;
    ref_sample("neuron", in, con, ctl, &out);
    return out;
}

/* output-gate: in * g(a*gate + c). */
static double ogate(double in, double gate, double a, double c, double act)
{
    const double x[2] = { in, gate };
    const double ctl[3] = { a, c, act };
    double out;
    ref_sample("output-gate", x, ALL, ctl, &out);
    return out;
}

static void test_logic(void)
{
    for (int x1 = 0; x1 <= 1; x1++)
        for (int x2 = 0; x2 <= 1; x2++) {
            /* OR = H(x1 + x2 - 0.5): sum 0 -> -0.5 -> 0; sum 1 or 2 -> >= 0.5 -> 1. */
            double or_ = neuron2(x1, x2, 1, 1, -0.5, 1);
            /* AND = H(x1 + x2 - 1.5): only sum 2 reaches 0.5 >= 0. */
            double and_ = neuron2(x1, x2, 1, 1, -1.5, 1);
            /* NAND = H(1.5 - x1 - x2): only sum 2 gives -0.5 < 0. */
            double nand = neuron2(x1, x2, -1, -1, 1.5, 1);
            /* XOR = OR * NAND (output gating, linear gate a=1 c=0 passes NAND unchanged):
             * 00 -> 0*1, 01/10 -> 1*1, 11 -> 1*0. */
            double xor_ = ogate(or_, nand, 1, 0, 0);
            check_eq(or_, x1 | x2, "OR truth table (step, w=1,1 bias -0.5)");
            check_eq(and_, x1 & x2, "AND truth table (step, w=1,1 bias -1.5)");
            check_eq(nand, !(x1 & x2), "NAND truth table (step, w=-1,-1 bias 1.5)");
            check_eq(xor_, x1 ^ x2, "XOR = OR * NAND via output-gate");
            /* (0,1) gates: the product of two LTGs is their AND. OR * NAND with a step gate
             * on NAND's output: H(nand) = nand since nand is 0 or 1 (H(0) = 1 only matters
             * for nand = 0 -> gate 1, so use offset -0.5: H(nand - 0.5) = nand). */
            check_eq(ogate(or_, nand, 1, -0.5, 1), x1 ^ x2, "XOR via step-gated output-gate");
        }
}

static void test_relu_from_gating(void)
{
    /* Linear unit output-gated by a step unit on the same S: S * H(S) = relu(S).
     * S >= 0: S * 1 = S; S < 0: S * 0 = 0 (a -0.0 compares equal to 0). */
    const double ss[] = { -7.25, -1, -1e-3, 0, 1e-3, 0.5, 3, 99.5 };
    for (unsigned i = 0; i < sizeof ss / sizeof ss[0]; i++) {
        double s = ss[i];
        double lin = neuron2(s, 0, 1, 1, 0, 0);
        double gated = ogate(lin, s, 1, 0, 1);
        check_eq(gated, ref_activation(5, s), "relu = linear * step (output-gate)");
        check_eq(neuron2(s, 0, 1, 1, 0, 5), ref_activation(5, s), "neuron relu = max(0,S)");
    }
}

static void softmax4(const double *s, const bool *con, double temp, double *a)
{
    ref_sample("softmax", s, con, &temp, a);
}

static void test_softmax(void)
{
    double a[4];
    /* Equal scores: each exp term is exp(0) = 1 after subtracting the max, so 1/4 exactly. */
    const double eq[4] = { 3, 3, 3, 3 };
    softmax4(eq, ALL, 1, a);
    for (int i = 0; i < 4; i++)
        check_eq(a[i], 0.25, "softmax of equal scores = 0.25");
    /* One connected score: exp(0) / exp(0) = 1; the others are left out and read 0,
     * whatever their (even NaN) value. */
    const double one[4] = { NAN, -5, NAN, NAN };
    const bool con1[4] = { false, true, false, false };
    softmax4(one, con1, 0.7, a);
    check(a[0] == 0 && a[1] == 1 && a[2] == 0 && a[3] == 0, "softmax with one score connected");
    /* None connected: all outputs 0. */
    const bool none[4] = { false, false, false, false };
    softmax4(eq, none, 1, a);
    check(a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0, "softmax with nothing connected");
    /* Two scores differing by T*ln 3: weights 3:1 -> 0.75, 0.25 (up to rounding of log). */
    const double two[4] = { 2 * log(3.0), 0, 0, 0 };
    const bool con2[4] = { true, true, false, false };
    softmax4(two, con2, 2, a);
    check(fabs(a[0] - 0.75) < 1e-15 && fabs(a[1] - 0.25) < 1e-15, "softmax 3:1 with T=2");
    /* Huge and infinite scores: sane() makes +Inf 1e12, -Inf -1e12, NaN 0; the max term wins
     * with weight 1, the others underflow to 0. Stable: no NaN. */
    const double inf[4] = { INFINITY, 1e300, NAN, -INFINITY };
    softmax4(inf, ALL, 0.01, a);
    check(a[0] == 0.5 && a[1] == 0.5 && a[2] == 0 && a[3] == 0,
          "softmax with +Inf and 1e300 scores: both saturate to 1e12 and share 0.5");
}

static void test_threshold_at_zero(void)
{
    /* H(0) = 1 and sign(0) = +1 (the ">= 0" convention), for -0.0 as well. */
    check_eq(ref_activation(1, 0.0), 1, "step(0) = 1");
    check_eq(ref_activation(1, -0.0), 1, "step(-0) = 1");
    check_eq(ref_activation(2, 0.0), 1, "sign(0) = +1");
    check_eq(ref_activation(2, -0.0), 1, "sign(-0) = +1");
    check_eq(ref_activation(2, -1e-300), -1, "sign(tiny negative) = -1");
    check_eq(ref_activation(3, 0.0), 0.5, "sigmoid(0) = 1/2");
    check_eq(ref_activation(4, 0.0), 0.0, "tanh(0) = 0");
    /* Through a plugin: x1 = 1, w1 = 1, bias = -1 gives S = 0 exactly. */
    check_eq(neuron2(1, 0, 1, 1, -1, 1), 1, "neuron step at S=0");
    check_eq(neuron2(1, 0, 1, 1, -1, 2), 1, "neuron sign at S=0");
}

static void test_clamping(void)
{
    /* w1 = 1000 clamps to 100: S = 100 * 1 = 100. */
    check_eq(neuron2(1, 0, 1000, 1, 0, 0), 100, "weight clamped to 100");
    /* bias = -1e9 clamps to -100. */
    check_eq(neuron2(0, 0, 1, 1, -1e9, 0), -100, "bias clamped to -100");
    /* act 7.3 -> 7 -> clamped to 5 (relu): relu(-2) = 0, relu(2) = 2. */
    check_eq(neuron2(-2, 0, 1, 1, 0, 7.3), 0, "act 7.3 -> relu (negative S)");
    check_eq(neuron2(2, 0, 1, 1, 0, 7.3), 2, "act 7.3 -> relu (positive S)");
    /* act -3 -> 0 (linear): S = -2 passes. */
    check_eq(neuron2(-2, 0, 1, 1, 0, -3), -2, "act -3 -> linear");
    /* act 2.6 rounds to 3 (sigmoid), 2.4 to 2 (sign): at S = 0, 0.5 and 1. */
    check_eq(neuron2(0, 0, 1, 1, 0, 2.6), 0.5, "act 2.6 rounds to sigmoid");
    check_eq(neuron2(0, 0, 1, 1, 0, 2.4), 1, "act 2.4 rounds to sign");
    /* NaN control reads its default: w1 NaN -> 1, so S = x1 = 3. */
    check_eq(neuron2(3, 0, NAN, 1, 0, 0), 3, "NaN weight reads default 1");
    /* Slope -1e9 clamps to -100: linear out = -100 * 0.5 = -50. */
    {
        const double in[5] = { 0.5, 0, 0, 0, 0 };
        const double ctl[8] = { 1, 1, 1, 1, 0, 1, -1e9, 0 };
        double out;
        ref_sample("neuron", in, ALL, ctl, &out);
        check_eq(out, -50, "slope clamped to -100");
    }
    /* Temperature 0 clamps to 0.01: scores 0 and 0.01 -> z = 0, 1 -> a1 = 1/(1+e). */
    {
        const double s[4] = { 0, 0.01, 0, 0 };
        const bool con[4] = { true, true, false, false };
        double a[4];
        softmax4(s, con, 0, a);
        check(fabs(a[0] - 1 / (1 + exp(1.0))) < 1e-15, "temperature 0 clamped to 0.01");
    }
    /* Output gate a = 500 -> 100, c = -500 -> -100: linear gate = 100*1 - 100 = 0. */
    check_eq(ogate(7, 1, 500, -500, 0), 0, "output-gate a and c clamped");
}

static void test_non_finite(void)
{
    /* NaN input makes S NaN; sane() reads it as 0, so the output is f(0) for each act. */
    const double f0[6] = { 0, 1, 1, 0.5, 0, 0 };
    for (int act = 0; act <= 5; act++)
        check_eq(neuron2(NAN, 1, 1, 1, 0, act), f0[act], "NaN input gives f(0)");
    /* Output gate: in NaN -> NaN * g -> 0. Gate NaN: sane() wraps the whole a*gate + c, and
     * NaN + c is NaN, so the gate sees 0 (not c): step gives H(0) = 1 -> out = in = 3. */
    check_eq(ogate(NAN, 1, 1, 0, 0), 0, "output-gate NaN input -> 0");
    check_eq(ogate(3, NAN, 1, 2, 1), 3, "output-gate NaN gate -> g(sane(NaN + c)) = H(0)");
    /* +Inf input: S = +Inf -> sane -> 1e12; linear gives 1e12, weight -1 gives -1e12. */
    check_eq(neuron2(INFINITY, 0, 1, 1, 0, 0), 1e12, "+Inf input saturates to 1e12");
    check_eq(neuron2(INFINITY, 0, -1, 1, 0, 0), -1e12, "+Inf input, w=-1, gives -1e12");
    for (int act = 0; act <= 5; act++)
        check(isfinite(neuron2(INFINITY, -INFINITY, 1, 1, 0, act)), "+Inf - Inf finite");
    /* Output gate: Inf * g(sane(Inf)) = Inf * 1e12 -> 1e12. Additive output: Inf - Inf = NaN -> 0. */
    check_eq(ogate(INFINITY, INFINITY, 1, 0, 0), 1e12, "output-gate Inf*Inf saturates");
    {
        const double x[2] = { INFINITY, INFINITY };
        const double k = -1;
        double out;
        ref_sample("additive-output", x, ALL, &k, &out);
        check_eq(out, 0, "additive-output Inf + (-1)*Inf -> NaN -> 0");
    }
    /* Activation gate with gate = Inf and S = 0: Inf * 0 = NaN -> f(0). Step: 1. */
    {
        const double x[5] = { 0, 0, 0, 0, INFINITY };
        const double ctl[7] = { 1, 1, 1, 1, 0, 1, 1 };
        double out;
        ref_sample("activation-gate", x, ALL, ctl, &out);
        check_eq(out, 1, "activation-gate Inf*0 -> step(0) = 1");
    }
    /* A float denormal reads as 0: x1 = -1e-40 gives S = 0, step 1 (not 0). */
    check_eq(neuron2(-1e-40, 0, 1, 1, 0, 1), 1, "denormal input reads 0");
}

static void test_identities(void)
{
    double out;
    /* Output gate with gate unconnected: gate reads 1, linear g(1*1 + 0) = 1 -> in. */
    {
        const double x[2] = { 2.5, 0 };
        const bool con[2] = { true, false };
        const double ctl[3] = { 1, 0, 0 };
        ref_sample("output-gate", x, con, ctl, &out);
        check_eq(out, 2.5, "output-gate unconnected gate reads 1");
        const bool none[2] = { false, false };
        ref_sample("output-gate", x, none, ctl, &out);
        check_eq(out, 0, "output-gate unconnected input reads 0");
    }
    /* Synaptic gate with g unconnected (g = 1) equals w.x + b; with g_i = 0 the synapse is cut.
     * x = (1,2,3,4), w = (1,-1,2,0.5), b = 0.25: 1 - 2 + 6 + 2 + 0.25 = 7.25. */
    const double ctl[7] = { 1, -1, 2, 0.5, 0.25, 1, 0 };
    const bool xonly[8] = { true, true, true, true, false, false, false, false };
    double x[8] = { 1, 2, 3, 4, 9, 9, 9, 9 };
    ref_sample("synaptic-gate", x, xonly, ctl, &out);
    check_eq(out, 7.25, "synaptic-gate unconnected gates read 1");
    x[4 + 2] = 0; /* gate synapse 3 off: 7.25 - 6 = 1.25 */
    ref_sample("synaptic-gate", x, ALL, ctl, &out);
    check_eq(out, 9 * 1 - 9 * 2 + 0 + 9 * 2 + 0.25, "synaptic-gate g=(9,9,0,9)");
    /* Additive synapse with g unconnected (g = 0) is the same 7.25; g = (1,0,0,0) adds x1 = 1. */
    ref_sample("additive-synapse", x, xonly, ctl, &out);
    check_eq(out, 7.25, "additive-synapse unconnected gates read 0");
    const double g1[8] = { 1, 2, 3, 4, 1, 0, 0, 0 };
    ref_sample("additive-synapse", g1, ALL, ctl, &out);
    check_eq(out, 8.25, "additive-synapse w1 -> w1 + g1");
    /* Activation gate, gate = 0: f(0 * S) = f(0); gate unconnected (1) gives f(S). */
    const double ag[5] = { 1, 2, 3, 4, 0 };
    ref_sample("activation-gate", ag, ALL, ctl, &out);
    check_eq(out, 0, "activation-gate gate 0 -> f(0)");
    ref_sample("activation-gate", ag, xonly, ctl, &out);
    check_eq(out, 7.25, "activation-gate unconnected gate reads 1");
    /* Neuron multiplexing: attend 1 with v = -100 pushes a step unit off: S = 7.25 - 100 < 0. */
    const double nin[5] = { 1, 2, 3, 4, 1 };
    const double nctl[8] = { 1, -1, 2, 0.5, 0.25, -100, 1, 1 };
    ref_sample("neuron", nin, ALL, nctl, &out);
    check_eq(out, 0, "neuron attention by suppression");
    ref_sample("neuron", nin, xonly, nctl, &out);
    check_eq(out, 1, "neuron unconnected attend reads 0");
    /* Additive output: in + k*gate = 1 + 3*2 = 7; unconnected gate reads 0. */
    const double ao[2] = { 1, 2 };
    const double k = 3;
    const bool in_only[2] = { true, false };
    ref_sample("additive-output", ao, ALL, &k, &out);
    check_eq(out, 7, "additive-output in + k*gate");
    ref_sample("additive-output", ao, in_only, &k, &out);
    check_eq(out, 1, "additive-output unconnected gate reads 0");
}

static void test_shapes(void)
{
    static const struct { const char *name; int in, ctl, out; } shapes[] = {
        { "neuron", 5, 8, 1 },           { "output-gate", 2, 3, 1 },
        { "synaptic-gate", 8, 7, 1 },    { "activation-gate", 5, 7, 1 },
        { "additive-output", 2, 1, 1 },  { "additive-synapse", 8, 7, 1 },
        { "softmax", 4, 1, 4 },
    };
    for (unsigned i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        int a = 0, c = 0, o = 0;
        check(ref_shape(shapes[i].name, &a, &c, &o) == 0 && a == shapes[i].in &&
                  c == shapes[i].ctl && o == shapes[i].out,
              shapes[i].name);
    }
    int a, c, o;
    double out;
    check(ref_shape("nope", &a, &c, &o) == -1, "ref_shape of unknown plugin returns -1");
    check(ref_sample("nope", &out, ALL, &out, &out) == -1, "ref_sample of unknown plugin returns -1");
}

int main(void)
{
    test_logic();
    test_relu_from_gating();
    test_softmax();
    test_threshold_at_zero();
    test_clamping();
    test_non_finite();
    test_identities();
    test_shapes();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("reference self-test: all checks passed\n");
    return 0;
}
