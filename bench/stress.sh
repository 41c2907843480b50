#!/bin/bash
# bench/stress.sh [BUILD_DIR]: the loss stress.  1, 2 and 4 parallel rdwr
# processes (regular files, bench/rdwr.c) at full speed for a fixed time, with no
# audit, with the real auditd, and with lauditd in RAW and BINARY: on its default
# configuration, and on a small ring (ring_buffer_kb = 256) without its priority
# boost (priority_boost = 0), where losses are expected and counted; then 4
# processes at full speed for a longer time under lauditd (the sustained run: its
# memory must stay flat); then one rdwr process paced below full speed, to find
# the rate where losses start.  For each: the syscall rate the workload reached
# and its share of the unaudited rate, the records logged and lost, auditd's
# backlog waits (the time the audited processes were blocked), the logger's CPU
# and peak resident set, and how long a `date` started during the stress took to
# answer (max and median over one every 0.2 s).  Needs root.
#
# QUICK=1: shorter runs, fewer paced rates.  STRESS_SECONDS, STRESS_SUSTAIN
# (seconds, 0: no sustained run), STRESS_PROCS, STRESS_FORMATS, STRESS_CONFIGS
# (none auditd lauditd lauditd-noboost lauditd-small-ring) and STRESS_PACED=0
# narrow a run; STRESS_CONF adds lauditd.conf lines to every lauditd run (one a
# line, e.g. "compress_logs = no").
#
# Writes B_RESULTS (default bench/results)/stress.csv and stress.md; bench/run.sh
# calls it and puts stress.md into latest.md.
set -euo pipefail

O=${1:-build}
QUICK=${QUICK:-}
[ "$QUICK" = 0 ] && QUICK=
HERE=$(cd "$(dirname "$0")" && pwd)
RESULTS=${B_RESULTS:-$HERE/results}
BIN=$O/bench
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"

PROCS=${STRESS_PROCS:-1 2 4}
FORMATS=${STRESS_FORMATS:-RAW BINARY}
CONFIGS=${STRESS_CONFIGS:-none auditd lauditd lauditd-small-ring}
SMALL_RING_KB=256
# lauditd's default rotation (la_start keeps every log, whose renames at each
# rotation grow with their number: at this rate, thousands of them); the
# records are counted from DAEMON_END, not from the files
ROTATE="max_log_file_action = ROTATE"
[ -n "${STRESS_CONF:-}" ] && ROTATE="$ROTATE
$STRESS_CONF"
# paced rates, read+write calls per second of one process
if [ -n "$QUICK" ]; then
	DURATION=${STRESS_SECONDS:-2}
	SUSTAIN=${STRESS_SUSTAIN:-20}
	PACED_DEFAULT="1000000"
	PACED_SMALL="500000"
else
	DURATION=${STRESS_SECONDS:-10}
	SUSTAIN=${STRESS_SUSTAIN:-300}
	PACED_DEFAULT="250000 500000 1000000"
	PACED_SMALL="125000 250000 500000"
fi
[ "${STRESS_PACED:-1}" = 0 ] && PACED_DEFAULT="" PACED_SMALL=""
[ -x "$BIN/rdwr" ] || die "$BIN/rdwr is missing: make $BIN/rdwr"

bench_init
mkdir -p "$RESULTS"
CSV=$B_TMP/stress.csv
echo "procs,config,format,ring_kb,priority_boost,paced_per_s,seconds,syscalls,rate_per_s,logged,lost,lost_pct,backlog_wait_ms,logger_cpu_s,logger_rss_kb,date_ms_max,date_ms_median,foreign_bpf_progs" > "$CSV"
say "loss stress: rdwr with $PROCS processes, $DURATION s each; sustained: ${SUSTAIN} s"

# date_probe OUT: until killed, every 0.2 s, the wall time of a `date` (fork, exec,
# answer) in ms, one a line.
date_probe() {
	local s e
	while :; do
		s=$EPOCHREALTIME
		date > /dev/null
		e=$EPOCHREALTIME
		awk -v s="$s" -v e="$e" 'BEGIN { printf "%.1f\n", (e - s) * 1000 }' >> "$1"
		sleep 0.2
	done
}

# rss_probe PID OUT: until killed, the process's resident set once a second, KiB.
rss_probe() {
	while :; do
		proc_rss "$1" >> "$2"
		sleep 1
	done
}

# stop_probe PID: stop a probe started in the background.
stop_probe() {
	kill "$1" 2> /dev/null || true
	wait "$1" 2> /dev/null || true
}

# stress_one PROCS CONFIG FORMAT [PACED_RATE [SECONDS]]
stress_one() {
	local p=$1 cfg=$2 fmt=$3 paced=${4:-} t=${5:-$DURATION} d=$B_TMP/stress ring="" boost=""
	local out sec calls rate logged="" lost="" pct="" bw="" cpu="" rss="" fbpf dpid rpid="" dmax dmed brake=
	rm -rf "$d"
	fbpf=$(foreign_bpf)
	mkdir -p "$d/work"
	case $cfg in
	none) fmt= ;;
	auditd)
		ad_start "$d/logger"
		boost=4
		;;
	lauditd | lauditd-sustained)
		boost=4
		la_start "$d/logger" "$fmt" "$ROTATE" || die "lauditd: $LA_ERROR"
		;;
	lauditd-noboost)
		boost=0
		la_start "$d/logger" "$fmt" "$ROTATE" "priority_boost = 0" || die "lauditd: $LA_ERROR"
		;;
	lauditd-small-ring)
		boost=0
		la_start "$d/logger" "$fmt" "$ROTATE" "ring_buffer_kb = $SMALL_RING_KB" "priority_boost = 0" ||
			die "lauditd: $LA_ERROR"
		;;
	esac
	[ "$cfg" = lauditd-sustained ] && {
		rss_probe "$B_LOGGER_PID" "$d/rss" &
		rpid=$!
	}
	date_probe "$d/date" &
	dpid=$!
	out=$("$BIN/rdwr" -T "$d/work" -t "$t" ${paced:+-r "$paced"} 1 "$p") || die "rdwr failed under $cfg"
	stop_probe "$dpid"
	[ -n "$rpid" ] && stop_probe "$rpid"
	case $cfg in
	none) ;;
	auditd)
		ad_stop "$d/logger"
		logged=$AD_EVENTS lost=$AD_LOST bw=$(jiffies_ms "$AD_BWAIT") cpu=$AD_CPU rss=$AD_RSS_KB
		;;
	lauditd*)
		la_stop "$d/logger"
		logged=$LA_EVENTS lost=$LA_LOST cpu=$LA_CPU bw=0 rss=$LA_RSS_KB ring=$LA_RING_KB
		# what the brake threads spun (priority_boost), in the CPU time above
		brake=$(sed -n 's/.*the brake held the CPUs for \([0-9.]*\) s.*/\1/p' "$d/logger/stderr" | tail -1)
		;;
	esac
	sec=$(echo "$out" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p')
	calls=$(echo "$out" | sed -n 's/.* syscalls=\([0-9]*\).*/\1/p')
	rate=$(awk -v c="$calls" -v s="$sec" 'BEGIN { printf "%d", (s > 0 ? c / s : 0) }')
	[ -n "$lost" ] && pct=$(awk -v l="$lost" -v g="$logged" 'BEGIN { printf "%.2f", (l + g > 0 ? 100 * l / (l + g) : 0) }')
	dmax=$(sort -n "$d/date" 2> /dev/null | tail -1)
	dmed=$(sort -n "$d/date" 2> /dev/null | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')
	echo "$p,$cfg,$fmt,$ring,$boost,$paced,$sec,$calls,$rate,$logged,$lost,$pct,$bw,$cpu,$rss,$dmax,$dmed,$fbpf" >> "$CSV"
	if [ -n "$rpid" ]; then
		# the resident set 10 s in, at the end, and its peak
		awk -v f="$p" 'NF { v[++n] = $1; if ($1 > m) m = $1 }
			END { printf "%d,%d,%d,%d\n", f, v[n < 10 ? 1 : 10], v[n], m }' "$d/rss" >> "$B_TMP/sustain.csv"
	fi
	printf 'bench: stress %s x rdwr %-19s %-6s %-8s %6ss %9s syscalls/s  logged=%-9s lost=%-9s bw_ms=%-6s cpu=%-6s brake_s=%-6s rss=%-7s date_ms=%s/%s\n' \
		"$p" "$cfg" "${fmt:--}" "${paced:-full}" "$sec" "$rate" "${logged:--}" "${lost:--}" "${bw:--}" \
		"${cpu:--}" "${brake:--}" "${rss:--}" "${dmed:--}" "${dmax:--}" >&2
	rm -rf "$d"
}

has() { case " $CONFIGS " in *" $1 "*) return 0 ;; esac; return 1; }

for p in $PROCS; do
	for cfg in $CONFIGS; do
		case $cfg in
		none | auditd) stress_one "$p" "$cfg" RAW ;;
		*) for f in $FORMATS; do stress_one "$p" "$cfg" "$f"; done ;;
		esac
	done
done
[ "$SUSTAIN" -gt 0 ] && stress_one 4 lauditd-sustained RAW "" "$SUSTAIN"
if has lauditd; then
	for r in $PACED_DEFAULT; do stress_one 1 lauditd RAW "$r"; done
fi
if has lauditd-small-ring; then
	for r in $PACED_SMALL; do stress_one 1 lauditd-small-ring RAW "$r"; done
fi

# The rate at which lauditd starts to lose, per configuration and format: the
# highest rate reached without a loss and the lowest with one.
verdict() {
	awk -F, -v c="$1" -v f="$2" '
	NR > 1 && $2 == c && $3 == f {
		if ($11 + 0 > 0) { if (lo == "" || $9 + 0 < lo) { lo = $9 + 0; lp = $1 } }
		else if ($9 + 0 > hi) { hi = $9 + 0; hp = $1 }
	}
	END {
		s = hi ? sprintf("no loss up to %d syscalls/s (%d process%s)", hi, hp, hp > 1 ? "es" : "") : "lost at every rate measured"
		if (lo != "")
			s = s sprintf("; first loss at %d syscalls/s (%d process%s)", lo, lp, lp > 1 ? "es" : "")
		else
			s = s "; no loss at any rate measured"
		print s
	}' "$CSV"
}

{
	echo "## Loss stress"
	echo
	echo "rdwr (regular files) at full speed, 1, 2 and 4 processes, $DURATION s each, then 4 processes"
	echo "for $SUSTAIN s (sustained) and one process paced; the rate is the read+write calls the"
	echo "processes made per second under each configuration, and its share of the rate with no"
	echo "audit; logged and lost count every process on the machine; backlog wait is the time"
	echo "audited processes slept on auditd's full backlog (summed over processes); RSS is the"
	echo "logger's peak resident set; date is the time a \`date\` started during the stress took"
	echo "to answer (median / max, one every 0.2 s).  small-ring: ring_buffer_kb = $SMALL_RING_KB and"
	echo "priority_boost = 0, where losses are expected and counted."
	echo
	echo "| processes | config | format | ring KiB | boost | paced at /s | syscalls/s | of none | logged | lost | lost % | backlog wait ms | logger CPU s | logger RSS KiB | date ms |"
	echo "|--:|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
	awk -F, 'NR > 1 {
		if ($2 == "none") none[$1] = $9
		share = ($2 != "none" && $6 == "" && none[$1] > 0) ? sprintf("%.0f%%", 100 * $9 / none[$1]) : ""
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			$1, $2, $3, $4, $5, ($6 == "" ? "full speed" : $6), $9, share, $10, $11, $12, $13, $14, $15,
			($17 == "" ? "" : $17 " / " $16)
	}' "$CSV"
	echo
	for c in lauditd lauditd-small-ring; do
		has "$c" || continue
		for f in $FORMATS; do echo "- $c, $f: $(verdict "$c" "$f")."; done
	done
	if [ -s "$B_TMP/sustain.csv" ]; then
		awk -F, '{ printf "- sustained, %d processes for '"$SUSTAIN"' s: the logger'"'"'s resident set %d KiB 10 s in, %d KiB at the end, %d KiB at its peak.\n", $1, $2, $3, $4 }' "$B_TMP/sustain.csv"
	fi
	awk -F, 'NR > 1 && $2 == "auditd" {
		printf "- auditd, %d process%s: %d syscalls/s (%s without audit), %d lost, audited processes blocked %d ms on the backlog.\n",
			$1, ($1 > 1 ? "es" : ""), $9, none[$1], $11, $13
	}
	NR > 1 && $2 == "none" { none[$1] = $9 }' "$CSV"
	if [ "$(awk -F, 'NR > 1 && $18 > 0' "$CSV" | wc -l)" != 0 ]; then
		echo
		echo "Other eBPF programs were attached to tracepoints during $(awk -F, 'NR > 1 && $18 > 0' "$CSV" | wc -l)" \
			"of these runs (stress.csv, foreign_bpf_progs)."
	fi
} > "$B_TMP/stress.md"

cp "$CSV" "$B_TMP/stress.md" "$RESULTS/"
