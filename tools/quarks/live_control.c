/* SPDX-License-Identifier: ISC */
#define _POSIX_C_SOURCE 200809L
#include "live_control.h"

#include "number.h"

#include <stdio.h>
#include <string.h>

const char qk_live_help[] = "commands: set NODE.PORT VALUE | seek TIME | quit | help\n";

/* Splits line into at most max words separated by blanks; returns the count (max + 1 if more). */
static int
split(char *line, char **words, int max)
{
	int n = 0;
	for (char *save = NULL, *w = strtok_r(line, " \t\r", &save); w;
	     w = strtok_r(NULL, " \t\r", &save)) {
		if (w[0] == '#')
			break;
		if (n == max)
			return max + 1;
		words[n++] = w;
	}
	return n;
}

int
qk_live_parse(const char *line, double rate, qk_live_cmd *cmd, char *err, size_t cap)
{
	char buf[1024];
	char *w[3];
	memset(cmd, 0, sizeof *cmd);
	if (snprintf(buf, sizeof buf, "%s", line) >= (int)sizeof buf)
		return snprintf(err, cap, "line too long"), -1;
	int n = split(buf, w, 3);
	if (n == 0)
		return 0;
	if (strcmp(w[0], "set") == 0) {
		if (n != 3 || !strchr(w[1], '.'))
			return snprintf(err, cap, "usage: set NODE.PORT VALUE"), -1;
		if (qk_parse_number(w[2], &cmd->value) != 0)
			return snprintf(err, cap, "malformed number '%s'", w[2]), -1;
		if (snprintf(cmd->target, sizeof cmd->target, "%s", w[1]) >=
		    (int)sizeof cmd->target)
			return snprintf(err, cap, "name too long"), -1;
		cmd->kind = QK_LIVE_SET;
	} else if (strcmp(w[0], "seek") == 0) {
		if (n != 2 || qk_parse_time(w[1], rate, &cmd->value) != 0 || cmd->value < 0)
			return snprintf(err, cap, "usage: seek TIME (2.5, 2.5s, 250ms or 4800smp)"),
			       -1;
		cmd->kind = QK_LIVE_SEEK;
	} else if (strcmp(w[0], "quit") == 0 || strcmp(w[0], "exit") == 0) {
		cmd->kind = n == 1 ? QK_LIVE_QUIT : QK_LIVE_NONE;
		if (n != 1)
			return snprintf(err, cap, "usage: quit"), -1;
	} else if (strcmp(w[0], "help") == 0) {
		cmd->kind = QK_LIVE_HELP;
	} else {
		return snprintf(err, cap, "unknown command '%s' (%s)", w[0],
		                "set, seek, quit, help"),
		       -1;
	}
	return 0;
}
