/* SPDX-License-Identifier: ISC */
#define _POSIX_C_SOURCE 200809L
#include "carla_audiofile.h"

#include "number.h"

#include <libxml/tree.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const xmlNode *
child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

/* The trimmed text of child `name` (malloc'd), or NULL. */
static char *
text_of(const xmlNode *n, const char *name)
{
	const xmlNode *c = child(n, name);
	if (!c)
		return NULL;
	xmlChar *t = xmlNodeGetContent(c);
	const char *s = t ? (const char *)t : "";
	while (*s && strchr(" \t\r\n", *s))
		s++;
	size_t len = strlen(s);
	while (len && strchr(" \t\r\n", s[len - 1]))
		len--;
	char *out = strndup(s, len);
	xmlFree(t);
	return out;
}

/* The player's parameters by <Index> (Carla saves no symbols for internal plugins), or by
 * <Name>. */
static int
read_parameter(const char *path, const xmlNode *par, qk_carla_audiofile *a, qk_diag *d)
{
	static const char *const names[] = {"Loop Mode", "Host Sync", "Volume", "Enabled",
	                                    "Quad Channels"};
	char *index = text_of(par, "Index"), *name = text_of(par, "Name"),
	     *value = text_of(par, "Value");
	double v, ix;
	int k = -1, rc = 0;
	if (index && qk_parse_number(index, &ix) == 0 && ix >= 0 && ix < 5 && ix == (int)ix)
		k = (int)ix;
	for (int i = 0; k < 0 && name && i < 5; i++)
		if (strcmp(name, names[i]) == 0)
			k = i;
	if (!value || qk_parse_number(value, &v) != 0)
		rc = qk_fail(d, path, (int)xmlGetLineNo(par),
		             "parameter without a numeric <Value>%s%s", value ? ": " : "",
		             value ? value : "");
	else if (k == 0)
		a->loop = v >= 0.5;
	else if (k == 1)
		a->host_sync = v >= 0.5;
	else if (k == 2)
		a->volume = (float)v;
	else if (k == 3)
		a->enabled = v >= 0.5;
	else if (k == 4)
		a->quad = v >= 0.5;
	free(index), free(name), free(value);
	return rc;
}

int
qk_carla_audiofile_read(const char *path, const char *dir, const xmlNode *plugin, char *name,
                        qk_carla_audiofile *out, qk_diag *d)
{
	/* The player's own defaults (Carla 2.6): looping, host-synced, 100 %, enabled. */
	*out = (qk_carla_audiofile){.name = name,
	                            .loop = 1,
	                            .host_sync = 1,
	                            .enabled = 1,
	                            .volume = 100.0f,
	                            .line = (int)xmlGetLineNo(plugin)};
	const xmlNode *data = child(plugin, "Data");
	for (const xmlNode *c = data ? data->children : NULL; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, "Parameter") == 0 &&
		    read_parameter(path, c, out, d) != 0)
			return -1;
		if (strcmp((const char *)c->name, "CustomData") != 0)
			continue;
		char *key = text_of(c, "Key");
		if (key && strcmp(key, "file") == 0) {
			free(out->path);
			out->path = text_of(c, "Value");
		}
		free(key);
	}
	if (!out->path || !out->path[0])
		return qk_fail(d, path, out->line,
		               "'%s': Carla's audio file player has no file "
		               "(<CustomData> with the key 'file')",
		               name);
	if (out->host_sync)
		return qk_fail(
		        d, path, out->line,
		        "'%s': Carla's audio file player with Host Sync on "
		        "plays only while Carla's transport rolls: not rendered (turn Host Sync "
		        "off)",
		        name);
	if (out->quad)
		return qk_fail(d, path, out->line,
		               "'%s': the audio file player's Quad Channels mode is "
		               "not rendered",
		               name);
	char *full = NULL;
	if (out->path[0] != '/' && (full = malloc(strlen(dir) + strlen(out->path) + 2)))
		sprintf(full, "%s/%s", dir, out->path);
	SF_INFO info = {0};
	SNDFILE *f = sf_open(full ? full : out->path, SFM_READ, &info);
	free(full);
	if (!f)
		return qk_fail(d, path, out->line, "'%s': cannot read '%s': %s", name, out->path,
		               sf_strerror(NULL));
	sf_close(f);
	if (info.channels > 2)
		return qk_fail(d, path, out->line,
		               "'%s': '%s' has %d channels; Carla plays 1 or 2 "
		               "(4 with Quad Channels)",
		               name, out->path, info.channels);
	out->channels = info.channels;
	out->rate = info.samplerate;
	return 0;
}

void
qk_carla_audiofile_free(qk_carla_audiofile *a)
{
	free(a->name);
	free(a->path);
}
