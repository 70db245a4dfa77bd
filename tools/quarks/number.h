/* SPDX-License-Identifier: ISC */
/* Numbers in graph files and on the command line: the whole text must be a finite decimal
 * (strtod syntax), so "1.5x", "", "nan" and "1e999" are rejected rather than half read. */
#ifndef QK_NUMBER_H
#define QK_NUMBER_H

/* 0 and *out set if text is a finite number, else -1. */
int qk_parse_number(const char *text, double *out);

/* A duration or period: a number followed by nothing or "s" (seconds), "ms", or "smp"
 * (samples). Stores it in samples at the given rate. 0 on success, else -1. */
int qk_parse_time(const char *text, double rate, double *samples);

/* A frequency: a number followed by nothing or "Hz". */
int qk_parse_freq(const char *text, double *hz);

#endif
