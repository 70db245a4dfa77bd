#!/bin/sh
# The jalv demo (demos/jalv/patch-xor.sh) on a dummy server: its output, recorded through JACK,
# equals `quarks render demos/xor/xor.graph` after alignment (tolerance 0). The demo script
# stops its own processes; the test stops the script by its PID. The demo connects its
# clients with jack_connect as soon as their ports appear, as a person would; that is the
# one graph change here not made through the test tools (jack-env.sh), so a hung jackd is
# likelier in this test than in the others, and is answered by retry.sh.
# Usage: jalv-xor-demo.sh QUARKS CAPTURE ALIGN DEMOS_DIR
set -u
quarks=$1 capture=$2 align=$3 demos=$4
. "$(dirname "$0")/jack-env.sh"
start_bg env QUARKS="$quarks" PREFIX=t sh "$demos/jalv/patch-xor.sh" 50 >"$tmp/demo.log" 2>&1
demo_pid=$last_pid
# Up to 30 s: the demo's own waits are 10 s per port. If jackd hangs on one of its
# connections, the demo gives up a few seconds later and stops its clients, and with them the
# evidence: so every 3 s without the demo's last line, the test looks for a hung server
# while the clients are still there.
i=0
until grep -q "listen at" "$tmp/demo.log"; do
  i=$((i + 1))
  if [ $i -gt 300 ] || ! alive "$demo_pid"; then
    fail "the demo did not patch"
  fi
  [ $((i % 30)) -eq 0 ] && hung && fail "the demo did not patch: jackd is hung"
  sleep 0.1
done
"$quarks" render -q -d 60 "$demos/xor/xor.graph" -o "$tmp/render" || exit 1
check "$capture" "$align" 96000 t-gate:out "$tmp/render/xor.wav" || fail "t-gate:out"
