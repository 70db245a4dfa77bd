#!/bin/sh
# SPDX-License-Identifier: ISC
# Bad Carla projects: `quarks render` prints the expected "file:line: message" (errors/expected.txt),
# exits 1 and writes no output file; bad graphs are not exported.
# Usage: errors.sh QUARKS ERRORS_DIR
set -u
quarks=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
while IFS= read -r want; do
  file=${want%%:*}
  (cd "$dir" && "$quarks" render -q "$file" -o "$tmp/out") 2>"$tmp/err"; rc=$?
  got=$(cat "$tmp/err")
  [ $rc -eq 1 ] || { echo "FAIL: $file: exit $rc, not 1"; fail=1; }
  [ "$got" = "$want" ] || { echo "FAIL: $file: got '$got', want '$want'"; fail=1; }
  [ -z "$(ls -A "$tmp/out" 2>/dev/null)" ] || { echo "FAIL: $file: output written"; fail=1; }
done <"$dir/expected.txt"
# Bad graphs are not exported: file:line, exit 1, no project file.
for name in cycle unknown-plugin unknown-port malformed-control unknown-preset; do
  g="$dir/../../render/errors/$name.graph"
  "$quarks" export --carla -q "$g" -o "$tmp/x.carxp" 2>"$tmp/err"; rc=$?
  [ $rc -eq 1 ] || { echo "FAIL: export $name: exit $rc, not 1"; fail=1; }
  grep -q "^$g:[0-9]*: " "$tmp/err" || { echo "FAIL: export $name: $(cat "$tmp/err")"; fail=1; }
  [ ! -e "$tmp/x.carxp" ] && [ -z "$(ls "$tmp" | grep carxp)" ] ||
    { echo "FAIL: export $name left a file"; fail=1; }
done
[ $fail -eq 0 ] && echo "every bad project and graph rejected with its file:line"
exit $fail
