/* SPDX-License-Identifier: ISC */
/* Bitmap storage for cap_fset and the buffered, region-locked writer cap_sink. */
#include "cap_fset.h"

#include <stdlib.h>
#include <string.h>

int
cap_fset_init(cap_fset *s, unsigned n)
{
	s->n = n;
	s->nbits = (uint64_t)1 << (1u << n);
	/* At least 64 bits so that one word always exists. Regions split the index space into at
	 * most CAP_REGIONS parts and are never smaller than a word, so no two locks share a word.
	 */
	uint64_t words = s->nbits < 64 ? 1 : s->nbits / 64;
	unsigned logbits = 1u << n, logreg = 10;
	s->shift = logbits > logreg + 6 ? logbits - logreg : 6;
	s->word = calloc(words, sizeof *s->word);
	if (!s->word)
		return -1;
	for (unsigned r = 0; r < CAP_REGIONS; ++r)
		pthread_mutex_init(&s->lock[r], NULL);
	return 0;
}

void
cap_fset_free(cap_fset *s)
{
	if (!s->word)
		return;
	for (unsigned r = 0; r < CAP_REGIONS; ++r)
		pthread_mutex_destroy(&s->lock[r]);
	free(s->word);
	s->word = NULL;
}

void
cap_fset_clear(cap_fset *s)
{
	uint64_t words = s->nbits < 64 ? 1 : s->nbits / 64;
	memset(s->word, 0, words * sizeof *s->word);
}

void
cap_fset_add(cap_fset *s, cap_tt f)
{
	s->word[f >> 6] |= (uint64_t)1 << (f & 63u);
}

bool
cap_fset_has(const cap_fset *s, cap_tt f)
{
	return (s->word[f >> 6] >> (f & 63u)) & 1u;
}

uint64_t
cap_fset_count(const cap_fset *s)
{
	uint64_t words = s->nbits < 64 ? 1 : s->nbits / 64, c = 0;
	for (uint64_t i = 0; i < words; ++i)
		c += (uint64_t)__builtin_popcountll(s->word[i]);
	return c;
}

int
cap_sink_init(cap_sink *k, cap_fset *s)
{
	k->set = s;
	memset(k->fill, 0, sizeof k->fill);
	k->buf = malloc((size_t)CAP_REGIONS * CAP_SINK_SLOTS * sizeof *k->buf);
	return k->buf ? 0 : -1;
}

void
cap_sink_flush_region(cap_sink *k, unsigned r)
{
	cap_fset *s = k->set;
	const cap_tt *b = k->buf + (size_t)r * CAP_SINK_SLOTS;
	pthread_mutex_lock(&s->lock[r]);
	for (uint32_t i = 0; i < k->fill[r]; ++i)
		s->word[b[i] >> 6] |= (uint64_t)1 << (b[i] & 63u);
	pthread_mutex_unlock(&s->lock[r]);
	k->fill[r] = 0;
}

void
cap_sink_flush(cap_sink *k)
{
	for (unsigned r = 0; r < CAP_REGIONS; ++r)
		if (k->fill[r])
			cap_sink_flush_region(k, r);
}

void
cap_sink_free(cap_sink *k)
{
	free(k->buf);
	k->buf = NULL;
}
