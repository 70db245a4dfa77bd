/* SPDX-License-Identifier: ISC */
/* The bundle's base URI for the tests and benchmarks: every plugin of the bundle is this plus
 * its short name, and the tests enumerate the bundle as the plugins whose URI starts with it.
 * It is written once, in meson.build, and reaches C through config.h. */
#ifndef QK_TEST_BASE_URI_H
#define QK_TEST_BASE_URI_H

#include "config.h"

#define QK_TEST_BASE_URI QK_URI

#endif
