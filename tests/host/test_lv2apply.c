/* SPDX-License-Identifier: ISC */
/* A third-party host: lilv's lv2apply runs every plugin of the bundle (every
 * plugin lilv lists under the base URI) over a generated WAV (one channel per
 * audio input, as lv2apply maps them) with every control set by symbol on its
 * command line, away from its default (two runs, two such settings), and its
 * output must match the reference. A plugin without a reference entry fails. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include "host.h"
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
#define RATE 48000

/* A control value away from the default, from the documented range: an
 * integer one (an enumeration like act) anywhere in its range but its default,
 * a positive-only one (temp) within a factor 2 of its default, any other within
 * 2 of its default; so a control lv2apply failed to pass would show, and the
 * data stay where float agrees with double. */
static double
control_value(const ref_port *port, rng *r)
{
	double v;
	if (port->integer) {
		const uint64_t n = (uint64_t)(port->max - port->min) + 1;
		do {
			v = port->min + (double)(rng_next(r) % n);
		} while (n > 1 && v == port->def);
	} else if (port->min > 0) {
		v = port->def * exp2(rng_uniform(r, -1, 1));
	} else {
		const double spread = fmin(2.0, (port->max - port->min) / 8);
		v = port->def + spread * rng_uniform(r, -1, 1);
	}
	v = v < port->min ? port->min : v > port->max ? port->max : v;
	return (float)v; /* what a float control port holds */
}

static bool
write_wav(const char *path, const float *data, int channels)
{
	SF_INFO info = {.samplerate = RATE,
	                .channels = channels,
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
run_lv2apply(const char *in, const char *out, const char *name, const ref_plugin *rp,
             const double *value)
{
	const char *argv[8 + 3 * REF_MAX_PORTS];
	char text[REF_MAX_PORTS][32];
	int argc = 0;
	argv[argc++] = "lv2apply";
	argv[argc++] = "-i";
	argv[argc++] = in;
	argv[argc++] = "-o";
	argv[argc++] = out;
	for (int i = 0; i < ref_port_count(rp); ++i) {
		if (ref_port_at(rp, i)->kind == REF_CONTROL_IN) {
			snprintf(text[i], sizeof text[i], "%.9g", value[i]);
			argv[argc++] = "-c";
			argv[argc++] = ref_port_at(rp, i)->symbol;
			argv[argc++] = text[i];
		}
	}
	char uri[256];
	snprintf(uri, sizeof uri, "%s%s", HOST_URI, name);
	argv[argc++] = uri;
	argv[argc] = NULL;

	fflush(stdout);
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
check_plugin(const char *name, int run, const char *dir, rng *r)
{
	const ref_plugin *rp = ref_plugin_find(name);
	if (!rp) {
		fprintf(stderr,
		        "FAIL %s: in the bundle but not in the reference "
		        "(tests/reference/ref.c)\n",
		        name);
		return 1;
	}
	int n_in, n_ctl, n_out;
	ref_shape(name, &n_in, &n_ctl, &n_out);

	double port[REF_MAX_PORTS] = {0};
	bool connected[REF_MAX_PORTS] = {false};
	for (int i = 0; i < ref_port_count(rp); ++i) {
		const ref_port *d = ref_port_at(rp, i);
		connected[i] = d->kind == REF_AUDIO_IN; /* lv2apply connects every input */
		if (d->kind == REF_CONTROL_IN) {
			port[i] = control_value(d, r);
		}
	}

	/* A plugin without audio inputs still gets a (mono) file: its length is
	 * the run's. */
	const int channels = n_in > 0 ? n_in : 1;
	float *in = malloc(sizeof(float) * FRAMES * (size_t)channels);
	float *out = malloc(sizeof(float) * FRAMES * (size_t)(n_out > 0 ? n_out : 1));
	if (!in || !out) {
		free(in);
		free(out);
		return 1;
	}
	for (int i = 0; i < FRAMES * channels; ++i) {
		in[i] = (float)rng_uniform(r, -1, 1);
	}
	char in_path[512], out_path[512];
	snprintf(in_path, sizeof in_path, "%s/%s-%d-in.wav", dir, name, run);
	snprintf(out_path, sizeof out_path, "%s/%s-%d-out.wav", dir, name, run);
	int failed = !write_wav(in_path, in, channels);
	const int rc = failed ? 0 : run_lv2apply(in_path, out_path, name, rp, port);
	if (!failed && rc != 0 && n_in == 0) {
		/* lv2apply maps the file's channels onto the plugin's audio inputs and
		 * refuses a plugin that has none: nothing to compare here. */
		printf("%-17s no audio inputs: lv2apply refuses it (exit %d), not compared\n", name,
		       rc);
		free(in);
		free(out);
		return 0;
	}
	if (!failed && rc != 0) {
		fprintf(stderr, "%s: lv2apply exited with %d\n", name, rc);
		failed = 1;
	}
	SF_INFO info = {0};
	SNDFILE *f = failed ? NULL : sf_open(out_path, SFM_READ, &info);
	if (!failed && (!f || info.channels != n_out || info.frames != FRAMES)) {
		fprintf(stderr, "%s: output %s is not %d channels of %d frames\n", name, out_path,
		        n_out, FRAMES);
		failed = 1;
	}
	if (f) {
		sf_readf_float(f, out, FRAMES);
		sf_close(f);
	}
	if (failed) {
		free(in);
		free(out);
		return 1;
	}

	/* lv2apply runs one frame at a time from activation, at the file's rate */
	ref_instance *ri = ref_instantiate(rp, RATE);
	double bound[REF_MAX_PORTS] = {0};
	double worst = 0, raw = 0, widest = 0;
	for (int i = 0; i < FRAMES && ri; ++i) {
		for (int p = 0, k = 0; p < ref_port_count(rp); ++p) {
			if (ref_port_at(rp, p)->kind == REF_AUDIO_IN) {
				port[p] = in[i * n_in + k++];
			}
		}
		ref_step(ri, port, connected, bound);
		for (int p = 0, o = 0; p < ref_port_count(rp); ++p) {
			if (ref_port_at(rp, p)->kind != REF_AUDIO_OUT) {
				continue;
			}
			const double got = out[i * n_out + o++], want = port[p];
			/* beyond the reference's float bound, relative to 1 + |want| */
			const double excess =
			        isinf(bound[p])
			                ? (isfinite(got) ? 0 : INFINITY)
			                : fmax(0, fabs(got - want) - bound[p]) / (1 + fabs(want));
			worst = isfinite(got) ? fmax(worst, excess) : INFINITY;
			raw = isfinite(got) ? fmax(raw, fabs(got - want) / (1 + fabs(want)))
			                    : INFINITY;
			widest = fmax(widest, bound[p]);
		}
	}
	ref_free(ri);
	const int act = ref_port_index(rp, "act");
	char what[64] = "";
	if (act >= 0) {
		snprintf(what, sizeof what, " act %g", port[act]);
	}
	printf("%-17s %d in, %d out%s: max error %.3g (float bound up to %.3g), beyond it %.3g\n",
	       name, n_in, n_out, what, raw, widest, worst);
	free(in);
	free(out);
	return ri && worst <= 1e-5 ? 0 : 1;
}

int
main(void)
{
	host h;
	if (!host_open(&h)) {
		return 1;
	}
	const char *names[HOST_MAX_PLUGINS];
	const int n = host_bundle(&h, names, HOST_MAX_PLUGINS);
	char dir[] = "/tmp/quarks-lv2apply-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		host_close(&h);
		return 1;
	}
	rng r = {0xfeedull};
	int failures = n == 0;
	/* twice each, with different controls: more activations covered */
	for (int i = 0; i < n; ++i) {
		for (int run = 0; run < 2; ++run) {
			const int failed = check_plugin(names[i], run, dir, &r);
			failures += failed;
			if (failed && !ref_plugin_find(names[i])) {
				break; /* said once is enough */
			}
		}
	}
	host_close(&h);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "could not remove %s\n", dir);
	}
	return failures ? 1 : 0;
}
