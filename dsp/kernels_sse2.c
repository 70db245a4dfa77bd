/* SPDX-License-Identifier: ISC */
/* The kernels for baseline x86-64 (SSE2). */
#define QK_SIMD 1
#define QK_FN(name) qk_sse2_##name
#define QK_KERNELS_NAME "sse2"
#include "kernels.h"
