/* SPDX-License-Identifier: ISC */
/* Realtime safety of the run() of every plugin of the bundle (every plugin
 * lilv lists under the base URI), under the preloaded interposer: zero
 * allocator, mutex and read/write calls, for every block size pattern a host
 * uses, and the floating-point mode (FTZ/DAZ) given back unchanged. */
#define _GNU_SOURCE /* RTLD_DEFAULT */

#include "host.h"
#include "rng.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#define FP_MODE() _mm_getcsr()
#else
#define FP_MODE() 0u
#endif

static const uint32_t blocks[] = {1, 2, 3, 64, 255, 256, 257, 4096, 8192};

int
main(void)
{
	void (*watch)(int) = (void (*)(int))(uintptr_t)dlsym(RTLD_DEFAULT, "qk_rt_watch");
	unsigned long (*count)(void) =
	        (unsigned long (*)(void))(uintptr_t)dlsym(RTLD_DEFAULT, "qk_rt_count");
	if (!watch || !count) {
		fprintf(stderr, "the interposer is not preloaded (LD_PRELOAD)\n");
		return 1;
	}
	/* prove the interposer sees calls, or zero would prove nothing */
	watch(1);
	void *volatile probe_block = malloc(16); /* volatile: or GCC drops the pair */
	free(probe_block);
	const unsigned long probe = count();
	watch(0);
	if (probe != 2) {
		fprintf(stderr, "interposer counted %lu calls for malloc+free, not 2\n", probe);
		return 1;
	}

	host h;
	if (!host_open(&h)) {
		return 1;
	}
	static float buf[HOST_MAX_PORTS][8192];
	rng r = {99};
	for (int k = 0; k < HOST_MAX_PORTS; ++k) {
		for (int i = 0; i < 8192; ++i) {
			buf[k][i] = (float)rng_uniform(&r, -2, 2);
		}
	}
	const char *names[HOST_MAX_PLUGINS];
	const int n = host_bundle(&h, names, HOST_MAX_PLUGINS);
	int failures = n == 0;
	for (int p = 0; p < n; ++p) {
		const int failed_before = failures;
		host_unit u;
		if (!host_unit_new(&u, &h, names[p], 48000)) {
			fprintf(stderr, "%s: cannot host it\n", names[p]);
			++failures;
			continue;
		}
		float *in[HOST_MAX_PORTS], *out[HOST_MAX_PORTS];
		for (int k = 0; k < u.n_audio_in; ++k) {
			in[k] = k % 3 == 2 ? NULL : buf[k]; /* some unconnected */
		}
		for (int o = 0; o < u.n_audio_out; ++o) {
			out[o] = buf[u.n_audio_in + o];
		}
		host_unit_run(&u, in, out, 0); /* connects every port */
		const bool has_act = host_control_index(&u, &h, "act") >= 0;
		for (int act = 0; act < (has_act ? 6 : 1); ++act) {
			if (has_act) {
				host_set(&u, &h, "act", (float)act);
			}
			for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; ++b) {
				const unsigned mode = FP_MODE();
				watch(1);
				lilv_instance_run(u.instance, blocks[b]);
				const unsigned long calls = count();
				watch(0);
				if (calls || FP_MODE() != mode) {
					fprintf(stderr,
					        "%s act %d block %u: %lu calls, fp mode %#x -> "
					        "%#x\n",
					        names[p], act, blocks[b], calls, mode, FP_MODE());
					++failures;
				}
			}
		}
		printf("%-17s run(): %s\n", names[p],
		       failures > failed_before ? "FAILED (see errors)"
		                                : "0 allocations, locks or I/O, fp mode kept");
		host_unit_free(&u);
	}
	host_close(&h);
	return failures ? 1 : 0;
}
