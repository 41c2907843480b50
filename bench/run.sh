#!/bin/bash
# bench/run.sh [BUILD_DIR]: the eAudit paper's workloads (IEEE S&P 2024) under no
# audit, the real auditd auditing the same 25 syscall families, and lauditd
# writing RAW and BINARY, configurations alternating within one run; then the
# loss stress (bench/stress.sh).  Needs root.  QUICK=1 in the environment (or
# `make bench QUICK=1`): smaller workloads, fewer repeats, under 10 minutes on
# 2 CPUs.
#
# Writes bench/results/: latest.csv (one row per workload and configuration:
# workload,config,seconds,slowdown,events,lost,bytes,bytes_per_event,logger_cpu_s),
# runs.csv (every repeat), latest.md (the tables and the machine), slowdown.png,
# stress.csv.  The previous results stay until a run completes.
set -euo pipefail

O=${1:-build}
QUICK=${QUICK:-}
[ "$QUICK" = 0 ] && QUICK=
HERE=$(cd "$(dirname "$0")" && pwd)
RESULTS=$HERE/results
BIN=$O/bench
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"

CONFIGS="none auditd lauditd-raw lauditd-binary"
WORKLOADS="rdwr rdwr-dev shbm postmark find tar forkloop"
if [ -n "$QUICK" ]; then
	REPEATS=${REPEATS:-2}
	RDWR_N=100000 SHBM_N=500 PM_FILES=1000 PM_TRANS=2000 FORK_N=2000
else
	REPEATS=${REPEATS:-3}
	RDWR_N=500000 SHBM_N=2000 PM_FILES=2000 PM_TRANS=40000 FORK_N=10000
fi

for b in rdwr shbm forkloop; do
	[ -x "$BIN/$b" ] || die "$BIN/$b is missing: make $BIN/$b"
done
for t in postmark gnuplot find tar; do
	command -v $t > /dev/null || die "$t is missing (make deps)"
done

T_START=$(now_ns)
bench_init
OUT=$B_TMP/results
mkdir -p "$OUT"
MACHINE=$(machine_line)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
say "machine: $MACHINE"
say "load average at start: $LOAD0"
say "mode: ${QUICK:+QUICK, }$REPEATS repeats; workloads: $WORKLOADS"

# shellcheck source=bench/workloads.sh
. "$HERE/workloads.sh"

# --- one run ------------------------------------------------------------------

BIN_NA=
RUNS=$OUT/runs.csv
echo "rep,workload,config,seconds,events,lost,backlog_wait_ms,bytes,logger_cpu_s,logger_stop_s,foreign_loggers,foreign_bpf_progs,log_complete_s,output" > "$RUNS"

# run_one REP WORKLOAD CONFIG: appends one line to runs.csv.
run_one() {
	local rep=$1 wl=$2 cfg=$3 d=$B_TMP/run t0 t1 sec ev="" lost="" bw="" bytes="" cpu="" stop="" foreign fbpf sum tr
	local complete=""

	tr=$(now_ns)
	rm -rf "$d"
	mkdir -p "$d/work"
	wl_prepare "$wl" "$d/work"
	# The file workloads once, unmeasured, with no logger: every configuration
	# starts on a warm page cache (this machine reclaims cold pages in between).
	case $wl in
	find | tar | postmark)
		wl_run "$wl" "$d/work" || die "$wl failed: $(tail -3 "$d/work/err")"
		rm -f "$d/work/usr-include.tar"
		;;
	esac
	foreign=$(foreign_loggers)
	fbpf=$(foreign_bpf)
	if [ "$foreign" != 0 ] || [ "${fbpf:-0}" != 0 ]; then
		say "WARNING: other audit loggers running: $foreign processes (lauditd, ktest, auditd), ${fbpf:-?} eBPF programs attached to tracepoints"
	fi
	case $cfg in
	auditd) ad_start "$d/logger" ;;
	lauditd-raw) la_start "$d/logger" RAW || die "lauditd: $LA_ERROR" ;;
	lauditd-binary) la_start "$d/logger" BINARY || die "lauditd (BINARY): $LA_ERROR" ;;
	esac
	t0=$(now_ns)
	wl_run "$wl" "$d/work" || die "$wl failed under $cfg: $(tail -3 "$d/work/err")"
	t1=$(now_ns)
	sec=$(secs $((t1 - t0)))
	case $cfg in
	auditd)
		ad_stop "$d/logger"
		ev=$AD_EVENTS lost=$AD_LOST bw=$(jiffies_ms "$AD_BWAIT") bytes=$AD_BYTES cpu=$AD_CPU
		complete=$AD_DRAIN_S
		;;
	lauditd-*)
		la_stop "$d/logger"
		ev=$LA_EVENTS lost=$LA_LOST bytes=$LA_BYTES cpu=$LA_CPU stop=$LA_STOP_S bw=0
		complete=$LA_END_S
		;;
	esac
	sum=$(wl_summary "$d/work")
	echo "$rep,$wl,$cfg,$sec,$ev,$lost,$bw,$bytes,$cpu,$stop,$foreign,$fbpf,$complete,\"$sum\"" >> "$RUNS"
	printf 'bench: %-2s %-9s %-15s %8ss  events=%-9s lost=%-7s bytes=%-11s cpu=%-6s (run %ss) %s\n' \
		"$rep" "$wl" "$cfg" "$sec" "${ev:--}" "${lost:--}" "${bytes:--}" "${cpu:--}" \
		"$(secs $(($(now_ns) - tr)))" "$sum" >&2
	rm -rf "$d"
}

# lauditd BINARY: refused today ("log_format BINARY is not available"); probed
# once, so that the rows fill in by themselves the day it lands.
if la_start "$B_TMP/probe" BINARY; then
	la_stop "$B_TMP/probe" > /dev/null
	say "lauditd log_format = BINARY works"
else
	BIN_NA=$LA_ERROR
	say "lauditd-binary: n/a ($BIN_NA)"
fi
rm -rf "$B_TMP/probe"

# QUICK stays under 10 minutes: a repeat is only started when the time so far,
# one more repeat as long as the last ones, the stress and the cache runs still fit.
QUICK_BUDGET_S=570
STRESS_ESTIMATE_S=150
CACHE_ESTIMATE_S=120
DONE_REPEATS=0
T_LOOP=$(now_ns)
for rep in $(seq 1 "$REPEATS"); do
	if [ -n "$QUICK" ] && [ "$rep" -gt 1 ]; then
		per=$(((T_MAIN - T_LOOP) / (rep - 1)))
		if [ $((($(now_ns) - T_START + per) / 1000000000 + STRESS_ESTIMATE_S + CACHE_ESTIMATE_S)) -gt "$QUICK_BUDGET_S" ]; then
			say "QUICK: $((rep - 1)) repeat(s) only, another would not fit in 10 minutes"
			break
		fi
	fi
	for wl in $WORKLOADS; do
		for cfg in $CONFIGS; do
			[ "$cfg" = lauditd-binary ] && [ -n "$BIN_NA" ] && continue
			run_one "$rep" "$wl" "$cfg"
		done
	done
	DONE_REPEATS=$rep
	T_MAIN=$(now_ns)
done

# --- loss stress --------------------------------------------------------------

QUICK=$QUICK B_RESULTS=$OUT "$HERE/stress.sh" "$O" || die "bench/stress.sh failed"

# --- the cache filter, off and on ---------------------------------------------

# Every workload under lauditd RAW and BINARY with cache_filter off and on: the
# slowdown, the records and the log bytes per syscall made (cache.txt).
say "cache filter: off and on"
WORKLOADS="rdwr rdwr-dev find tar postmark" REPEATS=${QUICK:+1} N=${QUICK:+200000} \
	"$HERE/cache.sh" "$O" > "$OUT/cache.txt" || die "bench/cache.sh failed"
cat "$OUT/cache.txt" >&2

# --- tables -------------------------------------------------------------------

# latest.csv: medians over the repeats; lost is the largest of the repeats.  A run
# during which other audit loggers ran (runs.csv: foreign_loggers,
# foreign_bpf_progs) is left out when the same workload and configuration has a
# run without; extra.txt says, per row, the runs used, whether any was such a
# run, and auditd's median backlog wait.
awk -F, -v OFS=, -v workloads="$WORKLOADS" -v configs="$CONFIGS" -v extra="$OUT/extra.txt" '
function median(key,    n, i, j, t, a) {
	n = split(vals[key], a, " ")
	if (n == 0 || vals[key] == "")
		return ""
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function add(key, v) {
	if (v == "")
		return
	vals[key] = vals[key] == "" ? v : vals[key] " " v
}
FNR == 1 { next }
{ k = $2 SUBSEP $3; dirty = $11 + 0 > 0 || $12 + 0 > 0 }
FNR == NR { if (!dirty) clean[k] = 1; next }
{
	if (dirty && (k in clean))
		next
	used[k]++
	if (dirty)
		tainted[k] = 1
	add(k SUBSEP "s", $4); add(k SUBSEP "ev", $5); add(k SUBSEP "bw", $7)
	add(k SUBSEP "b", $8); add(k SUBSEP "cpu", $9)
	if ($6 != "" && (!(k in lost) || $6 + 0 > lost[k]))
		lost[k] = $6 + 0
}
END {
	print "workload,config,seconds,slowdown,events,lost,bytes,bytes_per_event,logger_cpu_s"
	nw = split(workloads, W, " "); nc = split(configs, C, " ")
	for (i = 1; i <= nw; i++) {
		base = median(W[i] SUBSEP "none" SUBSEP "s")
		for (j = 1; j <= nc; j++) {
			k = W[i] SUBSEP C[j]
			print W[i], C[j], used[k] + 0, tainted[k] + 0, median(k SUBSEP "bw") > extra
			s = median(k SUBSEP "s")
			if (s == "") {
				print W[i], C[j], "", "", "", "", "", "", ""
				continue
			}
			slow = base > 0 ? sprintf("%.2f", s / base) : ""
			if (C[j] == "none") {
				printf "%s,%s,%.3f,%s,,,,,\n", W[i], C[j], s, slow
				continue
			}
			ev = median(k SUBSEP "ev"); b = median(k SUBSEP "b")
			bpe = ev > 0 ? sprintf("%.1f", b / ev) : ""
			printf "%s,%s,%.3f,%s,%d,%d,%d,%s,%.2f\n", W[i], C[j], s, slow, ev, lost[k], b, bpe, median(k SUBSEP "cpu")
		}
	}
}' "$RUNS" "$RUNS" > "$OUT/latest.csv"

# extra_field WORKLOAD CONFIG N: field N of extra.txt's line
extra_field() { awk -F, -v w="$1" -v c="$2" -v n="$3" '$1 == w && $2 == c { print $n }' "$OUT/extra.txt"; }

# slowdown.png
{
	echo "workload auditd lauditd-raw lauditd-binary"
	for wl in $WORKLOADS; do
		line=$wl
		for cfg in auditd lauditd-raw lauditd-binary; do
			v=$(awk -F, -v w="$wl" -v c="$cfg" '$1 == w && $2 == c { print $4 }' "$OUT/latest.csv")
			line="$line ${v:-?}"
		done
		echo "$line"
	done
} > "$OUT/slowdown.dat"
gnuplot -e "data='$OUT/slowdown.dat'; out='$OUT/slowdown.png'; machine='$MACHINE'" \
	"$HERE/slowdown.gp" || die "gnuplot failed"

T_END=$(now_ns)
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
TOTAL=$(secs $((T_END - T_START)))
FOREIGN=$(awk -F, 'NR > 1 && ($11 > 0 || $12 > 0) { n++ } END { print n + 0 }' "$RUNS")
NRUNS=$(($(wc -l < "$RUNS") - 1))

# latest.md
{
	echo "# lauditd benchmarks"
	echo
	echo "Machine: $MACHINE."
	echo "Load average at start $LOAD0, at end $LOAD1."
	echo "Run: \`make bench${QUICK:+ QUICK=1}\`, $DONE_REPEATS repeat(s), configurations alternating;" \
		"total $TOTAL s (workloads $(secs $((T_MAIN - T_START))) s)."
	[ "$FOREIGN" = 0 ] || echo "Other audit loggers were running during $FOREIGN of $NRUNS runs" \
		"(processes named lauditd, ktest or auditd, or eBPF programs attached to tracepoints by" \
		"someone else: runs.csv has the counts); they cost every configuration, none included." \
		"Such a run is left out of the medians when the same workload and configuration has a" \
		"run without; rows marked * had none."
	echo
	echo "| workload | config | seconds | slowdown | events | lost | backlog wait ms | bytes | bytes/event | logger CPU s |"
	echo "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"
	while IFS=, read -r wl cfg s slow ev lost b bpe cpu; do
		[ "$wl" = workload ] && continue
		if [ -z "$s" ]; then
			echo "| $wl | $cfg | n/a | n/a | n/a | n/a | | n/a | n/a | n/a |"
			continue
		fi
		bw=
		[ "$cfg" = auditd ] && bw=$(extra_field "$wl" "$cfg" 5)
		mark=
		[ "$(extra_field "$wl" "$cfg" 4)" = 1 ] && mark=" *"
		if [ "$cfg" = none ]; then
			echo "| $wl | $cfg$mark | $s | 1.00x | | | | | | |"
		else
			echo "| $wl | $cfg$mark | $s | ${slow}x | $ev | $lost | $bw | $b | $bpe | $cpu |"
		fi
	done < "$OUT/latest.csv"
	echo
	echo "![slowdown per workload](slowdown.png)"
	echo
	echo "Workloads (after the eAudit paper, IEEE S&P 2024):"
	echo
	for wl in $WORKLOADS; do
		echo "- $wl: $(wl_desc "$wl")"
	done
	echo
	echo "Configurations:"
	echo
	echo "- none: no audit (the kernel's audit disabled, no rules, no eBPF logger)."
	echo "- auditd: the real auditd $(auditctl -v | awk '{ print $NF }') (\`auditd -n -c DIR\`), Debian's auditd.conf except" \
		"log_format = RAW, max_log_file_action = IGNORE (one file, nothing deleted), no plugins; Debian's" \
		"\`-b $AUDITD_BACKLOG --backlog_wait_time $AUDITD_BACKLOG_WAIT -f $AUDITD_FAILURE\`;" \
		"\`-a always,exit -F arch=b64 -S\` every member of the 25 families (fcntl for F_DUPFD and" \
		"F_DUPFD_CLOEXEC only, as lauditd)."
	echo "- lauditd-raw: \`lauditd -f -c DIR\`, log_format = RAW, max_log_file_action = KEEP_LOGS (nothing" \
		"deleted), other keys at their defaults: 16 MiB ring per CPU; the log rotates every 8 MiB and closed" \
		"segments are lz4-compressed (compress_logs = yes), so its bytes depend on how much of a run is" \
		"still in the uncompressed active segment."
	if [ -n "$BIN_NA" ]; then
		echo "- lauditd-binary: n/a: lauditd refused log_format = BINARY (\`$BIN_NA\`)."
	else
		echo "- lauditd-binary: as lauditd-raw with log_format = BINARY."
	fi
	echo
	echo "Figures: seconds is the workload's wall time, median of the repeats (of two: their mean);" \
		"find, tar and postmark run once unmeasured before each measured run; slowdown is" \
		"against none; events are the syscall records logged from the logger's start to its" \
		"stop, every process on the machine (auditd: SYSCALL records in its log; lauditd:" \
		"DAEMON_END's records=); lost is the largest of the repeats (auditd: the kernel's lost" \
		"counter; lauditd: DAEMON_END's lost=); backlog wait is the growth of the kernel's" \
		"backlog_wait_time_actual (time audited processes slept on a full backlog); bytes are" \
		"the log directory's; logger CPU is user + system time of the logger from the start of" \
		"capture until its log is complete (auditd: plus the kauditd thread); lauditd's" \
		"shutdown, which detaches its programs after the log is complete, is not counted." \
		"Every repeat is in runs.csv, with log_complete_s (lauditd: SIGTERM to DAEMON_END" \
		"written; auditd: the workload's end to its last record written) and logger_stop_s" \
		"(lauditd: SIGTERM to exit)."
	echo
	cat "$OUT/stress.md"
} > "$OUT/latest.md"

mkdir -p "$RESULTS"
cp "$OUT/latest.csv" "$OUT/runs.csv" "$OUT/latest.md" "$OUT/slowdown.png" "$OUT/stress.csv" \
	"$OUT/cache.txt" "$RESULTS/"
echo
cat "$RESULTS/latest.md"
echo
say "total time: $TOTAL s; results in $RESULTS"
