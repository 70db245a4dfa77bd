/* SPDX-License-Identifier: ISC */
/* hsearch_r() tables cannot grow, so the map keeps its keys and values in arrays as well and
 * rebuilds a table twice the size when one is three quarters full: every put costs amortised
 * constant time. hsearch_r() hands back the ENTRY it stored, whose data is the index of the
 * key in those arrays. */
#define _GNU_SOURCE /* hsearch_r */
#include "names.h"

#include <search.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct qk_names {
	struct hsearch_data *table; /* a pointer, so that lookups work on a const map */
	size_t cap;                 /* the table's size, as given to hcreate_r() */
	const char **keys;
	size_t *values;
	size_t n, n_cap;
};

static int
make_table(qk_names *m, size_t cap)
{
	struct hsearch_data *t = calloc(1, sizeof *t);
	if (!t || !hcreate_r(cap, t)) {
		free(t);
		return -1;
	}
	for (size_t i = 0; i < m->n; i++) {
		ENTRY e = {(char *)m->keys[i], (void *)(uintptr_t)i}, *r;
		if (!hsearch_r(e, ENTER, &r, t)) {
			hdestroy_r(t);
			free(t);
			return -1;
		}
	}
	if (m->table) {
		hdestroy_r(m->table);
		free(m->table);
	}
	m->table = t;
	m->cap = cap;
	return 0;
}

qk_names *
qk_names_new(void)
{
	qk_names *m = calloc(1, sizeof *m);
	if (m && make_table(m, 64) != 0) {
		free(m);
		m = NULL;
	}
	return m;
}

void
qk_names_free(qk_names *m)
{
	if (!m)
		return;
	if (m->table) {
		hdestroy_r(m->table);
		free(m->table);
	}
	free(m->keys);
	free(m->values);
	free(m);
}

int
qk_names_put(qk_names *m, const char *key, size_t value, size_t *existing)
{
	size_t found;
	if (qk_names_get(m, key, &found) == 0) {
		if (existing)
			*existing = found;
		return 1;
	}
	if (m->n == m->n_cap) {
		size_t cap = m->n_cap ? m->n_cap * 2 : 16;
		const char **k = realloc(m->keys, cap * sizeof *k);
		if (!k)
			return -1;
		m->keys = k;
		size_t *v = realloc(m->values, cap * sizeof *v);
		if (!v)
			return -1;
		m->values = v;
		m->n_cap = cap;
	}
	if ((m->n + 1) * 4 > m->cap * 3 && make_table(m, m->cap * 2) != 0)
		return -1;
	ENTRY e = {(char *)key, (void *)(uintptr_t)m->n}, *r;
	if (!hsearch_r(e, ENTER, &r, m->table))
		return -1;
	m->keys[m->n] = key;
	m->values[m->n++] = value;
	return 0;
}

int
qk_names_get(const qk_names *m, const char *key, size_t *value)
{
	ENTRY e = {(char *)key, NULL}, *r;
	if (!m || !hsearch_r(e, FIND, &r, m->table))
		return -1;
	*value = m->values[(uintptr_t)r->data];
	return 0;
}

int
qk_names_get_n(const qk_names *m, const char *key, size_t len, size_t *value)
{
	char small[256];
	char *k = len < sizeof small ? small : malloc(len + 1);
	if (!k)
		return -1;
	memcpy(k, key, len);
	k[len] = '\0';
	int rc = qk_names_get(m, k, value);
	if (k != small)
		free(k);
	return rc;
}

size_t
qk_names_count(const qk_names *m)
{
	return m ? m->n : 0;
}
