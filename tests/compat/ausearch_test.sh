#!/usr/bin/env bash
# The real ausearch and aureport read lauditd's RAW log and find a known
# workload's events by pid and syscall, with exact counts.  The workload is
# linked statically, so that no loader syscalls blur the counts.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
O=${1:-build}
LAUDITD=$O/lauditd
t_skip_unless_root "ausearch_test"
command -v ausearch >/dev/null || { echo "FAIL: ausearch not installed (make deps)"; exit 1; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
la_start "$dir" "log_format = RAW" || exit 1
pid=$("$O/tests/compat/workload" 1000 300 7)
la_stop
assert_eq "lauditd exits 0 after SIGTERM" 0 "$LA_RC"
log=$dir/log/audit.log

count() { # events printed by ausearch --format raw for the given options
	ausearch -if "$log" --format raw "$@" 2>/dev/null | grep -c '^type=SYSCALL'
}
# Before its execve, the pid is still the shell's fork: -x keeps the workload's own.
exe=$(realpath "$O/tests/compat/workload")
assert_eq "ausearch -p PID -x EXE -sc read" 1000 "$(count -p "$pid" -x "$exe" -sc read)"
assert_eq "ausearch -p PID -x EXE -sc openat" 308 "$(count -p "$pid" -x "$exe" -sc openat)"
assert_eq "ausearch -p PID -x EXE -sc openat -sv no" 7 "$(count -p "$pid" -x "$exe" -sc openat -sv no)"
assert_eq "ausearch -p PID -x EXE -sc openat -sv yes" 301 "$(count -p "$pid" -x "$exe" -sc openat -sv yes)"
assert_eq "ausearch -p PID -x EXE -sc openat -e -ENOENT" 7 "$(count -p "$pid" -x "$exe" -sc openat -e -ENOENT)"
assert_eq "ausearch -p PID -x EXE -sc close" 300 "$(count -p "$pid" -x "$exe" -sc close)"
assert_eq "ausearch -p PID -x EXE -sc 0 (by number)" 1000 "$(count -p "$pid" -x "$exe" -sc 0)"
assert_eq "ausearch -p PID -c comm -sc exit_group" 1 "$(count -p "$pid" -c workload -sc exit_group)"
# Every event has its PROCTITLE, with the same stamp, right after the SYSCALL.
n=$(ausearch -if "$log" --format raw -p "$pid" 2>/dev/null | grep -c '^type=PROCTITLE')
assert_eq "one PROCTITLE per event" "$(count -p "$pid")" "$n"
# ausearch -i interprets the syscall name and the uid.
line=$(ausearch -if "$log" -i -p "$pid" -sc read --just-one 2>/dev/null | grep '^type=SYSCALL')
case $line in
*"syscall=read success=yes exit=64 "*"uid=root"*) r=ok ;;
*) r="$line" ;;
esac
assert_eq "ausearch -i interprets the record" ok "$r"
# No loss, and the daemon's totals.
assert_eq "no loss records" 0 "$(grep -c '^type=DAEMON_ERR' "$log")"
end=$(grep '^type=DAEMON_END' "$log")
case $end in
*" lost=0") r=ok ;;
*) r="$end" ;;
esac
assert_eq "DAEMON_END says lost=0" ok "$r"
assert_eq "DAEMON_START is the first line" DAEMON_START "$(head -1 "$log" | sed 's/^type=\([A-Z_]*\) .*/\1/')"
assert_eq "DAEMON_END is the last line" DAEMON_END "$(tail -1 "$log" | sed 's/^type=\([A-Z_]*\) .*/\1/')"
records=$(sed -n 's/.* records=\([0-9]*\) .*/\1/p' <<< "$end")
assert_eq "records= counts the SYSCALL records" "$(grep -c '^type=SYSCALL' "$log")" "$records"
# aureport reads it too: its syscall summary counts every openat in the log.
# (aureport leaves syscall 0, read, out of its syscall reports, with auditd's logs too.)
n=$(aureport -if "$log" -i -s --summary 2>/dev/null | awk '$2 == "openat" { print $1 }')
assert_eq "aureport -s --summary counts openat" "$(grep -c '^type=SYSCALL.* syscall=257 ' "$log")" "$n"
n=$(aureport -if "$log" -p -i 2>/dev/null | grep -c " $pid ")
assert_eq "aureport -p lists every event of the pid" "$(count -p "$pid")" "$n"
t_done
