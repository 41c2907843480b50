#!/bin/sh
# usage: check_programs.sh SKELETON BPF_SOURCES...
#
# Every program is written out in ebpf/, so that grep finds it: each program of
# the skeleton is defined by a line "int NAME(" (or "int BPF_PROG(NAME,") of a
# source, and each syscall tracepoint's SEC line is followed by its program,
# la_enter_X for sys_enter_X and la_exit_X for sys_exit_X.
skel=$1
shift
status=0
for p in $(sed -n 's/.*progs\[[0-9]*\]\.name = "\(.*\)";/\1/p' "$skel"); do
	if ! grep -qE "^int ($p\(|BPF_PROG\($p,)" "$@"; then
		echo "$skel: program $p is not written out in ebpf/" >&2
		status=1
	fi
done
awk 'prev ~ /^SEC\("tracepoint\/syscalls\/sys_(enter|exit)_/ {
	want = prev
	sub(/^SEC\("tracepoint\/syscalls\/sys_/, "la_", want)
	sub(/".*/, "", want)
	if (index($0, "int " want "(") != 1) {
		print FILENAME ":" FNR ": the program of " prev " is not " want > "/dev/stderr"
		bad = 1
	}
}
{ prev = $0 }
END { exit bad }' "$@" || status=1
exit $status
