/* SPDX-License-Identifier: ISC */
/* Fuzz target: the renderer's input handling. The input is a graph, optionally followed by a
 * line "--wav--" and the bytes of a sound file (WAV, or anything libsndfile might take for one).
 * The sound file is written to a private folder as in.wav, next to the graph, so that
 * `path=in.wav` and every graph input read it; file paths naming anything else are parsed but
 * never opened (a fuzzer must not read /dev/stdin or the user's files).
 *
 * quarks_fuzz_render: graph, source settings, qk_wav_load() of the sound file at the graph's
 * rate and channel. With QK_FUZZ_ENGINE (quarks_fuzz_engine) also the engine build up to lilv
 * instantiation, with every graph input fed from in.wav, and a few blocks of processing. */
#define _POSIX_C_SOURCE 200809L
#include "fuzz.h"

#include "graph.h"
#include "number.h"
#include "source_spec.h"
#include "wavin.h"
#ifdef QK_FUZZ_ENGINE
#include "engine.h"
#endif

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64], wav_path[96], graph_path[96];
static volatile float sink;

static void
cleanup(void)
{
	unlink(wav_path);
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (dir[0])
		return 0;
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof dir, "%s/qkfuzz-XXXXXX", base);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(wav_path, sizeof wav_path, "%s/in.wav", dir);
	snprintf(graph_path, sizeof graph_path, "%s/g.graph", dir);
	atexit(cleanup);
	return 0;
}

static const char separator[] = "\n--wav--\n";

static int
write_wav(const uint8_t *data, size_t size)
{
	int fd = open(wav_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	while (size > 0) {
		ssize_t w = write(fd, data, size);
		if (w <= 0)
			break;
		data += w;
		size -= (size_t)w;
	}
	close(fd);
	return size == 0 ? 0 : -1;
}

static void
load(const char *path, int channel, double rate)
{
	float *samples = NULL;
	uint64_t frames = 0;
	char err[768];
	if (qk_wav_load(path, channel, rate, &samples, &frames, err, sizeof err) == 0) {
		float sum = 0.0f; /* touch every sample: the buffer must hold `frames` */
		for (uint64_t i = 0; i < frames; i++)
			sum += samples[i];
		free(samples);
		sink = sum;
	}
}

#ifdef QK_FUZZ_ENGINE
static void
run_engine(const qk_graph *g, double rate)
{
	qk_input_file files[64];
	size_t n = 0;
	for (size_t i = 0; i < g->n_decls && n < 64; i++)
		if (g->decls[i].kind == QK_DECL_INPUT)
			files[n++] = (qk_input_file){g->decls[i].name, wav_path};
	qk_engine_config cfg = {rate, 64, files, n, 0, 0};
	qk_engine *e;
	qk_diag d;
	if (qk_engine_new(g, &cfg, &e, &d) != 0)
		return;
	for (int b = 0; b < 3; b++)
		qk_engine_process(e, b == 1 ? 7 : 64);
	qk_engine_seek(e, 1000);
	qk_engine_process(e, 1);
	for (size_t i = 0; i < qk_engine_n_outputs(e); i++) {
		const float *out = qk_engine_output(e, i);
		if (!isfinite(out[0]) || !qk_engine_signal(e, qk_engine_output_name(e, i)))
			abort(); /* the quarks promise finite outputs (PORTS.md) */
	}
	qk_engine_free(e);
}
#endif

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	LLVMFuzzerInitialize(NULL, NULL);
	size_t text_len = size;
	const uint8_t *wav = NULL;
	size_t wav_len = 0;
	for (size_t i = 0; i + sizeof separator - 1 <= size; i++)
		if (memcmp(data + i, separator, sizeof separator - 1) == 0) {
			text_len = i + 1;
			wav = data + i + sizeof separator - 1;
			wav_len = size - i - (sizeof separator - 1);
			break;
		}
	if (wav ? write_wav(wav, wav_len) != 0 : (unlink(wav_path), 0))
		return 0;
	char *text = malloc(text_len + 1);
	if (!text)
		return 0;
	memcpy(text, data, text_len);
	text[text_len] = '\0';
	qk_graph g;
	qk_diag d;
	if (qk_graph_parse(graph_path, text, &g, &d) == 0) {
		double rate = 48000.0, v;
		if (g.rate.text && qk_parse_number(g.rate.text, &v) == 0 && v >= 1.0 && v <= 1e7 &&
		    v == floor(v))
			rate = v;
		int only_in_wav = 1;
		for (size_t i = 0; i < g.n_decls; i++) {
			const qk_decl *decl = &g.decls[i];
			if ((decl->kind != QK_DECL_SOURCE && decl->kind != QK_DECL_INPUT) ||
			    !decl->type)
				continue;
			qk_source_spec spec;
			if (qk_source_spec_parse(&g, decl, rate, &spec, &d) != 0)
				continue;
			if (spec.is_file && strcmp(spec.path, wav_path) == 0)
				load(spec.path, spec.channel, rate);
			else if (spec.is_file)
				only_in_wav = 0;
			free(spec.path);
		}
		if (wav)
			load(wav_path, 1, rate);
#ifdef QK_FUZZ_ENGINE
		if (only_in_wav)
			run_engine(&g, rate);
#else
		(void)only_in_wav;
#endif
		qk_graph_free(&g);
	}
	free(text);
	return 0;
}
