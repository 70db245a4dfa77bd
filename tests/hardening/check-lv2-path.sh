#!/bin/sh
# SPDX-License-Identifier: ISC
# check-lv2-path.sh QUARKS GRAPH LV2_DIR
# A relative LV2_PATH (LV2_PATH=lv2, run from the build folder) renders like an absolute one.
# lilv 0.24.14 crashes on a relative bundle folder; quarks makes the entries absolute first.
. "$(dirname "$0")/common.sh"
lv2dir=$3
LV2_PATH=$lv2dir:/usr/lib/lv2 "$quarks" render -q -o "$tmp/abs" "$graph" || fail "absolute LV2_PATH"
cd "$(dirname "$lv2dir")" || fail "cd"
LV2_PATH=$(basename "$lv2dir"):/usr/lib/lv2 "$quarks" render -q -o "$tmp/rel" "$graph"
rc=$?
[ "$rc" -eq 0 ] || fail "relative LV2_PATH: exit status $rc"
for f in "$tmp/abs"/*; do same "$tmp/rel/$(basename "$f")" "$f"; done
echo ok
