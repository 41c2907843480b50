#!/usr/bin/env bash
# The cache filter keeps every dependence: provwork (tests/compat/provwork.c:
# writes and reads of files interleaved between processes, a read loop on an
# unchanged file, a file rewritten by a third process between two reads, a pipe
# and a socket pair) runs once under cache_filter = off and once under on, and
# provgraph.py builds the provenance graph from each log and checks that
# forward and backward tracking from every node reach the same nodes at the same
# steps through the same flows, each flow standing for as many syscalls.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
O=${1:-build}
LAUDITD=$O/lauditd
t_skip_unless_root "provgraph_test"
command -v python3 >/dev/null || { echo "FAIL: python3 not installed"; exit 1; }

dir=$(mktemp -d)
cleanup() {
	[ -n "${LA_PID:-}" ] && kill -9 "$LA_PID" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

# run off|on: provwork under lauditd with the filter so; its files in $dir/work-off|on
run() {
	mkdir -p "$dir/work-$1"
	la_start "$dir/$1" "cache_filter = $1" "cache_flush_interval = 10" || exit 1
	"$O/tests/compat/provwork" "$dir/work-$1"
	assert_eq "cache_filter = $1: provwork exits 0" 0 "$?"
	la_stop
	assert_eq "cache_filter = $1: lauditd exits 0" 0 "$LA_RC"
	assert_eq "cache_filter = $1: DAEMON_END lost=0" 0 \
		"$(grep '^type=DAEMON_END' "$dir/$1/log/audit.log" | sed -n 's/.* lost=\([0-9]*\).*/\1/p')"
}
run off
run on

out=$(python3 "$here/provgraph.py" "$dir/work-off" "$dir/off/log/audit.log" \
	"$dir/work-on" "$dir/on/log/audit.log")
assert_eq "provgraph.py: the two graphs track the same" 0 "$?"
echo "$out"
# flow, syscalls, records off, records on; a process's first record is never
# cached (D's first pipe read: it carries the exe and proctitle)
assert_eq "the flows, their syscalls and records" "\
file:F->proc:pw-B 4 4 2
file:G->proc:pw-B 102 102 2
file:H->proc:pw-C 2 2 1
file:L->proc:pw-C 2 2 1
pipe:0->proc:pw-D 3 3 2
proc:pw-A->file:F 3 3 1
proc:pw-A->pipe:0 3 3 1
proc:pw-B->file:K 2 2 1
proc:pw-B->sock:0:0>1 3 3 1
proc:pw-C->file:G 2 2 1
proc:pw-D->file:H 2 2 1
proc:pw-D->file:L 2 2 1
proc:pw-D->sock:0:1>0 1 1 1
sock:0:0>1->proc:pw-D 3 3 3
sock:0:1>0->proc:pw-B 1 1 1" "$(grep -v '^ok' <<< "$out")"
assert_eq "the summary" "ok: 17 steps, 12 nodes, 15 flows, 135 records off, 20 on" \
	"$(grep '^ok' <<< "$out")"

# The checker sees a wrong span: A's merged writes (of F, of the pipe) said to
# last 30 ms longer make F depend on A at a later step than any of A's writes.
awk '/ comm="pw-A"/ && / syscall=1 / && / merged=2 / {
	match($0, / merged_us=[0-9]+/)
	sub(/ merged_us=[0-9]+/, " merged_us=" substr($0, RSTART + 11, RLENGTH - 11) + 30000)
} { print }' "$dir/on/log/audit.log" > "$dir/bad.log"
out=$(python3 "$here/provgraph.py" "$dir/work-off" "$dir/off/log/audit.log" \
	"$dir/work-on" "$dir/bad.log")
assert_eq "provgraph.py: a span too long fails" 1 "$?"
sed -n 's/^FAIL: /provgraph.py on the wrong log: /p' <<< "$out"
assert_eq "... backward tracking from F finds A later" 1 \
	"$(grep -c '^FAIL: backward from file:F: reached off .*(.proc:pw-A., 3)\]' <<< "$out")"
t_done
