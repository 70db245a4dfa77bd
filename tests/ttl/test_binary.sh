#!/bin/sh
# SPDX-License-Identifier: ISC
# The plugin binary exports only lv2_descriptor and links only libc and libm
# (CHECKLIST.md, Binary): anything else clashes with the host's symbols or
# drags a library into every host that loads the bundle.
# Usage: test_binary.sh PATH_TO_SO
set -u
so=${1:-}
[ -f "$so" ] || { echo "FAIL: no shared object at '$so'"; exit 1; }
status=0

# Defined dynamic symbols (nm -D --defined-only prints "address type name").
syms=$(nm -D --defined-only "$so" | awk 'NF >= 3 { print $3 }') || { echo "FAIL: nm"; exit 1; }
echo "exported: $syms"
[ "$syms" = "lv2_descriptor" ] || { echo "FAIL: must export exactly lv2_descriptor"; status=1; }

# NEEDED entries: "... (NEEDED) Shared library: [libc.so.6]".
needed=$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p') || { echo "FAIL: readelf"; exit 1; }
echo "needed: $needed"
for lib in $needed; do
	case $lib in
	libc.so.* | libm.so.*) ;;
	libasan.so.* | libubsan.so.*)
		# a -Db_sanitize build (QK_SANITIZE set by meson): the runtimes are expected there
		case ${QK_SANITIZE:-none} in
		none) echo "FAIL: links $lib (only libc and libm allowed)"; status=1 ;;
		*) echo "allowed in a sanitizer build: $lib" ;;
		esac ;;
	*) echo "FAIL: links $lib (only libc and libm allowed)"; status=1 ;;
	esac
done
[ $status -eq 0 ] && echo "PASS"
exit $status
