#!/bin/sh
# SPDX-License-Identifier: ISC
# Every demo graph has a .carxp beside it, and it is what `quarks export --carla` writes today
# (regenerate: quarks export --carla demos/NAME/FILE.graph, with --scope for the projects that
# hold x42 scopes). Also runs check_carxp on each.
# Usage: demos-current.sh QUARKS CHECK_CARXP DEMOS_DIR
set -u
quarks=$1 check=$2 demos=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
for g in "$demos"/*/*.graph; do
  grep -q "^[[:space:]]*node[[:space:]]" "$g" || continue   # no circuit (inputs only)
  want=${g%.graph}.carxp
  n=$((n + 1))
  scope=""
  grep -q "sisco#4chan" "$want" 2>/dev/null && scope=--scope
  "$quarks" export --carla $scope -q "$g" -o "$tmp/x.carxp" || { fail=1; continue; }
  if ! cmp -s "$want" "$tmp/x.carxp"; then
    echo "FAIL: $want is missing or out of date (quarks export --carla $scope $g)"; fail=1
  fi
  "$check" "$g" "$tmp/x.carxp" | grep -v '^checked' || fail=1
done
echo "$n demo projects checked"
exit $fail
