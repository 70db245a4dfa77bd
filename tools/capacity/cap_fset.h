/* SPDX-License-Identifier: ISC */
/* A set of Boolean functions of n <= 5 inputs: one bit per possible truth table
 * (2^(2^n) bits: 8 KiB for n = 4, 512 MiB for n = 5).
 *
 * Several threads may fill one set through their own cap_sink. A sink buffers tables by the
 * region of the bitmap they fall in and writes a full buffer under that region's lock: the
 * writes of one flush stay inside a region small enough for the caches, instead of one
 * cache (and TLB) miss per table across the whole 512 MiB. */
#ifndef CAP_FSET_H
#define CAP_FSET_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cap_tt.h"

#define CAP_REGIONS 1024u
#define CAP_SINK_SLOTS 2048u

typedef struct cap_fset {
	unsigned n;
	unsigned shift; /* region of table f = f >> shift */
	uint64_t nbits;
	uint64_t *word;
	pthread_mutex_t lock[CAP_REGIONS];
} cap_fset;

typedef struct cap_sink {
	cap_fset *set;
	uint32_t fill[CAP_REGIONS];
	cap_tt *buf; /* CAP_REGIONS * CAP_SINK_SLOTS */
} cap_sink;

/* Returns 0, or -1 if out of memory. */
int cap_fset_init(cap_fset *s, unsigned n);
void cap_fset_free(cap_fset *s);
void cap_fset_clear(cap_fset *s);

/* Single-threaded use. */
void cap_fset_add(cap_fset *s, cap_tt f);
bool cap_fset_has(const cap_fset *s, cap_tt f);
uint64_t cap_fset_count(const cap_fset *s);

/* Multi-threaded filling: one sink per thread; flush before reading the set. */
int cap_sink_init(cap_sink *k, cap_fset *s);
void cap_sink_flush(cap_sink *k);
void cap_sink_free(cap_sink *k);

/* Writes region r's buffer into the set (cap_sink_put calls it when the buffer is full). */
void cap_sink_flush_region(cap_sink *k, unsigned r);

static inline void
cap_sink_put(cap_sink *k, cap_tt f)
{
	unsigned r = (unsigned)(f >> k->set->shift);
	uint32_t i = k->fill[r];
	k->buf[(size_t)r * CAP_SINK_SLOTS + i] = f;
	k->fill[r] = i + 1u;
	if (i + 1u == CAP_SINK_SLOTS)
		cap_sink_flush_region(k, r);
}

#endif
