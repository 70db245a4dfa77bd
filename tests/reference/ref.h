/* Independent double-precision reference for the quarks.lv2 plugins.
 * Derived only from docs/PORTS.md and the paper notes (QUARKS.md), never from dsp/:
 * the tests compare the plugins against this oracle. */
#ifndef QUARKS_REF_H
#define QUARKS_REF_H

#include <stdbool.h>

/* Saturation bound of the sanitize rule (PORTS.md: QK_LIMIT). */
#define REF_LIMIT 1e12

/* One sample of a plugin's outputs, computed in double precision straight from docs/PORTS.md.
 * plugin: short name ("neuron", "output-gate", "synaptic-gate", "activation-gate",
 *         "additive-output", "additive-synapse", "softmax").
 * in[k], connected[k]: value of the k-th AUDIO INPUT port in port-index order, and whether it is
 *         connected (an unconnected input reads as its identity, per PORTS.md; its in[] value is
 *         ignored).
 * ctl[k]: value of the k-th CONTROL INPUT port in port-index order (raw, maybe out of range:
 *         the reference clamps to the documented ranges and rounds act like the plugin must;
 *         a NaN control reads as its default).
 * out[k]: the k-th AUDIO OUTPUT port in port-index order.
 * Inputs and controls whose magnitude is a float denormal (0 < |x| < FLT_MIN) read as 0,
 * mirroring the plugins' denormals-are-zero.
 * Returns 0, or -1 for an unknown plugin. */
int ref_sample(const char *plugin, const double *in, const bool *connected, const double *ctl,
               double *out);

/* Counts of audio inputs, control inputs, audio outputs for a plugin; -1 if unknown. */
int ref_shape(const char *plugin, int *n_audio_in, int *n_control_in, int *n_audio_out);

/* f(S) for activation enum value act (0 linear .. 5 relu), in double.
 * act outside 0..5 is clamped to it. No sanitizing here: that is ref_sample's job. */
double ref_activation(int act, double s);

/* The sanitize rule sane(x): NaN -> 0, then clamp to [-REF_LIMIT, REF_LIMIT]. */
double ref_sane(double x);

#endif
