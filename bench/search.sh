#!/bin/bash
# bench/search.sh [BUILD_DIR]: lausearch and laureport on a log of N events (default
# 10,000,000) written as lauditd writes BINARY (rotated, closed segments lz4),
# and the real ausearch on the first SUB events (default 200,000) as RAW text.
# No root.  `make bench-search` runs it.
#
# Part 1, the whole log: each query timed with lausearch --count on the log of
# format version 2 and on the same blocks in version 1 (no filters: what the
# index alone skips), the wall time and the answer of each.  Part 2, the part
# ausearch can read in reasonable time: each query with ausearch -if on the text
# and lausearch -if on the same events' binary log, outputs compared byte for
# byte, events per second of each; then laureport's summary against aureport's,
# the same way.  The log is bench/search_gen.c's: 64
# processes interleaved at 1000 events/s, ten events standing out (pid 77777,
# uid 4242, exe /tmp/.x/miner, key tamper-etc, /etc/sudoers.d/zz-backdoor).
set -euo pipefail

O=${1:-build}
N=${N:-10000000}
SUB=${SUB:-200000}
R=${R:-3} # runs of each query of part 2, ausearch and lausearch in turn
T0=1796000000 # bench/search_gen.c's first second
LAUSEARCH=$O/lausearch
LAUREPORT=$O/laureport
GEN=$O/bench/search_gen

[ -x "$LAUSEARCH" ] || { echo "$LAUSEARCH is missing: make" >&2; exit 1; }
[ -x "$LAUREPORT" ] || { echo "$LAUREPORT is missing: make" >&2; exit 1; }
[ -x "$GEN" ] || { echo "$GEN is missing: make $GEN" >&2; exit 1; }
command -v ausearch > /dev/null || { echo "ausearch is missing (make deps)" >&2; exit 1; }
command -v aureport > /dev/null || { echo "aureport is missing (make deps)" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/search-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export TZ=UTC LC_ALL=C

# -ts/-te of the minute starting @1 seconds after T0, in ausearch's C locale forms
minute() {
	local a=$((T0 + $1)) b=$((T0 + $1 + 59))
	echo "-ts $(date -d "@$a" +%x) $(date -d "@$a" +%T) -te $(date -d "@$b" +%x) $(date -d "@$b" +%T)"
}

# seconds of wall time of "$@" (output to $OUT, by default $TMP/out), as 0.0000:
# bash's clock, not date's, whose two processes would add milliseconds to each time
timed() {
	local s e
	s=$EPOCHREALTIME
	"$@" > "${OUT:-$TMP/out}" 2> "$TMP/err" || true
	e=$EPOCHREALTIME
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.4f", e - s }'
}

# the median of its arguments
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo), $(uname -r)"
s=$(date +%s%N)
"$GEN" -n "$N" -t "$SUB" -1 "$TMP"
echo "log written in $(( ($(date +%s%N) - s) / 1000000 )) ms: $(du -sb "$TMP/bin" | cut -f1) bytes on disk (lz4 but the newest), $(find "$TMP/bin" -type f | wc -l) files"

QUERIES=(
	"rare pid|-p 77777"
	"rare key|-k tamper-etc"
	"rare file|-f /etc/sudoers.d/zz-backdoor"
	"rare exe|-x /tmp/.x/miner"
	"rare uid|-ui 4242"
	"one minute|$(minute $((N / 2000)))"
	"failed openat|-sc openat -sv no"
	"common key|-k file-access"
	"every event|-m ALL"
)

echo
echo "## lausearch on $N events (--count; version 2 with filters, version 1 without)"
printf '%-14s %-50s %10s %9s %9s\n' query options matches "v2 s" "v1 s"
for q in "${QUERIES[@]}"; do
	name=${q%%|*} opts=${q#*|}
	# shellcheck disable=SC2086
	t2=$(timed "$LAUSEARCH" -if "$TMP/bin" $opts --count)
	n=$(cat "$TMP/out")
	[ -n "$n" ] || n=0
	# shellcheck disable=SC2086
	t1=$(timed "$LAUSEARCH" -if "$TMP/bin-v1" $opts --count)
	n1=$(cat "$TMP/out")
	[ -n "$n1" ] || n1=0
	[ "$n" = "$n1" ] || echo "  $name: version 1 answers $n1, version 2 $n" >&2
	printf '%-14s %-50s %10s %9s %9s\n' "$name" "$opts" "$n" "$t2" "$t1"
done
t=$(timed "$LAUSEARCH" -if "$TMP/bin")
echo "full dump (RAW text, $(wc -c < "$TMP/out") bytes): $t s, $(awk -v n="$N" -v t="$t" 'BEGIN { printf "%.0f", n / t }') events/s"
t=$(timed "$LAUSEARCH" --threads 0 -if "$TMP/bin")
echo "full dump, decoded on the main thread only (--threads 0): $t s"
t=$(timed "$LAUREPORT" -if "$TMP/bin")
echo "laureport summary: $t s, $(awk -v n="$N" -v t="$t" 'BEGIN { printf "%.0f", n / t }') events/s"

echo
echo "## ausearch -if TEXT and lausearch -if BINARY on the first $SUB events (same output?)"
echo "(each the median of $R runs, the two in turn; la range: lausearch's fastest and slowest)"
printf '%-14s %-50s %8s %9s %9s %12s %12s %8s\n' query options matches "au s" "la s" "au ev/s" "la ev/s" ratio
SUBQ=(
	"a pid|-p 2037"
	"a key|-k net"
	"one minute|$(minute $((SUB / 2000)))"
	"failed openat|-sc openat -sv no"
	"full dump|--format raw -m ALL"
)
for q in "${SUBQ[@]}"; do
	name=${q%%|*} opts=${q#*|}
	tas=() tls=() same=same
	for ((r = 0; r < R; r++)); do
		# each writes a new file, with no other output left to write back
		rm -f "$TMP/out" "$TMP/au"
		# shellcheck disable=SC2086
		tas+=("$(timed ausearch -if "$TMP/sub.txt" $opts)")
		mv "$TMP/out" "$TMP/au"
		# shellcheck disable=SC2086
		tls+=("$(timed "$LAUSEARCH" -if "$TMP/sub" $opts)")
		cmp -s "$TMP/au" "$TMP/out" || same=DIFFERENT
	done
	ta=$(median "${tas[@]}") tl=$(median "${tls[@]}")
	n=$(grep -c '^type=SYSCALL' "$TMP/out" || true)
	printf '%-14s %-50s %8s %9s %9s %12s %12s %8s %s (la %s to %s)\n' "$name" "$opts" "$n" "$ta" "$tl" \
		"$(awk -v n="$SUB" -v t="$ta" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }')" \
		"$(awk -v n="$SUB" -v t="$tl" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }')" \
		"$(awk -v a="$ta" -v l="$tl" 'BEGIN { printf "%.0fx", (l > 0 ? a / l : 0) }')" "$same" \
		"$(printf '%s\n' "${tls[@]}" | sort -g | head -1)" "$(printf '%s\n' "${tls[@]}" | sort -g | tail -1)"
done

# the full dump again, its text not written to a file: the file system's share
rm -f "$TMP/out" "$TMP/au"
tas=() tls=()
for ((r = 0; r < R; r++)); do
	tas+=("$(OUT=/dev/null timed ausearch -if "$TMP/sub.txt" --format raw -m ALL)")
	tls+=("$(OUT=/dev/null timed "$LAUSEARCH" -if "$TMP/sub" --format raw -m ALL)")
done
ta=$(median "${tas[@]}") tl=$(median "${tls[@]}")
echo "full dump to /dev/null: ausearch $ta s, lausearch $tl s," \
	"$(awk -v a="$ta" -v l="$tl" 'BEGIN { printf "%.0fx", (l > 0 ? a / l : 0) }')"

echo
echo "## aureport -if TEXT and laureport -if BINARY on the first $SUB events (same output?)"
printf '%-14s %9s %9s %12s %12s %8s\n' report "au s" "la s" "au ev/s" "la ev/s" ratio
for r in "summary|" "files|-f --summary" "executables|-x --summary"; do
	name=${r%%|*} opts=${r#*|}
	# shellcheck disable=SC2086
	ta=$(timed aureport -if "$TMP/sub.txt" $opts)
	mv "$TMP/out" "$TMP/au"
	# shellcheck disable=SC2086
	tl=$(timed "$LAUREPORT" -if "$TMP/sub/audit.log" $opts)
	same=same
	cmp -s "$TMP/au" "$TMP/out" || same=DIFFERENT
	printf '%-14s %9s %9s %12s %12s %8s %s\n' "$name" "$ta" "$tl" \
		"$(awk -v n="$SUB" -v t="$ta" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }')" \
		"$(awk -v n="$SUB" -v t="$tl" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }')" \
		"$(awk -v a="$ta" -v l="$tl" 'BEGIN { printf "%.0fx", (l > 0 ? a / l : 0) }')" "$same"
done
