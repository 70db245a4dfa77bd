#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: check-list.sh PLUGINS_DIR
# Every plugins/<name>.c that describes a plugin (defines a qk_plugin) is in plugins.list:
# a plugin written but not listed would silently not be built.
set -eu
dir=$1
status=0
for src in "$dir"/*.c; do
	grep -q '^const qk_plugin qk_plugin_' "$src" || continue
	slug=$(basename "$src" .c | tr _ -)
	if ! grep -qx "$slug" "$dir/plugins.list"; then
		echo "$src describes a plugin but $dir/plugins.list has no line '$slug'" >&2
		status=1
	fi
done
[ "$status" -eq 0 ] && echo "every plugin in $dir is listed"
exit "$status"
