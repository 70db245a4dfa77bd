/* Fuzz target: the graph parser and everything that reads a graph's words without plugins:
 * tokenizer, statements, name resolution, topological order and cycle messages, numbers,
 * times and frequencies, every source's settings, and the built-in sources run with whatever
 * settings survived the checks (they must stay finite-safe and never crash).
 *
 * Input: the text of a graph file. */
#define _POSIX_C_SOURCE 200809L
#include "fuzz.h"

#include "graph.h"
#include "number.h"
#include "source_spec.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  return 0;
}

static void run_source(qk_source *s)
{
  float out[64];
  qk_source_process(s, out, 64);
  qk_source_seek(s, UINT64_MAX - 16);
  qk_source_process(s, out, 32); /* wraps around the counter */
  qk_source_seek(s, (uint64_t)1 << 53);
  qk_source_process(s, out, 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = malloc(size + 1);
  if (!text)
    return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  qk_graph g;
  qk_diag d;
  if (qk_graph_parse("fuzz/g.graph", text, &g, &d) == 0) {
    size_t *order = malloc((g.n_decls ? g.n_decls : 1) * sizeof *order);
    if (order)
      (void)qk_graph_order(&g, order, &d);
    free(order);
    double rate = 48000.0, v;
    if (g.rate.text && qk_parse_number(g.rate.text, &v) == 0 && v >= 1.0 && v <= 1e7)
      rate = v;
    if (g.duration.text)
      (void)qk_parse_time(g.duration.text, rate, &v);
    for (size_t i = 0; i < g.n_decls; i++) {
      const qk_decl *decl = &g.decls[i];
      (void)qk_graph_find(&g, decl->name);
      for (size_t k = 0; k < decl->n_settings; k++) { /* node settings are numbers or labels */
        (void)qk_parse_number(decl->settings[k].value, &v);
        (void)qk_parse_freq(decl->settings[k].value, &v);
      }
      if ((decl->kind != QK_DECL_SOURCE && decl->kind != QK_DECL_INPUT) || !decl->type)
        continue;
      qk_source_spec spec;
      if (qk_source_spec_parse(&g, decl, rate, &spec, &d) == 0) {
        if (!spec.is_file)
          run_source(&spec.source);
        free(spec.path);
      }
    }
    qk_graph_free(&g);
  }
  free(text);
  return 0;
}
