# Shared by the shell tests: assertions and a lauditd started on its own directory.
# shellcheck shell=bash

T_PASS=0
T_FAIL=0

# assert_eq NAME EXPECTED ACTUAL
assert_eq() {
	if [ "$2" = "$3" ]; then
		T_PASS=$((T_PASS + 1))
		echo "PASS: $1"
	else
		T_FAIL=$((T_FAIL + 1))
		echo "FAIL: $1: expected '$2', got '$3'"
	fi
}

# t_done: print the summary line and exit with the verdict.
t_done() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" = 0 ]
}

# t_skip_unless_root: the tests that load eBPF programs need root.
t_skip_unless_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "SKIPPED: $1 needs root to load eBPF programs"
		exit 0
	fi
	if [ ! -r /sys/kernel/btf/vmlinux ]; then
		echo "SKIPPED: $1 needs a kernel with BTF (/sys/kernel/btf/vmlinux)"
		exit 0
	fi
}

# la_start DIR [CONF_LINES...]: run lauditd on DIR/lauditd.conf logging to
# DIR/log/audit.log; returns once capture has begun (it says so on stderr, after
# handing DAEMON_START to its writer).
la_start() {
	local dir=$1 i
	shift
	mkdir -p "$dir"
	{
		echo "log_file = $dir/log/audit.log"
		for l in "$@"; do echo "$l"; done
	} > "$dir/lauditd.conf"
	"$LAUDITD" -f -c "$dir" 2> "$dir/stderr" &
	LA_PID=$!
	for i in $(seq 1 300); do
		grep -q '^lauditd: capturing' "$dir/stderr" 2>/dev/null && return 0
		kill -0 "$LA_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "lauditd did not start:" >&2
	cat "$dir/stderr" >&2
	return 1
}

# la_stop: SIGTERM, wait; LA_RC is its exit status.
la_stop() {
	kill -TERM "$LA_PID"
	wait "$LA_PID"
	LA_RC=$?
}
