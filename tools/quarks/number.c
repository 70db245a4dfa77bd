/* SPDX-License-Identifier: ISC */
#include "number.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Parses the leading number of text; *end points past it. Leading blanks are not accepted
 * (strtod would skip them) so that a number is exactly one token. */
static int
leading_number(const char *text, double *out, const char **end)
{
	if (text[0] == '\0' || text[0] == ' ' || text[0] == '\t')
		return -1;
	/* strtod also reads "inf", "nan" and hex floats; graph files use plain decimals only. */
	for (const char *p = text; *p && !strchr("smHz", *p); p++)
		if (!strchr("0123456789+-.eE", *p))
			return -1;
	char *e;
	errno = 0;
	double v = strtod(text, &e);
	if (e == text || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	*end = e;
	return 0;
}

int
qk_parse_number(const char *text, double *out)
{
	const char *end;
	if (leading_number(text, out, &end) != 0 || *end != '\0')
		return -1;
	return 0;
}

int
qk_parse_time(const char *text, double rate, double *samples)
{
	double v;
	const char *end;
	if (leading_number(text, &v, &end) != 0)
		return -1;
	if (*end == '\0' || strcmp(end, "s") == 0)
		v *= rate;
	else if (strcmp(end, "ms") == 0)
		v *= rate / 1000.0;
	else if (strcmp(end, "smp") != 0)
		return -1;
	if (!isfinite(v))
		return -1;
	*samples = v;
	return 0;
}

int
qk_parse_freq(const char *text, double *hz)
{
	double v;
	const char *end;
	if (leading_number(text, &v, &end) != 0)
		return -1;
	if (*end != '\0' && strcmp(end, "Hz") != 0)
		return -1;
	*hz = v;
	return 0;
}
