/* SPDX-License-Identifier: ISC */
/* The subcommands of `quarks`. Each takes its own argv (argv[0] is the subcommand's name) and
 * returns the process exit status: 0 success, 1 bad input or failed work, 2 bad usage. */
#ifndef QK_COMMANDS_H
#define QK_COMMANDS_H

int qk_cmd_render(int argc, char **argv);
int qk_cmd_plot(int argc, char **argv);
int qk_cmd_run(int argc, char **argv);
int qk_cmd_export(int argc, char **argv);
int qk_cmd_fit(int argc, char **argv);

#endif
