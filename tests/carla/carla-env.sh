# SPDX-License-Identifier: ISC
# Sourced by the real-Carla test: a private dummy JACK server at $RATE Hz (period $PERIOD) under
# a name of its own, and cleanup of every process the test started, by PID. The same server
# names as the live tests (qk-test-0 .. qk-test-5, the first free one): JACK's registry holds
# 8 server names, and a reused name reclaims the entry a killed server left behind.
# Exits 77 (meson: skipped) if jackd cannot start. After sourcing: $tmp, $jackd_pid.
tmp=$(mktemp -d)
pids=""
jackd_pid=""
cleanup() {
  for p in $pids; do [ "$p" = "$jackd_pid" ] || kill "$p" 2>/dev/null; done
  for p in $pids; do [ "$p" = "$jackd_pid" ] || wait "$p" 2>/dev/null; done
  if [ -n "$jackd_pid" ]; then
    kill -CONT "$jackd_pid" 2>/dev/null   # a test stopped by an error while it was stopped
    kill "$jackd_pid" 2>/dev/null
    wait "$jackd_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
export JACK_NO_AUDIO_RESERVATION=1
export JACK_NO_START_SERVER=1
command -v jackd >/dev/null || { echo "SKIP: no jackd (Debian package jackd2)"; exit 77; }
for n in 0 1 2 3 4 5; do
  export JACK_DEFAULT_SERVER="qk-test-$n"
  timeout 3 jack_lsp >/dev/null 2>&1 && continue   # in use by another test
  jackd -S -t 5000 --no-realtime -d dummy -r "${RATE:-48000}" -p "${PERIOD:-1024}" \
    >"$tmp/jackd.log" 2>&1 &
  jackd_pid=$!
  pids="$jackd_pid $pids"
  i=0
  until timeout 3 jack_lsp >/dev/null 2>&1; do
    i=$((i + 1))
    if ! kill -0 "$jackd_pid" 2>/dev/null || [ $i -gt 100 ]; then break; fi
    sleep 0.1
  done
  kill -0 "$jackd_pid" 2>/dev/null && timeout 3 jack_lsp >/dev/null 2>&1 && break
  kill "$jackd_pid" 2>/dev/null
  wait "$jackd_pid" 2>/dev/null
  jackd_pid=""
done
if [ -z "$jackd_pid" ]; then
  echo "SKIP: jackd -d dummy cannot start:"
  cat "$tmp/jackd.log"
  exit 77
fi
