/* SPDX-License-Identifier: ISC */
#include "decimal.h"

#include <math.h>

/* Powers of ten exact in a double (5^22 < 2^53). */
static const double pow10_exact[] = {
        1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};
enum { MAX_EXP = 22, MAX_DIGITS = 9 };

/* The decimal exponent of a > 0: 10^e <= a < 10^(e+1). */
static int
decade_of(double a)
{
	/* log10 may be off by one next to a power of ten: corrected against the exact table. */
	int e = (int)floor(log10(a));
	if (e >= 0 ? pow10_exact[e] > a : 1.0 / pow10_exact[-e] > a)
		e--;
	if (e + 1 >= 0 ? pow10_exact[e + 1] <= a : 1.0 / pow10_exact[-(e + 1)] <= a)
		e++;
	return e;
}

double
qk_decimal(float f)
{
	const double a = fabs((double)f);
	if (!(a >= 1e-13 && a <= 1e13))
		return (double)f;
	const int e = decade_of(a);
	for (int digits = 1; digits <= MAX_DIGITS; digits++) {
		/* The decimal with `digits` significant digits nearest to a: k * 10^-s. */
		const int s = digits - 1 - e;
		if (s > MAX_EXP || -s > MAX_EXP)
			break;
		const double k =
		        s >= 0 ? nearbyint(a * pow10_exact[s]) : nearbyint(a / pow10_exact[-s]);
		/* k < 10^9 and 10^|s| are exact, so one correctly rounded operation gives the
		 * double nearest to the decimal, which is what strtod() returns for it. */
		const double v = s >= 0 ? k / pow10_exact[s] : k * pow10_exact[-s];
		if ((float)v == (float)a)
			return f < 0.0f ? -v : v;
	}
	return (double)f;
}
