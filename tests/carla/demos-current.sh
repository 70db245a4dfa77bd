#!/bin/sh
# SPDX-License-Identifier: ISC
# Every demo graph has a .carxp beside it, and it is what `quarks export --carla` writes today
# (regenerate: quarks export --carla demos/NAME/FILE.graph, with --scope for the projects that
# hold x42 scopes). Also runs check_carxp on each. The demos with feedback loops (listed below:
# Carla's patchbay does not compute feedback) have no project: their export must fail with
# the message that says so and write nothing. So does every other demo's (the real-Carla tests
# run each shipped .carxp: a demo is in one list or the other, never left out).
# Usage: demos-current.sh QUARKS CHECK_CARXP DEMOS_DIR
set -u
quarks=$1 check=$2 demos=$3
loops="winner-take-all/wta"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0 refused=0
for g in "$demos"/*/*.graph; do
  grep -q "^[[:space:]]*node[[:space:]]" "$g" || continue   # no circuit (inputs only)
  want=${g%.graph}.carxp
  demo=${g#"$demos"/}
  demo=${demo%.graph}
  case " $loops " in
  *" $demo "*)
    rm -f "$tmp/x.carxp"
    if "$quarks" export --carla -q "$g" -o "$tmp/x.carxp" 2>"$tmp/err"; then
      echo "FAIL: $g has a feedback loop, yet it was exported"; fail=1
    elif ! grep -q "^$g:[0-9]*: cannot export a feedback loop (.*Carla's patchbay does not compute feedback" "$tmp/err"; then
      echo "FAIL: $g: not the loop refusal:"; cat "$tmp/err"; fail=1
    elif [ -e "$tmp/x.carxp" ] || [ -e "$want" ]; then
      echo "FAIL: $g: a project was written, or one is shipped beside it"; fail=1
    else
      refused=$((refused + 1))
    fi
    continue ;;
  esac
  n=$((n + 1))
  scope=""
  grep -q "sisco#4chan" "$want" 2>/dev/null && scope=--scope
  "$quarks" export --carla $scope -q "$g" -o "$tmp/x.carxp" || { fail=1; continue; }
  if ! cmp -s "$want" "$tmp/x.carxp"; then
    echo "FAIL: $want is missing or out of date (quarks export --carla $scope $g)"; fail=1
  fi
  "$check" "$g" "$tmp/x.carxp" | grep -v '^checked' || fail=1
done
echo "$n demo projects checked; $refused demos with loops refused, as Carla cannot run them"
for l in $loops; do
  [ -f "$demos/$l.graph" ] || { echo "FAIL: no demo $l.graph (the list of loops is stale)"; fail=1; }
done
exit $fail
