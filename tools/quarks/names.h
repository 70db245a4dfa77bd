/* SPDX-License-Identifier: ISC */
/* A map from names to indices (graph declarations, engine signals and nodes, plugin ports), so
 * that looking a name up costs the same in a graph of 100,000 declarations as in one of ten.
 * Built on glibc's hsearch_r(); the keys are borrowed, not copied: they must outlive the map. */
#ifndef QK_NAMES_H
#define QK_NAMES_H

#include <stddef.h>

typedef struct qk_names qk_names;

/* An empty map, or NULL when out of memory. */
qk_names *qk_names_new(void);
void qk_names_free(qk_names *m);

/* Maps key to value unless key is already there. Returns 0 when added, 1 when the key was
 * there already (*existing, if not NULL, then holds its value), -1 when out of memory. */
int qk_names_put(qk_names *m, const char *key, size_t value, size_t *existing);

/* 0 and *value set when key is in the map, else -1. */
int qk_names_get(const qk_names *m, const char *key, size_t *value);

/* The same for the first len bytes of key ("n" of "n.w1"). */
int qk_names_get_n(const qk_names *m, const char *key, size_t len, size_t *value);

size_t qk_names_count(const qk_names *m);

#endif
