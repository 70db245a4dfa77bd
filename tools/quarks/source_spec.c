/* SPDX-License-Identifier: ISC */
/* Source kinds and their settings (docs/graph.md, "Sources"). */
#define _POSIX_C_SOURCE 200809L
#include "source_spec.h"

#include "number.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef enum { V_NUMBER, V_TIME, V_FREQ, V_FRACTION, V_SEED, V_CHANNEL, V_PATH, V_FLAG } value_type;

typedef struct {
	const char *key;
	value_type type;
	int required;
} key_spec;

typedef struct {
	const char *kind;
	qk_source_kind source_kind;
	int is_file;
	key_spec keys[6];
} kind_spec;

static const kind_spec kinds[] = {
        {"constant", QK_SRC_CONSTANT, 0, {{"value", V_NUMBER, 1}}},
        {"pulse",
         QK_SRC_PULSE,
         0,
         {{"period", V_TIME, 1},
          {"duty", V_FRACTION, 0},
          {"phase", V_NUMBER, 0},
          {"low", V_NUMBER, 0},
          {"high", V_NUMBER, 0}}},
        /* `square` is the name modular synths use for the same wave. */
        {"square",
         QK_SRC_PULSE,
         0,
         {{"period", V_TIME, 1},
          {"duty", V_FRACTION, 0},
          {"phase", V_NUMBER, 0},
          {"low", V_NUMBER, 0},
          {"high", V_NUMBER, 0}}},
        {"sine",
         QK_SRC_SINE,
         0,
         {{"freq", V_FREQ, 1},
          {"phase", V_NUMBER, 0},
          {"amp", V_NUMBER, 0},
          {"offset", V_NUMBER, 0}}},
        {"ramp",
         QK_SRC_RAMP,
         0,
         {{"period", V_TIME, 1},
          {"phase", V_NUMBER, 0},
          {"from", V_NUMBER, 0},
          {"to", V_NUMBER, 0}}},
        {"noise",
         QK_SRC_NOISE,
         0,
         {{"seed", V_SEED, 0}, {"amp", V_NUMBER, 0}, {"offset", V_NUMBER, 0}}},
        {"file",
         QK_SRC_CONSTANT,
         1,
         {{"path", V_PATH, 1}, {"channel", V_CHANNEL, 0}, {"loop", V_FLAG, 0}}},
};

enum { N_KINDS = sizeof kinds / sizeof kinds[0] };

static const char *
type_hint(value_type t)
{
	switch (t) {
	case V_TIME: return "a duration such as 0.5, 0.5s, 500ms or 24000smp, greater than 0";
	case V_FREQ: return "a frequency such as 440 or 440Hz";
	case V_FRACTION: return "a number from 0 to 1";
	case V_SEED: return "a whole number from 0 to 18446744073709551615";
	case V_CHANNEL: return "a channel number from 1";
	case V_FLAG: return "yes or no (1 or 0)";
	default: return "a number";
	}
}

static int
parse_seed(const char *s, uint64_t *out)
{
	if (!*s)
		return -1;
	for (const char *c = s; *c; c++)
		if (*c < '0' || *c > '9')
			return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno == ERANGE || *end)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* Stores one setting's value into spec. */
static int
set_value(qk_source_spec *spec, const char *key, value_type t, const char *text, double rate)
{
	double v = 0.0;
	qk_source *s = &spec->source;
	switch (t) {
	case V_NUMBER:
	case V_FRACTION:
		if (qk_parse_number(text, &v) != 0 || (t == V_FRACTION && (v < 0.0 || v > 1.0)))
			return -1;
		break;
	case V_TIME:
		if (qk_parse_time(text, rate, &v) != 0 || !(v > 0.0))
			return -1;
		break;
	case V_FREQ:
		if (qk_parse_freq(text, &v) != 0)
			return -1;
		v /= rate;
		break;
	case V_SEED: return parse_seed(text, &s->seed);
	case V_CHANNEL:
		if (qk_parse_number(text, &v) != 0 || v < 1.0 || v > 1024.0 || v != (double)(int)v)
			return -1;
		spec->channel = (int)v;
		return 0;
	case V_PATH: return 0; /* resolved by the caller */
	case V_FLAG:
		if (!strcmp(text, "yes") || !strcmp(text, "1"))
			spec->loop = 1;
		else if (!strcmp(text, "no") || !strcmp(text, "0"))
			spec->loop = 0;
		else
			return -1;
		return 0;
	}
	if (!strcmp(key, "value"))
		s->value = v;
	else if (!strcmp(key, "period"))
		s->period = v;
	else if (!strcmp(key, "duty"))
		s->duty = v;
	else if (!strcmp(key, "phase"))
		s->phase = v;
	else if (!strcmp(key, "low"))
		s->low = v;
	else if (!strcmp(key, "high"))
		s->high = v;
	else if (!strcmp(key, "freq"))
		s->freq = v;
	else if (!strcmp(key, "amp"))
		s->amp = v;
	else if (!strcmp(key, "offset"))
		s->offset = v;
	else if (!strcmp(key, "from"))
		s->from = v;
	else if (!strcmp(key, "to"))
		s->to = v;
	return 0;
}

static char *
resolve_path(const qk_graph *g, const char *path)
{
	if (path[0] == '/' || strcmp(g->dir, ".") == 0)
		return strdup(path);
	size_t n = strlen(g->dir) + strlen(path) + 2;
	char *r = malloc(n);
	if (r) {
		strcpy(r, g->dir);
		strcat(r, "/");
		strcat(r, path);
	}
	return r;
}

static void
list_keys(const kind_spec *k, char *out, size_t cap)
{
	out[0] = '\0';
	for (size_t i = 0; i < 6 && k->keys[i].key; i++) {
		if (i)
			strncat(out, ", ", cap - strlen(out) - 1);
		strncat(out, k->keys[i].key, cap - strlen(out) - 1);
	}
}

int
qk_source_spec_parse(const qk_graph *g, const qk_decl *decl, double rate, qk_source_spec *out,
                     qk_diag *d)
{
	memset(out, 0, sizeof *out);
	const kind_spec *k = NULL;
	for (size_t i = 0; i < N_KINDS; i++)
		if (strcmp(kinds[i].kind, decl->type) == 0)
			k = &kinds[i];
	if (!k)
		return qk_fail(d, g->path, decl->line,
		               "unknown source kind '%s' (kinds: constant, pulse "
		               "or square, sine, ramp, noise, file)",
		               decl->type);
	out->is_file = k->is_file;
	out->source = qk_source_make(k->source_kind);
	out->channel = 1;
	char keys[128];
	list_keys(k, keys, sizeof keys);
	for (size_t i = 0; i < decl->n_settings; i++) {
		const qk_setting *s = &decl->settings[i];
		const key_spec *ks = NULL;
		for (size_t j = 0; j < 6 && k->keys[j].key; j++)
			if (strcmp(k->keys[j].key, s->key) == 0)
				ks = &k->keys[j];
		int rc = 0;
		if (!ks)
			rc = qk_fail(d, g->path, s->line,
			             "a %s source has no setting '%s' (settings: %s)", k->kind,
			             s->key, keys);
		else if (set_value(out, s->key, ks->type, s->value, rate) != 0)
			rc = qk_fail(d, g->path, s->line, "malformed %s '%s': expected %s", s->key,
			             s->value, type_hint(ks->type));
		else if (ks->type == V_PATH) {
			free(out->path); /* a repeated path= replaces the earlier one */
			if (!(out->path = resolve_path(g, s->value)))
				rc = qk_fail(d, g->path, s->line, "out of memory");
		}
		if (rc != 0) { /* nothing stays allocated on error */
			free(out->path);
			out->path = NULL;
			return rc;
		}
	}
	for (size_t j = 0; j < 6 && k->keys[j].key; j++) {
		if (!k->keys[j].required)
			continue;
		int found = 0;
		for (size_t i = 0; i < decl->n_settings; i++)
			found |= strcmp(decl->settings[i].key, k->keys[j].key) == 0;
		if (!found) {
			free(out->path);
			out->path = NULL;
			return qk_fail(d, g->path, decl->line, "a %s source needs %s=", k->kind,
			               k->keys[j].key);
		}
	}
	return 0;
}
