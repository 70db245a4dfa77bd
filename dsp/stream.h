/* Streams that a host left unconnected read as the identity of what they
 * feed: 0 for a stream that is added, 1 for a gate that multiplies. The
 * kernels work in chunks of QK_CHUNK frames so that an unconnected stream can
 * point into one of these constant blocks, whatever the host's block size. */
#ifndef QK_STREAM_H
#define QK_STREAM_H

#include <stdint.h>

#define QK_CHUNK 256u

extern const float qk_zeros[QK_CHUNK];
extern const float qk_ones[QK_CHUNK];

/* The chunk of stream s that starts at frame offset, or the identity block. */
static inline const float *
qk_stream(const float *s, uint32_t offset, const float *identity)
{
	return s ? s + offset : identity;
}

/* The chunks of n streams at offset, each read as identity if unconnected. */
static inline void
qk_streams(const float *const s[], uint32_t n, uint32_t offset,
           const float *identity, const float *chunk[])
{
	for (uint32_t i = 0; i < n; ++i) {
		chunk[i] = qk_stream(s[i], offset, identity);
	}
}

static inline uint32_t
qk_chunk_len(uint32_t n, uint32_t offset)
{
	return (n - offset < QK_CHUNK) ? n - offset : QK_CHUNK;
}

#endif
