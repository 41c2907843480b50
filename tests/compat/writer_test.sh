#!/usr/bin/env bash
# The writer: rotation by size and by SIGUSR1 loses and duplicates nothing
# across segments, closed segments are lz4 frames, SIGHUP switches logs without
# a gap, a kill -9 and a restart on the same directory leave a log of whole
# records, and a full disk is counted and reported, never silent.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
O=${1:-build}
LAUDITD=$O/lauditd
t_skip_unless_root "writer_test"
command -v lz4 >/dev/null || { echo "FAIL: lz4 not installed (make deps)"; exit 1; }

dir=$(mktemp -d)
cleanup() {
	[ -n "${LA_PID:-}" ] && kill -9 "$LA_PID" 2>/dev/null
	mountpoint -q "$dir/full" && umount "$dir/full"
	rm -rf "$dir"
}
trap cleanup EXIT
exe=$(realpath "$O/tests/compat/workload")

# SYSCALL records of the workload's process, by syscall number (grep: these logs
# can be large when other processes are busy, and ausearch is slow on them).
count_sc() { # FILE PID NR
	grep -c "^type=SYSCALL msg=audit([0-9.:]*): arch=c000003e syscall=$3 .* pid=$2 .* exe=\"$exe\" " "$1"
}

# The serials of a set of records: consecutive, each once.
check_serials() { # NAME FILE
	local r
	r=$(grep -o 'msg=audit([0-9.]*:[0-9]*)' "$2" | sed 's/.*:\([0-9]*\))/\1/' | uniq |
		awk 'NR > 1 && $1 != prev + 1 { bad++ } { prev = $1 } END { print bad + 0 }')
	assert_eq "$1: serials consecutive, none twice" 0 "$r"
}

# --- rotation by size, compression, SIGUSR1
la_start "$dir/rot" "max_log_file = 1" "max_log_file_action = KEEP_LOGS" || exit 1
pid=$("$O/tests/compat/workload" 20000 0 0)
kill -USR1 "$LA_PID"
sleep 0.5
pid2=$("$O/tests/compat/workload" 100 0 0)
sleep 0.5
la_stop
assert_eq "rotation: lauditd exits 0" 0 "$LA_RC"
log=$dir/rot/log/audit.log
n=$(ls "$log".*.lz4 2>/dev/null | wc -l)
[ "$n" -ge 5 ] && r=ok || r="$n segments"
assert_eq "rotation: several closed segments, all compressed" ok "$r"
assert_eq "rotation: no uncompressed closed segment" 0 "$(ls "$log".[0-9]* | grep -vc '\.lz4$')"
: > "$dir/all"
ok=0
for i in $(seq "$n" -1 1); do
	lz4 -dc "$log.$i.lz4" >> "$dir/all" 2>/dev/null || ok=$((ok + 1))
done
assert_eq "rotation: every segment opens with lz4 -d" 0 "$ok"
cat "$log" >> "$dir/all"
check_serials "rotation" "$dir/all"
assert_eq "rotation: every read of the workload once" 20000 "$(count_sc "$dir/all" "$pid" 0)"
assert_eq "rotation: the workload after SIGUSR1 too" 100 "$(count_sc "$dir/all" "$pid2" 0)"
assert_eq "rotation: one DAEMON_ROTATE per closed segment" "$n" "$(grep -c '^type=DAEMON_ROTATE' "$dir/all")"
assert_eq "rotation: each segment after the first starts with DAEMON_ROTATE" DAEMON_ROTATE \
	"$(head -1 "$log" | sed 's/^type=\([A-Z_]*\) .*/\1/')"
end_records=$(sed -n 's/.* records=\([0-9]*\) .*/\1/p' "$log")
assert_eq "rotation: records= counts every SYSCALL in every segment" \
	"$(grep -c '^type=SYSCALL' "$dir/all")" "$end_records"

# --- num_logs: only so many segments are kept
la_start "$dir/keep" "max_log_file = 1" "num_logs = 3" "compress_logs = no" || exit 1
"$O/tests/compat/workload" 20000 0 0 > /dev/null
la_stop
assert_eq "num_logs = 3: audit.log, .1, .2" "audit.log audit.log.1 audit.log.2" \
	"$(cd "$dir/keep/log" && echo audit.log*)"

# --- SIGHUP: a new log_file takes over with nothing lost in between
la_start "$dir/hup" "max_log_file = 0" || exit 1
sed -i "s|^log_file = .*|log_file = $dir/hup/log2/audit.log|" "$dir/hup/lauditd.conf"
"$O/tests/compat/workload" 5000 0 0 > "$dir/hup/pid" &
wpid=$!
kill -HUP "$LA_PID"
wait $wpid
sleep 0.5
la_stop
pid=$(cat "$dir/hup/pid")
cat "$dir/hup/log/audit.log" "$dir/hup/log2/audit.log" > "$dir/hup/all"
assert_eq "SIGHUP: lauditd exits 0" 0 "$LA_RC"
assert_eq "SIGHUP: DAEMON_CONFIG starts the new log" DAEMON_CONFIG \
	"$(head -1 "$dir/hup/log2/audit.log" | sed 's/^type=\([A-Z_]*\) .*/\1/')"
check_serials "SIGHUP" "$dir/hup/all"
assert_eq "SIGHUP: every read across both logs" 5000 "$(count_sc "$dir/hup/all" "$pid" 0)"

# --- kill -9, then a restart on the same directory
la_start "$dir/k9" "max_log_file = 0" || exit 1
"$O/tests/compat/workload" 300000 0 0 > /dev/null &
wpid=$!
sleep 0.3
kill -9 "$LA_PID"
wait "$LA_PID" 2>/dev/null
wait $wpid
# the kernel detaches a killed daemon's programs: nothing captures now
before=$(grep -c '' "$dir/k9/log/audit.log")
la_start "$dir/k9" "max_log_file = 0" || exit 1
pid=$("$O/tests/compat/workload" 1000 0 0)
la_stop
log=$dir/k9/log/audit.log
assert_eq "kill -9: the restarted lauditd exits 0" 0 "$LA_RC"
assert_eq "kill -9: every line is a whole record" 0 \
	"$(grep -cv '^type=[A-Z_]* msg=audit([0-9]*\.[0-9]\{3\}:[0-9]*): ' "$log")"
assert_eq "kill -9: two DAEMON_STARTs, one DAEMON_END" "2 1" \
	"$(grep -c '^type=DAEMON_START' "$log") $(grep -c '^type=DAEMON_END' "$log")"
[ "$before" -gt 1000 ] && r=ok || r="$before lines"
assert_eq "kill -9: what was written before the kill is kept" ok "$r"
assert_eq "kill -9: the restarted run's reads" 1000 "$(count_sc "$log" "$pid" 0)"

# --- a full disk: counted and reported
mkdir -p "$dir/full"
mount -t tmpfs -o size=2m tmpfs "$dir/full"
la_start "$dir/full" "disk_full_action = SUSPEND" "space_left = 0" "admin_space_left = 0" \
	"max_log_file = 0" ||
	exit 1
"$O/tests/compat/workload" 100000 0 0 > /dev/null
la_stop
assert_eq "disk full: lauditd exits 1 (records not written)" 1 "$LA_RC"
r=$(grep -c 'records could not be written: No space left on device' "$dir/full/stderr")
assert_eq "disk full: the count of records not written is reported" 1 "$r"
r=$(grep -c 'disk full, writing suspended' "$dir/full/stderr")
assert_eq "disk full: disk_full_action SUSPEND is carried out" 1 "$r"
assert_eq "disk full: what was written is whole records" 0 \
	"$(grep -cv '^type=[A-Z_]* msg=audit([0-9]*\.[0-9]\{3\}:[0-9]*): ' "$dir/full/log/audit.log")"
umount "$dir/full"
t_done
