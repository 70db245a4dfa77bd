/* SPDX-License-Identifier: ISC */
/* Second derivations of every number in the table for n <= 4 (quarks-capacity --check):
 *   ltg:   Muroga-box enumeration == per-table LP decision (as sets) == arrangement count
 *          == orbit-by-orbit LP count;
 *   ptf2:  orbit-by-orbit LP count (the table's method) == arrangement count == number of
 *          tables the LP accepts at degree 2, deciding every table;
 *   gated classes: table-algebra fill == pattern-by-pattern circuit evaluation (as sets). */
#ifndef CAP_CHECK_H
#define CAP_CHECK_H

#include <stddef.h>
#include <stdio.h>

#include "cap_class.h"
#include "cap_table.h"

/* Each returns 0 when the methods agree (and match expect, when expect != 0), 1 otherwise,
 * -1 if out of memory; one line of log each. */
int cap_check_ltg(FILE *log, unsigned n, uint64_t expect);
int cap_check_ptf2(FILE *log, unsigned n, uint64_t expect);
int cap_check_class(FILE *log, unsigned n, cap_comp c, uint64_t expect);

/* n = 5 one gate, without the 2^32-table LP: enumeration == arrangement == orbits+LP. */
int cap_check_ltg_counts(FILE *log, unsigned n, unsigned threads, uint64_t expect);

/* All checks for n = 1..top against the rows of the table; returns the number that failed. */
int cap_check_all(FILE *log, unsigned top, const cap_row *rows, size_t nrows);

#endif
