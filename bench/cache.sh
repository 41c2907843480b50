#!/bin/bash
# bench/cache.sh [BUILD_DIR]: the cache filter's effect on the read/write loops
# (rdwr on regular files, rdwr-dev on /dev/zero and /dev/null) and on find /usr,
# tar cf of /usr/include and postmark (as bench/run.sh runs them): each under no
# logger, then lauditd writing RAW and BINARY with cache_filter off and on.
# Prints one row per workload and configuration: the seconds, the slowdown
# against no logger, the syscalls made (the loop's for rdwr; for the others the
# syscalls lauditd captured, every process's: records + merged), the records
# lauditd wrote (every process's: DAEMON_END's records=) and the syscalls it
# merged (merged=), records and log bytes per syscall made.  Needs root.
# N=iterations (default 500000), REPEATS (default 3: the median time is kept),
# WORKLOADS (default "rdwr rdwr-dev"; also find, tar, postmark), CONFIGS (default
# "none raw-off raw-on binary-off binary-on"; the slowdown is against the first),
# RULES (an audit.rules file lauditd loads: the records and merges are then those
# of the syscalls its rules select; default none, every syscall of the families).
set -euo pipefail

O=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=$O/bench
N=${N:-500000}
REPEATS=${REPEATS:-3}
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
[ -x "$BIN/rdwr" ] || die "$BIN/rdwr is missing: make $BIN/rdwr"
bench_init

# median of the arguments
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# run WORKLOAD CONFIG: sets SEC (median), and from the last repeat REC, MERGED, BYTES.
run() {
	local wl=$1 cfg=$2 d=$B_TMP/run t0 t1 secs=() fmt cache
	for _ in $(seq 1 "$REPEATS"); do
		rm -rf "$d"
		mkdir -p "$d/work"
		case $cfg in
		none) ;;
		*)
			fmt=${cfg%-*} cache=${cfg##*-}
			if [ -n "${RULES:-}" ]; then
				mkdir -p "$d/logger"
				install -m 0600 "$RULES" "$d/logger/audit.rules"
			fi
			LA_CACHE=$cache la_start "$d/logger" "${fmt^^}" || die "lauditd: $LA_ERROR"
			;;
		esac
		case $wl in
		postmark)
			mkdir -p "$d/work/pm"
			sed -e "s|@LOCATION@|$d/work/pm|" -e "s|@FILES@|2000|" \
				-e "s|@TRANSACTIONS@|40000|" "$HERE/postmark.pmrc" > "$d/work/postmark.cfg"
			;;
		esac
		t0=$(now_ns)
		case $wl in
		rdwr) "$BIN/rdwr" -T "$d/work" "$N" 1 ;;
		rdwr-dev) "$BIN/rdwr" -d "$N" 1 ;;
		find) find /usr ;;
		tar) tar cf "$d/work/usr-include.tar" -C / usr/include ;;
		postmark) postmark "$d/work/postmark.cfg" ;;
		esac > "$d/out"
		t1=$(now_ns)
		secs+=("$(secs $((t1 - t0)))")
		REC=- MERGED=- BYTES=-
		if [ "$cfg" != none ]; then
			la_stop "$d/logger"
			[ "$LA_RC" = 0 ] || die "lauditd exited $LA_RC"
			REC=$LA_EVENTS BYTES=$LA_BYTES
			# a BINARY log's DAEMON_END is written as text by lausearch
			if [ "$fmt" = raw ]; then
				MERGED=$(grep -a '^type=DAEMON_END' "$d/logger/log/audit.log" || true)
			else
				MERGED=$("$O/lausearch" -if "$d/logger/log" -m DAEMON_END --format raw \
					2> /dev/null || true)
			fi
			MERGED=$(sed -n 's/.* merged=\([0-9]*\).*/\1/p' <<< "$MERGED")
			[ -n "$MERGED" ] || MERGED=0
		fi
	done
	SEC=$(median "${secs[@]}")
	rm -rf "$d"
}

printf '%-9s %-11s %8s %8s %9s %9s %9s %12s %10s\n' workload config seconds slowdown \
	syscalls records merged records/call bytes/call
for wl in ${WORKLOADS:-rdwr rdwr-dev}; do
	base=
	calls=$((2 * N))
	for cfg in ${CONFIGS:-none raw-off raw-on binary-off binary-on}; do
		run "$wl" "$cfg"
		[ -n "$base" ] || base=$SEC
		if [ "$cfg" = none ]; then
			printf '%-9s %-11s %8s %8s %9s\n' "$wl" "$cfg" "$SEC" 1.00 \
				"$(case $wl in rdwr*) echo "$calls" ;; *) echo - ;; esac)"
			continue
		fi
		case $wl in
		rdwr*) ;;
		*) calls=$((REC + MERGED)) ;;
		esac
		printf '%-9s %-11s %8s %8s %9s %9s %9s %12s %10s\n' "$wl" "lauditd-$cfg" "$SEC" \
			"$(awk -v a="$SEC" -v b="$base" 'BEGIN { printf "%.2f", a / b }')" "$calls" \
			"$REC" "$MERGED" \
			"$(awk -v a="$REC" -v b="$calls" 'BEGIN { printf "%.5f", a / b }')" \
			"$(awk -v a="$BYTES" -v b="$calls" 'BEGIN { printf "%.3f", a / b }')"
	done
done
