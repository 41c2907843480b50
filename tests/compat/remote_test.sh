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
# shellcheck source=tests/compat/remote_lib.sh
. "$here/remote_lib.sh"
remote_prereq remote_test
remote_setup
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
