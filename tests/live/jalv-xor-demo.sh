#!/bin/sh
# SPDX-License-Identifier: ISC
# The jalv demo (demos/jalv/patch-xor.sh) on a dummy server: its output, recorded through JACK,
# equals `quarks render demos/xor/xor.graph` after alignment (tolerance 0). The demo script
# stops its own processes; the test stops the script by its PID.
# The demo connects its clients with jack_connect as soon as their ports appear, as a person
# would; its seven connections come while the four clients are still starting and periods
# run late, when jackd 1.9.21 hangs on graph changes (docs/live.md, "Why the live tests
# wait"): about two runs in five on a loaded machine. So here the jack_connect on PATH is
# the tests' patch, which makes the same connections once the server runs on time; the rest
# of the demo (its clients, ports, controls and connection list) is what it ships.
# Usage: jalv-xor-demo.sh QUARKS CAPTURE ALIGN DEMOS_DIR
set -u
quarks=$1 capture=$2 align=$3 demos=$4
. "$(dirname "$0")/jack-env.sh"
mkdir -p "$tmp/bin"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$patch" >"$tmp/bin/jack_connect"
chmod +x "$tmp/bin/jack_connect"
start_bg env PATH="$tmp/bin:$PATH" QUARKS="$quarks" PREFIX=t sh "$demos/jalv/patch-xor.sh" 50 \
  >"$tmp/demo.log" 2>&1
demo_pid=$last_pid
# Up to 30 s: the demo's own waits are 10 s per port. If jackd hangs anyway, the demo gives up
# a few seconds later and stops its clients, and with them the evidence: so every 3 s without
# the demo's last line, the test looks for a hung server while the clients are still there.
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
