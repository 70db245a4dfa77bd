/* Topological order of a graph's declarations, and the cycle that prevents one. Plugins here are
 * memoryless, so a feedback loop has no defined value within a block: a cycle is an error (as in
 * Carla's patchbay), never a one-block delay that would make the output depend on block size. */
#include "graph.h"

#include <stdlib.h>
#include <string.h>

/* Appends "name -> " pieces to out without overflowing it. */
static void append(char *out, size_t cap, const char *s)
{
  size_t len = strlen(out);
  if (len + 1 < cap)
    strncat(out, s, cap - len - 1);
}

/* Depth-first search among the nodes not yet ordered (left[i] != 0) for a path that returns to
 * a node on the stack. state: 0 unseen, 1 on the stack, 2 done. Returns the node where the cycle
 * closes, or -1; stack/depth hold the path. */
static long find_cycle(const qk_graph *g, const char *left, char *state, size_t v, size_t *stack,
                       size_t *depth)
{
  state[v] = 1;
  stack[(*depth)++] = v;
  for (size_t c = 0; c < g->n_conns; c++) {
    const qk_conn *k = &g->conns[c];
    if (k->from != v || !left[k->to])
      continue;
    if (state[k->to] == 1)
      return (long)k->to;
    if (state[k->to] == 0) {
      long r = find_cycle(g, left, state, k->to, stack, depth);
      if (r >= 0)
        return r;
    }
  }
  state[v] = 2;
  (*depth)--;
  return -1;
}

static int report_cycle(const qk_graph *g, const char *left, qk_diag *d)
{
  size_t n = g->n_decls;
  char *state = calloc(n, 1);
  size_t *stack = calloc(n, sizeof *stack);
  if (!state || !stack) {
    free(state);
    free(stack);
    return qk_fail(d, g->path, 0, "out of memory");
  }
  char path[600] = "";
  int line = 0;
  for (size_t start = 0; start < n && line == 0; start++) {
    if (!left[start] || state[start])
      continue;
    size_t depth = 0;
    long at = find_cycle(g, left, state, start, stack, &depth);
    if (at < 0)
      continue;
    size_t first = 0;
    while (stack[first] != (size_t)at)
      first++;
    for (size_t i = first; i < depth; i++) {
      append(path, sizeof path, g->decls[stack[i]].name);
      append(path, sizeof path, " -> ");
    }
    append(path, sizeof path, g->decls[at].name);
    /* Point at the connection that closes the loop. */
    for (size_t c = 0; c < g->n_conns; c++)
      if (g->conns[c].from == stack[depth - 1] && g->conns[c].to == (size_t)at) {
        line = g->conns[c].line;
        break;
      }
  }
  free(state);
  free(stack);
  return qk_fail(d, g->path, line, "cycle: %s (feedback is not supported; every signal must "
                 "flow from sources to outputs)", path);
}

int qk_graph_order(const qk_graph *g, size_t *order, qk_diag *d)
{
  size_t n = g->n_decls;
  char *left = malloc(n ? n : 1);
  size_t *indeg = calloc(n ? n : 1, sizeof *indeg);
  if (!left || !indeg) {
    free(left);
    free(indeg);
    return qk_fail(d, g->path, 0, "out of memory");
  }
  memset(left, 1, n);
  for (size_t c = 0; c < g->n_conns; c++)
    indeg[g->conns[c].to]++;
  size_t done = 0;
  /* Kahn's algorithm, always taking the earliest declaration that is ready, so the order (and
   * with it the summing order of fan-in) depends only on the file. O(n^2), fine for patches. */
  while (done < n) {
    size_t v = n;
    for (size_t i = 0; i < n; i++)
      if (left[i] && indeg[i] == 0) {
        v = i;
        break;
      }
    if (v == n)
      break;
    left[v] = 0;
    order[done++] = v;
    for (size_t c = 0; c < g->n_conns; c++)
      if (g->conns[c].from == v)
        indeg[g->conns[c].to]--;
  }
  int rc = done == n ? 0 : report_cycle(g, left, d);
  free(left);
  free(indeg);
  return rc;
}
