/* SPDX-License-Identifier: ISC */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

int
qk_fail(qk_diag *d, const char *file, int line, const char *fmt, ...)
{
	int n;
	if (line > 0)
		n = snprintf(d->msg, sizeof d->msg, "%s:%d: ", file, line);
	else
		n = snprintf(d->msg, sizeof d->msg, "%s: ", file);
	if (n < 0 || (size_t)n >= sizeof d->msg)
		n = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg + n, sizeof d->msg - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}
