#!/bin/sh
# SPDX-License-Identifier: ISC
# Carla's audio file player in a render: the render of demos/voices/voices.carxp (voices in
# Carla's audio file player) equals the render of voices.graph times Carla's volume smoother,
# restated in numpy (audiofile.py).
# Usage: audiofile.sh QUARKS PYTHON DIR VOICES_DIR
set -eu
quarks=$1 python=$2 dir=$3 voices=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$quarks" render -q "$voices/voices.graph" -o "$tmp/graph"
"$quarks" render -q -d 6 "$voices/voices.carxp" -o "$tmp/project"
PYTHONDONTWRITEBYTECODE=1 "$python" "$dir/audiofile.py" "$tmp/graph/y.wav" \
  "$tmp/project/out_left.wav" 48000
