#!/bin/sh
# SPDX-License-Identifier: ISC
# lv2_validate (lv2-dev: sord_validate against the installed LV2 specs) on every
# .ttl of the built bundle must report 0 errors. lv2_validate exits 0 even when
# it finds errors, so the verdict is its "Found N errors" line.
# Usage: test_validate.sh BUNDLE_DIR (default: $QUARKS_BUNDLE)
set -u
bundle=${1:-${QUARKS_BUNDLE:-}}
[ -n "$bundle" ] && [ -f "$bundle/manifest.ttl" ] || {
	echo "FAIL: no bundle manifest at '$bundle/manifest.ttl'"; exit 1; }
command -v lv2_validate >/dev/null || { echo "FAIL: lv2_validate not found (lv2-dev)"; exit 1; }

set -- "$bundle"/*.ttl
echo "validating $# files: $*"
log=$(lv2_validate "$@" 2>&1)
printf '%s\n' "$log" | grep -v '^Skipping file'
found=$(printf '%s\n' "$log" | sed -n 's/^Found \([0-9][0-9]*\) errors\{0,1\} among.*/\1/p' | tail -n 1)
[ -n "$found" ] || { echo "FAIL: no 'Found N errors' line from lv2_validate"; exit 1; }
[ "$found" -eq 0 ] || { echo "FAIL: lv2_validate found $found errors"; exit 1; }
echo "PASS: lv2_validate found 0 errors"
