/* SPDX-License-Identifier: ISC */
/* The function classes built from two threshold gates h and g on the same n inputs.
 *
 *   CAP_PAIR01  output gating, (0,1) gates:   f = h * g            (AND of the tables)
 *   CAP_PAIRPM  output gating, (-1,+1) gates: f = h * g            (XNOR of the tables)
 *   CAP_SYN01   synaptic gating of input j, (0,1) inputs and gate:
 *               f(x) = h(x_1, .., x_j * g(x), .., x_n), any j
 *   CAP_SYNPM   the same with (-1,+1) inputs and gate
 *
 * Two independent implementations: cap_class_fill derives each class from table algebra
 * (threaded, used for the published counts), cap_class_direct evaluates the circuit input
 * pattern by input pattern (single-threaded, n <= 4, and records a witness per function). */
#ifndef CAP_CLASS_H
#define CAP_CLASS_H

#include <stdint.h>

#include "cap_fset.h"
#include "cap_ltg.h"

typedef enum cap_comp { CAP_PAIR01, CAP_PAIRPM, CAP_SYN01, CAP_SYNPM, CAP_NCOMP } cap_comp;

/* Which two gates (indices into the threshold list) and which input realise a function. */
typedef struct cap_witness {
	int32_t h, g;
	int32_t j; /* gated input for the synaptic classes, -1 for the pairs */
} cap_witness;

const char *cap_comp_name(cap_comp c);

/* Adds the class to out (initialised for t->n). t: threshold functions of n inputs; tprev:
 * those of n - 1 inputs (used by CAP_SYN01). Returns 0, or -1 if out of memory. */
int cap_class_fill(cap_fset *out, const cap_ltg_list *t, const cap_ltg_list *tprev, cap_comp c,
                   unsigned threads);

/* Reference evaluation for n <= 4: adds the class to out and, when wit is not NULL, stores
 * in wit[f] (2^(2^n) entries) the first (h, g, j) found for f, h = -1 where f is not reached. */
void cap_class_direct(cap_fset *out, cap_witness *wit, const cap_ltg_list *t, cap_comp c);

/* The output of the circuit with gates of tables h and g for comparison with plugins and
 * hand checks: evaluates the definition pattern by pattern. */
cap_tt cap_class_eval(unsigned n, cap_comp c, cap_tt h, cap_tt g, unsigned j);

#endif
