# SPDX-License-Identifier: ISC
# Sourced by the live tests (after they set $capture): a private dummy JACK server (no sound
# card, no realtime) under a name of its own (see below), so parallel tests do not collide,
# and cleanup of every process the test started, by PID, with bounded waits. Exits 77
# (meson: skipped) only if jackd cannot start at all.
# After sourcing: $tmp (a scratch folder), $patch (the port wait and connect tool, built
# beside $capture), start_bg CMD... (records the PID in $pids), check (records and compares,
# below), fail MESSAGE (ends the test: status 75 if jackd is hung, which retry.sh answers with
# a fresh server, else 1).
#
# Graph changes (connections, clients activating or closing) go through the tools `patch` and
# `capture`, which make them only while the server runs on time: jackd 1.9.21 can hang when
# the graph changes while its periods run late (docs/live.md, "Why the live tests wait").
tmp=$(mktemp -d)
# A sanitizer build's jalv (third-party, uninstrumented) needs the sanitizer runtime preloaded
# to load the instrumented plugin: QK_JALV_PRELOAD names it, and a wrapper first on PATH gives
# it to jalv alone (preloaded into jackd too, it hung the dummy server).
if [ -n "${QK_JALV_PRELOAD:-}" ] && real_jalv=$(command -v jalv); then
  mkdir -p "$tmp/bin"
  printf '#!/bin/sh\nLD_PRELOAD="%s" exec "%s" "$@"\n' "$QK_JALV_PRELOAD" "$real_jalv" \
    >"$tmp/bin/jalv"
  chmod +x "$tmp/bin/jalv"
  PATH="$tmp/bin:$PATH"
  export PATH
fi
pids=""
jackd_pid=""
jackd_hung=""
patch=$(cd "$(dirname "$capture")" && pwd)/patch

# JACK settings from the environment that change how the server and its clients find and
# wake each other (shared names, semaphore modes, a debug wrapper, autostart): the tests use
# the defaults and set their own.
unset JACK_PROMISCUOUS_SERVER JACK_INTERNAL_CLIENT_SYNC JACK_CLIENT_DEBUG JACK_START_SERVER \
  JACK_DRIVER_DIR
export JACK_NO_AUDIO_RESERVATION=1
export JACK_NO_START_SERVER=1   # jack_lsp and friends must never start a server themselves

# alive PID: the process exists and has not exited (kill -0 also succeeds for an exited child
# that has not been waited for yet).
alive() {
  st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  case $st in Z*) return 1 ;; esac
}

descendants() {
  for d in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$d"
    descendants "$d"
  done
}

# stop PID...: SIGTERM, up to 10 s to exit, then SIGKILL (with their descendants, for a
# script that started processes of its own); every PID is waited for.
stop() {
  [ $# -gt 0 ] || return 0
  kill "$@" 2>/dev/null
  i=0
  while [ $i -lt 100 ]; do
    left=""
    for p in "$@"; do alive "$p" && left="$left $p"; done
    [ -n "$left" ] || break
    sleep 0.1
    i=$((i + 1))
  done
  for p in $left; do
    echo "jack-env: process $p did not stop within 10 s; killed" >&2
    kill -KILL $(descendants "$p") "$p" 2>/dev/null
  done
  for p in "$@"; do wait "$p" 2>/dev/null; done
}

# Clients first, the server last: a client closing while its server is going away waits for
# libjack's timeouts.
cleanup() {
  clients=""
  for p in $pids; do [ "$p" = "$jackd_pid" ] || clients="$clients $p"; done
  # shellcheck disable=SC2086
  stop $clients
  [ -z "$jackd_pid" ] || stop "$jackd_pid"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Without job control, sh gives an asynchronous command /dev/null as its standard input
# unless it redirects it: fd 8 carries the caller's standard input through (jalv and quarks
# run read commands from it).
start_bg() {
  { "$@" <&8 8<&- & } 8<&0
  pids="$! $pids"
  last_pid=$!
}

# jack_waiters PID: the threads of PID asleep in a futex wait on a JACK semaphore (a
# /dev/shm/jack_sem.* mapping: a client's process thread waiting for its period), one
# "TID SWITCHES" line each, SWITCHES counting every time the thread ran.
jack_waiters() {
  sems=$(awk '/\/dev\/shm\/jack_sem\./ { split($1, a, "-"); sub(/^0+/, "", a[1]); print a[1] }' \
    "/proc/$1/maps" 2>/dev/null)
  [ -n "$sems" ] || return 0
  for t in "/proc/$1/task/"*; do
    read -r nr addr rest <"$t/syscall" 2>/dev/null || continue
    [ "$nr" = 202 ] || continue  # futex
    addr=$(echo "${addr#0x}" | sed 's/^0*//')
    for s in $sems; do
      [ "$s" = "$addr" ] || continue
      echo "${t##*/} $(awk '/ctxt_switches/ { n += $2 } END { print n }' "$t/status")"
    done
  done
}

# hung: succeeds, printing the evidence, if jackd is hung the way docs/live.md describes:
# every JACK client process of the test is asleep with its process thread waiting on its JACK
# semaphore, and none of those threads runs once in 2 s (a server running periods wakes each
# of them every period; a client stuck in its own process callback is not waiting there).
hung() {
  [ -n "$jackd_pid" ] && alive "$jackd_pid" || return 1
  before=""
  waiters=0
  for p in $(descendants $$); do
    [ "$p" = "$jackd_pid" ] && continue
    grep -q '/dev/shm/jack_sem\.' "/proc/$p/maps" 2>/dev/null || continue
    # Running (R) or stopped (T): then a client, not the server, holds the graph up.
    grep -q '^State:[[:space:]]*[RT]' "/proc/$p/task/"*/status 2>/dev/null && return 1
    w=$(jack_waiters "$p")
    # A JACK client without a waiting process thread is not active (a jack_connect waiting
    # for the server to answer, asleep).
    [ -n "$w" ] || continue
    waiters=$((waiters + 1))
    before="$before $p:$(echo "$w" | tr ' \n' '=,')"
  done
  [ $waiters -gt 0 ] || return 1
  sleep 2
  after=""
  for entry in $before; do
    p=${entry%%:*}
    after="$after $p:$(jack_waiters "$p" | tr ' \n' '=,')"
  done
  [ "$before" = "$after" ] || return 1
  jackd_hung=1
  echo "jackd is hung: no period for 2 s, and every JACK client waits for its period in"
  echo "libjack (process:thread=switches of the waiting threads:$before)"
  for t in "/proc/$jackd_pid/task/"*; do
    echo "  jackd thread ${t##*/}: $(cat "$t/wchan" 2>/dev/null) (syscall $(cut -d' ' -f1,2 "$t/syscall" 2>/dev/null))"
  done
  echo "jackd log (last lines):"
  tail -n 5 "$tmp/jackd.log"
}

# fail MESSAGE: the end of a failed test, with the logs it has. Status 75 when jackd is hung
# (a fault of the server, see hung), so that retry.sh runs the test again on a fresh server;
# any other failure is 1 and is never retried.
fail() {
  echo "FAIL: $*"
  for f in "$tmp"/*.log; do
    [ -f "$f" ] && [ "$f" != "$tmp/jackd.log" ] && { echo "--- ${f##*/}"; tail -n 20 "$f"; }
  done
  if [ -n "$jackd_hung" ] || hung; then
    exit 75
  fi
  echo "--- jackd.log"
  tail -n 20 "$tmp/jackd.log"
  exit 1
}

# check CAPTURE ALIGN FRAMES PORT REFERENCE.wav: records PORT for FRAMES frames with the test
# recorder and compares it with the render at a period-aligned offset (tolerance 0). In
# synchronous mode an xrun only delays a period, so a recording with xruns is still compared;
# only if it then differs is it recorded again (up to 3 times), since on a loaded machine a
# client may still have missed a period.
check() {
  for attempt in 1 2 3; do
    timeout 60 "$1" cap "$3" "$tmp/cap.wav" "$4"; rc=$?  # capture's own limits come first
    [ $rc -eq 0 ] || [ $rc -eq 3 ] || return 1
    "$2" 0 "${PERIOD:-256}" "$tmp/cap.wav" "$5" && return 0
    [ $rc -eq 3 ] || return 1
    echo "xruns during recording $attempt and a difference: recording again"
  done
  echo "FAIL: every recording had xruns and differed"
  return 1
}

# The server name comes from a small pool (qk-test-0 .. qk-test-5), the first one that no
# other test holds (a lock file, held until every process of this test has exited): JACK
# keeps a registry of 8 server names in shared memory, and a server killed without cleaning up
# leaves its entry behind until a server of the same name starts again, so unique names (by
# PID) would fill it for good. A name still served by a stray jackd makes ours fail to start,
# and the next name is tried. Synchronous mode (-S): the server waits for the whole graph
# every period, so a late client delays the period instead of leaving a stale buffer. Client
# timeout (-t, ms): in synchronous mode the server waits ten times this long for a late graph;
# 10 s is far more than a loaded machine needs, and short enough for a hung server to show.
# PERIOD (default 256) is the period size.
locks=${TMPDIR:-/tmp}/quarks-live-$(id -u)
mkdir -p "$locks"
for n in 0 1 2 3 4 5; do
  export JACK_DEFAULT_SERVER="qk-test-$n"
  exec 9>"$locks/$JACK_DEFAULT_SERVER.lock"
  # Another test has it (flock is in util-linux; without it, jackd's own check remains).
  ! command -v flock >/dev/null || flock -n 9 || continue
  start_bg jackd -S -t 1000 --no-realtime -d dummy -r 48000 -p "${PERIOD:-256}" \
    >"$tmp/jackd.log" 2>&1
  jackd_pid=$last_pid
  i=0
  until alive "$jackd_pid" && timeout 3 jack_lsp >/dev/null 2>&1; do
    i=$((i + 1))
    if ! alive "$jackd_pid" || [ $i -gt 100 ]; then
      break
    fi
    sleep 0.1
  done
  # Alive and answering: then it is our server (another under this name would have made ours
  # exit at once).
  if alive "$jackd_pid" && timeout 3 jack_lsp >/dev/null 2>&1; then
    break
  fi
  stop "$jackd_pid"
  pids=""
  jackd_pid=""
done
if [ -z "$jackd_pid" ]; then
  echo "SKIP: jackd -d dummy cannot start (or every server name qk-test-0..5 is taken):" >&2
  cat "$tmp/jackd.log" >&2 2>/dev/null
  exit 77
fi
