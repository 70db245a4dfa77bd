# SPDX-License-Identifier: ISC
# Shared by the check-*.sh scripts: a private folder, a reference render, and the checks that
# an output path holds exactly what it held before (or nothing) and nothing else.
set -u
quarks=$1 graph=$2
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A finished render of the graph (its output y.wav) to compare against.
reference() { # DIR [OPTIONS...]
	d=$1; shift
	"$quarks" render -q -o "$d" "$@" "$graph" || fail "reference render failed"
}

# The file at $1 is byte-identical to $2.
same() { cmp -s "$1" "$2" || fail "$1 differs from $2 (truncated or corrupt)"; }

# Only the expected names in folder $1 (hidden temporaries excluded when $2 is "allow-tmp").
only() { # DIR ALLOW_TMP NAME...
	d=$1 allow=$2; shift 2
	for f in $(ls -A "$d"); do
		case " $* " in *" $f "*) continue ;; esac
		case $f in .*.tmp-*) [ "$allow" = allow-tmp ] && continue ;; esac
		fail "unexpected file '$f' in $d"
	done
}
