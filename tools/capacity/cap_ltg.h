/* SPDX-License-Identifier: ISC */
/* All linear threshold functions of n <= 5 inputs, by exhaustive integer-weight enumeration.
 *
 * Exactness rests on the Muroga-Toda-Takasu bound (proof in docs/capacity.md): in (-1,+1)
 * input coding every threshold function has a realisation with integer weights and bias of
 * absolute value at most floor((n+1)^((n+1)/2) / 2^n): 1, 1, 2, 3, 6 for n = 1..5. Every
 * (w, b) in that box is evaluated, so the list is complete; and every table it produces is a
 * threshold function by construction, so it is exact. */
#ifndef CAP_LTG_H
#define CAP_LTG_H

#include <stddef.h>

#include "cap_tt.h"

typedef struct cap_ltg_list {
	unsigned n;
	size_t count;
	cap_tt *tt; /* sorted ascending, distinct */
	int *w;     /* count rows of n + 1 ints: w_1..w_n, bias; (-1,+1) inputs */
} cap_ltg_list;

/* The weight bound used for n (the formula above, computed exactly in integers). */
int cap_ltg_bound(unsigned n);

/* Fills *l with every threshold function of n inputs and one integer realisation of each
 * (the lexicographically first in the box). Returns 0, or -1 if out of memory. */
int cap_ltg_enumerate(cap_ltg_list *l, unsigned n);

/* Index of f in the list, or -1 if f is not a threshold function. */
long cap_ltg_find(const cap_ltg_list *l, cap_tt f);

void cap_ltg_free(cap_ltg_list *l);

#endif
