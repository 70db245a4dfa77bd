/* SPDX-License-Identifier: ISC */
/* Number of threshold functions of a point set, counted as the regions of a hyperplane
 * arrangement, without listing any function (a method independent of enumeration and LP).
 *
 * Points phi_1..phi_m in R^d (here: the monomials of degree <= 1 or 2 of the (-1,+1)
 * inputs; the constant monomial makes the arrangement central). The functions
 * x -> [theta . phi(x) >= 0] are the regions of the arrangement of hyperplanes
 * {theta : theta . phi_k = 0}, and by Zaslavsky's theorem their number is
 *   r = sum over subsets S of (-1)^(|S| - rank S).
 * Pairing S with S xor {k} at the first k whose point lies in the span of the earlier chosen
 * points cancels every term except the subsets S for which no point k lies in the span of
 * the members of S before k; all of those have sign +1. cap_nbc_regions counts them by
 * dynamic programming over k, the state being the span, stored as the set of points it
 * contains (a bit mask; two subsets with the same span have the same future). */
#ifndef CAP_NBC_H
#define CAP_NBC_H

#include <stdint.h>

/* m <= 32 points, each of d <= 16 coordinates that are all +1 or -1, row-major in
 * pts. Returns the number of regions, or 0 if out of memory. If states is not NULL it
 * receives the largest number of spans alive at one step (cost indicator). */
uint64_t cap_nbc_regions(unsigned m, unsigned d, const int *pts, uint64_t *states);

/* Convenience: threshold functions of degree <= degree in n <= 5 inputs. */
uint64_t cap_nbc_ptf_count(unsigned n, unsigned degree, uint64_t *states);

#endif
