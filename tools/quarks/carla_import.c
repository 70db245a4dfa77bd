/* The importer: libxml2 reads the XML (no network, no entity expansion), lilv the plugins'
 * port names. The graph it builds is what the parser would build from the equivalent text. */
#define _POSIX_C_SOURCE 200809L
#include "carla_import.h"

#include "carla_ports.h"
#include "number.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
  const char *path;
  qk_graph *g;
  qk_diag *d;
  LilvWorld *world; /* loaded at the first <Plugin>: a project that is not one costs no lilv */
  qk_uris u;
  qk_plugins *plugins; /* ports and their lv2:names, read once per plugin */
  size_t cap_decls, cap_conns;
} importer;

static int load_world(importer *im, int line)
{
  if (im->plugins)
    return 0;
  if (!im->world && !(im->world = lilv_world_new()))
    return qk_fail(im->d, im->path, line, "out of memory");
  if (!im->u.world) {
    qk_world_load(im->world);
    qk_uris_init(&im->u, im->world);
  }
  if (!(im->plugins = qk_plugins_new(&im->u)))
    return qk_fail(im->d, im->path, line, "out of memory");
  return 0;
}

int qk_is_carla_path(const char *path)
{
  size_t n = strlen(path);
  return n >= 6 && strcmp(path + n - 6, ".carxp") == 0;
}

static int line_of(const xmlNode *n)
{
  return (int)xmlGetLineNo(n);
}

static int is_elem(const xmlNode *n, const char *name)
{
  return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
  for (const xmlNode *c = n->children; c; c = c->next)
    if (is_elem(c, name))
      return c;
  return NULL;
}

/* The trimmed text of child `name`, malloc'd; NULL if there is no such child. */
static char *child_text(const xmlNode *n, const char *name)
{
  const xmlNode *c = child(n, name);
  if (!c)
    return NULL;
  xmlChar *t = xmlNodeGetContent(c);
  const char *s = t ? (const char *)t : "";
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
    s++;
  size_t len = strlen(s);
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
                 s[len - 1] == '\r'))
    len--;
  char *out = strndup(s, len);
  xmlFree(t);
  return out;
}

static long add_decl(importer *im, qk_decl_kind kind, char *name, char *type, int line)
{
  qk_graph *g = im->g;
  if (g->n_decls == im->cap_decls) {
    size_t cap = im->cap_decls ? im->cap_decls * 2 : 16;
    qk_decl *nd = realloc(g->decls, cap * sizeof *nd);
    if (!nd) {
      free(name);
      free(type);
      return qk_fail(im->d, im->path, line, "out of memory");
    }
    g->decls = nd;
    im->cap_decls = cap;
  }
  qk_decl *dc = &g->decls[g->n_decls];
  memset(dc, 0, sizeof *dc);
  dc->kind = kind;
  dc->name = name;
  dc->type = type;
  dc->line = line;
  g->n_decls++;
  if (qk_graph_index_name(g, g->n_decls - 1, NULL) < 0)
    return qk_fail(im->d, im->path, line, "out of memory");
  return (long)g->n_decls - 1;
}

static int add_setting(importer *im, qk_decl *dc, char *key, char *value, int line)
{
  qk_setting *s = realloc(dc->settings, (dc->n_settings + 1) * sizeof *s);
  if (!s || !key || !value) {
    if (s)
      dc->settings = s;
    free(key);
    free(value);
    return qk_fail(im->d, im->path, line, "out of memory");
  }
  dc->settings = s;
  s[dc->n_settings++] = (qk_setting){key, value, line};
  return 0;
}

/* The symbol of the control input that Carla numbers `index` (control inputs in port order). */
static char *symbol_of_index(const qk_plugin_info *pi, long index)
{
  long k = 0;
  for (uint32_t i = 0; i < pi->n_ports; i++)
    if (pi->kind[i] == QK_PORT_CONTROL_IN && k++ == index)
      return strdup(pi->symbol[i]);
  return NULL;
}

static int read_parameter(importer *im, const qk_plugin_info *p, qk_decl *dc,
                          const xmlNode *par)
{
  int line = line_of(par);
  char *sym = child_text(par, "Symbol");
  char *value = child_text(par, "Value");
  char *index = child_text(par, "Index");
  double v, ix;
  int rc = 0;
  if (!value || qk_parse_number(value, &v) != 0)
    rc = qk_fail(im->d, im->path, line, "parameter without a numeric <Value>%s%s",
                 value ? ": " : "", value ? value : "");
  else if ((!sym || !*sym) && (!index || qk_parse_number(index, &ix) != 0 ||
                                !(ix >= 0 && ix <= 4294967295.0) || ix != (double)(uint32_t)ix))
    rc = qk_fail(im->d, im->path, line, "parameter without a <Symbol> or a valid <Index>");
  else if (!sym || !*sym) {
    free(sym);
    if (!(sym = symbol_of_index(p, (long)ix)))
      rc = qk_fail(im->d, im->path, line, "'%s' has no parameter with index %s", dc->name,
                   index);
  }
  free(index);
  if (rc != 0) {
    free(sym);
    free(value);
    return rc;
  }
  return add_setting(im, dc, sym, value, line);
}

static int read_plugin(importer *im, const xmlNode *pl)
{
  int line = line_of(pl);
  const xmlNode *info = child(pl, "Info");
  char *type = info ? child_text(info, "Type") : NULL;
  char *name = info ? child_text(info, "Name") : NULL;
  char *uri = info ? child_text(info, "URI") : NULL;
  qk_plugin_info *p = NULL;
  int rc = 0, found = 1;
  if (!type || strcmp(type, "LV2") != 0)
    rc = qk_fail(im->d, im->path, line, "plugin of type '%s': only LV2 plugins can be "
                 "rendered", type ? type : "(none)");
  else if (!name || !*name || !uri || !*uri)
    rc = qk_fail(im->d, im->path, line, "plugin without an <Info><Name> and <URI>");
  else if (qk_graph_find(im->g, name) >= 0 || strcmp(name, QK_CARLA_IN) == 0 ||
           strcmp(name, QK_CARLA_OUT) == 0)
    rc = qk_fail(im->d, im->path, line, "a second instance named '%s' (names must be unique)",
                 name);
  else if (load_world(im, line) != 0)
    rc = -1;
  else if ((found = qk_plugins_get(im->plugins, uri, &p)) != 0)
    rc = found < 0 ? qk_fail(im->d, im->path, line, "out of memory")
                   : qk_fail(im->d, im->path, line, "plugin <%s> ('%s') is not on LV2_PATH", uri,
                             name);
  free(type);
  if (rc != 0) {
    free(name);
    free(uri);
    return rc;
  }
  long di = add_decl(im, QK_DECL_NODE, name, uri, line);
  if (di < 0)
    return -1;
  const xmlNode *data = child(pl, "Data");
  for (const xmlNode *c = data ? data->children : NULL; c; c = c->next)
    if (is_elem(c, "Parameter") && read_parameter(im, p, &im->g->decls[di], c) != 0)
      return -1;
  return 0;
}

/* The declaration a "GROUP:PORT" end names, and the port's symbol (NULL for system ports). */
static int resolve(importer *im, const char *text, int is_source, int line, size_t *di,
                   char **sym)
{
  const char *colon = strchr(text, ':');
  *sym = NULL;
  if (!colon)
    return qk_fail(im->d, im->path, line, "'%s' is not GROUP:PORT", text);
  char *group = strndup(text, (size_t)(colon - text));
  const char *port = colon + 1;
  int rc = 0;
  const char *sys = is_source ? QK_CARLA_IN : QK_CARLA_OUT;
  if (!group) {
    rc = qk_fail(im->d, im->path, line, "out of memory");
  } else if (strcmp(group, sys) == 0) {
    int ch = strcmp(port, "Left") == 0 ? 0 : strcmp(port, "Right") == 0 ? 1 : -1;
    const char *name = ch < 0 ? NULL : is_source ? qk_carla_in_name[ch] : qk_carla_out_name[ch];
    long k = name ? qk_graph_find(im->g, name) : -1;
    if (ch < 0)
      rc = qk_fail(im->d, im->path, line, "'%s' has no port '%s' (Left, Right)", group, port);
    else if (k >= 0 && im->g->decls[k].kind == QK_DECL_NODE)
      rc = qk_fail(im->d, im->path, line, "an instance is named '%s', the name this project's "
                   "%s:%s takes in a graph: rename it", name, group, port);
    else if (k < 0)
      k = add_decl(im, is_source ? QK_DECL_INPUT : QK_DECL_OUTPUT, strdup(name), NULL, line);
    if (rc == 0 && k < 0)
      rc = -1;
    *di = (size_t)k;
  } else {
    long k = qk_graph_find(im->g, group);
    qk_plugin_info *p = NULL;
    /* A node exists only where a <Plugin> loaded the world. */
    int found = k >= 0 && im->g->decls[k].kind == QK_DECL_NODE
                  ? qk_plugins_get(im->plugins, im->g->decls[k].type, &p) : 1;
    long lp = p ? qk_info_port_by_name(im->plugins, p, port) : -1;
    qk_port_kind want = is_source ? QK_PORT_AUDIO_OUT : QK_PORT_AUDIO_IN;
    char list[512];
    if (found < 0 || lp == -2) {
      rc = qk_fail(im->d, im->path, line, "out of memory");
    } else if (!p) {
      rc = qk_fail(im->d, im->path, line, "no plugin named '%s' for the connection %s '%s'",
                   group, is_source ? "from" : "to", text);
    } else if (lp < 0 || p->kind[lp] != want) {
      qk_carla_list_names(&im->u, p->plugin, want, list, sizeof list);
      rc = qk_fail(im->d, im->path, line, "'%s' has no audio %s named '%s' (%s: %s)", group,
                   is_source ? "output" : "input", port, is_source ? "outputs" : "inputs", list);
    } else {
      *di = (size_t)k;
      *sym = strdup(p->symbol[lp]);
      if (!*sym)
        rc = qk_fail(im->d, im->path, line, "out of memory");
    }
  }
  free(group);
  return rc;
}

/* A connection as the project writes it, kept until every plugin is read. */
typedef struct {
  char *src, *dst;
  int line;
} pending;

static int read_connection(importer *im, const pending *pc)
{
  int line = pc->line;
  qk_conn c = {.line = line};
  int rc = 0;
  if (!pc->src || !pc->dst)
    rc = qk_fail(im->d, im->path, line, "connection without a <Source> and a <Target>");
  else if (resolve(im, pc->src, 1, line, &c.from, &c.from_port) != 0 ||
           resolve(im, pc->dst, 0, line, &c.to, &c.to_port) != 0)
    rc = -1;
  qk_graph *g = im->g;
  if (rc == 0 && g->n_conns == im->cap_conns) {
    size_t cap = im->cap_conns ? im->cap_conns * 2 : 16;
    qk_conn *nc = realloc(g->conns, cap * sizeof *nc);
    if (!nc)
      rc = qk_fail(im->d, im->path, line, "out of memory");
    else
      g->conns = nc, im->cap_conns = cap;
  }
  if (rc != 0) {
    free(c.from_port);
    free(c.to_port);
    return rc;
  }
  g->conns[g->n_conns++] = c;
  return 0;
}

typedef struct {
  pending *items;
  size_t n, cap;
} pending_list;

static int keep_connection(importer *im, pending_list *l, const xmlNode *cn)
{
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    pending *p = realloc(l->items, cap * sizeof *p);
    if (!p)
      return qk_fail(im->d, im->path, line_of(cn), "out of memory");
    l->items = p;
    l->cap = cap;
  }
  pending *p = &l->items[l->n++];
  p->src = child_text(cn, "Source");
  p->dst = child_text(cn, "Target");
  p->line = line_of(cn);
  return 0;
}

/* The size limit, enforced as libxml2 reads (a project may be a pipe or a device). */
typedef struct {
  FILE *f;
  size_t left;
  int over;
  int any; /* a byte was read: libxml2 calls an empty file "extra content" */
} source;

static int read_source(void *ctx, char *buf, int len)
{
  source *src = ctx;
  if (src->left == 0) {
    int c = fgetc(src->f);
    if (c == EOF)
      return ferror(src->f) ? -1 : 0;
    src->over = 1;
    return -1;
  }
  size_t want = (size_t)len < src->left ? (size_t)len : src->left;
  size_t got = fread(buf, 1, want, src->f);
  src->left -= got;
  src->any |= got > 0;
  return got == 0 && ferror(src->f) ? -1 : (int)got;
}

static int close_source(void *ctx)
{
  (void)ctx; /* closed by qk_carla_load, which opened it */
  return 0;
}

static int xml_error(importer *im, const source *src, size_t max_bytes)
{
  int mib = max_bytes % ((size_t)1 << 20) == 0;
  if (src->over)
    return qk_fail(im->d, im->path, 0, "the file is larger than %zu %s, the limit for a Carla "
                   "project (is it one?)", mib ? max_bytes >> 20 : max_bytes,
                   mib ? "MiB" : "bytes");
  if (!src->any)
    return qk_fail(im->d, im->path, 0, "malformed XML: the file is empty");
  const xmlError *e = xmlGetLastError();
  qk_fail(im->d, im->path, e ? e->line : 0, "malformed XML: %s",
          e && e->message ? e->message : "cannot read");
  /* libxml2's messages end with a newline. */
  size_t n = strlen(im->d->msg);
  if (n && im->d->msg[n - 1] == '\n')
    im->d->msg[n - 1] = '\0';
  return -1;
}

/* The project is read as a stream, one <Plugin> or <Connection> element expanded at a time, so
 * that memory follows the graph rather than the XML (a tree of a 100,000-plugin project took
 * 1.7 GB). Plugins first: a connection names instances that may come later in the file, so
 * connections wait in a list until the end. */
static int read_project(importer *im, xmlTextReaderPtr r, const source *src, size_t max_bytes)
{
  pending_list l = {NULL, 0, 0};
  int rc = 0, seen_root = 0;
  int more = xmlTextReaderRead(r);
  while (more == 1 && rc == 0) {
    int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
    const char *name = (const char *)xmlTextReaderConstName(r);
    int skip = 0;
    if (type == XML_READER_TYPE_ELEMENT && depth == 0) {
      seen_root = 1;
      if (strcmp(name, "CARLA-PROJECT") != 0)
        rc = qk_fail(im->d, im->path, line_of(xmlTextReaderCurrentNode(r)),
                     "not a Carla project (the root element is not <CARLA-PROJECT>)");
    } else if (type == XML_READER_TYPE_ELEMENT &&
               ((depth == 1 && strcmp(name, "Plugin") == 0) ||
                (depth == 2 && strcmp(name, "Connection") == 0))) {
      int is_plugin = depth == 1;
      /* A <Connection> counts only inside <Patchbay> (not <ExternalPatchbay>). */
      xmlNode *n = xmlTextReaderExpand(r);
      if (!n)
        rc = xml_error(im, src, max_bytes);
      else if (is_plugin)
        rc = read_plugin(im, n);
      else if (n->parent && is_elem(n->parent, "Patchbay"))
        rc = keep_connection(im, &l, n);
      skip = 1;
    }
    if (rc == 0)
      more = skip ? xmlTextReaderNext(r) : xmlTextReaderRead(r);
  }
  if (rc == 0 && more < 0)
    rc = xml_error(im, src, max_bytes);
  if (rc == 0 && !seen_root)
    rc = qk_fail(im->d, im->path, 0, "malformed XML: Document is empty");
  for (size_t i = 0; i < l.n && rc == 0; i++)
    rc = read_connection(im, &l.items[i]);
  for (size_t i = 0; i < l.n; i++) {
    free(l.items[i].src);
    free(l.items[i].dst);
  }
  free(l.items);
  return rc;
}

static char *folder_of(const char *path)
{
  const char *slash = strrchr(path, '/');
  if (!slash)
    return strdup(".");
  return slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
}

static xmlTextReaderPtr new_reader(source *src, const char *path)
{
  return xmlReaderForIO(read_source, close_source, src, path, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                        XML_PARSE_BIG_LINES);
}

/* A first pass that only checks the XML is well formed (in constant memory), so that a
 * malformed project is reported as such before any plugin is looked up, and costs no lilv
 * world: most broken projects are broken after their first <Plugin>. Skipped for a file that
 * cannot be read twice (a pipe). Returns 0 when the file may be read again from its start. */
static int well_formed(importer *im, source *src, size_t max_bytes, int *rc)
{
  *rc = 0;
  struct stat st;
  if (fstat(fileno(src->f), &st) != 0 || !S_ISREG(st.st_mode))
    return -1;
  xmlTextReaderPtr r = new_reader(src, im->path);
  if (!r) {
    *rc = qk_fail(im->d, im->path, 0, "out of memory");
    return 0;
  }
  int more;
  while ((more = xmlTextReaderRead(r)) == 1)
    ;
  if (more < 0)
    *rc = xml_error(im, src, max_bytes);
  xmlFreeTextReader(r);
  if (*rc == 0 && fseek(src->f, 0, SEEK_SET) != 0)
    *rc = qk_fail(im->d, im->path, 0, "cannot read the project: %s", strerror(errno));
  src->left = max_bytes;
  src->over = src->any = 0;
  return 0;
}

int qk_carla_load(const char *path, size_t max_bytes, qk_graph *g, qk_diag *d)
{
  memset(g, 0, sizeof *g);
  importer im = {.path = path, .g = g, .d = d};
  FILE *f = fopen(path, "rb");
  if (!f)
    return qk_fail(d, path, 0, "cannot read the project: %s", strerror(errno));
  source src = {f, max_bytes, 0, 0};
  g->path = strdup(path);
  g->dir = folder_of(path);
  g->index = qk_names_new();
  int rc = -1;
  xmlTextReaderPtr r = NULL;
  if (!g->path || !g->dir || !g->index)
    qk_fail(d, path, 0, "out of memory");
  else if (well_formed(&im, &src, max_bytes, &rc), rc == 0) {
    if (!(r = new_reader(&src, path)))
      rc = qk_fail(d, path, 0, "out of memory");
    else
      rc = read_project(&im, r, &src, max_bytes);
  }
  qk_plugins_free(im.plugins);
  qk_uris_free(&im.u);
  if (im.world)
    lilv_world_free(im.world);
  if (r)
    xmlFreeTextReader(r);
  fclose(f);
  if (rc != 0)
    qk_graph_free(g);
  return rc;
}
