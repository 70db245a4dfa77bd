/* Reading one channel of a sound file (any format libsndfile reads) into memory. */
#ifndef QK_WAVIN_H
#define QK_WAVIN_H

#include <stddef.h>
#include <stdint.h>

/* Loads channel (1-based) of path, which must be at the given sample rate. On error writes a
 * message without file or line into err and returns -1. */
int qk_wav_load(const char *path, int channel, double rate, float **data, uint64_t *frames,
                char *err, size_t err_len);

#endif
