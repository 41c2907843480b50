#!/usr/bin/env bash
# The programs of the disk actions: an EXEC program that outlives the write
# that started it is reaped when it ends (no zombie child of lauditd), and
# SINGLE and HALT run init with 1 and 0.  space_left = 100% makes the first
# write fall below space_left.  init is a script here: lauditd runs in a mount
# namespace of its own where one is bound over /sbin/init, checked before
# lauditd starts, so that the machine's init is never run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
O=${1:-build}
REAL_LAUDITD=$(realpath "$O/lauditd")
t_skip_unless_root "action_test"
command -v unshare >/dev/null || { echo "SKIPPED: action_test needs unshare (util-linux)"; exit 0; }

dir=$(mktemp -d)
cleanup() {
	[ -n "${LA_PID:-}" ] && kill -9 "$LA_PID" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

# The children of @1 in state Z (zombies), one pid a line.
zombies_of() {
	local p
	for p in /proc/[0-9]*/stat; do
		awk -v pp="$1" '{ sub(/^.*\) /, ""); if ($1 == "Z" && $2 == pp) print FILENAME }' \
			"$p" 2>/dev/null
	done | wc -l
}

# Wait up to 10 s for file @1 to exist.
wait_file() {
	local i
	for i in $(seq 1 100); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

space_conf=("space_left = 100%" "admin_space_left = 0" "admin_space_left_action = IGNORE"
	"max_log_file = 0")

# --- EXEC: a program that takes a second leaves no zombie
cat > "$dir/slow" <<EOS
#!/bin/sh
echo \$\$ > "$dir/exec.pid"
sleep 1
EOS
chmod 755 "$dir/slow"
LAUDITD=$REAL_LAUDITD
la_start "$dir/exec" "${space_conf[@]}" "space_left_action = EXEC $dir/slow" || exit 1
"$O/tests/compat/workload" 1000 0 0 > /dev/null
wait_file "$dir/exec.pid" && r=ran || r="did not run"
assert_eq "EXEC: the program ran" ran "$r"
cpid=$(cat "$dir/exec.pid" 2>/dev/null)
sleep 2
assert_eq "EXEC: no zombie child of lauditd 2 s after the program began" 0 "$(zombies_of "$LA_PID")"
[ -n "$cpid" ] && [ ! -e "/proc/$cpid" ] && r=reaped || r="pid ${cpid:-?} still there"
assert_eq "EXEC: the program's pid is reaped" reaped "$r"
kill -0 "$LA_PID" 2>/dev/null && r=running || r=gone
assert_eq "EXEC: lauditd goes on" running "$r"
la_stop
assert_eq "EXEC: lauditd exits 0" 0 "$LA_RC"
assert_eq "EXEC: said in the log" 1 \
	"$(grep -c "free space below space_left, running $dir/slow" "$dir/exec/stderr")"

# --- SINGLE and HALT: init 1 and init 0, the fake init in lauditd's own mount namespace
if ! la_fake_init "$dir" "$REAL_LAUDITD"; then
	echo "note: no /sbin/init to stand in for: SINGLE and HALT not run"
	t_done
	exit
fi
LAUDITD=$dir/ns-lauditd

for t in "SINGLE 1 switching to single user mode" "HALT 0 halting the system"; do
	read -r action arg message <<< "$t"
	rm -f "$dir/init.args"
	la_start "$dir/$action" "${space_conf[@]}" "space_left_action = $action" || exit 1
	"$O/tests/compat/workload" 1000 0 0 > /dev/null
	wait_file "$dir/init.args" && r=$(cat "$dir/init.args") || r="not run"
	assert_eq "$action: init $arg ran (the stand-in)" "$arg" "$r"
	sleep 2
	assert_eq "$action: no zombie child of lauditd" 0 "$(zombies_of "$LA_PID")"
	assert_eq "$action: said in the log" 1 \
		"$(grep -c "free space below space_left, $message" "$dir/$action/stderr")"
	la_stop
done
t_done
