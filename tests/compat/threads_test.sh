#!/usr/bin/env bash
# writer_threads = 2: consumer threads, each with rings of its own, make one log
# that the real ausearch reads: every record once, each event's records together,
# serials consecutive in the file, the identity (exe, proctitle) of a process
# that moves between CPUs (and so between rings and threads) on every record;
# rotation, SIGHUP (to another thread count) and BINARY as with one thread.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
O=${1:-build}
LAUDITD=$O/lauditd
t_skip_unless_root "threads_test"
command -v ausearch >/dev/null || { echo "FAIL: ausearch not installed (make deps)"; exit 1; }

dir=$(mktemp -d)
cleanup() {
	[ -n "${LA_PID:-}" ] && kill -9 "$LA_PID" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
exe=$(realpath "$O/tests/compat/workload")
cpus=$(nproc)
last_cpu=$((cpus - 1))

# The serials of a set of records: consecutive, each once.
check_serials() { # NAME FILE
	local r
	r=$(grep -ao 'msg=audit([0-9.]*:[0-9]*)' "$2" | sed 's/.*:\([0-9]*\))/\1/' | uniq |
		awk 'NR > 1 && $1 != prev + 1 { bad++ } { prev = $1 } END { print bad + 0 }')
	assert_eq "$1: serials consecutive, none twice" 0 "$r"
}

# SYSCALL records of the workload process PID's reads, with its exe (grep: these
# logs are large, and ausearch is slow on them).
count_reads() { # FILE PID
	grep -ac "^type=SYSCALL msg=audit([0-9.:]*): arch=c000003e syscall=0 .* pid=$2 .* exe=\"$exe\" " "$1"
}

# A workload that runs on the first CPU, then the last, then the first again.
moving_workload() { # READS PIDFILE
	taskset -c 0 "$O/tests/compat/workload" "$1" 0 0 > "$2" &
	local wpid=$!
	sleep 0.1
	taskset -pc "$last_cpu" "$wpid" > /dev/null 2>&1
	sleep 0.1
	taskset -pc 0 "$wpid" > /dev/null 2>&1
	wait "$wpid"
}

# --- two threads, a process moving between rings, one on each CPU
la_start "$dir/run" "writer_threads = 2" "max_log_file = 0" || exit 1
r=$(grep -c "; $([ "$cpus" -ge 2 ] && echo 2 || echo 1) consumer threads" "$dir/run/stderr")
assert_eq "writer_threads = 2: the consumer threads started" 1 "$r"
moving_workload 100000 "$dir/run/moving"
taskset -c 0 "$O/tests/compat/workload" 20000 0 0 > "$dir/run/pid0" &
p0=$!
taskset -c "$last_cpu" "$O/tests/compat/workload" 20000 0 0 > "$dir/run/pid1" &
p1=$!
wait $p0 $p1
sleep 0.3
la_stop
log=$dir/run/log/audit.log
assert_eq "lauditd exits 0: records made == written + lost" 0 "$LA_RC"
assert_eq "no loss records" 0 "$(grep -c '^type=DAEMON_ERR' "$log")"
check_serials "two threads" "$log"
assert_eq "the moving process: every read, each with its exe" 100000 \
	"$(count_reads "$log" "$(cat "$dir/run/moving")")"
assert_eq "the process on the first CPU: every read" 20000 "$(count_reads "$log" "$(cat "$dir/run/pid0")")"
assert_eq "the process on the last CPU: every read" 20000 "$(count_reads "$log" "$(cat "$dir/run/pid1")")"
# An event's records share its stamp, SYSCALL first, PROCTITLE last; the moving
# process's records (after its execve) all carry its exe and its proctitle.
r=$(awk '/^type=SYSCALL / { if (s != "") bad++; s = $2; next }
	/^type=PROCTITLE / { if ($2 != s) bad++; s = ""; next }
	/^type=DAEMON_/ { if (s != "") bad++; next }
	{ if ($2 != s) bad++ }
	END { print bad + 0 }' "$log")
assert_eq "each event's records together, SYSCALL first, PROCTITLE last" 0 "$r"
# the proctitle begins with argv[0] as the workload was started
title=$(printf '%s' "$O/tests/compat/workload" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
r=$(awk -v pid=" pid=$(cat "$dir/run/moving") " -v exe=" exe=\"$exe\" " '
	/^type=SYSCALL / { keep = index($0, pid) && index($0, exe); next }
	/^type=PROCTITLE / { if (keep) print; keep = 0 }' "$log" | grep -vc "proctitle=$title" || true)
assert_eq "the moving process: its proctitle on every record" 0 "$r"
r=$(grep -a "^type=SYSCALL .* pid=$(cat "$dir/run/moving") " "$log" | grep -c ' exe=(null) ' || true)
assert_eq "the moving process: no record without an exe" 0 "$r"
end=$(grep '^type=DAEMON_END' "$log")
assert_eq "records= counts the SYSCALL records" "$(grep -c '^type=SYSCALL' "$log")" \
	"$(sed -n 's/.* records=\([0-9]*\) .*/\1/p' <<< "$end")"

# --- rotation by size and SIGUSR1
la_start "$dir/rot" "writer_threads = 2" "max_log_file = 1" "max_log_file_action = KEEP_LOGS" \
	"compress_logs = no" || exit 1
taskset -c 0 "$O/tests/compat/workload" 20000 0 0 > "$dir/rot/pid0" &
p0=$!
taskset -c "$last_cpu" "$O/tests/compat/workload" 20000 0 0 > "$dir/rot/pid1" &
p1=$!
kill -USR1 "$LA_PID"
wait $p0 $p1
kill -USR1 "$LA_PID"
sleep 0.5
la_stop
log=$dir/rot/log/audit.log
assert_eq "rotation: lauditd exits 0" 0 "$LA_RC"
n=$(ls "$log".* | wc -l)
: > "$dir/rot/all"
for i in $(seq "$n" -1 1); do cat "$log.$i" >> "$dir/rot/all"; done
cat "$log" >> "$dir/rot/all"
[ "$n" -ge 3 ] && r=ok || r="$n segments"
assert_eq "rotation: several closed segments" ok "$r"
check_serials "rotation" "$dir/rot/all"
bad=0
for f in "$log" $(seq 1 $((n - 1)) | sed "s|^|$log.|"); do
	head -1 "$f" | grep -q '^type=DAEMON_ROTATE ' || bad=$((bad + 1))
done
assert_eq "rotation: each segment after the first starts with DAEMON_ROTATE" 0 "$bad"
assert_eq "rotation: every read of both processes once" 40000 \
	"$(($(count_reads "$dir/rot/all" "$(cat "$dir/rot/pid0")") + $(count_reads "$dir/rot/all" "$(cat "$dir/rot/pid1")")))"

# --- SIGHUP from two threads to one and a new log: nothing lost in between
la_start "$dir/hup" "writer_threads = 2" "max_log_file = 0" || exit 1
sed -i -e "s|^log_file = .*|log_file = $dir/hup/log2/audit.log|" \
	-e "s|^writer_threads = .*|writer_threads = 1|" "$dir/hup/lauditd.conf"
taskset -c "$last_cpu" "$O/tests/compat/workload" 50000 0 0 > "$dir/hup/pid" &
wpid=$!
sleep 0.05
kill -HUP "$LA_PID"
wait $wpid
sleep 0.5
la_stop
cat "$dir/hup/log/audit.log" "$dir/hup/log2/audit.log" > "$dir/hup/all"
assert_eq "SIGHUP: lauditd exits 0" 0 "$LA_RC"
assert_eq "SIGHUP: DAEMON_CONFIG starts the new log" DAEMON_CONFIG \
	"$(head -1 "$dir/hup/log2/audit.log" | sed 's/^type=\([A-Z_]*\) .*/\1/')"
check_serials "SIGHUP" "$dir/hup/all"
assert_eq "SIGHUP: every read across both logs" 50000 "$(count_reads "$dir/hup/all" "$(cat "$dir/hup/pid")")"

# --- the real ausearch on a small log of two threads
la_start "$dir/aus" "writer_threads = 2" "max_log_file = 0" || exit 1
taskset -c 0 "$O/tests/compat/workload" 1000 30 3 > "$dir/aus/pid0" &
p0=$!
taskset -c "$last_cpu" "$O/tests/compat/workload" 1000 30 3 > "$dir/aus/pid1" &
p1=$!
wait $p0 $p1
la_stop
for p in $(cat "$dir/aus/pid0" "$dir/aus/pid1"); do
	n=$(ausearch -if "$dir/aus/log/audit.log" --format raw -p "$p" -x "$exe" -sc read 2>/dev/null |
		grep -c '^type=SYSCALL')
	assert_eq "ausearch -p PID -x EXE -sc read" 1000 "$n"
	n=$(ausearch -if "$dir/aus/log/audit.log" --format raw -p "$p" -x "$exe" -sc openat -sv no \
		2>/dev/null | grep -c '^type=SYSCALL')
	assert_eq "ausearch -p PID -x EXE -sc openat -sv no" 3 "$n"
done

# --- BINARY with two threads: one segment, what RAW would say
la_start "$dir/bin" "writer_threads = 2" "log_format = BINARY" "max_log_file = 0" || exit 1
taskset -c 0 "$O/tests/compat/workload" 50000 0 0 > "$dir/bin/pid0" &
p0=$!
taskset -c "$last_cpu" "$O/tests/compat/workload" 50000 0 0 > "$dir/bin/pid1" &
p1=$!
wait $p0 $p1
sleep 0.3
la_stop
assert_eq "BINARY: lauditd exits 0" 0 "$LA_RC"
"$O/lausearch" -if "$dir/bin/log/audit.log" > "$dir/bin/all" 2> "$dir/bin/err"
assert_eq "BINARY: lausearch reports no problem" "" "$(cat "$dir/bin/err")"
check_serials "BINARY" "$dir/bin/all"
assert_eq "BINARY: every read of both processes once" 100000 \
	"$(($(count_reads "$dir/bin/all" "$(cat "$dir/bin/pid0")") + $(count_reads "$dir/bin/all" "$(cat "$dir/bin/pid1")")))"
t_done
