/* SPDX-License-Identifier: ISC */
/* `quarks`: command-line tools for quark attention circuits. Subcommands live in cmd_*.c. */
#include "commands.h"

#include <stdio.h>
#include <string.h>

#include "config.h" /* QK_VERSION, from meson.build */

static const char usage[] =
        "Usage: quarks COMMAND [OPTION]... [ARG]...\n"
        "Tools for circuits of the quark attention plugins (quarks.lv2).\n"
        "\n"
        "Commands:\n"
        "  render GRAPH        render a patch graph offline to sound files (and a plot)\n"
        "  plot FILE...        plot sound files as stacked lanes to a PNG\n"
        "  run GRAPH           run a patch graph live as a JACK client\n"
        "  export --carla GRAPH  write a patch graph as a Carla patchbay project\n"
        "  fit GRAPH           learn a graph's free controls from target signals\n"
        "\n"
        "  quarks COMMAND --help   options of a command\n"
        "  quarks --version        the version\n"
        "\n"
        "See quarks(1) and docs/graph.md for the graph format.\n";

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("quarks %s\n", QK_VERSION);
		return 0;
	}
	if (strcmp(cmd, "render") == 0)
		return qk_cmd_render(argc - 1, argv + 1);
	if (strcmp(cmd, "plot") == 0)
		return qk_cmd_plot(argc - 1, argv + 1);
	if (strcmp(cmd, "run") == 0)
		return qk_cmd_run(argc - 1, argv + 1);
	if (strcmp(cmd, "export") == 0)
		return qk_cmd_export(argc - 1, argv + 1);
	if (strcmp(cmd, "fit") == 0)
		return qk_cmd_fit(argc - 1, argv + 1);
	fprintf(stderr, "quarks: unknown command '%s'\n%s", cmd, usage);
	return 2;
}
