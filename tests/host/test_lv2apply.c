/* A third-party host: lilv's lv2apply runs each plugin over a generated WAV
 * (one channel per audio input, as lv2apply maps them) with controls set by
 * symbol on its command line, and its output must match the reference. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include "ref.h"
#include "rng.h"

#include <sndfile.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FRAMES 4801
#define MAX_CH 8

typedef struct {
	const char *name;
	const char *controls[16]; /* symbol, value pairs for -c */
} plugin_case;

/* Controls away from the defaults, so a control lv2apply failed to pass would
 * show; each activation with an effect on its range of S appears somewhere. */
static const plugin_case cases[] = {
	{"neuron", {"w1", "0.5", "w2", "-1.25", "w3", "2", "w4", "0.75", "bias", "0.25",
	            "v", "-3", "slope", "1.5", "act", "4"}},
	{"output-gate", {"a", "2", "c", "-0.5", "act", "3"}},
	{"synaptic-gate", {"w1", "1.5", "w2", "-0.5", "w3", "2", "w4", "-2", "bias", "0.1",
	                   "slope", "2", "act", "5"}},
	{"activation-gate", {"w1", "-1", "w2", "0.5", "w3", "1", "w4", "0.25", "bias", "0.3",
	                     "slope", "3", "act", "3"}},
	{"additive-output", {"k", "-0.75"}},
	{"additive-synapse", {"w1", "0.5", "w2", "0.5", "w3", "-1", "w4", "1", "bias", "-0.2",
	                      "slope", "1", "act", "0"}},
	{"softmax", {"temp", "0.5"}},
};

/* Control values by port order for the reference: each plugin's control
 * symbols in index order (docs/PORTS.md), defaults where the case sets none. */
static const char *const control_symbols[][9] = {
	{"w1", "w2", "w3", "w4", "bias", "v", "slope", "act"},
	{"a", "c", "act"},
	{"w1", "w2", "w3", "w4", "bias", "slope", "act"},
	{"w1", "w2", "w3", "w4", "bias", "slope", "act"},
	{"k"},
	{"w1", "w2", "w3", "w4", "bias", "slope", "act"},
	{"temp"},
};

static bool
write_wav(const char *path, const float *data, int channels)
{
	SF_INFO info = {.samplerate = 48000, .channels = channels,
	                .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
	SNDFILE *f = sf_open(path, SFM_WRITE, &info);
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, sf_strerror(NULL));
		return false;
	}
	const sf_count_t n = sf_writef_float(f, data, FRAMES);
	sf_close(f);
	return n == FRAMES;
}

static int
run_lv2apply(const char *in, const char *out, const plugin_case *c)
{
	const char *argv[48];
	int argc = 0;
	argv[argc++] = "lv2apply";
	argv[argc++] = "-i";
	argv[argc++] = in;
	argv[argc++] = "-o";
	argv[argc++] = out;
	for (int i = 0; i < 16 && c->controls[i]; i += 2) {
		argv[argc++] = "-c";
		argv[argc++] = c->controls[i];
		argv[argc++] = c->controls[i + 1];
	}
	char uri[128];
	snprintf(uri, sizeof uri, "https://quarks-lv2.github.io/lv2/%s", c->name);
	argv[argc++] = uri;
	argv[argc] = NULL;

	const pid_t pid = fork();
	if (pid == 0) {
		execvp("lv2apply", (char *const *)argv);
		perror("lv2apply");
		_exit(127);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int
check_plugin(size_t index, const char *dir, rng *r)
{
	const plugin_case *c = &cases[index];
	int n_in, n_ctl, n_out;
	ref_shape(c->name, &n_in, &n_ctl, &n_out);

	static float in[FRAMES * MAX_CH], out[FRAMES * MAX_CH];
	for (int i = 0; i < FRAMES * n_in; ++i) {
		in[i] = (float)rng_uniform(r, -1, 1);
	}
	char in_path[512], out_path[512];
	snprintf(in_path, sizeof in_path, "%s/%s-in.wav", dir, c->name);
	snprintf(out_path, sizeof out_path, "%s/%s-out.wav", dir, c->name);
	if (!write_wav(in_path, in, n_in)) {
		return 1;
	}
	const int rc = run_lv2apply(in_path, out_path, c);
	if (rc != 0) {
		fprintf(stderr, "%s: lv2apply exited with %d\n", c->name, rc);
		return 1;
	}
	SF_INFO info = {0};
	SNDFILE *f = sf_open(out_path, SFM_READ, &info);
	if (!f || info.channels != n_out || info.frames != FRAMES) {
		fprintf(stderr, "%s: output %s is not %d channels of %d frames\n", c->name,
		        out_path, n_out, FRAMES);
		return 1;
	}
	sf_readf_float(f, out, FRAMES);
	sf_close(f);

	double ctl[16];
	for (int k = 0; k < n_ctl; ++k) {
		ctl[k] = NAN; /* NaN reads as the default in the reference */
		for (int i = 0; i < 16 && c->controls[i]; i += 2) {
			if (!strcmp(c->controls[i], control_symbols[index][k])) {
				ctl[k] = atof(c->controls[i + 1]);
			}
		}
	}
	const bool connected[MAX_CH] = {true, true, true, true, true, true, true, true};
	double worst = 0;
	for (int i = 0; i < FRAMES; ++i) {
		double x[MAX_CH], y[MAX_CH];
		for (int k = 0; k < n_in; ++k) {
			x[k] = in[i * n_in + k];
		}
		ref_sample(c->name, x, connected, ctl, y);
		for (int o = 0; o < n_out; ++o) {
			worst = fmax(worst, fabs(out[i * n_out + o] - y[o]) / (1 + fabs(y[o])));
		}
	}
	printf("%-17s %d in, %d out, max error %.3g\n", c->name, n_in, n_out, worst);
	return worst <= 1e-5 ? 0 : 1;
}

int
main(void)
{
	char dir[] = "/tmp/quarks-lv2apply-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	rng r = {0xfeedull};
	int failures = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
		failures += check_plugin(i, dir, &r);
	}
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "could not remove %s\n", dir);
	}
	return failures ? 1 : 0;
}
