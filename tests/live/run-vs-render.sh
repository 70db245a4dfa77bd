#!/bin/sh
# SPDX-License-Identifier: ISC
# `quarks run` against `quarks render`: runs GRAPH live on a dummy JACK server, records OUTPUT
# for 3 s with the test recorder and checks the recording equals the render of the same graph
# (with the same control changes) at a frame offset that is a multiple of the period (both
# clients start on period boundaries). Tolerance 0: the engine is the same code on the same
# floats, so the samples must be identical. A `set` line on standard input, passed to the
# process thread through the lock-free queue, is applied before the recording starts.
# With BUFSIZE set in the environment, the server's period size is changed to it while the
# graph runs, before the recording.
# Usage: run-vs-render.sh QUARKS CAPTURE ALIGN GRAPH OUTPUT [NODE.PORT VALUE]
set -u
quarks=$1 capture=$2 align=$3 graph=$4 output=$5
target=${6:-} value=${7:-}
. "$(dirname "$0")/jack-env.sh"
t0=$(date +%s.%N)

mkfifo "$tmp/ctl"
exec 3<>"$tmp/ctl"  # read-write: opening a FIFO this way does not block, and keeping it open
                    # means quarks run never sees end of file
start_bg "$quarks" run -n qk "$graph" <"$tmp/ctl" >"$tmp/run.log" 2>&1
run_pid=$last_pid
"$patch" -w "qk:$output" || fail "qk:$output"
sets=""
if [ -n "$target" ]; then
  echo "set $target $value" >&3
  i=0
  until grep -q "^$target = " "$tmp/run.log"; do
    i=$((i + 1)); [ $i -gt 200 ] && fail "the set was not acknowledged in 20 s"
    sleep 0.1
  done
  sleep 0.1   # at least one period, so the change is in force
  sets="-s $target=$value"
fi
if [ -n "${BUFSIZE:-}" ]; then
  # A period size change while running: the engine runs JACK periods in chunks of its own.
  timeout 20 jack_bufsize "$BUFSIZE" >/dev/null || fail "jack_bufsize $BUFSIZE"
  i=0
  until timeout 20 jack_bufsize | grep -q "^$BUFSIZE\b"; do
    i=$((i + 1)); [ $i -gt 50 ] && fail "the period size did not change in 5 s"
    sleep 0.1
  done
  echo "period size changed to $BUFSIZE while running"
fi
# The render covers any start-up delay and repeated recordings (60 s).
"$quarks" render -q -d 60 $sets "$graph" -o "$tmp/render" || exit 1
check "$capture" "$align" 144000 "qk:$output" "$tmp/render/$output.wav" || fail "qk:$output"

# Bounded: a client closing on a hung server waits for its timeouts.
kill -TERM "$run_pid"
i=0
while alive "$run_pid"; do
  i=$((i + 1)); [ $i -gt 200 ] && fail "quarks run did not stop within 20 s of SIGTERM"
  sleep 0.1
done
wait "$run_pid"; rc=$?
pids=$(echo "$pids" | sed "s/\b$run_pid\b//")
cat "$tmp/run.log"
[ $rc -eq 0 ] || fail "quarks run exited with $rc after SIGTERM"
grep -q "stopped; [0-9]* xruns" "$tmp/run.log" || fail "no xrun report"

awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "live test took %.1f s\n", b - a }'
