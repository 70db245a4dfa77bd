/* SPDX-License-Identifier: ISC */
/* A patch graph as parsed from its text (grammar: docs/graph.md). Names are resolved to
 * declarations here; plugin ports, presets and source settings are checked when the engine is
 * built, because that needs the plugins' descriptions from lilv. */
#ifndef QK_GRAPH_H
#define QK_GRAPH_H

#include "diag.h"
#include "names.h"

#include <stddef.h>

/* The largest graph file (or Carla project) read: a graph of 100,000 nodes takes about 8 MB,
 * and a bound keeps `quarks render /dev/zero` or a mistaken multi-gigabyte file from eating
 * the machine's memory. */
#define QK_GRAPH_MAX_BYTES ((size_t)64 << 20)

typedef enum {
	QK_DECL_NODE,   /* an instance of a plugin */
	QK_DECL_SOURCE, /* a built-in source */
	QK_DECL_INPUT,  /* a named graph input: a source that the command line or a host may replace
	                 */
	QK_DECL_OUTPUT, /* a named graph output: written to NAME.wav by render */
} qk_decl_kind;

typedef struct {
	char *key;
	char *value;
	int line;
} qk_setting;

/* What a host does to a plugin instance besides running it (Carla's Active, Volume, Dry/Wet,
 * Balance): carla_settings.h. Graph files have none. */
typedef struct qk_host_settings qk_host_settings;

typedef struct {
	qk_decl_kind kind;
	char *name;
	char *type; /* plugin short name or URI; source kind; NULL for outputs and bare inputs */
	qk_setting *settings;
	size_t n_settings;
	int line;
	qk_host_settings *host; /* a node's host settings (malloc'd), or NULL */
} qk_decl;

/* from.port -> to.port; a NULL port means the name alone was written. */
typedef struct {
	size_t from, to; /* indices into qk_graph.decls */
	char *from_port, *to_port;
	int line;
} qk_conn;

typedef struct {
	char *text;
	int line;
} qk_word;

typedef struct {
	char *path; /* as given, for messages */
	char *dir;  /* folder of the graph file: relative file names are taken from there */
	qk_decl *decls;
	size_t n_decls;
	qk_conn *conns;
	size_t n_conns;
	qk_word rate; /* text NULL when the graph does not set it */
	qk_word duration;
	qk_word *plot; /* signals named by `plot` lines */
	size_t n_plot;
	/* Nonzero for a host's project: an unconnected audio input reads 0, as in Carla, jalv and
	 * Ardour, which give every port a buffer; zero for graph files, whose open inputs get NULL
	 * and so each plugin's identity (a gate reads 1). */
	int open_inputs_read_zero;
	char *notes; /* lines a reader wrote about what it left out or ignores (malloc'd), or NULL
	              */
	qk_names *index; /* declaration names -> indices into decls */
} qk_graph;

/* Reads and parses the graph file (at most QK_GRAPH_MAX_BYTES long) or Carla project (at most
 * QK_CARLA_MAX_BYTES) at path.
 * On error fills d and returns -1 (g is then empty). */
int qk_graph_load(const char *path, qk_graph *g, qk_diag *d);

/* The same with another size limit (the fuzz target uses a small one). */
int qk_graph_load_max(const char *path, size_t max_bytes, qk_graph *g, qk_diag *d);

/* Parses text as if it were the content of the file at path. A UTF-8 byte order mark at the
 * start is skipped. */
int qk_graph_parse(const char *path, const char *text, qk_graph *g, qk_diag *d);

/* Reads the whole file at path into *text (NUL-terminated, *len bytes before the NUL), failing
 * with a message naming the limit when it holds more than max_bytes. With stop_at_nul, a NUL
 * byte is an error found as soon as it is read (so /dev/zero fails at once), naming its line. */
int qk_read_text(const char *path, size_t max_bytes, int stop_at_nul, char **text, size_t *len,
                 qk_diag *d);

/* Adds decls[i]'s name to the index. 0 when added, 1 when another declaration has that name
 * (*other set to its index), -1 when out of memory. */
int qk_graph_index_name(qk_graph *g, size_t i, size_t *other);

void qk_graph_free(qk_graph *g);

/* Index of the declaration called name, or -1. */
long qk_graph_find(const qk_graph *g, const char *name);

/* Fills order[0..n_decls) with the declarations in an order where every connection goes from an
 * earlier to a later one (ties keep the file's order). A cycle is an error naming it. */
int qk_graph_order(const qk_graph *g, size_t *order, qk_diag *d);

/* A feedback loop of a schedule: a strongly connected part of the graph with a cycle, every
 * cycle of it through a cut declaration (a delay). */
typedef struct {
	size_t first, count; /* its declarations are order[first .. first + count) */
	char *cycle;         /* one cycle of it through a cut, "d1 -> u1 -> d1" (malloc'd) */
	int line;            /* the connection that closes that cycle */
} qk_graph_loop;

/* The order of qk_graph_order() for a graph whose cycles pass through cut declarations
 * (cut[v] != 0: a delay, whose output within a block comes from earlier input only). Each loop
 * is together in the order, after everything that feeds it and before everything it feeds;
 * within a loop every connection goes from an earlier to a later declaration once the
 * connections leaving its cuts are left out. The same order as qk_graph_order() for a graph
 * without cycles. A cycle through no cut is an error naming it; so is any cycle when cut is
 * NULL (a host's project: Carla does not compute feedback). *loops (malloc'd, NULL when there
 * are none; free with qk_graph_loops_free) lists the loops in order. Time O((n + m) log n). */
int qk_graph_schedule(const qk_graph *g, const unsigned char *cut, size_t *order,
                      qk_graph_loop **loops, size_t *n_loops, qk_diag *d);
void qk_graph_loops_free(qk_graph_loop *loops, size_t n_loops);

#endif
