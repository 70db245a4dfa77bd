#!/bin/sh
# SPDX-License-Identifier: ISC
# Carla's per-plugin settings in a render: projects/settings.carxp (a softmax with Dry/Wet,
# Balance and Volume, an output gate with a Volume and a Dry/Wet and Panning Carla does not
# apply to it, an inactive neuron, an open softmax score) rendered by quarks equals Carla's
# formulas restated in numpy (settings.py) on the raw signals of projects/settings.graph.
# Usage: settings.sh QUARKS PYTHON DIR
set -eu
quarks=$1 python=$2 dir=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$quarks" render -q "$dir/projects/settings.graph" -o "$tmp/raw"
"$quarks" render -d 1 "$dir/projects/settings.carxp" -o "$tmp/project" 2>"$tmp/notes" >/dev/null
cat "$tmp/notes"
for want in "'g': <DryWet> 0.3 has no effect" "'g': <Panning> has no effect" "'off' is not active"; do
  grep -q "$want" "$tmp/notes" || { echo "FAIL: no note \"$want\""; exit 1; }
done
PYTHONDONTWRITEBYTECODE=1 "$python" "$dir/settings.py" "$tmp/raw" "$tmp/project"
