#!/usr/bin/env bash
# Losses are counted exactly and written into the log: a tiny ring and a slow
# consumer without its priority boost lose records on purpose; the loss records (DAEMON_ERR, op=lost) are
# found by the real ausearch, their counts add up to DAEMON_END's lost=, and the
# daemon's own check (records made == written + lost) holds, or it exits 1.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
O=${1:-build}
LAUDITD=$O/lauditd
t_skip_unless_root "loss_test"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
la_start "$dir" "ring_buffer_kb = 64" "wakeup_percent = 100" "poll_interval_ms = 1000" \
	"priority_boost = 0" || exit 1
pid=$("$O/tests/compat/workload" 200000 0 0)
la_stop
log=$dir/log/audit.log
assert_eq "lauditd exits 0: records made == written + lost" 0 "$LA_RC"
n=$(ausearch -if "$log" -m DAEMON_ERR --format raw 2>/dev/null | grep -c '^type=DAEMON_ERR.* op=lost ')
[ "$n" -ge 1 ] && r=ok || r="$n loss records"
assert_eq "ausearch -m DAEMON_ERR finds the loss records" ok "$r"
sum=$(grep '^type=DAEMON_ERR.* op=lost ' "$log" | sed 's/.* lost=\([0-9]*\) .*/\1/' | awk '{ s += $1 } END { print s + 0 }')
end_lost=$(sed -n 's/^type=DAEMON_END.* lost=\([0-9]*\)$/\1/p' "$log")
assert_eq "the loss records add up to DAEMON_END's lost=" "$end_lost" "$sum"
read_lost=$(grep '^type=DAEMON_ERR.* name=read ' "$log" | sed 's/.* lost=\([0-9]*\) .*/\1/' | awk '{ s += $1 } END { print s + 0 }')
logged=$(ausearch -if "$log" --format raw -p "$pid" -sc read 2>/dev/null | grep -c '^type=SYSCALL')
# Every read of the workload is either in the log or among the lost reads
# (which may include other processes' reads made at the same time).
[ $((logged + read_lost)) -ge 200000 ] && [ "$logged" -lt 200000 ] && r=ok ||
	r="logged $logged + lost $read_lost"
assert_eq "workload's reads: logged + lost covers all 200000, some lost" ok "$r"
total=$(sed -n 's/.* records=\([0-9]*\) .*/\1/p' "$log")
assert_eq "records= counts the SYSCALL records" "$(grep -c '^type=SYSCALL' "$log")" "$total"
t_done
