#!/bin/bash
# bench/rules.sh [BUILD_DIR]: the cost of a STIG rule set.  Debian's example rules
# 30-stig, 31-privileged (generated as its comment says, from the set-user-ID
# programs of this machine), 32-power-abuse, 43-module-load and 44-installers,
# loaded into the real auditd and into lauditd; rdwr, find, tar, shbm and
# postmark run under no audit, under each of them, and under lauditd with no
# rules (its 25 families), configurations alternating within one run.  The
# workloads run with a login uid of 1000, as a user's session would, so that the
# rules on auid >= 1000 apply (postmark's unlinks are then "delete" events).
# Needs root.  QUICK=1: smaller workloads.  RULES_CORPUS: the rule
# corpus (default: ../shared/rules-corpus beside the project); WORKLOADS, CONFIGS:
# subsets; RULES_OMIT: rule files left out of the set (RULES_OMIT=43-module-load).
# PROFILE=1: with kernel.bpf_stats_enabled on during the lauditd runs, each BPF
# program's runs and time (bpftool's run_cnt and run_time_ns) during the
# workload, in bench/results/rules-profile.txt.  LAUDITD_ALT="NAME=PATH ...":
# other lauditd binaries, configurations lauditd-binary-NAME (before and after a
# change, side by side in one run).
#
# Writes bench/results/rules.csv (workload,config,seconds,slowdown,events,lost,
# bytes) and bench/results/rules.md.
set -euo pipefail

O=${1:-build}
QUICK=${QUICK:-}
[ "$QUICK" = 0 ] && QUICK=
HERE=$(cd "$(dirname "$0")" && pwd)
RESULTS=$HERE/results
BIN=$O/bench
CORPUS=${RULES_CORPUS:-$HERE/../../shared/rules-corpus}/debian
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
# shellcheck source=bench/workloads.sh
. "$HERE/workloads.sh"

CONFIGS=${CONFIGS:-"none auditd lauditd-raw lauditd-binary lauditd-raw-norules"}
PROFILE=${PROFILE:-}
[ "$PROFILE" = 0 ] && PROFILE=
WORKLOADS=${WORKLOADS:-"rdwr find tar shbm postmark"}
if [ -n "$QUICK" ]; then
	REPEATS=${REPEATS:-3}
	RDWR_N=1000000 SHBM_N=500 PM_FILES=1000 PM_TRANS=4000
else
	REPEATS=${REPEATS:-3}
	RDWR_N=2000000 SHBM_N=2000 PM_FILES=2000 PM_TRANS=40000
fi
RULE_FILES="30-stig 32-power-abuse 43-module-load 44-installers"
for f in ${RULES_OMIT:-}; do
	RULE_FILES=$(echo " $RULE_FILES " | sed "s/ $f / /; s/^ //; s/ $//")
done

for f in $RULE_FILES 31-privileged; do
	[ -f "$CORPUS/$f.rules" ] || die "$CORPUS/$f.rules is missing (RULES_CORPUS)"
done
for b in rdwr shbm; do
	[ -x "$BIN/$b" ] || die "$BIN/$b is missing: make $BIN/$b"
done

bench_init
MACHINE=$(machine_line)
RULES=$B_TMP/stig.rules
{
	case " $RULE_FILES " in
	*" 30-stig "*) cat "$CORPUS/30-stig.rules" ;;
	esac
	# 31-privileged.rules: its own recipe, on this machine's set-user-ID programs
	find /bin /sbin /usr/bin /usr/sbin -type f -perm -04000 2> /dev/null | sort |
		awk '{ printf "-a always,exit -F path=%s -F perm=x -F auid>=1000 -F auid!=unset -F key=privileged\n", $1 }'
	# RULES_OMIT leaves files out of the set itself, not only out of its title
	for f in $RULE_FILES; do
		[ "$f" = 30-stig ] || cat "$CORPUS/$f.rules"
	done
} | awk '
	# a dir= rule on a directory this machine lacks is refused by the kernel
	# (auditctl: "No such file or directory"): left out, and said
	/^-a/ && match($0, /-F dir=[^ ]+/) {
		d = substr($0, RSTART + 7, RLENGTH - 7)
		if (system("test -d " d) != 0) {
			print "bench: left out (no " d "): " $0 > "/dev/stderr"
			next
		}
	}
	{ print }' > "$RULES"
NRULES=$(grep -c '^-[aw] ' "$RULES")
mkdir -p "$B_TMP/t"
cp "$RULES" "$B_TMP/t/audit.rules"
echo "log_file = $B_TMP/t/audit.log" > "$B_TMP/t/lauditd.conf"
"$B_LAUDITD" -t -c "$B_TMP/t" > "$B_TMP/t/out" 2>&1 ||
	die "lauditd -t refused the rules: $(tail -3 "$B_TMP/t/out")"
say "machine: $MACHINE; $NRULES rules ($RULE_FILES, 31-privileged generated)"

for a in ${LAUDITD_ALT:-}; do
	[ -x "${a#*=}" ] || die "${a#*=} is missing (LAUDITD_ALT)"
	cp "${a#*=}" "$B_TMP/lauditd-${a%%=*}"
done
RUNS=$B_TMP/runs.csv
: > "$RUNS"
PROF=$B_TMP/rules-profile.txt
: > "$PROF"
STATS0=$(sysctl -n kernel.bpf_stats_enabled)
# prog_stats: "id name run_cnt run_time_ns" of lauditd's programs (la_*)
prog_stats() {
	bpftool -j prog show | jq -r '.[] | select(.name | startswith("la_")) |
		"\(.id) \(.name) \(.run_cnt // 0) \(.run_time_ns // 0)"'
}

# run_one REP WORKLOAD CONFIG: appends rep,workload,config,seconds,events,lost,bytes
run_one() {
	local rep=$1 wl=$2 cfg=$3 d=$B_TMP/run t0 t1 ev="" lost="" bytes=""
	rm -rf "$d"
	mkdir -p "$d/work" "$d/logger"
	wl_prepare "$wl" "$d/work"
	case $wl in
	find | tar | postmark)
		wl_run "$wl" "$d/work" || die "$wl failed: $(tail -3 "$d/work/err")"
		rm -f "$d/work/usr-include.tar"
		;;
	esac
	case $cfg in
	auditd) AD_RULES=$RULES ad_start "$d/logger" ;;
	lauditd-raw | lauditd-binary)
		cp "$RULES" "$d/logger/audit.rules"
		la_start "$d/logger" "$(echo "${cfg#lauditd-}" | tr "[:lower:]" "[:upper:]")" || die "lauditd: $LA_ERROR"
		;;
	lauditd-binary-*)
		cp "$RULES" "$d/logger/audit.rules"
		B_LAUDITD=$B_TMP/lauditd-${cfg#lauditd-binary-} la_start "$d/logger" BINARY ||
			die "lauditd: $LA_ERROR"
		;;
	lauditd-raw-norules) la_start "$d/logger" RAW || die "lauditd: $LA_ERROR" ;;
	esac
	if [ -n "$PROFILE" ] && [ "${cfg#lauditd}" != "$cfg" ]; then
		sysctl -q kernel.bpf_stats_enabled=1
		prog_stats > "$d/stats0"
	fi
	t0=$(now_ns)
	# a login uid of 1000 for the workload and its children
	(echo 1000 > /proc/self/loginuid && wl_run "$wl" "$d/work") ||
		die "$wl failed under $cfg: $(tail -3 "$d/work/err")"
	t1=$(now_ns)
	if [ -f "$d/stats0" ]; then
		prog_stats > "$d/stats1"
		sysctl -q kernel.bpf_stats_enabled="$STATS0"
		{
			echo "$rep $wl $cfg: program, runs, ns, ns per run (during the workload)"
			awk 'NR == FNR { c[$1] = $3; t[$1] = $4; next }
				$3 - c[$1] > 0 { n = $3 - c[$1]; ns = $4 - t[$1]
					printf "  %-28s %10d %12d %8.1f\n", $2, n, ns, ns / n }' \
				"$d/stats0" "$d/stats1" | sort -k3,3nr
		} >> "$PROF"
	fi
	case $cfg in
	auditd)
		AD_RULES=$RULES ad_stop "$d/logger"
		ev=$AD_EVENTS lost=$AD_LOST bytes=$AD_BYTES
		;;
	lauditd-*)
		la_stop "$d/logger"
		ev=$LA_EVENTS lost=$LA_LOST bytes=$LA_BYTES
		;;
	esac
	echo "$rep,$wl,$cfg,$(secs $((t1 - t0))),$ev,$lost,$bytes" >> "$RUNS"
	say "$rep $wl $cfg $(secs $((t1 - t0))) s events=${ev:--} lost=${lost:--} bytes=${bytes:--}"
	rm -rf "$d"
}

for rep in $(seq 1 "$REPEATS"); do
	for wl in $WORKLOADS; do
		for cfg in $CONFIGS; do
			run_one "$rep" "$wl" "$cfg"
		done
	done
done

# medians over the repeats (of two: their mean); lost is the largest
awk -F, -v OFS=, -v workloads="$WORKLOADS" -v configs="$CONFIGS" '
function median(s,    n, i, j, t, a) {
	n = split(s, a, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	k = $2 SUBSEP $3
	s[k] = s[k] " " $4; ev[k] = ev[k] " " $5; b[k] = b[k] " " $7
	if (!(k in lost) || $6 + 0 > lost[k]) lost[k] = $6 + 0
}
END {
	print "workload,config,seconds,slowdown,events,lost,bytes"
	nw = split(workloads, W, " "); nc = split(configs, C, " ")
	for (i = 1; i <= nw; i++) {
		base = median(s[W[i] SUBSEP "none"])
		for (j = 1; j <= nc; j++) {
			k = W[i] SUBSEP C[j]
			t = median(s[k])
			if (C[j] == "none")
				printf "%s,%s,%.3f,1.00,,,\n", W[i], C[j], t
			else
				printf "%s,%s,%.3f,%.2f,%d,%d,%d\n", W[i], C[j], t, t / base, median(ev[k]), lost[k], median(b[k])
		}
	}
}' "$RUNS" > "$B_TMP/rules.csv"

{
	echo "# lauditd under a STIG rule set"
	echo
	echo "Machine: $MACHINE. Run: \`make bench-rules${QUICK:+ QUICK=1}\`, $REPEATS repeats, configurations alternating."
	echo "Rules: $NRULES lines of Debian's examples ($RULE_FILES, and 31-privileged generated from this" \
		"machine's set-user-ID programs), the same file for auditd and lauditd; workloads run with login uid 1000."
	echo
	echo "| workload | config | seconds | slowdown | events | lost | bytes |"
	echo "|---|---|--:|--:|--:|--:|--:|"
	tail -n +2 "$B_TMP/rules.csv" | awk -F, '{ printf "| %s | %s | %s | %sx | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }'
	echo
	echo "Workloads:"
	echo
	for wl in $WORKLOADS; do
		echo "- $wl: $(wl_desc "$wl")"
	done
	echo
	echo "Configurations: none (no audit); auditd (the real auditd with the rules, as in latest.md otherwise);" \
		"lauditd-raw and lauditd-binary (lauditd with the rules, cache filter off); lauditd-raw-norules" \
		"(lauditd with no rules: the 25 families for every process). Events: auditd's SYSCALL records," \
		"lauditd's DAEMON_END records=, every process of the machine."
} > "$B_TMP/rules.md"

mkdir -p "$RESULTS"
cp "$B_TMP/rules.csv" "$B_TMP/rules.md" "$RESULTS/"
if [ -n "$PROFILE" ]; then
	cp "$PROF" "$RESULTS/"
	cat "$PROF"
fi
cat "$RESULTS/rules.md"
