# Sourced by the live tests: a private dummy JACK server (no sound card, no realtime) under a
# unique name, so parallel tests do not collide, and cleanup of every process the test started,
# by PID. Exits 77 (meson: skipped) only if jackd cannot start at all.
# After sourcing: $tmp (a scratch folder), start_bg CMD... (records the PID in $pids),
# wait_port PORT (waits up to 10 s for a JACK port to appear).
tmp=$(mktemp -d)
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null; done
  for p in $pids; do wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
export JACK_DEFAULT_SERVER="qk-$(basename "$0" .sh)-$$"
export JACK_NO_AUDIO_RESERVATION=1

start_bg() {
  "$@" &
  pids="$! $pids"
  last_pid=$!
}

wait_port() {
  i=0
  while ! jack_lsp 2>/dev/null | grep -qx "$1"; do
    i=$((i + 1))
    if [ $i -gt 100 ]; then echo "FAIL: port $1 did not appear" >&2; return 1; fi
    sleep 0.1
  done
}

# Records PORT for FRAMES frames into FILE with the test recorder ($1 = capture program), again
# (up to 3 times) when an xrun happened during the recording on this shared machine.
record() {
  for attempt in 1 2 3; do
    "$1" cap "$2" "$3" "$4"; rc=$?
    [ $rc -ne 3 ] && return $rc
    echo "an xrun during recording $attempt: recording again"
  done
  echo "FAIL: xruns during every recording"
  return 1
}

start_bg jackd --no-realtime -d dummy -r 48000 -p 256 >"$tmp/jackd.log" 2>&1
jackd_pid=$last_pid
i=0
until jack_lsp >/dev/null 2>&1; do
  i=$((i + 1))
  if ! kill -0 "$jackd_pid" 2>/dev/null || [ $i -gt 100 ]; then
    echo "SKIP: jackd -d dummy cannot start:" >&2
    cat "$tmp/jackd.log" >&2
    exit 77
  fi
  sleep 0.1
done
