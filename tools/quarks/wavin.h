/* SPDX-License-Identifier: ISC */
/* Reading one channel of a sound file (any format libsndfile reads) into memory. */
#ifndef QK_WAVIN_H
#define QK_WAVIN_H

#include <stddef.h>
#include <stdint.h>

/* Loads channel (1-based) of path, which must be at the given sample rate. On error writes a
 * message without file or line into err and returns -1. A file shorter than its header says
 * (a truncated WAV, RF64 or AIFF) is an error, not a shorter signal. */
int qk_wav_load(const char *path, int channel, double rate, float **data, uint64_t *frames,
                char *err, size_t err_len);

/* The checks of qk_wav_load() that need no sample rate: the file opens as sound, has the
 * channel and is complete. Reads the header only. */
int qk_wav_check(const char *path, int channel, char *err, size_t err_len);

/* Whether the file at path holds less audio than its header promises: the data chunk of a
 * RIFF/RIFX WAV, RF64/BW64 (its ds64 size) or AIFF/AIFC file runs past the end of the file.
 * 1 and the sizes in bytes when it does, 0 when it does not or the file is of another kind
 * (libsndfile reads those to their end and says when they are cut short), -1 when it cannot be
 * read. A size written as "unknown" by a streaming writer (0 or 0xFFFFFFFF) is not a promise. */
int qk_wav_truncated(const char *path, uint64_t *promised, uint64_t *present);

#endif
