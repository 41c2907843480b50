#!/usr/bin/env bash
# log_format = BINARY: lausearch turns it into the RAW text lauditd would have
# written (checked against a RAW lauditd capturing the same workload at the same
# time, field by field but the stamp), the real ausearch reads that text, rotated
# and compressed segments are read in order, and a kill -9 and a restart leave a
# log lausearch reads up to the tear and after it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
O=${1:-build}
LAUDITD=$O/lauditd
t_skip_unless_root "binary_test"

dir=$(mktemp -d)
cleanup() {
	[ -n "${LA_PID:-}" ] && kill -9 "$LA_PID" 2>/dev/null
	[ -n "${RAW_PID:-}" ] && kill -9 "$RAW_PID" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
exe=$(realpath "$O/tests/compat/workload")
lausearch=$O/lausearch

# The workload's records, stamps cut off: "type=X ...fields".
records_of() { # TEXTFILE PID
	awk -v pid=" pid=$2 " -v exe="exe=\"$exe\"" '
		/^type=SYSCALL / { keep = index($0, pid) && index($0, exe) }
		/^type=SYSCALL / || /^type=PROCTITLE / { if (keep) { sub(/msg=audit\([0-9.:]*\): /, ""); print } }
	' "$1"
}

# --- the same workload under a RAW and a BINARY lauditd at once
la_start "$dir/raw" "log_format = RAW" "max_log_file = 0" || exit 1
RAW_PID=$LA_PID
la_start "$dir/bin" "log_format = BINARY" "max_log_file = 0" || exit 1
pid=$("$O/tests/compat/workload" 1000 50 3)
sleep 0.3
la_stop
bin_rc=$LA_RC
LA_PID=$RAW_PID
la_stop
RAW_PID=
assert_eq "BINARY: lauditd exits 0" 0 "$bin_rc"
assert_eq "RAW beside it: lauditd exits 0" 0 "$LA_RC"
"$lausearch" -if "$dir/bin/log/audit.log" > "$dir/bin.txt" 2> "$dir/lausearch.err"
assert_eq "lausearch exits 0" 0 "$?"
assert_eq "lausearch reports no problem" "" "$(cat "$dir/lausearch.err")"
records_of "$dir/raw/log/audit.log" "$pid" > "$dir/raw.rec"
records_of "$dir/bin.txt" "$pid" > "$dir/bin.rec"
n=$(grep -c '^type=SYSCALL' "$dir/raw.rec")
[ "$n" -ge 1064 ] && r=ok || r="$n records"
assert_eq "RAW: the workload's records are there" ok "$r"
if cmp -s "$dir/raw.rec" "$dir/bin.rec"; then r=same; else r=$(diff "$dir/raw.rec" "$dir/bin.rec" | head -3); fi
assert_eq "BINARY through lausearch == RAW, field by field" same "$r"
assert_eq "ausearch reads lausearch's output" 1000 \
	"$(cat "$dir/bin.txt" | ausearch --format raw -p "$pid" -x "$exe" -sc read 2>/dev/null | grep -c '^type=SYSCALL')"
assert_eq "lausearch -m DAEMON_END" 1 "$("$lausearch" -if "$dir/bin/log/audit.log" -m DAEMON_END | grep -c '^type=DAEMON_END ')"
size=$(stat -c %s "$dir/bin/log/audit.log")
raw=$(stat -c %s "$dir/raw/log/audit.log")
[ "$size" -lt $((raw / 5)) ] && r=ok || r="binary $size bytes, RAW $raw bytes"
assert_eq "BINARY is at least 5x smaller than RAW" ok "$r"

# --- rotation and compression
la_start "$dir/rot" "log_format = BINARY" "max_log_file = 1" "max_log_file_action = KEEP_LOGS" || exit 1
# about 4 bytes an event: 600000 reads and writes make a few 1 MB segments
pid=$("$O/tests/compat/workload" 600000 0 0)
la_stop
assert_eq "BINARY rotation: lauditd exits 0" 0 "$LA_RC"
n=$(ls "$dir/rot/log/" | grep -c '^audit\.log\.[0-9]*\.lz4$')
[ "$n" -ge 1 ] && r=ok || r="$n segments"
assert_eq "BINARY rotation: compressed segments" ok "$r"
"$lausearch" -if "$dir/rot/log" > "$dir/rot.txt" 2> "$dir/rot.err"
assert_eq "BINARY rotation: lausearch -if DIR exits 0" 0 "$?"
assert_eq "BINARY rotation: every read once, in order" 600000 \
	"$(grep -c "^type=SYSCALL msg=audit([0-9.:]*): arch=c000003e syscall=0 .* pid=$pid .*exe=\"$exe\"" "$dir/rot.txt")"
r=$(grep -o 'msg=audit([0-9.]*:[0-9]*)' "$dir/rot.txt" | sed 's/.*:\([0-9]*\))/\1/' | uniq |
	awk 'NR > 1 && $1 != prev + 1 { bad++ } { prev = $1 } END { print bad + 0 }')
assert_eq "BINARY rotation: serials consecutive across segments" 0 "$r"

# --- kill -9 and a restart on the same file
la_start "$dir/k9" "log_format = BINARY" "max_log_file = 0" || exit 1
"$O/tests/compat/workload" 300000 0 0 > /dev/null &
wpid=$!
sleep 0.3
kill -9 "$LA_PID"
wait "$LA_PID" 2>/dev/null
wait $wpid
la_start "$dir/k9" "log_format = BINARY" "max_log_file = 0" || exit 1
pid=$("$O/tests/compat/workload" 1000 0 0)
la_stop
"$lausearch" -if "$dir/k9/log/audit.log" > "$dir/k9.txt" 2> "$dir/k9.err"
assert_eq "kill -9: lausearch reads the restarted run" 1000 \
	"$(grep -c "^type=SYSCALL msg=audit([0-9.:]*): arch=c000003e syscall=0 .* pid=$pid .*exe=\"$exe\"" "$dir/k9.txt")"
assert_eq "kill -9: both runs' DAEMON_START" 2 "$(grep -c '^type=DAEMON_START' "$dir/k9.txt")"
t_done
