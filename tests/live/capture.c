/* SPDX-License-Identifier: ISC */
/* A JACK recorder for the live tests: connects its inputs to the given ports and records
 * exactly FRAMES frames, starting at the first period in which every input is connected (so
 * the file holds no silence from before the connections), as 32-bit float WAV.
 * Usage: capture CLIENT FRAMES OUT.wav PORT...
 * The buffer is allocated before activation; the process callback only copies.
 * Activating, connecting and closing change the server's graph, so each waits for the server
 * to run on time first (settle.h). A connection refused because the port's client is not
 * active yet is tried again, up to 20 s.
 * Exit status 3 when an xrun happened during the recording: a period may then be missing or
 * stale in some client, so the recording is not comparable and the caller records again.
 * Exit status 4 when the server runs no period for 5 s: the caller checks whether jackd is
 * hung (jack-env.sh). */
#define _POSIX_C_SOURCE 200809L
#include "settle.h"

#include <errno.h>
#include <jack/jack.h>
#include <sndfile.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	jack_port_t *ports[8];
	int n;
	float *data; /* interleaved, frames * n */
	size_t frames;
	atomic_size_t done; /* frames recorded so far */
	atomic_uint xruns, xruns_recording;
} recorder;

static int
on_process(jack_nframes_t nframes, void *arg)
{
	recorder *r = arg;
	size_t done = atomic_load(&r->done);
	if (done == r->frames)
		return 0;
	for (int c = 0; c < r->n; c++)
		if (!jack_port_connected(r->ports[c]))
			return 0;
	size_t take = nframes < r->frames - done ? nframes : r->frames - done;
	for (int c = 0; c < r->n; c++) {
		const float *in = jack_port_get_buffer(r->ports[c], nframes);
		for (size_t i = 0; i < take; i++)
			r->data[(done + i) * (size_t)r->n + (size_t)c] = in[i];
	}
	atomic_store(&r->done, done + take);
	return 0;
}

static int
on_xrun(void *arg)
{
	recorder *r = arg;
	atomic_fetch_add(&r->xruns, 1);
	size_t done = atomic_load(&r->done);
	if (done > 0 && done < r->frames)
		atomic_fetch_add(&r->xruns_recording, 1);
	return 0;
}

/* Waits for the server to run on time before a graph change; 0, or 4 if it has stopped. */
static int
settle(jack_client_t *cl, const char *before)
{
	switch (qkl_settle(cl, 0.5, 10.0, 5.0)) {
	case QKL_ON_TIME: return 0;
	case QKL_LATE:
		printf("capture: note: the server still ran late after 10 s; %s anyway\n", before);
		return 0;
	case QKL_STOPPED: break;
	}
	fprintf(stderr, "capture: the server has run no period for 5 s (before %s)\n", before);
	return 4;
}

static void
quiet_jack(const char *msg)
{
	(void)msg; /* refused connection attempts are retried; the final message says it better */
}

int
main(int argc, char **argv)
{
	if (argc < 5 || argc > 12) {
		fprintf(stderr, "usage: capture CLIENT FRAMES OUT.wav PORT... (1 to 8 ports)\n");
		return 2;
	}
	recorder r;
	memset(&r, 0, sizeof r);
	r.frames = strtoul(argv[2], NULL, 10);
	r.n = argc - 4;
	r.data = calloc(r.frames * (size_t)r.n, sizeof *r.data);
	jack_status_t st;
	jack_set_error_function(quiet_jack);
	jack_client_t *cl = jack_client_open(argv[1], JackNoStartServer, &st);
	if (!cl || !r.data || !r.frames) {
		fprintf(stderr, "capture: cannot open the JACK client (status 0x%x)\n",
		        (unsigned)st);
		free(r.data);
		return 1;
	}
	for (int c = 0; c < r.n; c++) {
		char name[32];
		snprintf(name, sizeof name, "in_%d", c + 1);
		r.ports[c] =
		        jack_port_register(cl, name, JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
	}
	jack_set_process_callback(cl, on_process, &r);
	jack_set_xrun_callback(cl, on_xrun, &r);
	int rc = settle(cl, "activating");
	if (rc == 0 && jack_activate(cl) != 0) {
		fprintf(stderr, "capture: cannot activate the JACK client\n");
		rc = 1;
	}
	for (int c = 0; rc == 0 && c < r.n; c++) {
		char what[300];
		snprintf(what, sizeof what, "connecting %s", argv[4 + c]);
		if ((rc = settle(cl, what)) != 0)
			break;
		double t0 = qkl_now();
		int e;
		while ((e = jack_connect(cl, argv[4 + c], jack_port_name(r.ports[c]))) != 0 &&
		       e != EEXIST && qkl_now() - t0 < 20.0)
			qkl_sleep(0.02);
		if (e != 0 && e != EEXIST) {
			fprintf(stderr, "capture: cannot connect %s (tried for 20 s)\n",
			        argv[4 + c]);
			rc = 1;
		}
	}
	double rate = jack_get_sample_rate(cl);
	/* Bounded: the recording time plus 10 s; and 4 at once if the server stops running
	 * periods (5 s without a new frame count), so that a hung server is not waited out. */
	double t0 = qkl_now(), last_move = t0;
	jack_nframes_t last_f = jack_last_frame_time(cl);
	while (rc == 0 && atomic_load(&r.done) < r.frames) {
		double t = qkl_now();
		jack_nframes_t f = jack_last_frame_time(cl);
		if (f != last_f) {
			last_f = f;
			last_move = t;
		} else if (t - last_move >= 5.0) {
			fprintf(stderr,
			        "capture: the server has run no period for 5 s (%zu of %zu "
			        "frames)\n",
			        atomic_load(&r.done), r.frames);
			rc = 4;
		}
		if (rc == 0 && t - t0 > (double)r.frames / rate + 10.0) {
			fprintf(stderr, "capture: timed out after %zu of %zu frames\n",
			        atomic_load(&r.done), r.frames);
			rc = 1;
		}
		qkl_sleep(0.01);
	}
	/* Deactivating and closing change the graph as well; a hung server makes them wait for
	 * libjack's timeouts, so they are skipped then (the process exit closes the socket). */
	if (rc != 4 && settle(cl, "closing") != 4) {
		jack_deactivate(cl);
		jack_client_close(cl);
	}
	if (rc == 0) {
		SF_INFO info = {.samplerate = (int)rate,
		                .channels = r.n,
		                .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
		SNDFILE *f = sf_open(argv[3], SFM_WRITE, &info);
		if (!f ||
		    sf_writef_float(f, r.data, (sf_count_t)r.frames) != (sf_count_t)r.frames) {
			fprintf(stderr, "capture: cannot write %s\n", argv[3]);
			rc = 1;
		}
		if (f)
			sf_close(f);
	}
	unsigned during = atomic_load(&r.xruns_recording);
	printf("capture: %zu frames at %.0f Hz, %u xruns (%u during the recording)\n", r.frames,
	       rate, atomic_load(&r.xruns), during);
	free(r.data);
	if (rc == 4)
		return 4;
	/* A timeout with xruns is the same trouble as xruns in the recording: the graph stalled. */
	if (rc != 0 && atomic_load(&r.xruns) > 0)
		during = 1;
	return during ? 3 : rc != 0;
}
