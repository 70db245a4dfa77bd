/* SPDX-License-Identifier: ISC */
/* The live control language of `quarks run`: one command a line on standard input.
 *   set NODE.PORT VALUE   change a control (as -s does for render)
 *   seek TIME             move every source to TIME (2.5, 2.5s, 250ms, 4800smp)
 *   quit                  stop
 *   help                  list the commands
 * Parsing only: the caller resolves names against its engine. */
#ifndef QK_LIVE_CONTROL_H
#define QK_LIVE_CONTROL_H

#include <stddef.h>

typedef enum { QK_LIVE_NONE, QK_LIVE_SET, QK_LIVE_SEEK, QK_LIVE_QUIT, QK_LIVE_HELP } qk_live_kind;

typedef struct {
	qk_live_kind kind;
	char target[256]; /* NODE.PORT of a set */
	double value;     /* the value of a set; the time of a seek, in samples */
} qk_live_cmd;

extern const char qk_live_help[];

/* Parses one line (without its newline). NONE for a blank line or a comment (#). On a
 * malformed line writes the reason into err and returns -1. */
int qk_live_parse(const char *line, double rate, qk_live_cmd *cmd, char *err, size_t cap);

#endif
