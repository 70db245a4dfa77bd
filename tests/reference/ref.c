/* Independent double-precision reference for the quarks.lv2 plugins (see ref.h).
 * Every formula below is the "computes" column of docs/PORTS.md, with sane() applied exactly
 * where PORTS.md says and nowhere else. */
#include "ref.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define MAX_IN 8
#define MAX_CTL 8
#define MAX_OUT 4

enum { ACT_LINEAR, ACT_STEP, ACT_SIGN, ACT_SIGMOID, ACT_TANH, ACT_RELU };

/* Documented range and default of a control port. */
typedef struct {
    double lo, hi, def;
    bool integer; /* act: rounded to nearest, then clamped */
} ctl_range;

/* x: audio inputs with identities substituted; c: controls already clamped. */
typedef void (*kernel_fn)(const double *x, const bool *connected, const double *c, double *out);

typedef struct {
    const char *name;
    int n_in, n_ctl, n_out;
    double identity[MAX_IN]; /* what an unconnected input reads: 1 for gates, else 0 */
    ctl_range ctl[MAX_CTL];
    kernel_fn run;
} plugin_desc;

double ref_sane(double x)
{
    if (isnan(x))
        return 0.0;
    return x > REF_LIMIT ? REF_LIMIT : x < -REF_LIMIT ? -REF_LIMIT : x;
}

double ref_activation(int act, double s)
{
    switch (act < ACT_LINEAR ? ACT_LINEAR : act > ACT_RELU ? ACT_RELU : act) {
    case ACT_STEP:    return s >= 0.0 ? 1.0 : 0.0; /* H(0) = 1: -0.0 >= 0 too */
    case ACT_SIGN:    return s >= 0.0 ? 1.0 : -1.0;
    case ACT_SIGMOID: return 1.0 / (1.0 + exp(-s)); /* exp overflow -> 1/inf = 0, fine */
    case ACT_TANH:    return tanh(s);
    case ACT_RELU:    return s > 0.0 ? s : 0.0;
    default:          return s;
    }
}

/* Plugins run with denormals-are-zero: a float denormal reads as 0. */
static double daz(double x)
{
    return (x != 0.0 && fabs(x) < FLT_MIN) ? 0.0 : x;
}

static double clamp_control(double v, const ctl_range *r)
{
    if (isnan(v))
        return r->def; /* PORTS.md is silent on NaN controls: the default is the safe reading */
    v = daz(v);
    if (r->integer)
        v = round(v); /* nearest, halves away from zero; same as floor(v+0.5) on [0,5] */
    return v < r->lo ? r->lo : v > r->hi ? r->hi : v;
}

/* Output of a unit plugin: f(sane(slope * S)). */
static double unit_out(double slope, double s, double act)
{
    return ref_activation((int)act, ref_sane(slope * s));
}

/* neuron: controls w1..w4, bias, v, slope, act; inputs x1..x4, attend. */
static void run_neuron(const double *x, const bool *connected, const double *c, double *out)
{
    (void)connected;
    double s = c[4] + c[5] * x[4];
    for (int i = 0; i < 4; i++)
        s += c[i] * x[i];
    out[0] = unit_out(c[6], s, c[7]);
}

/* synaptic gating: w_i -> w_i * g_i. Controls w1..w4, bias, slope, act; inputs x1..4, g1..4. */
static void run_synaptic_gate(const double *x, const bool *connected, const double *c, double *out)
{
    (void)connected;
    double s = c[4];
    for (int i = 0; i < 4; i++)
        s += c[i] * x[4 + i] * x[i];
    out[0] = unit_out(c[5], s, c[6]);
}

/* additive synaptic: w_i -> w_i + g_i. Same ports as synaptic-gate. */
static void run_additive_synapse(const double *x, const bool *connected, const double *c,
                                 double *out)
{
    (void)connected;
    double s = c[4];
    for (int i = 0; i < 4; i++)
        s += (c[i] + x[4 + i]) * x[i];
    out[0] = unit_out(c[5], s, c[6]);
}

/* activation gating: S = gate * (sum w_i x_i + bias). Inputs x1..4, gate. */
static void run_activation_gate(const double *x, const bool *connected, const double *c,
                                double *out)
{
    (void)connected;
    double s = c[4];
    for (int i = 0; i < 4; i++)
        s += c[i] * x[i];
    out[0] = unit_out(c[5], x[4] * s, c[6]);
}

/* output gating: out = sane(in * g(sane(a*gate + c))). Controls a, c, act. */
static void run_output_gate(const double *x, const bool *connected, const double *c, double *out)
{
    (void)connected;
    double g = ref_activation((int)c[2], ref_sane(c[0] * x[1] + c[1]));
    out[0] = ref_sane(x[0] * g);
}

/* additive output: out = sane(in + k*gate). */
static void run_additive_output(const double *x, const bool *connected, const double *c,
                                double *out)
{
    (void)connected;
    out[0] = ref_sane(x[0] + c[0] * x[1]);
}

/* softmax over connected scores of sane(s_i)/T; max subtracted so exp never overflows and the
 * largest term is exactly 1 (the sum is >= 1, never 0). Unconnected scores give 0. */
static void run_softmax(const double *x, const bool *connected, const double *c, double *out)
{
    double z[4], max = -INFINITY, sum = 0.0;
    for (int i = 0; i < 4; i++) {
        z[i] = ref_sane(x[i]) / c[0];
        if (connected[i] && z[i] > max)
            max = z[i];
    }
    for (int i = 0; i < 4; i++) {
        out[i] = connected[i] ? exp(z[i] - max) : 0.0;
        sum += out[i];
    }
    for (int i = 0; i < 4; i++)
        out[i] = sum > 0.0 ? ref_sane(out[i] / sum) : 0.0;
}

/* Control ranges from PORTS.md. */
#define R_W     { -100.0, 100.0, 1.0, false } /* w1..w4, v, slope, a, k */
#define R_Z     { -100.0, 100.0, 0.0, false } /* bias, c */
#define R_ACT   { 0.0, 5.0, 0.0, true }
#define R_TEMP  { 0.01, 100.0, 1.0, false }
#define R_UNIT  R_W, R_W, R_W, R_W, R_Z, R_W, R_ACT /* w1..w4, bias, slope, act */

static const plugin_desc plugins[] = {
    { "neuron", 5, 8, 1, { 0, 0, 0, 0, 0 },
      { R_W, R_W, R_W, R_W, R_Z, R_W /* v */, R_W /* slope */, R_ACT }, run_neuron },
    { "output-gate", 2, 3, 1, { 0, 1 }, { R_W, R_Z, R_ACT }, run_output_gate },
    { "synaptic-gate", 8, 7, 1, { 0, 0, 0, 0, 1, 1, 1, 1 }, { R_UNIT }, run_synaptic_gate },
    { "activation-gate", 5, 7, 1, { 0, 0, 0, 0, 1 }, { R_UNIT }, run_activation_gate },
    { "additive-output", 2, 1, 1, { 0, 0 }, { R_W }, run_additive_output },
    { "additive-synapse", 8, 7, 1, { 0, 0, 0, 0, 0, 0, 0, 0 }, { R_UNIT }, run_additive_synapse },
    { "softmax", 4, 1, 4, { 0, 0, 0, 0 }, { R_TEMP }, run_softmax },
};

static const plugin_desc *find(const char *name)
{
    for (size_t i = 0; name && i < sizeof plugins / sizeof plugins[0]; i++)
        if (strcmp(plugins[i].name, name) == 0)
            return &plugins[i];
    return NULL;
}

int ref_shape(const char *plugin, int *n_audio_in, int *n_control_in, int *n_audio_out)
{
    const plugin_desc *p = find(plugin);
    if (!p)
        return -1;
    if (n_audio_in)
        *n_audio_in = p->n_in;
    if (n_control_in)
        *n_control_in = p->n_ctl;
    if (n_audio_out)
        *n_audio_out = p->n_out;
    return 0;
}

int ref_sample(const char *plugin, const double *in, const bool *connected, const double *ctl,
               double *out)
{
    const plugin_desc *p = find(plugin);
    if (!p)
        return -1;
    double x[MAX_IN], c[MAX_CTL];
    for (int i = 0; i < p->n_in; i++)
        x[i] = connected[i] ? daz(in[i]) : p->identity[i];
    for (int i = 0; i < p->n_ctl; i++)
        c[i] = clamp_control(ctl[i], &p->ctl[i]);
    p->run(x, connected, c, out);
    return 0;
}
