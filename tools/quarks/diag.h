/* SPDX-License-Identifier: ISC */
/* Error messages: the first error found, as "file:line: message", carried back to main(), which
 * prints it. No global error state: each caller owns its qk_diag. */
#ifndef QK_DIAG_H
#define QK_DIAG_H

typedef struct {
	char msg[1024];
} qk_diag;

/* Formats "file:line: message" into d (line 0 leaves the line out). Always returns -1, so
 * callers can write `return qk_fail(d, ...)`. */
int qk_fail(qk_diag *d, const char *file, int line, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

#endif
