/* SPDX-License-Identifier: ISC */
/* Writing the graph outputs with libsndfile, all-or-nothing: each output goes to a temporary
 * file beside its final name and is renamed into place only when every output is complete, so
 * an error or an interrupted render never leaves a truncated file under a final name. */
#ifndef QK_WAVOUT_H
#define QK_WAVOUT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

typedef struct qk_wavout qk_wavout;

typedef enum { QK_FMT_WAV, QK_FMT_FLAC } qk_format;
typedef enum { QK_SUB_FLOAT, QK_SUB_DOUBLE, QK_SUB_PCM16, QK_SUB_PCM24 } qk_subtype;

/* Parses "wav"/"flac" and "float"/"double"/"pcm16"/"pcm24". 0 on success. */
int qk_format_parse(const char *text, qk_format *out);
int qk_subtype_parse(const char *text, qk_subtype *out);
const char *qk_format_ext(qk_format f);

/* The libsndfile format of an output of `frames` mono frames: WAV while its data fits the 32-bit
 * sizes of a RIFF header, RF64 (EBU Tech 3306, the WAV with 64-bit sizes) beyond, so a render
 * of more than 4 GiB is not cut to its size modulo 4 GiB in the header; FLAC as asked. Small
 * files stay plain WAV, byte for byte what they were. */
int qk_wav_sf_format(qk_format fmt, qk_subtype sub, uint64_t frames);

/* Opens temporary files for outputs names[0..n) in dir (created if missing), for renders of
 * `frames` frames (which decides WAV or RF64). On error writes a message into err and returns
 * NULL, with nothing left behind. */
qk_wavout *qk_wavout_open(const char *dir, const char *const *names, size_t n, int rate,
                          qk_format fmt, qk_subtype sub, uint64_t frames, char *err,
                          size_t err_len);

/* Appends frames to output i. 0 on success. */
int qk_wavout_write(qk_wavout *w, size_t i, const float *data, uint32_t frames, char *err,
                    size_t err_len);

/* Closes every file and renames each to its final name. 0 on success; on error nothing is
 * renamed that was not already. When *stop (if stop is not NULL) is set by the time the files
 * are closed and on disk (which takes seconds for big files), nothing is renamed either and
 * err says "interrupted". Frees w either way. */
int qk_wavout_commit(qk_wavout *w, const volatile sig_atomic_t *stop, char *err, size_t err_len);

/* Closes and deletes every temporary file, and frees w. */
void qk_wavout_abort(qk_wavout *w);

/* The final path of output i. */
const char *qk_wavout_path(const qk_wavout *w, size_t i);

#endif
