#!/bin/bash
# bench/stress.sh [BUILD_DIR]: the loss stress.  1, 2 and 4 parallel rdwr
# processes (regular files, bench/rdwr.c) at full speed for a fixed time, with no
# audit, with lauditd on its default ring and on a small one (ring_buffer_kb =
# 256), and with the real auditd; then one rdwr process paced below full speed
# under lauditd, to find the rate where losses start.  For each: the syscall rate
# the workload reached, the records logged and lost, and auditd's backlog waits
# (the time the audited processes were blocked).  Needs root.  QUICK=1: shorter
# runs, fewer paced rates.
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

PROCS="1 2 4"
SMALL_RING_KB=256
DEFAULT_RING_KB=$(sed -n 's/^ring_buffer_kb[[:space:]]*=[[:space:]]*//p' "$HERE/../conf/lauditd.conf")
# paced rates, read+write calls per second of one process
if [ -n "$QUICK" ]; then
	DURATION=${STRESS_SECONDS:-2}
	PACED_DEFAULT="1000000"
	PACED_SMALL="500000"
else
	DURATION=${STRESS_SECONDS:-10}
	PACED_DEFAULT="250000 500000 1000000"
	PACED_SMALL="125000 250000 500000"
fi
[ -x "$BIN/rdwr" ] || die "$BIN/rdwr is missing: make $BIN/rdwr"

bench_init
mkdir -p "$RESULTS"
CSV=$B_TMP/stress.csv
echo "procs,config,ring_kb,paced_per_s,seconds,syscalls,rate_per_s,logged,lost,lost_pct,backlog_wait_ms,logger_cpu_s,foreign_bpf_progs" > "$CSV"
say "loss stress: rdwr with $PROCS processes, $DURATION s each"

# stress_one PROCS CONFIG [PACED_RATE]
stress_one() {
	local p=$1 cfg=$2 paced=${3:-} d=$B_TMP/stress ring="" out sec calls rate logged="" lost="" pct="" bw="" cpu="" fbpf
	rm -rf "$d"
	fbpf=$(foreign_bpf)
	mkdir -p "$d/work"
	case $cfg in
	auditd) ad_start "$d/logger" ;;
	lauditd)
		ring=$DEFAULT_RING_KB
		la_start "$d/logger" RAW || die "lauditd: $LA_ERROR"
		;;
	lauditd-small-ring)
		ring=$SMALL_RING_KB
		la_start "$d/logger" RAW "ring_buffer_kb = $SMALL_RING_KB" || die "lauditd: $LA_ERROR"
		;;
	esac
	out=$("$BIN/rdwr" -T "$d/work" -t "$DURATION" ${paced:+-r "$paced"} 1 "$p") || die "rdwr failed under $cfg"
	case $cfg in
	auditd)
		ad_stop "$d/logger"
		logged=$AD_EVENTS lost=$AD_LOST bw=$(jiffies_ms "$AD_BWAIT") cpu=$AD_CPU
		;;
	lauditd*)
		la_stop "$d/logger"
		logged=$LA_EVENTS lost=$LA_LOST cpu=$LA_CPU bw=0
		;;
	esac
	sec=$(echo "$out" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p')
	calls=$(echo "$out" | sed -n 's/.* syscalls=\([0-9]*\).*/\1/p')
	rate=$(awk -v c="$calls" -v s="$sec" 'BEGIN { printf "%d", (s > 0 ? c / s : 0) }')
	[ -n "$lost" ] && pct=$(awk -v l="$lost" -v g="$logged" 'BEGIN { printf "%.2f", (l + g > 0 ? 100 * l / (l + g) : 0) }')
	echo "$p,$cfg,$ring,$paced,$sec,$calls,$rate,$logged,$lost,$pct,$bw,$cpu,$fbpf" >> "$CSV"
	printf 'bench: stress %s x rdwr %-19s %-8s %6ss %9s syscalls/s  logged=%-9s lost=%-9s backlog_wait_ms=%-6s cpu=%s\n' \
		"$p" "$cfg" "${paced:-full}" "$sec" "$rate" "${logged:--}" "${lost:--}" "${bw:--}" "${cpu:--}" >&2
	rm -rf "$d"
}

for p in $PROCS; do
	for cfg in none auditd lauditd lauditd-small-ring; do
		stress_one "$p" "$cfg"
	done
done
for r in $PACED_DEFAULT; do
	stress_one 1 lauditd "$r"
done
for r in $PACED_SMALL; do
	stress_one 1 lauditd-small-ring "$r"
done

# The rate at which lauditd starts to lose, per ring: the highest rate reached
# without a loss and the lowest with one.
verdict() {
	awk -F, -v c="$1" '
	NR > 1 && $2 == c {
		if ($9 + 0 > 0) { if (lo == "" || $7 + 0 < lo) { lo = $7 + 0; lp = $1 } }
		else if ($7 + 0 > hi) { hi = $7 + 0; hp = $1 }
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
	echo "rdwr (regular files) at full speed, 1, 2 and 4 processes, then one process paced, $DURATION s"
	echo "each; the rate is the read+write calls the processes made per second under each"
	echo "configuration (none: what the machine does unaudited); logged and lost count every"
	echo "process on the machine; backlog wait is the time audited processes slept on auditd's"
	echo "full backlog (summed over processes)."
	echo
	echo "| processes | config | ring KiB | paced at /s | syscalls/s | logged | lost | lost % | backlog wait ms | logger CPU s |"
	echo "|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|"
	while IFS=, read -r p cfg ring paced sec calls rate logged lost pct bw cpu fbpf; do
		[ "$p" = procs ] && continue
		echo "| $p | $cfg | $ring | ${paced:-full speed} | $rate | $logged | $lost | $pct | $bw | $cpu |"
	done < "$CSV"
	echo
	echo "- lauditd, default ring ($DEFAULT_RING_KB KiB per CPU): $(verdict lauditd)."
	echo "- lauditd, small ring ($SMALL_RING_KB KiB per CPU): $(verdict lauditd-small-ring)."
	awk -F, 'NR > 1 && $2 == "auditd" {
		printf "- auditd, %d process%s: %d syscalls/s (%s without audit), %d lost, audited processes blocked %d ms on the backlog.\n",
			$1, ($1 > 1 ? "es" : ""), $7, none[$1], $9, $11
	}
	NR > 1 && $2 == "none" { none[$1] = $7 }' "$CSV"
	if [ "$(awk -F, 'NR > 1 && $13 > 0' "$CSV" | wc -l)" != 0 ]; then
		echo
		echo "Other eBPF programs were attached to tracepoints during $(awk -F, 'NR > 1 && $13 > 0' "$CSV" | wc -l)" \
			"of these runs (stress.csv, foreign_bpf_progs)."
	fi
} > "$B_TMP/stress.md"

cp "$CSV" "$B_TMP/stress.md" "$RESULTS/"
