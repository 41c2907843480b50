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
# DIR/log/audit.log, lauditctl's socket DIR/ctl.sock; returns once capture has begun (it says so on stderr, after
# handing DAEMON_START to its writer).
la_start() {
	local dir=$1 i
	shift
	mkdir -p "$dir"
	{
		echo "log_file = $dir/log/audit.log"
		# a socket of its own: no other daemon's, no /run/lauditd.sock
		echo "control_socket = $dir/ctl.sock"
		# a record for every syscall, as auditd writes them; a test turns the filter on
		echo "cache_filter = off"
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

# audit_status FIELD: a field of the kernel's `auditctl -s`.
audit_status() {
	auditctl -s | awk -v f="$1" '$1 == f { print $2; exit }'
}

# t_audit_save DIR: keep the kernel's audit rules and enabled flag (in DIR) for
# t_audit_restore.
t_audit_save() {
	AUDIT_SAVED=$1/saved.rules
	AUDIT_SAVED_ENABLED=$(audit_status enabled)
	auditctl -l > "$AUDIT_SAVED"
}

# t_audit_restore (not bench/lib.sh's audit_restore): the kernel's rules and enabled flag back as t_audit_save found them;
# returns 1, after a warning, when they could not be restored.
t_audit_restore() {
	auditctl -D > /dev/null 2>&1
	if ! grep -q '^No rules' "$AUDIT_SAVED"; then
		auditctl -R "$AUDIT_SAVED" > /dev/null 2>&1 ||
			echo "WARNING: could not restore the rules saved in $AUDIT_SAVED"
	fi
	auditctl -e "$AUDIT_SAVED_ENABLED" > /dev/null 2>&1
	[ "$(audit_status enabled)" = "$AUDIT_SAVED_ENABLED" ] ||
		echo "WARNING: could not restore the kernel's audit enabled flag"
	grep -q '^No rules' "$AUDIT_SAVED" || [ "$(auditctl -l)" = "$(cat "$AUDIT_SAVED")" ]
}

# la_fake_init DIR LAUDITD: DIR/ns-lauditd runs LAUDITD in a mount namespace of its
# own where DIR/init is bound over /sbin/init (checked before LAUDITD starts), so that
# the machine's init is never run; the stand-in writes its arguments to DIR/init.args
# and takes a second.  Returns 1 when there is no /sbin/init to stand in for.
la_fake_init() {
	[ -e /sbin/init ] && command -v unshare > /dev/null || return 1
	cat > "$1/init" << EOS
#!/bin/sh
[ "\$1" = --probe ] && { echo fake; exit 0; }
echo "\$*" > "$1/init.args"
sleep 1
EOS
	chmod 755 "$1/init"
	cat > "$1/ns-lauditd" << EOS
#!/bin/sh
exec unshare -m --propagation private sh -c \
	'mount --bind "$1/init" /sbin/init && [ "\$(/sbin/init --probe)" = fake ] && exec "\$0" "\$@"' \
	"$2" "\$@"
EOS
	chmod 755 "$1/ns-lauditd"
}

# t_auditd_prereq NAME [TOOL...]: what a test that starts the real auditd beside
# lauditd needs: auditd, auditctl and the TOOLs (FAIL when missing), the
# benchmarks' lock (one harness at a time starts auditd), a kernel whose audit
# is neither locked (enabled 2) nor held by another audit daemon (SKIPPED, exit 0).
t_auditd_prereq() {
	local name=$1 t
	shift
	for t in auditd auditctl "$@"; do
		command -v "$t" > /dev/null || {
			echo "FAIL: $t is not installed (make deps)"
			exit 1
		}
	done
	if [ -z "${BENCH_LOCKED:-}" ]; then
		exec 9> /run/lauditd-bench.lock
		flock -w 300 9 || {
			echo "FAIL: /run/lauditd-bench.lock was held for 5 minutes"
			exit 1
		}
		export BENCH_LOCKED=1
	fi
	if [ "$(audit_status enabled)" = 2 ]; then
		echo "SKIPPED: $name: the kernel's audit configuration is locked (enabled 2)"
		exit 0
	fi
	if pgrep -x auditd > /dev/null || [ "$(audit_status pid)" != 0 ]; then
		echo "SKIPPED: $name: an audit daemon runs (pid $(audit_status pid)); the test starts its own"
		exit 0
	fi
}

# t_la_kill: stops the lauditd of $LA_PID if it still runs, by SIGTERM, then
# SIGKILL after 30 s (a test's exit trap).
t_la_kill() {
	local _
	if [ -n "${LA_PID:-}" ] && kill -0 "$LA_PID" 2> /dev/null; then
		kill -TERM "$LA_PID"
		for _ in $(seq 1 300); do
			kill -0 "$LA_PID" 2> /dev/null || break
			sleep 0.1
		done
		kill -KILL "$LA_PID" 2> /dev/null
		wait "$LA_PID" 2> /dev/null
	fi
}
