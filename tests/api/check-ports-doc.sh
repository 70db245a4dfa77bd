#!/bin/sh
# SPDX-License-Identifier: ISC
# Usage: check-ports-doc.sh TTLGEN PORTS.md
# The port table of docs/PORTS.md is the one ttlgen writes from the plugins' tables: a plugin
# added, or a port changed, without the documentation fails here.
set -eu
ttlgen=$1 doc=$2
want=$(mktemp) have=$(mktemp)
trap 'rm -f "$want" "$have"' EXIT
"$ttlgen" --markdown >"$want"
sed -n '/^<!-- ports: generated/,/^<!-- end of ports -->/p' "$doc" | sed '1d;$d' >"$have"
if ! diff -u "$have" "$want"; then
	echo "$doc: the port table is not the plugins' (lines with + are theirs)." >&2
	echo "Replace it with the output of: $ttlgen --markdown" >&2
	exit 1
fi
echo "$doc: port table of $(($(wc -l <"$want") - 2)) plugins is current"
