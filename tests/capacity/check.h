/* SPDX-License-Identifier: ISC */
/* Minimal assertion helper shared by the capacity tests: prints every check, counts failures. */
#ifndef CAP_TEST_CHECK_H
#define CAP_TEST_CHECK_H

#include <stdio.h>

typedef struct checker {
	int failed, passed;
} checker;

static inline void
check(checker *c, int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
	if (ok)
		++c->passed;
	else
		++c->failed;
}

static inline int
check_done(const checker *c)
{
	printf("%d passed, %d failed\n", c->passed, c->failed);
	return c->failed ? 1 : 0;
}

#endif
