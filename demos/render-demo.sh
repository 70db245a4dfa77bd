#!/bin/sh
# SPDX-License-Identifier: ISC
# The main job of `./run demo`: render the XOR circuit (OR gated by NAND, no
# hidden layer) through the installed plugins and plot it.
# Usage: demos/render-demo.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
out=${QUARKS_DEMO_DIR:-$HOME/quarks-demo}
# The installed command, as the README runs it; /usr/local/lib/lv2 is on lilv's default
# path (LV2_PATH, if set, must include it).
quarks=$(command -v quarks || true)
[ -n "$quarks" ] || quarks=${1:-build}/tools/quarks/quarks
"$quarks" render demos/xor/xor.graph --output-dir "$out" --plot "$out/xor.png"
echo "The XOR circuit's output is $out/xor.wav; its plot (inputs, OR, NAND, XOR) is $out/xor.png."
