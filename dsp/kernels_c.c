/* SPDX-License-Identifier: ISC */
/* The kernels for plain C, one lane (architectures other than x86). */
#define QK_SIMD 0
#define QK_FN(name) qk_c_##name
#define QK_KERNELS_NAME "c"
#include "kernels.h"
