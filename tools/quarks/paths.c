/* SPDX-License-Identifier: ISC */
#define _DEFAULT_SOURCE /* realpath */
#include "paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
	int exists;
	dev_t dev;
	ino_t ino;
	char *canon; /* where it does not exist: the absolute path it will have */
} file_id;

/* The absolute form of a path that does not exist (yet): the real path of its nearest
 * existing ancestor, then the remaining names with "." and ".." applied as written, as
 * mkdir -p and the rename into place will meet them. */
static char *
canonical(const char *path)
{
	size_t len = strlen(path);
	char *head = malloc(len + 3);
	if (!head)
		return NULL;
	/* A relative path starts from ".", which exists. */
	snprintf(head, len + 3, "%s%s", path[0] == '/' ? "" : "./", path);
	char *cut = head + strlen(head), *real = NULL;
	for (;;) {
		while (cut > head && *cut != '/')
			cut--;
		if (cut == head) { /* "/" itself */
			real = strdup("/");
			break;
		}
		*cut = '\0';
		real = realpath(head[0] ? head : "/", NULL);
		*cut = '/';
		if (real)
			break;
		cut--;
	}
	if (!real) {
		free(head);
		return NULL;
	}
	const char *rest = cut + 1;
	char *out = malloc(strlen(real) + strlen(rest) + 2);
	if (!out) {
		free(real);
		free(head);
		return NULL;
	}
	strcpy(out, strcmp(real, "/") == 0 ? "" : real);
	free(real);
	while (*rest) {
		size_t n = strcspn(rest, "/");
		if (n == 2 && strncmp(rest, "..", 2) == 0) {
			char *slash = strrchr(out, '/');
			if (slash)
				*slash = '\0';
		} else if (n > 0 && !(n == 1 && rest[0] == '.')) {
			strcat(out, "/");
			strncat(out, rest, n);
		}
		rest += n + (rest[n] == '/');
	}
	if (!out[0])
		strcpy(out, "/");
	free(head);
	return out;
}

static void
identify(const char *path, file_id *id)
{
	struct stat st;
	memset(id, 0, sizeof *id);
	if (stat(path, &st) == 0) { /* follows symbolic links: a link to the graph is the graph */
		id->exists = 1;
		id->dev = st.st_dev;
		id->ino = st.st_ino;
	} else {
		id->canon = canonical(path);
	}
}

static int
same(const file_id *a, const file_id *b)
{
	if (a->exists || b->exists)
		return a->exists && b->exists && a->dev == b->dev && a->ino == b->ino;
	return a->canon && b->canon && strcmp(a->canon, b->canon) == 0;
}

int
qk_same_file(const char *a, const char *b)
{
	file_id x, y;
	identify(a, &x);
	identify(b, &y);
	int r = same(&x, &y);
	free(x.canon);
	free(y.canon);
	return r;
}

int
qk_check_outputs(const qk_path_role *inputs, size_t n_inputs, const qk_path_role *outputs,
                 size_t n_outputs, char *err, size_t err_len)
{
	size_t n = n_inputs + n_outputs;
	file_id *ids = calloc(n ? n : 1, sizeof *ids);
	if (!ids) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n_inputs; i++)
		identify(inputs[i].path, &ids[i]);
	for (size_t i = 0; i < n_outputs; i++)
		identify(outputs[i].path, &ids[n_inputs + i]);
	int rc = 0;
	for (size_t o = 0; o < n_outputs && rc == 0; o++) {
		const file_id *out = &ids[n_inputs + o];
		for (size_t i = 0; i < n_inputs && rc == 0; i++)
			if (same(out, &ids[i])) {
				snprintf(
				        err, err_len,
				        "%s '%s' is %s '%s': an output must not overwrite an input "
				        "(choose another path)",
				        outputs[o].what, outputs[o].path, inputs[i].what,
				        inputs[i].path);
				rc = -1;
			}
		for (size_t k = 0; k < o && rc == 0; k++)
			if (same(out, &ids[n_inputs + k])) {
				snprintf(
				        err, err_len,
				        "%s '%s' is the same file as %s ('%s'): two outputs cannot "
				        "share a file (choose another path)",
				        outputs[o].what, outputs[o].path, outputs[k].what,
				        outputs[k].path);
				rc = -1;
			}
	}
	for (size_t i = 0; i < n; i++)
		free(ids[i].canon);
	free(ids);
	return rc;
}
