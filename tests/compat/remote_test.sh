#!/usr/bin/env bash
# Debian's real audisp-remote (package audispd-plugins) as a lauditd plugin,
# sending to a real auditd listening on a loopback port (tcp_listen_port; its
# own config and log directories, no rules loaded, the kernel's audit state
# restored): every event of a workload arrives, counted by pid and syscall, each
# record with node= naming the sender.  Killed mid-run, audisp-remote is
# restarted.  A plugin that leaves its signals as it found them (sleep) starts
# with the same ignored and blocked signals under both daemons.  audisp-remote reads only /etc/audit/audisp-remote.conf: lauditd
# runs in a private mount namespace with a tmpfs over /etc/audit, so the
# machine's own /etc/audit is never touched.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# bench/lib.sh: the kernel's audit state (bench_init saves it, bench_cleanup
# stops auditd and restores it); tests/lib.sh second: its la_start and la_stop
# replace the benchmarks' own.
# shellcheck source=bench/lib.sh
. "$here/../../bench/lib.sh"
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
O=${1:-build}
t_skip_unless_root "remote_test"
for t in auditd auditctl unshare; do
	command -v $t > /dev/null || {
		echo "FAIL: $t is not installed (make deps)"
		exit 1
	}
done
[ -x /sbin/audisp-remote ] || {
	echo "FAIL: /sbin/audisp-remote is not installed (make deps: audispd-plugins)"
	exit 1
}
if [ -z "${BENCH_LOCKED:-}" ]; then
	exec 9> /run/lauditd-bench.lock
	flock -w 300 9 || {
		echo "FAIL: /run/lauditd-bench.lock was held for 5 minutes"
		exit 1
	}
	export BENCH_LOCKED=1
fi
if [ "$(audit_status enabled)" = 2 ]; then
	echo "SKIPPED: remote_test: the kernel's audit configuration is locked (enabled 2)"
	exit 0
fi
if pgrep -x auditd > /dev/null || [ "$(audit_status pid)" != 0 ]; then
	echo "SKIPPED: remote_test: an audit daemon runs (pid $(audit_status pid)); the test starts its own"
	exit 0
fi

LA_PID=
bench_init
REAL_LAUDITD=$B_LAUDITD
dir=$B_TMP
port=$((61000 + RANDOM % 2000))

r_cleanup() {
	local rc=$? _
	trap - EXIT
	# they ignore SIGTERM, as every plugin that sets no handler does
	[ -n "${SLEEPERS:-}" ] && kill -KILL $SLEEPERS 2> /dev/null
	if [ -n "$LA_PID" ] && kill -0 "$LA_PID" 2> /dev/null; then
		kill -TERM "$LA_PID"
		for _ in $(seq 1 300); do
			kill -0 "$LA_PID" 2> /dev/null || break
			sleep 0.1
		done
		kill -KILL "$LA_PID" 2> /dev/null
		wait "$LA_PID" 2> /dev/null
	fi
	(exit "$rc")
	bench_cleanup
}
trap r_cleanup EXIT

# --- the central auditd: network events only (no rules, the kernel's state unchanged)
ad=$dir/central
mkdir -p "$ad/etc/plugins.d" "$ad/log"
cat > "$ad/etc/auditd.conf" <<- EOF
	local_events = yes
	write_logs = yes
	log_file = $ad/log/audit.log
	log_format = RAW
	flush = INCREMENTAL_ASYNC
	freq = 50
	max_log_file = 0
	max_log_file_action = IGNORE
	num_logs = 5
	name_format = NONE
	space_left = 75
	space_left_action = SYSLOG
	admin_space_left = 50
	admin_space_left_action = SUSPEND
	disk_full_action = SUSPEND
	disk_error_action = SUSPEND
	tcp_listen_port = $port
	tcp_listen_queue = 5
	tcp_max_per_addr = 4
	use_libwrap = no
	tcp_client_max_idle = 0
	transport = TCP
	distribute_network = no
	q_depth = 2000
	overflow_action = SYSLOG
	max_restarts = 10
	plugin_dir = $ad/etc/plugins.d
EOF
chmod 0640 "$ad/etc/auditd.conf"
sleeper() { # PLUGINS_DIR
	printf 'active = yes\ndirection = out\npath = /usr/bin/sleep\ntype = always\nargs = 600\nformat = string\n' > "$1/sleep.conf"
	chmod 0640 "$1/sleep.conf"
}
sleeper "$ad/etc/plugins.d"
auditd -n -s nochange -c "$ad/etc" > "$ad/stderr" 2>&1 &
B_LOGGER_PID=$!
B_LOGGER_KIND=auditd
for _ in $(seq 1 100); do
	ss -ltn 2> /dev/null | grep -q ":$port " && break
	sleep 0.1
done
assert_eq "the central auditd listens on 127.0.0.1:$port" 1 "$(ss -ltn | grep -c ":$port ")"
assert_eq "the central auditd loaded no rule" "$(cat "$B_TMP/rules.saved")" "$(auditctl -l)"
for _ in $(seq 1 50); do
	asleep=$(pgrep -P "$B_LOGGER_PID" -x sleep) && break
	sleep 0.1
done
SLEEPERS=$asleep

# --- lauditd with audisp-remote, in a mount namespace of its own
la=$dir/sender
mkdir -p "$la/plugins.d" "$la/etc-audit"
cat > "$la/plugins.d/au-remote.conf" <<- EOF
	active = yes
	direction = out
	path = /sbin/audisp-remote
	type = always
	format = string
EOF
cat > "$la/etc-audit/audisp-remote.conf" <<- EOF
	remote_server = 127.0.0.1
	port = $port
	transport = tcp
	queue_file = $la/remote.queue
	mode = immediate
	queue_depth = 200000
	format = managed
	network_retry_time = 1
	max_tries_per_record = 3
	max_time_per_record = 5
	heartbeat_timeout = 0
	network_failure_action = syslog
	disk_low_action = ignore
	disk_full_action = warn_once
	disk_error_action = warn_once
	remote_ending_action = reconnect
	generic_error_action = syslog
	generic_warning_action = syslog
	queue_error_action = stop
	overflow_action = syslog
	startup_failure_action = warn_once_continue
EOF
chmod 0640 "$la/plugins.d/au-remote.conf" "$la/etc-audit/audisp-remote.conf"
cat > "$dir/ns-lauditd" <<- EOF
	#!/bin/sh
	exec unshare -m --propagation private sh -c 'mount -t tmpfs -o mode=0750 tmpfs /etc/audit &&
		cp -p "$la/etc-audit/audisp-remote.conf" /etc/audit/ && exec "\$0" "\$@"' "$REAL_LAUDITD" "\$@"
EOF
chmod 0755 "$dir/ns-lauditd"
LAUDITD=$dir/ns-lauditd
la_start "$la" "max_log_file = 0" "disp_qos = lossless" "name_format = user" "name = sender-1" || exit 1
assert_eq "the machine's /etc/audit is not the namespace's" 0 \
	"$(cat /etc/audit/audisp-remote.conf 2> /dev/null | grep -c "port = $port")"

# count the workload's reads that reached the central log (at most 30 s)
central_reads() { # PID EXPECTED
	local n=0 _
	for _ in $(seq 1 300); do
		n=$(grep -ac "^node=sender-1 type=SYSCALL msg=audit([0-9.:]*): arch=c000003e syscall=0 .* pid=$1 " "$ad/log/audit.log")
		[ "$n" -ge "$2" ] && break
		sleep 0.1
	done
	echo "$n"
}

pid=$("$O/tests/compat/workload" 5000 20 5)
assert_eq "the workload's reads reached the central auditd" 5000 "$(central_reads "$pid" 5000)"
sleep 0.5
n=$(grep -ac "^node=sender-1 type=SYSCALL .* syscall=257 .* pid=$pid " "$ad/log/audit.log")
assert_eq "its openat calls too (20 + 5 failed, + the loader's)" "$(grep -ac "^node=sender-1 type=SYSCALL .* syscall=257 .* pid=$pid " "$la/log/audit.log")" "$n"
assert_eq "the workload's reads, in lauditd's own log" 5000 \
	"$(grep -ac "^node=sender-1 type=SYSCALL msg=audit([0-9.:]*): arch=c000003e syscall=0 .* pid=$pid " "$la/log/audit.log")"
r=$(grep -a " pid=$pid " "$ad/log/audit.log" | grep -vc '^node=sender-1 ')
assert_eq "every record of it names the sender (node=sender-1)" 0 "$r"

# --- audisp-remote killed mid-run: restarted, and events flow again
rpid=$(pgrep -P "$LA_PID" -x audisp-remote)
kill -KILL "$rpid"
sleep 0.2
pid=$("$O/tests/compat/workload" 3000 0 0)
assert_eq "after the restart: the new workload's reads reached the central auditd" 3000 \
	"$(central_reads "$pid" 3000)"
assert_eq "audisp-remote was restarted" 1 "$(grep -c 'plugin /sbin/audisp-remote was restarted' "$la/stderr")"
n=0
for p in $rpid $(pgrep -P "$LA_PID" -x audisp-remote); do
	n=$((n + $(grep -ac "^node=sender-1 type=SYSCALL .* pid=$p " "$la/log/audit.log")))
done
assert_eq "none of audisp-remote's syscalls in lauditd's log (both instances)" 0 "$n"
echo "lauditd's log, syscall events by comm: $(grep -ao '^node=sender-1 type=SYSCALL .* comm="[^"]*"' "$la/log/audit.log" |
	sed 's/.* comm=//' | sort | uniq -c | sort -rn | head -4 | tr -s ' \n' ' ')"
la_stop
LA_PID=
assert_eq "lauditd exits 0" 0 "$LA_RC"
echo "central log: $(grep -ac '^node=sender-1 ' "$ad/log/audit.log") records from sender-1"

# --- the signals a plugin starts with: auditd 3.0.9's (every one ignored but
# SIGCHLD, none blocked), under both daemons
la=$dir/signals
mkdir -p "$la/plugins.d"
sleeper "$la/plugins.d"
LAUDITD=$REAL_LAUDITD
la_start "$la" "max_log_file = 0" "disp_qos = lossy" || exit 1
for _ in $(seq 1 50); do
	lsleep=$(pgrep -P "$LA_PID" -x sleep) && break
	sleep 0.1
done
SLEEPERS="$asleep $lsleep"
# Signals 32 and 33 are the C library's own (its sigaction refuses them): their
# state is whatever the daemon inherited from what started it, not the daemon's
# doing, so they are left out of the comparison.
sigs() { # PID
	local blk ign
	blk=$(awk '$1 == "SigBlk:" { print $2 }' "/proc/$1/status")
	ign=$(awk '$1 == "SigIgn:" { print $2 }' "/proc/$1/status")
	printf 'SigBlk: %016x SigIgn: %016x' $((0x$blk & ~0x180000000)) $((0x$ign & ~0x180000000))
}
echo "auditd's plugin: $(sigs "$asleep"); lauditd's: $(sigs "$lsleep")"
assert_eq "a plugin's ignored and blocked signals are auditd's" "$(sigs "$asleep")" "$(sigs "$lsleep")"
la_stop
LA_PID=
assert_eq "lauditd exits 0 (its plugin ignoring SIGTERM)" 0 "$LA_RC"
t_done
