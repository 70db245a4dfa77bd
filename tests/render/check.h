/* SPDX-License-Identifier: ISC */
/* CHECK(cond, fmt, ...): counts a failed expectation in the test's `failures` and says where,
 * without stopping, so one run reports every mismatch. Shared by the renderer's unit tests. */
#ifndef QK_TEST_CHECK_H
#define QK_TEST_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond, ...)                                                \
	do {                                                            \
		if (!(cond)) {                                          \
			failures++;                                     \
			fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                   \
			fputc('\n', stderr);                            \
		}                                                       \
	} while (0)

#endif
