#!/bin/sh
# SPDX-License-Identifier: ISC
# check-unwritable.sh QUARKS GRAPH
# Outputs into a folder the user may not write: a clear error naming the folder, exit status 1,
# and the folder unchanged (an older output in it stays byte-identical). As root, permissions
# do not apply, so the render runs as `nobody` (setpriv) when the test runs as root.
. "$(dirname "$0")/common.sh"
reference "$tmp/ref"
mkdir "$tmp/ro"
printf 'an older output\n' >"$tmp/ro/relu.wav"
cp "$tmp/ro/relu.wav" "$tmp/old.wav"
chmod 555 "$tmp/ro"
chmod 644 "$tmp/ro/relu.wav"
as_user=""
if [ "$(id -u)" -eq 0 ]; then
	command -v setpriv >/dev/null || { echo "SKIP: root without setpriv"; exit 77; }
	as_user="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	# nobody may not reach the build tree (a clone in /root): run copies from $tmp instead.
	mkdir -p "$tmp/run/lv2" "$tmp/run/g"
	cp "$quarks" "$tmp/run/quarks"
	cp "$graph" "$tmp/run/g/"
	[ -d "$(dirname "$graph")/inputs" ] && cp -r "$(dirname "$graph")/inputs" "$tmp/run/g/"
	for d in $(echo "${LV2_PATH:-}" | tr ':' ' '); do
		[ -d "$d/quarks.lv2" ] && { cp -r "$d/quarks.lv2" "$tmp/run/lv2/"; break; }
	done
	[ -d "$tmp/run/lv2/quarks.lv2" ] || fail "no quarks.lv2 on LV2_PATH"
	chmod -R a+rX "$tmp/run"
	quarks=$tmp/run/quarks graph=$tmp/run/g/$(basename "$graph")
	export LV2_PATH="$tmp/run/lv2:/usr/lib/lv2"
fi
run() { # DIR: a render that must fail with "cannot write in 'DIR'"
	# shellcheck disable=SC2086
	$as_user "$quarks" render -q -o "$1" "$graph" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	cat "$tmp/err"
	[ "$rc" -eq 1 ] || fail "exit status $rc, expected 1"
	grep -q "$2" "$tmp/err" || fail "no message '$2'"
}
run "$tmp/ro" "cannot write in '$tmp/ro': Permission denied"
same "$tmp/ro/relu.wav" "$tmp/old.wav"
only "$tmp/ro" no-tmp relu.wav
# A folder that cannot be created (its parent is read-only), and an -o that is a file.
run "$tmp/ro/sub" "cannot create the folder '$tmp/ro/sub': Permission denied"
only "$tmp/ro" no-tmp relu.wav
run "$tmp/ro/relu.wav" "'$tmp/ro/relu.wav' is not a folder"
same "$tmp/ro/relu.wav" "$tmp/old.wav"
echo ok
