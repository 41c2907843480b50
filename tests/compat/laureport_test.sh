#!/usr/bin/env bash
# laureport against the real aureport: lauditd logs the families workload in
# BINARY, lausearch prints that log as RAW text, and for each report (with -i,
# --summary, --failed, --success, -ts/-te) `laureport -if BINARY_LOG OPTIONS`
# must print byte for byte what `aureport -if RAW_TEXT OPTIONS` prints, and exit
# with the same status.  Both inputs have the same names, each in a tree of its
# own (b/ binary, t/ text), since -t prints them; -if DIR reads a rotated
# directory (an lz4 segment, then the log being written) as aureport reads the
# same directory in text.
#
# usage: bash tests/compat/laureport_test.sh BUILD_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
O=${1:-build}
LAUDITD=$O/lauditd
t_skip_unless_root "laureport_test"
for t in aureport lz4; do
	command -v $t > /dev/null || {
		echo "FAIL: $t is not installed (make deps)"
		exit 1
	}
done
# aureport reads -ts/-te dates, and prints them, in the locale's %x.
export LC_ALL=C
umask 022

dir=$(mktemp -d)
LA_PID=
cleanup() {
	if [ -n "$LA_PID" ] && kill -0 "$LA_PID" 2> /dev/null; then
		kill -TERM "$LA_PID"
		wait "$LA_PID"
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
cp "$O/tests/compat/families" "$dir/families"
exe=$(realpath "$dir/families")
lausearch=$(realpath "$O/lausearch")
laureport=$(realpath "$O/laureport")
golden=$(realpath tests/data/binary/golden)
work=$dir/work
mkdir -p "$work" "$dir/b/logs" "$dir/t/logs"

# --- the workload, logged in BINARY
now() { date '+%x %T'; }
la_start "$dir/la" "log_format = BINARY" "max_log_file_action = IGNORE" || exit 1
sleep 1.1
t0=$(now)
"$exe" "$work" > /dev/null
t1=$(now)
sleep 1.1
la_stop
LA_PID=
assert_eq "lauditd exits 0" 0 "$LA_RC"
cp "$dir/la/log/audit.log" "$dir/b/audit.log"
"$lausearch" -if "$dir/b/audit.log" --format raw > "$dir/t/audit.log" 2> "$dir/err"
assert_eq "the RAW text of the log" "0 " "$? $(cat "$dir/err")"
echo "log: $(grep -c '^type=SYSCALL' "$dir/t/audit.log") events"

# a rotated directory: the golden segment compressed, then the workload's log
lz4 -q "$golden.bin" "$dir/b/logs/audit.log.1.lz4"
cp "$dir/b/audit.log" "$dir/b/logs/audit.log"
cp "$golden.txt" "$dir/t/logs/audit.log.1"
cp "$dir/t/audit.log" "$dir/t/logs/audit.log"

# same NAME INPUT OPTIONS...: laureport's stdout and status in b/ are aureport's in t/.
same() {
	local name=$1 in=$2 a b
	shift 2
	(cd "$dir/b" && "$laureport" -if "$in" "$@" > "$dir/la.out" 2> /dev/null)
	a=$?
	(cd "$dir/t" && aureport -if "$in" "$@" > "$dir/au.out" 2> /dev/null)
	b=$?
	if [ "$a" != "$b" ]; then
		assert_eq "$name: exit status" "$b" "$a"
	elif ! cmp -s "$dir/la.out" "$dir/au.out"; then
		assert_eq "$name: output" "same" "$(diff "$dir/au.out" "$dir/la.out" | head -5)"
	else
		assert_eq "$name ($(wc -l < "$dir/au.out") lines)" same same
	fi
}

log=audit.log
same "the summary" $log
same "--summary" $log --summary
for r in -f -x -s -p -k -u -e -l -m -n -r -t -c -au -tm -h --comm; do
	same "$r" $log $r
	same "$r --summary" $log $r --summary
	same "$r -i" $log $r -i
	same "$r -i --summary" $log $r -i --summary
	same "$r --failed" $log $r --failed
	same "$r --success --summary" $log $r --success --summary
done
same "the summary -i" $log -i
same "the summary --failed" $log --failed
same "the summary --success" $log --success
same "-ts TIME" $log -ts "${t0#* }"
same "-ts DATE TIME -te DATE TIME" $log -ts "${t0% *}" "${t0#* }" -te "${t1% *}" "${t1#* }"
same "-s -ts DATE TIME" $log -s -ts "${t0% *}" "${t0#* }"
same "-x --summary -te TIME" $log -x --summary -te "${t0#* }"
same "-ts today" $log -ts today
same "-ts now: none" $log -f -ts now
same "-te yesterday" $log -te yesterday
same "-if DIR" logs
same "-if DIR -f --summary" logs -f --summary
same "-if DIR -t" logs -t
same "-if DIR -e -i" logs -e -i
t_done
