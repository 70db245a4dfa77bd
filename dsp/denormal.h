/* SPDX-License-Identifier: ISC */
/* Denormal operands cost x86 cores up to ~100 cycles each. Hosts differ on
 * whether they set flush-to-zero, so each run() sets FTZ and DAZ itself and
 * gives the host its own setting back on the way out. */
#ifndef QK_DENORMAL_H
#define QK_DENORMAL_H

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>

typedef unsigned int qk_fp_mode;

#define QK_FTZ_DAZ 0x8040u /* FTZ (bit 15) | DAZ (bit 6) */

/* Writing MXCSR costs tens of cycles; hosts that already flush (Ardour's
 * default) pay only the read. */
static inline qk_fp_mode
qk_denormals_off(void)
{
	const qk_fp_mode saved = _mm_getcsr();
	if ((saved & QK_FTZ_DAZ) != QK_FTZ_DAZ) {
		_mm_setcsr(saved | QK_FTZ_DAZ);
	}
	return saved;
}

static inline void
qk_denormals_restore(qk_fp_mode saved)
{
	if ((saved & QK_FTZ_DAZ) != QK_FTZ_DAZ) {
		_mm_setcsr(saved);
	}
}

#else
/* Elsewhere the kernels' own clamps keep results normal; inputs pass as is. */
typedef int qk_fp_mode;
static inline qk_fp_mode
qk_denormals_off(void)
{
	return 0;
}
static inline void
qk_denormals_restore(qk_fp_mode saved)
{
	(void)saved;
}
#endif

#endif
