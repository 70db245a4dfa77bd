/* SPDX-License-Identifier: ISC */
/* The libFuzzer entry points, declared for the fuzz targets and for replay.c, which runs the
 * same targets as a normal program over corpus files (no libFuzzer needed). */
#ifndef QK_FUZZ_H
#define QK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
