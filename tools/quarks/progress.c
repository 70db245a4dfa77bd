/* SPDX-License-Identifier: ISC */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void
qk_progress_start(qk_progress *p, uint64_t total, int enabled)
{
	p->tty = enabled && isatty(STDERR_FILENO);
	p->shown = 0;
	p->start = p->tty ? now() : 0.0;
	p->last = p->start;
	p->total = total ? total : 1;
}

void
qk_progress_update(qk_progress *p, uint64_t done)
{
	if (!p->tty)
		return;
	double t = now();
	/* Redraw at most ten times a second, and only once the render has run for a second. */
	if (t - p->start < 1.0 || t - p->last < 0.1)
		return;
	p->last = t;
	p->shown = 1;
	enum { BAR = 40 };
	int filled = (int)((double)done / (double)p->total * BAR);
	char bar[BAR + 1];
	for (int i = 0; i < BAR; i++)
		bar[i] = i < filled ? '#' : '.';
	bar[BAR] = '\0';
	fprintf(stderr, "\rrendering [%s] %3d%%", bar,
	        (int)(100.0 * (double)done / (double)p->total));
	fflush(stderr);
}

void
qk_progress_end(qk_progress *p)
{
	if (p->shown) {
		fprintf(stderr, "\r%60s\r", "");
		fflush(stderr);
	}
}
