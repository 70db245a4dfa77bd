#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: check-format.sh CLANG_FORMAT SOURCE_ROOT
# Every C file of the project is as .clang-format says (the one style, HACKING.md) and
# carries its SPDX licence line. `clang-format -i FILE` fixes the first.
set -u
clang_format=$1 root=$2
cd "$root" || exit 1
status=0 n=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null) || files=$(find . -name '*.[ch]' -not -path './build*')
for f in $files; do
	n=$((n + 1))
	if ! "$clang_format" --dry-run -Werror --style=file "$f" >/dev/null 2>&1; then
		echo "$f: not formatted (clang-format -i $f)"
		status=1
	fi
	if ! head -n 3 "$f" | grep -q 'SPDX-License-Identifier: ISC'; then
		echo "$f:1: no SPDX-License-Identifier line"
		status=1
	fi
done
[ "$n" -gt 0 ] || { echo "no C files found under $root"; exit 1; }
[ "$status" -eq 0 ] && echo "$n C files formatted and licensed"
exit "$status"
