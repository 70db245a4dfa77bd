#!/bin/sh
# SPDX-License-Identifier: ISC
# A Carla project in a real Carla against `quarks render` of the same file: Carla (patchbay
# mode, a private dummy JACK server) loads PROJECT with nothing connected from outside,
# carla_host.py checks that it loaded what the file says and records Carla's outputs, and the
# recording must equal the render's out_left.wav (and out_right.wav) at a frame offset that is
# a multiple of the period, within TOL (0: the exact circuits). The server runs at the
# project's rate: the `rate` of the graph beside it, else 48000 Hz. Skipped (77) when there is
# no Carla (CARLA_DIR, or the carla on PATH) or no jackd. A run that fails is made again with a
# fresh server (3 runs), each failure reported.
# Usage: carla-vs-render.sh QUARKS CAPTURE ALIGN PYTHON PROJECT.carxp [TOL]
set -u
quarks=$1 capture=$2 align=$3 python=$4 project=$5 tol=${6:-0}
here=$(cd "$(dirname "$0")" && pwd)
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
quarks=$(abs "$quarks") capture=$(abs "$capture") align=$(abs "$align")
project=$(cd "$(dirname "$project")" && pwd)/$(basename "$project")
"$python" "$here/carla_host.py" --find ||
  { echo "SKIP: no Carla (set CARLA_DIR to a built Carla source tree, or put carla on PATH)"; exit 77; }
graph=${project%.carxp}.graph
RATE=48000
[ -f "$graph" ] && RATE=$(sed -n 's/^rate[[:space:]]\+\([0-9]*\).*/\1/p' "$graph" | head -1)
RATE=${RATE:-48000}
PERIOD=${PERIOD:-1024}
export RATE PERIOD PYTHONDONTWRITEBYTECODE=1

one_run() {
  . "$here/carla-env.sh"
  # The dummy server's capture ports give silence: so do the project's graph inputs.
  printf 'source z = constant value=0\noutput zero = z\n' >"$tmp/zero.graph"
  "$quarks" render -q -r "$RATE" -d 40 "$tmp/zero.graph" -o "$tmp" || return 1
  set --
  grep -q 'Audio Input:Left\|system:capture_1<' "$project" && set -- -i "in_left=$tmp/zero.wav"
  grep -q 'Audio Input:Right\|system:capture_2<' "$project" &&
    set -- "$@" -i "in_right=$tmp/zero.wav"
  "$quarks" render -q -r "$RATE" -d 40 "$project" "$@" -o "$tmp/render" || return 1
  set -- audio-out1
  refs="$tmp/render/out_left.wav"
  if [ -f "$tmp/render/out_right.wav" ]; then
    set -- audio-out1 audio-out2
    refs="$refs $tmp/render/out_right.wav"
  fi
  frames=$((RATE * 3))
  # From the project's folder: Carla's audio file player opens relative paths from there.
  (cd "$(dirname "$project")" && timeout 120 "$python" "$here/carla_host.py" "$project" \
     "$jackd_pid" "$capture" "$frames" "$tmp/cap.wav" "$@"); rc=$?
  [ $rc -eq 77 ] && exit 77
  [ $rc -eq 0 ] || [ $rc -eq 3 ] || return 1
  # shellcheck disable=SC2086
  "$align" "$tol" "$PERIOD" "$tmp/cap.wav" $refs
}

for attempt in 1 2 3; do
  (one_run) && exit 0
  rc=$?
  [ $rc -eq 77 ] && exit 77
  echo "carla-vs-render: run $attempt of $(basename "$project") failed"
done
exit 1
