/* Built-in signal sources; formulas in docs/graph.md. Computed in double and rounded once to
 * float, so the reference script can reproduce every sample exactly. */
#include "source.h"

#include <math.h>

#define QK_TWO_PI 6.283185307179586476925286766559

qk_source qk_source_make(qk_source_kind kind)
{
  qk_source s = {
    .kind = kind, .value = 0.0, .period = 1.0, .phase = 0.0, .duty = 0.5,
    .low = 0.0, .high = 1.0, .from = 0.0, .to = 1.0, .freq = 0.0,
    .amp = 1.0, .offset = 0.0, .seed = 0, .pos = 0,
  };
  return s;
}

void qk_source_seek(qk_source *s, uint64_t pos)
{
  s->pos = pos;
}

/* Fractional part of the cycle position; the same operations in the same order as the
 * reference (n / period + phase, minus its floor) so both make the same pulse decisions. */
static double cycle_frac(double n, double period, double phase)
{
  double x = n / period + phase;
  return x - floor(x);
}

double qk_noise_at(uint64_t seed, uint64_t n)
{
  uint64_t z = seed + (n + 1u) * UINT64_C(0x9E3779B97F4A7C15);
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  z ^= z >> 31;
  /* 24 bits: every value is exactly representable as a float. */
  return (double)(z >> 40) * (2.0 / 16777216.0) - 1.0;
}

void qk_source_process(qk_source *s, float *out, uint32_t n)
{
  const uint64_t p0 = s->pos;
  switch (s->kind) {
  case QK_SRC_CONSTANT:
    for (uint32_t i = 0; i < n; i++)
      out[i] = (float)s->value;
    break;
  case QK_SRC_PULSE:
    for (uint32_t i = 0; i < n; i++) {
      double f = cycle_frac((double)(p0 + i), s->period, s->phase);
      out[i] = (float)(f < s->duty ? s->high : s->low);
    }
    break;
  case QK_SRC_RAMP:
    for (uint32_t i = 0; i < n; i++) {
      double f = cycle_frac((double)(p0 + i), s->period, s->phase);
      out[i] = (float)(s->from + (s->to - s->from) * f);
    }
    break;
  case QK_SRC_SINE:
    for (uint32_t i = 0; i < n; i++) {
      /* The cycle position is reduced before sin() so precision does not decay in long runs. */
      double c = (double)(p0 + i) * s->freq + s->phase;
      c -= floor(c);
      out[i] = (float)(s->offset + s->amp * sin(QK_TWO_PI * c));
    }
    break;
  case QK_SRC_NOISE:
    for (uint32_t i = 0; i < n; i++)
      out[i] = (float)(s->offset + s->amp * qk_noise_at(s->seed, p0 + i));
    break;
  }
  s->pos = p0 + n;
}
