/* SPDX-License-Identifier: ISC */
/* The kernels for x86-64-v3 (AVX2, FMA), compiled with -march=x86-64-v3. */
#define QK_SIMD 2
#define QK_FN(name) qk_avx2_##name
#define QK_KERNELS_NAME "avx2"
#include "kernels.h"
