#!/usr/bin/env bash
# The plugin dispatcher's cost and pace: rdwr (64 B read+write on files) with
# lauditd RAW and no plugin, then with a plugin that reads as fast as it can
# (tests/compat/plugin_reader: reads the string format, checks every event),
# disp_qos = lossless and lossy; then a plugin that reads 4 KiB a millisecond,
# and one that reads nothing, each with lossless and lossy.
# Prints, per configuration: rdwr's syscalls and seconds, events in the log, events the
# plugin got, events lost for it, lauditd's CPU seconds from the workload's
# start to 1.5 s after its end (the plugin's queue drained), its peak RSS (MiB)
# and the records lost in the kernel's rings (DAEMON_END lost=).  Root.
#
# usage: bench/dispatch.sh [BUILD_DIR] [ITERATIONS] [CONFIG...]
set -u
O=${1:-build}
N=${2:-500000}
shift 2 2> /dev/null
ONLY=" $* "
[ "$(id -u)" = 0 ] || {
	echo "bench/dispatch.sh: needs root" >&2
	exit 1
}
LAUDITD=$O/lauditd
. "$(dirname "$0")/../tests/lib.sh"
dir=$(mktemp -d)
trap '[ -n "${LA_PID:-}" ] && kill -9 "$LA_PID" 2> /dev/null; rm -rf "$dir"' EXIT
install -m 0750 -o root -g root "$O/tests/compat/plugin_reader" "$dir/reader"

cpu_s() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"; }

one() { # NAME MODE QOS
	local run=$dir/$1 t0 t1 out cpu cpu0 rss
	[ "$ONLY" = "  " ] || [[ "$ONLY" == *" $1 "* ]] || return 0
	mkdir -p "$run/plugins.d"
	if [ "$2" != none ]; then
		printf 'active = yes\npath = %s\ntype = always\nargs = %s %s\nformat = string\n' \
			"$dir/reader" "$run/out" "$2" > "$run/plugins.d/r.conf"
	fi
	la_start "$run" "max_log_file = 0" "disp_qos = $3" "q_depth = 2000" \
		"overflow_action = IGNORE" || exit 1
	cpu0=$(cpu_s "$LA_PID")
	t0=$(date +%s%N)
	out=$("$O/bench/rdwr" -T "$run" "$N" 1 | head -1)
	t1=$(date +%s%N)
	sleep 1.5
	cpu=$(echo "$(cpu_s "$LA_PID") - $cpu0" | bc -l)
	rss=$(awk '$1 == "VmHWM:" { printf "%d", $2 / 1024 }' "/proc/$LA_PID/status")
	la_stop
	for _ in $(seq 1 100); do
		[ ! -f "$run/out" ] || grep -q '^END' "$run/out" && break
		sleep 0.1
	done
	printf '%-22s %10s %8.3f %10s %10s %10s %8.2f %8s %10s\n' "$1" "$(echo "$out" | sed 's/.*syscalls=\([0-9]*\).*/\1/')" \
		"$(echo "($t1 - $t0) / 1000000000" | bc -l)" \
		"$(grep -ac '^type=SYSCALL' "$run/log/audit.log")" \
		"$([ -f "$run/out" ] && awk '$1 == "E" && $3 > 1 { n++ } END { print n + 0 }' "$run/out" || echo -)" \
		"$(grep -a 'op=dispatch-lost' "$run/log/audit.log" | sed 's/.* lost=\([0-9]*\) .*/\1/' |
			awk '{ n += $1 } END { print n + 0 }')" "$cpu" "$rss" \
		"$(grep -a '^type=DAEMON_END' "$run/log/audit.log" | sed 's/.* lost=\([0-9]*\).*/\1/')"
}

printf '%-22s %10s %8s %10s %10s %10s %8s %8s %10s\n' config syscalls seconds log_events \
	plugin_events plugin_lost cpu_s rss_mib ring_lost
one no-plugin none lossless
one fast-plugin-lossless string lossless
one fast-plugin-lossy string lossy
one slow-plugin-lossless slow lossless
one slow-plugin-lossy slow lossy
one stalled-plugin-lossless stall lossless
one stalled-plugin-lossy stall lossy
