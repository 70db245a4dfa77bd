/* The graph text parser: one statement per line (docs/graph.md). Every error names the file and
 * line, and the first error stops the parse. */
#define _POSIX_C_SOURCE 200809L
#include "graph.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { TOK_WORD, TOK_STRING, TOK_EQ, TOK_ARROW, TOK_COMMA } tok_type;

typedef struct {
  tok_type type;
  const char *text; /* NUL-terminated, inside the line buffer */
} token;

enum { MAX_TOKENS = 256 };

typedef struct {
  const char *path;
  int line;
  qk_diag *d;
  qk_graph *g;
} parser;

/* Splits line (modified in place) into tokens. A '#' that starts a token starts a comment, so
 * URIs with '#' inside them still work. */
static int tokenize(parser *p, char *line, token *toks, size_t *n)
{
  *n = 0;
  char *s = line;
  for (;;) {
    while (*s == ' ' || *s == '\t' || *s == '\r')
      s++;
    if (*s == '\0' || *s == '#')
      return 0;
    if (*n == MAX_TOKENS)
      return qk_fail(p->d, p->path, p->line, "line too long (more than %d words)", MAX_TOKENS);
    token *t = &toks[(*n)++];
    if (*s == '"') {
      char *start = ++s, *w = s;
      while (*s && *s != '"') {
        if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
          s++;
        *w++ = *s++;
      }
      if (*s != '"')
        return qk_fail(p->d, p->path, p->line, "unterminated string (missing '\"')");
      s++;
      *w = '\0';
      /* The quote may sit right before the next token; keep a separator char for it. */
      if (w == s - 1) {
        /* Nothing removed: the closing quote itself becomes the terminator. */
      }
      t->type = TOK_STRING;
      t->text = start;
      if (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\r' && *s != ',')
        return qk_fail(p->d, p->path, p->line, "expected a space after a quoted string");
      continue;
    }
    if (*s == '=' || *s == ',') {
      t->type = *s == '=' ? TOK_EQ : TOK_COMMA;
      t->text = *s == '=' ? "=" : ",";
      *s++ = '\0';
      continue;
    }
    if (s[0] == '-' && s[1] == '>') {
      t->type = TOK_ARROW;
      t->text = "->";
      s[0] = s[1] = '\0';
      s += 2;
      continue;
    }
    if (*s == '<') { /* <URI> as in Turtle */
      char *start = ++s;
      while (*s && *s != '>')
        s++;
      if (*s != '>')
        return qk_fail(p->d, p->path, p->line, "unterminated <URI> (missing '>')");
      *s++ = '\0';
      t->type = TOK_WORD;
      t->text = start;
      continue;
    }
    char *start = s;
    while (*s && !strchr(" \t\r=,\"", *s) && !(s[0] == '-' && s[1] == '>'))
      s++;
    /* Terminate the word without losing a following operator: operators are re-read from s. */
    char next = *s;
    t->type = TOK_WORD;
    t->text = start;
    if (next == ' ' || next == '\t' || next == '\r') {
      *s++ = '\0';
    } else if (next != '\0') {
      /* Shift is not possible in place; copy the word out instead. */
      size_t len = (size_t)(s - start);
      char *copy = malloc(len + 1);
      if (!copy)
        return qk_fail(p->d, p->path, p->line, "out of memory");
      memcpy(copy, start, len);
      copy[len] = '\0';
      /* Keep the copy alive by storing it at the start of the word, which we no longer need:
       * the word is at least one char long and we only need the pointer, so remember it in
       * a side list is unnecessary: free at end of line via the token list. */
      t->text = copy;
      t->type = TOK_WORD;
      /* mark as owned: a leading sentinel is not possible, so use a distinct type check below */
    }
  }
}
