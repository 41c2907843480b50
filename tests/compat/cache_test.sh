#!/usr/bin/env bash
# The cache filter (cache_filter = on): a read loop on an unchanged object is
# one record with exact totals (merged=, merged_bytes=, merged_failed=), which the
# real ausearch and aureport read and find; the daemon's accounting adds up
# (DAEMON_END's merged= is the sum of the records' merged=, and every syscall is
# a record or merged into one); a read after another process wrote the file is
# not merged into the read before it, and is when the write went elsewhere;
# cache_filter_exempt writes the syscalls it names alone; with audit rules, the
# merged record has its rule's key= and ausearch -k finds it; cache_filter = off
# writes every syscall.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
O=${1:-build}
LAUDITD=$O/lauditd
t_skip_unless_root "cache_test"
command -v ausearch >/dev/null || { echo "FAIL: ausearch not installed (make deps)"; exit 1; }

dir=$(mktemp -d)
cleanup() {
	[ -n "${LA_PID:-}" ] && kill -9 "$LA_PID" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
log=$dir/log/audit.log

# field NAME LINE: the value of NAME= in LINE
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }

# A long interval: only the syscalls themselves send the cached records here.
la_start "$dir" "cache_filter = on" "cache_flush_interval = 10" || exit 1
pid=$("$O/tests/compat/workload" 1000 0 0)
read -r a b < <("$O/tests/compat/cachedep" rewrite "$dir/f1" "$dir/g1")
read -r c d < <("$O/tests/compat/cachedep" other "$dir/f2" "$dir/g2")
read -r _ f < <("$O/tests/compat/cachedep" close "$dir/f3" "$dir/g3")
la_stop
assert_eq "lauditd exits 0: records made == written + lost" 0 "$LA_RC"

reads=$(grep "^type=SYSCALL.* syscall=0 .* pid=$pid " "$log")
assert_eq "1000 reads of an unchanged object: one record" 1 "$(grep -c . <<< "$reads")"
assert_eq "its merged=" 999 "$(field merged "$reads")"
assert_eq "its merged_bytes= (1000 x 64)" 64000 "$(field merged_bytes "$reads")"
assert_eq "its merged_failed=" 0 "$(field merged_failed "$reads")"
us=$(field merged_us "$reads")
[ -n "$us" ] && [ "$us" -gt 0 ] && r=ok || r="merged_us=$us"
assert_eq "its merged_us= is the span" ok "$r"

end=$(grep '^type=DAEMON_END' "$log")
end_sum=$(grep '^type=SYSCALL' "$log" | sed -n 's/.* merged=\([0-9]*\) .*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
assert_eq "DAEMON_END lost=0" 0 "$(field lost "$end")"
assert_eq "DAEMON_END's merged= is the sum of the records' merged=" "$end_sum" "$(sed -n 's/.* merged=\([0-9]*\)$/\1/p' <<< "$end")"
assert_eq "records= counts the SYSCALL records" "$(grep -c '^type=SYSCALL' "$log")" \
	"$(field records "$end")"

# the real ausearch finds the merged record by pid, syscall, time and exe
ts=$(sed -n 's/.*msg=audit(\([0-9]*\)\.\([0-9]*\):.*/\1/p' <<< "$reads")
for q in "-p $pid" "-sc read -p $pid" "-x $(realpath "$O/tests/compat/workload") -sc read" \
	"-ts $(date -d "@$ts" +%x) $(date -d "@$ts" +%T) -p $pid -sc read"; do
	# shellcheck disable=SC2086
	n=$(ausearch -if "$log" --format raw $q 2>/dev/null | grep -c "^type=SYSCALL.* syscall=0 .* merged=999 ")
	assert_eq "ausearch $q finds the merged record" 1 "$n"
done
n=$(ausearch -if "$log" -p "$pid" -sc read -i 2>/dev/null | grep -c ' merged=999 ')
assert_eq "ausearch -i interprets it" 1 "$n"
r=$(aureport -if "$log" --pid --summary 2>/dev/null | awk -v p="$pid" '$2 == p { print $1 }')
assert_eq "aureport --pid --summary counts the workload's events, the merged one once" \
	"$(grep -c "^type=SYSCALL.* pid=$pid " "$log")" "$r"

# A writes F; B reads F twice; A writes F again; B reads F twice.  The
# records of B's preads: their own, or the open's they joined (merged_flow=read)
preads() {
	grep "^type=SYSCALL.* pid=$1 " "$log" | grep -E " syscall=17 | syscall=257 .* merged_flow=read"
}
# A's writes of F and G (fds 3 and 4), not of its standard output
writes() {
	grep "^type=SYSCALL.* pid=$1 " "$log" |
		grep -E " syscall=1 .* a0=[34] | syscall=257 .* exit=[34] .* merged_flow=write"
}
# each record's merged= as its first read's or write's own record would say it
# (an open's record that they joined stands for the first of them too)
merges() {
	awk '{ m = 0; if (match($0, / merged=[0-9]+/)) m = substr($0, RSTART + 8, RLENGTH - 8)
		if ($0 ~ / syscall=257 / && m > 0) m--; printf "%s ", m }'
}
r=$(preads "$b" | merges)
assert_eq "B's reads after A rewrote F: two records, merged=1 each" "1 1 " "$r"
r=$(writes "$a" | merges)
assert_eq "A's two writes of F (nothing new taken in): one record, merged=1" "1 " "$r"
# ... and when A's second write goes to another file, B's reads merge.
r=$(preads "$d" | merges)
assert_eq "B's reads of an unchanged F: one record, merged=3" "3 " "$r"
assert_eq "A's writes of F and of G: two records" 2 "$(writes "$c" | grep -c .)"
assert_eq "... neither merged" "0 0 " "$(writes "$c" | merges)"
r=$(preads "$f" | merges)
assert_eq "close sends the cached record, which it joins: B's reads and close, then reads" "2 1 " "$r"
assert_eq "... the first says merged_close=1" 1 "$(preads "$f" | grep -c ' merged_close=1')"
# B's second open of F and the reads after it (its first open is its first
# record, which carries its exe: never held): the open's record, which ausearch
# finds by path, syscall and pid
r=$(preads "$f" | grep ' syscall=257 ')
assert_eq "... the second is B's open's, which its reads joined" \
	"read 2 8" "$(field merged_flow "$r") $(field merged "$r") $(field merged_bytes "$r")"
for q in "-f $dir/f3 -p $f" "-sc openat -p $f" "-f $dir/f3 -sc openat"; do
	# shellcheck disable=SC2086
	n=$(ausearch -if "$log" --format raw $q 2>/dev/null | grep -c "^type=SYSCALL.* pid=$f .* merged_flow=read ")
	assert_eq "ausearch $q finds it" 1 "$n"
done

# cache_flush_interval = 1: a record waits at most a second
rm -rf "$dir/log"
la_start "$dir" "cache_filter = on" "cache_flush_interval = 1" || exit 1
read -r _ b < <("$O/tests/compat/cachedep" sleep "$dir/f4" "$dir/g4")
la_stop
r=$(preads "$b" | merges)
assert_eq "1.5 s between two pairs of reads: two records, merged=1 each" "1 1 " "$r"

# BINARY: the totals are an item of the event, which lausearch writes as the same fields
rm -rf "$dir/log"
la_start "$dir" "cache_filter = on" "cache_flush_interval = 10" "log_format = BINARY" || exit 1
pid=$("$O/tests/compat/workload" 1000 0 0)
la_stop
r=$("$O/lausearch" -if "$log" -p "$pid" -sc read --format raw 2>/dev/null | grep '^type=SYSCALL' |
	sed 's/.* key=(null)//')
assert_eq "BINARY: lausearch writes the merged record's fields" \
	" merged=999 merged_us=$(field merged_us "$r") merged_bytes=64000 merged_failed=0" "$r"

# plugins get the merged record as the log has it (a plugin that keeps its input)
run=$dir/plugin
mkdir -p "$run/plugins.d"
printf '#!/bin/sh\nexec cat > %s\n' "$run/out" > "$run/keep.sh"
chmod 0755 "$run/keep.sh"
printf 'active = yes\ndirection = out\npath = %s\ntype = always\nformat = string\n' \
	"$run/keep.sh" > "$run/plugins.d/keep.conf"
chmod 0640 "$run/plugins.d/keep.conf"
la_start "$run" "cache_filter = on" "cache_flush_interval = 10" "disp_qos = lossless" || exit 1
pid=$("$O/tests/compat/workload" 1000 0 0)
la_stop
# the plugin has what it read once lauditd closes its pipe
for _ in $(seq 1 50); do
	grep -q "^type=SYSCALL.* syscall=0 .* pid=$pid " "$run/out" 2>/dev/null && break
	sleep 0.1
done
r=$(grep "^type=SYSCALL.* syscall=0 .* pid=$pid " "$run/log/audit.log")
assert_eq "plugin: the merged record, merged=999" 999 "$(field merged "$(grep "^type=SYSCALL.* syscall=0 .* pid=$pid " "$run/out")")"
assert_eq "plugin: the merged record as the log has it" "$r" "$(grep "^type=SYSCALL.* syscall=0 .* pid=$pid " "$run/out")"

# cache_filter_exempt: read and write are written alone; an exempt write still
# ends the merging of the reads before it, and pread, not exempt, still merges
rm -rf "$dir/log"
la_start "$dir" "cache_filter = on" "cache_flush_interval = 10" \
	"cache_filter_exempt = read, write" || exit 1
pid=$("$O/tests/compat/workload" 1000 0 0)
read -r a b < <("$O/tests/compat/cachedep" rewrite "$dir/f5" "$dir/g5")
read -r c d < <("$O/tests/compat/cachedep" other "$dir/f6" "$dir/g6")
la_stop
assert_eq "exempt: lauditd exits 0" 0 "$LA_RC"
assert_eq "exempt read: 1000 reads, 1000 records" 1000 \
	"$(grep -c "^type=SYSCALL.* syscall=0 .* pid=$pid " "$log")"
assert_eq "exempt read: none merged" 0 \
	"$(grep "^type=SYSCALL.* syscall=0 .* pid=$pid " "$log" | grep -c ' merged=')"
assert_eq "exempt write: A's two writes of F, two records" 2 "$(writes "$a" | grep -c .)"
assert_eq "... neither merged" 0 "$(writes "$a" | grep -c ' merged=')"
r=$(preads "$b" | merges)
assert_eq "B's preads after A's exempt write: two records, merged=1 each" "1 1 " "$r"
r=$(preads "$d" | merges)
assert_eq "B's preads of an unchanged F: one record, merged=3" "3 " "$r"

# With audit rules: they decide first, and a record stands for syscalls their
# rules gave its key; the real ausearch finds it by that key
rm -rf "$dir/log"
printf -- '-a always,exit -F arch=b64 -S read,write,openat,close -k io\n' > "$dir/audit.rules"
chmod 600 "$dir/audit.rules"
la_start "$dir" "cache_filter = on" "cache_flush_interval = 10" || exit 1
pid=$("$O/tests/compat/workload" 1000 0 0)
la_stop
rm -f "$dir/audit.rules"
assert_eq "rules: lauditd exits 0" 0 "$LA_RC"
reads=$(grep "^type=SYSCALL.* syscall=0 .* pid=$pid " "$log")
assert_eq "rules: 1000 reads of an unchanged object: one record" 1 "$(grep -c . <<< "$reads")"
assert_eq "rules: its key= is the rule's" '"io"' "$(field key "$reads")"
assert_eq "rules: its merged=" 999 "$(field merged "$reads")"
assert_eq "rules: its merged_bytes=" 64000 "$(field merged_bytes "$reads")"
assert_eq "rules: no record without the key" 0 "$(grep '^type=SYSCALL' "$log" | grep -vc ' key="io"')"
end=$(grep '^type=DAEMON_END' "$log")
end_sum=$(grep '^type=SYSCALL' "$log" | sed -n 's/.* merged=\([0-9]*\) .*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
assert_eq "rules: DAEMON_END lost=0" 0 "$(field lost "$end")"
assert_eq "rules: DAEMON_END's merged= is the sum of the records' merged=" "$end_sum" \
	"$(sed -n 's/.* merged=\([0-9]*\)$/\1/p' <<< "$end")"
n=$(ausearch -if "$log" --format raw -k io -p "$pid" -sc read 2>/dev/null |
	grep -c "^type=SYSCALL.* syscall=0 .* merged=999 ")
assert_eq "rules: ausearch -k io -p PID -sc read finds the merged record" 1 "$n"
n=$(ausearch -if "$log" --format raw -k io 2>/dev/null | grep -c '^type=SYSCALL')
assert_eq "rules: ausearch -k io finds every record" "$(grep -c '^type=SYSCALL' "$log")" "$n"

# cache_filter = off: every syscall is a record, and nothing says merged
rm -rf "$dir/log"
la_start "$dir" "cache_filter = off" || exit 1
pid=$("$O/tests/compat/workload" 1000 0 0)
la_stop
assert_eq "off: lauditd exits 0" 0 "$LA_RC"
assert_eq "off: 1000 reads, 1000 records" 1000 "$(grep -c "^type=SYSCALL.* syscall=0 .* pid=$pid " "$log")"
assert_eq "off: no merged= anywhere" 0 "$(grep -c ' merged=' "$log")"
t_done
