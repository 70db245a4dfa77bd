/* SPDX-License-Identifier: ISC */
/* dsp/decimal.c: the decimal a float control came from. For decimals of 1 to 6 significant
 * digits over the range of every setting (1e-6 .. 1e6, both signs), the float of the decimal
 * gives back exactly the double strtod() reads from it, which is what the graph format uses;
 * and for any float in range, the result rounds back to that float. */
#include "decimal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A small deterministic generator (SplitMix64), so failures repeat. */
static uint64_t
next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

int
main(void)
{
	uint64_t seed = 1;
	long fails = 0, n = 0;
	static const char *const fixed[] = {"0.1",   "0.37",  "-0.3",     "3.3",
	                                    "1e-4",  "3600",  "0.25",     "0.0208333",
	                                    "20000", "0.001", "16777215", "100"};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++, n++) {
		double want = strtod(fixed[i], NULL);
		if (qk_decimal((float)want) != want) {
			printf("FAIL: %s: %.17g, not %.17g\n", fixed[i], qk_decimal((float)want),
			       want);
			fails++;
		}
	}
	for (int k = 0; k < 2000000; k++, n++) {
		int digits = 1 + (int)(next(&seed) % 6), exp10 = (int)(next(&seed) % 13) - 6;
		long mant = (long)(next(&seed) % 1000000) % (long)pow(10, digits);
		char text[64];
		snprintf(text, sizeof text, "%s%lde%d", next(&seed) & 1 ? "-" : "", mant,
		         exp10 - digits + 1);
		double want = strtod(text, NULL);
		if (fabs(want) < 1e-6 || fabs(want) > 1e6)
			continue;
		double got = qk_decimal((float)want);
		if (got != want && fails++ < 10)
			printf("FAIL: %s: %.17g, not %.17g\n", text, got, want);
	}
	for (int k = 0; k < 2000000; k++, n++) {
		uint32_t bits = (uint32_t)next(&seed);
		float f;
		memcpy(&f, &bits, sizeof f);
		if (!(fabsf(f) >= 1e-6f && fabsf(f) <= 1e6f))
			continue;
		if ((float)qk_decimal(f) != f && fails++ < 20)
			printf("FAIL: %.9g comes back as %.17g\n", (double)f, qk_decimal(f));
	}
	printf("%ld values, %ld failures\n", n, fails);
	return fails != 0;
}
