#!/usr/bin/env bash
# Runs every test: unit tests, fuzz corpus replays, kernel tests and the
# compatibility tests with the real ausearch.  usage: tests/run.sh [BUILD_DIR]
set -u
O=${1:-build}
cd "$(dirname "$0")/.." || exit 1
pass=0
fail=0
skip=0
failed=""

run() { # NAME COMMAND...
	local name=$1 out rc
	shift
	echo "=== $name"
	out=$("$@" 2>&1)
	rc=$?
	echo "$out"
	if [ $rc != 0 ]; then
		fail=$((fail + 1))
		failed="$failed $name"
	elif grep -q '^SKIPPED' <<< "$out"; then
		skip=$((skip + 1))
	else
		pass=$((pass + 1))
	fi
}

for t in "$O"/tests/*_test; do
	[ -x "$t" ] && run "unit/$(basename "$t")" "$t"
done
for t in "$O"/tests/fuzz/*_replay; do
	name=$(basename "$t" _replay)
	[ -x "$t" ] && run "fuzz/$name corpus" "$t" "tests/fuzz/corpus/$name"
done
run "lausearch" make --no-print-directory O="$O" test-lausearch
run "laureport" make --no-print-directory O="$O" test-laureport
[ -x "$O/tests/kernel/ktest" ] && run "kernel/ktest" "$O/tests/kernel/ktest"
for t in tests/compat/*_test.sh; do
	run "compat/$(basename "$t" .sh)" bash "$t" "$O"
done

echo "=== summary"
[ -n "$failed" ] && echo "failed:$failed"
echo "tests: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
