/* SPDX-License-Identifier: ISC */
/* PNG chart (cairo) of log2 counts against n, with the reference curves n^2 and 2 n^2
 * of the asymptotic capacities of one gate and of a gated pair. */
#ifndef CAP_PLOT_H
#define CAP_PLOT_H

#include <stddef.h>

#include "cap_table.h"

/* Returns 0, or -1 if the PNG could not be written. */
int cap_plot_png(const char *path, const cap_row *rows, size_t nrows);

#endif
