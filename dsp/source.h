/* SPDX-License-Identifier: ISC */
/* Built-in signal sources: pure kernels, no I/O, no allocation.
 *
 * Every source is a function of the absolute sample index n (0 at the start of a render), never
 * of an accumulated phase, so a render gives the same samples at every block size and a source
 * can be moved to any position (JACK transport) in O(1). docs/graph.md gives each formula; the
 * test-vector reference (tests/vectors/reference.py) implements the same formulas separately. */
#ifndef QK_SOURCE_H
#define QK_SOURCE_H

#include <stdint.h>

typedef enum {
	QK_SRC_CONSTANT,
	QK_SRC_PULSE,
	QK_SRC_SINE,
	QK_SRC_RAMP,
	QK_SRC_NOISE,
} qk_source_kind;

/* Periods are in samples (a double, so a period need not be a whole number of samples); phases
 * are in cycles (0..1). Fields a kind does not use are ignored. */
typedef struct {
	qk_source_kind kind;
	double value;       /* constant */
	double period;      /* pulse, ramp: samples per cycle, > 0 */
	double phase;       /* pulse, ramp, sine: cycles added to the position */
	double duty;        /* pulse: fraction of the cycle at `high` */
	double low, high;   /* pulse levels */
	double from, to;    /* ramp: value at the start of a cycle, value approached at its end */
	double freq;        /* sine: cycles per sample (Hz / sample rate) */
	double amp, offset; /* sine, noise: out = offset + amp * wave */
	uint64_t seed;      /* noise */
	uint64_t pos;       /* index of the next sample */
} qk_source;

/* A source of the given kind with the documented defaults (pulse: period 1 sample until set,
 * duty 0.5, low 0, high 1; ramp 0 -> 1; sine and noise amp 1, offset 0; seed 0). */
qk_source qk_source_make(qk_source_kind kind);

/* Writes n samples starting at s->pos and advances s->pos by n. Real-time safe. */
void qk_source_process(qk_source *s, float *out, uint32_t n);

/* Moves the source to absolute sample index pos. */
void qk_source_seek(qk_source *s, uint64_t pos);

/* The noise generator on its own: SplitMix64 (Steele, Lea, Flood 2014) evaluated at counter
 * n + 1 for seed `seed`, mapped to a uniform value in [-1, 1) with 24 random bits. */
double qk_noise_at(uint64_t seed, uint64_t n);

#endif
