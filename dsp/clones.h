/* SPDX-License-Identifier: ISC */
/* Runtime CPU dispatch for the kernels: GCC builds each marked function once
 * for baseline x86-64 (SSE2) and once for x86-64-v3 (AVX2 + FMA) and picks
 * one when the library loads (an ifunc), so the bundle stays portable and
 * still uses the wide vectors where the CPU has them. Elsewhere it is a
 * no-op. Results can differ in the last bit between the two (FMA). */
#ifndef QK_CLONES_H
#define QK_CLONES_H

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
        !defined(QK_NO_CLONES)
#define QK_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define QK_CLONES
#endif

#endif
