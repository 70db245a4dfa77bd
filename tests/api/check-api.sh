#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: check-api.sh API_DUMP GOLDEN BASE_URI
# Fails, showing the difference, when the bundle's saved API is not the golden file's.
set -eu
dump=$1 golden=$2 base=$3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$dump" "$base" >"$out"
if ! diff -u "$golden" "$out"; then
	echo "The bundle's saved API differs from $golden (lines with - are shipped and gone)." >&2
	echo "Shipped URIs, port indices, symbols, names, ranges and defaults never change;" >&2
	echo "a new plugin, port or preset is added to the golden file (HACKING.md)." >&2
	exit 1
fi
echo "api: $(grep -c ' plugin$' "$golden") plugins, $(wc -l <"$golden") facts, as shipped"
