/* SPDX-License-Identifier: ISC */
/* A progress bar on stderr, shown only when stderr is a terminal and the render has already
 * taken more than a second: short renders and logs stay quiet. */
#ifndef QK_PROGRESS_H
#define QK_PROGRESS_H

#include <stdint.h>

typedef struct {
	int tty;
	int shown;
	double start;
	double last;
	uint64_t total;
} qk_progress;

void qk_progress_start(qk_progress *p, uint64_t total_frames, int enabled);
void qk_progress_update(qk_progress *p, uint64_t done_frames);
/* Clears the bar if it was shown. */
void qk_progress_end(qk_progress *p);

#endif
