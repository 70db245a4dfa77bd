/* SPDX-License-Identifier: ISC */
#define _POSIX_C_SOURCE 200809L
#include "settle.h"

#include <jack/statistics.h>
#include <time.h>

double
qkl_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void
qkl_sleep(double seconds)
{
	struct timespec t = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
	nanosleep(&t, NULL);
}

qkl_state
qkl_settle(jack_client_t *c, double quiet, double limit, double stop)
{
	double rate = jack_get_sample_rate(c);
	double start = qkl_now(), last_late = start, last_move = start;
	/* The reference point of the clock comparison; moved to every late period, so that one
	 * late period is counted once. */
	double t_ref = start;
	jack_nframes_t f_ref = jack_last_frame_time(c), last_f = f_ref;
	jack_nframes_t period = jack_get_buffer_size(c);
	float xrun = jack_get_xrun_delayed_usecs(c);
	for (;;) {
		qkl_sleep(0.005);
		double t = qkl_now();
		jack_nframes_t f = jack_last_frame_time(c), p = jack_get_buffer_size(c);
		float x = jack_get_xrun_delayed_usecs(c);
		if (f != last_f) {
			last_f = f;
			last_move = t;
		} else if (t - last_move >= stop) {
			return QKL_STOPPED;
		}
		/* The frame counter is read at the start of a period and the clock anywhere in one,
		 * so on time the difference stays within one period either way; two periods is
		 * late. A period size change moves the reference. */
		double lag = (t - t_ref) * rate - (double)(jack_nframes_t)(f - f_ref);
		if (x != xrun || p != period || lag > 2.0 * p) {
			if (x != xrun || lag > 2.0 * p)
				last_late = t;
			xrun = x;
			period = p;
			t_ref = t;
			f_ref = f;
		}
		if (t - last_late >= quiet)
			return QKL_ON_TIME;
		if (t - start >= limit)
			return QKL_LATE;
	}
}
