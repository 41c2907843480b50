#!/usr/bin/env bash
# lauditd's memory with Debian's audisp-remote sending to a real auditd on this
# machine (tests/compat/remote_test.sh's set-up): every 5 seconds for DUR
# seconds (default 60) its RSS and peak RSS in MiB and the lines of both logs,
# then its DAEMON_END and the losses it reported.  The central auditd is
# captured like any process, so its work for each event it receives makes
# events: on one machine the two daemons feed each other.  Root.
#
# usage: DUR=SECONDS bench/remote_rss.sh [BUILD_DIR]
set -u
here=$(cd "$(dirname "$0")/../tests/compat" && pwd)
# bench/lib.sh: the kernel's audit state (bench_init saves it, bench_cleanup
# stops auditd and restores it); tests/lib.sh second: its la_start and la_stop
# replace the benchmarks' own.
# shellcheck source=bench/lib.sh
. "$here/../../bench/lib.sh"
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
O=${1:-build}
t_skip_unless_root "remote_rss"
# shellcheck source=tests/compat/remote_lib.sh
. "$here/remote_lib.sh"
remote_prereq remote_rss
remote_setup

DUR=${DUR:-60}
pid=$("$O/tests/compat/workload" 5000 20 5)
t0=$(date +%s)
echo "t_s rss_mib hwm_mib sender_log_lines central_log_lines"
while [ $(( $(date +%s) - t0 )) -lt "$DUR" ]; do
	sleep 5
	rss=$(awk '$1 == "VmRSS:" { printf "%d", $2 / 1024 }' "/proc/$LA_PID/status")
	hwm=$(awk '$1 == "VmHWM:" { printf "%d", $2 / 1024 }' "/proc/$LA_PID/status")
	echo "$(( $(date +%s) - t0 )) $rss $hwm $(wc -l < "$la/log/audit.log") $(wc -l < "$ad/log/audit.log")"
	[ "$rss" -gt 8000 ] && { echo "stopping: RSS above 8 GB"; break; }
done
la_stop
LA_PID=
echo "lauditd rc $LA_RC"
grep -a "^node=sender-1 type=DAEMON_END" "$la/log/audit.log"
echo "ring losses reported: $(grep -a "op=lost" "$la/log/audit.log" | wc -l) records"
echo "plugin losses: $(grep -a "op=dispatch-lost" "$la/log/audit.log" | tail -1)"
t_done
