/* SPDX-License-Identifier: ISC */
/* Stacked, labelled plots of signals over time, as PNG, drawn with cairo. */
#ifndef QK_PLOT_H
#define QK_PLOT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	const char *label;
	const float *data;
	uint64_t frames;
} qk_trace;

/* One lane per trace, top to bottom, sharing a time axis in seconds. The PNG is written to a
 * temporary file and renamed to path, unless *stop (when stop is not NULL) was set meanwhile
 * (an interrupt: the temporary file is deleted and err says so). On error writes a message
 * into err and returns -1. */
int qk_plot_png(const char *path, const char *title, const qk_trace *traces, size_t n, double rate,
                const volatile sig_atomic_t *stop, char *err, size_t err_len);

#endif
