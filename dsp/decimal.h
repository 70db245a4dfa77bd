/* SPDX-License-Identifier: ISC */
/* The decimal a float control came from.
 *
 * A graph file gives a source's settings as decimals, read in double (0.1 s, 0.3); an LV2
 * control port carries a float (0.1f = 0.100000001490...). A source plugin that used the float
 * as it is would count a period of 4800.00007 samples where the graph counts 4800, and its
 * pulse edges and ramp values would drift from the render's. qk_decimal() gives back the
 * double the graph reads: the shortest decimal (at most 9 significant digits) that rounds to
 * the float, evaluated as k / 10^s with both exact, so it is correctly rounded and equal to
 * strtod() of that decimal. Exact for every setting written with at most 6 significant
 * digits (FLT_DIG: those survive the float). Real-time safe: no allocation, no locale, no I/O. */
#ifndef QK_DECIMAL_H
#define QK_DECIMAL_H

/* The shortest decimal that rounds to f, as a correctly rounded double; f itself when f is 0,
 * not finite, or outside 1e-13 .. 1e13 in magnitude (no such setting exists in the bundle). */
double qk_decimal(float f);

#endif
