#!/bin/bash
# bench/cost.sh [BUILD_DIR]: where the time of the file workloads goes under
# lauditd.  Each workload (postmark, find, tar; WORKLOADS: a subset) runs under
# no audit and under lauditd in several configurations (CONFIGS), alternating
# within one run, REPEATS times (default 5); the table gives the median.  Per run:
# the workload's wall, user and system seconds, the logger's CPU, the time spent
# in lauditd's eBPF programs and their runs (kernel.bpf_stats_enabled, on for the
# whole run, so every configuration pays its clock reads), and the disk's writes
# and cache flushes (/proc/diskstats of the log's device, the whole device's),
# and the other audit loggers running (foreign: they tax every syscall, none
# included).  Needs root.
#
# Configurations: none; default (lauditd.conf's defaults: RAW, cache filter on,
# flush INCREMENTAL_ASYNC); nosync (flush = NONE); nocache (cache_filter = off,
# as make bench runs it); binary (log_format = BINARY); noprog (lauditd with a
# rule that selects no syscall of the workloads: its fixed cost); norec (a rule
# on every syscall that matches no one: the programs run, nothing is sent).  CONF: extra lines for
# every lauditd configuration.  A configuration named CONFIG@old runs the
# lauditd binary OLD_LAUDITD instead of BUILD_DIR's (before/after, side by
# side).  Sizes as make bench QUICK=1 (PM_FILES, PM_TRANS).
#
# Writes bench/results/cost.csv (every run) and bench/results/cost.md.
set -euo pipefail

O=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
RESULTS=$HERE/results
# shellcheck disable=SC2034 # read by workloads.sh
BIN=$O/bench
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
# shellcheck source=bench/workloads.sh
. "$HERE/workloads.sh"

WORKLOADS=${WORKLOADS:-"postmark find tar"}
CONFIGS=${CONFIGS:-"none default nosync"}
REPEATS=${REPEATS:-5}
# shellcheck disable=SC2034 # read by workloads.sh
RDWR_N=100000 SHBM_N=500 PM_FILES=${PM_FILES:-1000} PM_TRANS=${PM_TRANS:-2000} FORK_N=2000

bench_init
if [ -n "${OLD_LAUDITD:-}" ]; then
	cp "$OLD_LAUDITD" "$B_TMP/lauditd.old"
fi
DEV=$(stat -c %d "$B_TMP")
DEV=$(awk -v maj=$((DEV >> 8)) -v min=$((DEV & 255)) '$1 == maj && $2 == min { print $3 }' /proc/diskstats)
STATS0=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -q kernel.bpf_stats_enabled=1
trap 'rc=$?; sysctl -q kernel.bpf_stats_enabled=$STATS0; (exit $rc); bench_cleanup' EXIT

# disk: writes completed, flushes completed of the log's device
disk() { awk -v d="$DEV" '$3 == d { print $8, $18 }' /proc/diskstats; }
# bpf PIDFILTER: the eBPF programs' run_time_ns and run_cnt, summed, and per name
# bpf: the eBPF programs loaded since $d/ids (the logger's), their run_time_ns and
# run_cnt, per name
bpf() { bpftool -j prog show 2> /dev/null | jq -r --slurpfile old "$d/ids" '.[] |
	select(.run_time_ns != null and (.id | IN($old[][]) | not)) |
	"\(.name) \(.run_time_ns) \(.run_cnt)"' | sort; }

RUNS=$B_TMP/cost.csv
echo "rep,workload,config,seconds,user_s,sys_s,logger_cpu_s,bpf_ms,bpf_runs,disk_writes,disk_flushes,events,foreign,top_programs" > "$RUNS"

run_one() {
	local rep=$1 wl=$2 cfg=$3 d=$B_TMP/run t0 t1 times cpu="" ev="" b0 b1 k0 k1 top foreign
	rm -rf "$d"
	mkdir -p "$d/work"
	wl_prepare "$wl" "$d/work"
	wl_run "$wl" "$d/work"
	rm -f "$d/work/usr-include.tar"
	sync
	foreign=$(foreign_loggers)
	bpftool -j prog show 2> /dev/null | jq '[.[].id]' > "$d/ids"
	B_LAUDITD=$B_TMP/lauditd
	case $cfg in
	*@old)
		B_LAUDITD=$B_TMP/lauditd.old
		cfg=${cfg%@old}
		;;
	esac
	case $cfg in
	none) ;;
	default) la_start "$d/logger" RAW "cache_filter = on" ${CONF:+"$CONF"} || die "$LA_ERROR" ;;
	nosync) la_start "$d/logger" RAW "cache_filter = on" "flush = NONE" ${CONF:+"$CONF"} || die "$LA_ERROR" ;;
	nocache) la_start "$d/logger" RAW ${CONF:+"$CONF"} || die "$LA_ERROR" ;;
	binary) la_start "$d/logger" BINARY "cache_filter = on" ${CONF:+"$CONF"} || die "$LA_ERROR" ;;
	noprog | norec)
		mkdir -p "$d/logger"
		# noprog: a rule on a syscall the workloads never make, so no family's
		# program runs; norec: every syscall, for a uid no one has, so the
		# programs run and send nothing
		if [ "$cfg" = noprog ]; then
			echo "-a always,exit -F arch=b64 -S kexec_load" > "$d/logger/audit.rules"
		else
			echo "-a always,exit -F arch=b64 -S all -F uid=4242" > "$d/logger/audit.rules"
		fi
		la_start "$d/logger" RAW ${CONF:+"$CONF"} || die "$LA_ERROR"
		;;
	esac
	bpf > "$d/bpf0"
	k0=$(disk)
	t0=$(now_ns)
	times=$( { TIMEFORMAT='%U %S'; time wl_run "$wl" "$d/work"; } 2>&1)
	t1=$(now_ns)
	k1=$(disk)
	bpf > "$d/bpf1"
	cfg=$3
	if [ "$cfg" != none ]; then
		la_stop "$d/logger"
		cpu=$LA_CPU ev=$LA_EVENTS
	fi
	join -a2 "$d/bpf0" "$d/bpf1" | awk 'NF == 5 { t = $4 - $2; n = $5 - $3 } NF == 3 { t = $2; n = $3 }
		{ print $1, t, n }' | sort -k2,2nr > "$d/bpfd"
	b0=$(awk '{ t += $2; n += $3 } END { printf "%.1f %d", t / 1e6, n }' "$d/bpfd")
	top=$(awk 'NR <= 4 && $3 > 0 { printf "%s%s:%.1fms/%d", s, $1, $2 / 1e6, $3; s = " " }' "$d/bpfd")
	b1=${b0#* }
	b0=${b0% *}
	# shellcheck disable=SC2086
	set -- $k0 $k1
	echo "$rep,$wl,$cfg,$(secs $((t1 - t0))),${times% *},${times#* },$cpu,$b0,$b1,$(($3 - $1)),$(($4 - $2)),$ev,$foreign,$top" >> "$RUNS"
	printf 'cost: %s %-8s %-8s %ss (u %s s %s) cpu=%s bpf=%sms/%s disk w=%s f=%s foreign=%s %s\n' \
		"$rep" "$wl" "$cfg" "$(secs $((t1 - t0)))" "${times% *}" "${times#* }" "${cpu:--}" "$b0" \
		"$b1" $(($3 - $1)) $(($4 - $2)) "$foreign" "$top" >&2
	rm -rf "$d"
}

say "machine: $(machine_line); log device $DEV"
for rep in $(seq 1 "$REPEATS"); do
	for wl in $WORKLOADS; do
		for cfg in $CONFIGS; do
			run_one "$rep" "$wl" "$cfg"
		done
	done
done

mkdir -p "$RESULTS"
cp "$RUNS" "$RESULTS/cost.csv"
{
	echo "# lauditd: cost of the file workloads"
	echo
	echo "$(machine_line); $REPEATS repeats, medians; CONFIGS=\"$CONFIGS\"${CONF:+, CONF=\"$CONF\"}."
	echo
	echo "| workload | config | seconds | slowdown | user s | sys s | logger CPU s | eBPF ms | eBPF runs | disk writes | disk flushes |"
	echo "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
	awk -F, '
	function median(k,    n, a, i, j, t) {
		n = split(v[k], a, " ")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	NR > 1 {
		k = $2 SUBSEP $3
		if (!(k in seen)) { seen[k] = 1; order[++n] = k }
		for (f = 4; f <= 11; f++)
			v[k SUBSEP f] = v[k SUBSEP f] " " $f
	}
	END {
		for (i = 1; i <= n; i++) {
			split(order[i], p, SUBSEP)
			base = median(p[1] SUBSEP "none" SUBSEP 4)
			s = median(order[i] SUBSEP 4)
			printf "| %s | %s | %.3f | %.2fx |", p[1], p[2], s, (base > 0 ? s / base : 0)
			for (f = 5; f <= 11; f++)
				printf " %s |", f == 7 && p[2] == "none" ? "" : median(order[i] SUBSEP f)
			print ""
		}
	}' "$RUNS"
} > "$RESULTS/cost.md"
cat "$RESULTS/cost.md"
