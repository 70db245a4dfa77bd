/* SPDX-License-Identifier: ISC */
/* One fused plugin hosted through lilv, as a host runs it: ns of thread CPU time per sample of
 * run() at block 256 over random token streams, median of REPS repetitions of FRAMES frames.
 * Thread CPU time, not wall time: on a shared machine other processes' load does not count.
 * Usage: bench-fused URI [FRAMES [REPS]]   (LV2_PATH chooses the bundles) */
#define _POSIX_C_SOURCE 200809L
#include <lilv/lilv.h>
#include <lv2/core/lv2.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BLOCK 256
#define MAX_PORTS 256

static double
cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int
by_value(const void *a, const void *b)
{
	const double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: bench-fused URI [FRAMES [REPS]]\n");
		return 2;
	}
	const long frames = argc > 2 ? atol(argv[2]) : 480000;
	const int reps = argc > 3 ? atoi(argv[3]) : 11;
	if (frames < BLOCK || reps < 1 || reps > 1000) {
		fprintf(stderr, "bench-fused: FRAMES >= %d, REPS 1..1000\n", BLOCK);
		return 2;
	}
	LilvWorld *w = lilv_world_new();
	lilv_world_load_all(w);
	LilvNode *uri = lilv_new_uri(w, argv[1]);
	const LilvPlugin *p = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(w), uri);
	LilvInstance *inst = p ? lilv_plugin_instantiate(p, 48000.0, NULL) : NULL;
	if (!inst) {
		fprintf(stderr, "bench-fused: cannot instantiate %s\n", argv[1]);
		return 1;
	}
	LilvNode *audio = lilv_new_uri(w, LV2_CORE__AudioPort);
	const uint32_t n = lilv_plugin_get_num_ports(p);
	static float buf[MAX_PORTS][BLOCK];
	static float ctl[MAX_PORTS];
	float *defaults = calloc(n, sizeof *defaults);
	lilv_plugin_get_port_ranges_float(p, NULL, NULL, defaults);
	srand(1);
	for (uint32_t i = 0; i < n && i < MAX_PORTS; ++i) {
		const LilvPort *port = lilv_plugin_get_port_by_index(p, i);
		if (lilv_port_is_a(p, port, audio)) {
			for (int f = 0; f < BLOCK; ++f) {
				buf[i][f] = (float)rand() / (float)RAND_MAX * 2.0f - 1.0f;
			}
			lilv_instance_connect_port(inst, i, buf[i]);
		} else {
			ctl[i] = defaults[i];
			lilv_instance_connect_port(inst, i, &ctl[i]);
		}
	}
	lilv_instance_activate(inst);
	double *ns = calloc((size_t)reps, sizeof *ns);
	for (int r = 0; r < reps; ++r) {
		const double t = cpu_now();
		for (long off = 0; off < frames; off += BLOCK) {
			lilv_instance_run(inst, BLOCK);
		}
		ns[r] = (cpu_now() - t) / (double)frames * 1e9;
	}
	qsort(ns, (size_t)reps, sizeof *ns, by_value);
	printf("%.2f\n", ns[reps / 2]);
	lilv_instance_deactivate(inst);
	lilv_instance_free(inst);
	free(ns);
	free(defaults);
	lilv_node_free(audio);
	lilv_node_free(uri);
	lilv_world_free(w);
	return 0;
}
