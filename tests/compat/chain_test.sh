#!/usr/bin/env bash
# The binary log's hash chain on an archive the daemon writes: rotated, lz4
# compressed and signed with signing_key, it verifies (lausearch --verify --key);
# a restart goes on with the same chain; a deleted middle segment, a segment cut
# short, a flipped byte in a compressed segment and seals signed with another key
# are each found, with their file and offset.  A version 2 log has no chain.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
O=${1:-build}
LAUDITD=$O/lauditd
t_skip_unless_root "chain_test"
command -v openssl > /dev/null || { echo "chain_test: SKIPPED (no openssl command)"; exit 0; }

dir=$(mktemp -d)
cleanup() {
	[ -n "${LA_PID:-}" ] && kill -9 "$LA_PID" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
lausearch=$O/lausearch
exe=$(realpath "$O/tests/compat/workload")

openssl genpkey -algorithm ed25519 -out "$dir/seal.key" 2> /dev/null
openssl pkey -in "$dir/seal.key" -pubout -out "$dir/seal.pub"
openssl genpkey -algorithm ed25519 -out "$dir/other.key" 2> /dev/null
openssl pkey -in "$dir/other.key" -pubout -out "$dir/other.pub"

# verify ARGS...: lausearch --verify's output in $out, its exit status in $rc
verify() {
	out=$("$lausearch" --verify "$@" 2>&1)
	rc=$?
}

# --- a rotated, compressed, signed archive
la_start "$dir/rot" "log_format = BINARY" "max_log_file = 1" "max_log_file_action = KEEP_LOGS" \
	"signing_key = $dir/seal.key" || exit 1
# about 4 bytes an event: 900000 reads and writes make a few 1 MB segments
pid=$("$O/tests/compat/workload" 900000 0 0)
la_stop
assert_eq "lauditd exits 0" 0 "$LA_RC"
log=$dir/rot/log
nlz=$(ls "$log" | grep -c '^audit\.log\.[0-9]*\.lz4$')
[ "$nlz" -ge 2 ] && r=ok || r="$nlz compressed segments"
assert_eq "two compressed segments or more" ok "$r"
n=$((nlz + 1))
verify -if "$log" --key "$dir/seal.pub"
assert_eq "intact archive: exit status" 0 "$rc"
re="^intact: $n files, $n segments, [0-9]+ blocks, units 0 to [0-9]+, $n seals \($n signatures verified\)$"
[[ $out =~ $re ]] && r=ok || r=$out
assert_eq "intact archive: every segment sealed and signed" ok "$r"
verify -if "$log"
assert_eq "intact archive, no key: exit status" 0 "$rc"
"$lausearch" -if "$log" > "$dir/all.txt" 2> "$dir/all.err"
assert_eq "lausearch reads the chained log: no problem" "" "$(cat "$dir/all.err")"
assert_eq "lausearch reads the chained log: every read" 900000 \
	"$(grep -c "^type=SYSCALL msg=audit([0-9.:]*): arch=c000003e syscall=0 .* pid=$pid .*exe=\"$exe\"" "$dir/all.txt")"

# --- a restart appends to audit.log and goes on with the chain
la_start "$dir/rot" "log_format = BINARY" "max_log_file = 1" "max_log_file_action = KEEP_LOGS" \
	"signing_key = $dir/seal.key" || exit 1
"$O/tests/compat/workload" 1000 0 0 > /dev/null
la_stop
verify -if "$log" --key "$dir/seal.pub"
assert_eq "after a restart: exit status" 0 "$rc"
re="^intact: $n files, $((n + 1)) segments, [0-9]+ blocks, units 0 to [0-9]+, $((n + 1)) seals \($((n + 1)) signatures verified\)$"
[[ $out =~ $re ]] && r=ok || r=$out
assert_eq "after a restart: one chain, the new segment sealed" ok "$r"

# --- signed with another key
verify -if "$log" --key "$dir/other.pub"
assert_eq "another key: exit status" 1 "$rc"
re="^$log/audit\.log\.$nlz\.lz4: offset [0-9]+: the seal's signature does not verify with the key: the chain was rewritten$"
[[ $out =~ $re ]] && r=ok || r=$out
assert_eq "another key: the oldest segment's seal" ok "$r"

# --- a deleted middle segment
cp -a "$log" "$dir/del"
rm "$dir/del/audit.log.2.lz4"
verify -if "$dir/del" --key "$dir/seal.pub"
assert_eq "deleted segment: exit status" 1 "$rc"
re="^$dir/del/audit\.log\.1\.lz4: offset 0: the segment starts at unit [0-9]+ of the chain, [0-9]+ was due: [0-9]+ units missing before it \(a segment deleted\?\)$"
[[ $out =~ $re ]] && r=ok || r=$out
assert_eq "deleted segment: found where the next one starts" ok "$r"

# --- a segment cut short (decompressed, cut, left plain)
cp -a "$log" "$dir/cut"
lz4 -dq "$dir/cut/audit.log.2.lz4" "$dir/cut/audit.log.2"
rm "$dir/cut/audit.log.2.lz4"
size=$(stat -c %s "$dir/cut/audit.log.2")
truncate -s $((size / 2)) "$dir/cut/audit.log.2"
verify -if "$dir/cut"
assert_eq "cut segment: exit status" 1 "$rc"
re="^$dir/cut/audit\.log\.2: offset [0-9]+: the block is cut short: it needs [0-9]+ bytes, [0-9]+ remain$"
[[ $out =~ $re ]] && r=ok || r=$out
assert_eq "cut segment: the block it ends in" ok "$r"

# --- a flipped byte in a compressed segment
cp -a "$log" "$dir/flip"
lz4 -dq "$dir/flip/audit.log.1.lz4" "$dir/flip/seg"
printf '\x5a' | dd of="$dir/flip/seg" bs=1 seek=200000 conv=notrunc status=none
rm "$dir/flip/audit.log.1.lz4"
lz4 -q "$dir/flip/seg" "$dir/flip/audit.log.1.lz4"
rm "$dir/flip/seg"
verify -if "$dir/flip"
assert_eq "flipped byte: exit status" 1 "$rc"
re="^$dir/flip/audit\.log\.1\.lz4: offset ([0-9]+): the block does not match its hash: altered$"
if [[ $out =~ $re ]] && [ "${BASH_REMATCH[1]}" -le 200000 ] && [ "${BASH_REMATCH[1]}" -gt $((200000 - 70000)) ]; then
	r=ok
else
	r=$out
fi
assert_eq "flipped byte: the block that holds it" ok "$r"

# --- a log of format version 2 has no chain
verify -if "$here/../data/binary/golden.bin"
assert_eq "version 2: exit status" 1 "$rc"
assert_eq "version 2: no chain" \
	"$here/../data/binary/golden.bin: offset 0: no chain: the log's format version is older than 3" "$out"
t_done
