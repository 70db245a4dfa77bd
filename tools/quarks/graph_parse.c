/* SPDX-License-Identifier: ISC */
/* The graph text parser: one statement per line (docs/graph.md). Every error names the file and
 * line, and the first error stops the parse. */
#define _POSIX_C_SOURCE 200809L
#include "graph.h"

#include "carla_import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { TOK_WORD, TOK_STRING, TOK_EQ, TOK_ARROW, TOK_COMMA } tok_type;

typedef struct {
	tok_type type;
	const char *text; /* NUL-terminated, inside the token buffer */
} token;

enum { MAX_TOKENS = 256 };

typedef struct {
	const char *path;
	int line;
	qk_diag *d;
	qk_graph *g;
} parser;

/* Splits one line into tokens, copying their text into buf (at least strlen(line) * 2 + 2
 * bytes, since every token gets its own terminator). A '#' that starts a token starts a
 * comment, so URIs with '#' inside them still work. */
static int
tokenize(parser *p, const char *s, char *buf, token *toks, size_t *n)
{
	*n = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (*s == '\0' || *s == '#')
			return 0;
		if (*n == MAX_TOKENS)
			return qk_fail(p->d, p->path, p->line, "line too long (more than %d words)",
			               MAX_TOKENS);
		token *t = &toks[(*n)++];
		t->text = buf;
		if (*s == '"') {
			t->type = TOK_STRING;
			for (s++; *s && *s != '"'; s++) {
				if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				*buf++ = *s;
			}
			if (*s != '"')
				return qk_fail(p->d, p->path, p->line,
				               "unterminated string (missing '\"')");
			s++;
		} else if (*s == '=' || *s == ',') {
			t->type = *s == '=' ? TOK_EQ : TOK_COMMA;
			*buf++ = *s++;
		} else if (s[0] == '-' && s[1] == '>') {
			t->type = TOK_ARROW;
			*buf++ = *s++;
			*buf++ = *s++;
		} else if (*s == '<') { /* <URI>, as in Turtle */
			t->type = TOK_WORD;
			for (s++; *s && *s != '>'; s++)
				*buf++ = *s;
			if (*s != '>')
				return qk_fail(p->d, p->path, p->line,
				               "unterminated <URI> (missing '>')");
			s++;
		} else {
			t->type = TOK_WORD;
			while (*s && !strchr(" \t\r=,\"", *s) && !(s[0] == '-' && s[1] == '>'))
				*buf++ = *s++;
		}
		*buf++ = '\0';
	}
}

static char *
dup(parser *p, const char *s)
{
	char *r = strdup(s);
	if (!r)
		qk_fail(p->d, p->path, p->line, "out of memory");
	return r;
}

/* Names of instances, sources, inputs and outputs: a letter or '_' then letters, digits, '_'
 * or '-'. No '.', which separates the port in an endpoint. */
static int
valid_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return 0;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

static const char *const keywords[] = {"node", "source",   "input", "output",
                                       "rate", "duration", "plot"};

static int
is_keyword(const char *s)
{
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (strcmp(s, keywords[i]) == 0)
			return 1;
	return 0;
}

static int
check_name(parser *p, const token *t, const char *what)
{
	if (t->type != TOK_WORD || !valid_name(t->text))
		return qk_fail(p->d, p->path, p->line,
		               "'%s' is not a valid %s name (letters, digits, '_' and '-', "
		               "starting with a "
		               "letter or '_')",
		               t->text, what);
	if (is_keyword(t->text))
		return qk_fail(p->d, p->path, p->line, "'%s' is a keyword and cannot name a %s",
		               t->text, what);
	return 0;
}

static int
grow(parser *p, void **arr, size_t n, size_t size)
{
	/* Grow by doubling whenever n reaches a power of two. */
	if (n != 0 && (n & (n - 1)) != 0)
		return 0;
	void *r = realloc(*arr, (n ? n * 2 : 4) * size);
	if (!r)
		return qk_fail(p->d, p->path, p->line, "out of memory");
	*arr = r;
	return 0;
}

static const char *
kind_word(qk_decl_kind k)
{
	switch (k) {
	case QK_DECL_NODE: return "node";
	case QK_DECL_SOURCE: return "source";
	case QK_DECL_INPUT: return "input";
	case QK_DECL_OUTPUT: return "output";
	}
	return "?";
}

/* key=value settings from toks[i..n). */
static int
parse_settings(parser *p, qk_decl *decl, const token *toks, size_t i, size_t n)
{
	while (i < n) {
		if (toks[i].type != TOK_WORD || i + 2 >= n + 0 || toks[i + 1].type != TOK_EQ ||
		    (toks[i + 2].type != TOK_WORD && toks[i + 2].type != TOK_STRING))
			return qk_fail(p->d, p->path, p->line,
			               "expected a setting KEY=VALUE, found '%s'", toks[i].text);
		for (size_t k = 0; k < decl->n_settings; k++)
			if (strcmp(decl->settings[k].key, toks[i].text) == 0)
				return qk_fail(p->d, p->path, p->line, "'%s' is set twice",
				               toks[i].text);
		if (grow(p, (void **)&decl->settings, decl->n_settings, sizeof *decl->settings))
			return -1;
		qk_setting *s = &decl->settings[decl->n_settings];
		s->key = dup(p, toks[i].text);
		s->value = s->key ? dup(p, toks[i + 2].text) : NULL;
		s->line = p->line;
		if (!s->value) {
			free(s->key);
			return -1;
		}
		decl->n_settings++;
		i += 3;
	}
	return 0;
}

/* node NAME = PLUGIN settings | source NAME = KIND settings | input NAME [= KIND settings] |
 * output NAME [= ENDPOINT] */
static int
parse_decl(parser *p, qk_decl_kind kind, const token *toks, size_t n)
{
	qk_graph *g = p->g;
	if (n < 2)
		return qk_fail(p->d, p->path, p->line, "'%s' needs a name", kind_word(kind));
	if (check_name(p, &toks[1], kind_word(kind)))
		return -1;
	size_t other;
	if (qk_names_get(g->index, toks[1].text, &other) == 0)
		return qk_fail(p->d, p->path, p->line, "'%s' is already declared (line %d)",
		               toks[1].text, g->decls[other].line);
	int needs_type = kind == QK_DECL_NODE || kind == QK_DECL_SOURCE;
	if (n == 2 && needs_type)
		return qk_fail(p->d, p->path, p->line, "expected '%s %s = %s'", kind_word(kind),
		               toks[1].text, kind == QK_DECL_NODE ? "PLUGIN" : "KIND");
	if (n > 2 && (toks[2].type != TOK_EQ || n == 3 || toks[3].type != TOK_WORD))
		return qk_fail(p->d, p->path, p->line, "expected '= %s' after '%s %s'",
		               kind == QK_DECL_NODE     ? "PLUGIN"
		               : kind == QK_DECL_OUTPUT ? "NODE.PORT"
		                                        : "KIND",
		               kind_word(kind), toks[1].text);
	if (grow(p, (void **)&g->decls, g->n_decls, sizeof *g->decls))
		return -1;
	qk_decl *decl = &g->decls[g->n_decls];
	memset(decl, 0, sizeof *decl);
	decl->kind = kind;
	decl->line = p->line;
	if (!(decl->name = dup(p, toks[1].text)))
		return -1;
	g->n_decls++;
	if (qk_graph_index_name(g, g->n_decls - 1, NULL) != 0)
		return qk_fail(p->d, p->path, p->line, "out of memory");
	if (n == 2)
		return 0;
	if (kind == QK_DECL_OUTPUT) {
		/* output NAME = ENDPOINT is short for `output NAME` and `ENDPOINT -> NAME`; the
		 * connection is stored with the output's name as text and resolved with the others.
		 */
		if (n != 4)
			return qk_fail(p->d, p->path, p->line, "expected 'output %s = NODE.PORT'",
			               toks[1].text);
		if (!(decl->type = dup(p, toks[3].text)))
			return -1;
		return 0;
	}
	if (!(decl->type = dup(p, toks[3].text)))
		return -1;
	return parse_settings(p, decl, toks, 4, n);
}

/* A connection endpoint NAME or NAME.PORT, kept as text until every name is declared. */
typedef struct {
	char *name, *port;
	int line;
} raw_end;

typedef struct {
	raw_end from, to;
} raw_conn;

static int
split_endpoint(parser *p, const token *t, raw_end *e)
{
	if (t->type != TOK_WORD)
		return qk_fail(p->d, p->path, p->line, "expected NAME or NAME.PORT, found '%s'",
		               t->text);
	const char *dot = strchr(t->text, '.');
	size_t len = dot ? (size_t)(dot - t->text) : strlen(t->text);
	e->name = strndup(t->text, len);
	e->port = dot ? strdup(dot + 1) : NULL;
	e->line = p->line;
	if (!e->name || (dot && !e->port)) {
		free(e->name);
		free(e->port);
		return qk_fail(p->d, p->path, p->line, "out of memory");
	}
	if (!valid_name(e->name) || (dot && (!e->port[0] || strchr(e->port, '.')))) {
		qk_fail(p->d, p->path, p->line, "'%s' is not an endpoint NAME or NAME.PORT",
		        t->text);
		free(e->name);
		free(e->port);
		return -1;
	}
	return 0;
}

typedef struct {
	raw_conn *items;
	size_t n;
} raw_list;

static int
add_raw(parser *p, raw_list *l, raw_end from, const token *to_tok)
{
	if (grow(p, (void **)&l->items, l->n, sizeof *l->items))
		return -1;
	raw_conn *c = &l->items[l->n];
	if (split_endpoint(p, to_tok, &c->to))
		return -1;
	c->from.name = strdup(from.name);
	c->from.port = from.port ? strdup(from.port) : NULL;
	c->from.line = from.line;
	l->n++;
	if (!c->from.name || (from.port && !c->from.port))
		return qk_fail(p->d, p->path, p->line, "out of memory");
	return 0;
}

/* FROM -> TO [, TO ...] */
static int
parse_connection(parser *p, raw_list *l, const token *toks, size_t n)
{
	raw_end from;
	if (split_endpoint(p, &toks[0], &from))
		return -1;
	int rc = 0;
	if (n < 3) {
		rc = qk_fail(p->d, p->path, p->line, "expected a destination after '->'");
	} else {
		for (size_t i = 2; i < n && rc == 0; i += 2) {
			rc = add_raw(p, l, from, &toks[i]);
			if (rc == 0 && i + 1 < n && toks[i + 1].type != TOK_COMMA)
				rc = qk_fail(p->d, p->path, p->line,
				             "expected ',' between destinations, found '%s'",
				             toks[i + 1].text);
			if (rc == 0 && i + 1 < n && i + 2 >= n)
				rc = qk_fail(p->d, p->path, p->line,
				             "expected a destination after ','");
		}
	}
	free(from.name);
	free(from.port);
	return rc;
}

static int
set_word(parser *p, qk_word *w, const token *toks, size_t n, const char *what)
{
	if (n != 2 || toks[1].type != TOK_WORD)
		return qk_fail(p->d, p->path, p->line, "expected '%s VALUE'", what);
	if (w->text)
		return qk_fail(p->d, p->path, p->line, "'%s' is set twice (line %d)", what,
		               w->line);
	if (!(w->text = dup(p, toks[1].text)))
		return -1;
	w->line = p->line;
	return 0;
}

static int
parse_line(parser *p, raw_list *l, const token *toks, size_t n)
{
	if (n == 0)
		return 0;
	if (n >= 2 && toks[1].type == TOK_ARROW)
		return parse_connection(p, l, toks, n);
	const char *w = toks[0].type == TOK_WORD ? toks[0].text : "";
	if (strcmp(w, "node") == 0)
		return parse_decl(p, QK_DECL_NODE, toks, n);
	if (strcmp(w, "source") == 0)
		return parse_decl(p, QK_DECL_SOURCE, toks, n);
	if (strcmp(w, "input") == 0)
		return parse_decl(p, QK_DECL_INPUT, toks, n);
	if (strcmp(w, "output") == 0)
		return parse_decl(p, QK_DECL_OUTPUT, toks, n);
	if (strcmp(w, "rate") == 0)
		return set_word(p, &p->g->rate, toks, n, "rate");
	if (strcmp(w, "duration") == 0)
		return set_word(p, &p->g->duration, toks, n, "duration");
	if (strcmp(w, "plot") == 0) {
		if (n < 2)
			return qk_fail(p->d, p->path, p->line, "expected 'plot SIGNAL...'");
		for (size_t i = 1; i < n; i++) {
			if (toks[i].type != TOK_WORD)
				return qk_fail(p->d, p->path, p->line,
				               "expected a signal name, found '%s'", toks[i].text);
			if (grow(p, (void **)&p->g->plot, p->g->n_plot, sizeof *p->g->plot))
				return -1;
			if (!(p->g->plot[p->g->n_plot].text = dup(p, toks[i].text)))
				return -1;
			p->g->plot[p->g->n_plot++].line = p->line;
		}
		return 0;
	}
	return qk_fail(p->d, p->path, p->line,
	               "unknown statement '%s' (expected node, source, input, output, rate, "
	               "duration, plot, or a connection such as 'a.out -> b.x1')",
	               toks[0].text);
}

static int
resolve(parser *p, raw_list *l)
{
	qk_graph *g = p->g;
	/* `output NAME = ENDPOINT` lines become connections, at their own line. */
	for (size_t i = 0; i < g->n_decls; i++) {
		qk_decl *o = &g->decls[i];
		if (o->kind != QK_DECL_OUTPUT || !o->type)
			continue;
		p->line = o->line;
		token t = {TOK_WORD, o->type};
		raw_end to = {o->name, NULL, o->line};
		if (grow(p, (void **)&l->items, l->n, sizeof *l->items))
			return -1;
		raw_conn *c = &l->items[l->n];
		if (split_endpoint(p, &t, &c->from))
			return -1;
		c->to.name = strdup(to.name);
		c->to.port = NULL;
		c->to.line = o->line;
		l->n++;
		if (!c->to.name)
			return qk_fail(p->d, p->path, p->line, "out of memory");
		free(o->type);
		o->type = NULL;
	}
	g->conns = calloc(l->n ? l->n : 1, sizeof *g->conns);
	if (!g->conns)
		return qk_fail(p->d, p->path, 0, "out of memory");
	for (size_t i = 0; i < l->n; i++) {
		raw_conn *c = &l->items[i];
		long from = qk_graph_find(g, c->from.name), to = qk_graph_find(g, c->to.name);
		if (from < 0)
			return qk_fail(p->d, p->path, c->from.line,
			               "unknown name '%s' (declare it with node, "
			               "source or input)",
			               c->from.name);
		if (to < 0)
			return qk_fail(p->d, p->path, c->to.line,
			               "unknown name '%s' (declare it with node or "
			               "output)",
			               c->to.name);
		if (g->decls[from].kind == QK_DECL_OUTPUT)
			return qk_fail(p->d, p->path, c->from.line,
			               "'%s' is a graph output: it cannot feed "
			               "anything",
			               c->from.name);
		if (g->decls[to].kind == QK_DECL_SOURCE || g->decls[to].kind == QK_DECL_INPUT)
			return qk_fail(p->d, p->path, c->to.line,
			               "'%s' is a %s: nothing can be connected to "
			               "it",
			               c->to.name, kind_word(g->decls[to].kind));
		qk_conn *k = &g->conns[g->n_conns++];
		k->from = (size_t)from;
		k->to = (size_t)to;
		k->from_port = c->from.port;
		k->to_port = c->to.port;
		k->line = c->from.line;
		c->from.port = c->to.port = NULL;
	}
	return 0;
}

static void
free_raw(raw_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].from.name);
		free(l->items[i].from.port);
		free(l->items[i].to.name);
		free(l->items[i].to.port);
	}
	free(l->items);
}

static char *
folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* The length of the longest line: the parser's line and token buffers are sized for it, not
 * for the whole text (a graph of 100,000 lines has short lines). */
static size_t
longest_line(const char *s)
{
	size_t max = 0;
	while (*s) {
		size_t len = strcspn(s, "\n");
		if (len > max)
			max = len;
		s += len + (s[len] == '\n');
	}
	return max;
}

int
qk_graph_parse(const char *path, const char *text, qk_graph *g, qk_diag *d)
{
	memset(g, 0, sizeof *g);
	parser p = {path, 0, d, g};
	raw_list raws = {NULL, 0};
	/* Editors on Windows start UTF-8 files with a byte order mark: it is no part of line 1. */
	if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3;
	size_t max = longest_line(text);
	char *line = malloc(max + 1), *buf = malloc(max * 2 + 2);
	token *toks = malloc(MAX_TOKENS * sizeof *toks);
	g->path = strdup(path);
	g->dir = folder_of(path);
	g->index = qk_names_new();
	int rc = 0;
	if (!line || !buf || !toks || !g->path || !g->dir || !g->index)
		rc = qk_fail(d, path, 0, "out of memory");
	const char *s = text;
	while (rc == 0 && *s) {
		p.line++;
		size_t len = strcspn(s, "\n");
		memcpy(line, s, len);
		line[len] = '\0';
		s += len + (s[len] == '\n');
		size_t n;
		rc = tokenize(&p, line, buf, toks, &n);
		if (rc == 0)
			rc = parse_line(&p, &raws, toks, n);
	}
	if (rc == 0)
		rc = resolve(&p, &raws);
	free_raw(&raws);
	free(line);
	free(buf);
	free(toks);
	if (rc != 0)
		qk_graph_free(g);
	return rc;
}

/* The line (from 1) of the first NUL in text[from..n), where text[0..from) has none; 0 if
 * there is none. Only the new bytes are searched, so reading stays linear. */
static int
nul_line(const char *text, size_t from, size_t n)
{
	const char *z = memchr(text + from, '\0', n - from);
	if (!z)
		return 0;
	int line = 1;
	for (const char *c = text; c < z; c++)
		line += *c == '\n';
	return line;
}

int
qk_read_text(const char *path, size_t max_bytes, int stop_at_nul, char **text, size_t *len,
             qk_diag *d)
{
	*text = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return qk_fail(d, path, 0, "cannot read the graph: %s", strerror(errno));
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	int rc = 0;
	while (buf) {
		/* Room for one byte past the limit, to tell a file of exactly max_bytes from a
		 * longer one, and for the terminator. */
		size_t want = cap - 1 - n;
		if (want > max_bytes + 1 - n)
			want = max_bytes + 1 - n;
		size_t got = fread(buf + n, 1, want, f);
		int line = stop_at_nul ? nul_line(buf, n, n + got) : 0;
		n += got;
		if (line > 0) {
			rc = qk_fail(d, path, line,
			             "a NUL byte in the line (is this a text file?)");
			break;
		}
		if (n > max_bytes) {
			int mib = max_bytes % ((size_t)1 << 20) == 0;
			rc = qk_fail(d, path, 0,
			             "the file is larger than %zu %s, the limit for a graph (is it "
			             "one?)",
			             mib ? max_bytes >> 20 : max_bytes, mib ? "MiB" : "bytes");
			break;
		}
		if (got < want)
			break;
		if (n == cap - 1) {
			char *t = realloc(buf, cap * 2);
			if (!t) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = t;
			cap *= 2;
		}
	}
	if (!buf)
		rc = qk_fail(d, path, 0, "out of memory");
	else if (rc == 0 && ferror(f))
		rc = qk_fail(d, path, 0, "cannot read the graph: %s", strerror(errno));
	fclose(f);
	if (rc != 0) {
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int
qk_graph_load_max(const char *path, size_t max_bytes, qk_graph *g, qk_diag *d)
{
	memset(g, 0, sizeof *g);
	if (qk_is_carla_path(path)) /* a Carla patchbay project: same graph, other syntax */
		return qk_carla_load(path, max_bytes, g, d);
	char *text;
	size_t n;
	if (qk_read_text(path, max_bytes, 1, &text, &n, d) != 0)
		return -1;
	int rc = qk_graph_parse(path, text, g, d);
	free(text);
	return rc;
}

int
qk_graph_load(const char *path, qk_graph *g, qk_diag *d)
{
	return qk_graph_load_max(
	        path, qk_is_carla_path(path) ? QK_CARLA_MAX_BYTES : QK_GRAPH_MAX_BYTES, g, d);
}

int
qk_graph_index_name(qk_graph *g, size_t i, size_t *other)
{
	if (!g->index && !(g->index = qk_names_new()))
		return -1;
	return qk_names_put(g->index, g->decls[i].name, i, other);
}

long
qk_graph_find(const qk_graph *g, const char *name)
{
	size_t i;
	return qk_names_get(g->index, name, &i) == 0 ? (long)i : -1;
}

void
qk_graph_free(qk_graph *g)
{
	for (size_t i = 0; i < g->n_decls; i++) {
		qk_decl *d = &g->decls[i];
		free(d->name);
		free(d->type);
		for (size_t k = 0; k < d->n_settings; k++) {
			free(d->settings[k].key);
			free(d->settings[k].value);
		}
		free(d->settings);
		free(d->host);
	}
	for (size_t i = 0; i < g->n_conns; i++) {
		free(g->conns[i].from_port);
		free(g->conns[i].to_port);
	}
	for (size_t i = 0; i < g->n_plot; i++)
		free(g->plot[i].text);
	free(g->plot);
	free(g->decls);
	free(g->conns);
	free(g->rate.text);
	free(g->duration.text);
	free(g->path);
	free(g->dir);
	free(g->notes);
	qk_names_free(g->index);
	memset(g, 0, sizeof *g);
}
