#!/usr/bin/env bash
# What capturing the syscalls outside the families (ebpf/other.bpf.c) costs the
# syscalls no rule names: rdwr -d (read of /dev/zero, write to /dev/null, 64 B)
# under
#   none    no logger;
#   family  lauditd with a rule on unlink only: unlink's programs attached; every
#           syscall takes the kernel's tracepoint path, no program runs for read
#           or write;
#   other   lauditd with rules on unlink and mkdir: la_enter_other and
#           la_exit_other attached to mkdir's own tracepoints, nothing more for
#           read or write;
#   raw     lauditd with rules on unlink and init_module, which has no tracepoint
#           of its own on a kernel without modules (else as other): the raw pair
#           on sys_enter and sys_exit, run at each syscall's entry and exit and
#           returning after one array lookup for read and write.
# The configurations alternate; the median of REPEATS runs of N iterations each.
#
# usage: bash bench/others.sh [BUILD_DIR]     (root; N=1000000 REPEATS=5)
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib.sh
. "$here/../tests/lib.sh"
O=${1:-build}
N=${N:-1000000}
REPEATS=${REPEATS:-5}
[ "$(id -u)" = 0 ] || {
	echo "bench/others.sh: needs root" >&2
	exit 1
}
# tests/lib.sh's la_start runs $LAUDITD
export LAUDITD
LAUDITD=$(cd "$O" && pwd)/lauditd
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lauditd-others.XXXXXX")
LA_PID=
cleanup() {
	[ -n "$LA_PID" ] && kill -0 "$LA_PID" 2> /dev/null && la_stop
	rm -rf "$tmp"
}
trap cleanup EXIT

# one DIR CONFIG: a run of rdwr -d under CONFIG; prints its microseconds per call
one() {
	local dir=$tmp/$2 us
	rm -rf "$dir"
	mkdir -p "$dir"
	case $2 in
	family) echo "-a always,exit -F arch=b64 -S unlink -k u" > "$dir/audit.rules" ;;
	other | raw)
		printf '%s\n' "-a always,exit -F arch=b64 -S unlink -k u" \
			"-a always,exit -F arch=b64 -S $([ "$2" = raw ] && echo init_module || echo mkdir)" \
			> "$dir/audit.rules"
		;;
	esac
	if [ "$2" != none ]; then
		chmod 0600 "$dir/audit.rules"
		la_start "$dir" > /dev/null || exit 1
	fi
	us=$("$O/bench/rdwr" -d "$N" | sed -n 's/.*us_per_call=\([0-9.]*\).*/\1/p')
	if [ "$2" != none ]; then
		la_stop
		LA_PID=
	fi
	echo "$us"
}

for _ in $(seq 1 "$REPEATS"); do
	for c in none family other raw; do
		echo "$c $(one "$tmp" "$c")" >> "$tmp/runs"
	done
done
echo "rdwr -d, $N iterations, median of $REPEATS (us per read or write):"
for c in none family other raw; do
	awk -v c="$c" '$1 == c { print $2 }' "$tmp/runs" | sort -n |
		awk -v c="$c" '{ v[NR] = $1 } END { printf "  %-7s %s  (runs: ", c, v[int((NR + 1) / 2)];
			for (i = 1; i <= NR; i++) printf "%s%s", v[i], i < NR ? " " : ")\n" }'
done
