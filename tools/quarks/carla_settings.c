/* SPDX-License-Identifier: ISC */
/* Carla's per-plugin settings (carla_settings.h): reading them and applying them. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* M_PI */
#include "carla_settings.h"

#include "number.h"

#include <libxml/tree.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct qk_host_post {
	qk_host_settings s;
	float a0, b1, z;      /* an audio file player's smoother */
	int dry_wet, balance; /* what Carla applies to this plugin */
	const float **ins;
	float **outs;
	uint32_t n_in, n_out;
	float *left; /* an even output before its balance */
};

/* Carla's hints (CarlaPluginLV2::reload): which settings it offers a plugin. */
static int
offers_dry_wet(uint32_t n_in, uint32_t n_out)
{
	return n_out > 0 && (n_in == n_out || n_in == 1);
}

static int
offers_balance(uint32_t n_out)
{
	return n_out >= 2 && n_out % 2 == 0;
}

static float
clamp(float v, float lo, float hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The trimmed text of an element, malloc'd. */
static char *
text_of(const xmlNode *n)
{
	xmlChar *t = xmlNodeGetContent(n);
	const char *s = t ? (const char *)t : "";
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t len = strlen(s);
	while (len && strchr(" \t\n\r", s[len - 1]))
		len--;
	char *out = strndup(s, len);
	xmlFree(t);
	return out;
}

/* Carla reads <Options> with water's getHexValue32: hexadecimal digits, anything else skipped
 * (so "0x2" is 2). */
static unsigned
hex_value(const char *s)
{
	unsigned v = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++) {
		int d = *s >= '0' && *s <= '9'   ? *s - '0'
		        : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
		        : *s >= 'A' && *s <= 'F' ? *s - 'A' + 10
		                                 : -1;
		if (d >= 0)
			v = v * 16u + (unsigned)d;
	}
	return v;
}

int
qk_carla_settings_read(const char *path, const xmlNode *data, qk_host_settings **out, qk_diag *d)
{
	qk_host_settings *s = malloc(sizeof *s);
	*out = NULL;
	if (!s)
		return qk_fail(d, path, data ? (int)xmlGetLineNo(data) : 0, "out of memory");
	/* Carla's defaults (CarlaStateSave): without <Active>Yes</Active> a plugin stays off. */
	*s = (qk_host_settings){.active = 0,
	                        .volume = 1.0f,
	                        .dry_wet = 1.0f,
	                        .balance_left = -1.0f,
	                        .balance_right = 1.0f,
	                        .panning = 0.0f};
	static const struct {
		const char *tag;
		float lo, hi;
		size_t offset;
	} numbers[] = {
	        {"Volume", 0.0f, 1.27f, offsetof(qk_host_settings, volume)},
	        {"DryWet", 0.0f, 1.0f, offsetof(qk_host_settings, dry_wet)},
	        {"Balance-Left", -1.0f, 1.0f, offsetof(qk_host_settings, balance_left)},
	        {"Balance-Right", -1.0f, 1.0f, offsetof(qk_host_settings, balance_right)},
	        {"Panning", -1.0f, 1.0f, offsetof(qk_host_settings, panning)},
	};
	for (const xmlNode *c = data ? data->children : NULL; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const char *tag = (const char *)c->name;
		char *text = text_of(c);
		int rc = text ? 0 : qk_fail(d, path, (int)xmlGetLineNo(c), "out of memory");
		if (rc == 0 && strcmp(tag, "Active") == 0)
			s->active = strcmp(text, "Yes") == 0;
		else if (rc == 0 && strcmp(tag, "Options") == 0)
			s->options = hex_value(text);
		for (size_t i = 0; rc == 0 && i < sizeof numbers / sizeof numbers[0]; i++) {
			double v;
			if (strcmp(tag, numbers[i].tag) != 0)
				continue;
			if (qk_parse_number(text, &v) != 0)
				rc = qk_fail(d, path, (int)xmlGetLineNo(c),
				             "malformed number '%s' in <%s>", text, tag);
			else /* Carla: a float, then clamped (carla_fixedValue) */
				*(float *)((char *)s + numbers[i].offset) =
				        clamp((float)v, numbers[i].lo, numbers[i].hi);
		}
		free(text);
		if (rc != 0) {
			free(s);
			return -1;
		}
	}
	*out = s;
	return 0;
}

void
qk_carla_settings_notes(const qk_host_settings *s, const char *instance, uint32_t n_in,
                        uint32_t n_out, FILE *notes)
{
	if (s->dry_wet != 1.0f && !offers_dry_wet(n_in, n_out))
		fprintf(notes,
		        "note: '%s': <DryWet> %g has no effect in Carla on a plugin with %u audio "
		        "inputs and %u outputs (they do not pair up): ignored\n",
		        instance, (double)s->dry_wet, n_in, n_out);
	if ((s->balance_left != -1.0f || s->balance_right != 1.0f) && !offers_balance(n_out))
		fprintf(notes,
		        "note: '%s': <Balance-Left/Right> have no effect in Carla on a plugin with "
		        "%u audio outputs (not an even number): ignored\n",
		        instance, n_out);
	if (s->panning != 0.0f)
		fprintf(notes,
		        "note: '%s': <Panning> has no effect on an LV2 plugin in Carla 2.6: "
		        "ignored\n",
		        instance);
}

int
qk_host_post_new(const qk_host_settings *s, const float *const *ins, uint32_t n_in,
                 float *const *outs, uint32_t n_out, uint32_t max_block, qk_host_post **out)
{
	*out = NULL;
	int dry_wet = offers_dry_wet(n_in, n_out) && s->dry_wet != 1.0f;
	int balance =
	        offers_balance(n_out) && !(s->balance_left == -1.0f && s->balance_right == 1.0f);
	if (s->active && !dry_wet && !balance && (s->volume == 1.0f || n_out == 0))
		return 0; /* Carla's volume of 1 multiplies by 1: every sample stays as it is */
	qk_host_post *p = calloc(1, sizeof *p);
	if (!p)
		return -1;
	p->s = *s;
	p->dry_wet = dry_wet;
	p->balance = balance;
	p->n_in = n_in;
	p->n_out = n_out;
	p->ins = calloc(n_in ? n_in : 1, sizeof *p->ins);
	p->outs = calloc(n_out ? n_out : 1, sizeof *p->outs);
	p->left = balance ? calloc(max_block, sizeof *p->left) : NULL;
	if (!p->ins || !p->outs || (balance && !p->left)) {
		qk_host_post_free(p);
		return -1;
	}
	for (uint32_t i = 0; i < n_in; i++)
		p->ins[i] = ins[i];
	for (uint32_t i = 0; i < n_out; i++)
		p->outs[i] = outs[i];
	*out = p;
	return 0;
}

int
qk_host_post_new_file(const qk_host_settings *s, float *out, double rate, qk_host_post **post)
{
	qk_host_post *p = calloc(1, sizeof *p);
	*post = p;
	if (!p || !(p->outs = calloc(1, sizeof *p->outs))) {
		free(p);
		*post = NULL;
		return -1;
	}
	p->s = *s;
	p->s.active = 1;
	p->outs[0] = out;
	p->n_out = 1;
	/* Carla's VolumeFilter, in its float operations and order. */
	const float pi = (float)M_PI, frequency = 30.0f / (float)rate;
	p->b1 = expf(-2.f * pi * frequency);
	p->a0 = 1.f - p->b1;
	p->z = 0.0f;
	return 0;
}

int
qk_host_post_runs_plugin(const qk_host_post *p)
{
	return p->s.active;
}

void
qk_host_post_run(qk_host_post *p, uint32_t n)
{
	if (!p->s.active) {
		for (uint32_t i = 0; i < p->n_out; i++)
			memset(p->outs[i], 0, n * sizeof *p->outs[i]);
		return;
	}
	if (p->s.audiofile) {
		float *o = p->outs[0], z = p->z;
		const float gain = p->s.file_gain, a0 = p->a0, b1 = p->b1;
		for (uint32_t k = 0; k < n; k++) {
			z = gain * a0 + z * b1;
			o[k] *= z;
		}
		p->z = z;
		return;
	}
	const float dw = p->s.dry_wet, dry = 1.0f - p->s.dry_wet, volume = p->s.volume;
	const float bl = (p->s.balance_left + 1.0f) / 2.0f;
	const float br = (p->s.balance_right + 1.0f) / 2.0f;
	for (uint32_t i = 0; i < p->n_out; i++) {
		float *o = p->outs[i];
		if (p->dry_wet) {
			const float *in = p->ins[p->n_in == 1 ? 0 : i];
			for (uint32_t k = 0; k < n; k++)
				o[k] = o[k] * dw + in[k] * dry;
		}
		if (p->balance) {
			if (i % 2 == 0) {
				const float *right = p->outs[i + 1];
				memcpy(p->left, o, n * sizeof *o);
				for (uint32_t k = 0; k < n; k++)
					o[k] = p->left[k] * (1.0f - bl) + right[k] * (1.0f - br);
			} else {
				for (uint32_t k = 0; k < n; k++)
					o[k] = o[k] * br + p->left[k] * bl;
			}
		}
		for (uint32_t k = 0; k < n; k++)
			o[k] *= volume;
	}
}

void
qk_host_post_free(qk_host_post *p)
{
	if (!p)
		return;
	free(p->ins);
	free(p->outs);
	free(p->left);
	free(p);
}
