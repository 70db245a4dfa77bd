# Sourced by the live tests: a private dummy JACK server (no sound card, no realtime) under a
# name of its own (see below), so parallel tests do not collide, and cleanup of every process
# the test started, by PID. Exits 77 (meson: skipped) only if jackd cannot start at all.
# After sourcing: $tmp (a scratch folder), start_bg CMD... (records the PID in $pids),
# wait_port PORT (waits up to 10 s for a JACK port to appear).
tmp=$(mktemp -d)
pids=""
jackd_pid=""
# Clients first, the server last: a client closing while its server is going away waits for
# libjack's timeouts.
cleanup() {
  for p in $pids; do [ "$p" = "$jackd_pid" ] || kill "$p" 2>/dev/null; done
  for p in $pids; do [ "$p" = "$jackd_pid" ] || wait "$p" 2>/dev/null; done
  if [ -n "$jackd_pid" ]; then kill "$jackd_pid" 2>/dev/null; wait "$jackd_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
export JACK_NO_AUDIO_RESERVATION=1
export JACK_NO_START_SERVER=1   # jack_lsp and friends must never start a server themselves

start_bg() {
  "$@" &
  pids="$! $pids"
  last_pid=$!
}

wait_port() {
  i=0
  while ! timeout 3 jack_lsp 2>/dev/null | grep -qx "$1"; do
    i=$((i + 1))
    if [ $i -gt 100 ]; then echo "FAIL: port $1 did not appear" >&2; return 1; fi
    sleep 0.1
  done
}

# check CAPTURE ALIGN FRAMES PORT REFERENCE.wav: records PORT for FRAMES frames with the test
# recorder and compares it with the render at a period-aligned offset (tolerance 0). In
# synchronous mode an xrun only delays a period, so a recording with xruns is still compared;
# only if it then differs is it recorded again (up to 3 times), since on a loaded machine a
# client may still have missed a period.
check() {
  for attempt in 1 2 3; do
    timeout 30 "$1" cap "$3" "$tmp/cap.wav" "$4"; rc=$?  # a stuck server fails here, not at meson's kill
    [ $rc -eq 0 ] || [ $rc -eq 3 ] || return 1
    "$2" 0 "${PERIOD:-256}" "$tmp/cap.wav" "$5" && return 0
    [ $rc -eq 3 ] || return 1
    echo "xruns during recording $attempt and a difference: recording again"
  done
  echo "FAIL: every recording had xruns and differed"
  return 1
}

# The server name comes from a small pool (qk-test-0 .. qk-test-5), the first one free: JACK
# keeps a registry of 8 server names in shared memory, and a server killed without cleaning up
# leaves its entry behind until a server of the same name starts again, so unique names (by
# PID) would fill it for good. Synchronous mode (-S): the server waits for the whole graph
# every period, so a late client delays the period instead of leaving a stale buffer. A long
# client timeout (-t, ms): on a loaded machine a slow client must not be dropped as a zombie.
# PERIOD (default 256) is the period size.
for n in 0 1 2 3 4 5; do
  export JACK_DEFAULT_SERVER="qk-test-$n"
  timeout 3 jack_lsp >/dev/null 2>&1 && continue   # in use by another test
  start_bg jackd -S -t 5000 --no-realtime -d dummy -r 48000 -p "${PERIOD:-256}" \
    >"$tmp/jackd.log" 2>&1
  jackd_pid=$last_pid
  i=0
  until timeout 3 jack_lsp >/dev/null 2>&1; do
    i=$((i + 1))
    if ! kill -0 "$jackd_pid" 2>/dev/null || [ $i -gt 100 ]; then
      break
    fi
    sleep 0.1
  done
  if kill -0 "$jackd_pid" 2>/dev/null && timeout 3 jack_lsp >/dev/null 2>&1; then
    break
  fi
  kill "$jackd_pid" 2>/dev/null
  wait "$jackd_pid" 2>/dev/null
done
if ! kill -0 "$jackd_pid" 2>/dev/null || ! timeout 3 jack_lsp >/dev/null 2>&1; then
  echo "SKIP: jackd -d dummy cannot start:" >&2
  cat "$tmp/jackd.log" >&2
  exit 77
fi
